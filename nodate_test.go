package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An item that came without a usable date says so in headlines, in words
// and in JSON, instead of passing off the time it was first seen as its
// date.
func TestHeadlinesSayDateUnknown(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Undated</title><link>https://u.example/</link>
<item><title>No date at all</title><link>https://u.example/1</link></item>
<item><title>A dated one</title><link>https://u.example/2</link><pubDate>Mon, 02 Jan 2023 15:04:05 +0000</pubDate></item>
</channel></rss>`)
	})
	mux.HandleFunc("/v6/latest/USD", func(w http.ResponseWriter, _ *http.Request) { serveERAPI(t, w) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("[[feeds]]\nname = \"Undated\"\nurl = %q\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", srv.URL+"/feed", srv.URL)), 0o600)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh exit %d\n%s%s", code, out, errOut)
	}
	_, out, _ := steppe(t, "--config", cfg, "--data-dir", data, "headlines")
	if !strings.Contains(out, "No date at all\n  Undated · date unknown\n") || !strings.Contains(out, "A dated one\n  Undated · 2 Jan 2023") {
		t.Errorf("headlines:\n%s", out)
	}
	_, out, _ = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--json")
	var p struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || len(p.Items) != 2 {
		t.Fatalf("headlines --json: %v\n%s", err, out)
	}
	for _, it := range p.Items {
		undated := it["title"] == "No date at all"
		if got, has := it["date_unknown"]; undated != has || undated && got != true {
			t.Errorf("%v: date_unknown %v (present %v)", it["title"], got, has)
		}
		if _, ok := it["published"].(string); !ok {
			t.Errorf("%v: published %v", it["title"], it["published"])
		}
	}
}
