package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// refRow is an article as the reference model sees it: read straight from
// the tables, ordered and filtered in Go.
type refRow struct {
	id             string
	seq, pub, feed int64
	in             map[int64]bool // the feeds carrying it
	title          string
	read, starred  bool
}

func refRows(t *testing.T, st *Store) []refRow {
	t.Helper()
	rows, err := st.db.Query(`SELECT a.id, a.seq, a.published, a.feed_id, a.title, s.read, s.starred,
	(SELECT group_concat(m.feed_id, ' ') FROM article_feeds m WHERE m.seq = a.seq)
FROM articles a JOIN article_state s ON s.seq = a.seq JOIN feeds f ON f.id = a.feed_id
ORDER BY a.published DESC, a.seq DESC`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []refRow
	for rows.Next() {
		var r refRow
		var in string
		if err := rows.Scan(&r.id, &r.seq, &r.pub, &r.feed, &r.title, &r.read, &r.starred, &in); err != nil {
			t.Fatal(err)
		}
		r.in = map[int64]bool{}
		for _, f := range strings.Fields(in) {
			n, _ := strconv.ParseInt(f, 10, 64)
			r.in[n] = true
		}
		out = append(out, r)
	}
	return out
}

// refMatch is the search of the tests: titles are made of known words, and
// the only other text ("summary") matches none of the queries used.
func refMatch(title, query string) bool {
	for _, w := range strings.Fields(strings.ToLower(query)) {
		found := false
		for _, tw := range strings.Fields(strings.ToLower(title)) {
			if strings.HasPrefix(tw, w) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func refIn(r refRow, v View) bool {
	return (v.FeedID == 0 || r.in[v.FeedID]) && (!v.UnreadOnly || !r.read) &&
		(!v.Starred || r.starred) && (v.Query == "" || refMatch(r.title, v.Query))
}

// refView returns the view's articles newest first, and its arrivals.
func refView(all []refRow, v View) (in, arrivals []refRow) {
	for _, r := range all {
		if !refIn(r, v) {
			continue
		}
		if v.Snapshot > 0 && r.seq > v.Snapshot {
			arrivals = append(arrivals, r)
			continue
		}
		in = append(in, r)
	}
	return in, arrivals
}

func ids(as []Article) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.ID
	}
	return strings.Join(s, ",")
}

func refIDs(rs []refRow) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.id
	}
	return strings.Join(s, ",")
}

// checkView compares every page, the counts, some ranks, NewSince and
// NextUnread of a view with the reference model.
func checkView(t *testing.T, st *Store, v View, size int) {
	t.Helper()
	ctx := context.Background()
	all := refRows(t, st)
	want, arrivals := refView(all, v)
	unread := 0
	for _, r := range want {
		if !r.read {
			unread++
		}
	}
	pages := max(1, (len(want)+size-1)/size)
	for p := 1; p <= pages; p++ {
		pg, err := st.PageOf(ctx, v, p, size)
		if err != nil {
			t.Fatalf("%+v page %d: %v", v, p, err)
		}
		lo, hi := (p-1)*size, min(p*size, len(want))
		if got, w := ids(pg.Items), refIDs(want[lo:hi]); got != w {
			t.Fatalf("%+v page %d:\n got  %s\n want %s", v, p, got, w)
		}
		if pg.Total != len(want) || pg.Unread != unread || pg.Pages != pages || pg.Page != p || pg.Size != size {
			t.Fatalf("%+v page %d header %d/%d unread %d pages %d; want total %d unread %d pages %d",
				v, p, pg.Page, pg.Total, pg.Unread, pg.Pages, len(want), unread, pages)
		}
		if v.Snapshot > 0 && pg.Snapshot != v.Snapshot {
			t.Fatalf("%+v: Snapshot %d", v, pg.Snapshot)
		}
		for i, a := range pg.Items {
			r := want[lo+i]
			feed := r.feed // the article's own, or the view's
			if v.FeedID != 0 {
				feed = v.FeedID
			}
			if a.Read != r.read || a.Starred != r.starred || a.FeedID != feed || a.Content != "" {
				t.Fatalf("%+v: item %s read %v starred %v feed %d content %q", v, a.ID, a.Read, a.Starred, a.FeedID, a.Content)
			}
		}
	}
	// Past the end: clamped to the last page.
	if pg, err := st.PageOf(ctx, v, pages+3, size); err != nil || pg.Page != pages {
		t.Fatalf("%+v clamp: page %d, %v", v, pg.Page, err)
	}
	if n, err := st.NewSince(ctx, v); err != nil || n != len(arrivals) {
		t.Fatalf("%+v NewSince = %d, %v; want %d", v, n, err, len(arrivals))
	}
	// Ranks: of articles in the view, and of some outside it.
	pos := map[string]int{}
	for i, r := range want {
		pos[r.id] = i
	}
	step := max(1, len(all)/12)
	for i, r := range all {
		if i%step != 0 && i != len(all)-1 {
			continue
		}
		rank, err := st.RankIn(ctx, v, r.id)
		if p, ok := pos[r.id]; ok {
			if err != nil || rank != p {
				t.Fatalf("%+v RankIn(%s) = %d, %v; want %d", v, r.id, rank, err, p)
			}
			continue
		}
		// Outside: the number of view articles before it.
		before := 0
		for _, w := range want {
			if w.pub > r.pub || w.pub == r.pub && w.seq > r.seq {
				before++
			}
		}
		if !errors.Is(err, ErrNotInView) || rank != before {
			t.Fatalf("%+v RankIn(%s outside) = %d, %v; want %d, ErrNotInView", v, r.id, rank, err, before)
		}
	}
	// Next and previous unread from a few places.
	for i, r := range all {
		if i%step != step/2 {
			continue
		}
		for _, dir := range []int{1, -1} {
			var next *refRow
			for j := range want {
				w := want[j]
				newer := w.pub > r.pub || w.pub == r.pub && w.seq > r.seq
				if w.read || w.seq == r.seq || newer != (dir < 0) {
					continue
				}
				if dir > 0 && next == nil {
					next = &want[j]
				}
				if dir < 0 {
					next = &want[j]
				}
			}
			a, rank, ok, err := st.NextUnread(ctx, v, r.id, dir)
			if err != nil {
				t.Fatal(err)
			}
			if next == nil {
				if ok {
					t.Fatalf("%+v NextUnread(%s, %d) = %s, want none", v, r.id, dir, a.ID)
				}
				continue
			}
			if !ok || a.ID != next.id || rank != pos[next.id] || a.Read {
				t.Fatalf("%+v NextUnread(%s, %d) = %s rank %d ok %v; want %s rank %d", v, r.id, dir, a.ID, rank, ok, next.id, pos[next.id])
			}
		}
	}
}

// randomStore stores n articles over feeds with random dates (many equal),
// random read and starred state, titles from a few words.
func randomStore(t *testing.T, rng *rand.Rand, st *Store, feeds []Feed, n int, tag string) {
	t.Helper()
	ctx := context.Background()
	byFeed := randomItems(rng, feeds, n, tag)
	for _, f := range feeds {
		if _, err := st.SaveArticles(ctx, f.ID, byFeed[f.ID], t0); err != nil {
			t.Fatal(err)
		}
	}
}

// randomItems makes randomStore's articles, by feed.
func randomItems(rng *rand.Rand, feeds []Feed, n int, tag string) map[int64][]Article {
	words := []string{"tenge", "som", "manat", "dollar", "bank", "steppe"}
	byFeed := map[int64][]Article{}
	var made []Article
	for i := range n {
		f := feeds[rng.IntN(len(feeds))]
		a := Article{
			ID:        fmt.Sprintf("%s-%d", tag, i),
			Title:     words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))],
			Link:      fmt.Sprintf("https://example.com/%s/%d", tag, i),
			Summary:   "x",
			Published: t0.Add(-time.Duration(rng.IntN(n/2+1)) * time.Hour),
		}
		if len(made) > 0 && rng.IntN(5) == 0 {
			// Another feed's copy, perhaps: the same link (tracked) and
			// title, its own id and date.
			c := made[rng.IntN(len(made))]
			a.Title, a.Link = c.Title, c.Link+"?utm_source=rss"
		}
		made = append(made, a)
		byFeed[f.ID] = append(byFeed[f.ID], a)
	}
	return byFeed
}

func allViews(feeds []Feed, snapshot int64) []View {
	var vs []View
	for _, f := range []int64{0, feeds[0].ID} {
		for _, u := range []bool{false, true} {
			for _, s := range []bool{false, true} {
				for _, q := range []string{"", "manat", "ten do"} {
					vs = append(vs, View{FeedID: f, UnreadOnly: u, Starred: s, Query: q, Snapshot: snapshot})
				}
			}
		}
	}
	return vs
}

func TestViewsAgainstReference(t *testing.T) { testViewsAgainstReference(t) }

// TestSearchWalkAgainstReference is TestViewsAgainstReference with every
// search paged by walking its view (search.go), as one with more than
// smallSearch matches is, instead of sorting its matches.
func TestSearchWalkAgainstReference(t *testing.T) {
	defer func(n int) { smallSearch = n }(smallSearch)
	smallSearch = -1
	testViewsAgainstReference(t)
}

func testViewsAgainstReference(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rng := rand.New(rand.NewPCG(1, 2))
	feeds := []Feed{
		addFeed(t, st, "One", "https://one.example/feed"),
		addFeed(t, st, "Two", "https://two.example/feed"),
		addFeed(t, st, "Three", "https://three.example/feed"),
	}
	randomStore(t, rng, st, feeds, 400, "a") // several anchor blocks
	for _, r := range refRows(t, st) {
		if rng.IntN(3) == 0 {
			if err := st.SetRead(ctx, r.id, true); err != nil {
				t.Fatal(err)
			}
		}
		if rng.IntN(8) == 0 {
			if err := st.SetStarred(ctx, r.id, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	pg, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	snap := pg.Snapshot
	for _, v := range allViews(feeds, 0) {
		checkView(t, st, v, 9)
	}
	// Arrivals above, below and among the pinned articles.
	randomStore(t, rng, st, feeds, 100, "b")
	for _, v := range allViews(feeds, snap) {
		checkView(t, st, v, 9)
	}
	checkView(t, st, View{}, 13)
}

func TestSnapshotPinsTheView(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f1 := addFeed(t, st, "One", "https://one.example/feed")
	f2 := addFeed(t, st, "Two", "https://two.example/feed")
	if _, err := st.SaveArticles(ctx, f1.ID, mkArticles(300, "a", t0), t0); err != nil {
		t.Fatal(err)
	}
	first, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if first.Snapshot == 0 || first.Total != 300 || first.Unread != 300 {
		t.Fatalf("first page %+v", first)
	}
	pinned := View{Snapshot: first.Snapshot}
	before := map[int]string{}
	for _, p := range []int{1, 2, 15, 30} {
		pg, err := st.PageOf(ctx, pinned, p, 10)
		if err != nil {
			t.Fatal(err)
		}
		before[p] = ids(pg.Items)
	}
	// Arrivals: three newer than everything, two in the middle (another
	// feed), one older than everything.
	arr := []Article{
		{ID: "new-1", Title: "n1", Published: t0.Add(3 * time.Minute)},
		{ID: "new-2", Title: "n2", Published: t0.Add(2 * time.Minute)},
		{ID: "new-3", Title: "n3", Published: t0.Add(time.Minute)},
		{ID: "old", Title: "old", Published: t0.Add(-1000 * time.Hour)},
	}
	if _, err := st.SaveArticles(ctx, f1.ID, arr, t0); err != nil {
		t.Fatal(err)
	}
	mid := []Article{
		{ID: "mid-1", Title: "m1", Published: t0.Add(-20 * time.Minute)},
		{ID: "mid-2", Title: "m2", Published: t0.Add(-50 * time.Minute)},
	}
	if _, err := st.SaveArticles(ctx, f2.ID, mid, t0); err != nil {
		t.Fatal(err)
	}
	for p, want := range before {
		pg, err := st.PageOf(ctx, pinned, p, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(pg.Items); got != want || pg.Total != 300 || pg.Unread != 300 || pg.Pages != 30 {
			t.Errorf("pinned page %d moved: %s (total %d unread %d)\nwas %s", p, got, pg.Total, pg.Unread, want)
		}
	}
	if n, err := st.NewSince(ctx, pinned); err != nil || n != 6 {
		t.Errorf("NewSince = %d, %v; want 6", n, err)
	}
	if n, _ := st.NewSince(ctx, View{FeedID: f2.ID, Snapshot: first.Snapshot}); n != 2 {
		t.Errorf("NewSince(feed two) = %d, want 2", n)
	}
	if n, _ := st.NewSince(ctx, View{}); n != 0 {
		t.Errorf("NewSince(unpinned) = %d", n)
	}
	if r, err := st.RankIn(ctx, pinned, "a-20"); err != nil || r != 20 {
		t.Errorf("pinned RankIn(a-20) = %d, %v", r, err)
	}
	if r, err := st.RankIn(ctx, pinned, "new-1"); !errors.Is(err, ErrNotInView) || r != 0 {
		t.Errorf("pinned RankIn(arrival) = %d, %v", r, err)
	}
	// A pinned "mark all read" leaves the arrivals unread.
	if n, err := st.MarkViewRead(ctx, pinned); err != nil || n != 300 {
		t.Fatalf("MarkViewRead(pinned) = %d, %v", n, err)
	}
	if a, _ := st.Article(ctx, "new-2"); a.Read {
		t.Error("an arrival was marked read")
	}
	// Re-pinning (g) shows the arrivals on top.
	again, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ids(again.Items), "new-1,new-2,new-3,a-0") || again.Total != 306 || again.Unread != 6 || again.Snapshot <= first.Snapshot {
		t.Errorf("re-pinned page: %s total %d unread %d snapshot %d", ids(again.Items), again.Total, again.Unread, again.Snapshot)
	}
	if n, _ := st.NewSince(ctx, View{Snapshot: again.Snapshot}); n != 0 {
		t.Errorf("NewSince after re-pin = %d", n)
	}
}

func TestReadAndStarsLookTheSameEverywhere(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "1", Title: "Tenge weakens", Content: "body one", Published: t0},
		{ID: "2", Title: "Tenge steady", Content: "body two", Published: t0.Add(-time.Hour)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, "1", true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, "2", true); err != nil {
		t.Fatal(err)
	}
	check := func(label string, as []Article) {
		t.Helper()
		if len(as) != 2 || as[0].ID != "1" || !as[0].Read || as[0].Starred || as[1].Read || !as[1].Starred {
			t.Errorf("%s: %+v", label, as)
		}
	}
	p, _ := st.Page(ctx, 1, 10)
	check("Page", p.Items)
	p, _ = st.Search(ctx, "tenge", 1, 10)
	check("Search", p.Items)
	p, _ = st.PageOf(ctx, View{FeedID: f.ID}, 1, 10)
	check("feed view", p.Items)
	a1, _ := st.Article(ctx, "1")
	a2, _ := st.Article(ctx, "2")
	check("Article", []Article{a1, a2})
	if a1.Content != "body one" {
		t.Errorf("Article has no body: %q", a1.Content)
	}
	// Toggling back.
	if err := st.SetRead(ctx, "1", false); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, "2", false); err != nil {
		t.Fatal(err)
	}
	p, _ = st.Page(ctx, 1, 10)
	if p.Items[0].Read || p.Items[1].Starred || p.Unread != 2 {
		t.Errorf("toggled back: %+v", p)
	}
	for _, err := range []error{st.SetRead(ctx, "nope", true), st.SetStarred(ctx, "nope", true)} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("missing article: %v", err)
		}
	}
	if _, err := st.RankIn(ctx, View{FeedID: f.ID}, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RankIn(missing) = %v", err)
	}
	if _, _, _, err := st.NextUnread(ctx, View{}, "nope", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("NextUnread(missing) = %v", err)
	}
}

func TestNextUnreadAcrossPages(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	if _, err := st.SaveArticles(ctx, f.ID, mkArticles(40, "a", t0), t0); err != nil {
		t.Fatal(err)
	}
	// Unread: a-3, a-17, a-31 only.
	if n, err := st.MarkViewRead(ctx, View{}); err != nil || n != 40 {
		t.Fatalf("MarkViewRead = %d, %v", n, err)
	}
	for _, id := range []string{"a-3", "a-17", "a-31"} {
		if err := st.SetRead(ctx, id, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		v    View
		from string
		dir  int
		want string
		rank int
	}{
		{View{}, "", 1, "a-3", 3},
		{View{}, "", -1, "a-31", 31},
		{View{}, "a-3", 1, "a-17", 17},
		{View{}, "a-17", 1, "a-31", 31},
		{View{}, "a-31", 1, "", 0},
		{View{}, "a-31", -1, "a-17", 17},
		{View{}, "a-0", -1, "", 0},
		{View{}, "a-25", -1, "a-17", 17},
		{View{UnreadOnly: true}, "a-3", 1, "a-17", 1},
		{View{UnreadOnly: true}, "a-10", 1, "a-17", 1}, // from outside the view
		{View{FeedID: f.ID}, "a-20", 1, "a-31", 31},
		{View{Query: "title 17"}, "", 1, "a-17", 0},
		{View{Query: "title 17"}, "a-17", 1, "", 0},
	} {
		a, rank, ok, err := st.NextUnread(ctx, tc.v, tc.from, tc.dir)
		if err != nil || ok != (tc.want != "") || a.ID != tc.want || rank != tc.rank {
			t.Errorf("NextUnread(%+v, %q, %d) = %s rank %d ok %v %v; want %s rank %d", tc.v, tc.from, tc.dir, a.ID, rank, ok, err, tc.want, tc.rank)
		}
		if ok && a.Title == "" {
			t.Errorf("NextUnread returned no article")
		}
	}
}

func TestMarkViewRead(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f1 := addFeed(t, st, "One", "https://one.example/feed")
	f2 := addFeed(t, st, "Two", "https://two.example/feed")
	if _, err := st.SaveArticles(ctx, f1.ID, mkArticles(30, "a", t0), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, f2.ID, mkArticles(20, "b", t0), t0); err != nil {
		t.Fatal(err)
	}
	st.SetRead(ctx, "a-1", true)
	if n, err := st.MarkViewRead(ctx, View{FeedID: f1.ID}); err != nil || n != 29 {
		t.Fatalf("MarkViewRead(feed one) = %d, %v", n, err)
	}
	if n, _ := st.MarkViewRead(ctx, View{FeedID: f1.ID}); n != 0 {
		t.Errorf("second MarkViewRead changed %d", n)
	}
	if n, err := st.MarkViewRead(ctx, View{Query: "b title 1"}); err != nil || n != 11 { // 1, 10..19
		t.Errorf("MarkViewRead(search) = %d, %v", n, err)
	}
	if n, _ := st.MarkViewRead(ctx, View{Query: "  "}); n != 0 {
		t.Errorf("MarkViewRead(empty search) = %d", n)
	}
	st.SetStarred(ctx, "b-0", true)
	st.SetStarred(ctx, "b-1", true)
	if n, _ := st.MarkViewRead(ctx, View{Starred: true}); n != 1 {
		t.Errorf("MarkViewRead(starred) = %d", n)
	}
	p, _ := st.Page(ctx, 1, 100)
	if p.Unread != 8 {
		t.Errorf("unread after all that: %d", p.Unread)
	}
	unread := map[string]bool{"b-2": true, "b-3": true, "b-4": true, "b-5": true, "b-6": true, "b-7": true, "b-8": true, "b-9": true}
	for _, a := range p.Items {
		if a.Read == unread[a.ID] {
			t.Errorf("%s read %v", a.ID, a.Read)
		}
	}
}

func TestFeedCountsAndStarred(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f1 := addFeed(t, st, "One", "https://one.example/feed")
	f2 := addFeed(t, st, "Two", "https://two.example/feed")
	f3 := addFeed(t, st, "Empty", "https://three.example/feed")
	st.SaveArticles(ctx, f1.ID, mkArticles(5, "a", t0), t0)
	st.SaveArticles(ctx, f2.ID, mkArticles(3, "b", t0), t0)
	st.SetRead(ctx, "a-0", true)
	st.SetRead(ctx, "a-1", true)
	st.SetStarred(ctx, "a-1", true)
	st.SetStarred(ctx, "b-2", true)
	fc, err := st.FeedCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, c := range fc {
		got += fmt.Sprintf("%s:%d/%d ", c.Feed.Name, c.Unread, c.Total)
	}
	if got != "One:3/5 Two:3/3 Empty:0/0 " || fc[0].Feed.ID != f1.ID || fc[2].Feed.URL != f3.URL {
		t.Errorf("FeedCounts = %s", got)
	}
	if u, n, err := st.StarredCount(ctx); err != nil || u != 1 || n != 2 {
		t.Errorf("StarredCount = %d/%d, %v", u, n, err)
	}
	p, _ := st.PageOf(ctx, View{Starred: true}, 1, 10)
	if ids(p.Items) != "b-2,a-1" || p.Unread != 1 || p.Total != 2 {
		t.Errorf("starred view %s unread %d", ids(p.Items), p.Unread)
	}
}

func TestPruneKeepsStarred(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	day := 24 * time.Hour
	items := []Article{
		{ID: "newest", Published: t0},
		{ID: "old-starred", Published: t0.Add(-100 * day), FirstSeen: t0.Add(-100 * day)},
		{ID: "old", Published: t0.Add(-100 * day), FirstSeen: t0.Add(-100 * day)},
	}
	st.SaveArticles(ctx, f.ID, items, t0)
	st.SetStarred(ctx, "old-starred", true)
	st.SetRead(ctx, "old-starred", true)
	if n, err := st.Prune(ctx, t0, 90); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	if _, err := st.Article(ctx, "old-starred"); err != nil {
		t.Error("starred article pruned")
	}
	if u, n, _ := st.StarredCount(ctx); u != 0 || n != 1 {
		t.Errorf("StarredCount after prune %d/%d", u, n)
	}
	// Unstarred, it goes at the next prune.
	st.SetStarred(ctx, "old-starred", false)
	if n, _ := st.Prune(ctx, t0, 90); n != 1 {
		t.Errorf("unstarred not pruned: %d", n)
	}
	// The newest stored article goes too when it is old enough, and the
	// next arrival still takes a seq above it: a view pinned before the
	// prune does not take the arrival in.
	pinned, err := st.PageOf(ctx, View{}, 1, 10)
	if err != nil || len(pinned.Items) != 1 {
		t.Fatalf("before the prune: %+v, %v", pinned, err)
	}
	if n, _ := st.Prune(ctx, t0.Add(1000*day), 90); n != 1 {
		t.Errorf("newest stored kept after its time: %d pruned", n)
	}
	st.SaveArticles(ctx, f.ID, []Article{{ID: "later", Title: "later", Published: t0.Add(1000 * day)}}, t0.Add(1000*day))
	if pg, err := st.PageOf(ctx, View{Snapshot: pinned.Snapshot}, 1, 10); err != nil || len(pg.Items) != 0 {
		t.Errorf("the view pinned before the prune took the arrival in: %+v, %v", pg, err)
	}
}

// recount checks feed_counts and article_stats against a count from
// scratch, article_state against articles, and article_feeds against
// both: every article carried by its own feed, with its date and state.
func recount(t *testing.T, st *Store) {
	t.Helper()
	var bad int
	if err := st.db.QueryRow(`SELECT count(*) FROM articles a FULL JOIN article_state s ON s.seq = a.seq
WHERE a.seq IS NULL OR s.seq IS NULL OR a.published <> s.published`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("article_state differs from articles in %d rows", bad)
	}
	if err := st.db.QueryRow(`SELECT count(*) FROM article_feeds m LEFT JOIN article_state s ON s.seq = m.seq
WHERE s.seq IS NULL OR m.published <> s.published OR m.read <> s.read OR m.starred <> s.starred`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("article_feeds differs from article_state in %d rows", bad)
	}
	if err := st.db.QueryRow(`SELECT count(*) FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM article_feeds m WHERE m.seq = a.seq AND m.feed_id = a.feed_id)`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("%d articles not carried by their own feed", bad)
	}
	rows, err := st.db.Query(`
WITH truth AS (
	SELECT feed_id, count(*) AS total, sum(read = 0) AS unread, sum(starred) AS starred,
		sum(starred AND read = 0) AS starred_unread FROM article_feeds GROUP BY feed_id
	UNION ALL
	SELECT 0, count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0),
		coalesce(sum(starred AND read = 0), 0) FROM article_state
)
SELECT coalesce(c.feed_id, t.feed_id), coalesce(c.total, -1), coalesce(c.unread, -1), coalesce(c.starred, -1), coalesce(c.starred_unread, -1),
	coalesce(t.total, 0), coalesce(t.unread, 0), coalesce(t.starred, 0), coalesce(t.starred_unread, 0)
FROM feed_counts c FULL JOIN truth t ON t.feed_id = c.feed_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c, w [4]int
		if err := rows.Scan(&id, &c[0], &c[1], &c[2], &c[3], &w[0], &w[1], &w[2], &w[3]); err != nil {
			t.Fatal(err)
		}
		if c != w {
			t.Errorf("feed %d: counters %v, recounted %v", id, c, w)
		}
	}
	var total, n int
	st.db.QueryRow(`SELECT total FROM article_stats`).Scan(&total)
	st.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n)
	if total != n {
		t.Errorf("article_stats.total %d, articles %d", total, n)
	}
}

// removeFeed deletes a feed the way `feeds remove` may: its articles go by
// cascade, and the anchors are rebuilt in the same transaction.
func removeFeed(t *testing.T, st *Store, id int64) {
	t.Helper()
	ctx := context.Background()
	err := st.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE feed_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id); err != nil {
			return err
		}
		return updateAnchors(ctx, tx, nil, -n)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCountersStayRight(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 5 {
		addFeed(t, st, fmt.Sprintf("F%d", i), fmt.Sprintf("https://f%d.example/feed", i))
	}
	live := func() []Feed {
		fs, err := st.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	for step := range 60 {
		all := refRows(t, st)
		pick := func() string {
			if len(all) == 0 {
				return "none"
			}
			return all[rng.IntN(len(all))].id
		}
		fs := live()
		switch op := rng.IntN(9); {
		case op == 0 && len(fs) > 0:
			randomStore(t, rng, st, fs, 20+rng.IntN(60), fmt.Sprintf("s%d", step))
		case op == 1:
			for range 10 {
				st.SetRead(ctx, pick(), rng.IntN(2) == 0)
			}
		case op == 2:
			for range 5 {
				st.SetStarred(ctx, pick(), rng.IntN(2) == 0)
			}
		case op == 3 && len(fs) > 0:
			v := View{UnreadOnly: rng.IntN(2) == 0, Starred: rng.IntN(3) == 0}
			if rng.IntN(2) == 0 {
				v.FeedID = fs[rng.IntN(len(fs))].ID
			}
			if rng.IntN(3) == 0 {
				v.Query = "manat"
			}
			if _, err := st.MarkViewRead(ctx, v); err != nil {
				t.Fatal(err)
			}
		case op == 4:
			if _, err := st.Prune(ctx, t0.Add(time.Duration(rng.IntN(60))*24*time.Hour), 30); err != nil {
				t.Fatal(err)
			}
		case op == 5 && len(fs) > 2 && step > 20:
			removeFeed(t, st, fs[rng.IntN(len(fs))].ID)
		case op == 6 && len(all) > 0 && len(fs) > 1:
			// Updated in place (ingest): text and date.
			id := pick()
			if _, err := st.db.Exec(`UPDATE articles SET title = 'manat ' || title,
published = published - 3600000000000 WHERE id = ?`, id); err != nil {
				t.Fatal(err)
			}
			err := st.writeTx(ctx, func(tx *sql.Tx) error { return updateAnchors(ctx, tx, nil, 0) })
			if err != nil {
				t.Fatal(err)
			}
		case op == 7:
			addFeed(t, st, fmt.Sprintf("N%d", step), fmt.Sprintf("https://n%d.example/feed", step))
		}
		recount(t, st)
	}
	fs := live()
	if len(fs) == 0 {
		t.Fatal("every feed removed")
	}
	for _, v := range allViews(fs, 0) {
		checkView(t, st, v, 7)
	}
	// FeedCounts agrees with the views.
	fc, err := st.FeedCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fc {
		p, _ := st.PageOf(ctx, View{FeedID: c.Feed.ID}, 1, 1)
		if p.Total != c.Total || p.Unread != c.Unread {
			t.Errorf("%s: FeedCounts %d/%d, view %d/%d", c.Feed.Name, c.Unread, c.Total, p.Unread, p.Total)
		}
	}
}

// A store at schema version 1 with articles and read state is migrated:
// state copied, counters counted.
func TestMigrateReadState(t *testing.T) {
	db := openDB(t, t.TempDir())
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE feeds_schema (version INTEGER NOT NULL)`,
		embeddedMigrations(t)[0],
		`INSERT INTO feeds_schema VALUES (1)`,
		`INSERT INTO feeds (id, url, name) VALUES (1, 'https://one.example/', 'One'), (2, 'https://two.example/', 'Two')`,
		`INSERT INTO articles (id, feed_id, title, published, first_seen, read) VALUES
			('a', 1, 'A', 3, 3, 1), ('b', 1, 'B', 2, 2, 0), ('c', 2, 'C', 1, 1, 0)`,
		`UPDATE article_stats SET total = 3`,
		`INSERT INTO article_anchors VALUES (0, 1, 3)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Page(ctx, 1, 10)
	if err != nil || ids(p.Items) != "a,b,c" || !p.Items[0].Read || p.Items[1].Read || p.Unread != 2 {
		t.Fatalf("migrated page %+v, %v", p, err)
	}
	fc, _ := st.FeedCounts(ctx)
	if len(fc) != 2 || fc[0].Unread != 1 || fc[0].Total != 2 || fc[1].Unread != 1 || fc[1].Total != 1 {
		t.Errorf("migrated counts %+v", fc)
	}
	recount(t, st)
}

// The walks of every view kind seek their own index, covering, and never
// sort or scan the articles.
func TestViewPlansUseTheirIndex(t *testing.T) {
	st := newStore(t)
	plan := func(q string, args ...any) string {
		t.Helper()
		rows, err := st.db.Query(`EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			out = append(out, detail)
		}
		return strings.Join(out, "\n")
	}
	for _, tc := range []struct {
		v     View
		index string
	}{
		{View{FeedID: 1}, pkIndex},
		{View{FeedID: 1, Snapshot: 9}, pkIndex},
		{View{UnreadOnly: true}, "article_state_unread"},
		{View{UnreadOnly: true, Snapshot: 9}, "article_state_unread"},
		{View{FeedID: 1, UnreadOnly: true}, "article_feeds_unread"},
		{View{Starred: true}, "article_state_starred"},
		{View{Starred: true, UnreadOnly: true, FeedID: 1, Snapshot: 9}, "article_feeds_starred"},
	} {
		q := compileView(tc.v)
		using := "USING COVERING INDEX " + tc.index
		if tc.index == pkIndex {
			using = "USING PRIMARY KEY"
		}
		for _, order := range []string{"DESC", "ASC"} {
			sel, args := q.walkSQL("s.seq", order)
			p := plan(sel+" LIMIT 20 OFFSET 100", args...)
			if tc.v.FeedID != 0 && !strings.Contains(p, "(feed_id<?)") && !strings.Contains(p, "(feed_id>?)") {
				t.Errorf("%+v %s walk is not open:\n%s", tc.v, order, p)
			}
			if !strings.Contains(p, using) || strings.Contains(p, "TEMP B-TREE") {
				t.Errorf("%+v %s walk:\n%s", tc.v, order, p)
			}
		}
		for _, extra := range []string{"s.published < ?", "s.published = ? AND s.seq > ?"} {
			sel, args := q.unpinned().selectSQL("count(*)", extra, "")
			if p := plan(sel, append(args, 1, 1)[:len(args)+strings.Count(extra, "?")]...); !strings.Contains(p, "SEARCH s "+using+" (") {
				t.Errorf("%+v rank count %s:\n%s", tc.v, extra, p)
			}
		}
		// Mark the view read: through its unread index.
		u := q.unread()
		where, wargs := u.whereSQL("", "=")
		mark := `UPDATE article_state AS s INDEXED BY ` + u.index + ` SET read = 1 WHERE ` + where
		if u.v.FeedID != 0 {
			sel, _ := u.selectSQL("s.seq", "", "")
			mark = `UPDATE article_state SET read = 1 WHERE seq IN (` + sel + `)`
		}
		if p := plan(mark, wargs...); !strings.Contains(p, "USING COVERING INDEX "+u.index) || u.v.FeedID != 0 && !strings.Contains(p, "SEARCH s USING COVERING INDEX "+u.index+" (feed_id=?)") {
			t.Errorf("%+v mark read:\n%s", tc.v, p)
		}
		// Next unread: a seek, not a walk.
		sel, args := q.unread().selectSQL("s.published, s.seq", "(s.published, s.seq) < (?, ?)", "DESC")
		if p := plan(sel+" LIMIT 1", append(args, 1, 1)...); !strings.Contains(p, "SEARCH s USING COVERING INDEX") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%+v next unread:\n%s", tc.v, p)
		}
	}
	// The rows of a page: looked up by seq, only those sorted.
	p := plan(`SELECT `+listCols+` `+articleFrom+` WHERE a.seq IN (SELECT seq FROM articles INDEXED BY articles_order
WHERE (published, seq) >= (?, ?) AND seq <= ? ORDER BY published, seq LIMIT 20 OFFSET 5) ORDER BY a.published DESC, a.seq DESC`, 1, 1, 9)
	if !strings.Contains(p, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)") || strings.Contains(p, "SCAN a") {
		t.Errorf("page rows:\n%s", p)
	}
	// Arrivals and membership: a rowid range, also in the full-text index.
	for _, v := range []View{{FeedID: 1}, {}, {FeedID: 1, Query: "x"}} {
		q := compileView(v)
		sel, args := q.rowidSQL("count(*)", ">", 5)
		p := plan(sel, args...)
		want := "SEARCH s USING INTEGER PRIMARY KEY (rowid"
		if v.FeedID != 0 {
			want = "SEARCH s USING COVERING INDEX article_feeds_seq (seq"
		}
		if !strings.Contains(p, want) || v.Query != "" && !strings.Contains(p, "M3>") {
			t.Errorf("%+v arrivals:\n%s", v, p)
		}
	}
}

// With a pool of one connection, a statement first met inside a
// transaction is prepared on it rather than waiting for another.
func TestOneConnectionPool(t *testing.T) {
	db := openDB(t, t.TempDir())
	db.SetMaxOpenConns(1)
	st, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := addFeed(t, st, "One", "https://one.example/feed")
	if _, err := st.SaveArticles(ctx, f.ID, mkArticles(30, "a", t0), t0); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := st.SetRead(ctx, "a-3", true); err != nil {
			t.Fatal(err)
		}
		p, err := st.PageOf(ctx, View{FeedID: f.ID, UnreadOnly: true, Snapshot: 5}, 1, 10)
		if err != nil || p.Total != 5 {
			t.Fatalf("page %+v, %v", p, err)
		}
	}
}

// Removing the feed that holds the newest article must not hand that
// article's seq to the next arrival: a view pinned before the removal
// would take the arrival in and move under the reader.
func TestRemovedFeedLendsNoSeq(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	keep := addFeed(t, st, "Keep", "https://keep.example/feed")
	gone := addFeed(t, st, "Gone", "https://gone.example/feed")
	if _, err := st.SaveArticles(ctx, keep.ID, mkArticles(5, "k", t0), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, gone.ID, mkArticles(3, "g", t0.Add(-time.Hour)), t0); err != nil {
		t.Fatal(err)
	}
	pinned, err := st.PageOf(ctx, View{FeedID: keep.ID}, 1, 10)
	if err != nil || len(pinned.Items) != 5 {
		t.Fatalf("pinned page %+v, %v", pinned, err)
	}
	if n, err := st.RemoveFeed(ctx, gone.ID); err != nil || n != 3 {
		t.Fatalf("RemoveFeed = %d, %v", n, err)
	}
	arrival := []Article{{ID: "late", Title: "late", Published: t0.Add(time.Hour)}}
	if _, err := st.SaveArticles(ctx, keep.ID, arrival, t0); err != nil {
		t.Fatal(err)
	}
	v := View{FeedID: keep.ID, Snapshot: pinned.Snapshot}
	pg, err := st.PageOf(ctx, v, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(pg.Items), ids(pinned.Items); got != want || pg.Total != 5 {
		t.Errorf("the pinned view took the arrival in: %s (total %d), was %s", got, pg.Total, want)
	}
	if n, err := st.NewSince(ctx, v); err != nil || n != 1 {
		t.Errorf("NewSince = %d, %v; want the one arrival", n, err)
	}
	// Unpinned, the arrival comes first.
	all, err := st.Page(ctx, 1, 10)
	if err != nil || len(all.Items) != 6 || all.Items[0].ID != "late" {
		t.Fatalf("unpinned page %+v, %v", all, err)
	}
}

// A pruned article that its feed still carries stays gone: it does not
// come back unread at the next refresh. Its key is forgotten only once the
// feed has stopped carrying it for longer than keep_days.
func TestPrunedStaysGone(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	day := 24 * time.Hour
	old := Article{ID: "old", Title: "old", Link: "https://news.example/old", Published: t0.Add(-100 * day)}
	gone := Article{ID: "gone", Title: "gone", Link: "https://news.example/gone", Published: t0.Add(-100 * day)}
	fresh := Article{ID: "fresh", Title: "fresh", Link: "https://news.example/fresh", Published: t0}
	feed := []Article{fresh, old, gone}
	if _, err := st.SaveArticles(ctx, f.ID, feed, t0); err != nil {
		t.Fatal(err)
	}
	st.MarkRead(ctx, "old")
	st.MarkRead(ctx, "gone")
	if n, err := st.Prune(ctx, t0, 90); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want old and gone", n, err)
	}
	seen := func() string {
		rows, err := st.db.Query(`SELECT id FROM articles_seen ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		return strings.Join(ids, ",")
	}
	// The feed still carries both: neither comes back.
	for i, now := range []time.Time{t0.Add(time.Hour), t0.Add(30 * day)} {
		if n, err := st.SaveArticles(ctx, f.ID, feed, now); err != nil || n != 0 {
			t.Fatalf("save %d: %d new, %v; the pruned came back", i, n, err)
		}
	}
	if c, _ := st.Count(ctx); c != 1 {
		t.Fatalf("count %d after the feed carried the pruned again", c)
	}
	// Then the feed drops "gone" and keeps carrying "old".
	later := []Article{fresh, old}
	for _, now := range []time.Time{t0.Add(60 * day), t0.Add(150 * day)} {
		if _, err := st.SaveArticles(ctx, f.ID, later, now); err != nil {
			t.Fatal(err)
		}
	}
	if got := seen(); got != "gone,old" {
		t.Fatalf("remembered %q before the prune", got)
	}
	// 121 days after "gone" was last carried, its key goes; "old" is still
	// carried and stays remembered.
	st.SetStarred(ctx, "fresh", true)
	if _, err := st.Prune(ctx, t0.Add(151*day), 90); err != nil {
		t.Fatal(err)
	}
	if got := seen(); got != "old" {
		t.Errorf("remembered %q after the prune; want old", got)
	}
	if n, _ := st.SaveArticles(ctx, f.ID, later, t0.Add(152*day)); n != 0 {
		t.Errorf("the still carried pruned article came back: %d new", n)
	}
	// An empty answer from the feed forgets nothing.
	if _, err := st.SaveArticles(ctx, f.ID, nil, t0.Add(400*day)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Prune(ctx, t0.Add(401*day), 90); err != nil {
		t.Fatal(err)
	}
	if got := seen(); got != "old" {
		t.Errorf("an empty feed made the store forget: %q", got)
	}
}

// NextUnread from an article that has left the unread-only view (it was
// read there) finds the next unread one after where it was, and its rank
// in the view as it is now.
func TestNextUnreadFromAReadArticle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	if _, err := st.SaveArticles(ctx, f.ID, mkArticles(10, "n", t0), t0); err != nil {
		t.Fatal(err)
	}
	v := View{UnreadOnly: true}
	pg, err := st.PageOf(ctx, v, 1, 3)
	if err != nil || len(pg.Items) != 3 {
		t.Fatalf("page %+v, %v", pg, err)
	}
	for _, a := range pg.Items {
		st.SetRead(ctx, a.ID, true)
	}
	v.Snapshot = pg.Snapshot
	second, err := st.PageOf(ctx, View{Snapshot: pg.Snapshot}, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	a, rank, ok, err := st.NextUnread(ctx, v, pg.Items[2].ID, +1)
	if err != nil || !ok || a.ID != second.Items[3].ID || rank != 0 {
		t.Errorf("NextUnread from the read third = %s at %d, %v, %v; want %s at 0", a.ID, rank, ok, err, second.Items[3].ID)
	}
}
