package feeds

import (
	"context"
	"math/rand/v2"
	"testing"
)

// staleMarks counts the anchors' stale marks (0 or 1).
func staleMarks(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.db.QueryRow(`SELECT count(*) FROM article_anchors WHERE n = -1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// saveUnsettled stores byFeed as a refresh's writer does: several feeds
// to a transaction, the anchors left stale.
func saveUnsettled(t *testing.T, st *Store, feeds []Feed, byFeed map[int64][]Article) {
	t.Helper()
	ctx := context.Background()
	var jobs []*saveJob
	for _, f := range feeds {
		jobs = append(jobs, newSaveJob(ctx, f.ID, byFeed[f.ID], t0, nil))
	}
	for len(jobs) > 0 {
		finished, _, err := st.saveTx(ctx, jobs, false)
		if err != nil {
			t.Fatal(err)
		}
		jobs = jobs[finished:]
	}
}

// While a refresh stores (the anchors stale from far down: its items span
// a month), every view still pages, counts and ranks as the table orders
// the rows, pinned or not; once the writer settles, the anchors are whole
// again and say the same.
func TestStaleAnchorsPageRight(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rng := rand.New(rand.NewPCG(3, 4))
	feeds := []Feed{
		addFeed(t, st, "One", "https://one.example/feed"),
		addFeed(t, st, "Two", "https://two.example/feed"),
	}
	randomStore(t, rng, st, feeds, 300, "a")
	if n := staleMarks(t, st); n != 0 {
		t.Fatalf("SaveArticles left %d stale marks", n)
	}
	pg, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	snap := pg.Snapshot
	// More than settleNear above the mark: the saves leave it.
	saveUnsettled(t, st, feeds, randomItems(rng, feeds, 1500, "b"))
	if n := staleMarks(t, st); n != 1 {
		t.Fatalf("%d stale marks after unsettled saves, want 1", n)
	}
	orderIntact(t, st)
	for _, v := range []View{{}, {Snapshot: snap}, {UnreadOnly: true, Snapshot: snap}} {
		checkView(t, st, v, 9)
	}
	if err := st.settle(ctx); err != nil {
		t.Fatal(err)
	}
	if n := staleMarks(t, st); n != 0 {
		t.Fatalf("%d stale marks after settle", n)
	}
	var anchors, total int
	if err := st.db.QueryRow(`SELECT count(*), (SELECT total FROM article_stats) FROM article_anchors`).Scan(&anchors, &total); err != nil {
		t.Fatal(err)
	}
	if want := (total + anchorEvery - 1) / anchorEvery; anchors != want {
		t.Fatalf("%d anchors for %d articles, want %d", anchors, total, want)
	}
	orderIntact(t, st)
	checkView(t, st, View{Snapshot: snap}, 9)
}

// A small store's saves rebuild the anchors in their own transaction:
// what lies above the mark is short (settleNear).
func TestShortStaleRunSettlesAtOnce(t *testing.T) {
	st := newStore(t)
	rng := rand.New(rand.NewPCG(5, 6))
	feeds := []Feed{addFeed(t, st, "One", "https://one.example/feed")}
	saveUnsettled(t, st, feeds, randomItems(rng, feeds, 400, "a"))
	if n := staleMarks(t, st); n != 0 {
		t.Fatalf("%d stale marks after a short save", n)
	}
	orderIntact(t, st)
}
