package feeds

import (
	"context"
	"fmt"
	"testing"

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
				for b.Loop() {
					p, err := st.PageOf(ctx, v, at.page, 20)
					if err != nil || p.Page != at.page || len(p.Items) == 0 {
						b.Fatalf("page %d: %d items, %v", at.page, len(p.Items), err)
					}
				}
				b.ReportMetric(float64(first.Total), "articles")
			})
		}
	}
	// Every feed, with the ignore rule: the rules' path, not the anchors.
	b.Run("all-with-ignore/PageOf=first", func(b *testing.B) {
		for b.Loop() {
			if p, err := st.PageOf(ctx, View{}, 1, 20); err != nil || len(p.Items) != 20 {
				b.Fatalf("%d items, %v", len(p.Items), err)
			}
		}
	})
	b.Run("QueryCounts", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.QueryCounts(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
