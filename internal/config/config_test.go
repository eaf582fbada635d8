package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.PageSize != 0 || c.KeepDays != 90 { // 0: fit the terminal
		t.Errorf("page_size %d keep_days %d", c.PageSize, c.KeepDays)
	}
	urls := map[string]bool{}
	for _, f := range c.Feeds {
		urls[f.URL] = true
		if time.Duration(f.Refresh) != 15*time.Minute {
			t.Errorf("feed %s refresh %v", f.URL, time.Duration(f.Refresh))
		}
	}
	for _, u := range []string{"https://timesca.com/feed/", "https://eurasianet.org/rss.xml", "https://24.kg/english/rss/", "https://kun.uz/en/news/rss", "https://astanatimes.com/feed/"} {
		if !urls[u] {
			t.Errorf("default feeds lack %s", u)
		}
	}
	if c.Rates.Base != "USD" || strings.Join(c.Rates.Currencies, ",") != "KGS,KZT,TJS,UZS,TMT" || time.Duration(c.Rates.Refresh) != time.Hour {
		t.Errorf("rates defaults %+v", c.Rates)
	}
	if strings.Join(c.Rates.Providers, ",") != "frankfurter,erapi,cbu,nbk,nbt,nbkr" {
		t.Errorf("providers %v", c.Rates.Providers)
	}
}

func TestParseConfigFull(t *testing.T) {
	text := `page_size = 0
keep_days = 30
[[feeds]]
name = "Akipress"
url = "https://akipress.example/rss"
refresh = "30m"
[[feeds]]
url = "https://24.kg/rss/"
[rates]
base = "usd"
currencies = ["kzt", "UZS"]
refresh = "2h"
providers = ["nbk", "cbu"]
invert = true
[rates.endpoints]
nbk = "http://127.0.0.1:8080"
`
	c, err := Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if c.PageSize != 0 || c.KeepDays != 30 || len(c.Feeds) != 2 {
		t.Fatalf("%+v", c)
	}
	if c.Feeds[0].Name != "Akipress" || time.Duration(c.Feeds[0].Refresh) != 30*time.Minute {
		t.Errorf("feed 0 %+v", c.Feeds[0])
	}
	if c.Feeds[1].Name != "24.kg" || time.Duration(c.Feeds[1].Refresh) != 15*time.Minute {
		t.Errorf("feed 1 without name/refresh should default: %+v", c.Feeds[1])
	}
	if c.Rates.Base != "USD" || strings.Join(c.Rates.Currencies, ",") != "KZT,UZS" || !c.Rates.Invert ||
		c.Rates.Endpoints["nbk"] != "http://127.0.0.1:8080" || time.Duration(c.Rates.Refresh) != 2*time.Hour {
		t.Errorf("rates %+v", c.Rates)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %v", c.Warnings)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "page_size = 6\nfeeds = [\n", "c.toml:"},
		{"type", "\npage_size = \"six\"\n", `c.toml:2: page_size must be a whole number like 6, not text`},
		{"list type", "[rates]\ncurrencies = \"KZT\"\n", `c.toml:2: rates.currencies must be a list like ["KZT"], not text`},
		{"bool type", "[rates]\ninvert = 1\n", `c.toml:2: rates.invert must be true or false, not a whole number`},
		{"table type", "rates = 5\n", `c.toml:1: rates must be a table: [rates] on a line of its own`},
		{"feeds type", "feeds = \"x\"\n", `c.toml:1: feeds must be a list of [[feeds]] tables, not text`},
		{"entry type", "[[feeds]]\nurl = 5\n", `c.toml:2: feeds.url must be text in quotes like "https://24.kg/english/rss/", not a whole number`},
		{"endpoint type", "[rates.endpoints]\nerapi = 5\n", `c.toml:2: rates.endpoints.erapi must be text in quotes like "http://127.0.0.1:8080", not a whole number`},
		{"list for a number", "page_size = [6]\n", `c.toml:1: page_size must be a whole number like 6, not a list`},
		{"table for a number", "keep_days = {days = 6}\n", `c.toml:1: keep_days must be a whole number like 90, not a table`},
		{"date for a number", "keep_days = 1979-05-27\n", `c.toml:1: keep_days must be a whole number like 90, not a date`},
		{"browser", "browser = \"firefox; rm -rf ~\"\n", `c.toml:1: key "browser": "firefox; rm -rf ~" cannot be run as a command without a shell`},
		{"browser subst", "browser = \"firefox $(id) %u\"\n", `c.toml:1: key "browser"`},
		{"duration", "[[feeds]]\nurl = \"https://a.example/\"\n[[feeds]]\nurl = \"https://b.example/\"\nrefresh = \"15x\"\n", `c.toml:5: key "feeds.refresh": "15x" is not a duration`},
		{"scheme", "[[feeds]]\nurl = \"https://a.example/\"\n[[feeds]]\nname = \"b\"\nurl = \"javascript:alert(1)\"\n", `c.toml:5: key "url" in [[feeds]] entry 2`},
		{"page size", "page_size = -1\n", `c.toml:1: key "page_size": must be between 0`},
		{"provider", "[rates]\nbase = \"USD\"\nproviders = [\"frankfurter\", \"yahoo\"]\n", `c.toml:3: key "rates.providers": unknown provider "yahoo"`},
		{"currency", "[rates]\ncurrencies = [\"KZT\", \"tenge\"]\n", `c.toml:2: key "rates.currencies": "tenge" is not a three-letter currency code`},
		{"endpoint", "[rates.endpoints]\nerapi = \"not a url\"\n", `c.toml:2: key "rates.endpoints.erapi"`},
		{"refresh too often", "[rates]\nrefresh = \"5s\"\n", `c.toml:2: key "rates.refresh": 5s is too often`},
		{"second feed without url", "[[feeds]]\nurl = \"https://a.example/\"\n\n[[feeds]]\nname = \"b\"\n", `c.toml:4: key "url" in [[feeds]] entry 2: feed 2 has no url`},
		{"lone feed without url", "\n[[feeds]]\nname = \"b\"\n", `c.toml:2: key "url" in [[feeds]] entry 1: feed 1 has no url`},
		{"no currency", "[rates]\ncurrencies = []\n", `c.toml:2: key "rates.currencies": lists no currency; leave it out for the default (KGS, KZT, TJS, UZS, TMT)`},
		{"currency twice", "[rates]\ncurrencies = [\"KZT\", \"KGS\", \"kzt\"]\n", `c.toml:2: key "rates.currencies": KZT is listed twice`},
		{"the base itself", "[rates]\nbase = \"eur\"\ncurrencies = [\"KZT\", \"EUR\"]\n", `c.toml:3: key "rates.currencies": EUR is the base currency`},
		{"max_items zero", "\nmax_items = 0\n", `c.toml:2: key "max_items": must be between 1 and 1000000 (the newest items kept of each feed), not 0`},
		{"max_items too many", "max_items = 1000001\n", `c.toml:1: key "max_items": must be between 1 and 1000000`},
		{"feed max_items", "[[feeds]]\nurl = \"https://a.example/\"\nmax_items = -5\n", `c.toml:3: key "max_items" in [[feeds]] entry 1: must be between 1 and 1000000 (the newest items kept of each feed), not -5`},
	}
	for _, c := range cases {
		_, err := Parse("c.toml", []byte(c.text))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q lacks %q", c.name, err, c.want)
		}
	}
}

func TestUnknownKeysWarnWithLine(t *testing.T) {
	c, err := Parse("c.toml", []byte("page_size = 6\npagesize = 7\n[[feeds]]\nurl = \"https://a.example/\"\nrefrsh = \"1h\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(c.Warnings, "\n")
	for _, want := range []string{`c.toml:2: unknown key pagesize — did you mean page_size?`, `c.toml:5: unknown key feeds.refrsh — did you mean feeds.refresh?`} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
}

func TestEmptyFeedsListMeansNoFeeds(t *testing.T) {
	c, err := Parse("c.toml", []byte("feeds = []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds) != 0 {
		t.Errorf("an explicit empty feeds list got %d defaults", len(c.Feeds))
	}
}

func TestUnknownKeySuggestions(t *testing.T) {
	text := "page_sise = 7\n\ncurrencies = [\"KZT\"]\nfrobnicate = 1\n[rates]\ncurrencis = [\"KZT\"]\n[rate]\nbase = \"USD\"\ninvert = true\n[[feeds]]\nurl = \"https://a.example/\"\nrefrsh = \"1h\"\n[[feeds]]\nurl = \"https://b.example/\"\nrefrsh = \"2h\"\n"
	c, err := Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"config c.toml:1: unknown key page_sise — did you mean page_size?",
		"config c.toml:3: unknown key currencies — did you mean rates.currencies?",
		"config c.toml:4: unknown key frobnicate (ignored)",
		"config c.toml:6: unknown key rates.currencis — did you mean rates.currencies?",
		"config c.toml:7: unknown key rate — did you mean rates?",
		"config c.toml:12: unknown key feeds.refrsh — did you mean feeds.refresh?",
		"config c.toml:15: unknown key feeds.refrsh — did you mean feeds.refresh?",
	}
	if got := strings.Join(c.Warnings, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestUnknownKeyWithControlCharactersIsEscaped(t *testing.T) {
	c, err := Parse("c.toml", []byte("\"\\u001b[2J\\u202e\" = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || strings.ContainsAny(c.Warnings[0], "\x1b\u202e") || !strings.HasPrefix(c.Warnings[0], `config c.toml:1: unknown key "\x1b[2J\u202e"`) {
		t.Errorf("warnings %q", c.Warnings)
	}
}

func TestManyUnknownKeysAreCountedNotListed(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "key%d = %d\n", i, i)
	}
	c, err := Parse("c.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 21 || c.Warnings[20] != "config c.toml: 80 more unknown keys (ignored)" || !strings.HasPrefix(c.Warnings[19], "config c.toml:20: unknown key key19") {
		t.Errorf("%d warnings, last %q", len(c.Warnings), c.Warnings[len(c.Warnings)-1])
	}
}

// manyUnknownKeys is a config of n unknown keys, some close to known ones.
func manyUnknownKeys(n int) []byte {
	var b strings.Builder
	b.WriteString("[rates]\n")
	for i := range n {
		fmt.Fprintf(&b, "currencie%d = [\"KZT\"]\n", i)
	}
	return []byte(b.String())
}

// nestedInline is `a = {a = {a = … 1 …}}` n levels deep.
func nestedInline(n int) []byte {
	return []byte("a = " + strings.Repeat("{a = ", n) + "1" + strings.Repeat("}", n) + "\n")
}

// Issue 13: 20,000 unknown keys took 90 s, and 12,000 levels of inline
// tables 6 GB and 33 s. The bound here is generous; the benchmarks below
// give the figures.
func TestOddConfigsAreCheap(t *testing.T) {
	start := time.Now()
	c, err := Parse("c.toml", manyUnknownKeys(20000))
	if err != nil || len(c.Warnings) != 21 {
		t.Fatalf("err %v, %d warnings", err, len(c.Warnings))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("20,000 unknown keys took %s", d)
	}
	start = time.Now()
	_, err = Parse("c.toml", nestedInline(12000))
	if err == nil || !strings.Contains(err.Error(), "c.toml:1: nested deeper than 16 levels") {
		t.Errorf("12,000 levels: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing 12,000 levels took %s", d)
	}
}

func BenchmarkConfigUnknownKeys(b *testing.B) {
	data := manyUnknownKeys(20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("c.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConfigDeepNesting(b *testing.B) {
	data := nestedInline(12000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("c.toml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

func TestConfigLimits(t *testing.T) {
	// 16 levels pass the depth check (the parser then names the unknown key).
	if _, err := Parse("c.toml", nestedInline(15)); err != nil {
		t.Errorf("16 levels: %v", err)
	}
	for name, text := range map[string]string{
		"inline tables":  string(nestedInline(16)),
		"arrays":         "a = " + strings.Repeat("[", 17) + strings.Repeat("]", 17) + "\n",
		"dotted key":     strings.Repeat("a.", 16) + "a = 1\n",
		"table header":   "[" + strings.Repeat("a.", 16) + "a]\n",
		"header and key": "[rates]\n" + strings.Repeat("a.", 15) + "a = 1\n",
		"on line 3":      "page_size = 6\n\nx = " + strings.Repeat("[", 20) + strings.Repeat("]", 20) + "\n",
	} {
		_, err := Parse("c.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), "nested deeper than 16 levels") {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := Parse("c.toml", []byte("x = "+strings.Repeat("[", 20)+strings.Repeat("]", 20)+"\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "config c.toml:1: nested") {
		t.Errorf("the line: %v", err)
	}
	// Brackets in strings and comments are not nesting.
	ok := "# " + strings.Repeat("[", 40) + "\n[rates]\nbase = \"USD\" # {{{{{{{{{{{{{{{{{{{{\n" +
		"[rates.endpoints]\nerapi = \"http://127.0.0.1:8080/" + strings.Repeat("[", 20) + "\"\n" +
		"nbk = '''http://127.0.0.1:8080/" + strings.Repeat("{", 20) + "'''\n" +
		"nbt = \"\"\"http://127.0.0.1:8080/\\\"" + strings.Repeat("[", 20) + "\"\"\"\n"
	if _, err := Parse("c.toml", []byte(ok)); err != nil && strings.Contains(err.Error(), "nested") {
		t.Errorf("brackets in strings or comments counted: %v", err)
	}
	// Size: over 1 MiB is refused before parsing, from a file without
	// reading all of it.
	big := bytes.Repeat([]byte("# a comment line to make the file large\n"), (maxConfigBytes/40)+10)
	if _, err := Parse("c.toml", big); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("over 1 MiB: %v", err)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, big, 0o600)
	if _, err := Load(path, true); err == nil || !strings.Contains(err.Error(), path+" is larger than 1 MiB") {
		t.Errorf("file over 1 MiB: %v", err)
	}
	if _, err := Parse("c.toml", big[:maxConfigBytes/2]); err != nil {
		t.Errorf("half a MiB of comments: %v", err)
	}
}

func TestBrowserConfig(t *testing.T) {
	c, err := Parse("c.toml", []byte("browser = \"firefox --new-tab %u\"\n"))
	if err != nil || c.Browser != "firefox --new-tab %u" {
		t.Errorf("%v %q", err, c.Browser)
	}
}

// TestConfigMaxItems: max_items is the default cap of every feed, a
// feed's own max_items its cap (found by URL however the store writes it),
// and left out it is feeds.DefaultMaxItems.
func TestConfigMaxItems(t *testing.T) {
	if c := DefaultConfig(); c.MaxItems != feeds.DefaultMaxItems || c.FeedItems() != nil {
		t.Errorf("default max_items %d, per-feed %v", c.MaxItems, c.FeedItems() != nil)
	}
	c, err := Parse("c.toml", []byte("max_items = 300\n[[feeds]]\nurl = \"https://a.example/feed\"\nmax_items = 20\n[[feeds]]\nurl = \"https://b.example/feed\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxItems != 300 {
		t.Errorf("max_items %d, want 300", c.MaxItems)
	}
	own := c.FeedItems()
	if own == nil {
		t.Fatal("no per-feed max_items")
	}
	for u, want := range map[string]int{"https://a.example/feed": 20, "HTTPS://A.example/feed": 20, "https://b.example/feed": 0} {
		if got := own(feeds.Feed{URL: u}); got != want {
			t.Errorf("%s: max_items %d, want %d", u, got, want)
		}
	}
}
