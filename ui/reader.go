package ui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/ui/render"
)

// Reader shows one article: a header (title, feed, date, link, and how far
// through the article the screen is) above the body, in a column at most
// render.MaxWidth cells wide, centred on wide terminals. The header shrinks
// on short terminals (one title line and a rule naming the feed) so the
// text keeps the rows. The body is laid out lazily (render.Lazy): an open
// lays out what fills the screen and a screen more, in a Cmd (the list's
// copy of the article shows meanwhile), and scrolling lays out more as it
// goes; a width change lays it out again, in a Cmd, for the new width.
type Reader struct {
	sh *shared

	article feeds.Article
	doc     *render.Lazy // sanitised, laid out for docW; nil while loading
	docW    int
	off     int // the first body line on screen
	seq     int // bumps on every open; results of older opens are dropped
	loading bool
	laying  bool // the whole body is being laid out (for G or u)
	err     error

	width, height int
}

// NewReader builds an empty reader.
func NewReader(sh *shared) *Reader { return &Reader{sh: sh} }

// column is the text column: its width and the margin left of it.
func (r *Reader) column() (w, left int) { return render.Column(r.width) }

// Article is the article shown.
func (r *Reader) Article() feeds.Article { return r.article }

// open shows a (sanitised) article at once, and loads its full text and
// rendering in a Cmd whose answer carries the new sequence number.
func (r *Reader) open(a feeds.Article) tea.Cmd {
	r.seq++
	r.article, r.doc, r.docW, r.off, r.loading, r.laying, r.err = a, nil, 0, 0, true, false, nil
	return r.load(a)
}

// load fetches the full article and lays out its first screens for the
// column. The list's copy stands in when the store cannot give the article.
func (r *Reader) load(fallback feeds.Article) tea.Cmd {
	st, seq, styles := r.sh.io.opt.Articles, r.seq, r.sh.styles.Article
	w, _ := r.column()
	need := r.want(0)
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
		msg := articleMsg{seq: seq, article: a, width: w, doc: layArticle(a, w, styles, need)}
		if err != nil && a.Content == "" && a.Summary == "" && a.Body == "" {
			msg.err = err
		}
		return msg
	})
}

// layArticle lays out the body, lines enough for need: the text of the
// article's page when it was read, else the sanitised HTML, else (articles
// stored before bodies were kept as HTML) the text, else the summary.
func layArticle(a feeds.Article, width int, st *render.Styles, need int) *render.Lazy {
	var z *render.Lazy
	switch {
	case a.FullText.Extracted():
		z = layFullText(a, width, st) // the article's own page (readerfull.go)
	case strings.TrimSpace(a.Body) != "":
		z = render.LazyHTML(a.Body, width, st)
	case strings.TrimSpace(a.Content) != "":
		z = render.LazyPlain(a.Content, width, st)
	default:
		z = render.LazyPlain(a.Summary, width, st)
	}
	z.Ensure(need)
	return z
}

// want is how many lines must be laid out to show the body from line off:
// the screen and a screen more.
func (r *Reader) want(off int) int { return off + 2*max(1, r.height) }

// rerender lays the body out again when the column's width changed.
func (r *Reader) rerender() tea.Cmd {
	w, _ := r.column()
	if r.loading || r.article.ID == "" || r.docW == w {
		return nil
	}
	a, seq, styles, need := r.article, r.seq, r.sh.styles.Article, r.want(r.off)
	r.docW = w // one layout per width
	return func() tea.Msg {
		return renderedMsg{seq: seq, id: a.ID, width: w, doc: layArticle(a, w, styles, need)}
	}
}

// setDoc shows a layout, keeping the scroll position.
func (r *Reader) setDoc(d *render.Lazy, w int) {
	r.doc, r.docW = d, w
	r.scroll(0)
}

// rows is the body's height: the pane less the header and an error line.
func (r *Reader) rows() int {
	n := r.height - r.headerRows()
	if r.err != nil {
		n--
	}
	return max(0, n)
}

// scroll moves the body by delta lines, laying out what comes into view,
// and keeps it within the article.
func (r *Reader) scroll(delta int) {
	if r.doc == nil {
		r.off = 0
		return
	}
	r.off = max(0, r.off+delta)
	r.doc.Ensure(r.want(r.off))
	if n := len(r.doc.Lines()); r.doc.Done() || r.off > n {
		r.off = max(0, min(r.off, n-r.rows()))
	}
}

// bottom shows the end of the body (laid out whole).
func (r *Reader) bottom() {
	if r.doc == nil {
		return
	}
	r.doc.Doc()
	r.off = max(0, len(r.doc.Lines())-r.rows())
}

// layAll lays the whole body out in a Cmd (a big article takes a while),
// then does then; the position says "…" meanwhile.
func (r *Reader) layAll(then afterLayout) tea.Cmd {
	if r.laying {
		return nil
	}
	r.laying = true
	a, seq, styles, w := r.article, r.seq, r.sh.styles.Article, r.docW
	return func() tea.Msg {
		z := layArticle(a, w, styles, 0)
		z.Doc()
		return renderedMsg{seq: seq, id: a.ID, width: w, doc: z, then: then}
	}
}

// showLinks opens the links pane on the article's links, numbered through
// the whole article as its text numbers them.
func (r *Reader) showLinks() tea.Cmd {
	var links []render.Link
	if r.doc != nil {
		links = r.doc.Doc().Links
	}
	return r.sh.io.post(showLinksMsg{title: r.article.Title, links: links, enclosures: r.article.Enclosures})
}

// bodyLines is the body on screen, n lines from off, in the column.
func (r *Reader) bodyLines(n int) []string {
	_, left := r.column()
	pad := strings.Repeat(" ", left)
	if r.doc == nil {
		return strings.Split(r.placeholder(), "\n")
	}
	lines := r.doc.Lines()
	from := min(r.off, len(lines))
	out := make([]string, 0, n)
	for _, l := range lines[from:min(len(lines), from+n)] {
		out = append(out, pad+l)
	}
	return out
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

// position is how far through the article the screen is, as newsboat
// says it: All (it fits), Top, Bot or the percentage of the article above
// the screen's last line (estimated from the bytes laid out until the whole
// is).
func (r *Reader) position() string {
	if r.doc == nil {
		return ""
	}
	if r.laying {
		return "…"
	}
	rows, total := r.rows(), r.doc.Estimate()
	switch {
	case r.doc.Done() && total <= rows:
		return "All"
	case r.off == 0:
		return "Top"
	case r.doc.Done() && r.off+rows >= total:
		return "Bot"
	}
	return strconv.Itoa(max(1, min(99, (r.off+rows)*100/max(1, total)))) + "%"
}

// Header sizes: from fullHeader rows the whole header; from smallHeader a
// title line and a rule naming the feed; below it the title line alone.
const (
	fullHeader  = 14
	smallHeader = 6
)

// headerRows is how many rows the header takes.
func (r *Reader) headerRows() int {
	switch {
	case r.height < smallHeader:
		return 1
	case r.height < fullHeader:
		return 2
	}
	return min(3, len(r.titleLines())) + 3
}

// titleLines is the title wrapped to the column.
func (r *Reader) titleLines() []string {
	w, _ := r.column()
	return strings.Split(ansi.Wrap(r.article.Title, max(1, w-1), ""), "\n")
}

// header is the title (wrapped, up to three lines), the feed, date and
// author, the link and a rule ending in the position, in the column; on
// short panes the title's first line and a rule holding the feed and
// position, or the title line alone, the position at its end.
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
	link := sanitize.Redact(a.Link)
	if link == "" {
		link = "(no link)"
	}
	tw := max(1, w-1)
	pos := r.position()
	ruleW := max(0, min(r.width, w+1))
	rulePad := strings.Repeat(" ", left)
	if r.height < smallHeader {
		title := truncate(a.Title, max(1, tw-ansi.StringWidth(pos)-1), "…")
		return []string{pad + st.ReaderTitle.Render(title) + " " + st.ReaderMeta.Render(pos)}
	}
	if r.height < fullHeader {
		return []string{
			pad + st.ReaderTitle.Render(truncate(a.Title, tw, "…")),
			rulePad + r.rule(meta, pos, ruleW),
		}
	}
	titleLines := r.titleLines()
	if len(titleLines) > 3 {
		titleLines = titleLines[:3]
		titleLines[2] = truncate(titleLines[2]+" …", tw, "…")
	}
	var h []string
	for _, l := range titleLines {
		h = append(h, pad+st.ReaderTitle.Render(l))
	}
	return append(h,
		pad+st.ReaderMeta.Render(truncate(meta, tw, "…")),
		pad+st.ReaderLink.Render(truncate(link, tw, "…")),
		rulePad+r.rule("", pos, ruleW),
	)
}

// rule is a rule n cells wide holding label at its start (cut to fit) and
// pos near its end: "─ label ───── 42% ─".
func (r *Reader) rule(label, pos string, n int) string {
	st := r.sh.styles
	var right string
	if pos != "" {
		right = " " + pos + " ─"
	}
	if ansi.StringWidth(right) > n {
		right = ""
	}
	room := n - ansi.StringWidth(right)
	var b strings.Builder
	used := 0
	if label != "" && room >= 6 {
		l := truncate(label, room-4, "…")
		b.WriteString(st.ReaderRule.Render("─ "))
		b.WriteString(st.ReaderMeta.Render(l))
		b.WriteString(" ")
		used = 3 + ansi.StringWidth(l)
	}
	b.WriteString(st.ReaderRule.Render(strings.Repeat("─", max(0, room-used))))
	if right != "" {
		b.WriteString(st.ReaderMeta.Render(" " + pos))
		b.WriteString(st.ReaderRule.Render(" ─"))
	}
	return b.String()
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " · " + b
}

// SetSize sets the pane size; the next Update lays out again for a new
// width.
func (r *Reader) SetSize(w, h int) {
	r.width, r.height = w, h
	r.scroll(0)
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
		r.setDoc(msg.doc, msg.width)
		return r, r.rerender()
	case renderedMsg:
		w, _ := r.column()
		if msg.seq != r.seq || msg.id != r.article.ID || msg.width != w {
			if msg.seq == r.seq && msg.then != thenNothing {
				r.laying = false // for a width since changed: G or u again
			}
			return r, nil // an older article, or width
		}
		r.setDoc(msg.doc, msg.width)
		switch msg.then {
		case thenBottom:
			r.laying = false
			r.bottom()
		case thenLinks:
			r.laying = false
			return r, r.showLinks()
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
		cmd, _ := r.key(msg)
		return r, cmd
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			r.scroll(wheelLines)
		case tea.MouseWheelUp:
			r.scroll(-wheelLines)
		}
	}
	return r, nil
}

// wheelLines is how far a turn of the mouse wheel scrolls.
const wheelLines = 3

// key handles the reader's keys.
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
		if r.doc != nil && !r.doc.Done() {
			return r.layAll(thenLinks), true
		}
		return r.showLinks(), true
	case key.Matches(msg, k.Top):
		r.off = 0
	case key.Matches(msg, k.Bottom):
		if r.doc != nil && !r.doc.Done() {
			return r.layAll(thenBottom), true
		}
		r.bottom()
	case key.Matches(msg, k.ScrollDown):
		r.scroll(1)
	case key.Matches(msg, k.ScrollUp):
		r.scroll(-1)
	case key.Matches(msg, k.PageDown):
		r.scroll(max(1, r.rows()))
	case key.Matches(msg, k.PageUp):
		r.scroll(-max(1, r.rows()))
	default:
		return nil, false
	}
	return nil, true
}

// View renders the reader in exactly the pane.
func (r *Reader) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	lines := r.header()
	if r.err != nil {
		lines = append(lines, r.sh.styles.Error.Render(" cannot load: "+sanitize.Text(r.err.Error(), false)))
	}
	if n := r.rows(); n > 0 {
		lines = append(lines, r.bodyLines(n)...)
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
