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
	return NewScheduler(func() time.Time { return testNow }, 15*time.Minute, 8)
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
		if got := s.Due(tm.key, tm.version); len(got) != 1 || got[0] != tm.key {
			t.Errorf("%s: its own timer does not start it: %v", tm.key, got)
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
	v, f, ok := s.Fetch("feed:1")
	if !ok || f.ID != 1 {
		t.Fatalf("Fetch: %v %+v", ok, f)
	}
	if got := s.Due(tm.key, tm.version); len(got) != 0 {
		t.Fatal("a superseded timer started a fetch")
	}
	// While it fetches, neither its timers nor `r` start it again.
	if len(s.Due("feed:1", v)) != 0 || len(s.All()) != 0 || !s.Busy() {
		t.Fatal("a fetching source was started again")
	}
	next := s.FinishFeed("feed:1", v, feeds.Result{Feed: feeds.Feed{ID: 1, Name: "a"}, New: 3})
	if next == nil || next.delay != 15*time.Minute || s.Busy() {
		t.Fatalf("next timer %+v", next)
	}
	if got := s.Due(next.key, next.version); len(got) != 1 {
		t.Fatalf("the next timer does not start it: %v", got)
	}
	s.FinishFeed("feed:1", next.version, feeds.Result{Feed: feeds.Feed{ID: 1, Name: "a"}, New: 3})
	if src := s.source("feed:1"); src.note != "3 new" || !src.lastOK.Equal(testNow) {
		t.Fatalf("source after success: %+v", src)
	}
	// A result from a superseded loop records its outcome but does not
	// start a second loop.
	s.All()
	v2, _, _ := s.Fetch("feed:1")
	if got := s.FinishFeed("feed:1", v2-1, feeds.Result{}); got != nil {
		t.Fatalf("stale result rescheduled: %+v", got)
	}
}

func TestSchedulerRetryAfterAndErrors(t *testing.T) {
	s := newTestScheduler()
	tm := s.SetFeeds([]feeds.Feed{{ID: 7, Name: "slow"}})[0]
	s.Due(tm.key, tm.version)
	v, _, _ := s.Fetch("feed:7")
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
	if got := s.All(); len(got) != 1 || got[0] != ratesKey {
		t.Fatalf("All = %v", got)
	}
	v, _, ok := s.Fetch(ratesKey)
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
	s.All()
	v, _, _ = s.Fetch(ratesKey)
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
	s.All()
	tm := s.SetFeeds([]feeds.Feed{{ID: 1}})[0]
	s.Due(tm.key, tm.version)
	if s.EmptyHint() != "fetching the feeds…" {
		t.Fatalf("hint %q", s.EmptyHint())
	}
}

// Ten thousand feeds due at once fetch eight at a time; each result frees a
// slot for the next, in the order they became due, and the rates chain
// never waits for a slot.
func TestSchedulerCapsConcurrentFetches(t *testing.T) {
	s := newTestScheduler()
	s.AddRates(time.Hour)
	list := make([]feeds.Feed, 10000)
	for i := range list {
		list[i] = feeds.Feed{ID: int64(i + 1), Name: "f"}
	}
	started := 0
	for _, tm := range s.SetFeeds(list) {
		started += len(s.Due(tm.key, tm.version))
	}
	if started != 8 || s.running != 8 || len(s.waiting) != 9992 {
		t.Fatalf("started %d, running %d, waiting %d", started, s.running, len(s.waiting))
	}
	if got := s.All(); len(got) != 1 || got[0] != ratesKey {
		t.Fatalf("rates waited for a slot: %v", got)
	}
	v, _, _ := s.Fetch("feed:3")
	s.FinishFeed("feed:3", v, feeds.Result{})
	if got := s.Next(); len(got) != 1 || got[0] != "feed:9" {
		t.Fatalf("next = %v, want feed:9", got)
	}
	if s.EmptyHint() != "fetching the feeds…" {
		t.Fatalf("hint %q", s.EmptyHint())
	}
}

// Feeds removed from the store (by the command line while the dashboard
// runs) are dropped with their loops; a fetching one frees its slot.
func TestSchedulerDropsRemovedFeeds(t *testing.T) {
	s := newTestScheduler()
	for _, tm := range s.SetFeeds([]feeds.Feed{{ID: 1, URL: "u1"}, {ID: 2, URL: "u2"}}) {
		s.Due(tm.key, tm.version)
	}
	if s.running != 2 {
		t.Fatalf("running %d", s.running)
	}
	timers := s.SetFeeds([]feeds.Feed{{ID: 2, URL: "u2"}, {ID: 3, URL: "u3"}})
	if s.source("feed:1") != nil || s.running != 1 {
		t.Fatalf("feed 1 not dropped: running %d", s.running)
	}
	if len(timers) != 1 || timers[0].key != "feed:3" {
		t.Fatalf("timers %+v: only the new feed starts a loop", timers)
	}
	if got := s.FinishFeed("feed:1", 1, feeds.Result{}); got != nil {
		t.Fatal("a dropped feed's result rescheduled it")
	}
}
