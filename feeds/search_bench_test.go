package feeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// benchStoreSearch builds, once per process, a store of 100,000 articles in
// 50 feeds whose text varies as news text does (searchArticle), all read
// but the newest 10,000 stored.
func benchStoreSearch(b *testing.B) *benchDB {
	const nFeeds = 50
	v, _ := bench.byFeeds.LoadOrStore("search", &benchDB{})
	d := v.(*benchDB)
	d.once.Do(func() {
		if d.err = d.build(b, nFeeds, "search", searchArticle); d.err != nil {
			return
		}
		// Read, but for the newest tenth (give or take the jitter).
		if _, d.err = d.st.db.Exec(`UPDATE article_state SET read = 1 WHERE seq > 10000`); d.err != nil {
			return
		}
		_, d.err = d.st.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d
}

// searchVocab is the vocabulary of searchArticle: words of two or three
// syllables, drawn with Zipf's law (a few very common, most rare).
var searchVocab = func() []string {
	syl := strings.Fields("ka ri to ba sen mu lo da vi ne ko sa ta ru mi po ga hi ze nu be ja lu fo de ki so wa re ma")
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var out []string
	for len(out) < 20_000 {
		n := 2 + r.IntN(2)
		var w strings.Builder
		for range n {
			w.WriteString(syl[r.IntN(len(syl))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			out = append(out, w.String())
		}
	}
	return out
}()

// searchArticle is the k-th article of benchStoreSearch: a title of 8
// words, a summary of 25 and a body of 200 drawn from searchVocab, and
// words searched for at known rates: "government" in about 30% of the
// articles, "Tashkent" in 5% (Tashkurgan 0.5%), "Central Asia" in 10%,
// "Kyzylkum" in exactly 20. Published about k half-minutes before t0, give
// or take six hours, so storing order and date order differ.
func searchArticle(k int) Article {
	r := rand.New(rand.NewPCG(uint64(k), 7))
	z := rand.NewZipf(r, 1.1, 2, uint64(len(searchVocab)-1))
	words := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = searchVocab[z.Uint64()]
		}
		return out
	}
	body := words(200)
	put := func(p float64, w string) {
		if r.Float64() < p {
			body[r.IntN(len(body))] = w
		}
	}
	put(0.3, "government")
	put(0.05, "Tashkent")
	put(0.005, "Tashkurgan")
	put(0.1, "Central Asia")
	if k%5000 == 17 {
		body[r.IntN(len(body))] = "Kyzylkum"
	}
	title := words(8)
	title[0] = strings.ToUpper(title[0][:1]) + title[0][1:]
	jitter := time.Duration(r.IntN(12*60)-6*60) * time.Minute
	return Article{
		ID:        fmt.Sprintf("search-%d", k),
		Title:     strings.Join(title, " "),
		Link:      fmt.Sprintf("https://search.example/%d", k),
		Summary:   strings.Join(words(25), " ") + ".",
		Content:   "<p>" + strings.Join(body, " ") + ".</p>",
		Published: t0.Add(-time.Duration(k)*time.Minute/2 + jitter),
	}
}

// searchBenchQueries are the searches BenchmarkSearch measures.
var searchBenchQueries = []struct{ name, q string }{
	{"common", "government"},
	{"rare", "kyzylkum"},
	{"prefix", "tash"},
	{"phrase", `"central asia"`},
	{"two-words", "tashkent government"},
	{"short-prefix", "ka"},
}

// BenchmarkSearch measures the first page of a search (PageOf with a
// Query, as the list shows it) at 100,000 articles of varied text, for a
// common word, a rare word, a prefix, a phrase, two words and a two-letter
// prefix; pinned to a snapshot (as the list asks once it has shown a
// page); its last page; RankIn of its middle article (the list finds the
// selected headline's page with it); and the first page of a search in
// the unread view and in one feed's view.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	d := benchStoreSearch(b)
	st := d.st
	fs, err := st.Feeds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, sq := range searchBenchQueries {
		v := View{Query: sq.q}
		first, err := st.PageOf(ctx, v, 1, 20)
		if err != nil || len(first.Items) == 0 {
			b.Fatalf("%s: %d items, %v", sq.q, len(first.Items), err)
		}
		page := func(name string, v View, n int) {
			b.Run(sq.name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					p, err := st.PageOf(ctx, v, n, 20)
					if err != nil || len(p.Items) == 0 || p.Page != n {
						b.Fatalf("%s page %d: %d items, %v", v.Query, n, len(p.Items), err)
					}
				}
				b.ReportMetric(float64(first.Total), "matches")
			})
		}
		page("first", v, 1)
		if sq.name == "short-prefix" {
			continue // slow: its first page says enough
		}
		page("first-pinned", View{Query: sq.q, Snapshot: d.pin}, 1)
		page("last", v, first.Pages)
		mid, err := st.PageOf(ctx, v, (first.Pages+1)/2, 20)
		if err != nil || len(mid.Items) == 0 {
			b.Fatal(err)
		}
		b.Run(sq.name+"/RankIn=middle", func(b *testing.B) {
			for b.Loop() {
				if r, err := st.RankIn(ctx, v, mid.Items[0].ID); err != nil || r != (mid.Page-1)*20 {
					b.Fatalf("rank %d, %v; want %d", r, err, (mid.Page-1)*20)
				}
			}
		})
		page("unread/first", View{Query: sq.q, UnreadOnly: true}, 1)
		b.Run(sq.name+"/feed/first", func(b *testing.B) {
			for b.Loop() {
				if _, err := st.PageOf(ctx, View{Query: sq.q, FeedID: fs[0].ID}, 1, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
