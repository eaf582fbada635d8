package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/internal/player"
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
//
// Nothing waits for the terminal: the colour profile comes from the
// environment and the terminfo database (colorProfile), and the background
// is asked for once the program runs, its answer arriving as a message
// that repaints (ui.Theme).
func runDashboard(ctx context.Context, g *globals, stderr io.Writer) error {
	a, err := openApp(ctx, g, stderr)
	if err != nil {
		return err
	}
	defer a.Close()

	// A store steppe cannot write is shown as it is: nothing is fetched.
	offline := g.offline || a.store.readOnly
	if !a.store.readOnly {
		if _, err := a.syncFeeds(ctx); err != nil {
			return err
		}
	}

	// The UI's work ends when the program does, not at the signal: a write
	// under way when the user quits is finished or rolled back whole.
	uiCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()

	// Query feeds page from their stored matches; a store opened without
	// a refresh may hold them for other rules (or none): rebuilt in the
	// background, their pages taking the plain path until then.
	if !a.store.readOnly {
		go func() {
			if !a.store.damaged.Load() {
				_ = a.store.feeds.RebuildRules(uiCtx) // RulesError keeps it; the next save retries
			}
		}()
	}

	opts, err := a.uiOptions(uiCtx, offline)
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
	// The renderer wakes 40 times a second rather than Bubble Tea's 60: a
	// keypress shows within 25 ms, and Bubble Tea draws the first frame at
	// the renderer's first tick, one period after Run. The alternate
	// screen, the mouse, the window title and the cursor are the model's
	// View's.
	env := os.Environ()
	p := tea.NewProgram(m, tea.WithoutSignalHandler(), tea.WithFPS(40),
		tea.WithEnvironment(env), tea.WithColorProfile(colorProfile(env)))
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
	if !offline && !a.store.damaged.Load() {
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
		Missing: func(ctx context.Context, shown []rates.Quote) []ui.MissingRate {
			why := a.missingRates(ctx, shown)
			var out []ui.MissingRate
			for _, code := range cfg.Rates.Currencies {
				if w, ok := why[code]; ok {
					out = append(out, ui.MissingRate{Code: code, Base: cfg.Rates.Base, Why: w})
				}
			}
			return out
		},
		Stale:         rates.Stale,
		Credits:       credits(cfg.Rates.Providers),
		Credit:        rates.Credit,
		FeedInterval:  config.DefaultFeedRefresh,
		RatesInterval: time.Duration(cfg.Rates.Refresh),
		FetchTimeout:  2*time.Duration(cfg.FetchTimeout) + 5*time.Second,
		PageSize:      cfg.PageSize,
		Invert:        cfg.Rates.Invert,
		Offline:       offline,
		OpenURL:       newOpener(cfg.Browser, os.Getenv("BROWSER")).Open,
		SaveArticle:   a.saveArticle, // the reader's save and pipe keys (articleexport.go)
		PipeArticle:   a.pipeArticle,
		PlayMedia:     playMedia(cfg.Player),
		Now:           time.Now,
		Warnings:      cfg.uiWarnings(),
		KeyMap:        cfg.keyMap,
		Theme:         cfg.theme,
		ColorFGBG:     os.Getenv("COLORFGBG"),
		Settings:      a.store.settings,
		CheckStore:    a.store.backgroundCheck,
	}
	if offline {
		return opts, nil
	}
	fetcher := a.fetcher()
	if !a.store.readOnly {
		opts.FetchFullText = a.fetchPageNow // the reader's full_text key
	}
	// A dashboard that stays open for weeks prunes old articles once a day,
	// after a refresh, as `steppe refresh` does after each run.
	var lastPrune atomic.Int64
	lastPrune.Store(time.Now().UnixNano())
	bg := &backgroundSync{a: a, every: cfg.Sync.Every()}
	if cfg.Sync.Enabled() {
		// The server's feeds come due on the [sync] interval.
		opts.Articles = syncedFeeds{ArticleStore: opts.Articles, every: bg.every}
		// A first sync as the dashboard opens: it brings the server's
		// feeds (the poll of the feeds' generation then shows them) and
		// entries (the data_version poll announces them).
		go bg.start(opts.Context)
	}
	opts.RefreshFeed = func(ctx context.Context, f feeds.Feed) feeds.Result {
		if a.store.damaged.Load() {
			return feeds.Result{Feed: f, Err: errDamagedStore}
		}
		if f.Origin == feeds.OriginServer && cfg.Sync.Enabled() {
			return bg.feed(ctx, f) // the server fetches it: a sync brings it
		}
		since := time.Now()
		res := fetcher.Refresh(ctx, f)
		if p, ok := a.fetchNewPages(ctx, []feeds.Result{res}, since)[f.ID]; ok { // a full_text feed's new pages
			res.Detail = pagesSummary(p) // the sources pane (e) shows it
		}
		now := time.Now()
		if last := lastPrune.Load(); !a.store.damaged.Load() && now.Sub(time.Unix(0, last)) > 24*time.Hour && lastPrune.CompareAndSwap(last, now.UnixNano()) {
			_, _ = a.store.feeds.Prune(ctx, now, cfg.KeepDays)
		}
		return res
	}
	chain, err := a.ratesChain()
	if err != nil {
		return ui.Options{}, err
	}
	opts.RefreshRates = func(ctx context.Context) (rates.Report, error) {
		if a.store.damaged.Load() {
			return rates.Report{}, errDamagedStore
		}
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

// colorProfile is how many colours the terminal (standard output, which
// runDashboard has checked is one) shows, from the environment and the terminfo database alone. Bubble Tea's own detection
// also runs `tmux info` inside tmux, which costs a process start (about 15
// ms here) before the first frame and can hang with the tmux server;
// tmux's TERM (tmux-256color, screen-256color) says 256 colours without
// it. NO_COLOR always wins: colours go, bold and underline stay.
func colorProfile(env []string) colorprofile.Profile {
	p := colorprofile.Env(env)
	if p == colorprofile.TrueColor || p <= colorprofile.ASCII {
		return p
	}
	get := func(name string) string {
		v := ""
		for _, kv := range env {
			if x, ok := strings.CutPrefix(kv, name+"="); ok {
				v = x
			}
		}
		return v
	}
	// colorprofile ignores COLORTERM under tmux; tmux passes it on from
	// the terminal outside and turns 24-bit colour into what that shows.
	if ct := strings.ToLower(get("COLORTERM")); strings.HasPrefix(get("TERM"), "tmux") && (ct == "truecolor" || ct == "24bit") {
		return colorprofile.TrueColor
	}
	return max(p, colorprofile.Terminfo(get("TERM")))
}

// playMedia is the links pane's player for enclosures: the player key's
// command, nil (the browser) when it has none.
func playMedia(argv []string) func(string) (string, func(context.Context) error, error) {
	if len(argv) == 0 {
		return nil
	}
	return player.Opener(argv)
}
