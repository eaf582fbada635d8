package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/syncer"
	"github.com/steppe-news/steppe/internal/textfmt"
	"github.com/steppe-news/steppe/ui"
)

// ---- steppe sync ----

// errNoSync is a sync asked for with no [sync] in the config.
var errNoSync = errors.New("no sync server is configured")

// syncEngine builds the engine of the configured [sync] server, reading
// its secret (a command, a file or the environment).
func (a *app) syncEngine(ctx context.Context) (*syncer.Engine, error) {
	sc := a.cfg.Sync
	if !sc.Enabled() {
		where := a.cfg.Path
		if where == "" {
			where = defaultGlobals().config
		}
		return nil, fmt.Errorf("%w: add a [sync] table to %s (service = \"miniflux\" or \"greader\", url, username, password_command; see the README)", errNoSync, where)
	}
	sec, err := sc.Secret(ctx)
	if err != nil {
		return nil, err
	}
	cred := syncer.Credentials{Username: sc.Username, Password: sec.Password, Token: sec.Token}
	client := &http.Client{Timeout: 2*time.Duration(a.cfg.FetchTimeout) + 10*time.Second, Transport: a.transport}
	url := strings.TrimSpace(sc.URL)
	var b syncer.Backend
	switch sc.Service {
	case config.ServiceMiniflux:
		b = syncer.NewMiniflux(url, cred, client)
	default:
		b = syncer.NewGReader(url, cred, client)
	}
	return &syncer.Engine{Backend: b, Store: a.store.feeds, Service: sc.Service, URL: sanitize.Redact(url)}, nil
}

// syncSummary is one line of what a sync did.
func syncSummary(rep syncer.Report) string {
	s := fmt.Sprintf("%s, %s (%s new)", textfmt.Plural(rep.Feeds, "feed", "feeds"), textfmt.Plural(rep.Entries, "entry", "entries"), fmt.Sprint(rep.New))
	if rep.Pushed > 0 {
		s += ", " + textfmt.Plural(rep.Pushed, "change", "changes") + " sent"
	}
	if rep.Superseded > 0 {
		s += fmt.Sprintf(", %d older local %s dropped (changed later on the server)", rep.Superseded, textfmt.Word(rep.Superseded, "change", "changes"))
	}
	if rep.Read+rep.Starred > 0 {
		s += fmt.Sprintf(", %d read and %d star %s from the server", rep.Read, rep.Starred, textfmt.Word(rep.Read+rep.Starred, "change", "changes"))
	}
	if rep.Pending > 0 {
		s += fmt.Sprintf(", %d made meanwhile still to send", rep.Pending)
	}
	return s
}

// syncFailure is the message of a failed sync: the reason, and that
// nothing was lost.
func (a *app) syncFailure(ctx context.Context, err error) error {
	st, serr := a.store.feeds.SyncStatus(context.WithoutCancel(ctx))
	kept := ""
	if serr == nil && st.Pending > 0 {
		kept = fmt.Sprintf("; %s kept for the next sync", textfmt.Plural(st.Pending, "local change", "local changes"))
	}
	return fmt.Errorf("%s%s", sanitize.Redact(oneLine(err.Error())), kept)
}

type syncJSON struct {
	Service    string  `json:"service"`
	URL        string  `json:"url"`
	Feeds      int     `json:"feeds"`
	Entries    int     `json:"entries"`
	New        int     `json:"new"`
	Pushed     int     `json:"pushed"`
	Superseded int     `json:"superseded"`
	Read       int     `json:"read_changed"`
	Starred    int     `json:"starred_changed"`
	Pending    int     `json:"pending"`
	Seconds    float64 `json:"seconds"`
}

// runSync runs one two-way sync with the [sync] server: exit 1 when it
// cannot (the server down, a wrong password), with every local change
// kept for the next one.
func runSync(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	asJSON := false
	if err := flagsOnly("sync", g, args, stderr, jsonFlag(&asJSON)); err != nil {
		return err
	}
	a, err := openOnline(ctx, g, stderr, "sync talks to the server", "sync could not save what it brings")
	if err != nil {
		return err
	}
	defer a.Close()
	e, err := a.syncEngine(ctx)
	if err != nil {
		return err
	}
	rep, err := e.Sync(ctx)
	if err != nil {
		if stopped(ctx, err) {
			return ctx.Err()
		}
		return a.syncFailure(ctx, err)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(syncJSON{Service: e.Service, URL: e.URL, Feeds: rep.Feeds, Entries: rep.Entries, New: rep.New,
			Pushed: rep.Pushed, Superseded: rep.Superseded, Read: rep.Read, Starred: rep.Starred, Pending: rep.Pending,
			Seconds: rep.Took.Seconds()})
	}
	fmt.Fprintf(stdout, "synced with %s at %s: %s (%s)\n", e.Service, e.URL, syncSummary(rep), roundDur(rep.Took))
	return nil
}

// pushQueued sends the queued local changes to the [sync] server (steppe
// mark), and says how it went.
func (a *app) pushQueued(ctx context.Context, stdout io.Writer) error {
	e, err := a.syncEngine(ctx)
	if err != nil {
		return err
	}
	n, err := e.Push(ctx)
	if err != nil {
		return a.syncFailure(ctx, err)
	}
	if n > 0 {
		fmt.Fprintf(stdout, "sent %s to %s\n", textfmt.Plural(n, "change", "changes"), e.URL)
	}
	return nil
}

// backgroundSync is the dashboard's sync: the scheduler refreshes each
// server feed on its interval and on r; the first of them that comes due
// runs one sync for all (the others share its outcome), at most once per
// [sync] interval unless r asked (every server feed due at once).
type backgroundSync struct {
	a     *app
	every time.Duration

	mu    sync.Mutex
	last  time.Time
	rep   syncer.Report
	err   error
	via   string         // the server and the last sync's outcome, for the sources pane
	asked map[int64]bool // server feeds asked for since the last sync
	told  bool           // the last sync's arrivals went out in a feed's result
}

// start runs the first sync, as the dashboard opens.
func (b *backgroundSync) start(ctx context.Context) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.run(ctx)
}

// run syncs now (b.mu held).
func (b *backgroundSync) run(ctx context.Context) {
	began := time.Now()
	b.rep, b.err = syncer.Report{}, nil
	e, err := b.a.syncEngine(ctx)
	if err == nil {
		b.rep, err = e.Sync(ctx)
		b.via = fmt.Sprintf("from %s at %s; last sync %s", e.Service, e.URL, began.Format("15:04:05"))
		if err == nil {
			b.via += ": " + syncSummary(b.rep)
		} else {
			b.via += " failed"
		}
	}
	if err != nil && !stopped(ctx, err) {
		err = b.a.syncFailure(ctx, err)
	}
	b.err, b.last, b.told = err, began, false
	if b.asked == nil {
		b.asked = map[int64]bool{}
	}
	clear(b.asked)
}

// feed is the refresh of server feed f: the outcome of the sync that
// brought it (run now when due).
func (b *backgroundSync) feed(ctx context.Context, f feeds.Feed) feeds.Result {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.asked == nil {
		b.asked = map[int64]bool{}
	}
	// A feed asked for again before the interval passed is r: sync now.
	due := b.last.IsZero() || time.Since(b.last) >= b.every || b.asked[f.ID]
	res := feeds.Result{Feed: f}
	if due {
		b.run(ctx)
	}
	if !b.told && b.err == nil {
		// The first result after a sync carries its arrivals (the one
		// as the dashboard opens included): the list reloads and says
		// how many came.
		res.New, b.told = b.rep.New, true
		res.Changed = b.rep.Entries - b.rep.New + b.rep.Read + b.rep.Starred
	} else {
		res.NotModified = b.err == nil
	}
	b.asked[f.ID] = true
	res.Err, res.Took, res.Via = b.err, b.rep.Took, b.via
	if st, err := b.a.store.feeds.FindFeeds(ctx, f.URL); err == nil && len(st) == 1 {
		res.Feed = st[0]
	}
	return res
}

// syncedFeeds is the dashboard's store with the server's feeds refreshed
// (synced) on the [sync] interval rather than the feeds' own.
type syncedFeeds struct {
	ui.ArticleStore
	every time.Duration
}

func (s syncedFeeds) Feeds(ctx context.Context) ([]feeds.Feed, error) {
	list, err := s.ArticleStore.Feeds(ctx)
	for i := range list {
		if list[i].Origin == feeds.OriginServer {
			list[i].Refresh = s.every
		}
	}
	return list, err
}
