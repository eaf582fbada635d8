package fulltext

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// page reads a saved page's file from testdata/pages.
func page(t testing.TB, name, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pages", name, file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// expectedMeta is the part of a corpus page's expected-metadata.json the
// tests compare.
type expectedMeta struct {
	Title         string  `json:"title"`
	Byline        *string `json:"byline"`
	PublishedTime *string `json:"publishedTime"`
	Readerable    bool    `json:"readerable"`
}

func meta(t testing.TB, name string) expectedMeta {
	t.Helper()
	var m expectedMeta
	if err := json.Unmarshal(page(t, name, "expected-metadata.json"), &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// serve starts a loopback server for h, closed when the test ends.
func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// servePage answers every request with body and the given Content-Type.
func servePage(t testing.TB, contentType string, body []byte) *httptest.Server {
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
}

// ctx is a context that ends with the test, within a minute.
func ctx(t testing.TB) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// asError is err as an *Error, failing the test when it is not one.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e
}

// fold is s with every run of white space one space.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// htmlText is the text of an HTML document or fragment.
func htmlText(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		case html.StartTagToken, html.EndTagToken:
			b.WriteByte(' ')
		}
	}
}

// words splits text into lower-case words (letters and digits).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= utf8.RuneSelf && isLetter(r))
	})
}

func isLetter(r rune) bool {
	return r >= 0xC0 && r != 0xD7 && r != 0xF7 && !(r >= 0x2000 && r <= 0x206F)
}

// overlap is the F1 of two texts' word multisets: 1 when they hold the
// same words as often, 0 when none in common.
func overlap(got, want []string) (precision, recall, f1 float64) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	common := 0
	for _, w := range got {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	if common == 0 {
		return 0, 0, 0
	}
	precision = float64(common) / float64(len(got))
	recall = float64(common) / float64(len(want))
	return precision, recall, 2 * precision * recall / (precision + recall)
}

// checkClean fails the test when any text of a reaches a terminal unsafe
// or any URL is not http(s).
func checkClean(t *testing.T, a Article) {
	t.Helper()
	for name, s := range map[string]string{"URL": a.URL, "Title": a.Title, "Byline": a.Byline,
		"SiteName": a.SiteName, "Excerpt": a.Excerpt, "Lang": a.Lang, "Image": a.Image} {
		if sanitize.Text(s, false) != s {
			t.Errorf("%s %q is not clean", name, s)
		}
	}
	for name, s := range map[string]string{"Text": a.Text, "HTML": a.HTML} {
		if sanitize.Text(s, true) != s {
			t.Errorf("%s is not clean", name)
		}
		for _, r := range s {
			if sanitize.Unsafe(r) && r != '\n' {
				t.Errorf("%s holds %U", name, r)
				break
			}
		}
	}
	if a.Image != "" {
		if _, err := sanitize.HTTPURL(a.Image); err != nil {
			t.Errorf("Image %q: %v", a.Image, err)
		}
	}
	for _, l := range a.Links {
		if _, err := sanitize.HTTPURL(l.URL); err != nil {
			t.Errorf("link %q: %v", l.URL, err)
		}
		if sanitize.Text(l.Text, false) != l.Text {
			t.Errorf("link text %q is not clean", l.Text)
		}
	}
}
