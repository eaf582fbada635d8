package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 9 as a person meets it, in tmux at 100x30: the list never moves
// under the reader, every key counts, read state is the user's.

// dailyServer serves generated RSS feeds whose items and answer delays the
// test sets, and an erapi-shaped rates endpoint.
type dailyServer struct {
	*httptest.Server
	mu    sync.Mutex
	items map[string][]dailyItem // by feed name
	delay map[string]time.Duration
}

type dailyItem struct {
	title string
	age   time.Duration // published this long ago
}

func newDailyServer(t *testing.T) *dailyServer {
	t.Helper()
	ds := &dailyServer{items: map[string][]dailyItem{}, delay: map[string]time.Duration{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/feed/")
		ds.mu.Lock()
		items, d := append([]dailyItem(nil), ds.items[name]...), ds.delay[name]
		ds.mu.Unlock()
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>`, name, name)
		for i, it := range items {
			fmt.Fprintf(w, `<item><title>%s</title><link>https://%s.example/%d</link><guid>https://%s.example/%d</guid><pubDate>%s</pubDate><description>Text of %s.</description></item>`,
				it.title, name, i, name, i, time.Now().Add(-it.age).UTC().Format(time.RFC1123Z), it.title)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/v6/latest/USD", func(w http.ResponseWriter, _ *http.Request) { serveERAPI(t, w) })
	ds.Server = httptest.NewServer(mux)
	t.Cleanup(ds.Close)
	return ds
}

func (ds *dailyServer) set(name string, delay time.Duration, items ...dailyItem) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.items[name], ds.delay[name] = items, delay
}

// config lists the feeds (in order) and the rates endpoint.
func (ds *dailyServer) config(t *testing.T, dir string, extra string, names ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(extra)
	for _, n := range names {
		fmt.Fprintf(&b, "\n[[feeds]]\nname = %q\nurl = %q\n", n, ds.URL+"/feed/"+n)
	}
	fmt.Fprintf(&b, "\n[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", ds.URL)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// items makes n items of a feed, the newest first, each an hour older
// than the one before, starting offset hours ago.
func items(feed string, n int, offset float64) []dailyItem {
	out := make([]dailyItem, n)
	for i := range out {
		out[i] = dailyItem{title: fmt.Sprintf("%s story %d", feed, i+1), age: time.Duration((offset + float64(i)) * float64(time.Hour))}
	}
	return out
}

// selectedLine is the screen line with the selection bar and a title.
func selectedLine(scr string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.HasPrefix(l, "▌ ") && strings.Contains(l, "story") {
			return l
		}
	}
	return ""
}

// A fresh start on an empty store selects the newest headline and keeps
// it there while the feeds answer, in either order.
func TestEndToEndFreshStartSelectsTheNewest(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	for _, order := range [][2]time.Duration{{200 * time.Millisecond, 1200 * time.Millisecond}, {1200 * time.Millisecond, 200 * time.Millisecond}} {
		ds := newDailyServer(t)
		ds.set("alpha", order[0], items("alpha", 12, 0.5)...) // the newest is alpha's
		ds.set("beta", order[1], items("beta", 12, 0)...)     // no: beta's, half an hour newer
		dir := t.TempDir()
		cfg := ds.config(t, dir, "", "alpha", "beta")
		s := startTmux(t, bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))
		scr := s.waitFor("both feeds", "Viewing results 1 - 5 of 24")
		if l := selectedLine(scr); !strings.Contains(l, "beta story 1") {
			t.Errorf("order %v: the selection is not the newest headline: %q\n%s", order, l, scr)
		}
		s.keys("Q")
		s.exitCode()
	}
}

// The daily work: keys typed together, read state, views, the reader, and
// an arrival that is announced and moves nothing.
func TestEndToEndDailyUse(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	ds := newDailyServer(t)
	ds.set("alpha", 0, items("alpha", 8, 0)...)
	ds.set("beta", 0, items("beta", 8, 0.5)...)
	dir := t.TempDir()
	cfg := ds.config(t, dir, "", "alpha", "beta")
	s := startTmux(t, bin, "--config", cfg, "--data-dir", filepath.Join(dir, "data"))
	s.waitFor("the list", "Viewing results 1 - 5 of 16 · 16 unread")

	// Two keys in one write both count.
	s.keys("-l", "jj")
	scr := s.waitFor("jj", "▌ ● alpha story 2")
	if !strings.Contains(scr, "Viewing results 1 - 5 of 16") {
		t.Fatalf("jj:\n%s", scr)
	}

	// An arrival is announced and moves nothing.
	ds.set("alpha", 0, append([]dailyItem{{title: "alpha breaking", age: 0}}, items("alpha", 8, 0)...)...)
	s.keys("r")
	scr = s.waitFor("arrival", "· 1 new")
	if !strings.Contains(selectedLine(scr), "alpha story 2") || !strings.Contains(scr, "Viewing results 1 - 5 of 16") || strings.Contains(scr, "alpha breaking") {
		t.Fatalf("the arrival moved the list:\n%s", scr)
	}
	s.keys("g")
	s.waitFor("g shows it", "alpha breaking", "of 17 · 17 unread")

	// N toggles read; the unread count follows.
	s.keys("N")
	s.waitFor("N", "of 17 · 16 unread")
	s.keys("N")
	s.waitFor("N again", "of 17 · 17 unread")

	// F, one feed, A marks its articles read; esc returns to every feed.
	s.keys("F")
	s.waitFor("feeds pane", "All feeds", "alpha", "beta")
	s.keys("j", "j", "Enter") // All feeds, ★ Starred, alpha
	s.waitFor("alpha's view", "alpha — Viewing results 1 - 5 of 9 · 9 unread")
	s.keys("A")
	s.waitFor("A", "marked 9 articles read", "of 9 · 0 unread")
	s.keys("Escape")
	s.waitFor("every feed", "Viewing results 1 - 5 of 17 · 8 unread")

	// a: unread only; s: a star; v: one line a headline.
	s.keys("a")
	scr = s.waitFor("unread only", "Unread — Viewing results 1 - 5 of 8 · 8 unread")
	if strings.Contains(scr, "alpha story") {
		t.Fatalf("read articles in the unread-only view:\n%s", scr)
	}
	s.keys("s")
	s.waitFor("star", "▌ ● ★ beta story 1") // still unread, and starred
	s.keys("v")
	s.waitFor("compact", "Unread — Viewing results 1 - 8 of 8")

	// The reader: space pages, q goes back (it does not quit).
	s.keys("a", "v", "g", "Enter")
	s.waitFor("reader", "https://alpha.example/0")
	s.keys("Space")
	time.Sleep(300 * time.Millisecond)
	s.keys("q")
	s.waitFor("q goes back", "Viewing results 1 - 5 of 17")
	s.keys("q")
	if code := s.exitCode(); code != "0" {
		t.Errorf("exit %s", code)
	}
}
