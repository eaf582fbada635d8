package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds"
)

// On a terminal, refresh shows one live line, then only the failures, the
// rates and a summary; --verbose brings back a line per feed.
func TestEndToEndRefreshOnATerminal(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(b, []byte("\n[[feeds]]\nname = \"Broken feed\"\nurl = \""+srv.URL+"/feeds/broken.xml\"\n")...), 0o600)
	data := filepath.Join(dir, "data")

	s := startTmux(t, bin, "--config", cfg, "--data-dir", data, "refresh")
	if code := s.exitCode(); code != "0" {
		t.Fatalf("refresh exit %s\n%s", code, s.screen())
	}
	scr := s.screen()
	for _, want := range []string{"Broken feed", "HTTP 500", "rates", "3 feeds refreshed in", "13 new articles, 1 failed"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "9 new, 9 in feed") || strings.Contains(scr, "refreshing:") {
		t.Errorf("a feed that worked, or the progress line, is left on the screen:\n%s", scr)
	}

	s = startTmux(t, bin, "--config", cfg, "--data-dir", data, "refresh", "--verbose")
	if code := s.exitCode(); code != "0" {
		t.Fatalf("refresh --verbose exit %s\n%s", code, s.screen())
	}
	if scr := s.screen(); !strings.Contains(scr, "0 new, 9 in feed") && !strings.Contains(scr, "not modified") {
		t.Errorf("--verbose should list every feed:\n%s", scr)
	}
}

func TestRefreshProgressLine(t *testing.T) {
	var b strings.Builder
	p := &refreshProgress{w: &b, width: 30, total: 10000, start: time.Now(), stop: make(chan struct{}), stopped: make(chan struct{})}
	p.add(feedsResult(3, nil))
	p.add(feedsResult(0, os.ErrDeadlineExceeded))
	p.draw()
	got := b.String()
	if !strings.HasPrefix(got, "\rrefreshing: 2/10000 feeds, 3…\x1b[K") {
		t.Errorf("progress line = %q: want it cut to the width (29 runes) and erasing the rest", got)
	}
	if s := p.summary(62 * time.Second); s != "10000 feeds refreshed in 1m2s: 3 new articles, 1 failed" {
		t.Errorf("summary = %q", s)
	}
}

func feedsResult(n int, err error) feeds.Result { return feeds.Result{New: n, Err: err} }

// -v is --version, as the README and other tools have it, before or after
// a command; the help lists it.
func TestShortVersionFlag(t *testing.T) {
	for _, args := range [][]string{{"-v"}, {"headlines", "-v"}} {
		code, out, errOut := steppe(t, args...)
		if code != 0 || !strings.HasPrefix(out, "steppe ") || errOut != "" {
			t.Errorf("%v: exit %d, %q, %q", args, code, out, errOut)
		}
	}
	if _, out, _ := steppe(t, "--help"); !strings.Contains(out, "-v, --version") {
		t.Errorf("help lacks -v:\n%s", out)
	}
}

// A demo store kept with --data-dir keeps its feeds across runs: the demo's
// feeds have the same URLs whatever loopback port its server gets, so the
// articles stored by one run belong to the feeds of the next.
func TestDemoKeepsItsFeedsAcrossRuns(t *testing.T) {
	data := t.TempDir()
	var lists [2][]feedJSON
	for i := range lists {
		code, out, errOut := steppe(t, "--demo", "--data-dir", data, "feeds", "list", "--json")
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &lists[i]); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out)
		}
	}
	if len(lists[1]) != 3 {
		t.Fatalf("second run lists %d feeds, want the 3 demo feeds: %+v", len(lists[1]), lists[1])
	}
	groups := map[string]bool{}
	for i, f := range lists[1] {
		if f.Total == 0 || f.Total != lists[0][i].Total || f.URL != lists[0][i].URL {
			t.Errorf("feed %q: run 1 %+v, run 2 %+v; want the same feed with its articles", f.Name, lists[0][i], f)
		}
		groups[f.Group] = true
	}
	if !groups["News"] || !groups[""] {
		t.Errorf("the demo should show a grouped and an ungrouped feed: %v", groups)
	}
}
