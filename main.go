// Command steppe is a terminal dashboard for news and money from Central
// Asia: a scrolling currency ticker above a paginated list of headlines from
// the region's feeds, with an article reader and background refresh.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/adrg/xdg"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; it
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
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", g.config, "config `file` (TOML)")
	fs.StringVar(&g.dataDir, "data-dir", g.dataDir, "data `directory` holding the store")
	fs.BoolVar(&g.offline, "offline", g.offline, "show what is stored, fetch nothing")
	fs.BoolVar(&g.version, "version", g.version, "print the version and exit")
	fs.BoolVar(&g.demo, "demo", g.demo, "run on bundled sample feeds and rates served from loopback")
}

func defaultGlobals() globals {
	return globals{
		config:  filepath.Join(xdg.ConfigHome, "steppe", "config.toml"),
		dataDir: filepath.Join(xdg.DataHome, "steppe"),
	}
}

const usageText = `steppe — news and money from Central Asia in your terminal

Usage:
  steppe [flags]                         the dashboard (full screen)
  steppe headlines [--page N] [--json]   one page of stored headlines, newest first
  steppe rates [--json]                  the latest stored rates
  steppe refresh                         fetch every source once and store it
  steppe feeds import FILE.opml          add the feeds of an OPML file
  steppe feeds export                    write every feed as OPML 2.0 to stdout

Flags (before or after the command):
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks an error that was already explained with usage text.
var errUsage = errors.New("usage")

// run is the whole program behind main, returning the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := defaultGlobals()
	fs := flag.NewFlagSet("steppe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
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
	var err error
	switch cmd {
	case "":
		err = runDashboard(ctx, &g, stderr)
	case "headlines":
		err = runHeadlines(ctx, &g, rest, stdout, stderr)
	case "rates":
		err = runRates(ctx, &g, rest, stdout, stderr)
	case "refresh":
		err = runRefresh(ctx, &g, rest, stdout, stderr)
	case "feeds":
		err = runFeeds(ctx, &g, rest, stdout, stderr)
	case "help":
		fs.Usage()
		return 0
	default:
		fmt.Fprintf(stderr, "steppe: unknown command %q (try steppe --help)\n", cmd)
		return 2
	}
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "steppe:", explainStoreError(g.dataDir, err))
		return 1
	}
}

// exitError ends the program with a code after its message was printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// subFlags parses a command's own flags; the global flags are accepted there too.
func subFlags(name string, g *globals, args []string, stderr io.Writer, usage string, define func(fs *flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet("steppe "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.register(fs)
	if define != nil {
		define(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: steppe %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	// Accept flags after positional arguments too: "feeds import x.opml --data-dir d".
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	return positional, nil
}

// app is what every command needs: the config and the open store.
type app struct {
	cfg   Config
	store *stores
}

func openApp(ctx context.Context, g *globals, stderr io.Writer) (*app, error) {
	cfg, err := LoadConfig(g.config, g.config != defaultGlobals().config)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, "steppe: warning:", w)
	}
	st, err := openStores(ctx, g.dataDir)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, store: st}, nil
}

func (a *app) Close() error { return a.store.Close() }

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
