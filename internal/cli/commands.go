package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/syncer"
	"github.com/steppe-news/steppe/internal/textfmt"
	"github.com/steppe-news/steppe/rates"
)

// fetcher is the one feed fetcher of a run, sharing one http.Client.
func (a *app) fetcher() *feeds.Fetcher {
	opt := feeds.Options{UserAgent: userAgent(), Timeout: time.Duration(a.cfg.FetchTimeout),
		MaxItems: a.cfg.MaxItems, ItemsFor: a.cfg.FeedItems()}
	if a.transport != nil {
		opt.Client = &http.Client{Transport: a.transport}
	}
	return feeds.NewFetcher(a.store.feeds, opt)
}

// ratesChain builds the configured providers, in order, over the store.
func (a *app) ratesChain() (*rates.Chain, error) {
	client := &http.Client{Timeout: time.Duration(a.cfg.FetchTimeout), Transport: a.transport}
	ps, err := rates.Providers(a.cfg.Rates.Providers, a.cfg.Rates.Endpoints, client, userAgent())
	if err != nil {
		return nil, err
	}
	return rates.NewChain(ps, a.store.rates), nil
}

// syncFeeds stores the configured feeds and returns every active one. A
// read-only store is not changed: its feeds are returned as they are.
func (a *app) syncFeeds(ctx context.Context) ([]feeds.Feed, error) {
	if a.store.readOnly {
		return a.store.feeds.Feeds(ctx)
	}
	return a.store.feeds.SyncFeeds(ctx, a.cfg.FeedSpecs())
}

// fetchList is the feeds steppe fetches itself: every active feed but,
// with [sync] set, the sync server's, which arrive through sync.
func (a *app) fetchList(ctx context.Context) ([]feeds.Feed, error) {
	list, err := a.syncFeeds(ctx)
	if err != nil || !a.cfg.Sync.Enabled() {
		return list, err
	}
	own := list[:0]
	for _, f := range list {
		if f.Origin != feeds.OriginServer {
			own = append(own, f)
		}
	}
	return own, nil
}

// flagsOnly parses the flags of a command that takes no other arguments
// (subFlags), refusing any.
func flagsOnly(cmd string, g *globals, args []string, stderr io.Writer, define func(fs *flag.FlagSet)) error {
	pos, err := subFlags(cmd, g, args, stderr, define)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badUsage(fmt.Sprintf("%s takes no arguments (got %q)", cmd, strings.Join(pos, " ")))
	}
	return nil
}

// jsonFlag defines --json, setting *on.
func jsonFlag(on *bool) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) { fs.BoolVar(on, "json", false, "print JSON") }
}

// ---- steppe headlines ----

type headlineJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Link      string `json:"link"`
	Feed      string `json:"feed"`
	Published string `json:"published"`
	// DateUnknown: the item came without a usable date; published is when
	// it was first seen, which places it in the list.
	DateUnknown bool   `json:"date_unknown,omitempty"`
	Summary     string `json:"summary"`
	Read        bool   `json:"read"`
	Starred     bool   `json:"starred"`
	// Enclosures: the item's audio and video files, where it has any.
	Enclosures []feeds.Enclosure `json:"enclosures,omitempty"`
}

type headlinesJSON struct {
	Page  int            `json:"page"`
	Pages int            `json:"pages"`
	Total int            `json:"total"`
	Items []headlineJSON `json:"items"`
}

func runHeadlines(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	page, asJSON, query, feedName := 1, false, "", ""
	err := flagsOnly("headlines", g, args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&page, "page", 1, "page `N` (1 is the newest)")
		fs.StringVar(&query, "query", "", "the query feed `NAME` ([[queries]] in the config)")
		fs.StringVar(&feedName, "feed", "", "only the feed `NAME` (its name or URL)")
		jsonFlag(&asJSON)(fs)
	})
	if err != nil {
		return err
	}
	if query != "" && feedName != "" {
		return badUsage("headlines lists a query feed (--query) or a feed (--feed), not both")
	}
	if page < 1 {
		return badUsage(fmt.Sprintf("--page must be 1 or more, not %d", page))
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	size := a.cfg.PageSize
	if size == 0 {
		size = config.CLIPageSize
	}
	if query != "" {
		name, ok := a.cfg.CompiledRules().QueryName(query)
		if !ok {
			return config.QueryNotFound(query, a.cfg.CompiledRules())
		}
		query = name
	}
	v := feeds.View{QueryFeed: query}
	if feedName != "" {
		if v.FeedID, err = findOneFeed(ctx, a.store.feeds, feedName); err != nil {
			return err
		}
	}
	p, err := a.store.feeds.PageOf(ctx, v, page, size)
	if err != nil {
		return err
	}
	if page > max(p.Pages, 1) || p.Total == 0 && page > 1 {
		return pastLastPage(page, p)
	}
	if asJSON {
		out := headlinesJSON{Page: p.Page, Pages: p.Pages, Total: p.Total, Items: []headlineJSON{}}
		for _, it := range p.Items {
			out.Items = append(out.Items, headlineJSON{
				ID: it.ID, Title: it.Title, Link: it.Link, Feed: it.FeedName,
				Published: it.Published.UTC().Format(time.RFC3339), DateUnknown: it.NoDate,
				Summary: it.Summary, Read: it.Read, Starred: it.Starred, Enclosures: it.Enclosures,
			})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	writeHeadlines(stdout, p, time.Now())
	return nil
}

// pastLastPage is the error for a --page past the last: a script gets
// exit 1 (with --json too) and a person learns how many pages there are.
func pastLastPage(page int, p feeds.Page) error {
	if p.Total == 0 {
		return fmt.Errorf("page %d is past the last page: nothing is stored yet (run `steppe refresh`)", page)
	}
	pages := fmt.Sprintf("there are %d pages", p.Pages)
	if p.Pages == 1 {
		pages = "there is 1 page"
	}
	return fmt.Errorf("page %d is past the last page: %s of %d (%s)", page, pages, p.Size, textfmt.Plural(p.Total, "headline", "headlines"))
}

// writeHeadlines prints a page as the reference page shows it.
func writeHeadlines(w io.Writer, p feeds.Page, now time.Time) {
	fmt.Fprintln(w, now.Format("2 January 2006"))
	if p.Total == 0 {
		fmt.Fprintln(w, "No stored headlines yet: run `steppe refresh` to fetch the feeds.")
		return
	}
	first := (p.Page-1)*p.Size + 1
	last := first + len(p.Items) - 1
	fmt.Fprintf(w, "Viewing results %d - %d of %d (page %d of %d)\n", first, last, p.Total, p.Page, p.Pages)
	for _, it := range p.Items {
		fmt.Fprintln(w)
		mark := " "
		if !it.Read {
			mark = "•"
		}
		fmt.Fprintf(w, "%s %s\n", mark, oneLine(it.Title))
		when := it.Published.Local().Format("2 Jan 2006 15:04")
		if it.NoDate {
			when = "date unknown"
		}
		fmt.Fprintf(w, "  %s · %s\n", oneLine(it.FeedName), when)
		if s := oneLine(it.Summary); s != "" {
			fmt.Fprintf(w, "  %s\n", s)
		}
		if it.Link != "" {
			fmt.Fprintf(w, "  %s\n", it.Link)
		}
	}
}

// ---- steppe rates ----

// rateJSON is one configured currency: its latest stored quote, or (with
// the numbers null) why there is none in "missing".
type rateJSON struct {
	Code      string   `json:"code"`
	Base      string   `json:"base"`
	PerBase   *float64 `json:"per_base"`
	InBase    *float64 `json:"in_base"`
	ChangePct *float64 `json:"change_pct"`
	AsOf      *string  `json:"as_of"`
	Source    *string  `json:"source"`
	Stale     bool     `json:"stale"`
	Missing   string   `json:"missing,omitempty"`
	// Unconfirmed: held until a second source or the next publication agrees.
	Unconfirmed bool `json:"unconfirmed"`
}

func runRates(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	asJSON := false
	if err := flagsOnly("rates", g, args, stderr, jsonFlag(&asJSON)); err != nil {
		return err
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	qs, err := a.store.rates.Latest(ctx, a.cfg.Rates.Base, a.cfg.Rates.Currencies)
	if err != nil {
		return err
	}
	missing := a.missingRates(ctx, qs)
	now := time.Now()
	if asJSON {
		byCode := map[string]rates.Quote{}
		for _, q := range qs {
			byCode[q.Code] = q
		}
		out := []rateJSON{}
		for _, code := range a.cfg.Rates.Currencies {
			q, ok := byCode[code]
			if !ok {
				out = append(out, rateJSON{Code: code, Base: a.cfg.Rates.Base, Missing: missing[code]})
				continue
			}
			asOf := q.AsOf.Format("2006-01-02")
			r := rateJSON{Code: q.Code, Base: q.Base, PerBase: &q.PerBase, InBase: &q.InBase,
				AsOf: &asOf, Source: &q.Source, Stale: rates.Stale(q, now), Unconfirmed: q.Unconfirmed}
			if q.HasChange {
				r.ChangePct = &q.ChangePct
			}
			out = append(out, r)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(qs) == 0 && allNothingStored(missing) {
		fmt.Fprintf(stdout, "No stored rates yet for %s: run `steppe refresh` to fetch them.\n", strings.Join(a.cfg.Rates.Currencies, ", "))
		return nil
	}
	writeRates(stdout, qs, a.cfg.Rates.Invert, now)
	for _, code := range a.cfg.Rates.Currencies {
		if why, ok := missing[code]; ok {
			pair := code + "/" + a.cfg.Rates.Base
			if a.cfg.Rates.Invert {
				pair = a.cfg.Rates.Base + "/" + code
			}
			fmt.Fprintf(stdout, "%s  no quote: %s\n", pair, why)
		}
	}
	return nil
}

// lastMissingKey is the setting that keeps why the last rates refresh got
// no quote for some currencies: {"KZT": "no configured source carries it"}.
const lastMissingKey = "rates.last_missing"

// missingRates says, for each configured currency without a stored quote,
// why: what the last refresh found, else that nothing is stored yet.
func (a *app) missingRates(ctx context.Context, qs []rates.Quote) map[string]string {
	have := map[string]bool{}
	for _, q := range qs {
		have[q.Code] = true
	}
	last := map[string]string{}
	if v, ok, err := a.store.settings.Get(ctx, lastMissingKey); err == nil && ok {
		_ = json.Unmarshal([]byte(v), &last) // a damaged value only loses the reasons
	}
	out := map[string]string{}
	for _, code := range a.cfg.Rates.Currencies {
		switch {
		case have[code]:
		case last[code] != "":
			out[code] = last[code]
		default:
			out[code] = nothingStored
		}
	}
	return out
}

// nothingStored is why a currency no refresh has asked for has no quote.
const nothingStored = "nothing stored yet"

func allNothingStored(missing map[string]string) bool {
	for _, why := range missing {
		if why != nothingStored {
			return false
		}
	}
	return true
}

// refreshRates refreshes the configured currencies and keeps why any got
// no quote, for `steppe rates`.
func (a *app) refreshRates(ctx context.Context, chain *rates.Chain) (rates.Report, error) {
	rep, err := chain.Refresh(ctx, a.cfg.Rates.Base, a.cfg.Rates.Currencies)
	if ctx.Err() == nil && !a.store.readOnly {
		if b, jerr := json.Marshal(missingReasons(rep)); jerr == nil {
			_ = a.store.settings.Set(ctx, lastMissingKey, string(b)) // only the reasons are lost
		}
	}
	return rep, err
}

// missingReasons words why each of a refresh's missing currencies got no
// quote.
func missingReasons(rep rates.Report) map[string]string {
	rejected := map[string]string{}
	for _, r := range rep.Rejected {
		if rejected[r.Quote.Code] == "" {
			rejected[r.Quote.Code] = r.Reason
		}
	}
	var failed []string
	for _, name := range config.DefaultProviders() {
		if rep.Errors[name] != nil {
			failed = append(failed, name)
		}
	}
	out := map[string]string{}
	for _, code := range rep.Missing {
		switch {
		case rejected[code] != "":
			out[code] = "every quote of it was rejected (" + sanitize.Redact(oneLine(rejected[code])) + ")"
		case len(failed) > 0:
			out[code] = "no source that answered carries it (" + strings.Join(failed, ", ") + " failed)"
		default:
			out[code] = "no configured source carries it"
		}
	}
	return out
}

// writeRates prints one line per quote, like the ticker, plus source and date.
func writeRates(w io.Writer, qs []rates.Quote, invert bool, now time.Time) {
	width := 0
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = rates.FormatQuote(q, invert)
		if n := len([]rune(texts[i])); n > width {
			width = n
		}
	}
	sources := map[string]bool{}
	for i, q := range qs {
		var marks []string
		if rates.Stale(q, now) {
			marks = append(marks, "stale")
		}
		if q.Unconfirmed {
			marks = append(marks, "unconfirmed")
		}
		mark := ""
		if len(marks) > 0 {
			mark = "  (" + strings.Join(marks, ", ") + ")"
		}
		pad := strings.Repeat(" ", width-len([]rune(texts[i])))
		fmt.Fprintf(w, "%s%s  %s, %s%s\n", texts[i], pad, q.Source, q.AsOf.Format("2006-01-02"), mark)
		sources[q.Source] = true
	}
	for _, name := range config.DefaultProviders() {
		if sources[name] {
			if c := rates.Credit(name); c != "" {
				fmt.Fprintln(w, c)
			}
		}
	}
}

// ---- steppe refresh ----

// stopped reports whether err is a source's work cut short because ctx
// ended (a signal), not a failure of the source.
func stopped(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled)
}

// openOnline opens the app for a command that fetches and saves what it
// fetched (refresh, sync): --offline and a read-only store are refused in
// its words: what it does, and what it could not do.
func openOnline(ctx context.Context, g *globals, stderr io.Writer, does, couldNot string) (*app, error) {
	if g.offline {
		return nil, errors.New(does + "; it cannot run with --offline")
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return nil, err
	}
	if a.store.readOnly {
		a.Close()
		return nil, fmt.Errorf("store %s is read-only: %s", a.store.path, couldNot)
	}
	return a, nil
}

func runRefresh(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	verbose := false
	if err := flagsOnly("refresh", g, args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&verbose, "verbose", false, "on a terminal too, print a line for every feed (piped, refresh always does)")
	}); err != nil {
		return err
	}
	a, err := openOnline(ctx, g, stderr, "refresh fetches from the network", "refresh could not save what it fetches")
	if err != nil {
		return err
	}
	defer a.Close()
	refreshGC()
	// On a terminal, one live line says how far the refresh is, then only
	// the failures and a summary are printed; piped (or --verbose), one
	// line per source, as scripts read it.
	width, live := terminalWidth(stdout)
	live = live && !verbose
	var progress *refreshProgress
	var each func(feeds.Result)
	began := time.Now()
	if live {
		list, err := a.fetchList(ctx)
		if err != nil {
			return err
		}
		progress = newRefreshProgress(stdout, width, len(list))
		each = progress.add
	}
	// With [sync] set, the server's feeds come through a sync, beside the
	// feeds and rates fetched here.
	sc := make(chan syncOutcome, 1)
	if a.cfg.Sync.Enabled() {
		go func() { sc <- a.syncOnce(ctx) }()
	} else {
		close(sc)
	}
	results, ro, pages, err := a.refreshAll(ctx, each)
	so, synced := <-sc
	if progress != nil {
		progress.finish()
	}
	if err != nil {
		return err
	}

	nameWidth := len("rates")
	for _, r := range results {
		if n := len([]rune(r.Feed.Name)); n > nameWidth {
			nameWidth = n
		}
	}
	if nameWidth > 40 {
		nameWidth = 40
	}
	line := func(name, status string, took time.Duration) {
		fmt.Fprintf(stdout, "%s  %s  (%s)\n", padName(sanitize.Redact(name), nameWidth), sanitize.Redact(status), roundDur(took))
	}
	sources, failed := 0, 0
	for _, r := range results {
		sources++
		status := ""
		switch {
		case stopped(ctx, r.Err):
			failed++
			status = "stopped" // by a signal: exitCode says which
		case r.Err != nil:
			failed++
			status = "error: " + oneLine(r.Err.Error())
		case r.Skipped:
			status = "skipped: the server asked to wait until " + untilText(r.Feed.NextFetch.Local(), time.Now())
		case r.NotModified:
			status = "not modified"
		default:
			status = fmt.Sprintf("%s, %d in feed", textfmt.Plural(r.New, "new", "new"), r.Total)
			if r.Feed.Note != "" {
				status += " (" + sanitize.Line(r.Feed.Note) + ")"
			}
		}
		if !live || r.Err != nil {
			line(r.Feed.Name, status, r.Took)
		}
		if p, ok := pages[r.Feed.ID]; ok {
			fmt.Fprintf(stdout, "%s  %s\n", padName("", nameWidth), pagesSummary(p))
		}
	}
	if synced {
		sources++
		switch {
		case stopped(ctx, so.err):
			failed++
			line("sync", "stopped", so.rep.Took)
		case so.err != nil:
			failed++
			line("sync", "error: "+so.err.Error(), so.rep.Took)
		default:
			line("sync", syncSummary(so.rep), so.rep.Took)
		}
	}
	sources++
	switch {
	case stopped(ctx, ro.err):
		failed++
		line("rates", "stopped", ro.took)
	case ro.err != nil:
		failed++
		line("rates", "error: "+oneLine(ro.err.Error()), ro.took)
	case stopped(ctx, ro.rep.StoreErr) || stopped(ctx, ro.rep.Errors["store"]):
		// Fetched, but the signal came before they were stored.
		failed++
		line("rates", "stopped before the rates were stored", ro.took)
	default:
		line("rates", ratesSummary(ro.rep, len(a.cfg.Rates.Currencies)), ro.took)
		for _, rj := range ro.rep.Rejected {
			fmt.Fprintf(stdout, "%s  rejected: %s\n", padName("", nameWidth), sanitize.Redact(oneLine(rj.Reason)))
		}
		for _, h := range ro.rep.Unconfirmed {
			fmt.Fprintf(stdout, "%s  unconfirmed: %s\n", padName("", nameWidth), oneLine(h.Reason))
		}
	}
	if live {
		fmt.Fprintln(stdout, progress.summary(time.Since(began)))
	}
	if ctx.Err() != nil {
		return ctx.Err() // stopped by a signal: no pruning; exitCode says so
	}
	if _, err := a.store.feeds.Prune(ctx, time.Now(), a.cfg.KeepDays); err != nil {
		fmt.Fprintln(stderr, "steppe: pruning old articles:", err)
	}
	// The rates package keeps the history it needs (a year at least).
	if _, err := a.store.rates.Prune(ctx, time.Now()); err != nil {
		fmt.Fprintln(stderr, "steppe: pruning old rates:", err)
	}
	if sources > 0 && failed == sources {
		return exitError{code: 1}
	}
	return nil
}

// A refresh allocates a lot (every feed parsed) and holds little at a
// time (the fetcher's byte budget bounds the feeds in flight): the
// collector may let the heap grow to five times what survived the last
// collection instead of twice, never past refreshHeapLimit. Fewer
// collections, a lower peak: on compare.sh's 50 feeds, 0.93 -> 0.86 s and
// 44.7 -> 45.4 MB (time -v) against 0.87 s and 52 MB with GOGC=200 alone.
const (
	refreshGCPercent = 400
	refreshHeapLimit = 16<<20 + 5*feeds.DefaultMaxInFlight
)

// refreshGC sets the collector for a refresh, unless GOGC or GOMEMLIMIT
// say otherwise.
func refreshGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(refreshGCPercent)
		debug.SetMemoryLimit(refreshHeapLimit)
	}
}

// syncOutcome is one sync with the [sync] server.
type syncOutcome struct {
	rep syncer.Report
	err error
}

// syncOnce runs one sync, its error in words (the local changes kept).
func (a *app) syncOnce(ctx context.Context) syncOutcome {
	began := time.Now()
	e, err := a.syncEngine(ctx)
	if err != nil {
		return syncOutcome{syncer.Report{Took: time.Since(began)}, err}
	}
	rep, err := e.Sync(ctx)
	if err != nil && !stopped(ctx, err) {
		err = a.syncFailure(ctx, err)
	}
	return syncOutcome{rep, err}
}

// ratesOutcome is one refresh of the rates.
type ratesOutcome struct {
	rep  rates.Report
	err  error
	took time.Duration
}

// refreshAll fetches every feed and the rates once, at the same time, and
// stores them.
// each, when not nil, gets every feed's result as it is stored (from the
// feed's goroutine).
// Then the new items of full-text feeds have their pages fetched; pages
// says what that did, by feed id.
func (a *app) refreshAll(ctx context.Context, each func(feeds.Result)) (_ []feeds.Result, _ ratesOutcome, pages map[int64]pagesOutcome, _ error) {
	list, err := a.fetchList(ctx)
	if err != nil {
		return nil, ratesOutcome{}, nil, err
	}
	chain, err := a.ratesChain()
	if err != nil {
		return nil, ratesOutcome{}, nil, err
	}
	rc := make(chan ratesOutcome, 1)
	go func() {
		start := time.Now()
		rep, err := a.refreshRates(ctx, chain)
		rc <- ratesOutcome{rep, err, time.Since(start)}
	}()
	since := time.Now()
	results := a.fetcher().RefreshEach(ctx, list, each)
	pages = a.fetchNewPages(ctx, results, since)
	return results, <-rc, pages, nil
}

// ratesSummary is the refresh line for rates: "5/5 rates from frankfurter,
// erapi; missing TMT (failed: nbk: …; store: …)", the store's failure last.
func ratesSummary(rep rates.Report, asked int) string {
	s := fmt.Sprintf("%d/%d rates", len(rep.Quotes), asked)
	if len(rep.Providers) > 0 {
		s += " from " + strings.Join(rep.Providers, ", ")
	}
	if len(rep.Missing) > 0 {
		s += "; missing " + strings.Join(rep.Missing, ", ")
	}
	if errs := rep.ErrorsText(); errs != "" {
		s += " (failed: " + errs + ")"
	}
	return s
}

func padName(s string, w int) string {
	r := []rune(oneLine(s))
	if len(r) > w {
		return string(r[:w-1]) + "…"
	}
	return string(r) + strings.Repeat(" ", w-len(r))
}

func roundDur(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// untilText says when t (ahead of now) is: the time alone today, else
// with the day and date ("Sun 13 Dec 21:12"), and the year when it is not
// this one.
func untilText(t, now time.Time) string {
	t = t.In(now.Location())
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("Mon 2 Jan 2006 15:04")
}
