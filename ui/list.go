package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/feeds"
)

// itemLines is the height of one headline: title, meta, two summary lines.
const itemLines = 4

// listItem is an article laid out for the current width (plain text; styles
// are applied in View).
type listItem struct {
	title   string
	meta    string
	summary []string
}

// List is the headline pane: the count line (or the search input), the page
// of headlines and the paginator.
type List struct {
	styles *Styles
	now    func() time.Time

	page   feeds.Page
	items  []listItem
	sel    int
	loaded bool
	err    error
	hint   string // why the list is empty, from the sources' state

	input     input
	searching bool // the input has focus

	pager  paginator.Model
	width  int
	height int

	// View is cached: rev bumps on every change, the cache holds the view
	// of cachedRev.
	rev, cachedRev int
	cached         string
}

// touch invalidates the cached view.
func (l *List) touch() { l.rev++ }

// NewList builds an empty list.
func NewList(st *Styles, now func() time.Time) *List {
	in := newInput("Search: ", "words in titles and text", st.SearchText, st.Muted, 200)
	p := paginator.New()
	p.ActiveDot = st.PagerDot.Render("•")
	p.InactiveDot = st.Pager.Render("·")
	return &List{styles: st, now: now, input: in, pager: p}
}

// SetSize sets the pane size (count line + headlines + paginator).
func (l *List) SetSize(w, h int) {
	l.width, l.height = w, h
	l.input.width = w - 1
	l.layout()
}

// FitSize is how many headlines fit the pane.
func (l *List) FitSize() int {
	avail := l.height - 2
	return max(1, (avail+1)/(itemLines+1))
}

// SetPage shows a loaded (sanitised) page; keepID stays selected when it is
// on the page, otherwise selIdx (-1 = last) is used.
func (l *List) SetPage(p feeds.Page, keepID string, selIdx int) {
	l.page = p
	l.loaded = true
	l.err = nil
	l.sel = -1
	if keepID != "" {
		for i, a := range p.Items {
			if a.ID == keepID {
				l.sel = i
				break
			}
		}
	}
	if l.sel < 0 {
		l.sel = selIdx
		if selIdx < 0 {
			l.sel = len(p.Items) - 1
		}
	}
	l.sel = max(0, min(l.sel, len(p.Items)-1))
	l.layout()
}

// SetError records a failed load; the old page stays.
func (l *List) SetError(err error) { l.err = err; l.touch() }

// Page is the page on screen.
func (l *List) Page() feeds.Page { return l.page }

// Query is the active search, "" for the plain list.
func (l *List) Query() string { return l.page.Query }

// Index is the selection within the page.
func (l *List) Index() int { return l.sel }

// Selected is the selected article.
func (l *List) Selected() (feeds.Article, bool) {
	if l.sel < 0 || l.sel >= len(l.page.Items) {
		return feeds.Article{}, false
	}
	return l.page.Items[l.sel], true
}

// SelectedID is the selected article's id or "".
func (l *List) SelectedID() string {
	a, _ := l.Selected()
	return a.ID
}

// Move moves the selection by d within the page; it reports whether the move
// left the page (the caller loads the neighbour page).
func (l *List) Move(d int) (leftPage bool) {
	n := l.sel + d
	if n < 0 || n >= len(l.page.Items) {
		return true
	}
	l.sel = n
	l.touch()
	return false
}

// Select selects index i on the page.
func (l *List) Select(i int) {
	if i >= 0 && i < len(l.page.Items) {
		l.sel = i
		l.touch()
	}
}

// MarkRead marks an article read in place.
func (l *List) MarkRead(id string) {
	for i := range l.page.Items {
		if l.page.Items[i].ID == id {
			l.page.Items[i].Read = true
		}
	}
	l.touch()
}

// Searching reports whether the search input has focus.
func (l *List) Searching() bool { return l.searching }

// StartSearch focuses the input.
func (l *List) StartSearch() tea.Cmd {
	l.searching = true
	l.touch()
	l.input.SetValue(l.page.Query)
	l.input.Focus()
	return nil
}

// StopSearch blurs the input and returns its value.
func (l *List) StopSearch() string {
	l.searching = false
	l.touch()
	l.input.Blur()
	return strings.TrimSpace(sanitize(l.input.Value(), false))
}

// UpdateInput feeds a message to the search input.
func (l *List) UpdateInput(msg tea.Msg) tea.Cmd {
	l.input.Update(msg)
	l.touch()
	return nil
}

// Refresh recomputes relative times (called on the minute clock).
func (l *List) Refresh() { l.layout() }

func (l *List) layout() {
	l.touch()
	l.items = l.items[:0]
	cw := max(1, l.width-2)
	now := l.now()
	for _, a := range l.page.Items {
		it := listItem{}
		mark := "  "
		if !a.Read {
			mark = "● "
		}
		it.title = ansi.Truncate(mark+a.Title, cw, "…")
		meta := a.FeedName
		if !a.Published.IsZero() {
			if meta != "" {
				meta += " · "
			}
			meta += age(now, a.Published)
		}
		it.meta = ansi.Truncate("  "+meta, cw, "…")
		sw := max(1, cw-2)
		wrapped := strings.Split(ansi.Wrap(a.Summary, sw, ""), "\n")
		if len(wrapped) > 2 {
			wrapped = wrapped[:2]
			wrapped[1] = ansi.Truncate(strings.TrimRight(wrapped[1], " ")+" …", sw, "…")
		}
		for i := range wrapped {
			wrapped[i] = "  " + ansi.Truncate(wrapped[i], sw, "…")
		}
		it.summary = wrapped
		l.items = append(l.items, it)
	}
	l.pager.TotalPages = max(1, l.page.Pages)
	l.pager.Page = max(0, l.page.Page-1)
}

// SetEmptyHint sets what an empty list says about why it is empty.
func (l *List) SetEmptyHint(h string) {
	if h != l.hint {
		l.hint = h
		l.touch()
	}
}

// countLine is "Viewing results 1 - 6 of 433" or its search form.
func (l *List) countLine() string {
	p := l.page
	if !l.loaded {
		return "Loading…"
	}
	if p.Total == 0 || len(p.Items) == 0 {
		if p.Query != "" {
			return fmt.Sprintf("Search %q: no results", p.Query)
		}
		if l.hint != "" {
			return "No articles yet: " + l.hint
		}
		return "No articles yet"
	}
	size := p.Size
	if size <= 0 {
		size = len(p.Items)
	}
	from := (p.Page-1)*size + 1
	to := from + len(p.Items) - 1
	if p.Query != "" {
		return fmt.Sprintf("Search %q: results %d - %d of %d", p.Query, from, to, p.Total)
	}
	return fmt.Sprintf("Viewing results %d - %d of %d", from, to, p.Total)
}

func (l *List) pagerView() string {
	pages := max(1, l.page.Pages)
	if pages > 1 && pages*2 <= min(40, l.width) {
		l.pager.Type = paginator.Dots
		return " " + l.pager.View()
	}
	return l.styles.Pager.Render(" page " + strconv.Itoa(max(1, l.page.Page)) + "/" + strconv.Itoa(pages))
}

// View renders the pane in at most height lines, each at most width cells.
func (l *List) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	if l.cachedRev == l.rev && l.cached != "" {
		return l.cached
	}
	l.cached, l.cachedRev = l.render(), l.rev
	return l.cached
}

func (l *List) render() string {
	st := l.styles
	out := make([]string, 0, l.height)
	var head string
	if l.searching {
		head = l.input.View()
	} else {
		head = st.Count.Render(l.countLine())
		if l.err != nil {
			head += st.Error.Render("  " + sanitize(l.err.Error(), false))
		}
	}
	out = append(out, " "+head)
	showPager := l.height >= 4
	body := l.height - 1
	if showPager {
		body--
	}
	// All item lines, then a window that keeps the selection visible.
	var lines []string
	selStart, selEnd := 0, 0
	for i, it := range l.items {
		if i > 0 {
			lines = append(lines, "")
		}
		if i == l.sel {
			selStart = len(lines)
		}
		selected := i == l.sel
		bar := "  "
		if selected {
			bar = st.Selected.Render("▌ ")
		}
		tst := st.Title
		switch {
		case selected:
			tst = st.SelTitle
		case l.page.Items[i].Read:
			tst = st.TitleRead
		}
		title := tst.Render(it.title)
		if !l.page.Items[i].Read {
			// colour the unread mark
			title = st.Unread.Render("●") + tst.Render(strings.TrimPrefix(it.title, "●"))
		}
		lines = append(lines, bar+title, bar+st.Meta.Render(it.meta))
		for _, s := range it.summary {
			lines = append(lines, bar+st.Summary.Render(s))
		}
		for range 2 - len(it.summary) {
			lines = append(lines, bar)
		}
		if i == l.sel {
			selEnd = len(lines)
		}
	}
	// Scroll only as far as the selection needs: as many headlines above it
	// as fit, so the top of the page (where new articles arrive) stays in
	// view while the selection does.
	top := 0
	if len(lines) > body {
		top = max(0, min(selEnd-body, selStart))
	}
	for i := top; i < len(lines) && len(out) < 1+body; i++ {
		out = append(out, lines[i])
	}
	for len(out) < 1+body {
		out = append(out, "")
	}
	if showPager {
		out = append(out, l.pagerView())
	}
	for i := range out {
		out[i] = ansi.Truncate(out[i], l.width, "…")
	}
	return strings.Join(out, "\n")
}

// age is a short relative time: "just now", "3m ago", "3h ago", "2d ago",
// then the date.
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	}
	return t.Format("2 Jan 2006")
}
