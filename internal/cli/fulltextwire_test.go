package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// A feed with full_text = true has each new item's page fetched on
// refresh (a real saved BBC page on loopback): `article --json` then
// gives the page's text from the store, and a page that failed says why
// and keeps the feed's text. A feed added with --full-text does the same;
// a feed without it fetches no page.
func TestFullTextFeeds(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(repoRoot, "feeds", "fulltext", "testdata", "pages", "bbc-1", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	var pages atomic.Int32
	var srv *httptest.Server
	item := func(guid, title, path, summary string) string {
		return `<item><guid>` + guid + `</guid><title>` + title + `</title><link>` + srv.URL + path +
			`</link><description>` + summary + `</description><pubDate>Fri, 24 Jul 2015 04:36:09 GMT</pubDate></item>`
	}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/full.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>Full</title>` +
				item("1", "Obama on guns", "/news/1", "One line of summary.") +
				item("2", "Gone", "/gone", "Kept summary.") + `</channel></rss>`))
		case "/plain.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>Plain</title>` +
				item("p1", "Plain story", "/news/p1", "Plain summary.") + `</channel></rss>`))
		case "/added.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>Added</title>` +
				item("a1", "Added story", "/news/a1", "Added summary.") + `</channel></rss>`))
		case "/news/1", "/news/a1", "/news/p1":
			pages.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		case "/gone":
			pages.Add(1)
			http.NotFound(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"Full\"\nurl = \""+srv.URL+"/full.xml\"\nfull_text = true\n"+
		"[[feeds]]\nname = \"Plain\"\nurl = \""+srv.URL+"/plain.xml\"\n"+
		"[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+srv.URL+"\"\n"), 0o600)
	base := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data")}
	code, out, errOut := steppe(t, append(base, "refresh")...)
	if !strings.Contains(out, "full text: 1 page read, 1 failed") || pages.Load() != 2 {
		t.Fatalf("refresh: exit %d, %d pages asked\n%s%s", code, pages.Load(), out, errOut)
	}
	ids := map[string]string{}
	for _, it := range headlinesPage(t, base...).Items {
		ids[it.Title] = it.ID
	}
	article := func(id string) articleJSON {
		t.Helper()
		code, out, errOut := steppe(t, append(base, "article", id, "--json")...)
		var a articleJSON
		if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
			t.Fatalf("article %s: exit %d\n%s%s", id, code, out, errOut)
		}
		return a
	}
	if a := article(ids["Obama on guns"]); !a.FullText || !strings.Contains(a.Text, "Mr Obama told the BBC that gun control was his biggest frustration") ||
		strings.Contains(a.Text, "One line of summary.") || a.FullTextError != "" {
		t.Errorf("extracted: %+v", a)
	}
	if a := article(ids["Gone"]); a.FullText || !strings.Contains(a.FullTextError, "404") {
		t.Errorf("failed page: %+v", a)
	}
	code, out, _ = steppe(t, append(base, "article", ids["Gone"])...)
	if code != 0 || !strings.Contains(out, "the article's page could not be read: ") || !strings.Contains(out, "Kept summary.") {
		t.Errorf("failed page, text: %s", out)
	}
	if a := article(ids["Plain story"]); a.FullText || a.FullTextError != "" {
		t.Errorf("a feed without full_text: %+v", a)
	}
	// A second refresh brings nothing new: no page is asked again.
	steppe(t, append(base, "refresh")...)
	if n := pages.Load(); n != 2 {
		t.Errorf("the second refresh asked %d pages", n-2)
	}

	// Plain turned full_text: its item, seen within the day and never
	// tried, has its page read by the next refresh, once.
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"Full\"\nurl = \""+srv.URL+"/full.xml\"\nfull_text = true\n"+
		"[[feeds]]\nname = \"Plain\"\nurl = \""+srv.URL+"/plain.xml\"\nfull_text = true\n"+
		"[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+srv.URL+"\"\n"), 0o600)
	_, out, _ = steppe(t, append(base, "refresh")...)
	if a := article(ids["Plain story"]); !a.FullText || pages.Load() != 3 || !strings.Contains(out, "full text: 1 page read") {
		t.Errorf("Plain turned full_text (%d pages asked): %+v\n%s", pages.Load(), a, out)
	}
	steppe(t, append(base, "refresh")...)
	if n := pages.Load(); n != 3 {
		t.Errorf("a refresh after asked %d pages again", n-3)
	}

	code, out, errOut = steppe(t, append(base, "feeds", "add", srv.URL+"/added.xml", "--full-text")...)
	if code != 0 || !strings.Contains(out, "full text: 1 page read") {
		t.Fatalf("feeds add --full-text: exit %d\n%s%s", code, out, errOut)
	}
	for _, it := range headlinesPage(t, base...).Items {
		ids[it.Title] = it.ID
	}
	if a := article(ids["Added story"]); !a.FullText {
		t.Errorf("added feed: %+v", a)
	}
}

// full_text that is not a boolean is an error naming the file and line.
func TestFullTextConfigKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"X\"\nurl = \"https://x.example/feed\"\nfull_text = \"yes\"\n"), 0o600)
	code, _, errOut := steppe(t, "--config", cfg, "--data-dir", filepath.Join(dir, "data"), "--offline", "headlines")
	if code != 1 || !strings.Contains(errOut, "config.toml:4") || !strings.Contains(errOut, "full_text") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
