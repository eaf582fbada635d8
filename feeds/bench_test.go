package feeds

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
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
	d.once.Do(func() { d.err = d.build(b, nFeeds, "steppe", benchArticle) })
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d
}

// benchArticle is the k-th article of benchStoreN: the same text but its
// number, published k half-minutes before t0.
func benchArticle(k int) Article {
	return Article{
		ID:        fmt.Sprintf("bench-%d", k),
		Title:     fmt.Sprintf("Headline number %d from the region", k),
		Link:      fmt.Sprintf("https://bench.example/%d", k),
		Summary:   "A short summary of the article, a sentence or two long.",
		Content:   benchBody,
		Published: t0.Add(-time.Duration(k) * time.Minute / 2),
	}
}

var benchBody = strings.Repeat("Central Asia news body text with some words about tenge, som and sum. ", 8)

// build stores benchArticles articles made by article (0 first) in the
// file name-nFeeds.db.
func (d *benchDB) build(b *testing.B, nFeeds int, name string, article func(int) Article) error {
	bench.dirOnce.Do(func() { bench.dir, _ = os.MkdirTemp("", "steppe-bench-") })
	if bench.dir == "" {
		return fmt.Errorf("no temporary directory")
	}
	d.path = filepath.Join(bench.dir, fmt.Sprintf("%s-%d.db", name, nFeeds))
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
	start := time.Now()
	const chunk = 10_000
	for c := 0; c < benchArticles/chunk; c++ {
		items := make([][]Article, nFeeds)
		for i := range chunk {
			k := c*chunk + i
			items[k%nFeeds] = append(items[k%nFeeds], article(k))
		}
		var err error
		for i, f := range fs {
			if _, err = st.SaveArticles(ctx, f.ID, items[i], t0); err != nil {
				break
			}
		}
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

// wpArticles makes n articles shaped like a parsed WordPress item: a
// title, a permalink, a summary of a few sentences and a body of about
// 1.5 KB, newest first, one minute apart.
func wpArticles(feed, n int, now time.Time) []Article {
	para := "Officials from the five republics met again in Tashkent to discuss the summer quotas for the Syr Darya and the Amu Darya. "
	out := make([]Article, n)
	for i := range out {
		out[i] = Article{
			ID:        fmt.Sprintf("https://gen.example/?p=%d%06d", feed, i),
			Title:     fmt.Sprintf("Feed %d story %d: talks on water and trade continue", feed, i),
			Link:      fmt.Sprintf("https://gen.example/%d/story-%d/", feed, i),
			Author:    "Staff writer",
			Summary:   strings.Repeat(para, 2),
			Content:   strings.Repeat(para+"\n\n", 12),
			Published: now.Add(-time.Duration(i) * time.Minute),
		}
	}
	return out
}

// BenchmarkSaveFresh stores 50 feeds of 200 items each into an empty
// store, one SaveArticles call (one transaction) per feed, as a fresh
// `steppe refresh` does.
func BenchmarkSaveFresh(b *testing.B) {
	const nFeeds, nItems = 50, 200
	ctx := context.Background()
	items := make([][]Article, nFeeds)
	for f := range items {
		items[f] = wpArticles(f, nItems, t0)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := newStore(b)
		specs := make([]Spec, nFeeds)
		for f := range specs {
			specs[f] = Spec{Name: fmt.Sprintf("Feed %d", f), URL: fmt.Sprintf("https://gen.example/feed/%d", f)}
		}
		fs, err := st.SyncFeeds(ctx, specs)
		if err != nil || len(fs) != nFeeds {
			b.Fatalf("sync: %d feeds, %v", len(fs), err)
		}
		b.StartTimer()
		for f, fd := range fs {
			n, err := st.SaveArticles(ctx, fd.ID, items[f], t0)
			if err != nil || n != nItems {
				b.Fatalf("feed %d: %d new, %v", f, n, err)
			}
		}
	}
}

// wpFeed is an RSS body shaped like WordPress' output: n items, each with
// an excerpt and about 1.5 KB of content:encoded.
func wpFeed(f, n int, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Generated %d</title><link>https://gen.example/</link>
`, f)
	for i := 0; i < n; i++ {
		link := fmt.Sprintf("https://gen.example/%d/story-%d/", f, i)
		fmt.Fprintf(&b, `<item><title>Feed %d story %d: talks on water and trade continue</title><link>%s</link>
<dc:creator><![CDATA[Staff]]></dc:creator><pubDate>%s</pubDate><category><![CDATA[Water]]></category>
<guid isPermaLink="false">https://gen.example/?p=%d%06d</guid>
<description><![CDATA[<p>Officials from the five republics met again in Tashkent to discuss the summer quotas [&#8230;]</p>
<p>The post <a href="%s">Story %d</a> appeared first on <a href="https://gen.example/">Generated</a>.</p>]]></description>
<content:encoded><![CDATA[`, f, i, link, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), f, i, link, i)
		for p := 0; p < 4; p++ {
			fmt.Fprintf(&b, `<p>Paragraph %d. Officials from the five republics met again in <strong>Tashkent</strong> to discuss the summer quotas for the Syr Darya and the Amu Darya; see <a href="https://gen.example/tag/water/">our water coverage</a> &amp; the archive.</p>
`, p)
		}
		fmt.Fprintf(&b, `<figure><img src="https://gen.example/img/%d.jpg" alt="The dam"/><figcaption>The reservoir &mdash; photo</figcaption></figure>]]></content:encoded></item>
`, i)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// BenchmarkRefreshAll is a fresh `steppe refresh` of 50 loopback feeds of
// 200 WordPress-shaped items into an empty store: fetch, parse, store.
func BenchmarkRefreshAll(b *testing.B) {
	const nFeeds, nItems = 50, 200
	bodies := make([][]byte, nFeeds)
	for f := range bodies {
		bodies[f] = wpFeed(f, nItems, t0)
	}
	b.ReportMetric(float64(len(bodies[0]))/1024, "KiB/feed")
	benchFreshRefresh(b, bodies, http.Header{"Content-Type": {"application/rss+xml"}}, t0, nItems)
}
