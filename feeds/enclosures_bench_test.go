package feeds

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSaveUnchanged is a refresh that finds nothing new: 50 feeds
// of 200 stored items saved again as they are, one SaveArticles call per
// feed (every item goes through the "changed?" test, selectByID).
// "podcast" gives every item an enclosure.
//
//	go test ./feeds -run='^$' -bench='^BenchmarkSaveUnchanged$' -count=5
func BenchmarkSaveUnchanged(b *testing.B) {
	for _, podcast := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "podcast"}[podcast], func(b *testing.B) {
			const nFeeds, nItems = 50, 200
			ctx := context.Background()
			st := newStore(b)
			specs := make([]Spec, nFeeds)
			for f := range specs {
				specs[f] = Spec{Name: fmt.Sprintf("Feed %d", f), URL: fmt.Sprintf("https://gen.example/feed/%d", f)}
			}
			fs, err := st.SyncFeeds(ctx, specs)
			if err != nil {
				b.Fatal(err)
			}
			items := make([][]Article, nFeeds)
			for f := range items {
				items[f] = wpArticles(f, nItems, t0)
				if podcast {
					for i := range items[f] {
						items[f][i].Enclosures = []Enclosure{{URL: fmt.Sprintf("https://cdn.gen.example/%d/%d.mp3", f, i), Type: "audio/mpeg", Length: 25264128}}
					}
				}
				if _, err := st.SaveArticles(ctx, fs[f].ID, items[f], t0); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				for f, fd := range fs {
					if n, err := st.SaveArticles(ctx, fd.ID, items[f], t0); err != nil || n != 0 {
						b.Fatalf("feed %d: %d new, %v", f, n, err)
					}
				}
			}
		})
	}
}
