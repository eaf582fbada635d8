package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

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
	if strings.Contains(ansi.Strip(f.view()), "no such host") {
		t.Fatal("old error still shown")
	}
}

func TestOffline(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.Offline = true })
	f.keys("r")
	f.fire(isDue)
	if len(f.feedRuns) != 0 || f.rateRuns != 0 || f.pending(isDue) != 0 {
		t.Fatalf("offline fetched: %v %d", f.feedRuns, f.rateRuns)
	}
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "offline") || !strings.Contains(out, "Viewing results 1 - 3 of 40") || !strings.Contains(out, "KGS/USD") {
		t.Fatalf("offline view:\n%s", out)
	}
}

func isPoll(m tea.Msg) bool { _, ok := m.(feedsPollMsg); return ok }

// A feed added (or removed) by the command line while the dashboard runs is
// noticed by the poll of the feeds' generation and fetched (or dropped).
func TestFeedsAddedElsewhereAreFetched(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.fire(isPoll)
	if n := f.pending(isPoll); n != 1 {
		t.Fatalf("%d polls pending", n)
	}
	f.store.mu.Lock()
	f.store.feeds = append(f.store.feeds[1:], feeds.Feed{ID: 9, Name: "Added Later", URL: "https://later.example/rss"})
	f.store.gen++
	f.store.mu.Unlock()
	f.fire(isPoll)
	f.fire(isDue)
	if !slices.Contains(f.feedRuns, 9) {
		t.Fatalf("the added feed was not fetched: %v", f.feedRuns)
	}
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "Added Later") || strings.Contains(out, "Times of CA") {
		t.Fatalf("status line does not follow the feeds:\n%s", out)
	}
}

// Another process storing articles (a `steppe refresh` in another shell)
// is seen on the next poll: the count line says how many arrived and the
// selection stays where it was.
func TestAnotherWriterIsSeen(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.fire(isPoll)
	f.keys("j", "j")
	f.expect(1, "a002")
	f.store.prepend(feeds.Article{ID: "elsewhere1", FeedName: "Times of CA", Title: "Stored elsewhere", Published: testNow},
		feeds.Article{ID: "elsewhere2", FeedName: "Times of CA", Title: "Stored elsewhere too", Published: testNow})
	f.store.mu.Lock()
	f.store.dataVersion++
	f.store.mu.Unlock()
	f.fire(isPoll)
	f.expect(1, "a002")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "· 2 new") {
		t.Fatalf("the other writer's articles are not announced:\n%s", out)
	}
	if f.m.list.Index() != 2 {
		t.Errorf("the selection moved to %d", f.m.list.Index())
	}
	// It marks some read (a sync, `steppe mark`): the page on screen
	// shows it, the selection still kept.
	sel, _ := f.m.list.Selected()
	before := f.m.list.Page().Unread
	for _, a := range f.m.list.Page().Items {
		if !a.Read {
			if err := f.store.SetRead(context.Background(), a.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.store.mu.Lock()
	f.store.dataVersion++
	f.store.mu.Unlock()
	f.fire(isPoll)
	for _, a := range f.m.list.Page().Items {
		if !a.Read {
			t.Errorf("%s still unread on screen after another writer read it", a.ID)
		}
	}
	if got, _ := f.m.list.Selected(); got.ID != sel.ID || f.m.list.Page().Unread >= before {
		t.Errorf("selected %s (was %s), unread %d (was %d)", got.ID, sel.ID, f.m.list.Page().Unread, before)
	}
}
