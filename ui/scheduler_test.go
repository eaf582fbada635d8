package ui

import (
	"errors"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// The scheduler is tested on its own: no Model, no Cmds, a fixed clock.

func newTestScheduler() *Scheduler {
	return NewScheduler(func() time.Time { return testNow }, 15*time.Minute)
}

func TestSchedulerFirstTimers(t *testing.T) {
	s := newTestScheduler()
	timers := s.SetFeeds([]feeds.Feed{
		{ID: 1, Name: "never fetched"},
		{ID: 2, Name: "fetched 5m ago", LastFetch: testNow.Add(-5 * time.Minute)},
		{ID: 3, Name: "own interval", Refresh: time.Hour, LastFetch: testNow.Add(-5 * time.Minute)},
		{ID: 4, Name: "retry-after", LastFetch: testNow.Add(-20 * time.Minute), NextFetch: testNow.Add(30 * time.Minute)},
	})
	want := map[string]time.Duration{
		"feed:1": 0,
		"feed:2": 10 * time.Minute,
		"feed:3": 55 * time.Minute,
		"feed:4": 30 * time.Minute,
	}
	if len(timers) != len(want) {
		t.Fatalf("%d timers: %+v", len(timers), timers)
	}
	for _, tm := range timers {
		if d, ok := want[tm.key]; !ok || d != tm.delay {
			t.Errorf("%s: delay %v, want %v", tm.key, tm.delay, d)
		}
		if !s.Due(tm.key, tm.version) {
			t.Errorf("%s: its own timer is not due", tm.key)
		}
	}
}

func TestSchedulerVersionsKillSupersededTimers(t *testing.T) {
	s := newTestScheduler()
	tm := s.SetFeeds([]feeds.Feed{{ID: 1, Name: "a"}})[0]
	// `r` refreshes everything: the pending timer dies.
	keys := s.All()
	if len(keys) != 1 || keys[0] != "feed:1" {
		t.Fatalf("All = %v", keys)
	}
	if s.Due(tm.key, tm.version) {
		t.Fatal("a superseded timer is still due")
	}
	v, f, ok := s.Start("feed:1")
	if !ok || f.ID != 1 {
		t.Fatalf("Start: %v %+v", ok, f)
	}
	// While it fetches, neither its timers nor `r` start it again.
	if s.Due("feed:1", v) || len(s.All()) != 0 || !s.Busy() {
		t.Fatal("a fetching source was started again")
	}
	next := s.FinishFeed("feed:1", v, feeds.Result{Feed: feeds.Feed{ID: 1, Name: "a"}, New: 3})
	if next == nil || next.delay != 15*time.Minute || !s.Due(next.key, next.version) || s.Busy() {
		t.Fatalf("next timer %+v", next)
	}
	if src := s.source("feed:1"); src.note != "3 new" || !src.lastOK.Equal(testNow) {
		t.Fatalf("source after success: %+v", src)
	}
	// A result from a superseded loop records its outcome but does not
	// start a second loop.
	s.All()
	v2, _, _ := s.Start("feed:1")
	if got := s.FinishFeed("feed:1", v2-1, feeds.Result{}); got != nil {
		t.Fatalf("stale result rescheduled: %+v", got)
	}
}

func TestSchedulerRetryAfterAndErrors(t *testing.T) {
	s := newTestScheduler()
	s.SetFeeds([]feeds.Feed{{ID: 7, Name: "slow"}})
	v, _, _ := s.Start("feed:7")
	next := s.FinishFeed("feed:7", v, feeds.Result{
		Feed: feeds.Feed{ID: 7, Name: "slow", NextFetch: testNow.Add(2 * time.Hour)},
		Err:  errors.New("HTTP 429 Too Many Requests (retry after 2h0m0s)"),
	})
	if next == nil || next.delay != 2*time.Hour {
		t.Fatalf("Retry-After not honoured: %+v", next)
	}
	src := s.source("feed:7")
	if src.lastErr == "" || src.fullErr != "HTTP 429 Too Many Requests (retry after 2h0m0s)" {
		t.Fatalf("error not recorded: %+v", src)
	}
	if s.EmptyHint() != "no feed could be fetched (e shows why; steppe --demo shows sample data)" {
		t.Fatalf("hint %q", s.EmptyHint())
	}
}

func TestSchedulerRates(t *testing.T) {
	s := newTestScheduler()
	s.AddRates(time.Hour)
	v, _, ok := s.Start(ratesKey)
	if !ok {
		t.Fatal("no rates source")
	}
	next := s.FinishRates(v, rates.Report{
		Quotes:   []rates.Quote{{Code: "KZT"}},
		Missing:  []string{"TMT"},
		Errors:   map[string]error{"cbu": errors.New("HTTP 503")},
		Rejected: []rates.Rejection{{Reason: "TMT from cbu: off the peg"}},
	}, nil)
	if next == nil || next.delay != time.Hour {
		t.Fatalf("next %+v", next)
	}
	src := s.source(ratesKey)
	if src.lastErr != "" || src.note != "missing TMT" ||
		src.detail != "sources that failed (others answered): cbu: HTTP 503 rejected: TMT from cbu: off the peg." {
		t.Fatalf("rates source %+v", src)
	}
	// Every provider failing and no quote is an error of the source.
	v, _, _ = s.Start(ratesKey)
	s.FinishRates(v, rates.Report{Errors: map[string]error{"erapi": errors.New("timed out")}}, nil)
	if src.lastErr == "" {
		t.Fatal("no quote and only errors is not an error")
	}
}

func TestSchedulerEmptyHint(t *testing.T) {
	s := newTestScheduler()
	if s.EmptyHint() != "" {
		t.Fatal("a hint before the feeds are known")
	}
	s.SetFeeds(nil)
	if s.EmptyHint() != "no feeds are configured (add [[feeds]] to the config)" {
		t.Fatalf("hint %q", s.EmptyHint())
	}
	s.SetFeeds([]feeds.Feed{{ID: 1}})
	s.Start("feed:1")
	if s.EmptyHint() != "fetching the feeds…" {
		t.Fatalf("hint %q", s.EmptyHint())
	}
}
