package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/feeds"
)

func (f *fixture) where() (page int, id string) {
	return f.m.list.Page().Page, f.m.list.SelectedID()
}

func (f *fixture) expect(page int, id string) {
	f.t.Helper()
	p, got := f.where()
	if p != page || got != id {
		f.t.Fatalf("at page %d %q, want page %d %q", p, got, page, id)
	}
}

func TestPagingKeys(t *testing.T) {
	f := newFixture(t, 80, 24) // fits 3 per page: 14 pages of 40
	f.expect(1, "a000")
	if f.m.list.Page().Pages != 14 {
		t.Fatalf("pages = %d", f.m.list.Page().Pages)
	}
	f.keys("l")
	f.expect(2, "a003")
	f.keys("right", "pgdown")
	f.expect(4, "a009")
	f.keys("h")
	f.expect(3, "a006")
	f.keys("pgup", "left")
	f.expect(1, "a000")
	f.keys("left") // stays
	f.expect(1, "a000")
	f.keys("G")
	f.expect(14, "a039")
	f.keys("l") // stays on the last page
	f.expect(14, "a039")
	f.keys("g")
	f.expect(1, "a000")
	f.keys("j", "j")
	f.expect(1, "a002")
	f.keys("j") // crosses into page 2
	f.expect(2, "a003")
	f.keys("k") // back to the last item of page 1
	f.expect(1, "a002")
	f.keys("up", "down")
	f.expect(1, "a002")
	if !strings.Contains(ansi.Strip(f.m.View()), "Viewing results 1 - 3 of 40") {
		t.Fatal("count line missing")
	}
}

func TestFixedPageSize(t *testing.T) {
	f := newFixture(t, 120, 40, func(o *Options, _ *fakeStore) { o.PageSize = 6 })
	if got := f.m.list.Page().Size; got != 6 {
		t.Fatalf("size %d", got)
	}
	if !strings.Contains(ansi.Strip(f.m.View()), "Viewing results 1 - 6 of 40") {
		t.Fatal(ansi.Strip(f.m.View()))
	}
	// a tiny terminal keeps the page size and scrolls the selection into view
	f.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	f.keys("j", "j", "j", "j", "j")
	f.expect(1, "a005")
	if !strings.Contains(ansi.Strip(f.m.View()), "Kyrgyz") {
		t.Fatalf("selected item not visible:\n%s", ansi.Strip(f.m.View()))
	}
}

// refreshing adds n new articles at the top.
func withNewArticles(n *int) fixOpt {
	made := 0
	return func(o *Options, st *fakeStore) {
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			if fd.ID != 1 || *n == 0 {
				return feeds.Result{Feed: fd}
			}
			var add []feeds.Article
			for range *n {
				id := "new" + string(rune('A'+made))
				made++
				add = append([]feeds.Article{{ID: id, FeedName: "Times of CA", Title: "Breaking " + id, Published: testNow}}, add...)
			}
			st.prepend(add...)
			res := feeds.Result{Feed: fd, New: *n}
			*n = 0
			return res
		}
	}
}

func TestSelectionKeptAcrossRefresh(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n))
	f.keys("j", "j")
	f.expect(1, "a002")
	n = 2
	f.keys("r")
	// a002 is now the 5th article: page 2, second item
	f.expect(2, "a002")
	if f.m.list.Index() != 1 {
		t.Fatalf("index %d", f.m.list.Index())
	}
	if !strings.Contains(ansi.Strip(f.m.View()), "of 42") {
		t.Fatal("total not updated")
	}
	// one more new article with the selection staying on its page
	f.keys("g")
	f.expect(1, "newB")
	n = 1
	f.keys("r")
	f.expect(1, "newB")
	if f.m.list.Index() != 1 {
		t.Fatalf("index %d", f.m.list.Index())
	}
}

func TestReaderDoesNotJumpOnRefresh(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n))
	f.keys("enter")
	f.send(tea.KeyMsg{Type: tea.KeyDown})
	off := f.m.reader.vp.YOffset
	n = 3
	f.keys("r")
	if f.m.mode != modeReader || f.m.reader.Article().ID != "a000" || f.m.reader.vp.YOffset != off {
		t.Fatalf("reader moved: mode %v id %s", f.m.mode, f.m.reader.Article().ID)
	}
	f.keys("esc")
	f.expect(2, "a000")
}

func TestOpenLinkRefusesNonHTTP(t *testing.T) {
	bad := []string{"javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "-x", "--new-window=evil", "JaVaScRiPt:alert(1)", "https://a.example/\x1b]52;c;eA==\x07", "mailto:a@b.c", "http:/nohost", ""}
	for _, link := range bad {
		f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) { st.articles[0].Link = link })
		f.keys("o")
		f.keys("enter", "o")
		if len(f.opened) != 0 {
			t.Errorf("%q: opened %v", link, f.opened)
		}
	}
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) { st.articles[0].Link = "https://timesca.com/news/1?a=b" })
	f.keys("o")
	if !slices.Equal(f.opened, []string{"https://timesca.com/news/1?a=b"}) {
		t.Fatalf("opened %v", f.opened)
	}
	f.keys("enter", "o") // from the reader too
	if len(f.opened) != 2 {
		t.Fatalf("opened %v", f.opened)
	}
}

func TestInvertFlipsTicker(t *testing.T) {
	f := newFixture(t, 200, 24)
	line := func() string { return ansi.Strip(strings.Split(f.m.View(), "\n")[0]) }
	if l := line(); !strings.Contains(l, "KGS/USD = 0.01144 ▲0.12%") || !strings.Contains(l, "UZS/USD = 0.00007869 ⌛") {
		t.Fatalf("ticker: %q", l)
	}
	f.keys("i")
	if l := line(); !strings.Contains(l, "USD/KGS = 87.41 ▼0.12%") || !strings.Contains(l, "USD/UZS = 12,707.57") || strings.Contains(l, "KGS/USD") {
		t.Fatalf("inverted ticker: %q", l)
	}
	f.keys("i")
	if l := line(); !strings.Contains(l, "KGS/USD") {
		t.Fatalf("ticker: %q", l)
	}
}

func TestTickerLoop(t *testing.T) {
	f := newFixture(t, 80, 24)
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d tick loops", n)
	}
	before := f.m.ticker.View()
	f.fire(isTick)
	if f.m.ticker.View() == before || f.pending(isTick) != 1 {
		t.Fatal("a tick did not scroll or did not re-arm")
	}
	// pause: the in-flight tick dies
	f.keys("space")
	frozen := f.m.ticker.View()
	f.fire(isTick)
	if f.pending(isTick) != 0 || f.m.ticker.View() != frozen {
		t.Fatal("ticks continue while paused")
	}
	// resume, pause, resume quickly: still one loop
	f.keys("space", "space", "space")
	if f.m.ticker.Paused() {
		t.Fatal("paused")
	}
	for range 3 {
		f.fire(isTick)
	}
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d loops after resume", n)
	}
	// resizing does not start a second loop
	f.send(tea.WindowSizeMsg{Width: 90, Height: 24})
	f.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if n := f.pending(isTick); n != 1 {
		t.Fatalf("%d loops after resize", n)
	}
	// wide enough for the whole strip: no ticks at all
	f.send(tea.WindowSizeMsg{Width: 200, Height: 30})
	f.fire(isTick)
	if n := f.pending(isTick); n != 0 {
		t.Fatalf("%d ticks with nothing to scroll", n)
	}
}

func TestStaleTickDropped(t *testing.T) {
	f := newFixture(t, 80, 24)
	old := f.m.ticker.version
	f.keys("space", "space") // new loop, new version
	before := f.m.ticker.View()
	_, cmd := f.m.Update(tickerTickMsg{version: old})
	if cmd != nil || f.m.ticker.View() != before {
		t.Fatal("stale tick was honoured")
	}
	_, cmd = f.m.Update(tickerTickMsg{version: f.m.ticker.version})
	if cmd == nil || f.m.ticker.View() == before {
		t.Fatal("current tick was dropped")
	}
}

func TestNoQuotesNoTicks(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) {
		o.Quotes = nil
		o.RefreshRates = nil
	})
	if n := f.pending(isTick); n != 0 {
		t.Fatalf("%d ticks without quotes", n)
	}
}

func TestReaderAcrossPages(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("j", "enter")
	if f.m.mode != modeReader || f.m.reader.Article().ID != "a001" {
		t.Fatal("reader not open on a001")
	}
	if !strings.Contains(ansi.Strip(f.m.View()), "first point") {
		t.Fatalf("body not rendered:\n%s", ansi.Strip(f.m.View()))
	}
	f.keys("n")
	if f.m.reader.Article().ID != "a002" {
		t.Fatalf("n: %s", f.m.reader.Article().ID)
	}
	f.keys("n") // crosses to page 2
	if f.m.reader.Article().ID != "a003" || f.m.list.Page().Page != 2 {
		t.Fatalf("n across: %s page %d", f.m.reader.Article().ID, f.m.list.Page().Page)
	}
	f.keys("p") // back to page 1
	if f.m.reader.Article().ID != "a002" || f.m.list.Page().Page != 1 {
		t.Fatalf("p across: %s page %d", f.m.reader.Article().ID, f.m.list.Page().Page)
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
	if got := strings.Split(ansi.Strip(f.m.View()), "\n")[8]; strings.Contains(got, "●") {
		t.Fatalf("read article still marked unread: %q", got)
	}
	// first article: p stays
	f.keys("g", "enter", "p")
	if f.m.reader.Article().ID != "a000" {
		t.Fatal("p before the first article moved")
	}
}

func TestReaderScrollAndResize(t *testing.T) {
	f := newFixture(t, 40, 12, func(_ *Options, st *fakeStore) {
		st.articles[0].Content = strings.Repeat("A long paragraph of text that wraps. ", 60)
	})
	f.keys("enter")
	f.keys("pgdown")
	if f.m.reader.vp.YOffset == 0 {
		t.Fatal("pgdown did not scroll")
	}
	f.keys("pgup")
	if f.m.reader.vp.YOffset != 0 {
		t.Fatal("pgup did not scroll back")
	}
	f.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if f.m.reader.renderW != 100 {
		t.Fatalf("not re-rendered for 100: %d", f.m.reader.renderW)
	}
	checkFits(t, f.m.View(), 100, 30)
}

func TestSearch(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.keys("j", "/")
	f.typeText("воды")
	f.keys("backspace", "enter")
	if !slices.Equal(f.store.searches, []string{"вод"}) {
		t.Fatalf("searches %v", f.store.searches)
	}
	out := ansi.Strip(f.m.View())
	if !strings.Contains(out, `Search "вод": results 1 - 3 of 4`) || !strings.Contains(out, "Таджикистан") {
		t.Fatalf("search view:\n%s", out)
	}
	f.keys("esc")
	if f.m.list.Query() != "" {
		t.Fatal("esc did not clear")
	}
	f.expect(3, "a006") // the selected hit, shown in the full list
	// esc while typing cancels and runs nothing
	f.keys("/")
	f.typeText("xyz")
	f.keys("esc")
	if len(f.store.searches) != 1 || f.m.list.Capturing() {
		t.Fatalf("searches %v", f.store.searches)
	}
	// keys typed into the search are not commands
	f.keys("/")
	f.typeText("q r i")
	if f.quit || f.m.sh.board.invert {
		t.Fatal("typing ran commands")
	}
	f.keys("enter")
	if f.m.list.Query() != "q r i" {
		t.Fatalf("query %q", f.m.list.Query())
	}
	if !strings.Contains(ansi.Strip(f.m.View()), `Search "q r i": no results`) {
		t.Fatal(ansi.Strip(f.m.View()))
	}
}

func TestRefreshLoops(t *testing.T) {
	f := newFixture(t, 80, 24)
	if len(f.feedRuns) != 0 || f.rateRuns != 1 {
		t.Fatalf("at start: feeds %v rates %d", f.feedRuns, f.rateRuns)
	}
	if n := f.pending(isDue); n != 4 {
		t.Fatalf("%d timers, want 3 feeds + rates", n)
	}
	f.keys("r")
	if len(f.feedRuns) != 3 || f.rateRuns != 2 {
		t.Fatalf("after r: feeds %v rates %d", f.feedRuns, f.rateRuns)
	}
	f.fire(isDue) // 4 old timers die, 4 new ones fetch
	if len(f.feedRuns) != 6 || f.rateRuns != 3 {
		t.Fatalf("after timers: feeds %v rates %d", f.feedRuns, f.rateRuns)
	}
	if n := f.pending(isDue); n != 4 {
		t.Fatalf("%d timers, want one per source", n)
	}
	// the 24.kg error is gone after its successful refresh
	if strings.Contains(ansi.Strip(f.m.View()), "no such host") {
		t.Fatal("old error still shown")
	}
}

func TestFeedErrorShown(t *testing.T) {
	f := newFixture(t, 120, 30, func(o *Options, _ *fakeStore) {
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			return feeds.Result{Feed: fd, Err: context.DeadlineExceeded}
		}
	})
	f.keys("r")
	out := ansi.Strip(f.m.View())
	if !strings.Contains(out, "Times of CA ✗ timeout") {
		t.Fatalf("status:\n%s", out)
	}
	f.keys("e")
	if !strings.Contains(ansi.Strip(f.m.View()), "Kun.uz — error") {
		t.Fatal("errors pane")
	}
	f.keys("e")
	if f.m.mode != modeList {
		t.Fatal("e did not close")
	}
}

func TestOffline(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.Offline = true })
	f.keys("r")
	f.fire(isDue)
	if len(f.feedRuns) != 0 || f.rateRuns != 0 || f.pending(isDue) != 0 {
		t.Fatalf("offline fetched: %v %d", f.feedRuns, f.rateRuns)
	}
	out := ansi.Strip(f.m.View())
	if !strings.Contains(out, "offline") || !strings.Contains(out, "Viewing results 1 - 3 of 40") || !strings.Contains(out, "KGS/USD") {
		t.Fatalf("offline view:\n%s", out)
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		f := newFixture(t, 80, 24)
		f.keys(k)
		if !f.quit {
			t.Fatalf("%s did not quit", k)
		}
	}
	f := newFixture(t, 80, 24)
	f.keys("/", "ctrl+c")
	if !f.quit {
		t.Fatal("ctrl+c in search did not quit")
	}
}

func TestStoreErrorShown(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.store.pageErr = context.DeadlineExceeded
	f.keys("l")
	if !strings.Contains(ansi.Strip(f.m.View()), "context deadline exceeded") {
		t.Fatal("page error not shown")
	}
	f.expect(1, "a000")
}

const hostile = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[31mRED\x9b31m\xc2\x9b6n\x1bP+q\x1b\\\u202eevil\x07\x00\x08\r"

func TestHostileTextNeverPrinted(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, st *fakeStore) {
		for i := range 4 {
			a := &st.articles[i]
			a.Title = "Title" + hostile + "end"
			a.Summary = "Sum" + hostile
			a.FeedName = "Feed" + hostile
			a.Content = "# Head\n\n[click](https://x.example/\x1b]8;;http://evil\x07) " + hostile + "\n\n\x1b]8;;https://evil/\x1b\\link\x1b]8;;\x1b\\"
			a.Author = hostile
		}
		st.feeds[1].LastError = "boom" + hostile
		st.feeds[0].Name = "Times" + hostile
		o.Credits = []string{"Rates" + hostile}
	})
	check := func(where string) {
		t.Helper()
		out := f.m.View()
		for _, bad := range []string{"\x1b", "\x07", "\x9b", "\u009b", "\u009d", "\u202e", "\x00", "\x08", "\r"} {
			if strings.Contains(out, bad) {
				t.Fatalf("%s: %q in output:\n%q", where, bad, out)
			}
		}
		checkFits(t, out, 100, 30)
	}
	check("list")
	f.keys("enter")
	check("reader")
	f.keys("esc", "e")
	check("errors")
	f.keys("e", "?")
	check("help")
	f.keys("esc", "/")
	f.typeText("Title")
	f.keys("enter")
	check("search")
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"a\x1b[31mb\x1b[0mc":       "abc",
		"x\x1b]52;c;AAAA\x07y":     "xy",
		"x\x1b]8;;http://e\x1b\\y": "xy",
		"x\x9b2Jy":                 "xy",
		"x\u009b2Jy":               "xy",
		"line\nnext\ttab":          "line next tab",
		"Токаев 中亚 🚄":              "Токаев 中亚 🚄",
		"\u202eabc\u202c":          "abc",
		"trail\x1b":                "trail",
		"x\x1bPq#0;2;0;0;0\x1b\\y": "xy",
	}
	for in, want := range cases {
		if got := sanitize(in, false); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitizeRendered("\x1b[1;38;5;3mB\x1b[0m\x1b]8;;u\x07L\x1b]8;;\x07\x1b[2J\n"); got != "\x1b[1;38;5;3mB\x1b[0mL\n" {
		t.Errorf("rendered: %q", got)
	}
	if got := sanitizeRendered("\x1b[?25l\x1b[>4mx"); got != "x" {
		t.Errorf("private CSI kept: %q", got)
	}
}

func TestSafeURL(t *testing.T) {
	for _, ok := range []string{"https://a.example/x?y=1#z", "http://a.example", "HTTPS://A.EXAMPLE/"} {
		if _, err := safeURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "data:,x", "-x", "ftp://a/b", "https://u:p@a/", "https://a b/", "//a.example/x", "https:opaque"} {
		if _, err := safeURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
