package feeds

import (
	"context"
	"fmt"
	"testing"
)

// benchViews are the view kinds measured, for a store whose first feed is
// f (holding all 100,000 articles in the one-feed store, 2,000 in the
// fifty-feed one).
func benchViews(f int64) []struct {
	name string
	v    View
} {
	return []struct {
		name string
		v    View
	}{
		{"all", View{}},
		{"feed", View{FeedID: f}},
		{"unread", View{UnreadOnly: true}},
		{"feed-unread", View{FeedID: f, UnreadOnly: true}},
		{"starred", View{Starred: true}},
		{"search-narrow", View{Query: "number 4242"}},
		{"search-broad", View{Query: "headline"}},
	}
}

// BenchmarkViews measures PageOf for each kind of view at its first,
// middle and last page, pinned and unpinned, at 100,000 articles in 50
// feeds and in one feed; then RankIn, NewSince and the feeds pane counts.
func BenchmarkViews(b *testing.B) {
	ctx := context.Background()
	for _, nFeeds := range []int{50, 1} {
		d := benchStoreN(b, nFeeds)
		st := d.st
		fs, err := st.Feeds(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, bv := range benchViews(fs[0].ID) {
			for _, pin := range []int64{0, d.pin} {
				v := bv.v
				v.Snapshot = pin
				first, err := st.PageOf(ctx, v, 1, 20)
				if err != nil {
					b.Fatal(err)
				}
				pinned := "unpinned"
				if pin > 0 {
					pinned = "pinned"
				}
				for _, at := range []struct {
					name string
					page int
				}{{"first", 1}, {"middle", (first.Pages + 1) / 2}, {"last", first.Pages}} {
					b.Run(fmt.Sprintf("feeds=%d/%s/%s/PageOf=%s", nFeeds, bv.name, pinned, at.name), func(b *testing.B) {
						for b.Loop() {
							p, err := st.PageOf(ctx, v, at.page, 20)
							if err != nil || p.Page != at.page || len(p.Items) == 0 {
								b.Fatalf("page %d: %d items, %v", at.page, len(p.Items), err)
							}
						}
						b.ReportMetric(float64(first.Total), "articles")
					})
				}
				if pin > 0 {
					b.Run(fmt.Sprintf("feeds=%d/%s/NewSince", nFeeds, bv.name), func(b *testing.B) {
						for b.Loop() {
							if _, err := st.NewSince(ctx, v); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
			// RankIn of the article in the middle of the view.
			mid, err := st.PageOf(ctx, bv.v, 0, 20)
			if err != nil {
				b.Fatal(err)
			}
			if mid, err = st.PageOf(ctx, bv.v, (mid.Pages+1)/2, 20); err != nil || len(mid.Items) == 0 {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("feeds=%d/%s/RankIn=middle", nFeeds, bv.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := st.RankIn(ctx, bv.v, mid.Items[0].ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("feeds=%d/FeedCounts", nFeeds), func(b *testing.B) {
			for b.Loop() {
				fc, err := st.FeedCounts(ctx)
				if err != nil || len(fc) != nFeeds {
					b.Fatal(len(fc), err)
				}
			}
		})
		b.Run(fmt.Sprintf("feeds=%d/StarredCount", nFeeds), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := st.StarredCount(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadState measures the writes of read state and stars, and
// "next unread", at 100,000 articles in 50 feeds.
func BenchmarkReadState(b *testing.B) {
	ctx := context.Background()
	st := benchStoreN(b, 50).st
	fs, err := st.Feeds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	reset := func(b *testing.B) {
		b.Helper()
		if _, err := st.db.ExecContext(ctx, `UPDATE article_state SET read = 0 WHERE read = 1`); err != nil {
			b.Fatal(err)
		}
	}
	id := "bench-50000"
	b.Run("SetRead", func(b *testing.B) {
		on := true
		for b.Loop() {
			if err := st.SetRead(ctx, id, on); err != nil {
				b.Fatal(err)
			}
			on = !on
		}
	})
	b.Run("SetStarred", func(b *testing.B) {
		on := true
		for b.Loop() {
			if err := st.SetStarred(ctx, id, on); err != nil {
				b.Fatal(err)
			}
			on = !on
		}
		st.SetStarred(ctx, id, false)
	})
	for _, tc := range []struct {
		name string
		v    View
		want int
	}{
		{"MarkViewRead=feed", View{FeedID: fs[1].ID}, 2000},
		{"MarkViewRead=all", View{}, 100_020},
	} {
		b.Run(tc.name, func(b *testing.B) {
			reset(b)
			for i := 0; i < b.N; i++ {
				n, err := st.MarkViewRead(ctx, tc.v)
				if err != nil || n != tc.want {
					b.Fatalf("marked %d, %v", n, err)
				}
				b.StopTimer()
				reset(b)
				b.StartTimer()
			}
		})
	}
	for _, tc := range []struct {
		name string
		v    View
	}{
		{"all", View{}},
		{"feed", View{FeedID: fs[0].ID}},
		{"unread", View{UnreadOnly: true}},
	} {
		// Everything read but 50 articles in every 1,000.
		b.Run("NextUnread=sparse/"+tc.name, func(b *testing.B) {
			if _, err := st.db.ExecContext(ctx, `UPDATE article_state SET read = ((seq / 50) % 20 <> 0)`); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				a, _, ok, err := st.NextUnread(ctx, tc.v, "", 1)
				if err != nil || !ok || a.ID == "" {
					b.Fatal(ok, err)
				}
			}
			b.StopTimer()
			reset(b)
		})
	}
}
