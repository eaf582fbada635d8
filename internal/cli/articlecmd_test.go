package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// article prints one stored article; --full reads its own page (a real
// saved BBC article served on loopback) through the extractor.
func TestArticleCommand(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(repoRoot, "feeds", "fulltext", "testdata", "pages", "bbc-1", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>BBC</title>
<item><guid>1</guid><title>Obama: gun laws &#27;[31mfrustrating</title><link>` + srv.URL + `/news/1</link>
<description>One line of summary.</description><pubDate>Fri, 24 Jul 2015 04:36:09 GMT</pubDate></item>
<item><guid>2</guid><title>Gone</title><link>` + srv.URL + `/gone</link><description>Kept summary.</description></item>
</channel></rss>`))
		case "/news/1":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[[feeds]]\nname = \"BBC\"\nurl = \""+srv.URL+"/rss.xml\"\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = \""+srv.URL+"\"\n"), 0o600)
	base := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data")}
	steppe(t, append(base, "refresh")...)
	p := headlinesPage(t, base...)
	if p.Total != 2 {
		t.Fatalf("headlines: %+v", p)
	}
	var obama, gone string
	for _, it := range p.Items {
		if strings.HasPrefix(it.Title, "Obama") {
			obama = it.ID
		} else {
			gone = it.ID
		}
	}

	code, out, errOut := steppe(t, append(base, "article", obama)...)
	if code != 0 || !strings.HasPrefix(out, "Obama: gun laws frustrating\nBBC · ") || !strings.Contains(out, "One line of summary.") {
		t.Errorf("article: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape reached the output: %q", out)
	}

	code, out, errOut = steppe(t, append(base, "article", obama, "--full", "--json")...)
	var a articleJSON
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("article --full --json: exit %d\n%s%s", code, out, errOut)
	}
	if !a.FullText || a.ID != obama || a.Feed != "BBC" || a.Published != "2015-07-24T04:36:09Z" ||
		!strings.Contains(a.Text, "Mr Obama told the BBC that gun control was his biggest frustration") || strings.Contains(a.Text, "One line of summary.") {
		t.Errorf("article --full: %+v", a)
	}

	// What --full read is kept: the article's text is the page's from now on.
	code, out, errOut = steppe(t, append(base, "article", obama, "--json")...)
	a = articleJSON{}
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || !a.FullText || !strings.Contains(a.Text, "gun control was his biggest frustration") {
		t.Errorf("article after --full: exit %d %+v %s", code, a, errOut)
	}

	// A page that cannot be read says why and keeps the feed's text.
	code, out, errOut = steppe(t, append(base, "article", gone, "--full")...)
	if code != 0 || !strings.Contains(errOut, "could not be read") || !strings.Contains(errOut, "404") || !strings.Contains(out, "Kept summary.") {
		t.Errorf("article --full of a gone page: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := steppe(t, append(base, "article", "nope")...); code != 1 || !strings.Contains(errOut, "no stored article has the id") {
		t.Errorf("unknown id: exit %d %s", code, errOut)
	}
	if code, _, _ := steppe(t, append(base, "article")...); code != 2 {
		t.Errorf("no id: exit %d, want 2", code)
	}
}
