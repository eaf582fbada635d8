package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
	"github.com/steppe-news/steppe/ui"
)

// killAfter is how long the dashboard may take to quit by itself after a
// signal before it is killed; killing it still restores the terminal.
const killAfter = 500 * time.Millisecond

// runDashboard opens the store, wires feeds and rates into the UI and runs
// it full screen until the user quits or a signal asks it to stop.
//
// Signals: Bubble Tea's own handler is off (it can block sending QuitMsg
// while the program shuts down, and a second signal then does nothing).
// main's signal context is the one place that hears SIGINT, SIGTERM and
// SIGHUP: when it is cancelled the program is asked to quit, and killed
// killAfter later if it has not; either way the terminal is restored,
// what was committed stays, and run reports no error. SIGTSTP is left to
// Bubble Tea's suspend (tea.Suspend), which main does not catch.
func runDashboard(ctx context.Context, g *globals, stderr io.Writer) error {
	// The terminal's background is asked for while the store opens, and
	// before Bubble Tea takes over the terminal's input (its answer would
	// otherwise arrive as keys).
	style := make(chan struct{})
	go func() { ui.DetectBackground(); close(style) }()
	background := func() {
		select {
		case <-style:
		case <-ctx.Done():
		}
	}

	a, err := openApp(ctx, g, stderr)
	if err != nil {
		background()
		return err
	}
	defer a.Close()

	// A store steppe cannot write is shown as it is: nothing is fetched.
	offline := g.offline || a.store.readOnly
	if !a.store.readOnly {
		if _, err := a.syncFeeds(ctx); err != nil {
			background()
			return err
		}
	}

	// The UI's work ends when the program does, not at the signal: a write
	// under way when the user quits is finished or rolled back whole.
	uiCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()

	opts, err := a.uiOptions(uiCtx, offline)
	background()
	if err != nil || ctx.Err() != nil {
		return err
	}
	if !term.IsTerminal(os.Stdout.Fd()) {
		// Drawn into a pipe or a file, the screen is lost and the keys
		// are blind: say what to use instead. (Asked once the store is
		// open, so that a signal while it opens ends the dashboard as it
		// would on a terminal.)
		return badUsage("the dashboard draws on a terminal, and standard output is not one; " +
			"for scripts, use `steppe headlines`, `steppe rates` or `steppe refresh`")
	}
	m, err := ui.New(opts)
	if err != nil {
		return err
	}
	// The renderer wakes 40 times a second rather than Bubble Tea's 60: the
	// ticker moves at about 9 frames a second, a keypress shows within 25
	// ms, and an idle dashboard costs less CPU. Bubble Tea draws the first
	// frame at the renderer's first tick, one period after Run: 40 rather
	// than 30 brings it from about 43 to 33 ms after exec, for about 0.06 %
	// of a core more when idle (0.67 -> 0.73 %, scripts/compare.sh).
	p := tea.NewProgram(m, tea.WithMouseCellMotion(), tea.WithAltScreen(), tea.WithoutSignalHandler(), tea.WithFPS(40))
	ended := make(chan struct{})
	go quitOnSignal(ctx, p, ended)
	_, err = p.Run()
	close(ended)
	cancel()
	if ctx.Err() != nil {
		return nil // stopped by a signal: run reports the exit status
	}
	if err != nil {
		return err
	}
	if !offline {
		if _, err := a.store.feeds.Prune(context.Background(), time.Now(), a.cfg.KeepDays); err != nil {
			fmt.Fprintln(stderr, "steppe: pruning old articles:", err)
		}
	}
	return nil
}

// quitOnSignal asks p to quit once ctx is cancelled, and kills it if it
// has not ended killAfter later.
func quitOnSignal(ctx context.Context, p *tea.Program, ended <-chan struct{}) {
	select {
	case <-ended:
		return
	case <-ctx.Done():
	}
	go p.Quit() // Send returns once the program reads it or has ended
	select {
	case <-ended:
	case <-time.After(killAfter):
		p.Kill()
	}
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
		OpenURL:       newOpener(cfg.Browser, os.Getenv("BROWSER")).Open,
		Now:           time.Now,
		Warnings:      cfg.uiWarnings(),
		KeyMap:        cfg.keyMap,
		Styles:        cfg.styles,
		Settings:      a.store.settings,
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
		return a.refreshRates(ctx, chain)
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
