package feeds

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/filter"
)

// BenchmarkQueryFeed measures PageOf for a query feed at 100,000 articles
// (its first, middle and last page), with an ignore rule set, and the
// counts of the feeds pane's query rows.
func BenchmarkQueryFeed(b *testing.B) {
	ctx := context.Background()
	d := benchStoreN(b, 50)
	st, err := OpenStore(d.st.db) // its own rules: the shared store keeps none
	if err != nil {
		b.Fatal(err)
	}
	must := func(src string) *filter.Filter {
		f, err := filter.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		return f
	}
	if err := st.SetRules(Rules{
		Ignore: []*filter.Filter{must(`title =~ "number 99"`)},
		Queries: []QueryFeed{
			{Name: "fours", Filter: must(`title =~ "number 4"`)},
			{Name: "group", Filter: must(`feed = "Bench 3" or feed = "Bench 7"`)},
			// Dynamic parts on the stored matches of the static part.
			{Name: "unread-fours", Filter: must(`unread = "yes" and title =~ "number 4"`)},
			{Name: "recent-fours", Filter: must(`title =~ "number 4" and age < 36500`)},
			{Name: "unstarred-fours", Filter: must(`title =~ "number 4" and starred = "no"`)},
			// No text part, or one only ORed with state: parts on the
			// stored matches of every article.
			{Name: "unread", Filter: must(`unread = "yes"`)},
			{Name: "starred", Filter: must(`starred = "yes"`)},
			{Name: "recent", Filter: must(`age < 36500`)},
			{Name: "read-or-fours", Filter: must(`unread = "no" or title =~ "number 4"`)},
			{Name: "starred-or-fours", Filter: must(`starred = "yes" or title =~ "number 4"`)},
		},
	}); err != nil {
		b.Fatal(err)
	}
	// As a dashboard opened without a refresh does (a save would too).
	if err := st.RebuildRules(ctx); err != nil {
		b.Fatal(err)
	}
	if stale, err := st.RulesStale(ctx); err != nil || stale {
		b.Fatalf("stale %v after RebuildRules: %v", stale, err)
	}
	names := []string{"fours", "group", "unread-fours", "recent-fours", "unstarred-fours",
		"unread", "starred", "recent", "read-or-fours", "starred-or-fours"}
	for _, name := range names {
		v := View{QueryFeed: name}
		first, err := st.PageOf(ctx, v, 1, 20)
		if err != nil {
			b.Fatal(err)
		}
		for _, at := range []struct {
			name string
			page int
		}{{"first", 1}, {"middle", (first.Pages + 1) / 2}, {"last", first.Pages}} {
			b.Run(fmt.Sprintf("%s/PageOf=%s", name, at.name), func(b *testing.B) {
				cpuLoop(b, func() {
					p, err := st.PageOf(ctx, v, at.page, 20)
					if err != nil || p.Page != at.page || len(p.Items) == 0 {
						b.Fatalf("page %d: %d items, %v", at.page, len(p.Items), err)
					}
				})
				b.ReportMetric(float64(first.Total), "articles")
			})
		}
	}
	// Every feed, with the ignore rule: the rules' path, not the anchors.
	all, err := st.PageOf(ctx, View{}, 1, 20)
	if err != nil {
		b.Fatal(err)
	}
	for _, at := range []struct {
		name string
		v    View
		page int
	}{
		{"first", View{}, 1}, {"middle", View{}, (all.Pages + 1) / 2}, {"last", View{}, all.Pages},
		{"unread-middle", View{UnreadOnly: true}, (all.Pages + 1) / 2},
		{"starred-first", View{Starred: true}, 1},
		{"pinned-middle", View{Snapshot: d.pin}, (all.Pages + 1) / 2},
	} {
		b.Run("all-with-ignore/PageOf="+at.name, func(b *testing.B) {
			cpuLoop(b, func() {
				if p, err := st.PageOf(ctx, at.v, at.page, 20); err != nil || len(p.Items) == 0 {
					b.Fatalf("%d items, %v", len(p.Items), err)
				}
			})
		})
	}
	b.Run("QueryCounts", func(b *testing.B) {
		cpuLoop(b, func() {
			if _, err := st.QueryCounts(ctx); err != nil {
				b.Fatal(err)
			}
		})
	})
	// The other reads of a query feed and of every feed: pinned before
	// the arrivals of the shared store, an article in the middle.
	mid, err := st.PageOf(ctx, View{QueryFeed: "read-or-fours"}, 278, 20)
	if err != nil || len(mid.Items) == 0 {
		b.Fatal(len(mid.Items), err)
	}
	midID := mid.Items[0].ID
	for _, name := range []string{"fours", "unread", "read-or-fours", "starred-or-fours", ""} {
		v := View{QueryFeed: name, Snapshot: d.pin}
		label := name
		if name == "" {
			label = "all-with-ignore"
		}
		b.Run(label+"/NewSince", func(b *testing.B) {
			cpuLoop(b, func() {
				if n, err := st.NewSince(ctx, v); err != nil || name == "" && n != 20 {
					b.Fatalf("%d, %v", n, err)
				}
			})
		})
		b.Run(label+"/RankIn", func(b *testing.B) {
			cpuLoop(b, func() {
				if _, err := st.RankIn(ctx, v, midID); err != nil && !errors.Is(err, ErrNotInView) {
					b.Fatal(err)
				}
			})
		})
		b.Run(label+"/NextUnread", func(b *testing.B) {
			cpuLoop(b, func() {
				if _, _, ok, err := st.NextUnread(ctx, v, midID, 1); err != nil || !ok {
					b.Fatalf("%v, %v", ok, err)
				}
			})
		})
	}
	// MarkViewRead of a query feed's 11,111 articles, then unread again
	// (not timed) for the next round and the other benchmarks.
	b.Run("fours/MarkViewRead", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			began := cpuTime(b)
			n, err := st.MarkViewRead(ctx, View{QueryFeed: "fours"})
			if err != nil || n == 0 {
				b.Fatalf("%d, %v", n, err)
			}
			cpu += cpuTime(b) - began
			b.StopTimer()
			if _, err := st.db.Exec(`UPDATE article_state SET read = 0 WHERE read = 1`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}

// cpuLoop runs fn for each round of b and reports the process's CPU time
// per round (cpu-ms/op), which other work on the machine moves less than
// the wall-clock time.
func cpuLoop(b *testing.B, fn func()) {
	began := cpuTime(b)
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64((cpuTime(b)-began).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
