package parse

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// The fuzz target holds Feed to the promise the rest of steppe relies on:
// whatever a feed sends, what comes out is valid UTF-8 without a character
// that can drive a terminal, cleaned as sanitize.Line and sanitize.Lines
// leave it, and Body is sanitised HTML as htmlclean.Check holds it. Run it
// with
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzParse$' -fuzztime=2m

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
		arts, err := parseFeed(body, contentType, fuzzFeedURL, time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC))
		if err != nil {
			if r, bad := unsafeIn(err.Error(), false); bad {
				t.Fatalf("error %q holds %U", err, r)
			}
			return
		}
		for i, a := range arts {
			for name, v := range map[string]string{
				"id": a.ID, "title": a.Title, "link": a.Link, "author": a.Author, "summary": a.Summary,
			} {
				if r, bad := unsafeIn(v, false); bad {
					t.Fatalf("item %d: %s %q holds %U", i, name, v, r)
				}
				if c := sanitize.Line(v); c != v {
					t.Fatalf("item %d: %s %q is not clean: sanitize.Line gives %q", i, name, v, c)
				}
			}
			if r, bad := unsafeIn(a.Content, true); bad {
				t.Fatalf("item %d: content %q holds %U", i, a.Content, r)
			}
			if c := sanitize.Lines(a.Content); c != a.Content {
				t.Fatalf("item %d: content %q is not clean: sanitize.Lines gives %q", i, a.Content, c)
			}
			if err := htmlclean.Check(a.Body); err != nil {
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
