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

// benchDB is one benchmark store: 100,000 articles spread over its feeds.
type benchDB struct {
	once sync.Once
	st   *Store
	path string
	err  error
	// pin is a snapshot taken before the last 20 articles were stored,
	// newest of all: a pinned view leaves them out.
	pin int64
}

var bench struct {
	dir     string
	dirOnce sync.Once
	byFeeds sync.Map // number of feeds → *benchDB
}

// benchStore builds, once per process, a DB file holding 100,000 articles
// in one feed, stored through SaveArticles in transactions of 10,000.
func benchStore(b *testing.B) *Store { return benchStoreN(b, 1).st }

// benchStoreN builds, once per process and number of feeds, a DB file
// holding 100,000 articles spread round-robin over nFeeds feeds, 30 s
// apart, stored through SaveArticles in transactions of 10,000; every 50th
// is starred. It is opened the way main opens it.
func benchStoreN(b *testing.B, nFeeds int) *benchDB {
	v, _ := bench.byFeeds.LoadOrStore(nFeeds, &benchDB{})
	d := v.(*benchDB)
	d.once.Do(func() { d.err = d.build(b, nFeeds) })
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d
}

func (d *benchDB) build(b *testing.B, nFeeds int) error {
	bench.dirOnce.Do(func() { bench.dir, _ = os.MkdirTemp("", "steppe-bench-") })
	if bench.dir == "" {
		return fmt.Errorf("no temporary directory")
	}
	d.path = filepath.Join(bench.dir, fmt.Sprintf("steppe-%d.db", nFeeds))
	// Not closed: it lives as long as the benchmark process.
	db, err := sql.Open("sqlite", "file:"+d.path+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	st, err := OpenStore(db)
	if err != nil {
		return err
	}
	ctx := context.Background()
	specs := make([]Spec, nFeeds)
	for i := range specs {
		specs[i] = Spec{Name: fmt.Sprintf("Bench %d", i), URL: fmt.Sprintf("https://bench%d.example/feed", i)}
	}
	if _, err := st.AddFeeds(ctx, specs); err != nil {
		return fmt.Errorf("add feeds: %v", err)
	}
	fs, err := st.Feeds(ctx)
	if err != nil || len(fs) != nFeeds {
		return fmt.Errorf("feeds: %d, %v", len(fs), err)
	}
	body := strings.Repeat("Central Asia news body text with some words about tenge, som and sum. ", 8)
	start := time.Now()
	const chunk = 10_000
	for c := 0; c < benchArticles/chunk; c++ {
		items := make([][]Article, nFeeds)
		for i := range chunk {
			k := c*chunk + i
			items[k%nFeeds] = append(items[k%nFeeds], Article{
				ID:        fmt.Sprintf("bench-%d", k),
				Title:     fmt.Sprintf("Headline number %d from the region", k),
				Link:      fmt.Sprintf("https://bench.example/%d", k),
				Summary:   "A short summary of the article, a sentence or two long.",
				Content:   body,
				Published: t0.Add(-time.Duration(k) * time.Minute / 2),
			})
		}
		err := st.writeTx(ctx, func(tx *sql.Tx) error {
			for i, f := range fs {
				if _, err := saveArticles(ctx, tx, f.ID, items[i], t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	b.Logf("stored %d articles in %d feeds in %v", benchArticles, nFeeds, time.Since(start))
	if _, err := db.Exec(`UPDATE article_state SET starred = 1 WHERE seq % 50 = 0`); err != nil {
		return err
	}
	if err := db.QueryRow(`SELECT max(seq) FROM articles`).Scan(&d.pin); err != nil {
		return err
	}
	arrivals := make([]Article, 20)
	for i := range arrivals {
		arrivals[i] = Article{ID: fmt.Sprintf("arrival-%d", i), Title: "Arrival", Published: t0.Add(time.Duration(20-i) * time.Minute)}
	}
	if _, err := st.SaveArticles(ctx, fs[0].ID, arrivals, t0); err != nil {
		return err
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	d.st = st
	return nil
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
	path := benchStoreN(b, 1).path
	b.Logf("DB file %s", path)
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
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
			rows, err := st.db.QueryContext(ctx, `SELECT `+listCols+` `+articleFrom+`
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
		total, _ := st.Count(ctx)
		for b.Loop() {
			r, err := st.Rank(ctx, fmt.Sprintf("bench-%d", benchArticles-1))
			if err != nil || r != total-1 {
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
