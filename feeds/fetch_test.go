package feeds

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// feedServer serves testdata files by path, recording requests.
type feedServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newFeedServer(t *testing.T, h http.HandlerFunc) *feedServer {
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.reqs = append(fs.reqs, r.Clone(context.Background()))
		fs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) last() *http.Request {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.reqs[len(fs.reqs)-1]
}

func (fs *feedServer) count() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.reqs)
}

func TestRefreshConditionalGet(t *testing.T) {
	ctx := context.Background()
	body := readPayload(t, "timesca_wp.xml")
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 19 Feb 2025 10:12:44 GMT")
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			gz := gzip.NewWriter(w)
			gz.Write(body)
			gz.Close()
			return
		}
		w.Write(body)
	})
	st := newStore(t)
	f := addFeed(t, st, "Times", srv.URL+"/feed/")
	fe := NewFetcher(st, Options{UserAgent: "steppe-test/1", Timeout: 5 * time.Second})
	fe.now = func() time.Time { return t0 }

	res := fe.Refresh(ctx, f)
	if res.Err != nil || res.New != 3 || res.Total != 3 || res.NotModified {
		t.Fatalf("first refresh %+v", res)
	}
	r := srv.last()
	if r.Header.Get("User-Agent") != "steppe-test/1" ||
		r.Header.Get("Accept") != "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8" ||
		!strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") ||
		r.Header.Get("If-None-Match") != "" {
		t.Errorf("first request headers %v", r.Header)
	}
	if res.Feed.ETag != `"v1"` || res.Feed.LastStatus != "ok" || !res.Feed.LastOK.Equal(t0) {
		t.Errorf("feed after first refresh %+v", res.Feed)
	}
	before, _ := st.Page(ctx, 1, 10)

	fe.now = func() time.Time { return t0.Add(time.Hour) }
	res = fe.Refresh(ctx, f) // f is stale: the stored ETag must still be used
	r = srv.last()
	if r.Header.Get("If-None-Match") != `"v1"` || r.Header.Get("If-Modified-Since") != "Wed, 19 Feb 2025 10:12:44 GMT" {
		t.Errorf("second request headers %v", r.Header)
	}
	if res.Err != nil || !res.NotModified || res.New != 0 || res.Feed.LastStatus != "not modified" ||
		!res.Feed.LastOK.Equal(t0.Add(time.Hour)) || res.Feed.ETag != `"v1"` {
		t.Fatalf("304 refresh %+v", res)
	}
	after, _ := st.Page(ctx, 1, 10)
	if len(after.Items) != len(before.Items) || after.Total != before.Total {
		t.Errorf("304 changed the articles")
	}
	stored, _ := st.Feeds(ctx)
	if stored[0].LastStatus != "not modified" {
		t.Errorf("status not stored: %+v", stored[0])
	}
}

func TestRefreshErrors(t *testing.T) {
	ctx := context.Background()
	huge := strings.Repeat("x", 3000)
	mux := http.NewServeMux()
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(readPayload(t, "error.html"))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>` + huge + `</title></channel></rss>`))
	})
	mux.HandleFunc("/bigchunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		for range 3 {
			w.Write([]byte(huge))
			w.(http.Flusher).Flush()
		}
	})
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	srv := newFeedServer(t, mux.ServeHTTP)
	st := newStore(t)
	fe := NewFetcher(st, Options{Timeout: 300 * time.Millisecond, MaxBody: 2048})
	for _, tc := range []struct{ path, want, short string }{
		{"/404", "HTTP 404 Not Found", "HTTP 404 Not Found"},
		{"/500", "HTTP 500 Internal Server Error", "HTTP 500"},
		{"/html", "not a feed: got text/html", "not a feed"},
		{"/empty", "empty response", "empty response"},
		{"/big", "feed larger than 2 KiB", "feed larger than 2 KiB"},
		{"/bigchunked", "feed larger than 2 KiB", "feed larger than 2 KiB"},
		{"/hang", "timed out after 300ms", "timeout"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			f := addFeed(t, st, tc.path, srv.URL+tc.path)
			start := time.Now()
			res := fe.Refresh(ctx, f)
			if res.Err == nil || res.Err.Error() != tc.want {
				t.Fatalf("err %v, want %q", res.Err, tc.want)
			}
			// The error is a value the UI can ask for its short form.
			var sh interface{ Short() string }
			if tc.short != "" && (!errors.As(res.Err, &sh) || sh.Short() != tc.short) {
				t.Errorf("short form of %v: %v, want %q", res.Err, sh, tc.short)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %v", took)
			}
			fs, _ := st.Feeds(ctx)
			var got Feed
			for _, x := range fs {
				if x.ID == f.ID {
					got = x
				}
			}
			if got.LastStatus != "error" || got.LastError != tc.want || !got.LastOK.IsZero() || got.LastFetch.IsZero() {
				t.Errorf("stored status %+v", got)
			}
			// The short form is stored with it, for the next run.
			if got.LastShort != tc.short {
				t.Errorf("stored short form %q, want %q", got.LastShort, tc.short)
			}
		})
	}
	// Refused connection, in words.
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	f := addFeed(t, st, "dead", url+"/feed")
	if res := fe.Refresh(ctx, f); res.Err == nil || res.Err.Error() != "connection refused" {
		t.Errorf("refused: %v", res.Err)
	}
}

func TestRefreshRetryAfter(t *testing.T) {
	ctx := context.Background()
	var mode atomic.Value
	mode.Store("429")
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "429":
			w.Header().Set("Retry-After", "120")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case "503":
			w.Header().Set("Retry-After", t0.Add(time.Hour).Format(http.TimeFormat))
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			w.Write(readPayload(t, "eurasianet_atom.xml"))
		}
	})
	st := newStore(t)
	f := addFeed(t, st, "E", srv.URL)
	fe := NewFetcher(st, Options{Timeout: 2 * time.Second})
	now := t0
	fe.now = func() time.Time { return now }

	res := fe.Refresh(ctx, f)
	if res.Err == nil || res.Err.Error() != "HTTP 429 Too Many Requests (retry after 2m0s)" ||
		!res.Feed.NextFetch.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("429: %+v", res)
	}
	var he *HTTPError
	if !errors.As(res.Err, &he) || he.Code != 429 || he.RetryAfter != 2*time.Minute || he.Short() != "HTTP 429" {
		t.Errorf("429 as a value: %#v", he)
	}
	now = t0.Add(time.Minute)
	res = fe.Refresh(ctx, f)
	if !res.Skipped || res.Err != nil || srv.count() != 1 {
		t.Fatalf("not skipped before Retry-After: %+v, %d requests", res, srv.count())
	}
	// After the wait: asked again; a 503 with an HTTP date.
	mode.Store("503")
	now = t0.Add(3 * time.Minute)
	res = fe.Refresh(ctx, f)
	if srv.count() != 2 || res.Skipped || !res.Feed.NextFetch.Equal(t0.Add(time.Hour)) {
		t.Fatalf("503: %+v", res)
	}
	mode.Store("ok")
	now = t0.Add(61 * time.Minute)
	res = fe.Refresh(ctx, f)
	if res.Err != nil || res.New != 2 || !res.Feed.NextFetch.IsZero() {
		t.Fatalf("after 503: %+v", res)
	}
}

func TestRetryAfterParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * time.Second, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{t0.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{t0.Add(-time.Hour).Format(http.TimeFormat), 0, false},
		{"99999999", 7 * 24 * time.Hour, true},
	} {
		got, ok := retryAfter(tc.in, t0)
		if ok != tc.ok || (ok && got.Sub(t0) != tc.want) {
			t.Errorf("retryAfter(%q) = %v, %v", tc.in, got.Sub(t0), ok)
		}
	}
}

// A failing feed keeps its stored articles; other feeds are unaffected.
func TestRefreshAllIsolation(t *testing.T) {
	ctx := context.Background()
	var broken atomic.Bool
	var inFlight, maxInFlight atomic.Int32
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		switch r.URL.Path {
		case "/atom":
			if broken.Load() {
				http.Error(w, "oops", http.StatusInternalServerError)
				return
			}
			w.Write(readPayload(t, "eurasianet_atom.xml"))
		case "/rdf":
			w.Write(readPayload(t, "kunuz_rdf.xml"))
		case "/json":
			w.Header().Set("Content-Type", "application/feed+json")
			w.Write(readPayload(t, "astanatimes.json"))
		case "/1251":
			w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1251")
			w.Write(readPayload(t, "24kg_cp1251_nodecl.xml"))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Write(readPayload(t, "error.html"))
		}
	})
	st := newStore(t)
	var specs []Spec
	for _, p := range []string{"/atom", "/rdf", "/json", "/1251", "/html"} {
		specs = append(specs, Spec{Name: p, URL: srv.URL + p})
	}
	feeds, err := st.SyncFeeds(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	fe := NewFetcher(st, Options{Timeout: 5 * time.Second, Concurrency: 2})
	res := fe.RefreshAll(ctx, feeds)
	wantNew := []int{2, 2, 2, 1, 0}
	for i, r := range res {
		if r.Feed.ID != feeds[i].ID {
			t.Fatalf("result %d is for feed %d", i, r.Feed.ID)
		}
		if r.New != wantNew[i] {
			t.Errorf("%s: new %d, want %d (%v)", feeds[i].Name, r.New, wantNew[i], r.Err)
		}
	}
	if res[4].Err == nil || res[4].Err.Error() != "not a feed: got text/html" {
		t.Errorf("html feed: %v", res[4].Err)
	}
	if m := maxInFlight.Load(); m > 2 {
		t.Errorf("%d requests at once, Concurrency is 2", m)
	}
	before, _ := st.Page(ctx, 1, 100)
	if before.Total != 7 {
		t.Fatalf("stored %d", before.Total)
	}
	broken.Store(true)
	res = fe.RefreshAll(ctx, feeds)
	if res[0].Err == nil || res[0].Err.Error() != "HTTP 500 Internal Server Error" || res[0].Feed.LastStatus != "error" {
		t.Errorf("broken feed: %+v", res[0])
	}
	for _, r := range res[1:4] {
		if r.Err != nil || r.Feed.LastStatus != "ok" {
			t.Errorf("healthy feed affected: %+v", r)
		}
	}
	after, _ := st.Page(ctx, 1, 100)
	if after.Total != before.Total {
		t.Errorf("articles changed: %d -> %d", before.Total, after.Total)
	}
	for i := range after.Items {
		if after.Items[i].ID != before.Items[i].ID {
			t.Fatalf("article %d changed", i)
		}
	}
	// LastOK of the broken feed survives the failure.
	fs, _ := st.Feeds(ctx)
	if fs[0].LastOK.IsZero() || fs[0].LastError == "" {
		t.Errorf("broken feed row %+v", fs[0])
	}
}

func TestRefreshHostileStored(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(readPayload(t, "hostile.xml"))
	})
	st := newStore(t)
	f := addFeed(t, st, "Evil \x1b]0;title\a", srv.URL)
	res := NewFetcher(st, Options{}).Refresh(ctx, f)
	if res.Err != nil || res.New != 8 {
		t.Fatalf("%+v", res)
	}
	p, err := st.Page(ctx, 1, 50)
	if err != nil || len(p.Items) != 8 {
		t.Fatalf("%d items, %v", len(p.Items), err)
	}
	for _, a := range p.Items {
		full, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertSafeArticle(t, full)
	}
}

func TestCancelledRefreshLeavesStatusAlone(t *testing.T) {
	st := newStore(t)
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	}))
	defer srv.Close()
	fds, err := st.SyncFeeds(context.Background(), []Spec{{Name: "Slow", URL: srv.URL + "/feed"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	res := NewFetcher(st, Options{Timeout: 5 * time.Second}).Refresh(ctx, fds[0])
	if res.Err == nil {
		t.Fatal("a cancelled refresh reported no error")
	}
	after, err := st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after[0].LastStatus != "" || after[0].LastError != "" || !after[0].LastFetch.IsZero() {
		t.Errorf("a refresh cancelled by its caller changed the feed's status: %+v", after[0])
	}
}

// A server that sends a 900 KB ETag and drops the connection when it gets
// one back (as real servers do with headers that large).
func TestHugeValidatorsAreNotKept(t *testing.T) {
	ctx := context.Background()
	huge := `"` + strings.Repeat("e", 900<<10) + `"`
	var sent []int // the If-None-Match length of each request
	var mu sync.Mutex
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, len(r.Header.Get("If-None-Match")))
		mu.Unlock()
		if len(r.Header.Get("If-None-Match")) > 8<<10 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("ETag", huge)
		w.Header().Set("Last-Modified", strings.Repeat("M", 2000))
		w.Write(readPayload(t, "eurasianet_atom.xml"))
	})
	st := newStore(t)
	f := addFeed(t, st, "E", srv.URL)
	fe := NewFetcher(st, Options{Timeout: 5 * time.Second})
	for i := range 3 {
		res := fe.Refresh(ctx, f)
		if res.Err != nil || res.Feed.LastStatus != "ok" {
			t.Fatalf("refresh %d: %+v", i+1, res)
		}
		if res.Feed.ETag != "" || res.Feed.LastModified != "" {
			t.Fatalf("refresh %d kept a validator of %d bytes", i+1, len(res.Feed.ETag)+len(res.Feed.LastModified))
		}
	}
	stored, _ := st.Feeds(ctx)
	if stored[0].ETag != "" || stored[0].LastModified != "" {
		t.Errorf("stored validators of %d and %d bytes", len(stored[0].ETag), len(stored[0].LastModified))
	}
	if fmt.Sprint(sent) != "[0 0 0]" {
		t.Errorf("If-None-Match lengths sent: %v", sent)
	}
	// A store written before the cap holds the huge ETag: it is not sent.
	setValidators(t, st, f.ID, huge, "")
	if res := fe.Refresh(ctx, f); res.Err != nil || fmt.Sprint(sent) != "[0 0 0 0]" {
		t.Errorf("old huge ETag: %v, sent %v", res.Err, sent)
	}
}

func setValidators(t *testing.T, st *Store, id int64, etag, lastModified string) {
	t.Helper()
	if _, err := st.db.Exec(`UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?`, etag, lastModified, id); err != nil {
		t.Fatal(err)
	}
}

// A conditional request that fails is asked once more without validators;
// a validator that preceded an error is dropped.
func TestFailedConditionalRequestRetriedWithout(t *testing.T) {
	ctx := context.Background()
	var mode atomic.Value
	type req struct{ inm, ims string }
	var mu sync.Mutex
	var reqs []req
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, req{r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")})
		mu.Unlock()
		conditional := r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != ""
		switch m := mode.Load().(string); {
		case m == "eof" && conditional:
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		case m == "412" && conditional:
			http.Error(w, "bad validator", http.StatusPreconditionFailed)
			return
		case m == "500":
			http.Error(w, "down", http.StatusInternalServerError)
			return
		case m == "429":
			w.Header().Set("Retry-After", "60")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		w.Header().Set("ETag", `"fresh"`)
		w.Write(readPayload(t, "eurasianet_atom.xml"))
	})
	st := newStore(t)
	f := addFeed(t, st, "E", srv.URL)
	fe := NewFetcher(st, Options{Timeout: 5 * time.Second})
	now := t0
	fe.now = func() time.Time { now = now.Add(time.Hour); return now }
	for _, tc := range []struct {
		mode    string
		ok      bool
		asked   string // the validators of each request
		etagNow string
	}{
		{"eof", true, `["stale" Mon, 01 Jan 2024 00:00:00 GMT] [ ]`, `"fresh"`},
		{"412", true, `["stale" Mon, 01 Jan 2024 00:00:00 GMT] [ ]`, `"fresh"`},
		{"500", false, `["stale" Mon, 01 Jan 2024 00:00:00 GMT] [ ]`, ""},
		// The server asked to wait: not asked again at once.
		{"429", false, `["stale" Mon, 01 Jan 2024 00:00:00 GMT]`, ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			mode.Store(tc.mode)
			setValidators(t, st, f.ID, `"stale"`, "Mon, 01 Jan 2024 00:00:00 GMT")
			if _, err := st.db.Exec(`UPDATE feeds SET next_fetch = 0`); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			reqs = nil
			mu.Unlock()
			res := fe.Refresh(ctx, f)
			if (res.Err == nil) != tc.ok {
				t.Fatalf("err %v", res.Err)
			}
			mu.Lock()
			var asked []string
			for _, r := range reqs {
				asked = append(asked, fmt.Sprintf("[%s %s]", r.inm, r.ims))
			}
			mu.Unlock()
			if got := strings.Join(asked, " "); got != tc.asked {
				t.Errorf("requests %s, want %s", got, tc.asked)
			}
			stored, _ := st.Feeds(ctx)
			if stored[0].ETag != tc.etagNow || (!tc.ok && stored[0].LastModified != "") {
				t.Errorf("stored validators %q %q, want %q", stored[0].ETag, stored[0].LastModified, tc.etagNow)
			}
		})
	}
	// After the error the validators are gone: the next request is plain
	// and works.
	mode.Store("412")
	if _, err := st.db.Exec(`UPDATE feeds SET next_fetch = 0`); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	reqs = nil
	mu.Unlock()
	if res := fe.Refresh(ctx, f); res.Err != nil || len(reqs) != 1 || reqs[0] != (req{}) {
		t.Errorf("after the error: %v, requests %v", res.Err, reqs)
	}
}

// RefreshAll keeps the bytes of feed bodies in flight under MaxInFlight,
// whatever Concurrency allows; a feed larger than the budget still loads.
func TestBytesInFlightCapped(t *testing.T) {
	ctx := context.Background()
	body := readPayload(t, "timesca_wp.xml")
	var mu sync.Mutex
	inFlight, peak := 0, 0
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		b := body
		if r.URL.Path == "/large" {
			b = []byte(strings.Replace(string(body), "<channel>", "<channel><!--"+strings.Repeat("x", 3*len(body))+"-->", 1))
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Write(b)
	})
	st := newStore(t)
	var specs []Spec
	for i := range 12 {
		specs = append(specs, Spec{Name: fmt.Sprint(i), URL: fmt.Sprintf("%s/%d", srv.URL, i)})
	}
	specs = append(specs, Spec{Name: "large", URL: srv.URL + "/large"})
	feeds, err := st.SyncFeeds(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	// Room for two bodies at a time, though eight may be asked for.
	fe := NewFetcher(st, Options{Concurrency: 8, MaxInFlight: int64(2*len(body) + 10)})
	for _, r := range fe.RefreshAll(ctx, feeds) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Feed.Name, r.Err)
		}
	}
	// The first round claims a guess per feed; the second claims what
	// each feed weighed last time.
	mu.Lock()
	peak = 0
	mu.Unlock()
	for _, r := range fe.RefreshAll(ctx, feeds) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Feed.Name, r.Err)
		}
	}
	if peak > 2 {
		t.Errorf("%d bodies in flight at once, room for 2", peak)
	}
	if peak < 2 {
		t.Errorf("%d bodies in flight at once: the budget was not shared", peak)
	}
}
