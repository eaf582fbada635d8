package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// steppe runs the program in-process and returns exit code, stdout, stderr.
func steppe(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRefreshThenHeadlines(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")

	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh")
	if code != 0 {
		t.Fatalf("refresh exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"Test Times of Central Asia", "9 new, 9 in feed", "Test Eurasianet", "4 new, 4 in feed", "rates", "5/5 rates from frankfurter"} {
		if !strings.Contains(out, want) {
			t.Errorf("refresh output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(strings.TrimSpace(out), "\n") + 1; n != 3 {
		t.Errorf("refresh printed %d lines, want one per source (3):\n%s", n, out)
	}

	code, out, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--page", "2")
	if code != 0 {
		t.Fatalf("headlines exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Viewing results 7 - 12 of 13") {
		t.Errorf("page 2 header missing:\n%s", out)
	}
	// 13 stories newest first: page 2 holds the 7th to 12th newest.
	if !strings.Contains(out, "Turkmenistan Signs Gas Deal with Azerbaijan") {
		t.Errorf("page 2 lacks the 7th newest story:\n%s", out)
	}
	if strings.Contains(out, "Navigating Energy and Diplomacy") {
		t.Errorf("page 2 shows a page 1 story:\n%s", out)
	}

	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--json")
	if code != 0 {
		t.Fatalf("headlines --json exit %d", code)
	}
	var page headlinesJSON
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("headlines --json is not JSON: %v\n%s", err, out)
	}
	if page.Page != 1 || page.Pages != 3 || page.Total != 13 || len(page.Items) != 6 {
		t.Fatalf("page = %d/%d total %d items %d, want 1/3, 13, 6", page.Page, page.Pages, page.Total, len(page.Items))
	}
	first := page.Items[0]
	if first.Title != "Water Talks Resume Between Kyrgyzstan and Uzbekistan" || first.Feed != "Test Eurasianet" ||
		first.Published != "2026-11-26T11:00:00Z" || first.Link != "https://eurasianet.example/story-1" || first.Read {
		t.Errorf("first item = %+v", first)
	}
	// Refreshing again stores nothing twice.
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "refresh")
	if code != 0 || !strings.Contains(out, "0 new, 9 in feed") {
		t.Errorf("second refresh (exit %d) should find nothing new:\n%s", code, out)
	}
}

func TestRefreshExitCodes(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	// One broken feed among good ones: exit 0, the broken one named.
	cfg := srv.writeConfig(t, dir, "Broken=broken.xml")
	code, out, _ := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "d1"), "refresh")
	if code != 0 {
		t.Errorf("one failing feed of three gave exit %d, want 0:\n%s", code, out)
	}
	if !strings.Contains(out, "Broken") || !strings.Contains(out, "error: HTTP 500") {
		t.Errorf("the broken feed's line lacks its error:\n%s", out)
	}
	// Every source failing: exit 1.
	srv.frankfurterDown.Store(true)
	srv.erapiDown.Store(true)
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[feeds]]\nname = \"Broken\"\nurl = \""+srv.URL+"/feeds/broken.xml\"\n[rates]\nproviders = [\"frankfurter\", \"erapi\"]\n[rates.endpoints]\nfrankfurter = \""+srv.URL+"\"\nerapi = \""+srv.URL+"\"\n"), 0o600)
	code, out, _ = steppe(t, "--config", bad, "--data-dir", filepath.Join(dir, "d2"), "refresh")
	if code != 1 {
		t.Errorf("every source failing gave exit %d, want 1:\n%s", code, out)
	}
}

func TestRatesCommandFallsBackToSecondProvider(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	code, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "rates")
	if code != 0 {
		t.Fatalf("rates exit %d", code)
	}
	for _, want := range []string{"KGS/USD = 0.01144 ▲0.11%", "KZT/USD = 0.002088 ▼0.11%", "TJS/USD = 0.09157", "UZS/USD = 0.00007869 ▼0.14%", "TMT/USD = 0.2857 0.00%", "frankfurter, 2026-11-25"} {
		if !strings.Contains(out, want) {
			t.Errorf("rates output lacks %q:\n%s", want, out)
		}
	}

	// The first provider stops: a fresh store still gets all five from erapi.
	srv.frankfurterDown.Store(true)
	data2 := filepath.Join(dir, "data2")
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data2, "refresh")
	if code != 0 || !strings.Contains(out, "5/5 rates from erapi") {
		t.Fatalf("refresh with frankfurter down (exit %d):\n%s", code, out)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data2, "rates", "--json")
	if code != 0 {
		t.Fatalf("rates --json exit %d", code)
	}
	var got []rateJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got) != 5 {
		t.Fatalf("got %d rates, want 5:\n%s", len(got), out)
	}
	for _, r := range got {
		if r.Source == nil || *r.Source != "erapi" || r.Base != "USD" || r.PerBase == nil || *r.PerBase <= 0 || r.InBase == nil || *r.InBase <= 0 || r.Missing != "" {
			t.Errorf("rate %+v: want a positive erapi quote against USD", r)
		}
	}
	if got[1].Code != "KZT" || got[1].PerBase == nil || math.Abs(*got[1].PerBase-478.947251) > 1e-9 {
		t.Errorf("KZT from erapi = %+v, want per_base 478.947251 from the fixture", got[1])
	}
}

func TestRatesInvertedFromConfig(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, _, _ := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatal("refresh failed")
	}
	f, _ := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("")
	f.Close()
	text, _ := os.ReadFile(cfg)
	inv := strings.Replace(string(text), "[rates]\n", "[rates]\ninvert = true\n", 1)
	os.WriteFile(cfg, []byte(inv), 0o600)
	_, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "rates")
	if !strings.Contains(out, "USD/UZS = 12,707.57 ▲0.14%") {
		t.Errorf("inverted rates lack USD/UZS = 12,707.57:\n%s", out)
	}
}

func TestOPMLImportExport(t *testing.T) {
	dir := t.TempDir()
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Region"><outline text="Akipress" type="rss" xmlUrl="https://akipress.example/rss"/>
<outline text="Nested"><outline text="Asia-Plus" type="rss" xmlUrl="https://asiaplus.example/feed"/></outline></outline>
<outline text="dup" type="rss" xmlUrl="https://akipress.example/rss"/>
</body></opml>`), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"Mine\"\nurl = \"https://mine.example/feed\"\n"), 0o600)
	data := filepath.Join(dir, "data")
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "feeds", "import", opml)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "2 feeds added") {
		t.Errorf("import output:\n%s", out)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "feeds", "export")
	if code != 0 {
		t.Fatalf("export exit %d", code)
	}
	for _, want := range []string{`<opml version="2.0"`, "https://mine.example/feed", "https://akipress.example/rss", "https://asiaplus.example/feed"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "https://akipress.example/rss") != 1 {
		t.Errorf("duplicate URL exported twice:\n%s", out)
	}
	// Importing again adds nothing.
	_, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "feeds", "import", opml)
	if !strings.Contains(out, "0 feeds added") {
		t.Errorf("second import:\n%s", out)
	}
}

func TestBadConfigNamesFileLineAndKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_size = 6\n\n[[feeds]]\nname = \"x\"\nurl = \"ftp://x.example/feed\"\n"), 0o600)
	code, _, errOut := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "d"), "headlines")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := cfg + `:5: key "url" in [[feeds]] entry 1`
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
}

func TestMissingExplicitConfigIsAnError(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := steppe(t, "--config", filepath.Join(dir, "nope.toml"), "--data-dir", dir, "headlines")
	if code != 1 || !strings.Contains(errOut, "nope.toml") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestForeignFileWhereTheStoreShouldBe(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, dbFile)
	os.WriteFile(path, []byte("this is my thesis, not a database\n"), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_size = 6\n"), 0o600)
	code, _, errOut := steppe(t, "--config", cfg, "--data-dir", dir, "headlines")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, path) || !strings.Contains(errOut, "not a SQLite database") {
		t.Errorf("stderr %q should name %s and say it is not a database", errOut, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "this is my thesis, not a database\n" {
		t.Error("the foreign file was changed")
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	code, out, _ := steppe(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "steppe ") {
		t.Errorf("--version: %d %q", code, out)
	}
	code, _, errOut := steppe(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "frobnicate") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestOfflineRefreshRefuses(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := steppe(t, "--offline", "--config", filepath.Join(dir, "x.toml"), "--data-dir", dir, "refresh")
	if code != 1 || !strings.Contains(errOut, "offline") {
		t.Errorf("exit %d stderr %q", code, errOut)
	}
}

// Help is on stdout with exit 0, however it is asked for, and every flag
// in it is written with "--".
func TestHelpOnStdout(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"help", "help"},
		{"headlines", "--help"}, {"headlines", "-h"}, {"help", "headlines"},
		{"rates", "--help"}, {"refresh", "--help"}, {"help", "refresh"},
	} {
		code, out, errOut := steppe(t, args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", args, code, errOut)
		}
		if !strings.Contains(out, "Usage:") || !strings.Contains(out, "--config FILE") || !strings.Contains(out, "--data-dir DIRECTORY") {
			t.Errorf("%v: help lacks the usage or the global flags:\n%s", args, out)
		}
		for _, line := range strings.Split(out, "\n") {
			// One-letter forms stand beside their long one ("-v, --version").
			if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "-") && !strings.HasPrefix(f[0], "--") &&
				!(len(f) > 1 && len(f[0]) == 3 && strings.HasSuffix(f[0], ",") && strings.HasPrefix(f[1], "--")) {
				t.Errorf("%v: a flag written with one dash: %q", args, line)
			}
		}
	}
	_, out, _ := steppe(t, "headlines", "--help")
	if !strings.Contains(out, "--page N") || !strings.Contains(out, "--json") {
		t.Errorf("headlines --help lacks its own flags:\n%s", out)
	}
	_, out, _ = steppe(t, "--help")
	for _, cmd := range []string{"headlines", "rates", "refresh", "feeds import", "feeds export", "feeds list"} {
		if !strings.Contains(out, "steppe "+cmd) {
			t.Errorf("--help does not list %q:\n%s", cmd, out)
		}
	}
}

func TestBadFlagIsUsageError(t *testing.T) {
	code, out, errOut := steppe(t, "headlines", "--bogus")
	if code != 2 || out != "" {
		t.Errorf("exit %d stdout %q, want 2 and nothing", code, out)
	}
	if !strings.Contains(errOut, "--bogus") || !strings.Contains(errOut, "steppe headlines --help") {
		t.Errorf("stderr %q should name --bogus and point at the help", errOut)
	}
	code, _, errOut = steppe(t, "--bogus")
	if code != 2 || !strings.Contains(errOut, "--bogus") {
		t.Errorf("global: exit %d stderr %q", code, errOut)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	for cmd, want := range map[string]string{"headline": "did you mean headlines?", "rate": "did you mean rates?", "refesh": "did you mean refresh?", "Feeds": "did you mean feeds?"} {
		code, out, errOut := steppe(t, cmd)
		if code != 2 || out != "" || !strings.Contains(errOut, "unknown command "+cmd) || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d stdout %q stderr %q; want 2 and %q", cmd, code, out, errOut, want)
		}
	}
	_, _, errOut := steppe(t, "frobnicate")
	if strings.Contains(errOut, "did you mean") {
		t.Errorf("frobnicate is near no command, yet: %q", errOut)
	}
	// A command name is shown, never sent to the terminal as it is.
	_, _, errOut = steppe(t, "\x1b[2Jx")
	if strings.Contains(errOut, "\x1b") {
		t.Errorf("an escape in the command reached stderr: %q", errOut)
	}
}

func TestPagePastTheLastExitsOne(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("page_size = 6\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	// An empty store has one (empty) page.
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", empty, "headlines")
	if code != 0 || !strings.Contains(out, "No stored headlines yet") {
		t.Errorf("page 1 of an empty store: exit %d\n%s%s", code, out, errOut)
	}
	for _, extra := range [][]string{nil, {"--json"}} {
		code, out, errOut = steppe(t, append([]string{"--config", cfg, "--data-dir", empty, "headlines", "--page", "2"}, extra...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, "page 2 is past the last page: nothing is stored yet") {
			t.Errorf("empty store, --page 2 %v: exit %d stdout %q stderr %q", extra, code, out, errOut)
		}
	}

	srv := newFixtureServer(t)
	cfg = srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	for _, extra := range [][]string{nil, {"--json"}} {
		code, out, errOut = steppe(t, append([]string{"--config", cfg, "--data-dir", data, "headlines", "--page", "99"}, extra...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, "page 99 is past the last page: there are 3 pages of 6 (13 headlines)") {
			t.Errorf("--page 99 %v: exit %d stdout %q stderr %q", extra, code, out, errOut)
		}
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--page", "3", "--json")
	var p headlinesJSON
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Page != 3 || len(p.Items) != 1 {
		t.Errorf("the last page: exit %d, %+v", code, p)
	}
}

// Configured currencies without a stored quote are listed with the reason,
// in text and in JSON (numbers null, "missing" says why).
func TestRatesListsCurrenciesWithoutAQuote(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	text, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(text), "[rates]\n", "[rates]\ncurrencies = [\"KZT\", \"ZZZ\"]\n", 1)), 0o600)
	data := filepath.Join(dir, "data")

	code, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "--offline", "rates")
	if code != 0 || !strings.Contains(out, "No stored rates yet for KZT, ZZZ") {
		t.Errorf("before any refresh: exit %d\n%s", code, out)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "--offline", "rates", "--json")
	var got []rateJSON
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 2 || got[1].Missing != "nothing stored yet" || got[1].PerBase != nil {
		t.Errorf("before any refresh, JSON: exit %d\n%s", code, out)
	}

	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 || !strings.Contains(out, "missing ZZZ") {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "rates")
	if code != 0 || !strings.Contains(out, "KZT/USD = 0.002088") || !strings.Contains(out, "ZZZ/USD  no quote: no configured source carries it") {
		t.Errorf("after refresh: exit %d\n%s", code, out)
	}
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "rates", "--json")
	got = nil
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	if len(got) != 2 || got[0].Code != "KZT" || got[0].PerBase == nil || got[0].Missing != "" {
		t.Errorf("KZT = %+v", got)
	}
	if z := got[1]; z.Code != "ZZZ" || z.Base != "USD" || z.PerBase != nil || z.InBase != nil || z.AsOf != nil || z.Source != nil ||
		z.Missing != "no configured source carries it" {
		t.Errorf("ZZZ = %+v, want null numbers and why it is missing", z)
	}
	if !strings.Contains(out, `"per_base": null`) || !strings.Contains(out, `"missing": "no configured source carries it"`) {
		t.Errorf("JSON shape:\n%s", out)
	}

	// A source that is down is named as the reason.
	srv.frankfurterDown.Store(true)
	srv.erapiDown.Store(true)
	data2 := filepath.Join(dir, "data2")
	steppe(t, "--config", cfg, "--data-dir", data2, "refresh")
	_, out, _ = steppe(t, "--config", cfg, "--data-dir", data2, "rates")
	if !strings.Contains(out, "KZT/USD  no quote: no source that answered carries it (frankfurter, erapi failed)") {
		t.Errorf("with every source down:\n%s", out)
	}
}

// --demo works with every command, in a store of its own beside (never in)
// the real one, and never fetches from the configured (real) hosts.
func TestDemoEveryCommandInItsOwnStore(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, _, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %s", errOut)
	}
	real := durReadStore(t, filepath.Join(data, dbFile), false)
	hits := srv.feedHits.Load()

	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "--demo", "refresh")
	if code != 0 || !strings.Contains(out, "Sample: Steppe Wire") || !strings.Contains(out, "5/5 rates") || strings.Contains(out, "Test Times") {
		t.Errorf("refresh --demo: exit %d\n%s%s", code, out, errOut)
	}
	demoDB := filepath.Join(data, "demo", dbFile)
	if !strings.Contains(errOut, "demo store "+demoDB) {
		t.Errorf("refresh --demo does not say where its store is:\n%s", errOut)
	}
	if srv.feedHits.Load() != hits {
		t.Errorf("refresh --demo fetched the configured feeds")
	}

	data2 := filepath.Join(dir, "fresh")
	code, out, errOut = steppe(t, "--data-dir", data2, "--demo", "headlines")
	if code != 0 || !strings.Contains(out, "Viewing results 1 - 6 of ") || !strings.Contains(out, "Sample:") {
		t.Errorf("headlines --demo: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = steppe(t, "--data-dir", data2, "--demo", "rates")
	if code != 0 || !strings.Contains(out, "UZS/USD = ") || strings.Contains(out, "no quote") {
		t.Errorf("rates --demo: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = steppe(t, "--data-dir", data2, "--demo", "headlines", "--json")
	var p headlinesJSON
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Total == 0 {
		t.Errorf("headlines --demo --json: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(data2, dbFile)); err == nil {
		t.Errorf("--demo made a store at %s", filepath.Join(data2, dbFile))
	}

	after := durReadStore(t, filepath.Join(data, dbFile), false)
	if after.rows != real.rows {
		t.Errorf("the real store went from %d to %d articles", real.rows, after.rows)
	}
	for id := range after.ids {
		if !real.ids[id] {
			t.Errorf("a demo article %s is in the real store", id)
		}
	}
}

// Credentials in a URL are never printed by refresh.
func TestRefreshRedactsCredentials(t *testing.T) {
	srv := newFixtureServer(t)
	srv.erapiDown.Store(true)
	dir := t.TempDir()
	u := strings.Replace(srv.URL, "http://", "http://bob:secret@", 1)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"Broken\"\nurl = \""+u+"/feeds/broken.xml\"\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+u+"\"\n"), 0o600)
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "d"), "refresh")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if strings.Contains(out+errOut, "secret") || strings.Contains(out+errOut, "bob") {
		t.Errorf("credentials printed:\n%s%s", out, errOut)
	}
	if !strings.Contains(out, "http://***@127.0.0.1") {
		t.Errorf("the failing endpoint's URL should be shown redacted:\n%s", out)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"GET http://bob:secret@h.example/x: HTTP 500":          "GET http://***@h.example/x: HTTP 500",
		"https://tok@a.example and HTTPS://u:p@b.example/?q=1": "https://***@a.example and HTTPS://***@b.example/?q=1",
		"http://h.example/a@b":                                 "http://h.example/a@b",
		"mail bob@h.example":                                   "mail bob@h.example",
	} {
		if got := sanitize.Redact(in); got != want {
			t.Errorf("sanitize.Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// A script can trust the exit status: output that could not be written
// fails the command, and a command used wrongly exits 2 and says how.
func TestCLIExitStatusIsTrustworthy(t *testing.T) {
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--version"}, failingWriter{}, &errb); code != 1 || !strings.Contains(errb.String(), "writing the output: no space left on device") {
		t.Errorf("--version into a full disk: exit %d, %q", code, errb.String())
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"headlines", "extra"}, {"headlines", "--page", "0"}, {"refresh", "extra"}} {
		code, _, errOut := steppe(t, append([]string{"--offline", "--data-dir", dir}, args...)...)
		if code != 2 || !strings.Contains(errOut, "--help' for usage.") {
			t.Errorf("%v: exit %d, %q; want 2 and how to get help", args, code, errOut)
		}
	}
}

// The dashboard refuses to draw into a pipe, and says what to use.
func TestDashboardNeedsATerminal(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--offline", "--data-dir", t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "steppe headlines") {
		t.Errorf("dashboard into a pipe: %v, stdout %q, stderr %q", err, out.String(), errb.String())
	}
}

// --version after the command is --version, as before it.
func TestVersionAfterTheCommand(t *testing.T) {
	for _, args := range [][]string{{"headlines", "--version"}, {"feeds", "list", "--version"}, {"rates", "--version"}} {
		code, out, _ := steppe(t, append([]string{"--offline", "--data-dir", t.TempDir()}, args...)...)
		if code != 0 || !strings.HasPrefix(out, "steppe ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// A mistyped flag or feeds command gets a "did you mean".
func TestDidYouMeanFlagsAndFeedsCommands(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"headlines", "--jsn"}, "--jsn — did you mean --json?"},
		{[]string{"headlines", "--paeg", "2"}, "did you mean --page?"},
		{[]string{"feeds", "lst"}, `unknown command "lst" — did you mean list?`},
		{[]string{"feeds", "exprot"}, "did you mean export?"},
	} {
		code, _, errOut := steppe(t, append([]string{"--offline", "--data-dir", dir}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// Secret query parameters (?token=, ?api_key=, …) are never printed:
// not by refresh, feeds list (text and JSON), feeds export without
// --with-credentials, nor in a redirect's error.
func TestSecretQueryParametersNeverPrinted(t *testing.T) {
	srv := newFixtureServer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/feeds/gone.xml?access_token=REDIRSECRET", http.StatusFound)
	})
	other := httptest.NewServer(mux)
	t.Cleanup(other.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(`[[feeds]]
name = "Good"
url = "`+srv.URL+`/feeds/timesca.xml?token=GOODSECRET&page=1"
[[feeds]]
name = "Broken"
url = "`+srv.URL+`/feeds/broken.xml?api_key=BROKENSECRET"
[[feeds]]
name = "Moved"
url = "`+other.URL+`/moved?sig=MOVEDSECRET"
[rates]
providers = ["frankfurter"]
[rates.endpoints]
frankfurter = "`+srv.URL+`"
`), 0o600)
	base := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "d")}
	var all strings.Builder
	for _, args := range [][]string{{"refresh"}, {"feeds", "list"}, {"feeds", "list", "--json"}, {"feeds", "export"}} {
		_, out, errOut := steppe(t, append(base, args...)...)
		all.WriteString(out + errOut)
		if strings.Contains(out+errOut, "SECRET") {
			t.Errorf("%v printed a secret:\n%s%s", args, out, errOut)
		}
	}
	for _, want := range []string{"token=***&page=1", "api_key=***"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("output lacks %q (the URL, redacted):\n%s", want, all.String())
		}
	}
	_, out, _ := steppe(t, append(base, "feeds", "export", "--with-credentials")...)
	if !strings.Contains(out, "token=GOODSECRET") {
		t.Errorf("export --with-credentials should keep the token:\n%s", out)
	}
	// A URL copied from an export without credentials is refused, not
	// stored with *** as its token.
	code, _, errOut := steppe(t, append(base, "feeds", "add", srv.URL+"/feeds/eurasianet.atom?token=***")...)
	if code != 1 || !strings.Contains(errOut, "token was hidden (***)") {
		t.Errorf("adding a hidden token: exit %d, %s", code, errOut)
	}
}
