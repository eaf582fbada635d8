package fulltext

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFetcherPerHost: at most PerHost pages of one host are fetched at
// once, while another host is not held up.
func TestFetcherPerHost(t *testing.T) {
	body := page(t, "ars-1", "source.html")
	var inflight, most atomic.Int32
	release := make(chan struct{})
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			n := inflight.Add(1)
			defer inflight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	}))
	f := NewFetcher(ts.Client(), Options{}, 2)
	c := ctx(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = f.Fetch(c, ts.URL+"/slow") })
	}
	// Wait until every fetch has come in: two hold the host's slots, the
	// others wait for one.
	host := strings.TrimPrefix(ts.URL, "http://")
	for {
		f.mu.Lock()
		h := f.hosts[host]
		ready := h != nil && h.users == n && len(h.slots) == 2
		f.mu.Unlock()
		if ready && inflight.Load() == 2 {
			break
		}
		if c.Err() != nil {
			t.Fatal("the fetches never came in")
		}
		time.Sleep(time.Millisecond)
	}
	// Another host (the same server by another name) is not held up.
	other := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	if _, err := f.Fetch(c, other+"/fast"); err != nil {
		t.Fatalf("another host: %v", err)
	}
	for range n {
		release <- struct{}{}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("fetch %d: %v", i, err)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("%d pages of one host were fetched at once, want 2", m)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.hosts) != 0 {
		t.Errorf("hosts kept after their fetches: %v", f.hosts)
	}
}

// TestFetcherRetryAfter: after a 429 with Retry-After, the host is not
// asked again until the wait is over.
func TestFetcherRetryAfter(t *testing.T) {
	body := page(t, "ars-1", "source.html")
	var requests atomic.Int32
	var busy atomic.Bool
	busy.Store(true)
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if busy.Load() {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	}))
	f := NewFetcher(ts.Client(), Options{}, 0)
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	c := ctx(t)
	_, err := f.Fetch(c, ts.URL+"/a")
	if e := asError(t, err); e.Kind != KindHTTP || e.Code != 429 || e.RetryAfter != time.Minute {
		t.Fatalf("first: %v", err)
	}
	busy.Store(false)
	now = now.Add(20 * time.Second)
	_, err = f.Fetch(c, ts.URL+"/b?token=s3cr3t")
	e := asError(t, err)
	if e.Kind != KindWaiting || e.Code != 429 || e.RetryAfter != 40*time.Second ||
		err.Error() != ts.URL+"/b?token=***: not fetched: the server asked to wait (retry after 40s)" {
		t.Fatalf("while waiting: %v (kind %d)", err, e.Kind)
	}
	if n := requests.Load(); n != 1 {
		t.Fatalf("the host was asked %d times while it asked to wait", n)
	}
	now = now.Add(41 * time.Second)
	if _, err := f.Fetch(c, ts.URL+"/b"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	if n := requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}
