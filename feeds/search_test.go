package feeds

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The match set holds exactly the seqs of its list, in rowid order (the
// fast path) or not (the slow one), duplicates counted once.
func TestMatchSet(t *testing.T) {
	for _, tc := range []struct {
		list string
		n    int
	}{
		{"", 0},
		{"7", 1},
		{"1,2,3,64,65,200", 6},
		{"200,3,65,1", 4},
		{"5,5,9", 2},
		{"9,5,5", 2},
		{"3,100,50", 3}, // ascending ends, one in between out of order
		{"10,1,12", 3},  // one below the first
	} {
		m, err := newMatchSet(tc.list)
		if err != nil {
			t.Fatalf("%q: %v", tc.list, err)
		}
		want := map[int64]bool{}
		for _, s := range parseInts(tc.list, nil) {
			want[s] = true
		}
		if m.n != tc.n || len(want) != tc.n {
			t.Errorf("%q: %d members, want %d", tc.list, m.n, tc.n)
		}
		for s := int64(-1); s <= 210; s++ {
			if m.has(s) != want[s] {
				t.Errorf("%q: has(%d) = %v", tc.list, s, m.has(s))
			}
		}
	}
}

// A search with more matches than smallSearch (so paged by walking its
// view) shows the same pages, counts and ranks as the plain plan (sorting
// its matches), in every kind of view, pinned or not, with some articles
// read: the store is big enough for the real threshold.
func TestBigSearchPlansAgree(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f1 := addFeed(t, st, "One", "https://one.example/feed")
	f2 := addFeed(t, st, "Two", "https://two.example/feed")
	n := 2*smallSearch + 500
	for i, f := range []Feed{f1, f2} {
		var items []Article
		for k := i; k < n; k += 2 {
			title := "tenge news"
			if k%3 == 0 {
				title = "som report"
			}
			items = append(items, Article{ID: fmt.Sprintf("a-%d", k), Title: title,
				Link:      fmt.Sprintf("https://x.example/%d", k),
				Published: t0.Add(-time.Duration(k%700) * time.Hour)})
		}
		if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.db.Exec(`UPDATE article_state SET read = 1 WHERE seq % 4 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`UPDATE article_state SET starred = 1 WHERE seq % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	first, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	more := []Article{{ID: "late", Title: "tenge late", Published: t0.Add(time.Hour)}}
	if _, err := st.SaveArticles(ctx, f1.ID, more, t0); err != nil {
		t.Fatal(err)
	}
	walked := 0
	for _, pin := range []int64{0, first.Snapshot} {
		for _, v := range []View{{}, {UnreadOnly: true}, {Starred: true}, {FeedID: f1.ID}, {FeedID: f2.ID, UnreadOnly: true}} {
			v.Query, v.Snapshot = "tenge", pin
			q := compileView(v)
			var m *matchSet
			if err := st.readTx(ctx, func(t stx) error { m, err = t.matches(q); return err }); err != nil {
				t.Fatal(err)
			}
			if m.n <= smallSearch {
				t.Fatalf("%+v: %d matches, want more than %d", v, m.n, smallSearch)
			}
			plain := func(fn func()) {
				defer func(n int) { smallSearch = n }(smallSearch)
				smallSearch = 1 << 30
				fn()
			}
			for _, page := range []int{1, 2, 40, 70, 1000} {
				got, err := st.PageOf(ctx, v, page, 20)
				if err != nil {
					t.Fatal(err)
				}
				var want Page
				plain(func() { want, err = st.PageOf(ctx, v, page, 20) })
				if err != nil {
					t.Fatal(err)
				}
				if ids(got.Items) != ids(want.Items) || got.Total != want.Total || got.Unread != want.Unread ||
					got.Page != want.Page || got.Pages != want.Pages || got.Snapshot != want.Snapshot {
					t.Fatalf("%+v page %d:\n got  %d/%d %d unread %s\n want %d/%d %d unread %s", v, page,
						got.Page, got.Total, got.Unread, ids(got.Items), want.Page, want.Total, want.Unread, ids(want.Items))
				}
				if len(got.Items) > 0 {
					walked++
				}
				for _, a := range got.Items[:min(3, len(got.Items))] {
					r, err := st.RankIn(ctx, v, a.ID)
					var wr int
					var werr error
					plain(func() { wr, werr = st.RankIn(ctx, v, a.ID) })
					if r != wr || (err == nil) != (werr == nil) {
						t.Fatalf("%+v RankIn(%s) = %d, %v; plain %d, %v", v, a.ID, r, err, wr, werr)
					}
				}
			}
			// Ranks of articles outside the view (not matching): the place
			// they would take.
			for _, id := range []string{"a-3", "a-4", "late"} {
				r, err := st.RankIn(ctx, v, id)
				var wr int
				var werr error
				plain(func() { wr, werr = st.RankIn(ctx, v, id) })
				if r != wr || fmt.Sprint(err) != fmt.Sprint(werr) {
					t.Fatalf("%+v RankIn(%s) = %d, %v; plain %d, %v", v, id, r, err, wr, werr)
				}
			}
		}
	}
	if walked == 0 {
		t.Fatal("no page compared")
	}
}
