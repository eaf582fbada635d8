package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
)

// refresher runs the refresh loops: it asks the Scheduler what is due and
// turns the answers into Cmds (timers and fetches), and the results into
// messages for the other components (arrivedMsg, quotesMsg, flashMsg).
type refresher struct {
	io    *deps
	sched *Scheduler
}

func newRefresher(io *deps) *refresher {
	r := &refresher{io: io, sched: NewScheduler(io.now, io.opt.FeedInterval)}
	if io.opt.RefreshRates != nil {
		r.sched.AddRates(io.opt.RatesInterval)
	}
	return r
}

// Init starts the rates loop (feeds start when the stored feeds arrive).
func (r *refresher) Init() tea.Cmd {
	if r.sched.source(ratesKey) == nil {
		return nil
	}
	return r.start(ratesKey)
}

// Update handles the refresh messages and reports whether msg was one.
func (r *refresher) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case feedsMsg:
		if msg.err != nil {
			return r.io.flash("feeds: " + msg.err.Error()), true
		}
		timers := r.sched.SetFeeds(msg.feeds)
		if r.io.opt.RefreshFeed == nil {
			return nil, true
		}
		cmds := make([]tea.Cmd, 0, len(timers))
		for _, t := range timers {
			cmds = append(cmds, r.arm(&t))
		}
		return tea.Batch(cmds...), true
	case sourceDueMsg:
		if !r.sched.Due(msg.key, msg.version) {
			return nil, true // a superseded timer
		}
		return r.start(msg.key), true
	case feedResultMsg:
		cmd := r.arm(r.sched.FinishFeed(msg.key, msg.version, msg.result))
		if msg.result.Err == nil && msg.result.New > 0 {
			r.io.post(arrivedMsg{})
		}
		return cmd, true
	case ratesResultMsg:
		cmd := r.arm(r.sched.FinishRates(msg.version, msg.report, msg.err))
		if len(msg.quotes) > 0 {
			r.io.post(quotesMsg{quotes: msg.quotes})
		}
		return cmd, true
	}
	return nil, false
}

// EmptyHint says why there may be no articles (see Scheduler.EmptyHint).
func (r *refresher) EmptyHint() string { return r.sched.EmptyHint() }

// All refreshes every source now (`r`).
func (r *refresher) All() tea.Cmd {
	if r.io.opt.Offline {
		return r.io.flash("offline: nothing to refresh")
	}
	keys := r.sched.All()
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		cmds = append(cmds, r.start(k))
	}
	return tea.Batch(cmds...)
}

func (r *refresher) arm(t *timer) tea.Cmd {
	if t == nil {
		return nil
	}
	return r.io.sleep(t.delay, sourceDueMsg{key: t.key, version: t.version})
}

// start runs one refresh of a source in a Cmd with the fetch timeout.
func (r *refresher) start(key string) tea.Cmd {
	opt := r.io.opt
	if key == ratesKey && opt.RefreshRates == nil || key != ratesKey && opt.RefreshFeed == nil {
		return nil
	}
	v, f, ok := r.sched.Start(key)
	if !ok {
		return nil
	}
	var run tea.Cmd
	if key == ratesKey {
		refresh, reload := opt.RefreshRates, r.io.loadQuotes()
		run = r.io.fetch(func(ctx context.Context) tea.Msg {
			rep, err := refresh(ctx)
			msg := ratesResultMsg{version: v, report: rep, err: err, quotes: sanitizeQuotes(rep.Quotes)}
			// The stored latest quotes, which may complete what this
			// refresh found (a currency only an earlier run could get).
			if reload != nil {
				if q, ok := reload().(quotesMsg); ok && q.err == nil && len(q.quotes) > 0 {
					msg.quotes = q.quotes
				}
			}
			return msg
		})
	} else {
		refresh := opt.RefreshFeed
		run = r.io.fetch(func(ctx context.Context) tea.Msg {
			return feedResultMsg{key: key, version: v, result: refresh(ctx, f)}
		})
	}
	r.io.post(fetchingMsg{})
	return run
}

// fetchingMsg tells the status line that a fetch started (its spinner runs).
type fetchingMsg struct{}
