package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
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

// Scheduler decides when each source refreshes: which sources are due, which
// are fetching, and the delay until each one's next refresh. It holds no
// timers and does no I/O; the refresher turns its answers into Cmds.
type Scheduler struct {
	now      func() time.Time
	interval time.Duration // a feed's interval when it sets none
	sources  []*source     // in order: rates first, then feeds as stored
	byKey    map[string]*source
	known    bool // the feed list has been read from the store
}

// NewScheduler builds a scheduler; feedInterval is the refresh interval of
// feeds that set none.
func NewScheduler(now func() time.Time, feedInterval time.Duration) *Scheduler {
	return &Scheduler{now: now, interval: feedInterval, byKey: map[string]*source{}}
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

// SetFeeds registers the stored feeds with their last state and returns a
// timer for each one that is not fetching: due now if it was never fetched,
// else when its interval (or the server's Retry-After) has passed.
func (s *Scheduler) SetFeeds(list []feeds.Feed) []timer {
	s.known = true
	now := s.now()
	var out []timer
	for _, f := range list {
		iv := f.Refresh
		if iv <= 0 {
			iv = s.interval
		}
		src := s.add(&source{key: feedKey(f.ID), name: sanitize(f.Name, false), feed: f, interval: iv})
		src.lastOK = f.LastOK
		if f.LastError != "" {
			src.setErrText(f.LastError)
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
	return out
}

// Due reports whether a timer with version for key should start a fetch:
// it is the source's current timer and the source is not fetching.
func (s *Scheduler) Due(key string, version int) bool {
	src := s.byKey[key]
	return src != nil && src.version == version && !src.inFlight
}

// Start marks key as fetching and returns the version its result must carry
// to reschedule, and the feed to fetch (zero for rates).
func (s *Scheduler) Start(key string) (version int, f feeds.Feed, ok bool) {
	src := s.byKey[key]
	if src == nil {
		return 0, feeds.Feed{}, false
	}
	src.inFlight = true
	src.rev++
	return src.version, src.feed, true
}

// All returns every source that is not fetching, with a new version so that
// its pending timer dies: `r` leaves exactly one loop per source.
func (s *Scheduler) All() []string {
	var keys []string
	for _, src := range s.sources {
		if src.inFlight {
			continue // its result reschedules
		}
		src.version++
		keys = append(keys, src.key)
	}
	return keys
}

// FinishFeed records a feed's refresh and returns its next timer (nil when
// the result belongs to a superseded loop).
func (s *Scheduler) FinishFeed(key string, version int, res feeds.Result) *timer {
	src := s.byKey[key]
	if src == nil {
		return nil
	}
	src.inFlight = false
	if res.Feed.ID != 0 {
		src.feed = res.Feed
		if n := sanitize(res.Feed.Name, false); n != "" {
			src.name = n
		}
	}
	src.setErr(res.Err)
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
	if src == nil {
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
			src.note = "missing " + sanitize(strings.Join(rep.Missing, ", "), false)
		}
		src.detail = ""
		if errs := rep.ErrorsText(); errs != "" {
			src.detail = "sources that failed (others answered): " + sanitize(errs, false)
		}
		for _, rj := range rep.Rejected {
			src.detail = strings.TrimSpace(src.detail + " rejected: " + sanitize(rj.Reason, false) + ".")
		}
	}
	if version != src.version {
		return nil
	}
	return &timer{ratesKey, src.version, src.interval}
}

// Busy reports whether any source is fetching.
func (s *Scheduler) Busy() bool {
	for _, src := range s.sources {
		if src.inFlight {
			return true
		}
	}
	return false
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
		case src.inFlight:
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
	src.fullErr = sanitize(err.Error(), false)
	src.lastErr = shortErr(err)
}

// setErrText records an error known only by its stored text.
func (src *source) setErrText(text string) { src.setErr(plainError(text)) }

// plainError is an error known only by its text (stored, or joined).
type plainError string

func (e plainError) Error() string { return string(e) }
