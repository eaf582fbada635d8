// Package cli is steppe's command line: the global flags, the table of
// commands (table.go) and each command's run function, the config loading
// and the wiring of the store, the fetchers and the dashboard. The program
// in the module root only sets up the signals and calls Run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/suggest"

	"github.com/adrg/xdg"

	"github.com/steppe-news/steppe/internal/demo"
)

// version is set at build time with
// -ldflags "-X github.com/steppe-news/steppe/internal/cli.version=v1.2.3"; it
// falls back to the module version Go recorded, then to "dev".
var version = ""

func appVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func userAgent() string { return "steppe/" + appVersion() }

// globals are the flags every command takes.
type globals struct {
	config  string
	dataDir string
	offline bool
	version bool
	demo    bool

	cmd string // the command being run: "" for the dashboard

	// describe, when set, is handed the command's flag set by subFlags,
	// which then ends the command (errDescribed): how completion learns
	// each command's flags from the code that parses them.
	describe func(fs *flag.FlagSet)
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", g.config, "config `file` (TOML)")
	fs.StringVar(&g.dataDir, "data-dir", g.dataDir, "data `directory` holding the store")
	fs.BoolVar(&g.offline, "offline", g.offline, "show what is stored, fetch nothing")
	fs.BoolVar(&g.version, "version", g.version, "print the version and exit")
	fs.BoolVar(&g.version, shortFlags["version"], g.version, "the same as --version")
	fs.BoolVar(&g.demo, "demo", g.demo, "run on bundled sample feeds and rates served from loopback, in a store of their own")
}

func defaultGlobals() globals {
	return globals{
		config:  filepath.Join(xdg.ConfigHome, "steppe", "config.toml"),
		dataDir: filepath.Join(xdg.DataHome, "steppe"),
	}
}

// stopSignal is why ctx was cancelled when a signal asked steppe to stop.
type stopSignal struct{ sig syscall.Signal }

func (s stopSignal) Error() string { return "stopped by " + signalName(s.sig) }

// code is the conventional exit status of a command stopped by a signal.
func (s stopSignal) code() int { return 128 + int(s.sig) }

// dashboardCode is the dashboard's exit status: the user asked it to stop
// with TERM or INT (0); a hang-up is reported as 128 + 1.
func (s stopSignal) dashboardCode() int {
	if s.sig == syscall.SIGHUP {
		return s.code()
	}
	return 0
}

func signalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}

// lastResort is how long steppe may take to end after a signal before it
// exits without cleaning up. The dashboard ends within half a second (see
// runDashboard); this only catches a bug.
const lastResort = 3 * time.Second

// SignalContext is cancelled with a stopSignal cause by SIGINT, SIGTERM or
// SIGHUP. Every command watches it; SIGTSTP and SIGCONT are left alone so
// that the dashboard can suspend itself (Bubble Tea sends SIGTSTP).
func SignalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		var sig syscall.Signal
		select {
		case s := <-ch:
			sig = s.(syscall.Signal)
		case <-done:
			return
		}
		cancel(stopSignal{sig})
		select {
		case <-done:
		case <-time.After(lastResort):
			os.Exit(stopSignal{sig}.code())
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// stoppedBy is the signal that cancelled ctx, if one did.
func stoppedBy(ctx context.Context) (stopSignal, bool) {
	var s stopSignal
	ok := errors.As(context.Cause(ctx), &s)
	return s, ok
}

// cancellable runs fn in a goroutine and returns its result, or ctx's error
// as soon as ctx is done; a result that comes too late is given to discard.
// It makes work that does not watch a context (parsing, SQLite's own
// waits) end the command when a signal arrives.
func cancellable[T any](ctx context.Context, fn func() (T, error), discard func(T)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.err == nil && discard != nil {
				discard(r.v)
			}
		}()
		var zero T
		return zero, ctx.Err()
	}
}

// errUsage marks an error that was already explained with usage text.
var errUsage = errors.New("usage")

// badUsage is a command used wrongly, in words: exit 2, as errUsage.
type badUsage string

func (e badUsage) Error() string        { return string(e) }
func (e badUsage) Is(target error) bool { return target == errUsage }

// helpRequest is a command's help text, asked for with -h, --help or
// "steppe help COMMAND": run prints it to stdout and exits 0.
type helpRequest struct{ text string }

func (h *helpRequest) Error() string { return "help requested" }
func (h *helpRequest) Unwrap() error { return flag.ErrHelp }

// Run is the whole program: it runs the command args name (the dashboard
// when there is none) and returns the exit status. ctx is the one
// SignalContext makes: a signal cancels the command.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, stdout, stderr)
}

// run is Run, as the tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := &errWriter{w: stdout}
	code := dispatch(ctx, args, out, stderr)
	if out.err != nil && code == 0 {
		// A script must know its output did not arrive (a full disk).
		fmt.Fprintln(stderr, "steppe: writing the output:", out.err)
		return 1
	}
	return code
}

// errWriter keeps the first error of the writes to w.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// dispatch runs the command args name.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := defaultGlobals()
	fs := flag.NewFlagSet("steppe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText()+"\nFlags (before or after the command):\n"+flagHelp(fs))
			return 0
		}
		fmt.Fprintf(stderr, "steppe: %s\nRun 'steppe --help' for usage.\n", flagError(fs, err))
		return 2
	}
	if g.version {
		fmt.Fprintln(stdout, "steppe", appVersion())
		return 0
	}
	rest := fs.Args()
	cmd := ""
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	g.cmd = cmd
	if cmd == "help" {
		if len(rest) == 0 || rest[0] == "help" {
			return dispatch(ctx, []string{"--help"}, stdout, stderr)
		}
		return dispatch(ctx, append(rest, "--help"), stdout, stderr)
	}
	var err error
	if c, ok := lookup(cmd); ok {
		err = c.run(ctx, &g, rest, stdout, stderr)
	} else if len(subcommands(cmd)) > 0 {
		err = runGroup(ctx, cmd, &g, rest, stdout, stderr)
	} else {
		msg := "steppe: unknown command " + sanitize.Key(cmd)
		if s := suggest.Nearest(cmd, topNames()); s != "" {
			msg += " — did you mean " + s + "?"
		}
		fmt.Fprintln(stderr, msg+"\nRun 'steppe --help' for the commands.")
		return 2
	}
	return exitCode(ctx, &g, err, stdout, stderr)
}

// exitCode turns a command's outcome into its exit status, printing the
// error (or the help that was asked for).
func exitCode(ctx context.Context, g *globals, err error, stdout, stderr io.Writer) int {
	if sig, ok := stoppedBy(ctx); ok {
		if g.cmd == "" {
			return sig.dashboardCode()
		}
		fmt.Fprintf(stderr, "steppe: %s: %s\n", g.cmd, sig.Error())
		return sig.code()
	}
	var help *helpRequest
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		fmt.Fprint(stdout, help.text)
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		var bu badUsage
		if errors.As(err, &bu) {
			fmt.Fprintf(stderr, "steppe: %s\nRun '%s --help' for usage.\n", bu, strings.TrimSpace("steppe "+g.cmd))
		}
		return 2
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "steppe:", sanitize.Redact(explainStoreError(g.dataDir, err).Error()))
		return 1
	}
}

// exitError ends the program with a code after its message was printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// flagHelp lists a flag set's flags as the README writes them:
// "  --page N    page N (1 is the newest) (default 1)".
// shortFlags are the one-letter forms of flags ("-v" for --version), as
// users of other tools type them; the help lists them beside the long one.
var shortFlags = map[string]string{"version": "v"}

func flagHelp(fs *flag.FlagSet) string {
	type row struct{ name, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			return // listed with its long form
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if short, ok := shortFlags[f.Name]; ok {
			name = "-" + short + ", " + name
		}
		if arg != "" {
			name += " " + strings.ToUpper(arg)
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, row{name, usage})
		width = max(width, len(name))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.name, r.usage)
	}
	return b.String()
}

// flagError words the flag package's error with "--" flags, as the help
// and the README write them, and names the flag of fs probably meant.
func flagError(fs *flag.FlagSet, err error) string {
	msg := strings.NewReplacer(": -", ": --", "flag -", "flag --").Replace(err.Error())
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := suggest.Nearest(strings.TrimLeft(name, "-"), names); s != "" {
			msg += " — did you mean --" + s + "?"
		}
	}
	return msg
}

// subFlags parses the own flags of the command named name (as the command
// table names it); the global flags are accepted there too.
func subFlags(name string, g *globals, args []string, stderr io.Writer, define func(fs *flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet("steppe "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	if define != nil {
		define(fs)
	}
	if g.describe != nil {
		g.describe(fs)
		return nil, errDescribed
	}
	usage := synopsisOf(name)
	// Accept flags after positional arguments too: "feeds import x.opml --data-dir d".
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{fmt.Sprintf("Usage: steppe %s\n\nFlags:\n%s", usage, flagHelp(fs))}
			}
			fmt.Fprintf(stderr, "steppe %s: %s\nRun 'steppe %s --help' for usage.\n", name, flagError(fs, err), name)
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if g.version {
		// --version wins wherever it is, as before the command.
		return nil, &helpRequest{"steppe " + appVersion() + "\n"}
	}
	return positional, nil
}

// app is what every command needs: the config and the open store.
type app struct {
	cfg     Config
	store   *stores
	closers []func() error // run by Close, last first (the demo's server and temporary store)
	// transport carries every fetch of feeds and rates; nil is Go's own.
	// The demo's reaches only the demo server.
	transport  http.RoundTripper
	pagesState // the article pages' fetcher (fulltextwire.go)
}

// openApp loads the config and opens the store. With --demo it starts the
// demo server and uses a store of the demo's own; a reading command then
// fetches the samples into it first. Warnings go to stderr once, and stay
// in cfg.Warnings for the dashboard.
func openApp(ctx context.Context, g *globals, stderr io.Writer) (_ *app, err error) {
	a := &app{}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if g.demo {
		if err := a.startDemo(g, stderr); err != nil {
			return nil, err
		}
	}
	cfg, err := LoadConfig(ctx, g.config, g.config != defaultGlobals().config)
	if err != nil {
		return nil, err
	}
	st, err := openStores(withUpgradeNotice(ctx, stderr, filepath.Join(g.dataDir, dbFile)), g.dataDir)
	if err != nil {
		return nil, err
	}
	a.store = st
	if err := st.feeds.SetRules(cfg.CompiledRules().Store()); err != nil {
		return nil, fmt.Errorf("config %s: %w", cfg.Path, err)
	}
	if st.readOnly {
		cfg.Warn(fmt.Sprintf("store %s is read-only: nothing will be saved", st.path), "the store is read-only: nothing will be saved (e shows it)")
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, "steppe: warning:", w)
	}
	a.cfg = cfg
	if g.demo && !g.offline && !st.readOnly && g.cmd != "" && g.cmd != "refresh" {
		if _, _, _, err := a.refreshAll(ctx, nil); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	return a, nil
}

// startDemo starts the demo server and points g at a config and a store of
// the demo's own: DIR/demo under --data-dir DIR, else a temporary
// directory removed when steppe exits. A store holding real articles is
// never written.
func (a *app) startDemo(g *globals, stderr io.Writer) error {
	srv, err := demo.Start()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	a.closers = append(a.closers, srv.Close)
	a.transport = srv.Transport()
	dir := filepath.Join(g.dataDir, "demo")
	where := filepath.Join(dir, dbFile)
	if g.dataDir == defaultGlobals().dataDir {
		if dir, err = os.MkdirTemp("", "steppe-demo-"); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		a.closers = append(a.closers, func() error { return os.RemoveAll(dir) })
		where = filepath.Join(dir, dbFile) + " (removed when steppe exits)"
	}
	g.dataDir = dir
	if given := g.config; given != defaultGlobals().config {
		fmt.Fprintf(stderr, "steppe: demo: runs on a config of its own; %s is not read\n", given)
	}
	if g.config, err = srv.WriteConfig(dir); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stderr, "steppe: demo: sample feeds and rates served from %s; demo store %s\n", srv.URL, where)
	return nil
}

func (a *app) Close() error {
	var err error
	if a.store != nil {
		err = a.store.Close()
	}
	for i := len(a.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, a.closers[i]())
	}
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// hasUserInfo reports whether the URL carries a user name or password.
func hasUserInfo(link string) bool {
	u, err := url.Parse(link)
	return err == nil && u.User != nil
}
