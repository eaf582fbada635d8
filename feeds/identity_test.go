package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// rssItem is one item of a served test feed.
type rssItem struct{ guid, title, link string }

// rssServer serves RSS documents on loopback, by path; set replaces one.
type rssServer struct {
	*httptest.Server
	mu   sync.Mutex
	docs map[string]string
}

func newRSSServer(t *testing.T) *rssServer {
	t.Helper()
	fs := &rssServer{docs: map[string]string{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		doc, ok := fs.docs[r.URL.Path]
		fs.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, doc)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *rssServer) set(path string, items ...rssItem) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>http://site.example/</link>`)
	for i, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link>`, it.title, it.link)
		if it.guid != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, it.guid)
		}
		fmt.Fprintf(&b, `<pubDate>%s</pubDate></item>`, t0.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	fs.mu.Lock()
	fs.docs[path] = b.String()
	fs.mu.Unlock()
}

// refreshAll refreshes every feed of st once and returns the results by
// feed name.
func refreshAll(t *testing.T, st *Store) map[string]Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fs, err := st.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fe := NewFetcher(st, Options{Timeout: 5 * time.Second})
	fe.now = func() time.Time { return t0.Add(time.Hour) }
	out := map[string]Result{}
	for _, r := range fe.RefreshAll(ctx, fs) {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Feed.Name, r.Err)
		}
		out[r.Feed.Name] = r
	}
	return out
}

// counts returns the FeedCounts of st by feed name, as "unread/total".
func counts(t *testing.T, st *Store) map[string]string {
	t.Helper()
	fc, err := st.FeedCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range fc {
		out[c.Feed.Name] = fmt.Sprintf("%d/%d", c.Unread, c.Total)
	}
	return out
}

// viewIDs returns the ids of the first page (100) of a view and its total.
func viewIDs(t *testing.T, st *Store, v View) (string, int) {
	t.Helper()
	p, err := st.PageOf(context.Background(), v, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ids(p.Items), p.Total
}

// A feed whose items all point at its home page, each with its own GUID,
// stores each of them: five new, five in the feed, five listed.
func TestSameLinkDistinctGUIDsAreDistinctArticles(t *testing.T) {
	srv := newRSSServer(t)
	st := newStore(t)
	var items []rssItem
	for i := range 5 {
		items = append(items, rssItem{guid: fmt.Sprintf("post-%d", i), title: "Home page news", link: "http://site.example/"})
	}
	srv.set("/home", items...)
	addFeed(t, st, "Home", srv.URL+"/home")
	res := refreshAll(t, st)["Home"]
	if res.New != 5 || res.Total != 5 {
		t.Fatalf("refresh: %d new, %d in feed; want 5 new, 5 in feed", res.New, res.Total)
	}
	if c, _ := st.Count(context.Background()); c != 5 {
		t.Errorf("Count = %d, want 5", c)
	}
	if got := counts(t, st)["Home"]; got != "5/5" {
		t.Errorf("FeedCounts: %s, want 5/5", got)
	}
	if _, n := viewIDs(t, st, View{FeedID: res.Feed.ID}); n != 5 {
		t.Errorf("feed view lists %d", n)
	}
	// Fetched again: nothing new, nothing lost.
	if res := refreshAll(t, st)["Home"]; res.New != 0 {
		t.Errorf("refetch: %d new", res.New)
	}
	if c, _ := st.Count(context.Background()); c != 5 {
		t.Errorf("Count after refetch = %d", c)
	}
	// Repeated GUIDs within a fetch are still one item each.
	srv.set("/home", append(items, items[0], items[1])...)
	if res := refreshAll(t, st)["Home"]; res.New != 0 {
		t.Errorf("repeated guids: %d new", res.New)
	}
	recount(t, st)
}

// Two feeds carry one story: the same link (tracking parameters aside)
// and title, their own GUIDs. It is one article, new to and counted in
// both feeds, listed once in all articles and in each feed's view, its
// read state and star the same everywhere.
func TestSameStoryInTwoFeedsIsOneArticleOfBoth(t *testing.T) {
	ctx := context.Background()
	srv := newRSSServer(t)
	st := newStore(t)
	srv.set("/a", rssItem{"a-1", "Tenge steady", "https://agency.example/story?utm_source=a&utm_medium=rss"},
		rssItem{"a-2", "Only in A", "https://agency.example/a-only"})
	srv.set("/b", rssItem{"b-1", "Tenge steady", "HTTPS://Agency.example:443/story?fbclid=xyz#top"},
		rssItem{"b-2", "Only in B", "https://agency.example/b-only"})
	fa := addFeed(t, st, "A", srv.URL+"/a")
	fb := addFeed(t, st, "B", srv.URL+"/b")
	res := refreshAll(t, st)
	if res["A"].New != 2 || res["B"].New != 2 {
		t.Fatalf("refresh: A %d new, B %d new; want 2 and 2", res["A"].New, res["B"].New)
	}
	if c, _ := st.Count(ctx); c != 3 {
		t.Fatalf("Count = %d, want 3", c)
	}
	if got := counts(t, st); got["A"] != "2/2" || got["B"] != "2/2" {
		t.Errorf("FeedCounts %v, want A 2/2, B 2/2", got)
	}
	byFeed, _ := st.CountByFeed(ctx)
	if byFeed[fa.ID].Total != 2 || byFeed[fb.ID].Total != 2 || byFeed[fa.ID].Unread != 2 {
		t.Errorf("CountByFeed %+v", byFeed)
	}
	all, total := viewIDs(t, st, View{})
	if total != 3 || strings.Count(all, ",") != 2 {
		t.Fatalf("all articles: %d [%s], want 3", total, all)
	}
	p, _ := st.PageOf(ctx, View{FeedID: fa.ID}, 1, 10)
	story := p.Items[0]
	if story.Title != "Tenge steady" || p.Total != 2 || story.FeedName != "A" {
		t.Fatalf("A's view: %+v", p)
	}
	p, _ = st.PageOf(ctx, View{FeedID: fb.ID}, 1, 10)
	if p.Total != 2 || p.Items[0].ID != story.ID || p.Items[0].FeedName != "B" {
		t.Fatalf("B's view: %+v", p)
	}
	if r, err := st.RankIn(ctx, View{FeedID: fb.ID}, story.ID); err != nil || r != 0 {
		t.Errorf("RankIn(B) = %d, %v", r, err)
	}
	// Read once, read in both; starred once, starred in both.
	if err := st.MarkRead(ctx, story.ID); err != nil {
		t.Fatal(err)
	}
	if got := counts(t, st); got["A"] != "1/2" || got["B"] != "1/2" {
		t.Errorf("after reading: %v, want A 1/2, B 1/2", got)
	}
	if err := st.SetStarred(ctx, story.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Feed{fa, fb} {
		if got, n := viewIDs(t, st, View{FeedID: f.ID, Starred: true}); n != 1 || got != story.ID {
			t.Errorf("%s starred: [%s]", f.Name, got)
		}
		if _, n := viewIDs(t, st, View{FeedID: f.ID, UnreadOnly: true}); n != 1 {
			t.Errorf("%s unread: %d", f.Name, n)
		}
	}
	if u, n, _ := st.StarredCount(ctx); u != 0 || n != 1 {
		t.Errorf("StarredCount %d/%d, want 0/1", u, n)
	}
	// Marking B's view read marks the article in A too.
	if err := st.SetRead(ctx, story.ID, false); err != nil {
		t.Fatal(err)
	}
	if n, err := st.MarkViewRead(ctx, View{FeedID: fb.ID}); err != nil || n != 2 {
		t.Fatalf("MarkViewRead(B) = %d, %v", n, err)
	}
	if got := counts(t, st); got["A"] != "1/2" || got["B"] != "0/2" {
		t.Errorf("after B read: %v, want A 1/2, B 0/2", got)
	}
	// Fetched again: nothing new anywhere.
	res = refreshAll(t, st)
	if res["A"].New != 0 || res["B"].New != 0 {
		t.Errorf("refetch: A %d new, B %d new", res["A"].New, res["B"].New)
	}
	// Removing A keeps the story (B carries it), now shown as B's.
	if n, err := st.RemoveFeed(ctx, fa.ID); err != nil || n != 1 {
		t.Fatalf("RemoveFeed(A) = %d, %v; want 1 article gone", n, err)
	}
	a, err := st.Article(ctx, story.ID)
	if err != nil || a.FeedName != "B" || !a.Read || !a.Starred {
		t.Errorf("after removing A: %+v, %v", a, err)
	}
	if got := counts(t, st); got["B"] != "0/2" {
		t.Errorf("after removing A: %v", got)
	}
	recount(t, st)
	ftsIntact(t, st)
	orderIntact(t, st)
}

// The same link under another title is another story: two articles. Links
// that differ only in tracking parameters are one.
func TestCrossFeedIdentityNeedsLinkAndTitle(t *testing.T) {
	ctx := context.Background()
	srv := newRSSServer(t)
	st := newStore(t)
	srv.set("/a", rssItem{"a-1", "Som rises", "https://agency.example/live"},
		rssItem{"a-2", "Manat holds", "https://agency.example/m?id=7&utm_campaign=x&gclid=1"})
	srv.set("/b", rssItem{"b-1", "Som falls", "https://agency.example/live"},
		rssItem{"b-2", "Manat holds", "https://agency.example/m?mc_cid=9&id=7&mc_eid=3&_hsenc=p"})
	fa := addFeed(t, st, "A", srv.URL+"/a")
	fb := addFeed(t, st, "B", srv.URL+"/b")
	res := refreshAll(t, st)
	if res["A"].New != 2 || res["B"].New != 2 {
		t.Fatalf("refresh: A %d new, B %d new", res["A"].New, res["B"].New)
	}
	if c, _ := st.Count(ctx); c != 3 {
		t.Errorf("Count = %d, want 3 (two live stories, one manat)", c)
	}
	for _, f := range []Feed{fa, fb} {
		p, _ := st.PageOf(ctx, View{FeedID: f.ID}, 1, 10)
		titles := []string{}
		for _, a := range p.Items {
			titles = append(titles, a.Title)
		}
		if p.Total != 2 || !strings.Contains(strings.Join(titles, "|"), "Manat holds") {
			t.Errorf("%s lists %v", f.Name, titles)
		}
	}
	recount(t, st)
}

// A story two feeds carry, pruned, stays gone from both: neither feed's
// copy comes back as new.
func TestPrunedStoryStaysGoneFromEveryFeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	fa := addFeed(t, st, "A", "https://a.example/feed")
	fb := addFeed(t, st, "B", "https://b.example/feed")
	old := t0.Add(-200 * 24 * time.Hour)
	item := func(id string) []Article {
		return []Article{{ID: id, Title: "Old story", Link: "https://agency.example/old?utm_source=" + id, Published: old, FirstSeen: old}}
	}
	for _, f := range []struct {
		feed Feed
		id   string
	}{{fa, "a-old"}, {fb, "b-old"}} {
		if n, err := st.SaveArticles(ctx, f.feed.ID, item(f.id), old); err != nil || n != 1 {
			t.Fatalf("%s: %d new, %v", f.feed.Name, n, err)
		}
	}
	if c, _ := st.Count(ctx); c != 1 {
		t.Fatalf("Count = %d", c)
	}
	if n, err := st.Prune(ctx, t0, 90); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	for _, f := range []struct {
		feed Feed
		id   string
	}{{fb, "b-old"}, {fa, "a-old"}} {
		if n, err := st.SaveArticles(ctx, f.feed.ID, item(f.id), t0); err != nil || n != 0 {
			t.Errorf("%s brought the pruned story back: %d new, %v", f.feed.Name, n, err)
		}
	}
	if c, _ := st.Count(ctx); c != 0 {
		t.Errorf("Count = %d after refetching", c)
	}
	recount(t, st)
}
