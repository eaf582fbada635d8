package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// fetcher is the one feed fetcher of a run, sharing one http.Client.
func (a *app) fetcher() *feeds.Fetcher {
	return feeds.NewFetcher(a.store.feeds, feeds.Options{UserAgent: userAgent(), Timeout: time.Duration(a.cfg.FetchTimeout)})
}

// ratesChain builds the configured providers, in order, over the store.
func (a *app) ratesChain() (*rates.Chain, error) {
	client := &http.Client{Timeout: time.Duration(a.cfg.FetchTimeout)}
	ps, err := rates.Providers(a.cfg.Rates.Providers, a.cfg.Rates.Endpoints, client, userAgent())
	if err != nil {
		return nil, err
	}
	return rates.NewChain(ps, a.store.rates), nil
}

// syncFeeds stores the configured feeds and returns every active one.
func (a *app) syncFeeds(ctx context.Context) ([]feeds.Feed, error) {
	return a.store.feeds.SyncFeeds(ctx, a.cfg.FeedSpecs())
}

// noArgs refuses positional arguments to a command that takes none.
func noArgs(cmd string, pos []string) error {
	if len(pos) > 0 {
		return fmt.Errorf("%s takes no arguments (got %q)", cmd, strings.Join(pos, " "))
	}
	return nil
}

// ---- steppe headlines ----

type headlineJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Link      string `json:"link"`
	Feed      string `json:"feed"`
	Published string `json:"published"`
	Summary   string `json:"summary"`
	Read      bool   `json:"read"`
}

type headlinesJSON struct {
	Page  int            `json:"page"`
	Pages int            `json:"pages"`
	Total int            `json:"total"`
	Items []headlineJSON `json:"items"`
}

func runHeadlines(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	page, asJSON := 1, false
	pos, err := subFlags("headlines", g, args, stderr, "headlines [--page N] [--json]", func(fs *flag.FlagSet) {
		fs.IntVar(&page, "page", 1, "page `N` (1 is the newest)")
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	})
	if err != nil {
		return err
	}
	if err := noArgs("headlines", pos); err != nil {
		return err
	}
	if page < 1 {
		return fmt.Errorf("--page must be 1 or more, not %d", page)
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	size := a.cfg.PageSize
	if size == 0 {
		size = defaultPageSize
	}
	p, err := a.store.feeds.Page(ctx, page, size)
	if err != nil {
		return err
	}
	if asJSON {
		out := headlinesJSON{Page: p.Page, Pages: p.Pages, Total: p.Total, Items: []headlineJSON{}}
		for _, it := range p.Items {
			out.Items = append(out.Items, headlineJSON{
				ID: it.ID, Title: it.Title, Link: it.Link, Feed: it.FeedName,
				Published: it.Published.UTC().Format(time.RFC3339), Summary: it.Summary, Read: it.Read,
			})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	writeHeadlines(stdout, p, time.Now())
	return nil
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
		fmt.Fprintf(w, "  %s · %s\n", oneLine(it.FeedName), it.Published.Local().Format("2 Jan 2006 15:04"))
		if s := oneLine(it.Summary); s != "" {
			fmt.Fprintf(w, "  %s\n", s)
		}
		if it.Link != "" {
			fmt.Fprintf(w, "  %s\n", it.Link)
		}
	}
}

// ---- steppe rates ----

type rateJSON struct {
	Code      string   `json:"code"`
	Base      string   `json:"base"`
	PerBase   float64  `json:"per_base"`
	InBase    float64  `json:"in_base"`
	ChangePct *float64 `json:"change_pct"`
	AsOf      string   `json:"as_of"`
	Source    string   `json:"source"`
	Stale     bool     `json:"stale"`
	// Unconfirmed: held until a second source or the next publication agrees.
	Unconfirmed bool `json:"unconfirmed"`
}

func runRates(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	asJSON := false
	pos, err := subFlags("rates", g, args, stderr, "rates [--json]", func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	})
	if err != nil {
		return err
	}
	if err := noArgs("rates", pos); err != nil {
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
	now := time.Now()
	if asJSON {
		out := []rateJSON{}
		for _, q := range qs {
			r := rateJSON{Code: q.Code, Base: q.Base, PerBase: q.PerBase, InBase: q.InBase,
				AsOf: q.AsOf.Format("2006-01-02"), Source: q.Source, Stale: rates.Stale(q, now), Unconfirmed: q.Unconfirmed}
			if q.HasChange {
				c := q.ChangePct
				r.ChangePct = &c
			}
			out = append(out, r)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(qs) == 0 {
		fmt.Fprintln(stdout, "No stored rates yet: run `steppe refresh` to fetch them.")
		return nil
	}
	writeRates(stdout, qs, a.cfg.Rates.Invert, now)
	return nil
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
	for _, name := range rates.DefaultProviders() {
		if sources[name] {
			if c := rates.Credit(name); c != "" {
				fmt.Fprintln(w, c)
			}
		}
	}
}

// ---- steppe refresh ----

func runRefresh(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	pos, err := subFlags("refresh", g, args, stderr, "refresh", nil)
	if err != nil {
		return err
	}
	if err := noArgs("refresh", pos); err != nil {
		return err
	}
	if g.offline {
		return fmt.Errorf("refresh fetches from the network; it cannot run with --offline")
	}
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.syncFeeds(ctx)
	if err != nil {
		return err
	}
	chain, err := a.ratesChain()
	if err != nil {
		return err
	}
	// Rates are fetched while the feeds are.
	type ratesOut struct {
		rep  rates.Report
		err  error
		took time.Duration
	}
	rc := make(chan ratesOut, 1)
	go func() {
		start := time.Now()
		rep, err := chain.Refresh(ctx, a.cfg.Rates.Base, a.cfg.Rates.Currencies)
		rc <- ratesOut{rep, err, time.Since(start)}
	}()
	results := a.fetcher().RefreshAll(ctx, list)
	ro := <-rc

	nameWidth := len("rates")
	for _, r := range results {
		if n := len([]rune(r.Feed.Name)); n > nameWidth {
			nameWidth = n
		}
	}
	if nameWidth > 40 {
		nameWidth = 40
	}
	sources, failed := 0, 0
	for _, r := range results {
		sources++
		status := ""
		switch {
		case r.Err != nil:
			failed++
			status = "error: " + oneLine(r.Err.Error())
		case r.Skipped:
			status = "skipped: the server asked to wait until " + r.Feed.NextFetch.Local().Format("15:04")
		case r.NotModified:
			status = "not modified"
		default:
			status = fmt.Sprintf("%s, %d in feed", plural(r.New, "new", "new"), r.Total)
		}
		fmt.Fprintf(stdout, "%s  %s  (%s)\n", padName(r.Feed.Name, nameWidth), status, roundDur(r.Took))
	}
	sources++
	if ro.err != nil {
		failed++
		fmt.Fprintf(stdout, "%s  error: %s  (%s)\n", padName("rates", nameWidth), oneLine(ro.err.Error()), roundDur(ro.took))
	} else {
		fmt.Fprintf(stdout, "%s  %s  (%s)\n", padName("rates", nameWidth), ratesSummary(ro.rep, len(a.cfg.Rates.Currencies)), roundDur(ro.took))
		for _, rj := range ro.rep.Rejected {
			fmt.Fprintf(stdout, "%s  rejected: %s\n", padName("", nameWidth), oneLine(rj.Reason))
		}
		for _, h := range ro.rep.Unconfirmed {
			fmt.Fprintf(stdout, "%s  unconfirmed: %s\n", padName("", nameWidth), oneLine(h.Reason))
		}
	}
	if _, err := a.store.feeds.Prune(ctx, time.Now(), a.cfg.KeepDays); err != nil {
		fmt.Fprintln(stderr, "steppe: pruning old articles:", err)
	}
	if _, err := a.store.rates.Prune(ctx, time.Now()); err != nil {
		fmt.Fprintln(stderr, "steppe: pruning old rates:", err)
	}
	if sources > 0 && failed == sources {
		return exitError{code: 1}
	}
	return nil
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
