package feeds

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/filter"
)

func mustFilter(t testing.TB, src string) *filter.Filter {
	t.Helper()
	f, err := filter.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func titles(items []Article) []string {
	var out []string
	for _, a := range items {
		out = append(out, a.Title)
	}
	return out
}

// rulesStore holds two feeds: News (group Money/Asia) with five articles
// and Ads with two.
func rulesStore(t *testing.T) (*Store, Feed, Feed) {
	t.Helper()
	ctx := context.Background()
	st := newStore(t)
	if _, err := st.AddFeeds(ctx, []Spec{
		{Name: "News", URL: "https://news.example/feed", Group: "Money/Asia"},
		{Name: "Ads", URL: "https://ads.example/rss"},
	}); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Feeds(ctx)
	if err != nil || len(fs) != 2 {
		t.Fatal(fs, err)
	}
	news, ads := fs[0], fs[1]
	if news.Name != "News" {
		news, ads = ads, news
	}
	base := time.Now().Truncate(time.Second) // age counts from now
	mk := func(id, title, author, content string, ago time.Duration) Article {
		return Article{ID: id, Title: title, Link: "https://news.example/" + id, Author: author,
			Summary: content, Content: content, Published: base.Add(-ago)}
	}
	n3 := mk("n3", "Som falls", "Bakyt", "The som fell.", 3*24*time.Hour)
	n3.Enclosures = []Enclosure{{URL: "https://cdn.news.example/som.mp3", Type: "audio/mpeg", Length: 1 << 20}}
	a2 := mk("a2", "Ad two", "", "More deals.", 90*time.Minute)
	a2.Enclosures = []Enclosure{{URL: "https://cdn.ads.example/ad.mp4", Type: "video/mp4"}, {URL: "https://cdn.ads.example/ad.ogg", Type: "audio/ogg"}}
	if _, err := st.SaveArticles(ctx, news.ID, []Article{
		mk("n1", "Tenge rate rises", "Aida", "The tenge rose against the dollar.", time.Hour),
		mk("n2", "Sponsored: buy a car", "Promo", "Buy now, tenge accepted.", 2*time.Hour),
		n3,
		mk("n4", "Weather in Almaty", "Aida", "Snow tomorrow.", 10*24*time.Hour),
		mk("n5", "Old tenge story", "", "From long ago.", 40*24*time.Hour),
	}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, ads.ID, []Article{
		mk("a1", "Ad one", "", "Tenge deals.", 30*time.Minute),
		a2,
	}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return st, news, ads
}

func page(t *testing.T, st *Store, v View) Page {
	t.Helper()
	p, err := st.PageOf(context.Background(), v, 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantTitles(t *testing.T, what string, p Page, want ...string) {
	t.Helper()
	if got := titles(p.Items); !slices.Equal(got, want) || p.Total != len(want) {
		t.Errorf("%s: %d %q, want %q", what, p.Total, got, want)
	}
}

// TestIgnoreQueryFeedsTogether sets an ignore rule and a query feed and
// checks every view, count and search, read state and arrivals, then
// takes the rule away.
func TestIgnoreQueryFeedsTogether(t *testing.T) {
	ctx := context.Background()
	st, news, ads := rulesStore(t)
	// Marked before the rule hides them (after, they cannot be: ErrIgnored).
	if err := st.SetRead(ctx, "n2", true); err != nil { // read: still ignored
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, "a1", true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRules(Rules{
		Ignore: []*filter.Filter{mustFilter(t, `title =~ "sponsored" or feed = "Ads"`)},
		Queries: []QueryFeed{{Name: "Money", Filter: mustFilter(t,
			`unread = "yes" and (title =~ "tenge|som" or content =~ "tenge")`)}},
	}); err != nil {
		t.Fatal(err)
	}
	// An ignored article is stored, but hidden: not shown, not marked.
	if _, err := st.Article(ctx, "a1"); !errors.Is(err, ErrIgnored) {
		t.Errorf("Article(a1) of an ignored article: %v, want ErrIgnored", err)
	}
	if err := st.SetRead(ctx, "a2", true); !errors.Is(err, ErrIgnored) {
		t.Errorf("SetRead(a2) of an ignored article: %v, want ErrIgnored", err)
	}
	if err := st.SetStarred(ctx, "n2", false); !errors.Is(err, ErrIgnored) {
		t.Errorf("SetStarred(n2) of an ignored article: %v, want ErrIgnored", err)
	}
	if _, err := st.Article(ctx, "n1"); err != nil {
		t.Errorf("Article(n1), not ignored: %v", err)
	}
	if err := st.SetStarred(ctx, "nope", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetStarred(nope): %v, want ErrNotFound", err)
	}
	all := page(t, st, View{})
	wantTitles(t, "all", all, "Tenge rate rises", "Som falls", "Weather in Almaty", "Old tenge story")
	if all.Unread != 4 {
		t.Errorf("all: %d unread, want 4", all.Unread)
	}
	wantTitles(t, "feed Ads", page(t, st, View{FeedID: ads.ID}))
	wantTitles(t, "feed News", page(t, st, View{FeedID: news.ID}), "Tenge rate rises", "Som falls", "Weather in Almaty", "Old tenge story")
	wantTitles(t, "search", page(t, st, View{Query: "buy"}))
	wantTitles(t, "search deals", page(t, st, View{Query: "deals"}))
	wantTitles(t, "starred", page(t, st, View{Starred: true}))
	wantTitles(t, "unread", page(t, st, View{UnreadOnly: true}), "Tenge rate rises", "Som falls", "Weather in Almaty", "Old tenge story")
	counts, err := st.FeedCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		want := map[string][2]int{"News": {4, 4}, "Ads": {0, 0}}[c.Feed.Name]
		if c.Total != want[0] || c.Unread != want[1] {
			t.Errorf("feed %s: %d/%d, want %d/%d", c.Feed.Name, c.Unread, c.Total, want[1], want[0])
		}
	}
	if u, n, err := st.StarredCount(ctx); err != nil || u != 0 || n != 0 {
		t.Errorf("starred count %d/%d, %v; want 0/0 (the starred article is ignored)", u, n, err)
	}
	if _, err := st.RankIn(ctx, View{}, "a1"); !errors.Is(err, ErrNotInView) {
		t.Errorf("RankIn of an ignored article: %v", err)
	}
	if r, err := st.RankIn(ctx, View{}, "n3"); err != nil || r != 1 {
		t.Errorf("RankIn(n3) = %d, %v; want 1", r, err)
	}

	money := View{QueryFeed: "money"}
	q := page(t, st, money)
	wantTitles(t, "Money", q, "Tenge rate rises", "Som falls", "Old tenge story")
	queryCounts := func(wantUnread, wantTotal int) {
		t.Helper()
		qc, err := st.QueryCounts(ctx)
		if err != nil || len(qc) != 1 || qc[0].Name != "Money" || qc[0].Unread != wantUnread || qc[0].Total != wantTotal {
			t.Errorf("QueryCounts = %+v, %v; want Money %d/%d", qc, err, wantUnread, wantTotal)
		}
	}
	queryCounts(3, 3)
	// Read state: the query holds unread articles only.
	if err := st.SetRead(ctx, "n1", true); err != nil {
		t.Fatal(err)
	}
	queryCounts(2, 2)
	// An arrival: counted, and announced to the pinned view.
	pinned := View{QueryFeed: "Money", Snapshot: q.Snapshot}
	if _, err := st.SaveArticles(ctx, news.ID, []Article{
		{ID: "n6", Title: "Som and tenge", Published: time.Now()},
		{ID: "n7", Title: "Sponsored som", Published: time.Now()},
	}, time.Now()); err != nil {
		t.Fatal(err)
	}
	queryCounts(3, 3)
	if n, err := st.NewSince(ctx, pinned); err != nil || n != 1 {
		t.Errorf("NewSince(pinned Money) = %d, %v; want 1", n, err)
	}
	wantTitles(t, "pinned Money", page(t, st, pinned), "Som falls", "Old tenge story")
	a, rank, ok, err := st.NextUnread(ctx, money, "", 1)
	if err != nil || !ok || a.ID != "n6" || rank != 0 {
		t.Errorf("NextUnread(Money) = %s at %d, %v, %v; want n6 at 0", a.ID, rank, ok, err)
	}
	if a, _, ok, err := st.NextUnread(ctx, View{}, "n6", 1); err != nil || !ok || a.ID != "n3" {
		t.Errorf("NextUnread after n6 = %s, %v, %v; want n3 (n7 is ignored, n1 read)", a.ID, ok, err)
	}
	if n, err := st.MarkViewRead(ctx, money); err != nil || n != 3 {
		t.Errorf("MarkViewRead(Money) = %d, %v; want 3", n, err)
	}
	queryCounts(0, 0)
	if u := page(t, st, View{}).Unread; u != 1 {
		t.Errorf("after marking Money read: %d unread, want 1 (the weather)", u)
	}
	if _, err := st.PageOf(ctx, View{QueryFeed: "nope"}, 1, 10); !errors.Is(err, ErrNoQueryFeed) {
		t.Errorf("an unknown query feed: %v", err)
	}

	// Without the rule the ignored articles are back, as they were.
	if err := st.SetRules(Rules{}); err != nil {
		t.Fatal(err)
	}
	all = page(t, st, View{})
	if all.Total != 9 || !slices.Contains(titles(all.Items), "Ad one") || !slices.Contains(titles(all.Items), "Sponsored som") {
		t.Errorf("without rules: %d %q", all.Total, titles(all.Items))
	}
	if u, n, err := st.StarredCount(ctx); err != nil || u != 1 || n != 1 {
		t.Errorf("starred count without rules %d/%d, %v; want 1/1", u, n, err)
	}
}

// TestQueryFeedAttributes runs a query feed per attribute and operator
// through the store and checks it against filter.Match on the stored
// articles: the store's schema (which column each attribute reads) is
// the one Match assumes.
func TestQueryFeedAttributes(t *testing.T) {
	ctx := context.Background()
	st, _, _ := rulesStore(t)
	if err := st.SetStarred(ctx, "n3", true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, "n4", true); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rules := []string{
		`title = "Som falls"`, `title != "Som falls"`, `title =~ "^ad"`, `title !~ "tenge"`,
		`link =~ "/n[12]$"`, `author = "Aida"`, `author = ""`, `content =~ "deals"`,
		`feed = "Ads"`, `feedurl =~ "^https://news"`, `group # "Money"`, `group = "Money/Asia"`, `group # "Asia"`,
		`age < 1`, `age > 5`, `age between 2:20`, `unread = "no"`, `starred = "yes"`, `enclosure = ""`,
		`enclosure_type =~ "audio"`, `enclosure =~ "mp3$"`, `enclosure_type = "video/mp4"`, `enclosure != ""`,
		`enclosure_type !~ "video"`, `not (feed = "News" and author # "Aida")`, `title # "Ad"`,
		`author > 5`, `title <= 0`, `age >= 2 or title == "Ad one"`,
	}
	// Rules whose answer is all or nothing here, by design.
	trivial := map[string]bool{`author > 5`: true,
		`title <= 0`: true, `group # "Asia"`: true}
	all := page(t, st, View{})
	feedOf := map[string]Feed{}
	fs, err := st.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		feedOf[f.Name] = f
	}
	for _, src := range rules {
		f := mustFilter(t, src)
		if err := st.SetRules(Rules{Queries: []QueryFeed{{Name: "q", Filter: f}}}); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var want []string
		for _, a := range all.Items {
			full, err := st.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			fd := feedOf[a.FeedName]
			if f.Match(&filter.Item{Title: full.Title, Link: full.Link, Author: full.Author, Content: full.Content,
				Feed: fd.Name, FeedURL: fd.URL, Group: fd.Group, Published: full.Published,
				Unread: !full.Read, Starred: full.Starred, Enclosures: filterEnclosures(full.Enclosures)}, now) {
				want = append(want, a.Title)
			}
		}
		got := page(t, st, View{QueryFeed: "q"})
		if !slices.Equal(titles(got.Items), want) {
			t.Errorf("%s: store %q, Match %q", src, titles(got.Items), want)
		}
		// The same through the stored matches (rulemat.go).
		if err := st.RebuildRules(ctx); err != nil {
			t.Fatal(err)
		}
		if stale, err := st.RulesStale(ctx); err != nil || stale {
			t.Fatalf("%s: stale %v after RebuildRules, %v", src, stale, err)
		}
		got = page(t, st, View{QueryFeed: "q"})
		if !slices.Equal(titles(got.Items), want) || got.Total != len(want) {
			t.Errorf("%s: stored matches %q (%d), Match %q", src, titles(got.Items), got.Total, want)
		}
		if (len(want) == 0 || len(want) == len(all.Items)) && !trivial[src] {
			t.Errorf("%s selects %d of %d: it tells the store's schema nothing", src, len(want), len(all.Items))
		}
	}
}

// TestHighlightWithIgnoreAndQuery: highlights mark the matching items of
// every page (a feed's, a query feed's), and an ignored article is never
// shown, highlighted or not.
func TestHighlightWithIgnoreAndQuery(t *testing.T) {
	st, news, _ := rulesStore(t)
	if err := st.SetRules(Rules{
		Ignore:    []*filter.Filter{mustFilter(t, `feed = "Ads"`)},
		Highlight: []*filter.Filter{mustFilter(t, `title =~ "tenge|som"`), mustFilter(t, `author = "Aida" and age > 5`)},
		Queries:   []QueryFeed{{Name: "Aida", Filter: mustFilter(t, `author = "Aida"`)}},
	}); err != nil {
		t.Fatal(err)
	}
	high := func(p Page) []string {
		var out []string
		for _, a := range p.Items {
			if a.Highlight {
				out = append(out, a.Title)
			}
		}
		return out
	}
	want := []string{"Tenge rate rises", "Som falls", "Weather in Almaty", "Old tenge story"}
	for _, v := range []View{{}, {FeedID: news.ID}} {
		p := page(t, st, v)
		if got := high(p); !slices.Equal(got, want) || p.Total != 5 {
			t.Errorf("view %+v: %d items, highlighted %q, want %q", v, p.Total, got, want)
		}
	}
	q := page(t, st, View{QueryFeed: "Aida"})
	if got := high(q); !slices.Equal(got, []string{"Tenge rate rises", "Weather in Almaty"}) || q.Total != 2 {
		t.Errorf("query Aida: %q of %q", got, titles(q.Items))
	}
	// Without ignore rules (the fast views), highlights still mark.
	if err := st.SetRules(Rules{Highlight: []*filter.Filter{mustFilter(t, `title =~ "^ad "`)}}); err != nil {
		t.Fatal(err)
	}
	if got := high(page(t, st, View{})); !slices.Equal(got, []string{"Ad one", "Ad two"}) {
		t.Errorf("highlight without ignore: %q", got)
	}
	if err := st.SetRules(Rules{}); err != nil {
		t.Fatal(err)
	}
	if got := high(page(t, st, View{})); len(got) != 0 {
		t.Errorf("no rules, highlighted %q", got)
	}
}

// A rule the store cannot evaluate is refused by SetRules, naming it.
func TestSetRulesRefusesWhatSQLCannot(t *testing.T) {
	st := newStore(t)
	if err := st.SetRules(Rules{Queries: []QueryFeed{{Name: "a", Filter: mustFilter(t, `unread = "yes"`)}, {Name: "A", Filter: mustFilter(t, `unread = "no"`)}}}); err == nil || !strings.Contains(err.Error(), `"A" given twice`) {
		t.Errorf("duplicate query names: %v", err)
	}
}

// An ignore rule reading read state is evaluated afresh (not cached): a
// read article it matches leaves the views at once, and comes back unread.
func TestIgnoreRuleOnReadState(t *testing.T) {
	ctx := context.Background()
	st, _, _ := rulesStore(t)
	if err := st.SetRules(Rules{Ignore: []*filter.Filter{mustFilter(t, `unread = "no" and feed = "Ads"`)}}); err != nil {
		t.Fatal(err)
	}
	if p := page(t, st, View{}); p.Total != 7 {
		t.Fatalf("%d articles, want 7", p.Total)
	}
	if err := st.SetRead(ctx, "a1", true); err != nil {
		t.Fatal(err)
	}
	if p := page(t, st, View{}); p.Total != 6 || slices.Contains(titles(p.Items), "Ad one") {
		t.Errorf("read and ignored: %d %q", p.Total, titles(p.Items))
	}
	// Starring leaves it hidden: refused; marking it unread brings it back.
	if err := st.SetStarred(ctx, "a1", true); !errors.Is(err, ErrIgnored) {
		t.Errorf("starring a hidden article: %v, want ErrIgnored", err)
	}
	if u, n, err := st.StarredCount(ctx); err != nil || n != 0 {
		t.Errorf("starred %d/%d, %v after a refused star", u, n, err)
	}
	if err := st.SetRead(ctx, "a1", false); err != nil {
		t.Fatal(err)
	}
	if p := page(t, st, View{}); p.Total != 7 || p.Unread != 7 {
		t.Errorf("unread again: %d (%d unread), want 7", p.Total, p.Unread)
	}
}

// The cached verdicts of a rule on a feed's name are made again when the
// feed is renamed.
func TestIgnoreCacheFollowsARename(t *testing.T) {
	ctx := context.Background()
	st, _, ads := rulesStore(t)
	if err := st.SetRules(Rules{Ignore: []*filter.Filter{mustFilter(t, `feed = "Promo"`)}}); err != nil {
		t.Fatal(err)
	}
	if p := page(t, st, View{}); p.Total != 7 {
		t.Fatalf("%d articles, want 7", p.Total)
	}
	if _, err := st.db.ExecContext(ctx, `UPDATE feeds SET name = 'Promo' WHERE id = ?`, ads.ID); err != nil {
		t.Fatal(err)
	}
	if p := page(t, st, View{}); p.Total != 5 {
		t.Errorf("after the rename: %d articles, want 5", p.Total)
	}
}

func filterEnclosures(list []Enclosure) []filter.Enclosure {
	var out []filter.Enclosure
	for _, e := range list {
		out = append(out, filter.Enclosure{URL: e.URL, Type: e.Type})
	}
	return out
}
