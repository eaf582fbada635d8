package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/pkg/browser"

	"github.com/steppe-news/steppe/demo"
	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
	"github.com/steppe-news/steppe/ui"
)

// runDashboard opens the store, wires feeds and rates into the UI and runs
// it full screen until the user quits.
func runDashboard(ctx context.Context, g *globals, stderr io.Writer) error {
	if g.demo {
		srv, err := demo.Start()
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer srv.Close()
		if g.dataDir == defaultGlobals().dataDir {
			dir, err := os.MkdirTemp("", "steppe-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			g.dataDir = dir
		}
		if g.config, err = srv.WriteConfig(g.dataDir); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	// The terminal's background is asked for while the store opens, and
	// before Bubble Tea takes over the terminal's input (its answer would
	// otherwise arrive as keys).
	style := make(chan struct{})
	go func() { ui.DetectBackground(); close(style) }()

	a, err := openApp(ctx, g, stderr)
	if err != nil {
		<-style
		return err
	}
	defer a.Close()

	if _, err := a.syncFeeds(ctx); err != nil {
		<-style
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	opts, err := a.uiOptions(ctx, g.offline)
	<-style
	if err != nil {
		return err
	}
	m, err := ui.New(opts)
	if err != nil {
		return err
	}
	// The renderer wakes 30 times a second rather than Bubble Tea's 60: the
	// ticker moves at about 9 frames a second, a keypress still shows within
	// 33 ms, and an idle dashboard costs a third less CPU (scripts/measure.sh).
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithFPS(30))
	_, err = p.Run()
	cancel()
	if err != nil && err != tea.ErrProgramKilled {
		return err
	}
	if !g.offline {
		if _, err := a.store.feeds.Prune(context.Background(), time.Now(), a.cfg.KeepDays); err != nil {
			fmt.Fprintln(stderr, "steppe: pruning old articles:", err)
		}
	}
	return nil
}

// uiOptions wires the store, the fetcher and the rates chain into the
// dashboard's options. Offline, nothing is fetched.
func (a *app) uiOptions(ctx context.Context, offline bool) (ui.Options, error) {
	cfg := a.cfg
	opts := ui.Options{
		Context:  ctx,
		Articles: a.store.feeds,
		Quotes: func(ctx context.Context) ([]rates.Quote, error) {
			return a.store.rates.Latest(ctx, cfg.Rates.Base, cfg.Rates.Currencies)
		},
		Series: func(ctx context.Context, code string, since time.Time) ([]rates.Point, error) {
			return a.store.rates.Series(ctx, code, cfg.Rates.Base, since)
		},
		Stale:         rates.Stale,
		Credits:       credits(cfg.Rates.Providers),
		Credit:        rates.Credit,
		FeedInterval:  defaultFeedRefresh,
		RatesInterval: time.Duration(cfg.Rates.Refresh),
		FetchTimeout:  2*time.Duration(cfg.FetchTimeout) + 5*time.Second,
		PageSize:      cfg.PageSize,
		Invert:        cfg.Rates.Invert,
		Offline:       offline,
		OpenURL:       openBrowser,
		Now:           time.Now,
	}
	if offline {
		return opts, nil
	}
	fetcher := a.fetcher()
	// A dashboard that stays open for weeks prunes old articles once a day,
	// after a refresh, as `steppe refresh` does after each run.
	var lastPrune atomic.Int64
	lastPrune.Store(time.Now().UnixNano())
	opts.RefreshFeed = func(ctx context.Context, f feeds.Feed) feeds.Result {
		res := fetcher.Refresh(ctx, f)
		now := time.Now()
		if last := lastPrune.Load(); now.Sub(time.Unix(0, last)) > 24*time.Hour && lastPrune.CompareAndSwap(last, now.UnixNano()) {
			_, _ = a.store.feeds.Prune(ctx, now, cfg.KeepDays)
		}
		return res
	}
	chain, err := a.ratesChain()
	if err != nil {
		return ui.Options{}, err
	}
	opts.RefreshRates = func(ctx context.Context) (rates.Report, error) {
		return chain.Refresh(ctx, cfg.Rates.Base, cfg.Rates.Currencies)
	}
	return opts, nil
}

// credits are the attributions the configured rate sources ask for.
func credits(providers []string) []string {
	var out []string
	for _, p := range providers {
		if c := rates.Credit(p); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// openBrowser opens an http(s) link in the user's browser. It runs the
// platform opener with the URL as an exec argument (never through a shell)
// and keeps the opener's output off the dashboard.
func openBrowser(link string) error {
	if err := checkHTTPURL(link); err != nil {
		return err
	}
	browser.Stdout = io.Discard
	browser.Stderr = io.Discard
	return browser.OpenURL(link)
}
