package ui

import (
	"context"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/steppe-news/steppe/feeds"
)

// Reader shows one article: a header (title, feed, date, link) above the
// glamour-rendered body in a viewport. Rendering happens in a Cmd; the
// reader shows the summary until the body arrives.
type Reader struct {
	sh    *shared
	style string // glamour style, fixed before the program runs
	vp    viewport.Model

	article  feeds.Article
	rendered string // sanitised, rendered for renderW
	renderW  int
	seq      int // bumps on every open; results of older opens are dropped
	loading  bool
	err      error

	width, height int
}

// NewReader builds an empty reader; style forces the markdown style ("" picks
// one by colour profile and background).
func NewReader(sh *shared, style string) *Reader {
	km := sh.keys
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{
		Up:       km.ScrollUp,
		Down:     km.ScrollDown,
		PageUp:   km.PageUp,
		PageDown: km.PageDown,
	}
	vp.MouseWheelEnabled = true
	return &Reader{sh: sh, style: style, vp: vp}
}

// open shows a (sanitised) article at once, and loads its full text and
// rendering in a Cmd whose answer carries the new sequence number.
func (r *Reader) open(a feeds.Article) tea.Cmd {
	r.seq++
	r.article = a
	r.rendered = ""
	r.renderW = 0
	r.loading = true
	r.err = nil
	r.fit()
	r.vp.SetContent(r.placeholder())
	r.vp.GotoTop()
	return r.load(a)
}

// load fetches the full article and renders it for the reader's width. The
// list's copy stands in when the store cannot give the article.
func (r *Reader) load(fallback feeds.Article) tea.Cmd {
	st, style, w, seq := r.sh.io.opt.Articles, r.style, r.BodyWidth(), r.seq
	r.renderW = w
	return r.sh.io.store(func(ctx context.Context) tea.Msg {
		a := fallback
		var err error
		if st != nil {
			if full, ferr := st.Article(ctx, fallback.ID); ferr == nil {
				a = sanitizeArticle(full)
			} else {
				err = ferr
			}
		}
		msg := articleMsg{seq: seq, article: a, width: w, rendered: renderMarkdown(body(a), w, glamourStyle(style))}
		if err != nil && a.Content == "" && a.Summary == "" {
			msg.err = err
		}
		return msg
	})
}

// rerender renders the body again when the width changed.
func (r *Reader) rerender() tea.Cmd {
	if !r.NeedsRender() {
		return nil
	}
	a, seq, w, style := r.article, r.seq, r.BodyWidth(), r.style
	r.renderW = w // one render per width
	return func() tea.Msg {
		return renderedMsg{seq: seq, id: a.ID, width: w, rendered: renderMarkdown(body(a), w, glamourStyle(style))}
	}
}

// body is what the reader renders: the content, else the summary.
func body(a feeds.Article) string {
	if strings.TrimSpace(a.Content) != "" {
		return a.Content
	}
	return a.Summary
}

// Article is the article shown.
func (r *Reader) Article() feeds.Article { return r.article }

// setArticle applies a loaded article and its rendering (same seq only).
func (r *Reader) setArticle(m articleMsg) {
	if m.seq != r.seq {
		return
	}
	r.loading = false
	if m.err != nil {
		r.err = m.err
		return
	}
	r.article = m.article
	r.fit()
	r.setRendered(m.rendered, m.width)
}

// setRendered applies a re-render after a resize.
func (r *Reader) setRenderedMsg(m renderedMsg) {
	if m.seq != r.seq || m.id != r.article.ID {
		return
	}
	r.setRendered(m.rendered, m.width)
}

func (r *Reader) setRendered(s string, w int) {
	off := r.vp.YOffset
	r.rendered, r.renderW = s, w
	r.vp.SetContent(s)
	r.vp.SetYOffset(off)
}

// BodyWidth is the width the body is rendered for.
func (r *Reader) BodyWidth() int { return max(1, r.width) }

// NeedsRender reports whether the body must be rendered again for the width.
func (r *Reader) NeedsRender() bool {
	return !r.loading && r.article.ID != "" && r.renderW != r.BodyWidth()
}

func (r *Reader) placeholder() string {
	s := r.article.Summary
	if s == "" {
		s = "Loading…"
	}
	return ansi.Wrap(s, max(1, r.width-2), "")
}

func (r *Reader) header() []string {
	a := r.article
	st := r.sh.styles
	meta := a.FeedName
	if !a.Published.IsZero() {
		if meta != "" {
			meta += " · "
		}
		meta += a.Published.Format("2 January 2006 15:04")
	}
	if a.Author != "" {
		meta += " · " + a.Author
	}
	link := a.Link
	if link == "" {
		link = "(no link)"
	}
	// The title wraps (up to three lines) rather than losing its end; every
	// header line keeps the one-cell margin the rest of the screen has.
	tw := max(1, r.width-2)
	titleLines := strings.Split(ansi.Wrap(a.Title, tw, ""), "\n")
	if len(titleLines) > 3 {
		titleLines = titleLines[:3]
		titleLines[2] = ansi.Truncate(titleLines[2]+" …", tw, "…")
	}
	var h []string
	for _, l := range titleLines {
		h = append(h, " "+st.ReaderTitle.Render(l))
	}
	if r.height < 6 {
		return h[:1]
	}
	h = append(h,
		" "+st.ReaderMeta.Render(meta),
		" "+st.ReaderLink.Render(link),
		st.ReaderRule.Render(strings.Repeat("─", max(0, r.width))),
	)
	return h
}

// fit gives the viewport the rows the header leaves.
func (r *Reader) fit() {
	r.vp.Width = r.width
	r.vp.Height = max(0, r.height-len(r.header()))
}

// SetSize sets the pane size; the next Update renders again for a new width.
func (r *Reader) SetSize(w, h int) {
	r.width, r.height = w, h
	r.fit()
	if r.rendered == "" {
		r.vp.SetContent(r.placeholder())
	}
}

// Update handles the reader's keys (back, next/previous article, open the
// link, scrolling) and its loads.
func (r *Reader) Update(msg tea.Msg) (Component, tea.Cmd) {
	k := r.sh.keys
	switch msg := msg.(type) {
	case openArticleMsg:
		return r, r.open(msg.article)
	case articleMsg:
		r.setArticle(msg)
		return r, r.rerender()
	case renderedMsg:
		r.setRenderedMsg(msg)
		return r, nil
	case tea.WindowSizeMsg:
		return r, r.rerender()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Back):
			return r, r.sh.io.post(closeMsg{})
		case key.Matches(msg, k.OpenLink):
			return r, r.sh.io.openLink(r.article.Link)
		case key.Matches(msg, k.NextArticle):
			return r, r.sh.io.post(stepMsg{delta: +1})
		case key.Matches(msg, k.PrevArticle):
			return r, r.sh.io.post(stepMsg{delta: -1})
		case key.Matches(msg, k.NextUnread):
			return r, r.sh.io.post(stepMsg{delta: +1, unread: true})
		case key.Matches(msg, k.PrevUnread):
			return r, r.sh.io.post(stepMsg{delta: -1, unread: true})
		case key.Matches(msg, k.Top):
			r.vp.GotoTop()
			return r, nil
		case key.Matches(msg, k.Bottom):
			r.vp.GotoBottom()
			return r, nil
		}
	}
	var cmd tea.Cmd
	r.vp, cmd = r.vp.Update(msg)
	return r, cmd
}

// View renders the reader in exactly the pane.
func (r *Reader) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	lines := r.header()
	if r.err != nil {
		lines = append(lines, r.sh.styles.Error.Render("cannot load: "+sanitize(r.err.Error(), false)))
	}
	if r.vp.Height > 0 {
		lines = append(lines, strings.Split(r.vp.View(), "\n")...)
	}
	if len(lines) > r.height {
		lines = lines[:r.height]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], r.width, "…")
	}
	return strings.Join(lines, "\n")
}

// ShortHelp / FullHelp make the reader a help.KeyMap.
func (r *Reader) ShortHelp() []key.Binding {
	k := r.sh.keys
	return []key.Binding{k.PageDown, k.NextUnread, k.NextArticle, k.Links, k.OpenLink, k.Back}
}
func (r *Reader) FullHelp() [][]key.Binding { return r.sh.keys.FullHelp() }

// DetectGlamourStyle asks the terminal for its background and returns the
// reader's markdown style for it. Call it before the program starts: once
// Bubble Tea reads the terminal, the terminal's answer would arrive as keys.
func DetectGlamourStyle() string { return glamourStyle("") }

// glamourStyle picks the markdown style: "notty" without colours (NO_COLOR,
// ASCII profile), else dark or light by the terminal background. It is only
// called from Cmds: the background query may touch the terminal.
func glamourStyle(forced string) string {
	if forced != "" {
		return forced
	}
	if os.Getenv("NO_COLOR") != "" || lipgloss.ColorProfile() == termenv.Ascii {
		return "notty"
	}
	if lipgloss.HasDarkBackground() {
		return "dark"
	}
	return "light"
}

// renderMarkdown renders cleaned markdown for width cells and cleans the
// result again: only SGR survives, and no line is wider than width.
func renderMarkdown(md string, width int, style string) string {
	md = sanitize(md, true)
	out := md
	wrap := max(10, width-4)
	if r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(style),
		glamour.WithWordWrap(wrap),
		glamour.WithColorProfile(lipgloss.ColorProfile()),
	); err == nil {
		if s, err := r.Render(md); err == nil {
			out = s
		}
	}
	out = sanitizeRendered(out)
	lines := strings.Split(strings.Trim(out, "\n"), "\n")
	res := make([]string, 0, len(lines))
	for _, l := range lines {
		if ansi.StringWidth(l) > width {
			res = append(res, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
			continue
		}
		res = append(res, l)
	}
	return strings.Join(res, "\n")
}
