package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNormURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://LOCALHOST/feed":               "http://localhost/feed",
		"HTTPS://Example.COM/Path/Feed.xml":   "https://example.com/Path/Feed.xml",
		"http://example.com:80/feed#latest":   "http://example.com/feed",
		"https://example.com:443/feed":        "https://example.com/feed",
		"https://example.com:80/feed":         "https://example.com:80/feed",
		"http://[::1]:80/feed":                "http://[::1]/feed",
		"  https://a.example/rss?x=1&y=2  ":   "https://a.example/rss?x=1&y=2",
		"https://bob:s3cret@Private.example/": "https://bob:s3cret@private.example/",
		"https://a.example/\x1b[31mfeed":      "https://a.example/feed",
	} {
		got, err := NormURL(in)
		if err != nil || got != want {
			t.Errorf("NormURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, reason := range map[string]string{
		"ftp://files.example/feed.xml": "not an http(s) URL",
		"file:///etc/passwd":           "not an http(s) URL",
		"javascript:alert(1)":          "not an http(s) URL",
		"feeds.example/rss":            "not an http(s) URL",
		"http:///feed":                 "URL without a host",
		"http://a b.example/":          "not a valid URL",
		"":                             "no URL",
		"https://x.example/" + strings.Repeat("a", MaxURLLen): "URL longer than",
	} {
		if _, err := NormURL(in); err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("NormURL(%.40q) error %v, want %q", in, err, reason)
		}
	}
}

func TestNormGroupAndNames(t *testing.T) {
	for in, want := range map[string]string{
		" News / Asia/ ":   "News/Asia",
		"//":               "",
		"Новости\x1b[2J":   "Новости",
		"a\u202eb/c":       "ab/c",
		"News":             "News",
		"Spaced   out/ x ": "Spaced out/x",
	} {
		if got := NormGroup(in); got != want {
			t.Errorf("NormGroup(%q) = %q, want %q", in, got, want)
		}
	}
	sp, ok := NormSpec(Spec{Name: strings.Repeat("n", 5000), URL: "https://x.example/"})
	if !ok || len([]rune(sp.Name)) != MaxNameLen || !strings.HasSuffix(sp.Name, "…") {
		t.Errorf("long name kept as %d characters", len([]rune(sp.Name)))
	}
}

func TestSyncFeedsCarriesGroups(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	fs, err := st.SyncFeeds(ctx, []Spec{
		{Name: "Times", URL: "https://timesca.com/feed/", Group: " News / Asia "},
		{Name: "Plain", URL: "https://plain.example/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if fs[0].Group != "News/Asia" || fs[1].Group != "" || fs[0].Origin != OriginConfig {
		t.Errorf("feeds %+v", fs)
	}
	// The config's group wins, also over an import of the same URL.
	if added, _ := st.AddFeeds(ctx, []Spec{{Name: "x", URL: "https://plain.example/", Group: "Imported"}}); len(added) != 0 {
		t.Errorf("an active config feed was imported again: %+v", added)
	}
	fs, _ = st.SyncFeeds(ctx, []Spec{{Name: "Times", URL: "https://timesca.com/feed/", Group: "Elsewhere"}})
	if len(fs) != 1 || fs[0].Group != "Elsewhere" {
		t.Errorf("regrouped: %+v", fs)
	}
}

// Issue 13: a running dashboard notices feeds added or removed by the CLI.
func TestFeedsGenerationChangesWithTheFeedSetOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := newStoreIn(t, dir)
	other := newStoreIn(t, dir) // another process's connection to the same file
	gen := func() int64 {
		t.Helper()
		n, err := other.FeedsGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	step := func(what string, changes bool, fn func()) {
		t.Helper()
		before := gen()
		fn()
		if after := gen(); (after != before) != changes {
			t.Errorf("%s: generation %d → %d, want changed=%v", what, before, after, changes)
		}
	}
	specs := []Spec{{Name: "A", URL: "https://a.example/"}, {Name: "B", URL: "https://b.example/"}}
	step("first sync", true, func() { st.SyncFeeds(ctx, specs) })
	step("same sync again", false, func() { st.SyncFeeds(ctx, specs) })
	step("rename in config", true, func() {
		st.SyncFeeds(ctx, []Spec{{Name: "A2", URL: "https://a.example/"}, specs[1]})
	})
	var imported Feed
	step("import", true, func() { imported = addFeed(t, st, "C", "https://c.example/") })
	step("fetch status", false, func() {
		if _, err := st.SaveArticles(ctx, imported.ID, []Article{{ID: "x", Title: "x"}}, t0); err != nil {
			t.Fatal(err)
		}
		if err := st.writeTx(ctx, func(tx *sql.Tx) error {
			imported.LastStatus, imported.LastFetch, imported.ETag = "ok", t0, `"v1"`
			return setStatus(ctx, tx, imported)
		}); err != nil {
			t.Fatal(err)
		}
	})
	step("import of a present URL", false, func() { st.AddFeeds(ctx, []Spec{{Name: "C", URL: "https://c.example/"}}) })
	step("remove", true, func() {
		if _, err := st.RemoveFeed(ctx, imported.ID); err != nil {
			t.Fatal(err)
		}
	})
	step("dropped from config", true, func() { st.SyncFeeds(ctx, specs[:1]) })
}

func TestFindAndRemoveFeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := st.SyncFeeds(ctx, []Spec{{Name: "Config One", URL: "https://config.example/feed"}}); err != nil {
		t.Fatal(err)
	}
	news := addFeed(t, st, "Новости", "https://bob:pw@news.example/rss")
	twin1 := addFeed(t, st, "Twin", "https://twin1.example/")
	twin2 := addFeed(t, st, "twin", "https://twin2.example/")
	var arts []Article
	for i := range 300 {
		arts = append(arts, Article{ID: fmt.Sprintf("n%d", i), Title: "news", Published: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := st.SaveArticles(ctx, news.ID, arts, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, twin1.ID, []Article{{ID: "t1", Title: "twin one", Published: t0.Add(time.Hour)}}, t0); err != nil {
		t.Fatal(err)
	}

	ids := func(fs []Feed) string {
		var s []string
		for _, f := range fs {
			s = append(s, fmt.Sprint(f.ID))
		}
		return strings.Join(s, ",")
	}
	for q, want := range map[string]string{
		"НОВОСТИ":                           fmt.Sprint(news.ID),
		"https://bob:pw@NEWS.example/rss#x": fmt.Sprint(news.ID),
		"https://***@news.example/rss":      fmt.Sprint(news.ID),
		"TWIN":                              fmt.Sprintf("%d,%d", twin1.ID, twin2.ID),
		"https://twin2.example:443/":        fmt.Sprint(twin2.ID),
		"nobody":                            "",
		"https://news.example/rss":          "",
	} {
		got, err := st.FindFeeds(ctx, q)
		if err != nil || ids(got) != want {
			t.Errorf("FindFeeds(%q) = %s, %v; want %s", q, ids(got), err, want)
		}
	}

	cfg, _ := st.FindFeeds(ctx, "config one")
	if _, err := st.RemoveFeed(ctx, cfg[0].ID); !errors.Is(err, ErrConfigFeed) {
		t.Errorf("removing a config feed: %v", err)
	}
	n, err := st.RemoveFeed(ctx, news.ID)
	if err != nil || n != 300 {
		t.Fatalf("RemoveFeed = %d, %v; want its 300 articles", n, err)
	}
	if _, err := st.RemoveFeed(ctx, news.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if c, _ := st.Count(ctx); c != 1 {
		t.Errorf("%d articles left, want 1", c)
	}
	p, err := st.Page(ctx, 1, 10)
	if err != nil || p.Total != 1 || len(p.Items) != 1 || p.Items[0].Title != "twin one" {
		t.Errorf("page after remove: %+v, %v", p, err)
	}
	if got, _ := st.Feeds(ctx); ids(got) != fmt.Sprintf("%d,%d,%d", cfg[0].ID, twin1.ID, twin2.ID) {
		t.Errorf("feeds after remove: %s", ids(got))
	}
	// Added again, it starts afresh.
	again := addFeed(t, st, "Новости", "https://bob:pw@news.example/rss")
	if counts, _ := st.CountByFeed(ctx); counts[again.ID].Total != 0 {
		t.Errorf("re-added feed has old articles: %+v", counts[again.ID])
	}
}

func TestCountByFeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	a := addFeed(t, st, "A", "https://a.example/")
	b := addFeed(t, st, "B", "https://b.example/")
	addFeed(t, st, "Empty", "https://empty.example/")
	st.SaveArticles(ctx, a.ID, []Article{{ID: "1", Title: "1"}, {ID: "2", Title: "2"}, {ID: "3", Title: "3"}}, t0)
	st.SaveArticles(ctx, b.ID, []Article{{ID: "4", Title: "4"}}, t0)
	p, _ := st.Page(ctx, 1, 10)
	for _, it := range p.Items {
		if it.Title == "1" || it.Title == "4" {
			if err := st.MarkRead(ctx, it.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := st.CountByFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]FeedCount{a.ID: {Unread: 2, Total: 3}, b.ID: {Unread: 0, Total: 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CountByFeed = %v, want %v", got, want)
	}
}

// A store made by the first schema version gains groups and the
// generation counter, and keeps its feeds.
func TestMigrationAddsGroupsToAnOldStore(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, t.TempDir())
	for _, q := range []string{
		`CREATE TABLE feeds_schema (version INTEGER NOT NULL)`,
		embeddedMigrations(t)[0],
		`INSERT INTO feeds_schema VALUES (1)`,
		`INSERT INTO feeds (url, name, origin) VALUES ('https://old.example/', 'Old', 'import')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := st.Feeds(ctx)
	if err != nil || len(fs) != 1 || fs[0].Name != "Old" || fs[0].Group != "" || fs[0].Origin != OriginImport {
		t.Fatalf("old feed after migration: %+v, %v", fs, err)
	}
	g0, err := st.FeedsGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addFeed(t, st, "New", "https://new.example/")
	if g1, _ := st.FeedsGeneration(ctx); g1 == g0 {
		t.Error("generation did not move after the migration")
	}
}

func newStoreIn(tb testing.TB, dir string) *Store {
	tb.Helper()
	st, err := OpenStore(openDB(tb, dir))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// BenchmarkFeedsGeneration is the dashboard's poll with 10,000 feeds: one
// row lookup, whatever the number of feeds.
func BenchmarkFeedsGeneration(b *testing.B) {
	ctx := context.Background()
	st := newStore(b)
	specs := make([]Spec, 10_000)
	for i := range specs {
		specs[i] = Spec{Name: fmt.Sprint("feed ", i), URL: fmt.Sprintf("https://f%d.example/rss", i)}
	}
	if added, err := st.AddFeeds(ctx, specs); err != nil || len(added) != len(specs) {
		b.Fatalf("added %d: %v", len(added), err)
	}
	for b.Loop() {
		if _, err := st.FeedsGeneration(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

type codedErr int

func (c codedErr) Error() string { return "sqlite error" }
func (c codedErr) Code() int     { return int(c) }

func TestIsBusy(t *testing.T) {
	for err, want := range map[error]bool{
		codedErr(5):                         true, // SQLITE_BUSY
		codedErr(6):                         true, // SQLITE_LOCKED
		codedErr(5 | 2<<8):                  true, // SQLITE_BUSY_SNAPSHOT
		fmt.Errorf("save: %w", codedErr(5)): true,
		codedErr(11):                        false, // SQLITE_CORRUPT
		errors.New("database is locked"):    false, // text is not a code
	} {
		if got := IsBusy(err); got != want {
			t.Errorf("IsBusy(%v) = %v", err, got)
		}
	}
}
