package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
)

// refresher runs the refresh loops: it asks the Scheduler what is due and
// turns the answers into Cmds (timers and fetches), and the results into
// messages for the other components (arrivedMsg, quotesMsg, flashMsg).
type refresher struct {
	io    *deps
	sched *Scheduler

	gen     int64 // the feeds table's generation the scheduler knows
	data    int64 // the store's data version last seen
	seen    bool  // data holds one
	pollVer int   // the live feeds poll; older timers die
	round   int   // 0: feeds not known; 1: the first round runs; 2: it ended
}

// roundOver tells the list, once, that the first round of refreshes ended
// (or there is none): from then on arrivals are announced, not shown.
func (r *refresher) roundOver() {
	if r.round == 1 && !r.sched.FeedsBusy() {
		r.round = 2
		r.io.post(roundDoneMsg{})
	}
}

func newRefresher(io *deps, sched *Scheduler) *refresher {
	r := &refresher{io: io, sched: sched}
	if io.opt.RefreshRates != nil {
		r.sched.AddRates(io.opt.RatesInterval)
	}
	return r
}

// Init starts the rates loop (feeds start when the stored feeds arrive)
// and the poll that notices feeds added or removed elsewhere.
func (r *refresher) Init() tea.Cmd {
	cmd := r.poll()
	if src := r.sched.source(ratesKey); src != nil {
		cmd = tea.Batch(cmd, r.start(r.sched.Due(ratesKey, src.version)))
	}
	return cmd
}

// poll arms the next look at the feeds table's generation.
func (r *refresher) poll() tea.Cmd {
	if r.io.opt.Articles == nil {
		return nil
	}
	r.pollVer++
	return r.io.sleep(feedsPoll, feedsPollMsg{version: r.pollVer})
}

// Update handles the refresh messages and reports whether msg was one.
func (r *refresher) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case feedsPollMsg:
		if msg.version != r.pollVer {
			return nil, true
		}
		return r.io.feedsGeneration(msg.version), true
	case feedsGenMsg:
		if msg.version != r.pollVer {
			return nil, true
		}
		cmd := r.poll()
		if msg.err == nil && msg.gen != r.gen {
			cmd = tea.Batch(cmd, r.io.loadFeeds())
		}
		if msg.err == nil {
			// Another writer stored something: the list counts the
			// arrivals ("N new") and its counts, the selection kept.
			if r.seen && msg.data != r.data {
				r.io.post(arrivedMsg{changed: true})
			}
			r.data, r.seen = msg.data, true
		}
		return cmd, true
	case feedsMsg:
		if msg.err != nil {
			return r.io.flash("feeds: " + msg.err.Error()), true
		}
		r.gen = msg.gen
		timers := r.sched.SetFeeds(msg.feeds)
		if r.round == 0 {
			r.round = 1
			// The first round is what is due now; nothing due, no round.
			due := 0
			for _, t := range timers {
				if t.delay <= 0 {
					due++
				}
			}
			if due == 0 || r.io.opt.RefreshFeed == nil {
				r.round = 2
				r.io.post(roundDoneMsg{})
			}
		}
		if r.io.opt.RefreshFeed == nil {
			return nil, true
		}
		cmds := make([]tea.Cmd, 0, len(timers))
		for _, t := range timers {
			cmds = append(cmds, r.arm(&t))
		}
		return tea.Batch(cmds...), true
	case sourceDueMsg:
		return r.start(r.sched.Due(msg.key, msg.version)), true
	case feedResultMsg:
		cmd := tea.Batch(r.arm(r.sched.FinishFeed(msg.key, msg.version, msg.result)), r.start(r.sched.Next()))
		if res := msg.result; res.Err == nil && (res.New > 0 || res.Changed > 0) {
			r.io.post(arrivedMsg{changed: res.Changed > 0})
		}
		r.roundOver()
		return cmd, true
	case ratesResultMsg:
		cmd := r.arm(r.sched.FinishRates(msg.version, msg.report, msg.err))
		if len(msg.quotes) > 0 || msg.reloaded {
			// What is stored now, and why any currency has no quote:
			// a refresh that found nothing says so too.
			r.io.post(quotesMsg{quotes: msg.quotes, missing: msg.missing})
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
	if r.io.refused("not refreshed") {
		return nil
	}
	// Feeds added elsewhere since the last poll are fetched too.
	return tea.Batch(r.start(r.sched.All()), r.io.loadFeeds())
}

func (r *refresher) arm(t *timer) tea.Cmd {
	if t == nil {
		return nil
	}
	return r.io.sleep(t.delay, sourceDueMsg{key: t.key, version: t.version})
}

// start runs the refresh of each source the scheduler started.
func (r *refresher) start(keys []string) tea.Cmd {
	if len(keys) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		cmds = append(cmds, r.fetch(k))
	}
	r.io.post(fetchingMsg{})
	return tea.Batch(cmds...)
}

// fetch runs one refresh of a source in a Cmd with the fetch timeout.
func (r *refresher) fetch(key string) tea.Cmd {
	opt := r.io.opt
	v, f, ok := r.sched.Fetch(key)
	if !ok {
		return nil
	}
	if err := r.io.sealed; err != nil {
		// A damaged store: nothing is fetched to be written to it.
		if key == ratesKey {
			return func() tea.Msg { return ratesResultMsg{version: v, err: err} }
		}
		return func() tea.Msg { return feedResultMsg{key: key, version: v, result: feeds.Result{Feed: f, Err: err}} }
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
				if q, ok := reload().(quotesMsg); ok && q.err == nil && (len(q.quotes) > 0 || len(msg.quotes) == 0) {
					msg.quotes, msg.missing, msg.reloaded = q.quotes, q.missing, true
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
	return run
}

// fetchingMsg tells the status line that a fetch started (its spinner runs).
type fetchingMsg struct{}
