package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/ui/render"
)

// Reader shows one article: a header (title, feed, date, link) above the
// rendered body in a viewport, in a column at most render.MaxWidth cells
// wide, centred on wide terminals. Loading and rendering happen in a Cmd
// (the list's copy of the article shows meanwhile); a rendering is kept
// for its width and done again only when the column's width changes.
type Reader struct {
	sh *shared
	vp viewport.Model

	article feeds.Article
	doc     render.Doc // sanitised, rendered for docW
	docW    int
	seq     int // bumps on every open; results of older opens are dropped
	loading bool
	err     error

	width, height int
}

// NewReader builds an empty reader.
func NewReader(sh *shared) *Reader {
	km := sh.keys
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{Up: km.ScrollUp, Down: km.ScrollDown, PageUp: km.PageUp, PageDown: km.PageDown}
	vp.MouseWheelEnabled = true
	return &Reader{sh: sh, vp: vp}
}

// column is the text column: its width and the margin left of it.
func (r *Reader) column() (w, left int) { return render.Column(r.width) }

// Article is the article shown.
func (r *Reader) Article() feeds.Article { return r.article }

// open shows a (sanitised) article at once, and loads its full text and
// rendering in a Cmd whose answer carries the new sequence number.
func (r *Reader) open(a feeds.Article) tea.Cmd {
	r.seq++
	r.article, r.doc, r.docW, r.loading, r.err = a, render.Doc{}, 0, true, nil
	r.fit()
	r.vp.SetContent(r.placeholder())
	r.vp.GotoTop()
	return r.load(a)
}

// load fetches the full article and renders it for the column. The list's
// copy stands in when the store cannot give the article.
func (r *Reader) load(fallback feeds.Article) tea.Cmd {
	st, seq, styles := r.sh.io.opt.Articles, r.seq, r.sh.styles.Article
	w, _ := r.column()
	r.docW = w
	return r.sh.io.store(func(ctx context.Context) tea.Msg {
		a := fallback
		var err error
		if st != nil {
			if full, ferr := st.Article(ctx, fallback.ID); ferr == nil {
				// The list's read state and star are the newest: its
				// writes may not be stored yet.
				full.Read, full.Starred = fallback.Read, fallback.Starred
				a = sanitizeArticle(full)
			} else {
				err = ferr
			}
		}
		msg := articleMsg{seq: seq, article: a, width: w, doc: renderArticle(a, w, styles)}
		if err != nil && a.Content == "" && a.Summary == "" && a.Body == "" {
			msg.err = err
		}
		return msg
	})
}

// renderArticle renders the body: the sanitised HTML, else (articles
// stored before bodies were kept as HTML) the text, else the summary.
func renderArticle(a feeds.Article, width int, st *render.Styles) render.Doc {
	if d, ok := renderFullText(a, width, st); ok {
		return d // the article's own page (readerfull.go)
	}
	switch {
	case strings.TrimSpace(a.Body) != "":
		return render.HTML(a.Body, width, st)
	case strings.TrimSpace(a.Content) != "":
		return render.Plain(a.Content, width, st)
	}
	return render.Plain(a.Summary, width, st)
}

// rerender renders the body again when the column's width changed.
func (r *Reader) rerender() tea.Cmd {
	w, _ := r.column()
	if r.loading || r.article.ID == "" || r.docW == w {
		return nil
	}
	a, seq, styles := r.article, r.seq, r.sh.styles.Article
	r.docW = w // one render per width
	return func() tea.Msg {
		return renderedMsg{seq: seq, id: a.ID, width: w, doc: renderArticle(a, w, styles)}
	}
}

// setDoc shows a rendering, keeping the scroll position.
func (r *Reader) setDoc(d render.Doc, w int) {
	off := r.vp.YOffset()
	r.doc, r.docW = d, w
	r.vp.SetContent(r.body())
	r.vp.SetYOffset(off)
}

// body is the rendering in the column.
func (r *Reader) body() string {
	_, left := r.column()
	if left == 0 {
		return r.doc.String()
	}
	pad := strings.Repeat(" ", left)
	lines := make([]string, len(r.doc.Lines))
	for i, l := range r.doc.Lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

func (r *Reader) placeholder() string {
	s := r.article.Summary
	if s == "" {
		s = "Loading…"
	}
	w, left := r.column()
	pad := strings.Repeat(" ", left)
	return pad + strings.ReplaceAll(ansi.Wrap(s, max(1, w), ""), "\n", "\n"+pad)
}

// header is the title (wrapped, up to three lines), the feed, date and
// author, the link and a rule, in the column.
func (r *Reader) header() []string {
	a := r.article
	st := r.sh.styles
	w, left := r.column()
	pad := strings.Repeat(" ", max(1, left))
	meta := a.FeedName
	switch {
	case a.NoDate:
		meta = join(meta, "date unknown")
	case !a.Published.IsZero():
		meta = join(meta, a.Published.Local().Format("2 January 2006 15:04"))
	}
	if a.Author != "" {
		meta = join(meta, a.Author)
	}
	if a.Starred {
		meta = join(meta, "★ starred")
	}
	if !a.Read {
		meta = join(meta, "unread")
	}
	meta = fullTextMeta(meta, a)
	link := redact(a.Link)
	if link == "" {
		link = "(no link)"
	}
	tw := max(1, w-1)
	titleLines := strings.Split(ansi.Wrap(a.Title, tw, ""), "\n")
	if len(titleLines) > 3 {
		titleLines = titleLines[:3]
		titleLines[2] = truncate(titleLines[2]+" …", tw, "…")
	}
	var h []string
	for _, l := range titleLines {
		h = append(h, pad+st.ReaderTitle.Render(l))
	}
	if r.height < 6 {
		return h[:1]
	}
	return append(h,
		pad+st.ReaderMeta.Render(truncate(meta, tw, "…")),
		pad+st.ReaderLink.Render(truncate(link, tw, "…")),
		strings.Repeat(" ", left)+st.ReaderRule.Render(strings.Repeat("─", max(0, min(r.width, w+1)))),
	)
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " · " + b
}

// fit gives the viewport the rows the header leaves.
func (r *Reader) fit() {
	r.vp.SetWidth(r.width)
	r.vp.SetHeight(max(0, r.height-len(r.header())))
}

// SetSize sets the pane size; the next Update renders again for a new width.
func (r *Reader) SetSize(w, h int) {
	r.width, r.height = w, h
	r.fit()
	if r.docW == 0 || len(r.doc.Lines) == 0 {
		r.vp.SetContent(r.placeholder())
	} else {
		r.vp.SetContent(r.body())
	}
}

// Update handles the reader's keys and its loads.
func (r *Reader) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case openArticleMsg:
		return r, r.open(msg.article)
	case articleMsg:
		if msg.seq != r.seq {
			return r, nil
		}
		r.loading = false
		if msg.err != nil {
			r.err = msg.err
			return r, nil
		}
		r.article = msg.article
		r.fit()
		r.setDoc(msg.doc, msg.width)
		return r, r.rerender()
	case renderedMsg:
		if msg.seq == r.seq && msg.id == r.article.ID {
			r.setDoc(msg.doc, msg.width)
		}
		return r, nil
	case fullTextMsg:
		return r, r.fullTextDone(msg)
	case readStateMsg:
		if msg.id == r.article.ID {
			r.article.Read, r.article.Starred = msg.read, msg.starred
		}
		return r, nil
	case tea.WindowSizeMsg:
		return r, r.rerender()
	case tea.KeyPressMsg:
		if cmd, ok := r.key(msg); ok {
			return r, cmd
		}
	}
	var cmd tea.Cmd
	r.vp, cmd = r.vp.Update(msg)
	return r, cmd
}

// key handles the reader's own keys; scrolling falls to the viewport.
func (r *Reader) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, io := r.sh.keys, r.sh.io
	switch {
	case key.Matches(msg, k.Back):
		return io.post(closeMsg{}), true
	case key.Matches(msg, k.OpenLink):
		return io.openLink(r.article.Link), true
	case key.Matches(msg, k.NextArticle):
		return io.post(stepMsg{delta: +1}), true
	case key.Matches(msg, k.PrevArticle):
		return io.post(stepMsg{delta: -1}), true
	case key.Matches(msg, k.NextUnread):
		return io.post(stepMsg{delta: +1, unread: true}), true
	case key.Matches(msg, k.PrevUnread):
		return io.post(stepMsg{delta: -1, unread: true}), true
	case key.Matches(msg, k.ToggleRead):
		return io.post(toggleMsg{id: r.article.ID, read: true, cur: &r.article}), true
	case key.Matches(msg, k.Star):
		return io.post(toggleMsg{id: r.article.ID, star: true, cur: &r.article}), true
	case key.Matches(msg, k.FullText):
		return r.fetchFullText(), true
	case key.Matches(msg, k.Save), key.Matches(msg, k.Pipe):
		return r.export(key.Matches(msg, k.Save)), true
	case key.Matches(msg, k.Links):
		return io.post(showLinksMsg{title: r.article.Title, links: r.doc.Links}), true
	case key.Matches(msg, k.Top):
		r.vp.GotoTop()
		return nil, true
	case key.Matches(msg, k.Bottom):
		r.vp.GotoBottom()
		return nil, true
	}
	return nil, false
}

// View renders the reader in exactly the pane.
func (r *Reader) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	lines := r.header()
	if r.err != nil {
		lines = append(lines, r.sh.styles.Error.Render(" cannot load: "+sanitize(r.err.Error(), false)))
	}
	if r.vp.Height() > 0 {
		lines = append(lines, strings.Split(r.vp.View(), "\n")...)
	}
	return fitLines(lines, r.width, r.height)
}

// ShortHelp / FullHelp make the reader a help.KeyMap.
func (r *Reader) ShortHelp() []key.Binding {
	k := r.sh.keys
	return []key.Binding{k.PageDown, k.NextUnread, k.NextArticle, k.Links, k.OpenLink, k.Back}
}
func (r *Reader) FullHelp() [][]key.Binding { return r.sh.keys.FullHelp() }

// restyle renders the article again in the new styles (the header is drawn
// from them each frame).
func (r *Reader) restyle() tea.Cmd {
	r.docW = 0
	return r.rerender()
}
