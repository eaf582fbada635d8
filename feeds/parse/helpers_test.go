package parse

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// parseFeed is Feed for a body that came from feedURL itself.
func parseFeed(body []byte, contentType, feedURL string, now time.Time) ([]Item, error) {
	return Feed(body, contentType, feedURL, feedURL, now)
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var t0 = time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC)

// unsafeIn reports the first character that must never reach a terminal.
// Entity text ("&#27;") is not one: text is decoded once, before cleaning,
// and nothing decodes it again.
func unsafeIn(s string, body bool) (rune, bool) {
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

func assertSafeItem(t *testing.T, a Item) {
	t.Helper()
	for name, v := range map[string]string{
		"title": a.Title, "summary": a.Summary, "author": a.Author, "link": a.Link, "id": a.ID,
	} {
		if r, bad := unsafeIn(v, false); bad {
			t.Errorf("%s of %q holds %U: %q", name, a.Title, r, v)
		}
	}
	if r, bad := unsafeIn(a.Content, true); bad {
		t.Errorf("content of %q holds %U: %q", a.Title, r, a.Content)
	}
	if err := htmlclean.Check(a.Body); err != nil {
		t.Errorf("body of %q: %v\n%s", a.Title, err, a.Body)
	}
}
