package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/ui"
)

// The hostile corpus (testdata/hostile) puts terminal escapes everywhere a
// feed can: raw ESC/BEL/C0 bytes (which XML forbids, so feeds/ strips them
// before parsing), JSON "\u001b", numeric, double- and triple-encoded
// references to ESC and BEL, OSC 52 clipboard writes, OSC 8 hyperlinks, C1
// CSI as UTF-8 and as a raw byte, bidi overrides and isolates, and markup a
// Markdown renderer could turn into escapes or links (javascript:, file:,
// data:, autolinks, images). None of it may reach the store, the command
// line or the screen, and no link that is not plain http(s) may be opened.

// hostileFeeds are the corpus files with the markers of their items.
var hostileFeeds = []struct {
	name, file, contentType string
	markers                 []string
}{
	{"Hostile RSS", "rss.xml", "application/rss+xml; charset=utf-8", []string{"H01", "H02", "H03", "H04", "H05", "H06", "H07", "H08", "H09", "H10"}},
	{"Hostile Atom", "atom.xml", "application/atom+xml", []string{"A01", "A02", "A03"}},
	{"Hostile JSON", "feed.json", "application/feed+json", []string{"J01", "J02", "J03", "J04", "J05", "J06"}},
	{"Hostile raw bytes", "raw-bytes.xml", "application/rss+xml", []string{"R01", "R02"}},
}

// hostileLinks is the link each item must be stored with: "" for every link
// that is not plain http(s) (or carries controls); prefix match otherwise.
var hostileLinks = map[string]string{
	"H01": "https://good.example/h01",
	"H02": "", // javascript:
	"H03": "", // file:
	"H04": "", // data:
	"H05": "", // leading '-'
	"H06": "", // "  JaVaScRiPt:"
	"H07": "https://good.example/h07",
	"H08": "", // double-encoded ESC
	"H09": "", // bidi override
	"H10": "", // file://localhost
	"A01": "https://good.example/a01",
	"A02": "", // javascript:
	"A03": "http://127.0.0.1:",
	"J01": "https://good.example/j01",
	"J02": "", // javascript:
	"J03": "", // file:
	"J04": "", // data:
	"J05": "", // leading '-'
	"J06": "", // ESC in the URL
	"R01": "https://good.example/r01",
	"R02": "", // a link that holds an escape sequence is refused, not cut into another URL
}

// neverOpen are the schemes (and prefixes) that must never reach OpenURL.
var neverOpen = regexp.MustCompile(`(?i)^\s*(javascript|vbscript|file|data):|^-|\x1b|\x{202e}`)

// sgr matches the UI's own styling (SGR) and nothing else.
var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// hostileServer serves testdata/hostile on 127.0.0.1.
func hostileServer(t *testing.T) *httptest.Server {
	t.Helper()
	types := map[string]string{}
	for _, f := range hostileFeeds {
		types[f.file] = f.contentType
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.URL.Path)
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "hostile", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", types[name])
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHostileContent(t *testing.T) {
	// The corpus must carry what it claims, or the test proves nothing.
	corpus := ""
	for _, f := range hostileFeeds {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "hostile", f.file))
		if err != nil {
			t.Fatal(err)
		}
		corpus += string(b)
	}
	for _, s := range []string{"\x1b[31m", "\x07", "\x9b31m", "\u009b", "&#27;", "&#x1b;", "&amp;#27;", "&amp;#x1B;", "&amp;amp;#x1b;",
		`\u001b`, `\u0007`, "]52;c;", "]8;;", "\u202e", "\u2066", "javascript:", "file:", "data:", "-oProxyCommand"} {
		if !strings.Contains(corpus, s) {
			t.Fatalf("the corpus lacks %q", s)
		}
	}

	srv := hostileServer(t)
	ratesSrv := newFixtureServer(t)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("page_size = 50\n")
	for _, f := range hostileFeeds {
		fmt.Fprintf(&b, "\n[[feeds]]\nname = %q\nurl = %q\n", f.name, srv.URL+"/hostile/"+f.file)
	}
	fmt.Fprintf(&b, "\n[rates]\nproviders = [\"frankfurter\"]\n[rates.endpoints]\nfrankfurter = %q\n", ratesSrv.URL)
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")

	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh")
	if code != 0 || strings.Contains(out, "error:") {
		t.Fatalf("refresh: exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range hostileFeeds {
		want := fmt.Sprintf("%d new, %d in feed", len(f.markers), len(f.markers))
		if l := refreshLine(out, f.name); !strings.Contains(l, want) {
			t.Errorf("%s: %q, want %q", f.name, l, want)
		}
	}
	checkUnsafe(t, "refresh output", out)

	t.Run("database", func(t *testing.T) { hostileDatabase(t, data) })
	t.Run("headlines", func(t *testing.T) { hostileHeadlines(t, cfg, data) })
	t.Run("ui", func(t *testing.T) { hostileUI(t, cfg, data) })
}

// checkUnsafe fails for anything in s that must not reach a terminal.
func checkUnsafe(t *testing.T, where, s string) {
	t.Helper()
	if bad := firstUnsafe(s); bad != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return firstUnsafe(string(r)) != "" })
		from := max(0, i-40)
		t.Errorf("%s carries %s near %q", where, bad, s[from:min(len(s), i+40)])
	}
}

func markerOf(title string) string {
	if len(title) >= 3 {
		return title[:3]
	}
	return title
}

func hostileDatabase(t *testing.T, data string) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, dbFile)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Every text column of the articles table, found from the schema so a
	// new column is checked too.
	rows, err := db.Query(`SELECT name FROM pragma_table_info('articles') WHERE type = 'TEXT'`)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	// The summary, content and body are packed into one value (the
	// column packed, feeds/pack.go): they are checked as the store reads
	// them back.
	exprs := slices.Clone(cols)
	for _, part := range []string{"summary", "content", "body"} {
		cols = append(cols, part)
		exprs = append(exprs, "steppe_"+part+"(packed)")
	}
	for _, want := range []string{"id", "title", "link", "author"} {
		if !slices.Contains(cols, want) {
			t.Fatalf("articles has no text column %q (columns %v)", want, cols)
		}
	}
	rows, err = db.Query(`SELECT ` + strings.Join(exprs, ", ") + ` FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		vals := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := map[string]string{}
		for i, c := range cols {
			rec[c] = vals[i]
			checkUnsafe(t, "articles."+c+" of "+markerOf(rec["title"]), vals[i])
		}
		m := markerOf(rec["title"])
		seen[m] = true
		want, ok := hostileLinks[m]
		switch {
		case !ok:
			t.Errorf("unexpected article %q", rec["title"])
		case want == "" && rec["link"] != "":
			t.Errorf("%s: link %q stored, want none", m, rec["link"])
		case want != "" && !strings.HasPrefix(rec["link"], want):
			t.Errorf("%s: link %q, want %q…", m, rec["link"], want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for m := range hostileLinks {
		if !seen[m] {
			t.Errorf("article %s was not stored", m)
		}
	}
	// The feeds' own text (names, errors) is shown too.
	var name, lastErr string
	frows, err := db.Query(`SELECT name, last_error FROM feeds`)
	if err != nil {
		t.Fatal(err)
	}
	defer frows.Close()
	for frows.Next() {
		if err := frows.Scan(&name, &lastErr); err != nil {
			t.Fatal(err)
		}
		checkUnsafe(t, "feeds row "+name, name+lastErr)
	}
}

func hostileHeadlines(t *testing.T, cfg, data string) {
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "headlines")
	if code != 0 {
		t.Fatalf("headlines: exit %d: %s", code, errOut)
	}
	checkUnsafe(t, "headlines", out)
	for m := range hostileLinks {
		if !strings.Contains(out, m+" ") {
			t.Errorf("headlines lacks %s", m)
		}
	}
	code, out, errOut = steppe(t, "--config", cfg, "--data-dir", data, "headlines", "--json")
	if code != 0 {
		t.Fatalf("headlines --json: exit %d: %s", code, errOut)
	}
	var page headlinesJSON
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(page.Items) != len(hostileLinks) {
		t.Errorf("--json has %d items, want %d", len(page.Items), len(hostileLinks))
	}
	for _, it := range page.Items {
		m := markerOf(it.Title)
		for field, v := range map[string]string{"id": it.ID, "title": it.Title, "link": it.Link, "feed": it.Feed, "published": it.Published, "summary": it.Summary} {
			checkUnsafe(t, "--json "+m+" "+field, v)
		}
		if neverOpen.MatchString(it.Link) || hostileLinks[m] == "" && it.Link != "" {
			t.Errorf("--json %s: link %q", m, it.Link)
		}
	}
}

// frameRecorder wraps the root model: it keeps every frame View returns
// (what the renderer gets, before any terminal handling) and counts the
// messages by type, so the test can wait for a loaded article.
type frameRecorder struct {
	m tea.Model

	mu     sync.Mutex
	frames []string
	counts map[string]int
}

func (r *frameRecorder) Init() tea.Cmd { return r.m.Init() }

func (r *frameRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	r.mu.Lock()
	r.counts[fmt.Sprintf("%T", msg)]++
	r.mu.Unlock()
	var cmd tea.Cmd
	r.m, cmd = r.m.Update(msg)
	return r, cmd
}

func (r *frameRecorder) View() tea.View {
	v := r.m.View()
	r.mu.Lock()
	r.frames = append(r.frames, v.Content)
	r.mu.Unlock()
	return v
}

func (r *frameRecorder) count(typ string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[typ]
}

func (r *frameRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.frames) == 0 {
		return ""
	}
	return r.frames[len(r.frames)-1]
}

func (r *frameRecorder) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last frame:\n%s", what, r.last())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hostileUI(t *testing.T, cfgPath, data string) {
	// The frames carry the UI's own SGR (which the check strips): styles
	// always render in colour; the terminal's renderer degrades them.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := openApp(ctx, &globals{config: cfgPath, dataDir: data, offline: true}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var mu sync.Mutex
	var opened []string
	opts, err := a.uiOptions(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	opts.OpenURL = func(u string) error {
		mu.Lock()
		opened = append(opened, u)
		mu.Unlock()
		return nil
	}
	m, err := ui.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := &frameRecorder{m: m, counts: map[string]int{}}
	pr := runProgram(t, rec, 100, 40)
	key := pr.key
	// Every stored article (the database test checks that is all of them).
	n, err := a.store.feeds.Count(ctx)
	if err != nil || n == 0 {
		t.Fatalf("count: %d, %v", n, err)
	}
	rec.waitFor(t, "the list", func() bool {
		return strings.Contains(rec.last(), "Viewing results 1 - ") && strings.Contains(rec.last(), fmt.Sprintf(" of %d", n))
	})

	// The list: press o on every item, moving down.
	for range n {
		key("o")
		key("j")
	}
	// The reader: open the last article, then o and p back through all of
	// them. Each open sends one ui.articleMsg (the loaded, rendered article).
	key("enter")
	for i := 1; i <= n; i++ {
		rec.waitFor(t, fmt.Sprintf("article %d in the reader", i), func() bool { return rec.count("ui.articleMsg") >= i })
		key("o")
		key("p")
	}
	key("esc")
	key("q")
	pr.finished()

	rec.mu.Lock()
	frames := rec.frames
	rec.mu.Unlock()
	all := strings.Join(frames, "\n")
	for m := range hostileLinks {
		if !strings.Contains(sgr.ReplaceAllString(all, ""), m+" ") {
			t.Errorf("no frame shows %s", m)
		}
	}
	if !sgr.MatchString(all) {
		t.Error("no frame carries SGR styling: the check below would be too easy")
	}
	if plain := sgr.ReplaceAllString(all, ""); !strings.Contains(plain, "────") || !strings.Contains(plain, "(no link)") {
		t.Error("the reader never showed (its rule and a missing link)")
	}
	for i, f := range frames {
		plain := sgr.ReplaceAllString(f, "")
		if bad := firstUnsafe(plain); bad != "" {
			checkUnsafe(t, fmt.Sprintf("frame %d", i), plain)
			break
		}
	}

	mu.Lock()
	defer mu.Unlock()
	got := map[string]bool{}
	for _, u := range opened {
		got[u] = true
		if neverOpen.MatchString(u) || !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			t.Errorf("OpenURL called with %q", u)
		}
	}
	// Every good link was opened (from the list and from the reader), so a
	// broken `o` cannot pass as a safe one.
	for m, want := range hostileLinks {
		if want == "" {
			continue
		}
		found := 0
		for _, u := range opened {
			if strings.HasPrefix(u, want) && (want != "http://127.0.0.1:" || strings.HasSuffix(u, "/a03-relative")) {
				found++
			}
		}
		if found < 2 {
			t.Errorf("%s (%s…) opened %d times, want 2 (list and reader): %v", m, want, found, opened)
		}
	}
}
