package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/paginator"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// itemLines is the height of one headline card: title, meta, two summary
// lines; cards are one blank line apart. A compact headline is one line.
const itemLines = 4

// listItem is an article laid out for the current width (plain text; styles
// are applied in View).
type listItem struct {
	title   string   // cards: the title; compact: title and meta on one line
	meta    string   // cards only
	summary []string // cards only
}

// touch invalidates the cached view.
func (l *List) touch() { l.rev++ }

// pageSize is how many headlines a page holds: what fits the pane, at most
// the configured page_size. A page larger than the screen would hide its
// last headlines, and the next page would start after them.
func (l *List) pageSize() int {
	if l.fixedSize > 0 {
		return min(l.fixedSize, l.perPage())
	}
	return l.perPage()
}

// perPage is how many headlines fit the pane in the current mode.
func (l *List) perPage() int {
	avail := max(1, l.height-2) // the count line and the pager
	if l.compact {
		return avail
	}
	return max(1, (avail+1)/(itemLines+1))
}

// starW is the cells a star takes before a starred headline's title ("★ "):
// the star has its own place, so the mark before it still says unread.
const starW = 2

// titleRoom is the cells a's title may take where a headline's line has w.
func titleRoom(a feeds.Article, w int) int {
	if a.Starred {
		w -= starW
	}
	return max(1, w)
}

// layout lays the page out for the width (also on the minute clock, for
// the relative times).
func (l *List) layout() {
	l.touch()
	l.items = l.items[:0]
	cw := max(1, l.width-2)
	now := l.sh.now()
	for _, a := range l.page.Items {
		it := listItem{}
		meta := articleMeta(a, now)
		if l.compact {
			l.items = append(l.items, it)
			continue
		}
		it.title = truncate(a.Title, titleRoom(a, cw-2), "…")
		it.meta = truncate("  "+meta, cw, "…")
		sw := max(1, cw-2)
		wrapped := strings.Split(ansi.Wrap(a.Summary, sw, ""), "\n")
		if len(wrapped) > 2 {
			wrapped = wrapped[:2]
			wrapped[1] = truncate(strings.TrimRight(wrapped[1], " ")+" …", sw, "…")
		}
		for i := range wrapped {
			wrapped[i] = "  " + truncate(wrapped[i], sw, "…")
		}
		it.summary = wrapped
		l.items = append(l.items, it)
	}
	if l.compact {
		l.layoutCompact(cw, now)
	}
	l.pager.TotalPages = max(1, l.page.Pages)
	l.pager.Page = max(0, l.page.Page-1)
}

// layoutCompact lays out one line a headline: "● Title  Feed · 3h ago".
// The feed and age are a column of at most a third of the width; a feed
// name too long for it is abbreviated as a reader would ("The Times of
// Central Asia" → "Times"), with the age in short ("3h"), rather than cut
// to a letter. The titles take what the column leaves, and the column
// follows the longest title on the page, so that short titles on a wide
// terminal leave no field of blanks before it.
func (l *List) layoutCompact(cw int, now time.Time) {
	rights := make([]string, len(l.page.Items))
	metaW := 0
	budget := max(0, cw/3)
	var names []string
	for _, a := range l.page.Items {
		if !slices.Contains(names, a.FeedName) {
			names = append(names, a.FeedName)
		}
	}
	for i, a := range l.page.Items {
		rights[i] = compactMeta(a, now, budget, names)
		metaW = max(metaW, ansi.StringWidth(rights[i]))
	}
	room := cw - 2 - metaW - 2
	if room < 8 {
		room, metaW = cw-2, 0
	}
	longest := 0
	for _, a := range l.page.Items {
		longest = max(longest, ansi.StringWidth(a.Title)+(room-titleRoom(a, room)))
	}
	room = min(room, max(1, longest))
	for i, a := range l.page.Items {
		r := titleRoom(a, room)
		title := clip(a.Title, r)
		l.items[i].title = title + strings.Repeat(" ", max(0, r-ansi.StringWidth(title)))
		if metaW > 0 {
			l.items[i].meta = rights[i]
		}
	}
}

// compactMeta is "Feed · 3h ago" in at most w cells: whole when it fits,
// else the feed's name abbreviated beside the short age ("Times · 3h"),
// else the age alone. others are the page's other feeds' names: an
// abbreviation they share ("Sample" of "Sample: Steppe Wire" and "Sample:
// Silk Road") is passed over for one that tells the feeds apart.
func compactMeta(a feeds.Article, now time.Time, w int, others []string) string {
	full := articleMeta(a, now)
	if ansi.StringWidth(full) <= w {
		return full
	}
	ago := when(a, now)
	if ago == "" {
		return abbreviate(a.FeedName, w, others)
	}
	ago = shortAge(ago)
	room := w - ansi.StringWidth(" · "+ago)
	if name := abbreviate(a.FeedName, room, others); name != "" {
		return name + " · " + ago
	}
	return clip(ago, w)
}

// shortAge is an age without "ago" and a date without its year.
func shortAge(s string) string {
	switch {
	case s == "just now":
		return "now"
	case strings.HasSuffix(s, " ago"):
		return strings.TrimSuffix(s, " ago")
	}
	if t, err := time.Parse("2 Jan 2006", s); err == nil {
		return t.Format("2 Jan")
	}
	return s
}

// abbreviate fits a feed's name in w cells the way a reader would shorten
// it (see shortNames), preferring a form no other feed of others shares;
// "" when not even three cells are left.
func abbreviate(name string, w int, others []string) string {
	if ansi.StringWidth(name) <= w {
		return name
	}
	if w < 3 {
		return ""
	}
	cands := shortNames(name, w)
	for _, c := range cands {
		shared := false
		for _, o := range others {
			if o != name && slices.Contains(shortNames(o, w), c) {
				shared = true
				break
			}
		}
		if !shared {
			return c
		}
	}
	return cands[0]
}

// shortNames are the shorter forms of a name that fit w cells, best first:
// without a leading "The", its first word ("Times", "Kun.uz"), the part
// after a colon and its first word ("Steppe Wire", "Steppe"), the initials
// of its capitalised words ("TCA"), and last the name cut with an
// ellipsis.
func shortNames(name string, w int) []string {
	var out []string
	add := func(c string) {
		c = strings.TrimSpace(strings.TrimRight(c, ":,;-–— "))
		if n := ansi.StringWidth(c); n >= 2 && n <= w && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	rest := strings.TrimPrefix(name, "The ")
	add(rest)
	words := strings.Fields(rest)
	if len(words) > 1 && ansi.StringWidth(strings.TrimRight(words[0], ":,;")) >= 3 {
		add(words[0])
	}
	if _, after, ok := strings.Cut(rest, ": "); ok {
		add(after)
		if f := strings.Fields(after); len(f) > 0 {
			add(f[0])
		}
	}
	if len(words) > 1 {
		var initials strings.Builder
		for _, word := range words {
			r, _ := utf8.DecodeRuneInString(word)
			if unicode.IsUpper(r) || unicode.IsDigit(r) {
				initials.WriteRune(r)
			}
		}
		add(initials.String())
	}
	return append(out, clip(rest, w))
}

// countLine is "Viewing results 1 - 6 of 433" or its search form, for the
// headlines from..to (1-based within the page) that are on screen.
func (l *List) countLine(from, to int) string {
	p := l.page
	if !l.loaded {
		return "Loading…"
	}
	label := l.viewLabel()
	if p.Total == 0 || len(p.Items) == 0 {
		switch {
		case p.Query != "":
			return label + fmt.Sprintf("Search %q: no results", p.Query)
		case label != "":
			return label + "nothing here (esc: every feed; a: unread only on/off)"
		case l.hint != "":
			return "No articles yet: " + l.hint
		}
		return "No articles yet"
	}
	size := p.Size
	if size <= 0 {
		size = len(p.Items)
	}
	first := (p.Page-1)*size + from
	last := (p.Page-1)*size + to
	if p.Query != "" {
		return label + fmt.Sprintf("Search %q: results %d - %d of %d", p.Query, first, last, p.Total)
	}
	return label + fmt.Sprintf("Viewing results %d - %d of %d", first, last, p.Total)
}

func (l *List) pagerView() string {
	if l.loaded && l.page.Total == 0 { // "no results" says it all
		return ""
	}
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

// itemLines draws headline i: the selection bar, the mark and title, then
// (cards) the meta and summary lines.
func (l *List) itemLines(i int) []string {
	st := l.sh.styles
	a, it := l.page.Items[i], l.items[i]
	selected := i == l.sel
	bar := "  "
	if selected {
		bar = st.Selected.Render("▌ ")
	}
	tst := st.Title
	switch {
	case selected:
		tst = st.SelTitle
	case a.Highlight:
		tst = st.TitleHigh
	case a.Read:
		tst = st.TitleRead
	}
	// The mark says unread (●); a star has a place of its own after it.
	first := bar + "  "
	if !a.Read {
		first = bar + st.Unread.Render("●") + " "
	}
	if a.Starred {
		first += st.Star.Render("★") + " "
	}
	first += tst.Render(it.title)
	if l.compact {
		if it.meta != "" {
			first += "  " + st.Meta.Render(it.meta)
		}
		return []string{first}
	}
	lines := []string{first, bar + st.Meta.Render(it.meta)}
	for _, s := range it.summary {
		lines = append(lines, bar+st.Summary.Render(s))
	}
	for range 2 - len(it.summary) {
		lines = append(lines, bar)
	}
	return lines
}

func (l *List) render() string {
	st := l.sh.styles
	showPager := l.height >= 4
	body := l.height - 1
	if showPager {
		body--
	}
	// All item lines, then a window that keeps the selection visible.
	var lines []string
	owner := l.hits[:0] // the headline each line belongs to, -1 for gaps
	selStart, selEnd := 0, 0
	for i := range l.items {
		if i > 0 && !l.compact {
			lines = append(lines, "")
			owner = append(owner, -1)
		}
		if i == l.sel {
			selStart = len(lines)
		}
		for _, ln := range l.itemLines(i) {
			lines = append(lines, ln)
			owner = append(owner, i)
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
	end := min(len(lines), top+body)
	l.hits, l.top = owner, top
	// The count line names the headlines whose first line is on screen.
	from, to := 0, 0
	for y := top; y < end; y++ {
		if i := owner[y]; i >= 0 {
			if from == 0 {
				from = i + 1
			}
			to = i + 1
		}
	}
	var head string
	if l.search.Focused() {
		head = l.search.View()
	} else {
		head = st.Count.Render(l.countLine(max(1, from), max(1, to)) + l.countExtra())
		if l.err != nil {
			head += st.Error.Render("  " + sanitize.Text(l.err.Error(), false))
		}
	}
	out := make([]string, 0, l.height)
	out = append(out, " "+head)
	out = append(out, lines[top:end]...)
	for len(out) < 1+body {
		out = append(out, "")
	}
	if showPager {
		out = append(out, l.pagerView())
	}
	for i := range out {
		out[i] = truncate(out[i], l.width, "…")
	}
	return strings.Join(out, "\n")
}

// at is the headline drawn at line y of the pane, or -1.
func (l *List) at(y int) int {
	l.View()           // the lines as they are on screen (cached)
	i := y - 1 + l.top // the count line is line 0
	if y < 1 || i < 0 || i >= len(l.hits) {
		return -1
	}
	return l.hits[i]
}
