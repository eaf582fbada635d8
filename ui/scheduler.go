package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/rates"
)

// ratesKey is the source key of the rates chain; feeds use "feed:<id>".
const ratesKey = "rates"

func feedKey(id int64) string { return "feed:" + strconv.FormatInt(id, 10) }

// source is one refreshable thing (a feed or the rates chain) and the state
// of its refresh loop. version kills superseded timers: a due message or a
// result with an older version does not reschedule.
type source struct {
	key      string
	name     string
	feed     feeds.Feed // zero for rates
	interval time.Duration
	version  int
	inFlight bool
	lastOK   time.Time
	lastErr  string // short and sanitised
	fullErr  string // sanitised, complete
	waiting  bool   // due, waiting for a free slot
	note     string // "not modified", "3 new", "skipped"
	detail   string // sanitised; shown wrapped in the sources pane (rate sources that failed while others answered)
	rev      int    // bumps on every change of what the source shows
}

// timer asks for a sourceDueMsg for key with version after delay.
type timer struct {
	key     string
	version int
	delay   time.Duration
}

// Scheduler decides when each source refreshes: which sources are due,
// which are fetching, which wait for a free slot, and the delay until each
// one's next refresh. At most limit feeds fetch at once (the rates chain
// does not count), so ten thousand feeds due together start eight at a
// time. It holds no timers and does no I/O; the refresher turns its
// answers into Cmds.
type Scheduler struct {
	now      func() time.Time
	interval time.Duration // a feed's interval when it sets none
	limit    int           // feeds fetching at once
	sources  []*source     // in order: rates first, then feeds as stored
	byKey    map[string]*source
	known    bool // the feed list has been read from the store

	running int      // feeds fetching
	waiting []string // due feeds waiting for a slot, oldest first
}

// NewScheduler builds a scheduler; feedInterval is the refresh interval of
// feeds that set none, limit the number of feeds fetched at once.
func NewScheduler(now func() time.Time, feedInterval time.Duration, limit int) *Scheduler {
	return &Scheduler{now: now, interval: feedInterval, limit: max(1, limit), byKey: map[string]*source{}}
}

// source returns the source with key, or nil.
func (s *Scheduler) source(key string) *source { return s.byKey[key] }

func (s *Scheduler) add(src *source) *source {
	if old := s.byKey[src.key]; old != nil {
		old.name, old.feed, old.interval = src.name, src.feed, src.interval
		old.rev++
		return old
	}
	s.sources = append(s.sources, src)
	s.byKey[src.key] = src
	return src
}

// AddRates registers the rates chain, refreshed every interval.
func (s *Scheduler) AddRates(interval time.Duration) {
	s.add(&source{key: ratesKey, name: "Rates", interval: interval})
}

// SetFeeds makes the feeds those of list (feeds no longer in it are
// dropped, with their timers) and returns a timer for each new or changed
// one that is not fetching: due now if it was never fetched, else when its
// interval (or the server's Retry-After) has passed.
func (s *Scheduler) SetFeeds(list []feeds.Feed) []timer {
	s.known = true
	now := s.now()
	keep := make(map[string]bool, len(list))
	var out []timer
	for _, f := range list {
		iv := f.Refresh
		if iv <= 0 {
			iv = s.interval
		}
		key := feedKey(f.ID)
		keep[key] = true
		if old := s.byKey[key]; old != nil && old.feed.URL == f.URL && old.interval == iv && old.version > 0 {
			old.name, old.feed = sanitize.Text(f.Name, false), f
			old.rev++
			continue // its loop runs on
		}
		src := s.add(&source{key: key, name: sanitize.Text(f.Name, false), feed: f, interval: iv})
		src.lastOK = f.LastOK
		if f.LastError != "" {
			src.setErr(storedError(f))
		}
		if src.inFlight {
			continue
		}
		delay := time.Duration(0)
		if !f.LastFetch.IsZero() {
			delay = f.LastFetch.Add(iv).Sub(now)
		}
		if f.NextFetch.After(now.Add(delay)) {
			delay = f.NextFetch.Sub(now)
		}
		src.version++
		out = append(out, timer{src.key, src.version, delay})
	}
	s.drop(func(src *source) bool { return src.key != ratesKey && !keep[src.key] })
	return out
}

// drop removes the sources gone says are gone; their timers and results
// find nothing and die.
func (s *Scheduler) drop(gone func(*source) bool) {
	kept := s.sources[:0]
	for _, src := range s.sources {
		if gone(src) {
			delete(s.byKey, src.key)
			if src.inFlight && src.key != ratesKey {
				s.running--
			}
			continue
		}
		kept = append(kept, src)
	}
	clear(s.sources[len(kept):])
	s.sources = kept
}

// Due says that the timer with version for key fired. It returns the keys
// that start fetching now: key itself when a slot is free (or it is the
// rates chain), else nothing and key waits for a slot. A superseded timer,
// or a source that fetches or already waits, starts nothing.
func (s *Scheduler) Due(key string, version int) []string {
	src := s.byKey[key]
	if src == nil || src.version != version || src.inFlight || src.waiting {
		return nil
	}
	if key != ratesKey && s.running >= s.limit {
		src.waiting = true
		s.waiting = append(s.waiting, key)
		return nil
	}
	s.begin(src)
	return []string{key}
}

func (s *Scheduler) begin(src *source) {
	src.inFlight, src.waiting = true, false
	if src.key != ratesKey {
		s.running++
	}
	src.rev++
}

// next starts waiting feeds while slots are free.
func (s *Scheduler) next() []string {
	var out []string
	for len(s.waiting) > 0 && s.running < s.limit {
		key := s.waiting[0]
		s.waiting = s.waiting[1:]
		if src := s.byKey[key]; src != nil && src.waiting {
			s.begin(src)
			out = append(out, key)
		}
	}
	return out
}

// Fetch is what a started source fetches: the version its result must
// carry to reschedule, and the feed (zero for rates).
func (s *Scheduler) Fetch(key string) (version int, f feeds.Feed, ok bool) {
	src := s.byKey[key]
	if src == nil || !src.inFlight {
		return 0, feeds.Feed{}, false
	}
	return src.version, src.feed, true
}

// All makes every source due now (`r`): pending timers die (a new
// version), and the keys that start now are returned; the rest wait.
func (s *Scheduler) All() []string {
	var start []string
	for _, src := range s.sources {
		if src.inFlight || src.waiting {
			continue // its result reschedules; it starts soon
		}
		src.version++
		start = append(start, s.Due(src.key, src.version)...)
	}
	return start
}

// FinishFeed records a feed's refresh and returns its next timer (nil when
// the result belongs to a superseded loop). Its slot is free: Next starts
// a waiting feed.
func (s *Scheduler) FinishFeed(key string, version int, res feeds.Result) *timer {
	src := s.byKey[key]
	if src == nil || !src.inFlight {
		return nil
	}
	src.inFlight = false
	s.running--
	if res.Feed.ID != 0 {
		src.feed = res.Feed
		if n := sanitize.Text(res.Feed.Name, false); n != "" {
			src.name = n
		}
	}
	src.setErr(res.Err)
	src.detail = sanitize.Text(strings.TrimSpace(res.Via+" "+res.Detail), false)
	if res.Err == nil {
		src.lastOK = s.now()
		switch {
		case res.Skipped:
			src.note = "skipped (Retry-After)"
		case res.NotModified:
			src.note = "not modified"
		default:
			src.note = strconv.Itoa(res.New) + " new"
		}
	}
	if version != src.version {
		return nil
	}
	delay := src.interval
	if nf := res.Feed.NextFetch; !nf.IsZero() {
		delay = max(delay, nf.Sub(s.now()))
	}
	return &timer{key, src.version, delay}
}

// FinishRates records a rates refresh and returns its next timer.
func (s *Scheduler) FinishRates(version int, rep rates.Report, err error) *timer {
	src := s.byKey[ratesKey]
	if src == nil || !src.inFlight {
		return nil
	}
	src.inFlight = false
	if err == nil && len(rep.Quotes) == 0 && len(rep.Errors) > 0 {
		err = plainError(rep.ErrorsText())
	}
	src.setErr(err)
	if err == nil {
		src.lastOK = s.now()
		src.note = ""
		if len(rep.Missing) > 0 {
			src.note = "missing " + sanitize.Text(strings.Join(rep.Missing, ", "), false)
		}
		src.detail = ""
		if errs := rep.ErrorsText(); errs != "" {
			src.detail = "sources that failed (others answered): " + sanitize.Text(errs, false)
		}
		for _, rj := range rep.Rejected {
			src.detail = strings.TrimSpace(src.detail + " rejected: " + sanitize.Text(rj.Reason, false) + ".")
		}
		for _, h := range rep.Unconfirmed {
			src.detail = strings.TrimSpace(src.detail + " unconfirmed: " + sanitize.Text(h.Reason, false) + ".")
		}
	}
	if version != src.version {
		return nil
	}
	return &timer{ratesKey, src.version, src.interval}
}

// Next starts waiting feeds while slots are free (after a result).
func (s *Scheduler) Next() []string { return s.next() }

// FeedsBusy reports whether a feed fetches or waits to.
func (s *Scheduler) FeedsBusy() bool { return s.running > 0 || len(s.waiting) > 0 }

// Busy reports whether any source is fetching.
func (s *Scheduler) Busy() bool {
	if s.running > 0 || len(s.waiting) > 0 {
		return true
	}
	src := s.byKey[ratesKey]
	return src != nil && src.inFlight
}

// EmptyHint says why there may be no articles: nothing is configured, the
// feeds are being fetched or every feed failed.
func (s *Scheduler) EmptyHint() string {
	if !s.known {
		return ""
	}
	n, failed := 0, 0
	for _, src := range s.sources {
		if src.key == ratesKey {
			continue
		}
		n++
		switch {
		case src.inFlight, src.waiting:
			return "fetching the feeds…"
		case src.lastErr != "":
			failed++
		}
	}
	switch {
	case n == 0:
		return "no feeds are configured (add [[feeds]] to the config)"
	case failed == n:
		return "no feed could be fetched (e shows why; steppe --demo shows sample data)"
	}
	return ""
}

func (src *source) setErr(err error) {
	src.rev++
	if err == nil {
		src.lastErr, src.fullErr = "", ""
		return
	}
	src.fullErr = sanitize.Redact(sanitize.Text(err.Error(), false))
	src.lastErr = sanitize.Redact(shortErr(err))
}

// plainError is an error known only by its text (stored, or joined).
type plainError string

func (e plainError) Error() string { return string(e) }

// storedError is a feed's last error as the store keeps it: its text, and
// the short form it had when it happened (a store from before the short
// forms were kept has none: shortErr then reads the text).
func storedError(f feeds.Feed) error {
	if f.LastShort != "" {
		return shortError{plainError(f.LastError), f.LastShort}
	}
	return plainError(f.LastError)
}

type shortError struct {
	plainError
	short string
}

func (e shortError) Short() string { return e.short }
