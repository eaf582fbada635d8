package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/rates"
)

// deps is how components reach the outside world: every call to the store,
// the fetchers or the browser runs inside a Cmd, under a context derived
// from Options.Context with a timeout, so quitting cancels it and Update
// never blocks.
type deps struct {
	opt *Options
	// outbox holds messages components post for each other; the root
	// handles them before its Update returns, so they keep the order of
	// the keys that caused them.
	outbox []tea.Msg
	// after replaces real timers in tests (nil: real, cancellable timers).
	after func(time.Duration, tea.Msg) tea.Cmd
	// sealed, once the store check found damage, is what every write
	// returns instead of writing (banner.go).
	sealed error
}

// withTimeout is a Cmd that runs fn under the program's context bounded by d.
func (d *deps) withTimeout(t time.Duration, fn func(context.Context) tea.Msg) tea.Cmd {
	parent := d.opt.Context
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, t)
		defer cancel()
		return fn(ctx)
	}
}

// store is a Cmd running fn against the store with the store timeout.
func (d *deps) store(fn func(context.Context) tea.Msg) tea.Cmd {
	return d.withTimeout(d.opt.StoreTimeout, fn)
}

// write is a Cmd running a store write: a write that finds the store busy
// (another process writing a large feed) is tried again, with a pause that
// grows, for up to three store timeouts, instead of failing at once.
func (d *deps) write(fn func(context.Context) error, done func(error) tea.Msg) tea.Cmd {
	if err := d.sealed; err != nil {
		return func() tea.Msg { return done(err) }
	}
	return d.withTimeout(3*d.opt.StoreTimeout, func(ctx context.Context) tea.Msg {
		pause := 20 * time.Millisecond
		for {
			err := fn(ctx)
			if err == nil || !feeds.IsBusy(err) || ctx.Err() != nil {
				return done(err)
			}
			select {
			case <-ctx.Done():
				return done(err)
			case <-time.After(pause):
			}
			pause = min(2*pause, time.Second)
		}
	})
}

// fetch is a Cmd running fn against the network with the fetch timeout.
func (d *deps) fetch(fn func(context.Context) tea.Msg) tea.Cmd {
	return d.withTimeout(d.opt.FetchTimeout, fn)
}

// sleep waits t, then returns msg; it returns nil if the program ends first.
func (d *deps) sleep(t time.Duration, msg tea.Msg) tea.Cmd {
	if d.after != nil {
		return d.after(t, msg)
	}
	ctx := d.opt.Context
	return func() tea.Msg {
		if t <= 0 {
			return msg
		}
		tm := time.NewTimer(t)
		defer tm.Stop()
		select {
		case <-ctx.Done():
			return nil
		case <-tm.C:
			return msg
		}
	}
}

func (d *deps) now() time.Time { return d.opt.Now() }

// post queues msg for the root to route within this Update; it returns a
// nil Cmd so that components can write `return c, c.sh.io.post(msg)`.
func (d *deps) post(msg tea.Msg) tea.Cmd {
	d.outbox = append(d.outbox, msg)
	return nil
}

// flash posts a one-off message for the status line.
func (d *deps) flash(text string) tea.Cmd { return d.post(flashMsg(text)) }

// take empties the outbox.
func (d *deps) take() []tea.Msg {
	out := d.outbox
	d.outbox = nil
	return out
}

// loadQuotes reads the stored latest quotes.
func (d *deps) loadQuotes() tea.Cmd {
	get, missing := d.opt.Quotes, d.opt.Missing
	if get == nil {
		return nil
	}
	return d.store(func(ctx context.Context) tea.Msg {
		q, err := get(ctx)
		msg := quotesMsg{quotes: sanitizeQuotes(q), err: err}
		if err == nil && missing != nil {
			msg.missing = sanitizeMissing(missing(ctx, q))
		}
		return msg
	})
}

// loadFeeds reads the stored feeds, which start the refresh loops.
func (d *deps) loadFeeds() tea.Cmd {
	st := d.opt.Articles
	if st == nil {
		return nil
	}
	return d.store(func(ctx context.Context) tea.Msg {
		gen, err := st.FeedsGeneration(ctx)
		if err != nil {
			return feedsMsg{err: err}
		}
		fs, err := st.Feeds(ctx)
		return feedsMsg{feeds: fs, gen: gen, err: err}
	})
}

// feedsPoll is how often the dashboard looks whether feeds were added or
// removed elsewhere (the command line) and whether another process wrote
// articles (a `steppe refresh` beside it): one row read and SQLite's
// data_version each time.
const feedsPoll = 2 * time.Second

// feedsGeneration reads the feeds table's generation.
func (d *deps) feedsGeneration(version int) tea.Cmd {
	st := d.opt.Articles
	if st == nil {
		return nil
	}
	return d.store(func(ctx context.Context) tea.Msg {
		gen, err := st.FeedsGeneration(ctx)
		if err != nil {
			return feedsGenMsg{version: version, err: err}
		}
		data, err := st.DataVersion(ctx)
		return feedsGenMsg{version: version, gen: gen, data: data, err: err}
	})
}

// settingKeys are what the dashboard remembers between runs.
var settingKeys = [...]string{"invert", "unread_only", "compact", "feed"}

// loadSettings reads the remembered settings.
func (d *deps) loadSettings() tea.Cmd {
	set := d.opt.Settings
	if set == nil {
		return func() tea.Msg { return settingsMsg{} }
	}
	return d.store(func(ctx context.Context) tea.Msg {
		m := settingsMsg{values: map[string]string{}}
		for _, k := range settingKeys {
			if v, ok, err := set.Get(ctx, k); err == nil && ok {
				m.values[k] = v
			}
		}
		return m
	})
}

// remember keeps a setting for the next start.
func (d *deps) remember(key, value string) tea.Cmd {
	set := d.opt.Settings
	if set == nil || d.sealed != nil {
		return nil
	}
	return d.store(func(ctx context.Context) tea.Msg {
		if err := set.Set(ctx, key, value); err != nil && !errors.Is(err, context.Canceled) {
			return flashMsg("could not remember " + key + ": " + err.Error())
		}
		return nil
	})
}

// openLink opens an http(s) link through Options.OpenURL, in a Cmd.
func (d *deps) openLink(link string) tea.Cmd {
	u, err := safeURL(link)
	if err != nil {
		return d.flash("not opened: " + err.Error())
	}
	open := d.opt.OpenURL
	if open == nil {
		return d.flash("not opened: no browser configured")
	}
	return func() tea.Msg { return openedMsg{url: u, err: open(u)} }
}

// --- sanitising, once, when data arrives --------------------------------

func sanitizeArticle(a feeds.Article) feeds.Article {
	a.ID = sanitize.Text(a.ID, false)
	a.FeedName = sanitize.Text(a.FeedName, false)
	a.Title = sanitize.Text(a.Title, false)
	if sanitize.Text(a.Link, false) != a.Link {
		a.Link = "" // a link with controls in it is not a link
	}
	a.Author = sanitize.Text(a.Author, false)
	a.Summary = sanitize.Text(a.Summary, false)
	a.Content = sanitize.Text(a.Content, true)
	a.FullText = sanitizeFullText(a.FullText)
	a.Enclosures = sanitizeEnclosures(a.Enclosures)
	return a
}

func sanitizePage(p feeds.Page) feeds.Page {
	items := make([]feeds.Article, len(p.Items))
	for i, a := range p.Items {
		items[i] = sanitizeArticle(a)
	}
	p.Items = items
	p.Query = sanitize.Text(p.Query, false)
	return p
}

func sanitizeMissing(m []MissingRate) []MissingRate {
	out := make([]MissingRate, len(m))
	for i, x := range m {
		out[i] = MissingRate{Code: sanitize.Text(x.Code, false), Base: sanitize.Text(x.Base, false), Why: sanitize.Text(x.Why, false)}
	}
	return out
}

func sanitizeQuotes(q []rates.Quote) []rates.Quote {
	out := make([]rates.Quote, len(q))
	for i, x := range q {
		x.Code = sanitize.Text(x.Code, false)
		x.Base = sanitize.Text(x.Base, false)
		x.Source = sanitize.Text(x.Source, false)
		out[i] = x
	}
	return out
}
