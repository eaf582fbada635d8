package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/steppe-news/steppe/scripts/feedgen/wp"
)

// The corpus scripts/compare.sh serves: 50 WordPress-shaped feeds of 200
// items (about 600 KB each), seed 1.
const genFeeds, genItems = 50, 200

// genDay is the day the generated items hang off (they are dated within
// the 30 days before it).
var genDay = time.Date(2025, 2, 19, 0, 0, 0, 0, time.UTC)

// genCorpus returns the generated feeds' documents.
func genCorpus() [][]byte {
	out := make([][]byte, genFeeds)
	for i := range out {
		_, out[i] = wp.Feed(1, i, genDay, genItems)
	}
	return out
}

// BenchmarkRefreshGenerated is a fresh `steppe refresh` of compare.sh's
// corpus, served gzipped on loopback, into an empty store: fetch, parse,
// store, as RefreshAll does them.
//
//	go test ./feeds -run '^$' -bench RefreshGenerated -cpuprofile cpu.out
func BenchmarkRefreshGenerated(b *testing.B) {
	docs := genCorpus()
	gz := make([][]byte, len(docs))
	for i, d := range docs {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(d)
		w.Close()
		gz[i] = z.Bytes()
	}
	benchFreshRefresh(b, gz, http.Header{"Content-Type": {"application/rss+xml; charset=UTF-8"}, "Content-Encoding": {"gzip"}},
		genDay.Add(12*time.Hour), genItems)
}

// benchFreshRefresh times RefreshAll of the feeds bodies (served on
// loopback with header) into an empty store each round, at now; every
// feed must store want new items.
func benchFreshRefresh(b *testing.B, bodies [][]byte, header http.Header, now time.Time, want int) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &f)
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write(bodies[f])
	}))
	defer srv.Close()
	ctx := context.Background()
	specs := make([]Spec, len(bodies))
	for f := range specs {
		specs[f] = Spec{Name: fmt.Sprintf("Feed %d", f), URL: fmt.Sprintf("%s/feed/%d", srv.URL, f)}
	}
	var cpu time.Duration
	var txs int64
	for b.Loop() {
		b.StopTimer()
		st := newStore(b)
		fs, err := st.SyncFeeds(ctx, specs)
		if err != nil {
			b.Fatal(err)
		}
		fe := NewFetcher(st, Options{})
		fe.now = func() time.Time { return now }
		gen0 := generation(b, st)
		b.StartTimer()
		began := cpuTime(b)
		for _, r := range fe.RefreshAll(ctx, fs) {
			if r.Err != nil || r.New != want {
				b.Fatalf("%s: %d new, %v", r.Feed.Name, r.New, r.Err)
			}
		}
		cpu += cpuTime(b) - began
		b.StopTimer()
		txs += generation(b, st) - gen0
		b.StartTimer()
	}
	b.ReportMetric(float64(txs)/float64(b.N), "tx/op")
	// CPU (user+system, this process: the loopback server's share too)
	// rather than wall time: on a shared machine it is the steadier figure.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// generation is the store's count of write transactions.
func generation(b *testing.B, st *Store) int64 {
	var g int64
	if err := st.db.QueryRow(`SELECT generation FROM article_stats`).Scan(&g); err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkParseGenerated parses compare.sh's corpus: the parsing share of
// a fresh refresh (per op: all 50 feeds).
func BenchmarkParseGenerated(b *testing.B) {
	docs := genCorpus()
	now := genDay.Add(12 * time.Hour)
	var n int
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range docs {
			u := fmt.Sprintf("https://gen.example/feed/%d", i)
			arts, _, err := parseArticles(d, "application/rss+xml; charset=UTF-8", u, u, now, DefaultMaxItems)
			if err != nil || len(arts) != genItems {
				b.Fatalf("feed %d: %d items, %v", i, len(arts), err)
			}
		}
	}
}

// BenchmarkSaveGenerated stores compare.sh's corpus, parsed beforehand,
// into an empty store, one SaveArticles call per feed: the storing share
// of a fresh refresh.
func BenchmarkSaveGenerated(b *testing.B) {
	docs := genCorpus()
	now := genDay.Add(12 * time.Hour)
	parsed := make([][]Article, len(docs))
	specs := make([]Spec, len(docs))
	for i, d := range docs {
		specs[i] = Spec{Name: fmt.Sprintf("Feed %d", i), URL: fmt.Sprintf("https://gen.example/feed/%d", i)}
		arts, _, err := parseArticles(d, "application/rss+xml; charset=UTF-8", specs[i].URL, specs[i].URL, now, DefaultMaxItems)
		if err != nil {
			b.Fatal(err)
		}
		parsed[i] = arts
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st := newStore(b)
		fs, err := st.SyncFeeds(ctx, specs)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i, f := range fs {
			if n, err := st.SaveArticles(ctx, f.ID, parsed[i], now); err != nil || n != genItems {
				b.Fatalf("feed %d: %d new, %v", i, n, err)
			}
		}
	}
}
