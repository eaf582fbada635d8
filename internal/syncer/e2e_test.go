package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"
	_ "modernc.org/sqlite"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/synctest"
)

func TestMain(m *testing.M) { os.Exit(synctest.Main(m)) }

// feedServer serves RSS feeds on loopback for Miniflux to subscribe to:
// /NAME.xml has items NAME-0 … NAME-(n-1); NAME-0 carries a podcast's
// MP3 as its enclosure.
func feedServer(t testing.TB, sizes map[string]int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
		n, ok := sizes[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>%s</title><link>http://%s/</link>`, name, r.Host)
		for i := range n {
			fmt.Fprintf(w, `<item><guid>%s-%d</guid><title>%s story %d: тенге и сом</title><link>https://news.example/%s/%d</link>
<description><![CDATA[<p>Story <b>%d</b> of %s.</p><script>x()</script>]]></description><pubDate>%s</pubDate>`,
				name, i, name, i, name, i, i, name, time.Date(2026, 12, 1, 8, i, 0, 0, time.UTC).Format(time.RFC1123Z))
			if i == 0 {
				fmt.Fprintf(w, `<enclosure url="https://media.news.example/%s-0.mp3" length="25264128" type="audio/mpeg"/>`, name)
			}
			fmt.Fprint(w, `</item>`)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func openStore(t testing.TB) *feeds.Store {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "steppe.db")+
		"?_txlock=immediate&_pragma=busy_timeout(10000)&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := feeds.OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// world is one test's Miniflux user with subscriptions, and a store.
type world struct {
	srv    *synctest.Server
	user   *synctest.User
	store  *feeds.Store
	engine *Engine
	feeds  map[string]int64 // name: Miniflux feed id
}

func newWorld(t *testing.T, sizes map[string]int, categories map[string]string) *world {
	t.Helper()
	srv := synctest.Shared(t)
	u := srv.NewUser(t)
	fs := feedServer(t, sizes)
	w := &world{srv: srv, user: u, store: openStore(t), feeds: map[string]int64{}}
	cats := map[string]int64{}
	names := make([]string, 0, len(sizes))
	for name := range sizes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		req := &miniflux.FeedCreationRequest{FeedURL: fs.URL + "/" + name + ".xml"}
		if c := categories[name]; c != "" {
			if cats[c] == 0 {
				cat, err := u.Client.CreateCategory(c)
				if err != nil {
					t.Fatal(err)
				}
				cats[c] = cat.ID
			}
			req.CategoryID = cats[c]
		}
		id, err := u.Client.CreateFeed(req)
		if err != nil {
			t.Fatalf("subscribing to %s: %v\n%s", name, err, srv.Log())
		}
		w.feeds[name] = id
	}
	w.engine = &Engine{Backend: NewMiniflux(srv.URL, Credentials{Username: u.Name, Password: u.Password}, nil),
		Store: w.store, Service: "miniflux", URL: srv.URL}
	return w
}

func (w *world) sync(t *testing.T) Report {
	t.Helper()
	rep, err := w.engine.Sync(context.Background())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

// entry finds the server's entry by title prefix.
func (w *world) entry(t *testing.T, title string) *miniflux.Entry {
	t.Helper()
	res, err := w.user.Client.Entries(&miniflux.Filter{Search: title, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Entries {
		if strings.HasPrefix(e.Title, title) {
			return e
		}
	}
	t.Fatalf("no server entry %q", title)
	return nil
}

// article finds the stored article by title prefix.
func (w *world) article(t *testing.T, title string) feeds.Article {
	t.Helper()
	p, err := w.store.PageOf(context.Background(), feeds.View{}, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Items {
		if strings.HasPrefix(a.Title, title) {
			return a
		}
	}
	t.Fatalf("no stored article %q", title)
	return feeds.Article{}
}

func TestMinifluxFirstSyncAndBothDirections(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]int{"akipress": 4, "kun": 3}, map[string]string{"akipress": "Kyrgyzstan"})
	// State made on the server (the phone) before steppe ever synced.
	if err := w.user.Client.UpdateEntries([]int64{w.entry(t, "akipress story 1").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	if err := w.user.Client.UpdateEntriesStarred([]int64{w.entry(t, "kun story 2").ID}, true); err != nil {
		t.Fatal(err)
	}

	rep := w.sync(t)
	if rep.Feeds != 2 || rep.Entries != 7 || rep.New != 7 {
		t.Fatalf("first sync = %+v, want 2 feeds, 7 new entries", rep)
	}
	fs, _ := w.store.Feeds(ctx)
	groups := map[string]string{}
	for _, f := range fs {
		if f.Origin != feeds.OriginServer {
			t.Errorf("feed %q has origin %q", f.Name, f.Origin)
		}
		groups[f.Name] = f.Group
	}
	if groups["akipress"] != "Kyrgyzstan" || groups["kun"] != "All" {
		t.Errorf("categories as groups: %v", groups)
	}
	a1 := w.article(t, "akipress story 1")
	if !a1.Read || a1.Starred {
		t.Errorf("akipress 1: read %v starred %v, want read", a1.Read, a1.Starred)
	}
	if k2 := w.article(t, "kun story 2"); k2.Read || !k2.Starred {
		t.Errorf("kun 2: read %v starred %v, want starred", k2.Read, k2.Starred)
	}
	full, _ := w.store.Article(ctx, a1.ID)
	if !strings.Contains(full.Content, "Story 1 of akipress.") || strings.Contains(full.Body, "script") {
		t.Errorf("content %q body %q", full.Content, full.Body)
	}
	// The enclosure Miniflux read from the feed is stored.
	if e := w.article(t, "akipress story 0").Enclosures; len(e) != 1 || e[0].URL != "https://media.news.example/akipress-0.mp3" ||
		e[0].Type != "audio/mpeg" || e[0].Length != 25264128 {
		t.Errorf("enclosures of akipress 0: %+v", e)
	}

	// steppe → server.
	a0 := w.article(t, "akipress story 0")
	if err := w.store.MarkRead(ctx, a0.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetStarred(ctx, a0.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetRead(ctx, a1.ID, false); err != nil {
		t.Fatal(err)
	}
	rep = w.sync(t)
	if rep.Pushed != 3 || rep.Pending != 0 || rep.New != 0 {
		t.Errorf("second sync = %+v, want 3 changes pushed, none new", rep)
	}
	if e := w.entry(t, "akipress story 0"); e.Status != "read" || !e.Starred {
		t.Errorf("server akipress 0: %s starred %v", e.Status, e.Starred)
	}
	if e := w.entry(t, "akipress story 1"); e.Status != "unread" {
		t.Errorf("server akipress 1: %s, want unread", e.Status)
	}

	// server → steppe.
	time.Sleep(1100 * time.Millisecond) // the server's change times have one-second steps in the cursor
	if err := w.user.Client.UpdateEntries([]int64{w.entry(t, "kun story 0").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	if err := w.user.Client.UpdateEntriesStarred([]int64{w.entry(t, "akipress story 0").ID}, false); err != nil {
		t.Fatal(err)
	}
	w.sync(t)
	if k0 := w.article(t, "kun story 0"); !k0.Read {
		t.Errorf("kun 0 not read after the server read it")
	}
	if a := w.article(t, "akipress story 0"); a.Starred || !a.Read {
		t.Errorf("akipress 0: read %v starred %v, want read, unstarred", a.Read, a.Starred)
	}
	// An unchanged re-sync changes nothing.
	rep = w.sync(t)
	if rep.New != 0 || rep.Pushed != 0 || rep.Read != 0 || rep.Starred != 0 {
		t.Errorf("unchanged re-sync = %+v", rep)
	}
	// Counts follow.
	counts, _ := w.store.FeedCounts(ctx)
	total, unread := 0, 0
	for _, c := range counts {
		total += c.Total
		unread += c.Unread
	}
	if total != 7 || unread != 5 {
		t.Errorf("counts: %d total, %d unread; want 7, 5 (%+v)", total, unread, counts)
	}
}

// The later change wins: a local change older than the server's is
// dropped; a newer one is sent.
func TestMinifluxConflictNewerWins(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]int{"24kg": 3}, nil)
	w.sync(t)
	a0, a1 := w.article(t, "24kg story 0"), w.article(t, "24kg story 1")

	// a0: read here, then unread on the server a moment later.
	if err := w.store.MarkRead(ctx, a0.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := w.user.Client.UpdateEntries([]int64{w.entry(t, "24kg story 0").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	if err := w.user.Client.UpdateEntries([]int64{w.entry(t, "24kg story 0").ID}, "unread"); err != nil {
		t.Fatal(err)
	}
	// a1: starred on the server, then unstarred here a moment later.
	if err := w.user.Client.UpdateEntriesStarred([]int64{w.entry(t, "24kg story 1").ID}, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := w.store.SetStarred(ctx, a1.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetStarred(ctx, a1.ID, false); err != nil {
		t.Fatal(err)
	}

	rep := w.sync(t)
	if rep.Superseded != 1 {
		t.Errorf("superseded %d, want 1 (a0's read)", rep.Superseded)
	}
	if a := w.article(t, "24kg story 0"); a.Read {
		t.Errorf("a0 read here; the server's later unread should win")
	}
	if e := w.entry(t, "24kg story 0"); e.Status != "unread" {
		t.Errorf("server a0 = %s", e.Status)
	}
	if a := w.article(t, "24kg story 1"); a.Starred {
		t.Errorf("a1 starred here; the later local unstar should win")
	}
	if e := w.entry(t, "24kg story 1"); e.Starred {
		t.Errorf("server a1 still starred")
	}
}

// A server that stops mid-way keeps every local change queued; after it
// is back, the queue is sent once, and nothing is lost or doubled.
func TestMinifluxServerDownQueueReplayed(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]int{"asia": 5}, nil)
	w.sync(t)
	for i := range 3 {
		a := w.article(t, fmt.Sprintf("asia story %d", i))
		if err := w.store.MarkRead(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.srv.StopMiniflux()
	_, err := w.engine.Sync(ctx)
	w.srv.StartMiniflux(t)
	var se *Error
	if !errors.As(err, &se) || se.Kind != KindUnreachable || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("sync with the server down: %v, want unreachable", err)
	}
	st, _ := w.store.SyncStatus(ctx)
	if st.Pending != 3 || st.LastError == "" {
		t.Errorf("after the failed sync: %+v, want 3 pending and the error", st)
	}
	// Cut short between the push and its acknowledgement: the server
	// took the changes, the store still has them; sending them again
	// changes nothing twice.
	rep := w.sync(t)
	if rep.Pushed != 3 || rep.Pending != 0 {
		t.Errorf("replayed sync = %+v", rep)
	}
	res, err := w.user.Client.Entries(&miniflux.Filter{Status: "read"})
	if err != nil || res.Total != 3 {
		t.Errorf("server read entries: %v, %v; want 3", res, err)
	}
	p, _ := w.store.PageOf(ctx, feeds.View{}, 1, 100)
	if p.Total != 5 || p.Unread != 2 {
		t.Errorf("store: %d articles, %d unread; want 5, 2", p.Total, p.Unread)
	}
}

func TestMinifluxWrongPassword(t *testing.T) {
	srv := synctest.Shared(t)
	u := srv.NewUser(t)
	store := openStore(t)
	e := &Engine{Backend: NewMiniflux(srv.URL, Credentials{Username: u.Name, Password: "wrong-s3cret"}, nil),
		Store: store, Service: "miniflux", URL: srv.URL}
	_, err := e.Sync(context.Background())
	var se *Error
	if !errors.As(err, &se) || se.Kind != KindAuth {
		t.Fatalf("wrong password: %v, want an auth error", err)
	}
	if strings.Contains(err.Error(), "wrong-s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if fs, _ := store.Feeds(context.Background()); len(fs) != 0 {
		t.Errorf("a refused login stored feeds: %v", fs)
	}
}

// A server that answers 500 or garbage is a bad response; the store and
// its queue are left as they were.
func TestBrokenServers(t *testing.T) {
	var mode atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "500":
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error_message":"database \x1b[31mon fire"}`)
		case "html":
			fmt.Fprint(w, "<html><body>Welcome to nginx!</body></html>")
		case "huge":
			w.Write([]byte("["))
			chunk := []byte(strings.Repeat(`{"id":1},`, 1000))
			for range maxResponse/len(chunk) + 2 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	for _, m := range []string{"500", "html", "huge"} {
		mode.Store(m)
		store := openStore(t)
		e := &Engine{Backend: NewMiniflux(srv.URL+"/?token=SECRETTOKEN", Credentials{Token: "k"}, nil), Store: store, Service: "miniflux", URL: srv.URL}
		_, err := e.Sync(context.Background())
		var se *Error
		if !errors.As(err, &se) || se.Kind != KindBadResponse {
			t.Errorf("%s: %v, want a bad response", m, err)
			continue
		}
		if strings.ContainsAny(err.Error(), "\x1b") || strings.Contains(err.Error(), "SECRETTOKEN") {
			t.Errorf("%s: error %q shows an escape or the token", m, err)
		}
		if st, _ := store.SyncStatus(context.Background()); st.LastError == "" || st.Cursor != "" {
			t.Errorf("%s: status %+v", m, st)
		}
	}
}

// BenchmarkMinifluxSync measures a first sync of many entries (500 feeds)
// and an unchanged re-sync, against the real server:
//
//	STEPPE_E2E=1 go test -run '^$' -bench MinifluxSync -benchtime 1x ./internal/syncer
//
// Entries are put in Miniflux's database directly (the API imports one at
// a time). STEPPE_SYNC_BENCH_N sets the number (default 10,000).
func BenchmarkMinifluxSync(b *testing.B) {
	srv := synctest.Shared(b)
	n := 10000
	if s := os.Getenv("STEPPE_SYNC_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	u := srv.NewUser(b)
	seed := fmt.Sprintf(`
WITH c AS (SELECT id FROM categories WHERE user_id = %[1]d LIMIT 1),
f AS (
	INSERT INTO feeds (user_id, category_id, title, feed_url, site_url, checked_at)
	SELECT %[1]d, (SELECT id FROM c), 'Bench feed ' || i, 'http://127.0.0.1:9/bench/' || i || '.xml', 'http://127.0.0.1:9/', now()
	FROM generate_series(1, 500) AS i RETURNING id
)
INSERT INTO entries (user_id, feed_id, hash, published_at, title, url, content, status, created_at, changed_at, author)
SELECT %[1]d, f.id, md5(f.id || '-' || g), now() - (g || ' minutes')::interval, 'Bench story ' || g, 'https://news.example/bench/' || f.id || '/' || g,
	'<p>Body of story ' || g || ', with <b>some</b> text of a typical length for a news item, and a link to <a href="https://news.example/">the site</a>.</p>',
	(CASE WHEN g %% 3 = 0 THEN 'read' ELSE 'unread' END)::entry_status, now(), now() - ((f.id * 1000 + g) || ' seconds')::interval, 'Bench'
FROM f, generate_series(1, %[2]d / 500) AS g;`, u.ID, n)
	if _, err := srv.SQL("miniflux", seed); err != nil {
		b.Fatal(err)
	}
	key, err := u.Client.CreateAPIKey("bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, login := range []struct {
		name string
		cred Credentials
	}{
		// With a password Miniflux checks a bcrypt hash on every request.
		{"apikey", Credentials{Token: key.Token}},
		{"password", Credentials{Username: u.Name, Password: u.Password}},
	} {
		b.Run(login.name, func(b *testing.B) { benchSync(b, srv, login.cred, n) })
	}
}

func benchSync(b *testing.B, srv *synctest.Server, cred Credentials, n int) {
	for range b.N {
		b.StopTimer()
		store := openStore(b)
		e := &Engine{Backend: NewMiniflux(srv.URL, cred, nil), Store: store, Service: "miniflux", URL: srv.URL}
		b.StartTimer()
		began := time.Now()
		rep, err := e.Sync(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		first := time.Since(began)
		if rep.New != n {
			b.Fatalf("first sync stored %d, want %d", rep.New, n)
		}
		began = time.Now()
		rep, err = e.Sync(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		again := time.Since(began)
		b.ReportMetric(first.Seconds(), "first-s")
		b.ReportMetric(again.Seconds(), "resync-s")
		b.ReportMetric(float64(rep.Entries), "resync-entries")
	}
}

// The Google Reader API of the same server: first sync, both directions,
// and a wrong password.
func TestGReaderAgainstMiniflux(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]int{"eurasianet": 4, "asiaplus": 2}, map[string]string{"eurasianet": "Region"})
	w.srv.EnableGoogleReader(t, w.user, "gr-"+w.user.Name, "gr-pass-"+w.user.Password)
	if err := w.user.Client.UpdateEntriesStarred([]int64{w.entry(t, "eurasianet story 3").ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := w.user.Client.UpdateEntries([]int64{w.entry(t, "asiaplus story 0").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	w.engine = &Engine{Backend: NewGReader(w.srv.URL, Credentials{Username: "gr-" + w.user.Name, Password: "gr-pass-" + w.user.Password}, nil),
		Store: w.store, Service: "greader", URL: w.srv.URL}
	rep := w.sync(t)
	if rep.Feeds != 2 || rep.New != 6 {
		t.Fatalf("first sync = %+v, want 2 feeds, 6 new", rep)
	}
	fs, _ := w.store.Feeds(ctx)
	for _, f := range fs {
		if f.Name == "eurasianet" && f.Group != "Region" {
			t.Errorf("eurasianet group %q", f.Group)
		}
	}
	if a := w.article(t, "eurasianet story 3"); !a.Starred || a.Read {
		t.Errorf("eurasianet 3: read %v starred %v", a.Read, a.Starred)
	}
	if a := w.article(t, "asiaplus story 0"); !a.Read {
		t.Errorf("asiaplus 0 not read")
	}
	full, _ := w.store.Article(ctx, w.article(t, "eurasianet story 2").ID)
	if !strings.Contains(full.Content, "Story 2 of eurasianet.") || full.Link != "https://news.example/eurasianet/2" {
		t.Errorf("article = %+v", full)
	}

	a := w.article(t, "eurasianet story 1")
	w.store.MarkRead(ctx, a.ID)
	w.store.SetStarred(ctx, a.ID, true)
	w.store.SetRead(ctx, w.article(t, "asiaplus story 0").ID, false)
	if rep := w.sync(t); rep.Pushed != 3 || rep.New != 0 {
		t.Errorf("second sync = %+v", rep)
	}
	if e := w.entry(t, "eurasianet story 1"); e.Status != "read" || !e.Starred {
		t.Errorf("server eurasianet 1: %s starred %v", e.Status, e.Starred)
	}
	if e := w.entry(t, "asiaplus story 0"); e.Status != "unread" {
		t.Errorf("server asiaplus 0: %s", e.Status)
	}
	// The server reads one: the next sync has it.
	w.user.Client.UpdateEntries([]int64{w.entry(t, "eurasianet story 0").ID}, "read")
	if rep := w.sync(t); rep.Read != 1 || rep.New != 0 {
		t.Errorf("third sync = %+v, want one article read by the server's list", rep)
	}
	if a := w.article(t, "eurasianet story 0"); !a.Read {
		t.Errorf("eurasianet 0 not read")
	}

	bad := &Engine{Backend: NewGReader(w.srv.URL, Credentials{Username: "gr-" + w.user.Name, Password: "nope-s3cret"}, nil),
		Store: openStore(t), Service: "greader", URL: w.srv.URL}
	_, err := bad.Sync(ctx)
	var se *Error
	if !errors.As(err, &se) || se.Kind != KindAuth || strings.Contains(err.Error(), "nope-s3cret") {
		t.Errorf("wrong password: %v", err)
	}
}
