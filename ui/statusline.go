package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
func NewStatusLine(sh *shared, sched *Scheduler, offline bool) *StatusLine {
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(sh.styles.Spinner))
	return &StatusLine{sh: sh, sched: sched, offline: offline, spin: sp}
}

func (s *StatusLine) SetSize(w, _ int)             { s.width = w }
func (s *StatusLine) ShortHelp() []key.Binding     { return nil }
func (s *StatusLine) FullHelp() [][]key.Binding    { return nil }
func (s *StatusLine) ClearFlash()                  { s.flash = "" }
func (s *StatusLine) setFlash(text string)         { s.flash = sanitize(text, false) }
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
		if msg.err != nil {
			s.setFlash("open: " + msg.err.Error())
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
// ("5 feeds updated, newest 2m ago").
func (s *StatusLine) View() string {
	sep := s.muted(" · ")
	var lead []string
	if s.flash != "" {
		lead = append(lead, s.errorText(s.flash))
	}
	if s.offline {
		lead = append(lead, s.muted("offline"))
	}
	full := append([]string(nil), lead...)
	for _, src := range s.sched.sources {
		full = append(full, src.name+" "+s.state(src))
	}
	if line := " " + strings.Join(full, sep); ansi.StringWidth(line) <= s.width {
		return line
	}
	return ansi.Truncate(" "+strings.Join(s.summary(lead), sep), s.width, "…")
}

// summary names what fetches or fails and counts the rest.
func (s *StatusLine) summary(lead []string) []string {
	var fetching, failing []string
	okFeeds, never := 0, 0
	var newest time.Time
	ratesPart := ""
	now := s.sh.now()
	for _, src := range s.sched.sources {
		switch {
		case src.inFlight:
			fetching = append(fetching, src.name)
		case src.lastErr != "":
			failing = append(failing, s.errorText("✗ "+src.name+": "+src.lastErr))
		case src.key == ratesKey:
			if !src.lastOK.IsZero() {
				ratesPart = s.muted("rates updated " + age(now, src.lastOK))
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
	switch len(fetching) {
	case 0:
	case 1:
		out = append(out, s.spinnerView()+" "+fetching[0])
	default:
		out = append(out, s.spinnerView()+" fetching "+strconv.Itoa(len(fetching)))
	}
	out = append(out, failing...)
	if okFeeds > 0 {
		out = append(out, s.muted(plural(okFeeds, "feed", "feeds")+" updated, newest "+age(now, newest)))
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
		return st.Muted.Render("updated " + age(sh.now(), src.lastOK))
	}
	return st.Muted.Render("never updated")
}

// shortErr is an error in a few words for the status line: its own short
// form when it has one (errors.As finds any error with a Short method), else
// the first clause of its text.
func shortErr(err error) string {
	var sh interface{ Short() string }
	if errors.As(err, &sh) {
		return clip(sanitize(sh.Short(), false), 24)
	}
	e := sanitize(err.Error(), false)
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
		return ansi.Truncate(s, w, "…")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func itoa(n int) string { return strconv.Itoa(n) }
