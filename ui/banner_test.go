package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

// writeWatch is the fake store with every write recorded: a sealed store
// must see none.
type writeWatch struct {
	*fakeStore
	writes []string
}

func (w *writeWatch) SetRead(ctx context.Context, id string, read bool) error {
	w.writes = append(w.writes, "read "+id)
	return w.fakeStore.SetRead(ctx, id, read)
}

func (w *writeWatch) SetStarred(ctx context.Context, id string, on bool) error {
	w.writes = append(w.writes, "star "+id)
	return w.fakeStore.SetStarred(ctx, id, on)
}

func (w *writeWatch) MarkViewRead(ctx context.Context, v feeds.View) (int, error) {
	w.writes = append(w.writes, "mark all")
	return w.fakeStore.MarkViewRead(ctx, v)
}

func (w *writeWatch) Set(ctx context.Context, key, value string) error {
	w.writes = append(w.writes, "setting "+key)
	return w.fakeStore.Set(ctx, key, value)
}

const testDamage = "The store /data/steppe.db is damaged (Tree 47 page 47: btreeInitPage() returns error code 11, and 19 more): steppe saves nothing more to it. Quit; `steppe feeds export > feeds.opml` keeps the feeds you added; move the store aside and start steppe again for a fresh one, then `steppe feeds import feeds.opml`."

// checked is a fixture whose store check answers damage ("" for none),
// counting its runs, and whose writes are watched.
func checked(t *testing.T, damage string, runs *int, ww **writeWatch) *fixture {
	return newFixture(t, 100, 30, func(o *Options, st *fakeStore) {
		w := &writeWatch{fakeStore: st}
		*ww = w
		o.Articles, o.Settings = w, w
		o.CheckStore = func(ctx context.Context) (string, error) {
			*runs++
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > checkBudget {
				t.Errorf("the check runs unbounded (deadline %v, %v)", dl, ok)
			}
			return damage, nil
		}
	})
}

func isCheckStart(m tea.Msg) bool { _, ok := m.(checkStartMsg); return ok }

// A damaged store: the check waits for the first page, then the banner
// names the file and what to do, under the date line, within the screen;
// after it no write reaches the store and each refusal says why.
func TestDamagedStoreBannerAndNoWrites(t *testing.T) {
	runs := 0
	var ww *writeWatch
	f := checked(t, testDamage, &runs, &ww)
	if runs != 0 || f.pending(isCheckStart) != 1 {
		t.Fatalf("the check ran %d times before the first frame, %d timers to start it (want 0 and 1)", runs, f.pending(isCheckStart))
	}
	before := ansi.Strip(f.view())
	f.fire(isCheckStart)
	if runs != 1 {
		t.Fatalf("the check ran %d times, want 1", runs)
	}
	scr := ansi.Strip(f.view())
	lines := strings.Split(scr, "\n")
	if len(lines) != 30 {
		t.Errorf("the screen is %d lines, want 30", len(lines))
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > 100 {
			t.Errorf("line %d is %d wide: %q", i, ansi.StringWidth(l), l)
		}
	}
	// The banner is the lines under the date line, before the count line.
	var banner []string
	for _, l := range lines[2:] {
		if strings.Contains(l, "Viewing results") {
			break
		}
		banner = append(banner, strings.TrimSpace(l))
	}
	if got := strings.Join(banner, " "); got != testDamage {
		t.Errorf("banner:\n%s\nwant:\n%s\nscreen:\n%s", got, testDamage, scr)
	}
	if strings.Contains(before, "damaged") {
		t.Errorf("the banner showed before the check:\n%s", before)
	}
	if !strings.Contains(scr, lines[2+len(banner)]) || !strings.Contains(lines[len(lines)-1], "quit") {
		t.Errorf("the list and the hints are not below the banner:\n%s", scr)
	}

	// Star, read, mark all, open (which marks read), compact (remembered):
	// refused, and said so.
	for _, tc := range []struct{ keys, says string }{
		{"s", "star not saved: the store is damaged: nothing more is saved to it"},
		{"N", "not marked read: the store is damaged"},
		{"A", "not marked read: the store is damaged"},
		{"r", "not refreshed: the store is damaged"},
	} {
		f.keys(tc.keys)
		if out := ansi.Strip(f.view()); !strings.Contains(out, tc.says) {
			t.Errorf("%s: the status line should say %q:\n%s", tc.keys, tc.says, out)
		}
	}
	if out := ansi.Strip(f.view()); strings.Contains(out, "★") {
		t.Errorf("a refused star shows as stored:\n%s", out)
	}
	f.keys("enter")
	f.keys("esc", "v")
	// The refresh loops go on without writing: each source says why.
	runsBefore, ratesBefore := len(f.feedRuns), f.rateRuns
	if f.fire(isDue) == 0 {
		t.Fatal("no refresh was due")
	}
	if len(f.feedRuns) != runsBefore || f.rateRuns != ratesBefore {
		t.Errorf("refreshes ran on a damaged store: feeds %v (were %d), rates %d (were %d)", f.feedRuns, runsBefore, f.rateRuns, ratesBefore)
	}
	f.keys("e")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "Times of CA — error") || !strings.Contains(out, "  the store is damaged: nothing more is saved to it") {
		t.Errorf("the sources pane does not say why nothing was refreshed:\n%s", out)
	}
	if len(ww.writes) != 0 {
		t.Errorf("writes reached the damaged store: %v", ww.writes)
	}
	if runs != 1 || f.pending(isCheckStart) != 0 {
		t.Errorf("the check ran %d times (want once)", runs)
	}
}

// A whole store shows nothing: the screen is the one without a check, and
// writes go on.
func TestWholeStoreShowsNoBanner(t *testing.T) {
	runs := 0
	var ww *writeWatch
	f := checked(t, "", &runs, &ww)
	plain := newFixture(t, 100, 30)
	f.fire(isCheckStart)
	if runs != 1 {
		t.Fatalf("the check ran %d times, want 1", runs)
	}
	if got, want := ansi.Strip(f.view()), ansi.Strip(plain.view()); got != want {
		t.Errorf("a whole store changed the screen:\n%s\nwant:\n%s", got, want)
	}
	f.keys("s")
	if len(ww.writes) != 1 || !strings.Contains(ansi.Strip(f.view()), "★") {
		t.Errorf("a star on a whole store: writes %v\n%s", ww.writes, ansi.Strip(f.view()))
	}
}

// The check ends with the program: its context is the program's, and a
// check cut off by quitting shows nothing.
func TestStoreCheckIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		o.Context = ctx
		o.CheckStore = func(ctx context.Context) (string, error) {
			close(started)
			<-ctx.Done()
			return "", ctx.Err()
		}
	})
	got := make(chan tea.Msg, 1)
	cmd := f.m.sh.io.checkStore()
	go func() { got <- cmd() }()
	<-started
	cancel()
	select {
	case msg := <-got:
		if msg != nil {
			t.Errorf("a cancelled check answered %#v, want nothing", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the check did not end with the program's context")
	}
}
