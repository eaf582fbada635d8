package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
)

func TestReaderDoesNotJumpOnRefresh(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n))
	f.keys("enter")
	f.send(keyMsg("down"))
	off := f.m.reader.off
	n = 3
	f.keys("r")
	if f.m.mode != modeReader || f.m.reader.Article().ID != "a000" || f.m.reader.off != off {
		t.Fatalf("reader moved: mode %v id %s", f.m.mode, f.m.reader.Article().ID)
	}
	f.keys("esc")
	f.expect(1, "a000")
}

func TestReaderAcrossPages(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("j", "enter")
	if f.m.mode != modeReader || f.m.reader.Article().ID != "a001" {
		t.Fatal("reader not open on a001")
	}
	if !strings.Contains(ansi.Strip(f.view()), "first point") {
		t.Fatalf("body not rendered:\n%s", ansi.Strip(f.view()))
	}
	f.keys("J")
	if f.m.reader.Article().ID != "a002" {
		t.Fatalf("J: %s", f.m.reader.Article().ID)
	}
	f.keys("J") // crosses to page 2
	if f.m.reader.Article().ID != "a003" || f.m.list.Page().Page != 2 {
		t.Fatalf("J across: %s page %d", f.m.reader.Article().ID, f.m.list.Page().Page)
	}
	f.keys("K") // back to page 1
	if f.m.reader.Article().ID != "a002" || f.m.list.Page().Page != 1 {
		t.Fatalf("K across: %s page %d", f.m.reader.Article().ID, f.m.list.Page().Page)
	}
	f.keys("esc")
	if f.m.mode != modeList {
		t.Fatal("esc did not return")
	}
	f.expect(1, "a002")
	// everything opened is read, in the store and on screen
	if !slices.Equal(f.store.marked, []string{"a001", "a002", "a003", "a002"}) {
		t.Fatalf("marked %v", f.store.marked)
	}
	for _, a := range f.m.list.Page().Items[1:3] {
		if !a.Read {
			t.Fatalf("%s not read", a.ID)
		}
	}
	if got := strings.Split(ansi.Strip(f.view()), "\n")[8]; strings.Contains(got, "●") {
		t.Fatalf("read article still marked unread: %q", got)
	}
	// first article: K stays
	f.keys("g", "enter", "K")
	if f.m.reader.Article().ID != "a000" {
		t.Fatal("K before the first article moved")
	}
}

func TestReaderScrollAndResize(t *testing.T) {
	f := newFixture(t, 40, 12, func(_ *Options, st *fakeStore) {
		st.articles[0].Content = strings.Repeat("A long paragraph of text that wraps. ", 60)
	})
	f.keys("enter")
	f.keys("pgdown")
	if f.m.reader.off == 0 {
		t.Fatal("pgdown did not scroll")
	}
	f.keys("pgup")
	if f.m.reader.off != 0 {
		t.Fatal("pgup did not scroll back")
	}
	f.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if f.m.reader.docW != 98 {
		t.Fatalf("not re-rendered for a 98-cell column: %d", f.m.reader.docW)
	}
	checkFits(t, f.view(), 100, 30)
	// On a wide terminal the text column stays about 100 cells wide and is
	// centred.
	f.send(tea.WindowSizeMsg{Width: 200, Height: 30})
	if f.m.reader.docW != 100 {
		t.Fatalf("column %d at 200", f.m.reader.docW)
	}
	for _, l := range strings.Split(ansi.Strip(f.view()), "\n")[8:12] {
		if strings.TrimSpace(l) != "" && (!strings.HasPrefix(l, strings.Repeat(" ", 50)) || ansi.StringWidth(strings.TrimRight(l, " ")) > 150) {
			t.Fatalf("not a centred column: %q", l)
		}
	}
}

func TestReaderWrapsALongTitle(t *testing.T) {
	long := "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan agree a five-year plan for water, energy and transit corridors across the region"
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) { st.articles[0].Title = long })
	f.keys("enter")
	out := f.view()
	checkFits(t, out, 80, 24)
	got := ansi.Strip(out)
	if !strings.Contains(got, "corridors across the region") {
		t.Errorf("the end of a long title is lost in the reader:\n%s", got)
	}
	if !strings.Contains(got, "https://example.org/news/000") {
		t.Errorf("the link is pushed off the reader by a long title:\n%s", got)
	}
}

// `u` lists the article's links, numbered as the text numbers them; typing
// a number opens that link through the same opener as `o`, and javascript:
// links are never listed.
func TestReaderLinks(t *testing.T) {
	f := newFixture(t, 100, 30, func(_ *Options, st *fakeStore) {
		st.articles[0].Body = `<p>See <a href="https://a.example/one">one</a>, <a href="javascript:alert(1)">bad</a>,
<a href="https://bob:pw@b.example/two">two</a> and <a href="https://a.example/one">one again</a>.</p>`
	})
	f.keys("enter")
	if !strings.Contains(ansi.Strip(f.view()), "See one [1], bad, two [2] and one again [1].") {
		t.Fatalf("reader:\n%s", ansi.Strip(f.view()))
	}
	f.keys("u")
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "[1] one  https://a.example/one") || !strings.Contains(out, "[2] two  https://***@b.example/two") || strings.Contains(out, "javascript") {
		t.Fatalf("links pane:\n%s", out)
	}
	if !strings.Contains(out, "enter open") || strings.Contains(out, "enter search") {
		t.Errorf("the links pane's hint does not say what enter does:\n%s", out)
	}
	f.keys("2")
	if len(f.opened) != 1 || f.opened[0] != "https://bob:pw@b.example/two" {
		// the opener refuses URLs with credentials: nothing opened, said so
		if len(f.opened) != 0 || !strings.Contains(ansi.Strip(f.view()), "user name or password") {
			t.Fatalf("opened %v", f.opened)
		}
	}
	f.keys("1")
	if len(f.opened) != 1 || f.opened[0] != "https://a.example/one" {
		t.Fatalf("opened %v", f.opened)
	}
	f.keys("esc")
	if f.m.mode != modeReader {
		t.Fatalf("esc from the links went to mode %v", f.m.mode)
	}
}

// At 40x12 the header is a title line and a rule naming the feed, so the
// text keeps at least six rows; the rule says how far through the article
// the screen is: Top, a percentage, Bot (All when it fits).
func TestReaderPositionSmallTerminal(t *testing.T) {
	f := newFixture(t, 40, 12, func(_ *Options, st *fakeStore) {
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "<p>Paragraph %d of the article.</p>", i+1)
		}
		st.articles[0].Body = b.String()
	})
	f.keys("enter")
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	// ticker, date, title, rule, then the text until the status and hint lines
	if !strings.HasPrefix(lines[2], " Navigating Energy and Diplomacy") || !strings.HasSuffix(lines[2], "…") {
		t.Fatalf("title line %q", lines[2])
	}
	if !strings.HasPrefix(lines[3], " ─ The Times of Central Asia") || !strings.HasSuffix(lines[3], " Top ─") {
		t.Fatalf("rule %q", lines[3])
	}
	text := 0
	for _, l := range lines[4 : len(lines)-2] {
		if strings.Contains(l, "Paragraph") || strings.TrimSpace(l) == "" {
			text++
		}
	}
	if text < 6 || !strings.Contains(lines[4], "Paragraph 1 of") {
		t.Fatalf("%d rows of text at 40x12:\n%s", text, strings.Join(lines, "\n"))
	}
	f.keys("pgdown")
	rule := strings.Split(ansi.Strip(f.view()), "\n")[3]
	if !regexp.MustCompile(` [1-9][0-9]?% ─$`).MatchString(rule) {
		t.Fatalf("after pgdown the rule is %q", rule)
	}
	f.keys("G")
	out := strings.Split(ansi.Strip(f.view()), "\n")
	if !strings.HasSuffix(out[3], " Bot ─") || !strings.Contains(strings.Join(out, "\n"), "Paragraph 40 of") {
		t.Fatalf("after G:\n%s", strings.Join(out, "\n"))
	}
	f.keys("g")
	if !strings.HasSuffix(strings.Split(ansi.Strip(f.view()), "\n")[3], " Top ─") {
		t.Fatal("g does not say Top")
	}
}

// At 80x24 the whole header shows (title, byline, link) and the rule ends
// in the position.
func TestReaderPositionFullHeader(t *testing.T) {
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) {
		st.articles[0].Content = strings.Repeat("A long paragraph of text that wraps. ", 200)
	})
	f.keys("enter")
	out := ansi.Strip(f.view())
	for _, want := range []string{"The Times of Central Asia · ", "https://example.org/news/000", "── Top ─"} {
		if !strings.Contains(out, want) {
			t.Fatalf("no %q:\n%s", want, out)
		}
	}
	f.keys("space")
	if !regexp.MustCompile(`─ [1-9][0-9]?% ─`).MatchString(ansi.Strip(f.view())) {
		t.Fatalf("no percentage after space:\n%s", ansi.Strip(f.view()))
	}
	// a short article fits: All
	f.keys("J")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "── All ─") || !strings.Contains(out, "second point") {
		t.Fatalf("short article:\n%s", out)
	}
}

// A big article is laid out only as far as it is read: opening it lays out
// a few screens, scrolling more, G all of it; the links pane numbers the
// links of the whole article as the text does.
func TestReaderLaysOutLazily(t *testing.T) {
	body := bigBody(t, 4<<20)
	f := newFixture(t, 100, 30, func(_ *Options, st *fakeStore) { st.articles[0].Body = body })
	f.keys("enter")
	r := f.m.reader
	if r.doc == nil || r.doc.Done() || len(r.doc.Lines()) > 2000 {
		t.Fatalf("open laid out %d lines (done %v)", len(r.doc.Lines()), r.doc.Done())
	}
	first := len(r.doc.Lines())
	for range 50 {
		f.keys("pgdown")
	}
	if n := len(r.doc.Lines()); n <= first || r.doc.Done() || r.off < 50*20 {
		t.Fatalf("after 50 pages: %d lines (first %d), offset %d", n, first, r.off)
	}
	if !strings.Contains(ansi.Strip(f.view()), "%") {
		t.Fatal("no position")
	}
	f.keys("G")
	if !r.doc.Done() || r.off != len(r.doc.Lines())-r.rows() {
		t.Fatalf("G: done %v, offset %d of %d", r.doc.Done(), r.off, len(r.doc.Lines()))
	}
	f.keys("u")
	lp := f.m.panes[modeLinks].Component.(*LinksPane)
	if n := len(lp.links); n < 3 {
		t.Fatalf("%d links", n)
	}
}

// G on an article not yet laid out whole lays it out in a Cmd and says so
// ("…") until it is done; a resize meanwhile drops the layout, not the
// reader.
func TestReaderBottomInACmd(t *testing.T) {
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) {
		st.articles[0].Body = bigBody(t, 1<<20)
	})
	f.keys("enter")
	r := f.m.reader
	_, cmd := r.Update(keyMsg("G"))
	if cmd == nil || r.doc.Done() || !strings.Contains(ansi.Strip(f.view()), "─ … ─") {
		t.Fatalf("G laid out in Update (done %v) or says nothing:\n%s", r.doc.Done(), ansi.Strip(f.view()))
	}
	if again, _ := r.Update(keyMsg("G")); again != r {
		t.Fatal("reader replaced")
	}
	f.run(cmd)
	if !r.doc.Done() || r.laying || r.off != len(r.doc.Lines())-r.rows() || !strings.Contains(ansi.Strip(f.view()), "─ Bot ─") {
		t.Fatalf("after the layout: done %v laying %v off %d of %d", r.doc.Done(), r.laying, r.off, len(r.doc.Lines()))
	}
	// a layout for a width since changed is dropped, and G works again
	f.keys("g")
	f.send(tea.WindowSizeMsg{Width: 60, Height: 24})
	r.doc = layArticle(r.article, r.docW, f.m.sh.styles.Article, 10)
	_, cmd = r.Update(keyMsg("G"))
	f.send(tea.WindowSizeMsg{Width: 70, Height: 24})
	f.run(cmd)
	if r.laying {
		t.Fatal("a dropped layout left the reader waiting")
	}
}

// The mouse wheel scrolls the reader.
func TestReaderWheel(t *testing.T) {
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) {
		st.articles[0].Content = strings.Repeat("A long paragraph of text that wraps. ", 200)
	})
	f.keys("enter")
	f.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown, Y: 10})
	if f.m.reader.off != wheelLines {
		t.Fatalf("wheel down: offset %d", f.m.reader.off)
	}
	f.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp, Y: 10})
	f.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp, Y: 10})
	if f.m.reader.off != 0 {
		t.Fatalf("wheel up: offset %d", f.m.reader.off)
	}
}
