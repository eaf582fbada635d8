package feeds

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const benchArticles = 100_000

var bench struct {
	once sync.Once
	st   *Store
	path string
	err  error
	dir  string
}

// benchStore builds, once per process, a DB file holding 100,000 articles
// stored through SaveArticles in transactions of 10,000.
func benchStore(b *testing.B) *Store {
	bench.once.Do(func() {
		dir, err := os.MkdirTemp("", "steppe-bench-")
		if err != nil {
			bench.err = err
			return
		}
		bench.dir = dir
		bench.path = filepath.Join(dir, "steppe.db")
		// Not closed: it lives as long as the benchmark process.
		db, err := sql.Open("sqlite", "file:"+bench.path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)")
		if err != nil {
			bench.err = err
			return
		}
		st, err := OpenStore(db)
		if err != nil {
			bench.err = err
			return
		}
		ctx := context.Background()
		added, err := st.AddFeeds(ctx, []Spec{{Name: "Bench", URL: "https://bench.example/feed"}})
		if err != nil || len(added) != 1 {
			bench.err = fmt.Errorf("add feed: %v", err)
			return
		}
		fs, _ := st.Feeds(ctx)
		body := strings.Repeat("Central Asia news body text with some words about tenge, som and sum. ", 8)
		start := time.Now()
		const chunk = 10_000
		for c := 0; c < benchArticles/chunk; c++ {
			items := make([]Article, chunk)
			for i := range items {
				k := c*chunk + i
				items[i] = Article{
					ID:        fmt.Sprintf("bench-%d", k),
					Title:     fmt.Sprintf("Headline number %d from the region", k),
					Link:      fmt.Sprintf("https://bench.example/%d", k),
					Summary:   "A short summary of the article, a sentence or two long.",
					Content:   body,
					Published: t0.Add(-time.Duration(k) * time.Minute / 2),
				}
			}
			if _, err := st.SaveArticles(ctx, fs[0].ID, items, t0); err != nil {
				bench.err = err
				return
			}
		}
		b.Logf("stored %d articles in %v", benchArticles, time.Since(start))
		if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			bench.err = err
			return
		}
		bench.st = st
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.st
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func BenchmarkPage(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	b.Logf("DB file %s", bench.path)
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(bench.path + suffix); err == nil {
			size += fi.Size()
		}
	}
	for _, page := range []int{1, 2500, 5000} {
		b.Run(fmt.Sprintf("page=%d", page), func(b *testing.B) {
			for b.Loop() {
				p, err := st.Page(ctx, page, 20)
				if err != nil || len(p.Items) != 20 || p.Page != page {
					b.Fatalf("page %d: %d items, %v", page, len(p.Items), err)
				}
			}
			b.ReportMetric(float64(size)/(1<<20), "dbMiB")
		})
	}
	// Baseline for comparison: what plain LIMIT/OFFSET costs on page 5,000.
	b.Run("plain-offset-page=5000", func(b *testing.B) {
		for b.Loop() {
			rows, err := st.db.QueryContext(ctx, `SELECT `+articleCols+`
FROM articles a JOIN feeds f ON f.id = a.feed_id
ORDER BY a.published DESC, a.seq DESC LIMIT 20 OFFSET ?`, 4999*20)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != 20 {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("rank=last", func(b *testing.B) {
		for b.Loop() {
			r, err := st.Rank(ctx, fmt.Sprintf("bench-%d", benchArticles-1))
			if err != nil || r != benchArticles-1 {
				b.Fatalf("rank %d, %v", r, err)
			}
		}
	})
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Search(ctx, "headline 4242", 1, 20); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("save20-rebuild", func(b *testing.B) {
		// The write-side cost of anchors: a refresh with new articles.
		fs, _ := st.Feeds(ctx)
		i := 0
		for b.Loop() {
			items := make([]Article, 20)
			for j := range items {
				i++
				items[j] = Article{ID: fmt.Sprintf("extra-%d", i), Title: "x", Published: t0.Add(time.Duration(i) * time.Second)}
			}
			if _, err := st.SaveArticles(ctx, fs[0].ID, items, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
