package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Several feeds in one transaction (as RefreshAll's writer stores them):
// each feed's new articles counted, a story two feeds carry (link and
// title) kept once, showing the earlier copy, the read state, counters, anchors and full-text index in
// step with the rows.
func TestSaveTxSeveralFeeds(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	// The test counts one transaction for the three feeds: the 200 ms
	// budget that would close it early on a loaded machine under -race is
	// not what it tests.
	st.chunkTime = time.Minute
	fs, err := st.SyncFeeds(ctx, []Spec{{Name: "A", URL: "https://a.example/"}, {Name: "B", URL: "https://b.example/"}, {Name: "C", URL: "https://c.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	a := mkArticles(40, "a", t0)
	b := mkArticles(30, "b", t0.Add(-time.Hour))
	b[5].Link, b[5].Title, b[5].Published = a[7].Link, a[7].Title, a[7].Published.Add(time.Minute) // a later copy: a's stays
	b[6].Link, b[6].Title, b[6].Published = a[8].Link, a[8].Title, t0.Add(-48*time.Hour)           // an earlier copy: it takes a's place
	c := mkArticles(25, "c", t0.Add(30*time.Second))
	jobs := []*saveJob{
		newSaveJob(ctx, fs[0].ID, a, t0, nil),
		newSaveJob(ctx, fs[1].ID, b, t0, nil),
		newSaveJob(ctx, fs[2].ID, c, t0, nil),
	}
	finished, _, err := st.saveTx(ctx, jobs, true)
	if err != nil || finished != 3 {
		t.Fatalf("saveTx: %d finished, %v", finished, err)
	}
	// a[8]'s row was replaced by b's earlier copy in the same transaction,
	// as it would have been in the next: it shows b's now. a[7] stays a's.
	// Both are new to b, which carries them.
	if jobs[0].n != 40 || jobs[1].n != 30 || jobs[2].n != 25 {
		t.Errorf("new: %d, %d, %d", jobs[0].n, jobs[1].n, jobs[2].n)
	}
	for link, want := range map[string]int64{a[8].Link: fs[1].ID, a[7].Link: fs[0].ID} {
		var feed int64
		if err := st.db.QueryRow(`SELECT feed_id FROM articles WHERE link = ?`, link).Scan(&feed); err != nil || feed != want {
			t.Errorf("%s: feed %d, want %d (%v)", link, feed, want, err)
		}
	}
	if got, _ := st.Count(ctx); got != 40+28+25 {
		t.Errorf("Count = %d", got)
	}
	recount(t, st)
	ftsIntact(t, st)
	orderIntact(t, st)
	var generation int
	st.db.QueryRow(`SELECT generation FROM article_stats`).Scan(&generation)
	if generation != 2 { // SyncFeeds, then the one save
		t.Errorf("%d transactions, want 1 for the three feeds", generation-1)
	}
	// The same feeds again: nothing new, nothing changed.
	jobs = []*saveJob{newSaveJob(ctx, fs[0].ID, a, t0, nil), newSaveJob(ctx, fs[1].ID, b, t0, nil), newSaveJob(ctx, fs[2].ID, c, t0, nil)}
	if finished, _, err := st.saveTx(ctx, jobs, true); err != nil || finished != 3 || jobs[0].n+jobs[1].n+jobs[2].n != 0 {
		t.Fatalf("again: %d finished, %d+%d+%d new, %v", finished, jobs[0].n, jobs[1].n, jobs[2].n, err)
	}
	recount(t, st)
	ftsIntact(t, st)
}

// A feed removed while RefreshAll fetches it fails alone: the feeds
// stored in the same transaction as its items would have been are stored
// (the writer stores them one at a time after the failure), and the store
// stays consistent.
func TestRefreshAllFeedRemovedMidway(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	var victim atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &f)
		if f == 3 {
			// Removed from the store as it is being fetched.
			if _, err := st.db.Exec(`DELETE FROM feeds WHERE id = ?`, victim.Load()); err != nil {
				t.Error(err)
			}
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(wpFeed(f, 20, t0))
	}))
	defer srv.Close()
	var specs []Spec
	for f := range 8 {
		specs = append(specs, Spec{Name: fmt.Sprint("Feed ", f), URL: fmt.Sprintf("%s/feed/%d", srv.URL, f)})
	}
	fs, err := st.SyncFeeds(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	victim.Store(fs[3].ID)
	fe := NewFetcher(st, Options{})
	fe.now = func() time.Time { return t0 }
	for i, r := range fe.RefreshAll(ctx, fs) {
		switch {
		case i == 3 && r.Err == nil:
			t.Errorf("the removed feed: %d new, no error", r.New)
		case i != 3 && (r.Err != nil || r.New != 20):
			t.Errorf("%s: %d new, %v", r.Feed.Name, r.New, r.Err)
		}
	}
	if n, _ := st.Count(ctx); n != 7*20 {
		t.Errorf("Count = %d, want %d", n, 7*20)
	}
	recount(t, st)
	ftsIntact(t, st)
	orderIntact(t, st)
	if p, _ := st.Page(ctx, 1, 200); strings.Contains(fmt.Sprint(p.Items), "feed/3/") {
		t.Error("an article of the removed feed was stored")
	}
}
