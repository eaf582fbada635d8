package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
	if strings.Contains(ansi.Strip(f.m.View()), "no such host") {
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
	out := ansi.Strip(f.m.View())
	if !strings.Contains(out, "offline") || !strings.Contains(out, "Viewing results 1 - 3 of 40") || !strings.Contains(out, "KGS/USD") {
		t.Fatalf("offline view:\n%s", out)
	}
}
