package feeds

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
		{Name: "Either", Filter: mustFilter(t, `unread = "no" or title =~ "som"`)}, // state or text
		{Name: "Group", Filter: mustFilter(t, `group # "Money"`)},
		// No text part: parts on the stored matches of every article.
		{Name: "Unread", Filter: mustFilter(t, `unread = "yes"`)},
		{Name: "Older", Filter: mustFilter(t, `age > 2`)},
		{Name: "ReadRecent", Filter: mustFilter(t, `age < 5 and unread = "no"`)},
		{Name: "StarredOrTenge", Filter: mustFilter(t, `starred = "yes" or title =~ "tenge"`)},
		{Name: "NotRecentOrAida", Filter: mustFilter(t, `not (age < 5) or author = "Aida"`)},
		{Name: "Mixed", Filter: mustFilter(t, `unread = "yes" and (starred = "yes" or age < 2 or feed = "Ads")`)},
		{Name: "Nothing", Filter: mustFilter(t, `unread = "yes" and unread = "no"`)},
	}
	for _, ignore := range []string{`title =~ "sponsored" or feed = "Ads"`, `unread = "no" and title =~ "weather"`, ""} {
		name := ignore
		if name == "" {
			name = "no ignore rule" // not "#00": a '#' in the store's path would end its URI
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each has its own store
			st, news, ads := rulesStore(t)
			var ignores []*filter.Filter
			if ignore != "" {
				ignores = append(ignores, mustFilter(t, ignore))
			}
			rules := Rules{Ignore: ignores, Queries: queries,
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
			for _, q := range queries {
				if st.rules.Load().mats[strings.ToLower(q.Name)] == nil {
					t.Fatalf("%s: no stored-match plan", q.Name)
				}
			}
			if static := ignore == `title =~ "sponsored" or feed = "Ads"`; (st.rules.Load().all != nil) != static {
				t.Fatalf("all-feeds plan %v with ignore rule %s", st.rules.Load().all != nil, ignore)
			}
			var pin int64 // a snapshot before the arrivals
			check := func(step string) {
				t.Helper()
				var views []View
				for _, name := range append([]string{""}, queryNames(queries)...) {
					views = append(views, View{QueryFeed: name}, View{QueryFeed: name, UnreadOnly: true},
						View{QueryFeed: name, Starred: true}, View{QueryFeed: name, Snapshot: pin},
						View{QueryFeed: name, UnreadOnly: true, Snapshot: pin})
				}
				ids := storedIDs(t, st)
				// Each walk and count the stored path may take.
				rs := st.rules.Load()
				defer func() { rs.probeCost, rs.outside, rs.byAnchors = probeCost, outsideFewer, anchorsFaster }()
				modes := []struct {
					probe   int
					outside bool
				}{{4, false}, {0, true}, {1 << 30, false}}
				if testing.Short() {
					modes = modes[1:]
				}
				if raceOn {
					modes = modes[1:2]
				}
				for _, mode := range modes {
					rs.probeCost = mode.probe
					rs.outside = func(samples, inside int) bool { return mode.outside }
					rs.byAnchors = func(walk, ignored int) bool { return mode.outside }
					for _, v := range views {
						what := fmt.Sprintf("%s (probe %d, outside %v): %+v", step, mode.probe, mode.outside, v)
						agree(t, what, st, plain, v, ids, mode.probe != 1<<30 && !raceOn)
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
			pin = page(t, st, View{}).Snapshot
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
			markAgrees(t, st, plain, View{QueryFeed: "Unread", Snapshot: pin})
			check("a pinned query feed of state alone marked read")
			markAgrees(t, st, plain, View{QueryFeed: "Tenge"})
			check("a query feed marked read")
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
			if err := st.SetRead(ctx, "a2", true); (err == nil) == (ignore == `title =~ "sponsored" or feed = "Ads"`) || err != nil && ignore == "" {
				t.Errorf("SetRead of a2 (ignored by the first rule only): %v", err)
			}
			_ = ads
		})
	}
}

func queryNames(qs []QueryFeed) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Name)
	}
	return out
}

// storedIDs are the ids of every stored article (ignored or not).
func storedIDs(t *testing.T, st *Store) []string {
	t.Helper()
	rows, err := st.db.Query(`SELECT id FROM articles ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// agree checks that st (the stored matches) and plain (the rules' plain
// path) answer view v alike: its first and last pages and counts,
// NewSince; with ranks, RankIn of every article and NextUnread from the
// top and from every third, both ways.
func agree(t *testing.T, what string, st, plain *Store, v View, ids []string, ranks bool) {
	t.Helper()
	ctx := context.Background()
	got, err := st.PageOf(ctx, v, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	want, err := plain.PageOf(ctx, v, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := pageSummary(got), pageSummary(want); g != w {
		t.Errorf("%s: stored %s, plain %s", what, g, w)
	}
	if got.Pages > 1 {
		got, _ = st.PageOf(ctx, v, got.Pages, 3)
		want, _ = plain.PageOf(ctx, v, want.Pages, 3)
		if g, w := pageSummary(got), pageSummary(want); g != w {
			t.Errorf("%s last page: stored %s, plain %s", what, g, w)
		}
	}
	gn, gerr := st.NewSince(ctx, v)
	wn, werr := plain.NewSince(ctx, v)
	if gn != wn || (gerr == nil) != (werr == nil) {
		t.Errorf("%s: NewSince stored %d, %v; plain %d, %v", what, gn, gerr, wn, werr)
	}
	if !ranks {
		return
	}
	for _, id := range ids {
		gr, gerr := st.RankIn(ctx, v, id)
		wr, werr := plain.RankIn(ctx, v, id)
		if gr != wr || !errors.Is(gerr, werr) && !(gerr != nil && werr != nil && gerr.Error() == werr.Error()) {
			t.Errorf("%s: RankIn(%s) stored %d, %v; plain %d, %v", what, id, gr, gerr, wr, werr)
		}
	}
	var froms []string
	for i, id := range ids {
		if i%3 == 0 {
			froms = append(froms, id)
		}
	}
	for _, from := range append([]string{""}, froms...) {
		for _, dir := range []int{1, -1} {
			ga, grank, gok, gerr := st.NextUnread(ctx, v, from, dir)
			wa, wrank, wok, werr := plain.NextUnread(ctx, v, from, dir)
			if ga.ID != wa.ID || grank != wrank || gok != wok || (gerr == nil) != (werr == nil) {
				t.Errorf("%s: NextUnread(%q, %d) stored %q rank %d %v %v; plain %q rank %d %v %v",
					what, from, dir, ga.ID, grank, gok, gerr, wa.ID, wrank, wok, werr)
			}
		}
	}
}

// markAgrees marks view v read through st and checks that exactly the
// unread articles plain lists for it were marked.
func markAgrees(t *testing.T, st, plain *Store, v View) {
	t.Helper()
	ctx := context.Background()
	u := v
	u.UnreadOnly = true
	before, err := plain.PageOf(ctx, u, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	wantRead := map[string]bool{}
	for _, a := range before.Items {
		wantRead[a.ID] = true
	}
	state := func() map[string]bool {
		read := map[string]bool{}
		rows, err := st.db.Query(`SELECT a.id, s.read FROM articles a JOIN article_state s ON s.seq = a.seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var r bool
			if err := rows.Scan(&id, &r); err != nil {
				t.Fatal(err)
			}
			read[id] = r
		}
		return read
	}
	was := state()
	n, err := st.MarkViewRead(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(wantRead) || n == 0 {
		t.Errorf("MarkViewRead(%+v) marked %d; the view holds %d unread (%v)", v, n, len(wantRead), titles(before.Items))
	}
	for id, r := range state() {
		if r != (was[id] || wantRead[id]) {
			t.Errorf("MarkViewRead(%+v): %s read %v, was %v, in the view's unread %v", v, id, r, was[id], wantRead[id])
		}
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

// TestStoredMatchPaths follows one store through reads, arrivals and
// marks, answering a query feed of state or text, one of state alone and
// the all-feeds view under an ignore rule from the stored matches, and
// checks each answer against what it must be.
func TestStoredMatchPaths(t *testing.T) {
	ctx := context.Background()
	st, news, _ := rulesStore(t)
	if err := st.SetRules(Rules{
		Ignore: []*filter.Filter{mustFilter(t, `title =~ "sponsored"`)},
		Queries: []QueryFeed{
			{Name: "ReadOrTenge", Filter: mustFilter(t, `unread = "no" or title =~ "tenge"`)},
			{Name: "Unread", Filter: mustFilter(t, `unread = "yes"`)},
		},
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.RebuildRules(ctx); err != nil {
		t.Fatal(err)
	}
	stored := func(step string, vs ...View) {
		t.Helper()
		if stale, err := st.RulesStale(ctx); err != nil || stale {
			t.Fatalf("%s: stale %v, %v", step, stale, err)
		}
		for _, v := range vs {
			if st.planFor(st.rules.Load(), v) == nil {
				t.Fatalf("%s: %+v has no stored-match plan", step, v)
			}
		}
	}
	rot, unread, all := View{QueryFeed: "ReadOrTenge"}, View{QueryFeed: "Unread"}, View{}
	stored("rebuilt", rot, unread, all)
	wantTitles(t, "ReadOrTenge", page(t, st, rot), "Tenge rate rises", "Old tenge story")
	wantTitles(t, "Unread", page(t, st, unread), "Ad one", "Tenge rate rises", "Ad two", "Som falls", "Weather in Almaty", "Old tenge story")

	if err := st.SetRead(ctx, "n4", true); err != nil {
		t.Fatal(err)
	}
	stored("read", rot)
	wantTitles(t, "ReadOrTenge after a read", page(t, st, rot), "Tenge rate rises", "Weather in Almaty", "Old tenge story")
	if p := page(t, st, rot); p.Unread != 2 {
		t.Errorf("ReadOrTenge unread %d, want 2", p.Unread)
	}
	if r, err := st.RankIn(ctx, rot, "n4"); r != 1 || err != nil {
		t.Errorf("RankIn(n4) %d, %v; want 1", r, err)
	}
	if r, err := st.RankIn(ctx, rot, "n3"); r != 1 || !errors.Is(err, ErrNotInView) {
		t.Errorf("RankIn(n3) %d, %v; want 1, ErrNotInView", r, err)
	}
	if _, err := st.RankIn(ctx, all, "n2"); !errors.Is(err, ErrNotInView) {
		t.Errorf("RankIn of the ignored n2 in every feed: %v; want ErrNotInView", err)
	}
	next := func(v View, from string, dir int, wantID string, wantRank int) {
		t.Helper()
		a, rank, ok, err := st.NextUnread(ctx, v, from, dir)
		if err != nil || ok != (wantID != "") || a.ID != wantID || ok && rank != wantRank {
			t.Errorf("NextUnread(%s, %q, %d) = %q rank %d %v %v; want %q rank %d", v.QueryFeed, from, dir, a.ID, rank, ok, err, wantID, wantRank)
		}
		if ok && a.Content == "" {
			t.Errorf("NextUnread(%s, %q, %d): %s without its body", v.QueryFeed, from, dir, a.ID)
		}
	}
	next(rot, "", 1, "n1", 0)
	next(rot, "n1", 1, "n5", 2) // n4 is read
	next(rot, "n5", 1, "", 0)
	next(rot, "", -1, "n5", 2)
	next(rot, "n5", -1, "n1", 0)
	next(unread, "a2", 1, "n3", 3)
	next(all, "n1", 1, "a2", 2) // n2, ignored, is passed over

	pinned := page(t, st, rot).Snapshot
	pinnedAll := page(t, st, all).Snapshot
	now := time.Now()
	if _, err := st.SaveArticles(ctx, news.ID, []Article{
		{ID: "n6", Title: "Tenge again", Content: "More tenge.", Published: now},
		{ID: "n7", Title: "Nothing here", Content: "Quiet.", Published: now},
		{ID: "n8", Title: "Sponsored again", Content: "Buy.", Published: now},
	}, now); err != nil {
		t.Fatal(err)
	}
	stored("arrivals", rot, unread, all)
	for _, c := range []struct {
		v    View
		want int
	}{{View{QueryFeed: "ReadOrTenge", Snapshot: pinned}, 1}, {View{QueryFeed: "Unread", Snapshot: pinned}, 2},
		{View{Snapshot: pinnedAll}, 2}, {View{QueryFeed: "Unread", UnreadOnly: true, Snapshot: pinned}, 2}} {
		if n, err := st.NewSince(ctx, c.v); n != c.want || err != nil {
			t.Errorf("NewSince(%+v) %d, %v; want %d", c.v, n, err, c.want)
		}
	}
	if p, err := st.PageOf(ctx, View{QueryFeed: "ReadOrTenge", Snapshot: pinned}, 1, 10); err != nil || p.Total != 3 || p.Unread != 2 {
		t.Errorf("pinned ReadOrTenge %d/%d, %v; want 2/3", p.Unread, p.Total, err)
	}
	if p := page(t, st, all); p.Total != 8 || p.Unread != 7 || slices.Contains(titles(p.Items), "Sponsored again") {
		t.Errorf("every feed after the arrivals: %d/%d %q; want 7/8 without the sponsored", p.Unread, p.Total, titles(p.Items))
	}
	if cs, err := st.QueryCounts(ctx); err != nil || !slices.Equal(cs, []QueryCount{{"ReadOrTenge", 3, 4}, {"Unread", 7, 7}}) {
		t.Errorf("QueryCounts %v, %v", cs, err)
	}

	// Marking the query feed read marks its unread tenge articles, no
	// other (and no ignored one).
	if n, err := st.MarkViewRead(ctx, rot); n != 3 || err != nil {
		t.Errorf("MarkViewRead(ReadOrTenge) %d, %v; want 3 (n1, n5, n6)", n, err)
	}
	wantTitles(t, "Unread after marking ReadOrTenge", page(t, st, unread), "Nothing here", "Ad one", "Ad two", "Som falls")
	if n, err := st.MarkViewRead(ctx, View{Snapshot: pinnedAll}); n != 3 || err != nil {
		t.Errorf("MarkViewRead(every feed, pinned) %d, %v; want 3 (a1, a2, n3)", n, err)
	}
	var ignoredUnread int
	if err := st.db.QueryRow(`SELECT count(*) FROM article_state s JOIN articles a ON a.seq = s.seq WHERE s.read = 0 AND a.title LIKE 'Sponsored%'`).Scan(&ignoredUnread); err != nil || ignoredUnread != 2 {
		t.Errorf("ignored articles left unread: %d, %v; want 2", ignoredUnread, err)
	}
	wantTitles(t, "Unread at the end", page(t, st, unread), "Nothing here")
	if cs, err := st.QueryCounts(ctx); err != nil || !slices.Equal(cs, []QueryCount{{"ReadOrTenge", 0, 7}, {"Unread", 1, 1}}) {
		t.Errorf("QueryCounts at the end %v, %v", cs, err)
	}
}

// TestIgnoredAllFeedsByAnchors: with a static ignore rule the all-feeds
// view is paged by its anchors less the ignored articles; at several
// anchor blocks, every page, pinned or not, with arrivals (ignored ones
// among them), is the plain path's.
func TestIgnoredAllFeedsByAnchors(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := st.AddFeeds(ctx, []Spec{{Name: "A", URL: "https://a.example/feed"}, {Name: "B", URL: "https://b.example/feed"}}); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour)
	save := func(from, to int, prefix string) {
		t.Helper()
		for f := range fs {
			var items []Article
			for i := from; i < to; i++ {
				if i%2 != f {
					continue
				}
				title := fmt.Sprintf("%s item %d", prefix, i)
				if i%5 == 0 || i%50 < 8 { // spread and a run
					title = fmt.Sprintf("%s sponsored %d", prefix, i)
				}
				items = append(items, Article{ID: fmt.Sprintf("%s%d", prefix, i), Title: title,
					Published: base.Add(-time.Duration(i%97) * time.Minute).Add(time.Duration(i) * time.Second)})
			}
			if _, err := st.SaveArticles(ctx, fs[f].ID, items, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	save(0, 700, "x")
	rules := Rules{Ignore: []*filter.Filter{mustFilter(t, `title =~ "sponsored"`)}}
	if err := st.SetRules(rules); err != nil {
		t.Fatal(err)
	}
	if err := st.RebuildRules(ctx); err != nil {
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
	var anchors int
	if err := st.db.QueryRow(`SELECT count(*) FROM article_anchors WHERE n >= 0`).Scan(&anchors); err != nil || anchors < 4 {
		t.Fatalf("%d anchors, %v", anchors, err)
	}
	pin := page(t, st, View{}).Snapshot
	save(700, 760, "y")
	for _, id := range []string{"x11", "x13", "x413", "y713"} {
		if err := st.SetRead(ctx, id, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.db.Exec(`UPDATE article_state SET read = 1 WHERE seq IN (SELECT seq FROM articles WHERE id IN ('x5', 'x10'))`); err != nil {
		t.Fatal(err) // ignored articles read: not counted either way
	}
	if stale, err := st.RulesStale(ctx); err != nil || stale {
		t.Fatalf("stale %v, %v", stale, err)
	}
	for _, c := range []struct {
		v       View
		anchors bool
	}{{View{}, true}, {View{Snapshot: pin}, true}, {View{}, false}, {View{Snapshot: pin}, false}} {
		v := c.v
		st.rules.Load().byAnchors = func(int, int) bool { return c.anchors }
		first, err := st.PageOf(ctx, v, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if first.Pages < 20 {
			t.Fatalf("%+v: %d pages", v, first.Pages)
		}
		for n := 1; n <= first.Pages; n++ {
			got, err := st.PageOf(ctx, v, n, 20)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plain.PageOf(ctx, v, n, 20)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := pageSummary(got), pageSummary(want); g != w {
				t.Fatalf("%+v page %d:\nstored %s\nplain  %s", v, n, g, w)
			}
			for _, a := range got.Items {
				if strings.Contains(a.Title, "sponsored") {
					t.Fatalf("%+v page %d shows %q", v, n, a.Title)
				}
			}
		}
	}
}
