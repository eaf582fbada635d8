package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/feeds"
)

// ratesKey is the source key of the rates chain; feeds use "feed:<id>".
const ratesKey = "rates"

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
}

// Status is the bottom status line (per source: a spinner, "updated 3m ago"
// or the error in short) and the errors pane.
type Status struct {
	styles  *Styles
	now     func() time.Time
	sources []*source
	offline bool
	credits []string

	feedsKnown bool // the feed list has been read from the store
	flash      string

	spin     spinner.Model
	spinning bool

	width, height int
}

// NewStatus builds the status component.
func NewStatus(st *Styles, now func() time.Time, offline bool, credits []string) *Status {
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spinner))
	c := make([]string, 0, len(credits))
	for _, s := range credits {
		c = append(c, sanitize(s, false))
	}
	return &Status{styles: st, now: now, offline: offline, credits: c, spin: sp}
}

// SetSize sets the width (the status line) and height (the errors pane).
func (s *Status) SetSize(w, h int) { s.width, s.height = w, h }

// Source returns the source with key, or nil.
func (s *Status) Source(key string) *source {
	for _, src := range s.sources {
		if src.key == key {
			return src
		}
	}
	return nil
}

// Add registers a source (or returns the existing one).
func (s *Status) Add(src *source) *source {
	if old := s.Source(src.key); old != nil {
		old.name = src.name
		old.feed = src.feed
		old.interval = src.interval
		return old
	}
	s.sources = append(s.sources, src)
	return src
}

// Flash shows a one-off message (until the next key).
func (s *Status) Flash(msg string) { s.flash = sanitize(msg, false) }

// busy reports whether any source is fetching.
func (s *Status) busy() bool {
	for _, src := range s.sources {
		if src.inFlight {
			return true
		}
	}
	return false
}

// StartSpinner starts the spinner if a source fetches and it is not running.
func (s *Status) StartSpinner() tea.Cmd {
	if s.spinning || !s.busy() {
		return nil
	}
	s.spinning = true
	return s.spin.Tick
}

// Update advances the spinner; it stops when nothing fetches.
func (s *Status) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(spinner.TickMsg); !ok {
		return nil
	}
	if !s.busy() {
		s.spinning = false
		return nil
	}
	var cmd tea.Cmd
	s.spin, cmd = s.spin.Update(msg)
	return cmd
}

// shortErr is the first clause of an error, for the status line.
func shortErr(e string) string {
	switch {
	case strings.Contains(e, "deadline exceeded") || strings.Contains(e, "Timeout"):
		return "timeout"
	case strings.Contains(e, "no such host"):
		return "no such host"
	case strings.Contains(e, "connection refused"):
		return "connection refused"
	}
	// steppe's own messages say what went wrong first ("not a feed: got
	// text/html", "TLS certificate error: …"); Go's wrapped errors and
	// "source: error" lists say it last (`Get "https://…": dial tcp …:
	// connection reset`, "erapi: HTTP 503 Service Unavailable").
	if i := strings.Index(e, ": "); i >= 0 && i+2 < len(e) {
		if first := e[:i]; strings.ContainsAny(first, "\"/") || !strings.Contains(first, " ") {
			e = e[strings.LastIndex(e, ": ")+2:]
		} else {
			e = first
		}
	}
	if ansi.StringWidth(e) > 24 {
		e = ansi.Truncate(e, 24, "…")
	}
	return e
}

func (s *Status) sourceState(src *source) string {
	st := s.styles
	switch {
	case src.inFlight:
		return s.spin.View()
	case src.lastErr != "":
		return st.Error.Render("✗ " + src.lastErr)
	case !src.lastOK.IsZero():
		return st.Muted.Render("updated " + age(s.now(), src.lastOK))
	}
	return st.Muted.Render("never updated")
}

// View is the one status line. It names every source ("24.kg updated 3m
// ago", a spinner while it fetches, "✗ 24.kg: HTTP 404") when that fits the
// width; otherwise it names only what fetches or fails and sums up the rest
// ("5 feeds ok, newest 2m ago").
func (s *Status) View() string {
	st := s.styles
	sep := st.Muted.Render(" · ")
	var lead []string
	if s.flash != "" {
		lead = append(lead, st.Error.Render(s.flash))
	}
	if s.offline {
		lead = append(lead, st.Muted.Render("offline"))
	}
	full := append([]string(nil), lead...)
	for _, src := range s.sources {
		full = append(full, src.name+" "+s.sourceState(src))
	}
	line := " " + strings.Join(full, sep)
	if ansi.StringWidth(line) <= s.width {
		return line
	}
	compact := append([]string(nil), lead...)
	var fetching []string
	okFeeds, never := 0, 0
	var newest time.Time
	ratesPart := ""
	for _, src := range s.sources {
		switch {
		case src.inFlight:
			fetching = append(fetching, src.name)
		case src.lastErr != "":
			compact = append(compact, st.Error.Render("✗ "+src.name+": "+src.lastErr))
		case src.key == ratesKey:
			if !src.lastOK.IsZero() {
				ratesPart = st.Muted.Render("rates updated " + age(s.now(), src.lastOK))
			}
		case src.lastOK.IsZero():
			never++
		default:
			okFeeds++
			if src.lastOK.After(newest) {
				newest = src.lastOK
			}
		}
	}
	if len(fetching) == 1 {
		compact = append(lead, append([]string{s.spin.View() + " " + fetching[0]}, compact[len(lead):]...)...)
	} else if len(fetching) > 1 {
		compact = append(lead, append([]string{s.spin.View() + " fetching " + strconv.Itoa(len(fetching))}, compact[len(lead):]...)...)
	}
	if okFeeds > 0 {
		compact = append(compact, st.Muted.Render(plural(okFeeds, "feed", "feeds")+" updated, newest "+age(s.now(), newest)))
	}
	if never > 0 {
		compact = append(compact, st.Muted.Render(strconv.Itoa(never)+" not fetched yet"))
	}
	if ratesPart != "" {
		compact = append(compact, ratesPart)
	}
	line = " " + strings.Join(compact, sep)
	return ansi.Truncate(line, s.width, "…")
}

// EmptyHint says why there may be no articles: nothing is configured, the
// feeds are being fetched, every feed failed, or the dashboard is offline.
func (s *Status) EmptyHint() string {
	if s.offline {
		return "offline, and nothing is stored"
	}
	if !s.feedsKnown {
		return ""
	}
	feeds, failed := 0, 0
	for _, src := range s.sources {
		if src.key == ratesKey {
			continue
		}
		feeds++
		switch {
		case src.inFlight:
			return "fetching the feeds…"
		case src.lastErr != "":
			failed++
		}
	}
	switch {
	case feeds == 0:
		return "no feeds are configured (add [[feeds]] to the config)"
	case failed == feeds:
		return "no feed could be fetched (e shows why; steppe --demo shows sample data)"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// ErrorsView is the pane listing every source with its full last error.
func (s *Status) ErrorsView() string {
	st := s.styles
	w := max(1, s.width)
	lines := []string{st.PaneTitle.Render(" Sources") + st.Muted.Render("  (e or esc to close)")}
	for _, src := range s.sources {
		state := "ok"
		switch {
		case src.inFlight:
			state = "fetching"
		case src.fullErr != "":
			state = "error"
		case src.lastOK.IsZero():
			state = "never updated"
		}
		head := " " + src.name + " — " + state
		if !src.lastOK.IsZero() {
			head += ", updated " + age(s.now(), src.lastOK)
		}
		if src.note != "" {
			head += ", " + src.note
		}
		lines = append(lines, head)
		if src.feed.URL != "" {
			lines = append(lines, st.Muted.Render("   "+src.feed.URL))
		}
		if src.fullErr != "" {
			for _, l := range strings.Split(ansi.Wrap(src.fullErr, max(1, w-3), ""), "\n") {
				lines = append(lines, st.Error.Render("   "+l))
			}
		}
		if src.detail != "" {
			for _, l := range strings.Split(ansi.Wrap(src.detail, max(1, w-3), ""), "\n") {
				lines = append(lines, st.Muted.Render("   "+l))
			}
		}
	}
	if len(s.sources) == 0 {
		lines = append(lines, st.Muted.Render(" no sources"))
	}
	for _, c := range s.credits {
		lines = append(lines, st.Muted.Render(" "+c))
	}
	if len(lines) > s.height {
		lines = lines[:max(0, s.height)]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}
