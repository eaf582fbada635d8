package main

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.PageSize != 6 || c.KeepDays != 90 {
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
	c, err := ParseConfig("c.toml", []byte(text))
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
		{"endpoint type", "[rates.endpoints]\nerapi = 5\n", `c.toml:2: rates.endpoints.erapi must be text in quotes`},
		{"browser", "browser = \"firefox; rm -rf ~\"\n", `c.toml:1: key "browser": "firefox; rm -rf ~" cannot be run as a command without a shell`},
		{"browser subst", "browser = \"firefox $(id) %u\"\n", `c.toml:1: key "browser"`},
		{"duration", "[[feeds]]\nurl = \"https://a.example/\"\n[[feeds]]\nurl = \"https://b.example/\"\nrefresh = \"15x\"\n", `c.toml:5: key "feeds.refresh": "15x" is not a duration`},
		{"scheme", "[[feeds]]\nurl = \"https://a.example/\"\n[[feeds]]\nname = \"b\"\nurl = \"javascript:alert(1)\"\n", `c.toml:5: key "url" in [[feeds]] entry 2`},
		{"page size", "page_size = -1\n", `c.toml:1: key "page_size": must be between 0`},
		{"provider", "[rates]\nbase = \"USD\"\nproviders = [\"frankfurter\", \"yahoo\"]\n", `c.toml:3: key "rates.providers": unknown provider "yahoo"`},
		{"currency", "[rates]\ncurrencies = [\"KZT\", \"tenge\"]\n", `c.toml:2: key "rates.currencies": "tenge" is not a three-letter currency code`},
		{"endpoint", "[rates.endpoints]\nerapi = \"not a url\"\n", `c.toml:2: key "rates.endpoints.erapi"`},
		{"refresh too often", "[rates]\nrefresh = \"5s\"\n", `c.toml:2: key "rates.refresh": 5s is too often`},
	}
	for _, c := range cases {
		_, err := ParseConfig("c.toml", []byte(c.text))
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
	c, err := ParseConfig("c.toml", []byte("page_size = 6\npagesize = 7\n[[feeds]]\nurl = \"https://a.example/\"\nrefrsh = \"1h\"\n"))
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
	c, err := ParseConfig("c.toml", []byte("feeds = []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds) != 0 {
		t.Errorf("an explicit empty feeds list got %d defaults", len(c.Feeds))
	}
}
