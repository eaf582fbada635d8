package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/paginator"
	"github.com/charmbracelet/x/ansi"
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

// touch invalidates the cached view.
func (l *List) touch() { l.rev++ }

// layout lays the page out for the width (also on the minute clock, for
// the relative times).
func (l *List) layout() {
	l.touch()
	l.items = l.items[:0]
	cw := max(1, l.width-2)
	now := l.sh.now()
	for _, a := range l.page.Items {
		it := listItem{}
		mark := "  "
		if !a.Read {
			mark = "● "
		}
		it.title = ansi.Truncate(mark+a.Title, cw, "…")
		it.meta = ansi.Truncate("  "+articleMeta(a, now), cw, "…")
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
	return l.sh.styles.Pager.Render(" page " + strconv.Itoa(max(1, l.page.Page)) + "/" + strconv.Itoa(pages))
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
	st := l.sh.styles
	out := make([]string, 0, l.height)
	var head string
	if l.search.Focused() {
		head = l.search.View()
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
