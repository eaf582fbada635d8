package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// StatusLine is the bottom line: a one-off message, then per source a
// spinner, "updated 3m ago" or its error in short.
type StatusLine struct {
	sh      *shared
	sched   *Scheduler
	offline bool
	flash   string

	spin     spinner.Model
	spinning bool
	width    int
}

// NewStatusLine builds the status line over the scheduler's sources.
// The first of the config's warnings shows until the first key.
func NewStatusLine(sh *shared, sched *Scheduler, offline bool, warnings []Warning) *StatusLine {
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(sh.styles.Spinner))
	s := &StatusLine{sh: sh, sched: sched, offline: offline, spin: sp}
	if len(warnings) > 0 {
		more := ""
		if len(warnings) > 1 {
			more = " (e shows all " + strconv.Itoa(len(warnings)) + ")"
		}
		s.setFlash(warnings[0].Short + more)
	}
	return s
}

func (s *StatusLine) SetSize(w, _ int)             { s.width = w }
func (s *StatusLine) restyle() tea.Cmd             { s.spin.Style = s.sh.styles.Spinner; return nil }
func (s *StatusLine) ShortHelp() []key.Binding     { return nil }
func (s *StatusLine) FullHelp() [][]key.Binding    { return nil }
func (s *StatusLine) ClearFlash()                  { s.flash = "" }
func (s *StatusLine) setFlash(text string)         { s.flash = sanitize.Text(text, false) }
func (s *StatusLine) spinnerView() string          { return s.spin.View() }
func (s *StatusLine) state(src *source) string     { return sourceState(s.sh, src, s.spinnerView) }
func (s *StatusLine) muted(text string) string     { return s.sh.styles.Muted.Render(text) }
func (s *StatusLine) errorText(text string) string { return s.sh.styles.Error.Render(text) }

// Update shows flashes and runs the spinner while anything fetches.
func (s *StatusLine) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case flashMsg:
		s.setFlash(string(msg))
	case openedMsg:
		var short interface{ Short() string }
		switch {
		case errors.As(msg.err, &short):
			s.setFlash(short.Short()) // "no browser found; link: https://…": the link to copy comes early
		case msg.err != nil:
			s.setFlash("open: " + msg.err.Error())
		default:
			s.setFlash("opened " + sanitize.Redact(msg.url) + " in the browser")
		}
	case markedReadMsg:
		if msg.err != nil {
			s.setFlash("mark read: " + msg.err.Error())
		}
	case fetchingMsg:
		if !s.spinning && s.sched.Busy() {
			s.spinning = true
			return s, s.spin.Tick
		}
	case spinner.TickMsg:
		if !s.sched.Busy() {
			s.spinning = false
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	}
	return s, nil
}

// View is the one status line. It names every source ("24.kg updated 3m
// ago", a spinner while it fetches, "✗ 24.kg: HTTP 404") when that fits the
// width; otherwise it names only what fetches or fails and sums up the rest
// ("5 feeds updated, newest 2m ago"). It lays out only what it shows: with
// ten thousand feeds a frame counts them, it does not draw them.
func (s *StatusLine) View() string {
	sep := s.muted(" · ")
	var lead []string
	if s.flash != "" {
		lead = append(lead, s.errorText(s.flash))
	}
	if s.offline {
		lead = append(lead, s.muted("offline"))
	}
	if s.fullFits(lead) {
		full := append([]string(nil), lead...)
		for _, src := range s.sched.sources {
			full = append(full, src.name+" "+s.state(src))
		}
		return " " + strings.Join(full, sep)
	}
	return truncate(" "+strings.Join(s.summary(lead), sep), s.width, "…")
}

// fullFits reports whether every source can be named, by plain widths,
// giving up as soon as the width is passed.
func (s *StatusLine) fullFits(lead []string) bool {
	w := 1
	for _, l := range lead {
		w += ansi.StringWidth(l) + 3
	}
	now := s.sh.now()
	for _, src := range s.sched.sources {
		w += ansi.StringWidth(src.name) + 1 + ansi.StringWidth(plainState(src, now)) + 3
		if w-3 > s.width {
			return false
		}
	}
	return true
}

// plainState is sourceState without styles (the spinner is one cell).
func plainState(src *source, now time.Time) string {
	switch {
	case src.inFlight:
		return "·"
	case src.lastErr != "":
		return "✗ " + src.lastErr
	case !src.lastOK.IsZero():
		return "updated " + textfmt.Age(now, src.lastOK)
	}
	return "never updated"
}

// summary names what fetches or fails (as many failing as fit) and counts
// the rest.
func (s *StatusLine) summary(lead []string) []string {
	var fetchingName string
	fetching, okFeeds, never, failing := 0, 0, 0, 0
	var newest time.Time
	ratesPart := ""
	now := s.sh.now()
	room := s.width / 2 // failing sources named in at most half the line
	var failed []string
	for _, src := range s.sched.sources {
		switch {
		case src.inFlight || src.waiting:
			fetching++
			fetchingName = src.name
		case src.lastErr != "":
			failing++
			if text := "✗ " + src.name + ": " + src.lastErr; len(failed) == 0 || ansi.StringWidth(text)+3 <= room {
				room -= ansi.StringWidth(text) + 3
				failed = append(failed, s.errorText(text))
			}
		case src.key == ratesKey:
			if !src.lastOK.IsZero() {
				ratesPart = s.muted("rates updated " + textfmt.Age(now, src.lastOK))
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
	out := append([]string(nil), lead...)
	switch fetching {
	case 0:
	case 1:
		out = append(out, s.spinnerView()+" "+fetchingName)
	default:
		out = append(out, s.spinnerView()+" fetching "+strconv.Itoa(fetching))
	}
	out = append(out, failed...)
	if more := failing - len(failed); more > 0 {
		out = append(out, s.errorText("✗ "+textfmt.Plural(more, "more feed", "more feeds")+" failing (e)"))
	}
	if okFeeds > 0 {
		out = append(out, s.muted(textfmt.Plural(okFeeds, "feed", "feeds")+" updated, newest "+textfmt.Age(now, newest)))
	}
	if never > 0 {
		out = append(out, s.muted(strconv.Itoa(never)+" not fetched yet"))
	}
	if ratesPart != "" {
		out = append(out, ratesPart)
	}
	return out
}

// sourceState is a source's state in a few cells: the spinner while it
// fetches, its short error, or when it last worked.
func sourceState(sh *shared, src *source, spin func() string) string {
	st := sh.styles
	switch {
	case src.inFlight:
		return spin()
	case src.lastErr != "":
		return st.Error.Render("✗ " + src.lastErr)
	case !src.lastOK.IsZero():
		return st.Muted.Render("updated " + textfmt.Age(sh.now(), src.lastOK))
	}
	return st.Muted.Render("never updated")
}

// shortErr is an error in a few words for the status line: its own short
// form when it has one (errors.As finds any error with a Short method), else
// the first clause of its text.
func shortErr(err error) string {
	var sh interface{ Short() string }
	if errors.As(err, &sh) {
		return clip(sanitize.Text(sh.Short(), false), 24)
	}
	e := sanitize.Text(err.Error(), false)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(e, "deadline exceeded") || strings.Contains(e, "Timeout"):
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
	return clip(e, 24)
}

// clip cuts s to w cells with an ellipsis.
func clip(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return truncate(s, w, "…")
	}
	return s
}
