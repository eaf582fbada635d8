package feeds

import (
	"compress/gzip"
	"context"
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
	body := readTestdata(t, "timesca_wp.xml")
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
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(readTestdata(t, "error.html"))
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
	for _, tc := range []struct{ path, want string }{
		{"/404", "HTTP 404 Not Found"},
		{"/html", "not a feed: got text/html"},
		{"/empty", "empty response"},
		{"/big", "feed larger than 2 KiB"},
		{"/bigchunked", "feed larger than 2 KiB"},
		{"/hang", "timed out after 300ms"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			f := addFeed(t, st, tc.path, srv.URL+tc.path)
			start := time.Now()
			res := fe.Refresh(ctx, f)
			if res.Err == nil || res.Err.Error() != tc.want {
				t.Fatalf("err %v, want %q", res.Err, tc.want)
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
			w.Write(readTestdata(t, "eurasianet_atom.xml"))
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
			w.Write(readTestdata(t, "eurasianet_atom.xml"))
		case "/rdf":
			w.Write(readTestdata(t, "kunuz_rdf.xml"))
		case "/json":
			w.Header().Set("Content-Type", "application/feed+json")
			w.Write(readTestdata(t, "astanatimes.json"))
		case "/1251":
			w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1251")
			w.Write(readTestdata(t, "24kg_cp1251_nodecl.xml"))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Write(readTestdata(t, "error.html"))
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
		w.Write(readTestdata(t, "hostile.xml"))
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
