package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
