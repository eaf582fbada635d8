package feeds

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// mkArticles makes n articles for feed, one minute apart, newest first,
// plus a few sharing the same date to exercise the tiebreak.
func mkArticles(n int, prefix string, start time.Time) []Article {
	out := make([]Article, n)
	for i := range out {
		out[i] = Article{
			ID:        fmt.Sprintf("%s-%d", prefix, i),
			Title:     fmt.Sprintf("%s title %d", prefix, i),
			Link:      fmt.Sprintf("https://example.com/%s/%d", prefix, i),
			Summary:   "summary",
			Published: start.Add(-time.Duration(i/3) * time.Minute), // three per minute
		}
	}
	return out
}

func TestPagingOrderClampAndRank(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Test", "https://example.com/feed")
	const n = 1000 // several anchor blocks (anchorEvery = 128)
	items := mkArticles(n, "a", t0)
	// Store in three transactions, oldest first, so the order comes from
	// the dates and the tiebreak, not from insertion.
	// Chunks arrive oldest first (the usual refresh: anchors updated
	// incrementally), then one older chunk lands in the middle, then one
	// below everything (backfill: partial and full recomputation). Chunk
	// bounds do not split a minute: among equal dates, store order decides.
	for _, chunk := range [][]Article{items[501:801], items[102:300], items[:102], items[300:501], items[801:]} {
		if _, err := st.SaveArticles(ctx, f.ID, chunk, t0); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := st.Count(ctx); c != n {
		t.Fatalf("Count = %d", c)
	}
	const size = 7
	var all []Article
	for p := 1; ; p++ {
		pg, err := st.Page(ctx, p, size)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != n || pg.Pages != (n+size-1)/size || pg.Page != p || pg.Size != size {
			t.Fatalf("page %d header %+v", p, pg)
		}
		all = append(all, pg.Items...)
		if p == pg.Pages {
			if len(pg.Items) != n%size {
				t.Fatalf("last page has %d", len(pg.Items))
			}
			break
		}
		if len(pg.Items) != size {
			t.Fatalf("page %d has %d items", p, len(pg.Items))
		}
	}
	if len(all) != n {
		t.Fatalf("pages hold %d articles", len(all))
	}
	for i, a := range all {
		// Newest first; within a minute the feed's order is kept.
		if a.ID != fmt.Sprintf("a-%d", i) {
			t.Fatalf("position %d holds %s", i, a.ID)
		}
		if a.FeedName != "Test" {
			t.Fatalf("FeedName %q", a.FeedName)
		}
	}
	for _, i := range []int{0, 1, 127, 128, 129, 500, 998, 999} {
		r, err := st.Rank(ctx, fmt.Sprintf("a-%d", i))
		if err != nil || r != i {
			t.Errorf("Rank(a-%d) = %d, %v", i, r, err)
		}
	}
	if _, err := st.Rank(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Rank(missing) err %v", err)
	}
	// Clamping.
	for _, tc := range []struct{ in, want int }{{0, 1}, {-5, 1}, {10_000, 143}} {
		pg, err := st.Page(ctx, tc.in, size)
		if err != nil || pg.Page != tc.want || len(pg.Items) == 0 {
			t.Errorf("Page(%d) = page %d, %d items, %v", tc.in, pg.Page, len(pg.Items), err)
		}
	}
}

func TestPageEmptyStore(t *testing.T) {
	st := newStore(t)
	pg, err := st.Page(context.Background(), 3, 10)
	if err != nil || pg.Page != 1 || pg.Pages != 1 || pg.Total != 0 || len(pg.Items) != 0 {
		t.Fatalf("empty page %+v %v", pg, err)
	}
}

// The page query must seek the order index, never scan or sort.
func TestPagePlanUsesIndex(t *testing.T) {
	st := newStore(t)
	for _, q := range []string{
		`SELECT seq FROM articles INDEXED BY articles_order WHERE (published, seq) >= (1, 1) AND seq <= 9
ORDER BY published, seq LIMIT 20 OFFSET 100`,
		`SELECT count(*) FROM articles WHERE (published, seq) >= (1, 1) AND (published, seq) < (5, 5)`,
	} {
		rows, err := st.db.Query(`EXPLAIN QUERY PLAN ` + q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "\n")
		if !strings.Contains(p, "SEARCH a USING INDEX articles_order") && !strings.Contains(p, "SEARCH articles USING COVERING INDEX articles_order") {
			t.Errorf("plan does not seek the order index:\n%s", p)
		}
		if strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN a") {
			t.Errorf("plan sorts or scans:\n%s", p)
		}
	}
}

func TestSaveArticlesDedupe(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f1 := addFeed(t, st, "One", "https://one.example/feed")
	f2 := addFeed(t, st, "Two", "https://two.example/feed")
	items := []Article{
		{ID: "x1", Title: "First", Link: "https://news.example/1", Published: t0},
		{ID: "x1", Title: "Same id again", Link: "https://news.example/1b", Published: t0},
		{ID: "x2", Title: "Same link", Link: "https://news.example/1", Published: t0},
		{ID: "x3", Title: "No link", Published: t0},
	}
	// Repeated ids are one item; distinct ids are distinct articles,
	// whatever their links.
	n, err := st.SaveArticles(ctx, f1.ID, items, t0)
	if err != nil || n != 3 {
		t.Fatalf("first save: %d, %v", n, err)
	}
	n, err = st.SaveArticles(ctx, f1.ID, items, t0.Add(time.Hour))
	if err != nil || n != 0 {
		t.Fatalf("second save: %d new, %v", n, err)
	}
	// Another feed carrying the same link and title: one article, new to
	// the feed; the same link under another title: another article.
	n, err = st.SaveArticles(ctx, f2.ID, []Article{
		{ID: "y1", Title: "First", Link: "https://NEWS.example/1?utm_source=two", Published: t0},
		{ID: "y2", Title: "Syndicated", Link: "https://news.example/1", Published: t0},
	}, t0)
	if err != nil || n != 2 {
		t.Fatalf("cross-feed link: %d new, %v", n, err)
	}
	if c, _ := st.Count(ctx); c != 4 {
		t.Fatalf("Count = %d", c)
	}
	byFeed, _ := st.CountByFeed(ctx)
	if byFeed[f1.ID].Total != 3 || byFeed[f2.ID].Total != 2 {
		t.Fatalf("CountByFeed = %+v", byFeed)
	}
	a, err := st.Article(ctx, "x1")
	if err != nil || a.Title != "First" || a.FeedName != "One" || a.Read {
		t.Fatalf("Article = %+v, %v", a, err)
	}
	if err := st.MarkRead(ctx, "x1"); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.Article(ctx, "x1"); !a.Read {
		t.Error("MarkRead did not stick")
	}
	if err := st.MarkRead(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkRead(missing) = %v", err)
	}
	if _, err := st.Article(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article(missing) = %v", err)
	}
}

func TestSaveArticlesCleansAgain(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Evil \x1b]0;x\a", "https://evil.example/feed")
	_, err := st.SaveArticles(ctx, f.ID, []Article{{
		ID: "e", Title: "t\x1b[2J", Summary: "&#27;[2J", Content: "a\u009b\nb",
		Author: "\u202eauthor", Link: "javascript:x", Published: t0,
	}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.Article(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	assertSafeArticle(t, a)
	if a.Title != "t" || a.Link != "" || a.Content != "a\nb" || a.FeedName != "Evil" {
		t.Errorf("stored %+v", a)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "1", Title: "Tenge weakens against the dollar", Summary: "The National Bank of Kazakhstan", Published: t0},
		{ID: "2", Title: "Som steady", Summary: "Kyrgyzstan's central bank", Content: "The tenge was mentioned in the body.", Published: t0.Add(-time.Hour)},
		{ID: "3", Title: "Курс тенге снизился", Summary: "Нацбанк Казахстана", Published: t0.Add(-2 * time.Hour)},
		{ID: "4", Title: `Quotes "AND" (parens) NEAR stars*`, Summary: "operators as words", Published: t0.Add(-3 * time.Hour)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	ids := func(p Page) string {
		var s []string
		for _, a := range p.Items {
			s = append(s, a.ID)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct{ q, want string }{
		{"tenge", "1,2"},      // title and content, newest first
		{"TENGE dollar", "1"}, // AND of words, case folded
		{"Kazakh", "1"},       // prefix
		{"тенге", "3"},        // Cyrillic
		{"ТЕНГЕ", "3"},        // Cyrillic case folding
		{"central bank", "2"}, // summary
		{`"`, ""},             // hostile: lone quote
		{`AND (`, "4"},        // operators are words
		{`NEAR(tenge dollar)`, ""},
		{`stars* "AND"`, "4"},
		{`col:tenge`, ""},
		{`title:tenge`, ""},
		{"-tenge", "1,2"}, // punctuation is not an operator
		{"^tenge", "1,2"},
		{"   ", ""},
		{"\x1b[2J", ""},
	} {
		p, err := st.Search(ctx, tc.q, 1, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		if got := ids(p); got != tc.want {
			t.Errorf("Search(%q) = [%s], want [%s]", tc.q, got, tc.want)
		}
		if p.Query != tc.q || p.Pages < 1 || p.Total != len(p.Items) {
			t.Errorf("Search(%q) header %+v", tc.q, p)
		}
	}
	// Paging and clamping of search results.
	p, err := st.Search(ctx, "tenge", 5, 1)
	if err != nil || p.Page != 2 || p.Pages != 2 || ids(p) != "2" {
		t.Errorf("search page clamp: %+v %v", p, err)
	}
	// The index follows updates and deletes.
	if _, err := st.Prune(ctx, t0.Add(200*24*time.Hour), 90); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Search(ctx, "tenge", 1, 10); p.Total != 0 {
		t.Errorf("pruned articles still found: %+v", p)
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	now := t0
	day := 24 * time.Hour
	items := []Article{
		{ID: "new", Published: now.Add(-day), FirstSeen: now.Add(-day)},
		{ID: "old-read", Published: now.Add(-100 * day), FirstSeen: now.Add(-100 * day)},
		{ID: "old-unread", Published: now.Add(-100 * day), FirstSeen: now.Add(-100 * day)},
		// Backfilled: an old article first seen this week and unread stays.
		{ID: "old-fresh-unread", Published: now.Add(-200 * day), FirstSeen: now.Add(-2 * day)},
		// ...unless it has been read.
		{ID: "old-fresh-read", Published: now.Add(-200 * day), FirstSeen: now.Add(-2 * day)},
		{ID: "edge-kept", Published: now.Add(-89 * day), FirstSeen: now.Add(-89 * day)},
	}
	for i := range items {
		items[i].Title = items[i].ID
		items[i].Link = "https://news.example/" + items[i].ID
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, now); err != nil {
		t.Fatal(err)
	}
	st.MarkRead(ctx, "old-read")
	st.MarkRead(ctx, "old-fresh-read")
	n, err := st.Prune(ctx, now, 90)
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3", n, err)
	}
	for _, id := range []string{"new", "old-fresh-unread", "edge-kept"} {
		if _, err := st.Article(ctx, id); err != nil {
			t.Errorf("%s pruned: %v", id, err)
		}
	}
	for _, id := range []string{"old-read", "old-unread", "old-fresh-read"} {
		if _, err := st.Article(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s kept", id)
		}
	}
	// Count and paging follow the prune.
	if c, _ := st.Count(ctx); c != 3 {
		t.Errorf("Count = %d", c)
	}
	if p, _ := st.Page(ctx, 1, 10); len(p.Items) != 3 || p.Total != 3 {
		t.Errorf("page after prune %+v", p)
	}
	// keepDays < 1 means 90.
	if n, _ := st.Prune(ctx, now, 0); n != 0 {
		t.Errorf("default keep pruned %d", n)
	}
	if n, _ := st.Prune(ctx, now, 30); n != 1 {
		t.Errorf("keep 30 pruned %d, want 1 (edge-kept)", n)
	}
}

func TestSyncAndAddFeeds(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	fs, err := st.SyncFeeds(ctx, []Spec{
		{Name: "Times", URL: "https://timesca.com/feed/", Refresh: 15 * time.Minute},
		{Name: "Eurasianet", URL: "https://eurasianet.org/feed"},
		{Name: "dup", URL: "https://timesca.com/feed/"},
		{Name: "bad", URL: "ftp://x.example/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	names := func(fs []Feed) string {
		var s []string
		for _, f := range fs {
			s = append(s, f.Name)
		}
		return strings.Join(s, ",")
	}
	if names(fs) != "Times,Eurasianet" || fs[0].Refresh != 15*time.Minute {
		t.Fatalf("feeds %+v", fs)
	}
	timesID := fs[0].ID
	added, err := st.AddFeeds(ctx, []Spec{
		{Name: "24", URL: "https://24.kg/rss/"},
		{Name: "again", URL: "https://24.kg/rss/"},
		{Name: "Times dup", URL: "https://timesca.com/feed/"},
		{Name: "", URL: "https://kun.uz/news/rss"},
	})
	if err != nil || len(added) != 2 || added[1].Name != "kun.uz" {
		t.Fatalf("AddFeeds = %+v, %v", added, err)
	}
	// Config order changes, Eurasianet leaves the config, imports follow.
	fs, err = st.SyncFeeds(ctx, []Spec{
		{Name: "Astana Times", URL: "https://astanatimes.com/feed/"},
		{Name: "Times (renamed)", URL: "https://timesca.com/feed/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(fs); got != "Astana Times,Times (renamed),24,kun.uz" {
		t.Fatalf("after resync: %s", got)
	}
	if fs[1].ID != timesID {
		t.Errorf("upsert changed the id")
	}
	if got, _ := st.Feeds(ctx); names(got) != names(fs) {
		t.Errorf("Feeds() = %s", names(got))
	}
	// Re-adding Eurasianet by import reactivates it.
	added, _ = st.AddFeeds(ctx, []Spec{{Name: "E", URL: "https://eurasianet.org/feed"}})
	if len(added) != 1 {
		t.Errorf("inactive feed not re-added: %+v", added)
	}
}

func TestOpenStoreTwice(t *testing.T) {
	db := openDB(t, t.TempDir())
	st, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	f := addFeed(t, st, "x", "https://x.example/")
	if _, err := st.SaveArticles(context.Background(), f.ID, []Article{{ID: "a", Title: "a"}}, t0); err != nil {
		t.Fatal(err)
	}
	st2, err := OpenStore(db)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	var v int
	db.QueryRow(`SELECT version FROM feeds_schema`).Scan(&v)
	if v != len(embeddedMigrations(t)) {
		t.Errorf("schema version %d", v)
	}
	if c, _ := st2.Count(context.Background()); c != 1 {
		t.Errorf("data lost on reopen: %d", c)
	}
}
