package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRulesOnTheCommandLine: an ignore rule keeps articles out of
// headlines and its JSON (and out of the query feed); --query lists a
// query feed; taking the rule out brings the articles back.
func TestRulesOnTheCommandLine(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh exit %d\n%s\n%s", code, out, errOut)
	}
	base, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The id of an article the rules will hide, and how many articles
	// Eurasianet has.
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--json", "--feed", "test eurasianet")
	if code != 0 {
		t.Fatalf("headlines --feed: exit %d: %s", code, errOut)
	}
	var eura headlinesJSON
	if err := json.Unmarshal([]byte(out), &eura); err != nil {
		t.Fatal(err)
	}
	hiddenID := ""
	for _, it := range eura.Items {
		if it.Feed != "Test Eurasianet" {
			t.Errorf("headlines --feed lists %q of %q", it.Title, it.Feed)
		}
		if strings.Contains(strings.ToLower(it.Title), "water") {
			hiddenID = it.ID
		}
	}
	if hiddenID == "" || eura.Total < 2 {
		t.Fatalf("no water headline in Eurasianet's %d: %+v", eura.Total, eura.Items)
	}
	rules := `
[[rules]]
ignore = 'feed = "Test Eurasianet" and title =~ "water"'
[[rules]]
ignore = 'title =~ "turkmen"'
[[queries]]
name = "Kazakhstan"
query = 'title =~ "kazakh"'
[[queries]]
name = "Water"
query = 'title =~ "water"'
`
	if err := os.WriteFile(cfg, append(append([]byte{}, base...), rules...), 0o600); err != nil {
		t.Fatal(err)
	}
	headlines := func(args ...string) headlinesJSON {
		t.Helper()
		code, out, errOut := steppe(t, append([]string{"--config", cfg, "--data-dir", data, "headlines", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("headlines %v: exit %d: %s", args, code, errOut)
		}
		var p headlinesJSON
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	has := func(p headlinesJSON, sub string) bool {
		for _, it := range p.Items {
			if strings.Contains(strings.ToLower(it.Title), sub) {
				return true
			}
		}
		return false
	}
	// 13 stored; ignored: Eurasianet's Water Talks and Dushanbe's water
	// conference, the Turkmen horse breeders and Turkmenistan's gas deal.
	all := headlines("--page", "1")
	if all.Total != 9 {
		t.Errorf("with the rules: %d headlines, want 9", all.Total)
	}
	for p := 1; p <= all.Pages; p++ {
		pg := headlines("--page", strconv.Itoa(p))
		if has(pg, "turkmen") || has(pg, "water talks") {
			t.Errorf("page %d shows an ignored headline: %+v", p, pg.Items)
		}
	}
	kz := headlines("--query", "kazakhstan")
	if kz.Total != 3 || !has(kz, "nuclear") || !has(kz, "wheat") || !has(kz, "putin") {
		t.Errorf("query Kazakhstan: %+v", kz)
	}
	if w := headlines("--query", "Water"); w.Total != 0 {
		t.Errorf("query Water holds ignored articles: %+v", w)
	}
	kept := 0
	for _, it := range eura.Items {
		if ti := strings.ToLower(it.Title); !strings.Contains(ti, "water") && !strings.Contains(ti, "turkmen") {
			kept++
		}
	}
	if e := headlines("--feed", "Test Eurasianet"); e.Total != kept || eura.Pages != 1 || kept == eura.Total {
		t.Errorf("--feed with the rules: %d headlines, want %d of %d (%d pages)", e.Total, kept, eura.Total, eura.Pages)
	}
	code, _, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--feed", "Nope")
	if code != 1 || !strings.Contains(errOut, `no feed is named "Nope" or has that URL: the feeds are `) || !strings.Contains(errOut, `"Test Eurasianet"`) {
		t.Errorf("unknown feed: exit %d, %s", code, errOut)
	}
	code, _, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--feed", "Test Eurasianet", "--query", "Water")
	if code != 2 || !strings.Contains(errOut, "not both") {
		t.Errorf("--feed and --query: exit %d, %s", code, errOut)
	}
	// An ignored article is stored, and said to be hidden.
	for _, args := range [][]string{{"article", hiddenID}, {"mark", "read", hiddenID}} {
		code, _, errOut = steppe(t, append([]string{"--config", cfg, "--data-dir", data}, args...)...)
		if code != 1 || !strings.Contains(errOut, "is hidden by an ignore rule") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	code, _, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--query", "Nope")
	if code != 1 || !strings.Contains(errOut, `no query feed "Nope": the config has "Kazakhstan", "Water"`) {
		t.Errorf("unknown query: exit %d, %s", code, errOut)
	}
	code, _, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--query", "Kazakhstan", "--page", "2")
	if code != 1 || !strings.Contains(errOut, "past the last page") {
		t.Errorf("query page 2: exit %d, %s", code, errOut)
	}
	// Without the rules everything is back.
	if err := os.WriteFile(cfg, base, 0o600); err != nil {
		t.Fatal(err)
	}
	if all := headlines(); all.Total != 13 {
		t.Errorf("without the rules: %d headlines, want 13", all.Total)
	}
}

// TestImportNewsboat imports the newsboat package's test setup: the feeds
// go into the store with their groups, the queries and ignore rules are
// printed as TOML that the config then takes, and what it could not take
// is named with file:line.
func TestImportNewsboat(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[[queries]]\nname = \"money\"\nquery = 'unread = \"yes\"'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	nb, err := filepath.Abs(filepath.Join(repoRoot, "internal", "newsboat", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "--offline", "import-newsboat", nb)
	if code != 0 {
		t.Fatalf("import-newsboat exit %d\n%s\n%s", code, out, errOut)
	}
	urls, conf := filepath.Join(nb, "urls"), filepath.Join(nb, "config")
	for _, want := range []string{
		"# 3 feeds added to the store",
		"# took " + urls + ":5: feed https://24.kg/rss/ (group News)",
		"# took " + conf + ":4: ignore rule 'title =~ \"Sponsored\"'",
		"# took " + urls + ":2: query feed \"Unread news\"",
		"# could not take " + urls + ":3: query \"Money\": the config has a query of that name",
		"# could not take " + urls + ":6: https://timesca.com/feed/ is already present",
		"# could not take " + urls + ":9: exec:",
		"# could not take " + conf + ":6: ignore-article rule: column 1: newsboat's attribute \"flags\"",
		"# could not take " + urls + ":7: the ! tag",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, list, _ := steppe(t, "--config", cfg, "--data-dir", data, "feeds", "list", "--json")
	if code != 0 || !strings.Contains(list, `"24.kg in English"`) || !strings.Contains(list, `"group": "News"`) {
		t.Errorf("feeds list after the import (exit %d):\n%s", code, list)
	}
	// The output appended to the config is a config steppe takes.
	old, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig(cfg, append(old, out...))
	if err != nil {
		t.Fatalf("the config with the import appended: %v\n%s", err, out)
	}
	if len(c.CompiledRules().Ignore) != 2 || len(c.CompiledRules().Queries) != 2 || c.CompiledRules().Queries[1].Name != "Unread news" {
		t.Errorf("rules from the import: %+v", c.CompiledRules())
	}
	// A second run adds nothing.
	code, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "--offline", "import-newsboat", nb)
	if code != 0 || !strings.Contains(out, "# 0 feeds added") {
		t.Errorf("second import (exit %d):\n%s", code, out)
	}
	// No urls: an error naming the file.
	code, _, errOut = steppe(t, "--config", cfg, "--data-dir", data, "import-newsboat", dir)
	if code != 1 || !strings.Contains(errOut, filepath.Join(dir, "urls")) {
		t.Errorf("no urls: exit %d, %s", code, errOut)
	}
}
