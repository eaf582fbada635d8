package feeds

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/steppe-news/steppe/internal/filter"
)

// TestStoredMatchesAgreeWithPlainPath runs query feeds of every shape
// (static, static and state, static and age, state or text, with static
// and state-reading ignore rules) through a sequence of reads, stars,
// arrivals, changed texts, a rename and a removal, and checks after each
// that their pages and counts from the stored matches are those of the
// rules' plain path, and that the stored matches were up to date.
func TestStoredMatchesAgreeWithPlainPath(t *testing.T) {
	ctx := context.Background()
	queries := []QueryFeed{
		{Name: "Money", Filter: mustFilter(t, `unread = "yes" and (title =~ "tenge|som" or content =~ "tenge")`)},
		{Name: "Tenge", Filter: mustFilter(t, `title =~ "tenge" or content =~ "tenge"`)},
		{Name: "Recent", Filter: mustFilter(t, `feed = "News" and age < 5`)},
		{Name: "Kept", Filter: mustFilter(t, `starred = "yes" and author != "" and unread = "no"`)},
		{Name: "Either", Filter: mustFilter(t, `unread = "no" or title =~ "som"`)}, // no static part
		{Name: "Group", Filter: mustFilter(t, `group # "Money"`)},
	}
	for _, ignore := range []string{`title =~ "sponsored" or feed = "Ads"`, `unread = "no" and title =~ "weather"`} {
		t.Run(ignore, func(t *testing.T) {
			st, news, ads := rulesStore(t)
			rules := Rules{Ignore: []*filter.Filter{mustFilter(t, ignore)}, Queries: queries,
				Highlight: []*filter.Filter{mustFilter(t, `title =~ "som"`)}}
			if err := st.SetRules(rules); err != nil {
				t.Fatal(err)
			}
			plain, err := OpenStore(st.db)
			if err != nil {
				t.Fatal(err)
			}
			plain.plainRules = true
			if err := plain.SetRules(rules); err != nil {
				t.Fatal(err)
			}
			// Set before any save stored them: stale, and right by the
			// plain path.
			if stale, err := st.RulesStale(ctx); err != nil || !stale {
				t.Fatalf("stale %v, %v before the first rebuild", stale, err)
			}
			check := func(step string) {
				t.Helper()
				for _, q := range queries {
					for _, v := range []View{{QueryFeed: q.Name}, {QueryFeed: q.Name, UnreadOnly: true}, {QueryFeed: q.Name, Starred: true}} {
						got, err := st.PageOf(ctx, v, 1, 3)
						if err != nil {
							t.Fatal(err)
						}
						want, err := plain.PageOf(ctx, v, 1, 3)
						if err != nil {
							t.Fatal(err)
						}
						if g, w := pageSummary(got), pageSummary(want); g != w {
							t.Errorf("%s: %+v: stored %s, plain %s", step, v, g, w)
						}
						if got.Pages > 1 {
							got, _ = st.PageOf(ctx, v, got.Pages, 3)
							want, _ = plain.PageOf(ctx, v, want.Pages, 3)
							if g, w := pageSummary(got), pageSummary(want); g != w {
								t.Errorf("%s: %+v last page: stored %s, plain %s", step, v, g, w)
							}
						}
					}
				}
				got, err := st.QueryCounts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				want, err := plain.QueryCounts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: QueryCounts stored %v, plain %v", step, got, want)
				}
				if stale, err := st.RulesStale(ctx); err != nil || stale {
					t.Errorf("%s: stored matches stale %v, %v", step, stale, err)
				}
			}
			if err := st.RebuildRules(ctx); err != nil {
				t.Fatal(err)
			}
			check("rebuilt")
			for _, id := range []string{"n1", "n4"} {
				if err := st.SetRead(ctx, id, true); err != nil {
					t.Fatal(err)
				}
			}
			check("read")
			if err := st.SetStarred(ctx, "n1", true); err != nil {
				t.Fatal(err)
			}
			if err := st.SetStarred(ctx, "n3", true); err != nil {
				t.Fatal(err)
			}
			check("starred")
			now := time.Now()
			if _, err := st.SaveArticles(ctx, news.ID, []Article{
				{ID: "n6", Title: "Som and tenge", Author: "Aida", Published: now},
				{ID: "n7", Title: "Sponsored som", Published: now},
				// n3's text changes: it no longer names the som.
				{ID: "n3", Title: "Tenge steady", Link: "https://news.example/n3", Author: "Bakyt",
					Summary: "Steady.", Content: "Steady.", Published: now.Add(-3 * 24 * time.Hour)},
			}, now); err != nil {
				t.Fatal(err)
			}
			check("arrival and a changed text")
			if _, err := st.MarkViewRead(ctx, View{QueryFeed: "Tenge"}); err != nil {
				t.Fatal(err)
			}
			check("a query feed marked read")
			// News leaves the Money group: a new feeds' generation.
			if _, err := st.SyncFeeds(ctx, []Spec{
				{Name: "News", URL: "https://news.example/feed", Group: "Elsewhere"},
				{Name: "Ads", URL: "https://ads.example/rss"},
			}); err != nil {
				t.Fatal(err)
			}
			if stale, err := st.RulesStale(ctx); err != nil || !stale {
				t.Errorf("after a regroup: stale %v, %v; want stale", stale, err)
			}
			if g := page(t, st, View{QueryFeed: "Group"}); g.Total != 0 {
				t.Errorf("after a regroup, before a rebuild: Group holds %d", g.Total)
			}
			if err := st.RebuildRules(ctx); err != nil {
				t.Fatal(err)
			}
			check("regrouped")
			if err := st.SetRead(ctx, "n5", true); err != nil {
				t.Fatal(err)
			}
			if n, err := st.Prune(ctx, time.Now(), 20); err != nil || n == 0 {
				t.Fatalf("Prune: %d, %v", n, err)
			}
			check("pruned")
			// An ignored article changed behind the rules' back (as a
			// sync from the server may): its state follows.
			if _, err := st.db.Exec(`UPDATE article_state SET starred = 1, read = 1 WHERE seq = (SELECT seq FROM articles WHERE id = 'a1')`); err != nil {
				t.Fatal(err)
			}
			check("an ignored article starred")
			if err := st.SetRead(ctx, "a2", true); (err == nil) == (ignore == `title =~ "sponsored" or feed = "Ads"`) {
				t.Errorf("SetRead of a2 (ignored by the first rule only): %v", err)
			}
			_ = ads
		})
	}
}

// pageSummary is what a page shows: counts, titles with read, starred and
// highlight marks.
func pageSummary(p Page) string {
	s := fmt.Sprintf("%d/%d pages %d page %d:", p.Unread, p.Total, p.Pages, p.Page)
	for _, a := range p.Items {
		s += fmt.Sprintf(" %q(r%v s%v h%v)", a.Title, a.Read, a.Starred, a.Highlight)
	}
	return s
}

// TestStoredMatchesOfOtherRulesAreDropped: a store whose matches were
// built for other rules (another config) is stale until rebuilt, and the
// rebuild drops the other rules' rows.
func TestStoredMatchesOfOtherRulesAreDropped(t *testing.T) {
	ctx := context.Background()
	st, _, _ := rulesStore(t)
	set := func(q string) {
		t.Helper()
		if err := st.SetRules(Rules{Queries: []QueryFeed{{Name: "q", Filter: mustFilter(t, q)}}}); err != nil {
			t.Fatal(err)
		}
		if err := st.RebuildRules(ctx); err != nil {
			t.Fatal(err)
		}
	}
	set(`title =~ "tenge"`)
	set(`author = "Aida"`)
	var rules, rows int
	if err := st.db.QueryRow(`SELECT (SELECT count(*) FROM rule_counts), (SELECT count(*) FROM rule_articles)`).Scan(&rules, &rows); err != nil {
		t.Fatal(err)
	}
	if rules != 1 || rows != 2 {
		t.Errorf("%d rules, %d rows stored; want 1 rule with Aida's 2 articles", rules, rows)
	}
	wantTitles(t, "q", page(t, st, View{QueryFeed: "q"}), "Tenge rate rises", "Weather in Almaty")
}

// TestSaveSurvivesAFailingRuleSync: when the stored matches cannot be
// brought up to date, the save still stores its articles, RulesError
// says why, and the query feed is answered by the plain path.
func TestSaveSurvivesAFailingRuleSync(t *testing.T) {
	ctx := context.Background()
	st, news, _ := rulesStore(t)
	if err := st.SetRules(Rules{Queries: []QueryFeed{{Name: "q", Filter: mustFilter(t, `title =~ "tenge"`)}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.RebuildRules(ctx); err != nil {
		t.Fatal(err)
	}
	// A fault the sync meets: its table is gone.
	if _, err := st.db.Exec(`ALTER TABLE rule_articles RENAME TO rule_articles_gone`); err != nil {
		t.Fatal(err)
	}
	if n, err := st.SaveArticles(ctx, news.ID, []Article{{ID: "n9", Title: "Tenge again", Published: time.Now()}}, time.Now()); err != nil || n != 1 {
		t.Fatalf("save with a failing rule sync: %d, %v", n, err)
	}
	if st.RulesError() == nil {
		t.Error("RulesError is nil after a failed sync")
	}
	if stale, err := st.RulesStale(ctx); err != nil || !stale {
		t.Errorf("stale %v, %v; want stale (the new article is not matched)", stale, err)
	}
	wantTitles(t, "q", page(t, st, View{QueryFeed: "q"}), "Tenge again", "Tenge rate rises", "Old tenge story")
}
