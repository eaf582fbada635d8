package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fixtureServer serves testdata/ feeds and two rate providers' real paths
// (Frankfurter /v2/rates and ExchangeRate-API /v6/latest/USD) on 127.0.0.1.
type fixtureServer struct {
	*httptest.Server
	frankfurterDown atomic.Bool
	erapiDown       atomic.Bool
	feedHits        atomic.Int64
}

func newFixtureServer(t testing.TB) *fixtureServer {
	t.Helper()
	fs := &fixtureServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/feeds/", func(w http.ResponseWriter, r *http.Request) {
		fs.feedHits.Add(1)
		name := filepath.Base(r.URL.Path)
		if name == "broken.xml" {
			http.Error(w, "<html><body>Internal error</body></html>", http.StatusInternalServerError)
			return
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "feeds", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, ".atom") {
			w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		}
		_, _ = w.Write(data)
	})
	mux.HandleFunc("/v2/rates", func(w http.ResponseWriter, r *http.Request) {
		if fs.frankfurterDown.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		file := "frankfurter_latest.json"
		if d := r.URL.Query().Get("date"); d != "" {
			file = "frankfurter_" + d + ".json"
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "rates", file))
		if err != nil {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(data)
	})
	mux.HandleFunc("/v6/latest/USD", func(w http.ResponseWriter, r *http.Request) {
		if fs.erapiDown.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		serveERAPI(t, w)
	})
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(fs.Close)
	return fs
}

// writeConfig writes a config pointing at the server and returns its path.
func (fs *fixtureServer) writeConfig(t testing.TB, dir string, extraFeeds ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("page_size = 6\n")
	feedsList := append([]string{"Test Times of Central Asia=timesca.xml", "Test Eurasianet=eurasianet.atom"}, extraFeeds...)
	for _, f := range feedsList {
		name, file, _ := strings.Cut(f, "=")
		fmt.Fprintf(&b, "\n[[feeds]]\nname = %q\nurl = %q\n", name, fs.URL+"/feeds/"+file)
	}
	fmt.Fprintf(&b, "\n[rates]\nproviders = [\"frankfurter\", \"erapi\"]\n[rates.endpoints]\nfrankfurter = %q\nerapi = %q\n", fs.URL, fs.URL)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// serveERAPI answers as ExchangeRate-API's /v6/latest/USD, from the
// recorded payload.
func serveERAPI(t testing.TB, w http.ResponseWriter) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "rates", "erapi_latest_USD.json"))
	if err != nil {
		t.Error(err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(data)
}
