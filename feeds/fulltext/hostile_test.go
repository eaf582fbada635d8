package fulltext

import (
	"bytes"
	"strings"
	"testing"
)

// hostile is escape sequences, control and bidi characters, raw and as
// HTML references, and links that must never survive.
const hostile = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m \u009b2J \x9b6n &#27;[2J &#x1b;]8;;http://evil.example/\x07osc8&#x1b;]8;;&#7; " +
	"&#155;6n &#x9d;0;x&#x9c; \u202eevil\u202c \x00\x08\x7f " +
	`<a href="javascript:alert(1)">js link</a> <a href=" JaVaScRiPt:alert(2)">js two</a> ` +
	`<a href="java&#x09;script:alert(3)">js three</a> <a href="data:text/html,&lt;script&gt;">data link</a> ` +
	`<a href="vbscript:x">vb link</a> <img src="javascript:alert(4)" alt="bad image"> ` +
	`<a href="-http://evil.example/">dash link</a> <a href="/relative/ok">relative link</a> `

// TestHostilePage injects hostile text into a real page (its og:title
// and its article's first paragraph): no escape sequence, control
// character or non-http(s) link reaches the Article.
func TestHostilePage(t *testing.T) {
	src := page(t, "ars-1", "source.html")
	inject := func(old, new string) {
		t.Helper()
		if !bytes.Contains(src, []byte(old)) {
			t.Fatalf("%q is not in the page", old)
		}
		src = bytes.Replace(src, []byte(old), []byte(new), 1)
	}
	inject(`<meta property="og:title" content="Just-released`, `<meta property="og:title" content="&#27;]0;owned&#7;&#x1b;[2JJust-released`)
	inject(`A flaw in the wildly popular`, "A flaw "+hostile+"in the wildly popular")
	ts := servePage(t, "text/html; charset=utf-8", src)
	a, err := Fetch(ctx(t), ts.Client(), ts.URL+"/2015/04/minecraft/")
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, a)
	for _, s := range []string{a.Title, a.Text, a.HTML, a.Byline, a.Excerpt} {
		for _, bad := range []string{"\x1b", "\u009b", "\u009d", "\a", "\u202e", "pwned", "owned", "[31m", "[2J", "javascript", "JaVaScRiPt", "vbscript", "data:text", "evil.example"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q survived in %.200q", bad, s)
			}
		}
	}
	if a.Title != "Just-released Minecraft exploit makes it easy to crash game servers" {
		t.Errorf("title %q", a.Title)
	}
	// The refused links' words stay as text (but "js link": it shares its
	// text with an OSC that &#x9d; opens and nothing ends, which takes
	// the rest of that text with it, as a terminal would); only the
	// relative link is a link.
	if strings.Contains(a.Text, "js link") {
		t.Error("the text after an unended OSC survived")
	}
	for _, w := range []string{"js two", "data link", "vb link", "RED", "in the wildly popular"} {
		if !strings.Contains(a.Text, w) {
			t.Errorf("%q is not in the text", w)
		}
	}
	found := false
	for _, l := range a.Links {
		if l.URL == ts.URL+"/relative/ok" && l.Text == "relative link" {
			found = true
		}
		if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") {
			t.Errorf("link %q", l.URL)
		}
	}
	if !found {
		t.Errorf("the relative link is not among %v", a.Links)
	}
}

// FuzzExtract: no page makes Extract panic or return unclean text.
func FuzzExtract(f *testing.F) {
	f.Add([]byte("<p>" + strings.Repeat("Text of an article. ", 10) + "</p>"))
	f.Add([]byte("<p>" + hostile + strings.Repeat("word ", 30) + "</p>"))
	f.Add([]byte("<html><head><title>\x1b[2J</title></head><body><article><p>" + strings.Repeat("Слово ", 30) + "</p></article>"))
	f.Add([]byte("%PDF-1.4"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Options{AnyPage: true}.Extract(b, "text/html", "https://example.org/a/")
		if err != nil {
			if e := asError(t, err); e.Kind == KindInternal {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		checkClean(t, a)
	})
}
