package feeds

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// The fuzz targets hold Clean, CleanBody and Parse to the promise the rest
// of steppe relies on: whatever a feed sends, what comes out is valid UTF-8
// without a character that can drive a terminal, cleaning is stable, and
// Body is sanitised HTML as contract 3 describes it.
// Run one at a time, e.g.
//
//	go test ./feeds -run='^$' -fuzz='^FuzzClean$' -fuzztime=2m

// forbidden reports the first rune that Clean (body false) or CleanBody
// (body true) must never let through.
func forbidden(s string, body bool) (rune, bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, true
	}
	for _, r := range s {
		if r == '\n' && body {
			continue
		}
		if sanitize.Unsafe(r) {
			return r, true
		}
	}
	return 0, false
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"",
		"Navigating Energy and Diplomacy: Putin’s Visit to Kazakhstan",
		"Кыргызстан: «сом» &amp; тенге — курс",
		"raw \x1b[31mred\x1b[0m and \x1b]52;c;cm0gLXJm\a osc52",
		"osc8 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\",
		"c1 \u009b2J csi \u0085nel \x7fdel",
		"dec &#27;[2J hex &#x1b;[2J &#X1B; &#x001b; &#155; &#x9b;",
		"double &amp;#27;[2J triple &amp;amp;#x1b;[2J numeric &#38;#27;",
		"split &\x1b#27;[2J and &#\x1b27;",
		"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f \u061calm",
		"invalid \xff\xfe utf8 \xc0\x80",
		"  folded \t\n  white   space \r\n\r\n\r\n  indented   code\twith tab  \n",
		"Line one\r\rtwo\r\n\u00a0\u2028\u2029 nbsp and separators",
		"entities &amp; &lt;b&gt; &mdash; &#8217; &ampx &amp &lt3 &notin; &nGt;",
		"&" + strings.Repeat("amp;", 300) + "#27;[2J",
		"\ufeffbom \ufff9ann\ufffb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, body := range []bool{false, true} {
			fn, name := Clean, "Clean"
			if body {
				fn, name = CleanBody, "CleanBody"
			}
			got := fn(s)
			if r, bad := forbidden(got, body); bad {
				t.Fatalf("%s(%q) = %q keeps %U", name, s, got, r)
			}
			if again := fn(got); again != got {
				t.Fatalf("%s is not idempotent:\n in:    %q\n once:  %q\n twice: %q", name, s, got, again)
			}
			if body && utf8.ValidString(s) && folded(s) && foldLines(s) != s {
				t.Fatalf("folded(%q) but foldLines gives %q", s, foldLines(s))
			}
			if !body && (strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ")) {
				t.Fatalf("Clean(%q) = %q: white space not folded", s, got)
			}
		}
	})
}

// fuzzFeedURL is the feed every fuzzed body is parsed as.
const fuzzFeedURL = "https://feeds.example/news/rss"

func FuzzParse(f *testing.F) {
	seeds := map[string]string{
		"timesca_wp.xml":         "application/rss+xml; charset=UTF-8",
		"eurasianet_atom.xml":    "application/atom+xml",
		"kunuz_rdf.xml":          "application/rdf+xml",
		"astanatimes.json":       "application/feed+json",
		"24kg_cp1251.xml":        "text/xml",
		"24kg_cp1251_nodecl.xml": "application/rss+xml; charset=windows-1251",
		"dupes_nodates.xml":      "application/rss+xml",
		"hostile.xml":            "application/rss+xml",
		"error.html":             "text/html",
	}
	for name, ct := range seeds {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, ct)
	}
	f.Add([]byte(`<rss version="2.0"><channel><item><title>t</title><link>javascript:alert(1)</link></item>`+
		`<item><link>/relative/path?q=1</link><guid>g</guid></item><item><link>-oProxyCommand=x</link></item></channel></rss>`), "")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;bold&lt;/b&gt; &amp;amp;#27;[2J</title>`+
		`<link href="data:text/html,x"/><content type="html">&lt;script&gt;x&lt;/script&gt;&lt;a href="vbscript:x"&gt;y&lt;/a&gt;</content></entry></feed>`), "application/atom+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"\u001b[2J\u202e","url":"file:///etc/passwd","content_html":"<p>a</p>"}]}`), "application/json")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "")
	for _, tc := range feedCases {
		f.Add([]byte(tc.doc), tc.ct)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		arts, err := Parse(body, contentType, fuzzFeedURL, time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC))
		if err != nil {
			if r, bad := forbidden(err.Error(), false); bad {
				t.Fatalf("error %q holds %U", err, r)
			}
			return
		}
		for i, a := range arts {
			for name, v := range map[string]string{
				"id": a.ID, "title": a.Title, "link": a.Link, "author": a.Author, "summary": a.Summary,
			} {
				if r, bad := forbidden(v, false); bad {
					t.Fatalf("item %d: %s %q holds %U", i, name, v, r)
				}
				if c := Clean(v); c != v {
					t.Fatalf("item %d: %s %q is not clean: Clean gives %q", i, name, v, c)
				}
			}
			if r, bad := forbidden(a.Content, true); bad {
				t.Fatalf("item %d: content %q holds %U", i, a.Content, r)
			}
			if c := CleanBody(a.Content); c != a.Content {
				t.Fatalf("item %d: content %q is not clean: CleanBody gives %q", i, a.Content, c)
			}
			if err := checkBody(a.Body); err != nil {
				t.Fatalf("item %d: body %q: %v", i, a.Body, err)
			}
			if a.Link != "" {
				u, err := url.Parse(a.Link)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					t.Fatalf("item %d: link %q is not an absolute http(s) URL", i, a.Link)
				}
			}
		}
	})
}
