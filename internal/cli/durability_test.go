package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The durability tests run the built binary against one store: killed with
// SIGKILL while it writes, two at once, and a damaged file where the store
// should be. What was committed must survive, the store must stay sound,
// and a file steppe did not write must never be replaced.

// durServer serves n generated RSS feeds on loopback, /feed/0 … /feed/n-1,
// and ExchangeRate-API's path from testdata, so a refresh needs no network.
type durServer struct {
	*httptest.Server
	feeds int
	// window is the range of item numbers every feed carries: [lo, hi).
	lo, hi atomic.Int64
	// served counts feed requests answered; once it reaches serveFirst
	// (when > 0) further feed requests wait until release is closed.
	served     atomic.Int64
	serveFirst atomic.Int64
	release    chan struct{}
	blocked    atomic.Int64
}

func newDurServer(t *testing.T, feeds int) *durServer {
	t.Helper()
	gs := &durServer{feeds: feeds, release: make(chan struct{})}
	rates, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "rates", "erapi_latest_USD.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Minute)
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/", func(w http.ResponseWriter, r *http.Request) {
		f, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
		if err != nil || f < 0 || f >= gs.feeds {
			http.NotFound(w, r)
			return
		}
		if first := gs.serveFirst.Load(); first > 0 && gs.served.Load() >= first {
			gs.blocked.Add(1)
			select {
			case <-gs.release:
			case <-r.Context().Done():
				return
			}
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Generated %d</title><link>https://gen.example/%d/</link>\n", f, f)
		for n := gs.hi.Load() - 1; n >= gs.lo.Load(); n-- {
			link := fmt.Sprintf("https://gen.example/%d/story-%d", f, n)
			fmt.Fprintf(&b, "<item><title>Feed %d story %d: water, gas and the som</title><link>%s</link><guid>%s</guid>"+
				"<pubDate>%s</pubDate><description>&lt;p&gt;Story %d of feed %d, told in two sentences. Nothing more.&lt;/p&gt;</description></item>\n",
				f, n, link, link, base.Add(time.Duration(n)*time.Minute+time.Duration(f)*time.Second).Format(time.RFC1123Z), n, f)
		}
		b.WriteString("</channel></rss>\n")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = w.Write(b.Bytes())
		gs.served.Add(1)
	})
	mux.HandleFunc("/v6/latest/USD", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(rates)
	})
	gs.Server = httptest.NewServer(mux)
	t.Cleanup(func() {
		gs.unblock()
		gs.Close()
	})
	return gs
}

// unblock lets every waiting and later request through.
func (gs *durServer) unblock() {
	gs.serveFirst.Store(0)
	select {
	case <-gs.release:
	default:
		close(gs.release)
	}
}

// writeConfig writes a config with every generated feed and loopback rates.
func (gs *durServer) writeConfig(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("page_size = 500\n")
	for f := range gs.feeds {
		fmt.Fprintf(&b, "[[feeds]]\nname = \"Generated %d\"\nurl = \"%s/feed/%d\"\n", f, gs.URL, f)
	}
	fmt.Fprintf(&b, "[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", gs.URL)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// durRun runs the binary to completion and returns its exit code and
// output; -1 (with the test failed) when it could not run or timed out. It
// may be called from any goroutine.
func durRun(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee) && ee.Exited():
		return ee.ExitCode(), out.String(), errb.String()
	}
	t.Errorf("%s %v: %v\nstderr:\n%s", bin, args, err, errb.String())
	return -1, out.String(), errb.String()
}

// durFacts is what the test reads from the store with its own connection.
type durFacts struct {
	integrity string
	ids       map[string]bool
	rows      int // count(*) of articles
	total     int // the kept count in article_stats
	dupIDs    int
	dupLinks  int
}

// durReadStore reads the facts; PRAGMA integrity_check (slow under -race,
// where the pure-Go SQLite is instrumented too) only when check is true,
// else integrity is "ok" unchecked.
func durReadStore(t *testing.T, path string, check bool) durFacts {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteURI(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := durFacts{integrity: "ok"}
	query := `PRAGMA integrity_check`
	if !check {
		query = `SELECT 'ok'`
	}
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, s)
	}
	rows.Close()
	f.integrity = strings.Join(lines, "\n")
	f.ids = map[string]bool{}
	rows, err = db.Query(`SELECT id FROM articles`)
	if err != nil {
		t.Fatalf("reading ids: %v", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.ids[id] = true
		f.rows++
	}
	rows.Close()
	for q, dst := range map[string]*int{
		`SELECT total FROM article_stats`:                                                  &f.total,
		`SELECT count(*) - count(DISTINCT id) FROM articles`:                               &f.dupIDs,
		`SELECT count(*) - count(DISTINCT link) FROM articles WHERE link <> ''`:            &f.dupLinks,
		`SELECT count(*) FROM (SELECT 1 FROM articles_fts LIMIT 1) WHERE 0`:                new(int), // the FTS table opens
		`SELECT count(*) FROM article_anchors WHERE seq NOT IN (SELECT seq FROM articles)`: new(int),
	} {
		if err := db.QueryRow(q).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return f
}

// durCheckSound fails unless the store passes integrity_check and its kept
// count, ids and links agree with its rows.
func durCheckSound(t *testing.T, f durFacts) {
	t.Helper()
	if f.integrity != "ok" {
		t.Errorf("integrity_check:\n%s", f.integrity)
	}
	if f.total != f.rows {
		t.Errorf("article_stats says %d articles, the table holds %d", f.total, f.rows)
	}
	if f.dupIDs != 0 || f.dupLinks != 0 {
		t.Errorf("%d duplicate ids and %d duplicate links stored", f.dupIDs, f.dupLinks)
	}
}

func durHeadlines(t *testing.T, bin string, flags []string, extra ...string) headlinesJSON {
	t.Helper()
	args := append(append(append([]string(nil), flags...), "--offline", "headlines", "--json"), extra...)
	code, out, errOut := durRun(t, bin, args...)
	if code != 0 {
		t.Fatalf("headlines exit %d\nstderr:\n%s", code, errOut)
	}
	var p headlinesJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("headlines --json: %v\n%s", err, out)
	}
	return p
}

func TestKillDuringRefreshLosesNothingCommitted(t *testing.T) {
	bin := buildBinary(t)
	const nFeeds, perFeed, fresh = 40, 300, 150
	gs := newDurServer(t, nFeeds)
	dir := t.TempDir()
	cfg := gs.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	dbPath := filepath.Join(data, dbFile)
	flags := []string{"--config", cfg, "--data-dir", data}

	// Round 1 completes: that is what was committed.
	gs.lo.Store(0)
	gs.hi.Store(perFeed)
	code, out, errOut := durRun(t, bin, append(flags, "refresh")...)
	if code != 0 || strings.Count(out, fmt.Sprintf("%d new, %d in feed", perFeed, perFeed)) != nFeeds {
		t.Fatalf("first refresh exit %d, want every feed with %d new:\n%s\nstderr:\n%s", code, perFeed, out, errOut)
	}
	before := durReadStore(t, dbPath, false)
	durCheckSound(t, before)
	if before.rows != nFeeds*perFeed {
		t.Fatalf("first refresh stored %d articles, want %d", before.rows, nFeeds*perFeed)
	}

	// Round 2: every feed carries new items; half the feeds are served, the
	// rest wait, and the refresh is killed while it stores what it got.
	gs.lo.Store(fresh) // items fresh … perFeed-1 are stored already
	gs.hi.Store(perFeed + fresh)
	gs.served.Store(0)
	gs.serveFirst.Store(nFeeds / 2)
	cmd := exec.Command(bin, append(flags, "refresh")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	committed := 0
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the second refresh never stored anything (served %d feeds)\nstderr:\n%s", gs.served.Load(), stderr.String())
		}
		select {
		case err := <-waited:
			t.Fatalf("the second refresh ended before the kill: %v\nstderr:\n%s", err, stderr.String())
		default:
		}
		if gs.served.Load() >= nFeeds/2 {
			if committed = durCount(dbPath); committed > before.rows {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-waited
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the refresh was not killed by SIGKILL: %v", err)
	}
	t.Logf("killed with %d of %d feeds served, %d waiting; %d new articles committed (%d feeds' worth), so %d feeds were being parsed or stored",
		gs.served.Load(), nFeeds, gs.blocked.Load(), committed-before.rows, (committed-before.rows)/fresh,
		gs.served.Load()-int64((committed-before.rows)/fresh))
	gs.unblock()
	// Killed, it could not checkpoint: the next start must recover the WAL.
	if st, err := os.Stat(dbPath + "-wal"); err != nil || st.Size() == 0 {
		t.Errorf("no write-ahead log left by the killed refresh (%v): the kill did not land while it was storing", err)
	}

	// The next start opens the store with everything committed in it.
	p := durHeadlines(t, bin, flags)
	if p.Total < before.rows {
		t.Errorf("after the kill headlines counts %d articles, fewer than the %d committed before", p.Total, before.rows)
	}
	if len(p.Items) != 500 {
		t.Errorf("first page holds %d items, want 500", len(p.Items))
	}
	last := durHeadlines(t, bin, flags, "--page", strconv.Itoa(p.Pages))
	if want := p.Total - (p.Pages-1)*500; last.Page != p.Pages || len(last.Items) != want {
		t.Errorf("last page %d holds %d items, want page %d with %d", last.Page, len(last.Items), p.Pages, want)
	}
	after := durReadStore(t, dbPath, true)
	durCheckSound(t, after)
	if after.rows != p.Total {
		t.Errorf("headlines says %d articles, the store holds %d", p.Total, after.rows)
	}
	lost := 0
	for id := range before.ids {
		if !after.ids[id] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of the %d articles committed before the kill are gone", lost, len(before.ids))
	}

	// And a refresh after it stores the rest, each article once.
	code, out, errOut = durRun(t, bin, append(flags, "refresh")...)
	if code != 0 {
		t.Fatalf("refresh after the kill: exit %d\n%s\nstderr:\n%s", code, out, errOut)
	}
	final := durReadStore(t, dbPath, false)
	durCheckSound(t, final)
	if want := nFeeds * (perFeed + fresh); final.rows != want {
		t.Errorf("after a full refresh the store holds %d articles, want %d", final.rows, want)
	}
}

// durCount reads the committed article count, or -1 when it cannot.
func durCount(path string) int {
	db, err := sql.Open("sqlite", sqliteURI(path)+"?_pragma=busy_timeout(1000)")
	if err != nil {
		return -1
	}
	defer db.Close()
	n := -1
	if err := db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return -1
	}
	return n
}

func TestTwoProcessesShareOneStore(t *testing.T) {
	bin := buildBinary(t)
	const nFeeds, perFeed = 20, 100
	gs := newDurServer(t, nFeeds)
	gs.lo.Store(0)
	gs.hi.Store(perFeed)
	dir := t.TempDir()
	cfg := gs.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	dbPath := filepath.Join(data, dbFile)
	flags := []string{"--config", cfg, "--data-dir", data}

	// A process that fails must say the store is busy, naming it.
	okOrBusy := func(what string, code int, out, errOut string) bool {
		if code == 0 {
			return true
		}
		if code == 1 && strings.Contains(errOut, dbPath) && strings.Contains(errOut, "is busy") {
			t.Logf("%s said the store is busy: %s", what, strings.TrimSpace(errOut))
			return false
		}
		t.Errorf("%s: exit %d, want 0 or a clear 'store is busy'\nstdout:\n%s\nstderr:\n%s", what, code, out, errOut)
		return false
	}

	// Both start on a data directory that does not exist yet, so they also
	// race to create and migrate the store; a reader loops meanwhile.
	var wg sync.WaitGroup
	done := make(chan struct{})
	var refreshOK atomic.Int64
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, out, errOut := durRun(t, bin, append(flags, "refresh")...)
			if okOrBusy(fmt.Sprintf("refresh %d", i+1), code, out, errOut) {
				refreshOK.Add(1)
				if strings.Count(out, " in feed") != nFeeds {
					t.Errorf("refresh %d reported %d feeds, want %d:\n%s", i+1, strings.Count(out, " in feed"), nFeeds, out)
				}
			}
		}()
	}
	reads := 0
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-done:
				return
			default:
			}
			code, out, errOut := durRun(t, bin, append(flags, "--offline", "headlines", "--json")...)
			reads++
			if okOrBusy("headlines", code, out, errOut) {
				var p headlinesJSON
				if err := json.Unmarshal([]byte(out), &p); err != nil {
					t.Errorf("headlines --json during the refreshes: %v\n%s", err, out)
				} else if p.Total > nFeeds*perFeed || len(p.Items) > p.Total {
					t.Errorf("headlines during the refreshes: total %d, %d items", p.Total, len(p.Items))
				}
			}
		}
	}()
	wg.Wait()
	close(done)
	<-readerDone
	t.Logf("%d refreshes exited 0; %d headlines ran meanwhile", refreshOK.Load(), reads)
	if refreshOK.Load() == 0 {
		t.Fatal("neither refresh succeeded")
	}
	f := durReadStore(t, dbPath, true)
	durCheckSound(t, f)
	if f.rows != nFeeds*perFeed {
		t.Errorf("the store holds %d articles, want %d", f.rows, nFeeds*perFeed)
	}
}

// durRealStore makes a store with articles and rates in it and returns its
// bytes, closed and checkpointed (no -wal file left).
func durRealStore(t *testing.T) []byte {
	t.Helper()
	srv := newDurServer(t, 10)
	srv.lo.Store(0)
	srv.hi.Store(100)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, dbFile+"-wal")); err == nil {
		t.Fatal("the store was left with a -wal file after steppe closed it")
	}
	b, err := os.ReadFile(filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDamagedStoreIsNamedAndKept(t *testing.T) {
	real := durRealStore(t)
	// The page size, from the header (bytes 16-17, big-endian).
	pg := int(real[16])<<8 | int(real[17])
	if len(real) < 8*pg {
		t.Fatalf("the real store is only %d bytes", len(real))
	}
	garbage := func(n int) []byte {
		r := rand.New(rand.NewPCG(5, 2025))
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	for _, tc := range []struct {
		name string
		file []byte
	}{
		// (The text file case is TestForeignFileWhereTheStoreShouldBe.)
		{"header then garbage", append([]byte(sqliteHeader), garbage(len(real)-len(sqliteHeader))...)},
		{"real header then garbage pages", append(append([]byte(nil), real[:100]...), garbage(len(real)-100)...)},
		{"real first page then garbage pages", append(append([]byte(nil), real[:pg]...), garbage(len(real)-pg)...)},
		// Damage that opening the store does not touch is found by the
		// first read of it: the newest headlines.
		{"garbage over the last tenth", append(append([]byte(nil), real[:len(real)/pg*9/10*pg]...), garbage(len(real)-len(real)/pg*9/10*pg)...)},
		{"truncated to half", real[:len(real)/2]},
		{"truncated mid-page", real[:len(real)-pg-1000]},
		{"truncated to the first page", real[:pg]},
		{"last page cut off", real[:len(real)-pg]},
		{"truncated to 90%", real[:len(real)/pg*9/10*pg]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, dbFile)
			if err := os.WriteFile(path, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "config.toml")
			os.WriteFile(cfg, []byte("page_size = 6\n"), 0o600)
			// check reads every page, so it finds every case; headlines
			// and rates read only what they show, which in "garbage over
			// the last tenth" may or may not be whole (the pages a
			// refresh fills vary), so there check alone must say so.
			cmds := [][]string{{"check"}, {"headlines"}, {"rates", "--json"}}
			if strings.HasPrefix(tc.name, "garbage over") {
				cmds = cmds[:1]
			}
			for _, cmd := range cmds {
				code, out, errOut := steppe(t, append([]string{"--config", cfg, "--data-dir", dir, "--offline"}, cmd...)...)
				if code != 1 {
					t.Errorf("%s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", cmd[0], code, out, errOut)
				}
				if !strings.Contains(errOut, path) || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "Move it away") {
					t.Errorf("%s: stderr should name %s, say it is damaged and what to do:\n%s", cmd[0], path, errOut)
				}
			}
			if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, tc.file) {
				t.Errorf("the damaged file was changed (%d bytes, was %d; %v)", len(b), len(tc.file), err)
			}
		})
	}
}

// A data directory whose name SQLite would read as URI syntax ('%', '?',
// '#') still holds its store at <dir>/steppe.db, and no other file.
func TestStoreInAnOddlyNamedDirectory(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "news 100%25 #1?mode=ro")
	if code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "--offline", "headlines", "--json")
	if code != 0 || !strings.Contains(out, `"total": 13`) {
		t.Fatalf("headlines: exit %d\n%s%s", code, out, errOut)
	}
	f := durReadStore(t, filepath.Join(data, dbFile), true)
	durCheckSound(t, f)
	if f.rows != 13 {
		t.Errorf("%s holds %d articles, want 13", filepath.Join(data, dbFile), f.rows)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if name := e.Name(); name != "config.toml" && name != filepath.Base(data) {
			t.Errorf("steppe made %s outside its data directory", name)
		}
	}
}

// check on a whole store says so and exits 0.
func TestCheckWholeStore(t *testing.T) {
	srv := newFixtureServer(t)
	dir := t.TempDir()
	cfg := srv.writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	if code, _, errOut := steppe(t, "--config", cfg, "--data-dir", data, "refresh"); code != 0 {
		t.Fatalf("refresh: %s", errOut)
	}
	code, out, errOut := steppe(t, "--config", cfg, "--data-dir", data, "check")
	if code != 0 || !strings.Contains(out, filepath.Join(data, dbFile)+": no damage found") {
		t.Errorf("check: exit %d\n%s%s", code, out, errOut)
	}
}
