package config

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParseConfig feeds ParseConfig arbitrary text. It must never panic; an
// error always names the file; what it accepts is in range: page_size in
// [0, 500] and every feed and endpoint URL an absolute http(s) URL.
//
//	go test . -run='^$' -fuzz='^FuzzParseConfig$' -fuzztime=2m
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"",
		"page_size = 6\n",
		"page_size = 0\nkeep_days = 30\nfetch_timeout = \"5s\"\n",
		`page_size = 6
[[feeds]]
name = "The Times of Central Asia"
url = "https://timesca.com/feed/"
refresh = "15m"
[[feeds]]
url = "http://127.0.0.1:8080/feeds/eurasianet.atom"
[rates]
base = "USD"
currencies = ["KGS", "KZT", "TJS", "UZS", "TMT"]
refresh = "1h"
providers = ["frankfurter", "erapi", "cbu", "nbk", "nbt", "nbkr"]
invert = false
[rates.endpoints]
erapi = "http://127.0.0.1:8080"
`,
		"page_size = 501\n",
		"page_size = -1\n",
		"page_size = \"six\"\n",
		"[[feeds]]\nname = \"x\"\nurl = \"ftp://x.example/feed\"\n",
		"[[feeds]]\nurl = \" https://x.example/feed \"\nrefresh = \"30s\"\n",
		"[[feeds]]\nurl = \"javascript:alert(1)\"\n",
		"[[feeds]]\nurl = \"https://\"\n",
		"[[feeds]]\nurl = \"http://[::1\"\n",
		"[rates]\nbase = \"US\"\n",
		"[rates]\nproviders = [\"nope\"]\n",
		"[rates.endpoints]\nerapi = \"file:///etc/passwd\"\n",
		"[rates]\nrefresh = 5\n",
		"fetch_timeout = \"-1s\"\n",
		"unknown = 1\n[[feeds]]\nurl = \"https://a.example/\"\nextra = true\n",
		"feeds = []\n",
		"page_size = 6\npage_size = 7\n",
		"[[feeds]\nurl = \"https://a.example/\"\n",
		"a.b.c = 1\n\"quoted key\" = 'x'\n[x.\"y\".z]\nk = 1\n",
		"page_size = 9223372036854775807\n",
		"\xff\xfe\x00p",
	} {
		f.Add([]byte(s))
	}
	const path = "/home/aigerim/.config/steppe/config.toml"
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(path, data)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name %s: %v", path, err)
			}
			return
		}
		if c.PageSize < 0 || c.PageSize > 500 {
			t.Fatalf("accepted page_size %d", c.PageSize)
		}
		if c.Path != path {
			t.Fatalf("Path = %q, want %q", c.Path, path)
		}
		isHTTP := func(s string) bool {
			u, err := url.Parse(strings.TrimSpace(s))
			return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
		}
		for i, fc := range c.Feeds {
			if !isHTTP(fc.URL) {
				t.Fatalf("accepted feed %d url %q", i+1, fc.URL)
			}
		}
		for _, sp := range c.FeedSpecs() {
			if !isHTTP(sp.URL) {
				t.Fatalf("FeedSpecs gives url %q", sp.URL)
			}
		}
		for name, u := range c.Rates.Endpoints {
			if !isHTTP(u) {
				t.Fatalf("accepted endpoint %s = %q", name, u)
			}
		}
	})
}
