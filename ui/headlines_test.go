package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
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
	if !strings.Contains(ansi.Strip(f.view()), "Viewing results 1 - 3 of 40") {
		t.Fatal("count line missing")
	}
}

func TestFixedPageSize(t *testing.T) {
	f := newFixture(t, 120, 40, func(o *Options, _ *fakeStore) { o.PageSize = 6 })
	if got := f.m.list.Page().Size; got != 6 {
		t.Fatalf("size %d", got)
	}
	if !strings.Contains(ansi.Strip(f.view()), "Viewing results 1 - 6 of 40") {
		t.Fatal(ansi.Strip(f.view()))
	}
	// A terminal too small for six holds what fits, around the selection:
	// a page never hides headlines that the next page then skips.
	f.keys("j", "j", "j", "j", "j")
	f.expect(1, "a005")
	f.send(tea.WindowSizeMsg{Width: 80, Height: 20})
	size := f.m.list.Page().Size
	if size >= 6 || size < 1 {
		t.Fatalf("size %d at 80x20", size)
	}
	f.expect(5/size+1, "a005")
	got := ansi.Strip(f.view())
	from := (5/size)*size + 1
	if !strings.Contains(got, fmt.Sprintf("Viewing results %d - %d of 40", from, from+size-1)) || !strings.Contains(got, f.m.list.Page().Items[5%size].Title) {
		t.Fatalf("at 80x20:\n%s", got)
	}
	f.keys("l")
	if got := ansi.Strip(f.view()); !strings.Contains(got, fmt.Sprintf("Viewing results %d - %d of 40", from+size, from+2*size-1)) {
		t.Fatalf("the next page does not start right after the one on screen:\n%s", got)
	}
	// Room again: six a page.
	f.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := f.m.list.Page().Size; got != 6 {
		t.Fatalf("size %d back at 120x40", got)
	}
}

// Arrivals never move the list: once the user has moved, new articles stay
// out of the pages, the count line says how many arrived, and g shows them.
func TestArrivalsNeverMoveTheList(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n))
	f.keys("j", "j")
	f.expect(1, "a002")
	n = 2
	f.keys("r")
	f.expect(1, "a002")
	if f.m.list.Index() != 2 {
		t.Fatalf("index %d", f.m.list.Index())
	}
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "Viewing results 1 - 3 of 40 · 30 unread · 2 new") {
		t.Fatalf("count line:\n%s", out)
	}
	// paging stays in the pinned view: page 2 starts where page 1 ended
	f.keys("l")
	f.expect(2, "a003")
	f.keys("g")
	f.expect(1, "newB")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "of 42 · 32 unread") || strings.Contains(out, "unread · ") {
		t.Fatalf("after g:\n%s", out)
	}
	n = 1
	f.keys("r")
	f.expect(1, "newB")
	if f.m.list.Index() != 0 || !strings.Contains(ansi.Strip(f.view()), "· 1 new") {
		t.Fatalf("index %d:\n%s", f.m.list.Index(), ansi.Strip(f.view()))
	}
}

// A fresh start selects the newest headline and keeps it selected while
// the first refresh brings feeds in, in whatever order they answer.
func TestFreshStartFollowsTheFirstRefresh(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n), func(_ *Options, st *fakeStore) {
		for i := range st.feeds {
			st.feeds[i].LastFetch = time.Time{} // never fetched: all due now
		}
	})
	f.expect(1, "a000")
	n = 2
	f.fire(isDue)
	f.expect(1, "newB")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "of 42") || strings.Contains(out, "unread · ") {
		t.Fatalf("after the first round:\n%s", out)
	}
	// The round is over: the next arrivals are announced.
	n = 1
	f.keys("r")
	f.expect(1, "newB")
	if !strings.Contains(ansi.Strip(f.view()), "· 1 new") {
		t.Fatalf("second round:\n%s", ansi.Strip(f.view()))
	}
}

func TestStoreErrorShown(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.store.pageErr = context.DeadlineExceeded
	f.keys("l")
	if !strings.Contains(ansi.Strip(f.view()), "context deadline exceeded") {
		t.Fatal("page error not shown")
	}
	f.expect(1, "a000")
}

func TestEmptyListSaysWhy(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, st *fakeStore) {
		st.articles = nil
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			return feeds.Result{Feed: fd, Err: errors.New("host not found: " + fd.Name)}
		}
	})
	f.fire(isDue)
	got := ansi.Strip(f.view())
	if !strings.Contains(got, "No articles yet: no feed could be fetched") {
		t.Errorf("every feed failed, but the empty list does not say so:\n%s", got)
	}
	off := newFixture(t, 80, 24, func(o *Options, st *fakeStore) {
		st.articles = nil
		o.Offline = true
	})
	if got := ansi.Strip(off.view()); !strings.Contains(got, "No articles yet: offline") {
		t.Errorf("offline and empty:\n%s", got)
	}
}

// An empty list has nothing to keep still: what arrives after the first
// round (a feed that failed and then answered, a sync) shows at once.
func TestArrivalsFillAnEmptyList(t *testing.T) {
	n := 0
	f := newFixture(t, 80, 24, withNewArticles(&n), func(_ *Options, st *fakeStore) {
		st.articles = nil
	})
	f.fire(isDue)
	if got := ansi.Strip(f.view()); !strings.Contains(got, "No articles yet") {
		t.Fatalf("before:\n%s", got)
	}
	n = 2
	f.keys("r")
	f.expect(1, "newB")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "Breaking newA") || strings.Contains(got, "No articles yet") {
		t.Fatalf("the arrivals do not show in the empty list:\n%s", got)
	}
}

// `v` shows one line a headline (mark, title, feed, age) and fits the page
// to the terminal in both modes; the count line names what is on screen.
func TestCompactMode(t *testing.T) {
	f := newFixture(t, 100, 30)
	cards := f.m.list.Page().Size
	f.keys("j", "j", "v")
	out := ansi.Strip(f.view())
	size := f.m.list.Page().Size
	if size <= cards || size != 30-4-2 {
		t.Fatalf("compact page size %d (cards %d):\n%s", size, cards, out)
	}
	f.expect(1, "a002")
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[2], fmt.Sprintf("Viewing results 1 - %d of 40", size)) {
		t.Fatalf("count line %q", lines[2])
	}
	// the selected headline: bar, mark, title and its feed on one line
	if !strings.Contains(lines[5], "▌ ● 中亚峰会") || !strings.Contains(lines[5], "Xinhua Central Asia · 2h ago") {
		t.Fatalf("compact line %q", lines[5])
	}
	checkFits(t, f.view(), 100, 30)
	f.keys("v")
	if f.m.list.Page().Size != cards {
		t.Fatalf("back to cards: size %d", f.m.list.Page().Size)
	}
	f.expect(1, "a002")
}

// The header's numbers describe what is on screen when a fixed page size
// holds more than fits.
func TestCountLineNamesWhatIsOnScreen(t *testing.T) {
	f := newFixture(t, 80, 20, func(o *Options, _ *fakeStore) { o.PageSize = 6 })
	if got := ansi.Strip(f.view()); !strings.Contains(got, "Viewing results 1 - 3 of 40") {
		t.Fatalf("top of the page:\n%s", got)
	}
	f.keys("j", "j", "j", "j", "j")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "Viewing results 4 - 6 of 40") {
		t.Fatalf("scrolled to the sixth:\n%s", got)
	}
}

// The wheel moves the selection; a click selects, a click on the selected
// headline opens it.
func TestMouse(t *testing.T) {
	f := newFixture(t, 80, 24)
	wheel := func(b tea.MouseButton) {
		f.send(tea.MouseWheelMsg{Button: b, X: 10, Y: 8})
	}
	wheel(tea.MouseWheelDown)
	f.expect(1, "a001")
	wheel(tea.MouseWheelUp)
	f.expect(1, "a000")
	// rows: 0 ticker, 1 date, 2 count line, 3-6 first card, 7 gap, 8-11 second
	click := func(y int) {
		f.send(tea.MouseClickMsg{Button: tea.MouseLeft, X: 10, Y: y})
	}
	click(9)
	f.expect(1, "a001")
	if f.m.mode != modeList {
		t.Fatal("a click on another headline opened it")
	}
	click(8)
	if f.m.mode != modeReader || f.m.reader.Article().ID != "a001" {
		t.Fatalf("a click on the selected headline did not open it (mode %v)", f.m.mode)
	}
	f.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	f.keys("q")
	if f.m.mode != modeList {
		t.Fatal("q did not go back from the reader")
	}
}

// Inversion, unread only, compact mode and the feed viewed survive a
// restart; a remembered feed removed since is forgotten.
func TestSettingsRemembered(t *testing.T) {
	st := &fakeStore{articles: sampleArticles(40), feeds: sampleFeeds()}
	same := func(o *Options, s *fakeStore) {
		*s = fakeStore{articles: st.articles, feeds: st.feeds, settings: st.settings}
		o.Settings = st
		o.Articles = st
	}
	f := newFixture(t, 100, 30, same)
	f.keys("i", "a", "v", "F", "j", "j", "enter") // All feeds, ★ Starred, Times of CA
	if got := ansi.Strip(f.view()); !strings.Contains(got, "Times of CA, unread — Viewing results") {
		t.Fatalf("before the restart:\n%s", got)
	}
	g := newFixture(t, 100, 30, same)
	out := ansi.Strip(g.view())
	if !g.m.sh.board.invert || !g.m.list.compact || !strings.Contains(out, "Times of CA, unread — Viewing results") || !strings.Contains(out, "USD/KGS") {
		t.Fatalf("after the restart (invert %v, compact %v):\n%s", g.m.sh.board.invert, g.m.list.compact, out)
	}
	st.feeds = st.feeds[1:] // Times of CA removed
	h := newFixture(t, 100, 30, same)
	if out := ansi.Strip(h.view()); strings.Contains(out, "Times of CA, unread") || !strings.Contains(out, "Unread — Viewing results") {
		t.Fatalf("a removed feed is still viewed:\n%s", out)
	}
}

// Leaving one feed (or ★ Starred) with esc comes back to the headline that
// was selected in every feed, on its page, not to the top.
func TestBackToEveryFeedKeepsTheSelection(t *testing.T) {
	f := newFixture(t, 80, 24) // 3 a page
	f.keys("l", "j")
	f.expect(2, "a004")
	f.keys("F", "j", "j", "enter") // the first feed
	if !strings.Contains(ansi.Strip(f.view()), " — Viewing results") {
		t.Fatalf("not in a feed's view:\n%s", ansi.Strip(f.view()))
	}
	f.keys("j", "esc")
	f.expect(2, "a004")
	// Once back, the next feed view starts from the new place.
	f.keys("j", "F", "j", "enter", "esc")
	f.expect(2, "a005")
}

// In the unread-only view, headlines read on this page stay listed until
// the page changes; the next page then begins with the first unread
// headline after them, so none is skipped (the pages behind moved up by
// as many as were read), by l and by J in the reader.
func TestUnreadOnlyPagingSkipsNothing(t *testing.T) {
	for _, how := range []string{"l", "reader"} {
		f := newFixture(t, 80, 24) // 3 a page
		f.keys("a")
		var unread []string
		for _, a := range f.store.articles {
			if !a.Read {
				unread = append(unread, a.ID)
			}
		}
		f.expect(1, unread[0])
		f.keys("N", "j", "N") // the first two read, still listed
		if got := ansi.Strip(f.view()); !strings.Contains(got, "Viewing results 1 - 3") {
			t.Fatalf("%s: read headlines left the page:\n%s", how, got)
		}
		switch how {
		case "l":
			f.keys("l")
		case "reader":
			f.keys("j", "enter", "J")
		}
		if _, id := f.where(); id != unread[3] {
			t.Errorf("%s: after the page's last headline came %s, want %s (the fourth unread)", how, id, unread[3])
		}
	}
}

// A marks every article of the view read and says so with how to undo;
// z makes exactly the articles it changed unread again, not those that
// were read before it nor one that arrived after it; and a rebound undo
// key is the one announced.
func TestMarkAllReadUndo(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		km, err := NewKeyMap(map[string][]string{"undo": {"U"}})
		if err != nil {
			panic(err)
		}
		o.KeyMap = km
	})
	before := map[string]bool{}
	for _, a := range f.store.articles {
		before[a.ID] = a.Read
	}
	f.keys("j") // the view is pinned from here
	f.store.prepend(feeds.Article{ID: "late", FeedID: 1, FeedName: "Times of CA", Title: "Arrived after the pin", Published: testNow})
	f.keys("A")
	if got := statusLine(f); !strings.Contains(got, "marked 30 articles read · U to undo") {
		t.Fatalf("after A: status %q", got)
	}
	for _, a := range f.store.articles {
		if a.ID != "late" && !a.Read {
			t.Fatalf("%s still unread after A", a.ID)
		}
	}
	f.keys("U")
	if got := statusLine(f); !strings.Contains(got, "undone: 30 articles unread again") {
		t.Fatalf("after undo: status %q", got)
	}
	for _, a := range f.store.articles {
		if a.ID == "late" {
			if a.Read {
				t.Error("the late arrival was marked")
			}
			continue
		}
		if a.Read != before[a.ID] {
			t.Errorf("%s: read %v after undo, %v before A", a.ID, a.Read, before[a.ID])
		}
	}
	if v := ansi.Strip(f.view()); !strings.Contains(v, "30 unread") {
		t.Errorf("the count line does not follow the undo:\n%s", v)
	}
	// One undo per mark all.
	f.keys("U")
	if got := statusLine(f); !strings.Contains(got, "nothing to undo") {
		t.Fatalf("second undo: status %q", got)
	}
	// The default key is z.
	f = newFixture(t, 100, 30)
	f.keys("A")
	if got := statusLine(f); !strings.Contains(got, "· z to undo") {
		t.Fatalf("after A: status %q", got)
	}
	f.keys("z")
	if got := statusLine(f); !strings.Contains(got, "unread again") {
		t.Fatalf("after z: status %q", got)
	}
}
