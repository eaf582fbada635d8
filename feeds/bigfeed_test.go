package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// genRSS is an RSS feed of n items, item i (from 0) published i minutes
// before newest, each with pad bytes of text; order lists the items in the
// order the feed gives them (nil: newest first).
func genRSS(n, pad int, newest time.Time, order []int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss version=\"2.0\"><channel><title>Long history</title><link>https://long.example/</link>\n")
	text := strings.Repeat("Almaty weather. ", pad/16+1)[:pad]
	if order == nil {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
	}
	for _, i := range order {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>https://long.example/%d</link><pubDate>%s</pubDate><description>%s</description></item>\n",
			i, i, newest.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), text)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// storedFeed is the stored row of feed id.
func storedFeed(t *testing.T, st *Store, id int64) Feed {
	t.Helper()
	f, err := st.feed(context.Background(), st.db, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// storedTitles are the titles of the feed's stored articles, newest first.
func storedTitles(t *testing.T, st *Store, id int64) []string {
	t.Helper()
	p, err := st.PageOf(context.Background(), View{FeedID: id}, 1, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range p.Items {
		out = append(out, a.Title)
	}
	return out
}

func wantStories(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("Story %d", i))
	}
	return out
}

// TestBigFeedStreamedAndCapped: a feed far over StreamAt, with and without
// Content-Length, is read as a stream (never whole) and stored as its
// newest MaxItems, its note saying what was cut.
func TestBigFeedStreamedAndCapped(t *testing.T) {
	ctx := context.Background()
	newest := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	body := genRSS(20_000, 200, newest, nil)
	if len(body) < 4<<20 {
		t.Fatalf("the feed is only %d bytes", len(body))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/length", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, _ *http.Request) {
		for b := body; len(b) > 0; {
			n := min(len(b), 64<<10)
			_, _ = w.Write(b[:n])
			w.(http.Flusher).Flush()
			b = b[n:]
		}
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(body)
		_ = zw.Close()
	})
	srv := newFeedServer(t, mux.ServeHTTP)
	st := newStore(t)
	fe := NewFetcher(st, Options{StreamAt: 1 << 20, MaxItems: 40, Timeout: 30 * time.Second})
	for _, path := range []string{"/length", "/chunked", "/gzip"} {
		t.Run(path, func(t *testing.T) {
			f := addFeed(t, st, path, srv.URL+path)
			// Streamed, not read whole.
			c := &claim{sem: fe.bytes, max: fe.opt.MaxInFlight}
			got, err := fe.fetch(ctx, f, c, time.Now(), 40)
			c.release()
			if err != nil || !got.streamed || got.body != nil || got.total != 20_000 || len(got.arts) != 40 || got.title != "Long history" {
				t.Fatalf("fetch: streamed %v, body %d bytes, %d of %d kept, title %q, %v", got.streamed, len(got.body), len(got.arts), got.total, got.title, err)
			}
			res := fe.Refresh(ctx, f)
			if res.Err != nil || res.Total != 40 || res.New != 40 {
				t.Fatalf("refresh: %+v", res)
			}
			if titles := storedTitles(t, st, f.ID); fmt.Sprint(titles) != fmt.Sprint(wantStories(0, 40)) {
				t.Errorf("stored %q, want the newest 40", titles)
			}
			if fd := storedFeed(t, st, f.ID); fd.Note != "kept the newest 40 of 20000 items" || fd.LastStatus != "ok" || res.Feed.Note != fd.Note {
				t.Errorf("stored status %q, note %q (result's %q)", fd.LastStatus, fd.Note, res.Feed.Note)
			}
		})
	}
}

// TestSmallFeedCapped: a feed under StreamAt with more items than its cap
// keeps the newest, whatever their order in the feed; a per-feed cap
// (ItemsFor) wins over MaxItems; the note goes once nothing is cut, and
// stays through a failed fetch.
func TestSmallFeedCapped(t *testing.T) {
	ctx := context.Background()
	newest := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	order := rand.New(rand.NewPCG(1, 2)).Perm(30)
	body := genRSS(30, 50, newest, order)
	few := genRSS(3, 50, newest, nil)
	var mode string
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch mode {
		case "few":
			_, _ = w.Write(few)
		case "fail":
			http.Error(w, "down", http.StatusBadGateway)
		default:
			_, _ = w.Write(body)
		}
	})
	st := newStore(t)
	fe := NewFetcher(st, Options{MaxItems: 10, ItemsFor: func(f Feed) int {
		if strings.HasSuffix(f.URL, "/own") {
			return 4
		}
		return 0
	}})
	f := addFeed(t, st, "capped", srv.URL+"/capped")
	own := addFeed(t, st, "own", srv.URL+"/own")
	for _, c := range []struct {
		f    Feed
		n    int
		note string
	}{{f, 10, "kept the newest 10 of 30 items"}, {own, 4, "kept the newest 4 of 30 items"}} {
		res := fe.Refresh(ctx, c.f)
		if res.Err != nil || res.Total != c.n {
			t.Fatalf("%s: %+v", c.f.Name, res)
		}
		if titles := storedTitles(t, st, c.f.ID); fmt.Sprint(titles) != fmt.Sprint(wantStories(0, c.n)) {
			t.Errorf("%s: stored %q, want the newest %d", c.f.Name, titles, c.n)
		}
		if got := storedFeed(t, st, c.f.ID).Note; got != c.note {
			t.Errorf("%s: note %q, want %q", c.f.Name, got, c.note)
		}
	}
	mode = "fail"
	if res := fe.Refresh(ctx, f); res.Err == nil {
		t.Fatal("a 502 refreshed")
	}
	if got := storedFeed(t, st, f.ID).Note; got != "kept the newest 10 of 30 items" {
		t.Errorf("a failed fetch changed the note to %q", got)
	}
	mode = "few"
	if res := fe.Refresh(ctx, f); res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := storedFeed(t, st, f.ID).Note; got != "" {
		t.Errorf("nothing was cut, yet the note says %q", got)
	}
}

// TestGzipGuards: a gzip bomb is refused with words saying so; a body over
// MaxBody once decompressed is too large; a small gzip feed reads.
func TestGzipGuards(t *testing.T) {
	ctx := context.Background()
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return out.Bytes()
	}
	head := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title><item><title>`)
	bomb := gz(append(head, bytes.Repeat([]byte(" "), 64<<20)...))
	// Text that compresses about 3:1, not like a bomb.
	rng := rand.New(rand.NewPCG(3, 4))
	var loose bytes.Buffer
	loose.Write(head)
	for loose.Len() < 4<<20 {
		loose.WriteString(strconv.Itoa(rng.IntN(1 << 30)))
	}
	looseGz := gz(loose.Bytes())
	newest := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	small := gz(genRSS(5, 100, newest, nil))
	mux := http.NewServeMux()
	serve := func(b []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = w.Write(b)
		}
	}
	mux.HandleFunc("/bomb", serve(bomb))
	mux.HandleFunc("/loose", serve(looseGz))
	mux.HandleFunc("/small", serve(small))
	mux.HandleFunc("/broken", serve(small[:len(small)/2]))
	srv := newFeedServer(t, mux.ServeHTTP)
	st := newStore(t)
	fe := NewFetcher(st, Options{MaxBody: 3 << 20, StreamAt: 1 << 20})
	for _, c := range []struct{ path, want, short string }{
		{"/bomb", "refused a compression bomb: the gzip body expanded more than 200 times", "compression bomb"},
		{"/loose", "feed larger than 3 MiB", "feed larger than 3 MiB"},
		{"/broken", "not a valid feed: gzip: unexpected EOF", "not a valid feed"},
	} {
		f := addFeed(t, st, c.path, srv.URL+c.path)
		res := fe.Refresh(ctx, f)
		var sh interface{ Short() string }
		if res.Err == nil || !strings.Contains(res.Err.Error(), c.want) || !errors.As(res.Err, &sh) || sh.Short() != c.short {
			t.Errorf("%s: %v, want %q (%q)", c.path, res.Err, c.want, c.short)
			continue
		}
		if fd := storedFeed(t, st, f.ID); fd.LastStatus != "error" || !strings.Contains(fd.LastError, c.want) || fd.LastShort != c.short {
			t.Errorf("%s: stored %q %q %q", c.path, fd.LastStatus, fd.LastError, fd.LastShort)
		}
	}
	var bombErr *BombError
	if res := fe.Refresh(ctx, addFeed(t, st, "bomb2", srv.URL+"/bomb?2")); !errors.As(res.Err, &bombErr) || bombErr.Expanded <= bombFloor {
		t.Errorf("the bomb: %v, want a *BombError past %d bytes", res.Err, bombFloor)
	}
	f := addFeed(t, st, "small", srv.URL+"/small")
	if res := fe.Refresh(ctx, f); res.Err != nil || res.Total != 5 {
		t.Fatalf("a small gzip feed: %+v", res)
	}
	if titles := storedTitles(t, st, f.ID); fmt.Sprint(titles) != fmt.Sprint(wantStories(0, 5)) {
		t.Errorf("stored %q", titles)
	}
}

// TestStreamedTimeouts: a streamed body that stops sending fails after
// ReadTimeout ("stalled"); one that trickles on fails after StreamTimeout.
func TestStreamedTimeouts(t *testing.T) {
	ctx := context.Background()
	newest := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	body := genRSS(5000, 300, newest, nil)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	start := func(w http.ResponseWriter) {
		_, _ = w.Write(body[:len(body)-100])
		w.(http.Flusher).Flush()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		start(w)
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		start(w)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-done:
				return
			case <-tick.C:
				// Comments are legal between items: the body never ends.
				if _, err := w.Write([]byte("<!---->")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	})
	srv := newFeedServer(t, mux.ServeHTTP)
	st := newStore(t)
	// The trickle's gaps (20 ms) are far below ReadTimeout, so that a
	// loaded machine (-race) pausing the server cannot make it a stall.
	fe := NewFetcher(st, Options{StreamAt: 256 << 10, Timeout: time.Second, ReadTimeout: time.Second, StreamTimeout: 3 * time.Second})
	for _, c := range []struct{ path, want, short string }{
		{"/stall", "the server stopped sending: nothing for 1s", "stalled"},
		{"/trickle", "timed out after 3s", "timeout"},
	} {
		f := addFeed(t, st, c.path, srv.URL+c.path)
		res := fe.Refresh(ctx, f)
		var sh interface{ Short() string }
		if res.Err == nil || res.Err.Error() != c.want || !errors.As(res.Err, &sh) || sh.Short() != c.short {
			t.Errorf("%s: %v, want %q (%q)", c.path, res.Err, c.want, c.short)
		}
		if fd := storedFeed(t, st, f.ID); fd.LastStatus != "error" || fd.LastError != c.want {
			t.Errorf("%s: stored %q %q", c.path, fd.LastStatus, fd.LastError)
		}
	}
}

// TestAddBigFeed: adding a feed too big to read whole streams it too: it
// is named by its own title and stored capped, with its note.
func TestAddBigFeed(t *testing.T) {
	ctx := context.Background()
	body := genRSS(20_000, 200, time.Now().UTC().Add(-time.Hour).Truncate(time.Second), nil)
	srv := newFeedServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) })
	st := newStore(t)
	fe := NewFetcher(st, Options{StreamAt: 1 << 20, MaxItems: 30})
	res, err := fe.Add(ctx, Spec{URL: srv.URL + "/big"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Feed.Name != "Long history" || res.Total != 30 || res.New != 30 || res.Feed.Note != "kept the newest 30 of 20000 items" {
		t.Errorf("added %q, %d of them new, note %q", res.Feed.Name, res.Total, res.Feed.Note)
	}
	if fd := storedFeed(t, st, res.Feed.ID); fd.Note != "kept the newest 30 of 20000 items" {
		t.Errorf("stored note %q", fd.Note)
	}
}
