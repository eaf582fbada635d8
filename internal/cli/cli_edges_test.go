package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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

// A refresh stopped by a signal says "stopped" for what it did not finish
// and exits 128 + the signal, without Go's "context canceled".
func TestRefreshStoppedBySignal(t *testing.T) {
	hang := make(chan struct{})
	ctx, cancel := context.WithCancelCause(context.Background())
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		// The signal comes while the feed is being fetched (not after a
		// fixed time, which a slow start under -race outlasts).
		once.Do(func() { time.AfterFunc(100*time.Millisecond, func() { cancel(stopSignal{syscall.SIGTERM}) }) })
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/v6/latest/USD", func(w http.ResponseWriter, _ *http.Request) { serveERAPI(t, w) })
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(hang); srv.Close() })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("[[feeds]]\nname = \"Slow\"\nurl = %q\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", srv.URL+"/slow", srv.URL)), 0o600)
	var out, errb bytes.Buffer
	code := run(ctx, []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data"), "refresh"}, &out, &errb)
	if code != 143 || !strings.Contains(out.String(), "Slow") || !strings.Contains(out.String(), "stopped") ||
		strings.Contains(out.String()+errb.String(), "context canceled") || !strings.Contains(errb.String(), "stopped by SIGTERM") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}

// --demo with --config says that the config given is not read.
func TestDemoSaysItIgnoresTheConfig(t *testing.T) {
	given := filepath.Join(t.TempDir(), "mine.toml")
	code, _, errOut := steppe(t, "--demo", "--config", given, "--data-dir", t.TempDir(), "headlines")
	if code != 0 || !strings.Contains(errOut, "demo: runs on a config of its own; "+given+" is not read") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// An empty --data-dir, or a steppe.db that is a directory, is said in
// words (it was "mkdir : no such file or directory" and "disk I/O error").
func TestDataDirMistakesInWords(t *testing.T) {
	code, _, errOut := steppe(t, "--offline", "--data-dir", "", "headlines")
	if code != 2 || !strings.Contains(errOut, "--data-dir names no directory") {
		t.Errorf("empty --data-dir: exit %d, %q", code, errOut)
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "steppe.db"), 0o700)
	code, _, errOut = steppe(t, "--offline", "--data-dir", dir, "headlines")
	if code != 1 || !strings.Contains(errOut, "steppe.db is a directory, not a file") {
		t.Errorf("steppe.db a directory: exit %d, %q", code, errOut)
	}
}

func TestUntilTextNamesTheDay(t *testing.T) {
	loc := time.FixedZone("KGT", 6*3600)
	now := time.Date(2026, 12, 7, 21, 0, 0, 0, loc)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now.Add(12 * time.Minute), "21:12"},
		{time.Date(2026, 12, 13, 21, 12, 0, 0, loc), "Sun 13 Dec 21:12"},
		{now.Add(3 * time.Hour), "Tue 8 Dec 00:00"},
		{time.Date(2027, 1, 2, 9, 5, 0, 0, loc), "Sat 2 Jan 2027 09:05"},
	} {
		if got := untilText(tc.t, now); got != tc.want {
			t.Errorf("untilText(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}
