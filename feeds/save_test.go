package feeds

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// ftsIntact fails the test unless the full-text index holds exactly the
// stored articles' text: FTS5's own check of the index, then, as the
// index is contentless (migration 14), every term instance it holds
// (fts5vocab) against those of an index made afresh from articles_search.
func ftsIntact(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.db.Exec(`INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("full-text index out of step with the articles: %v", err)
	}
	conn, err := st.db.Conn(ctx) // temp tables are the connection's
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		`CREATE VIRTUAL TABLE temp.fts_want USING fts5(title, summary, content, tokenize='unicode61 remove_diacritics 2')`,
		`INSERT INTO temp.fts_want (rowid, title, summary, content) SELECT seq, title, summary, content FROM articles_search`,
		`CREATE VIRTUAL TABLE temp.fts_want_v USING fts5vocab(temp, fts_want, instance)`,
		`CREATE VIRTUAL TABLE temp.fts_got_v USING fts5vocab(main, articles_fts, instance)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	defer conn.ExecContext(ctx, `DROP TABLE temp.fts_want_v; DROP TABLE temp.fts_got_v; DROP TABLE temp.fts_want`)
	var extra, missing int
	const cols = `term, doc, col, offset`
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM (SELECT `+cols+` FROM temp.fts_got_v EXCEPT SELECT `+cols+` FROM temp.fts_want_v)),
		(SELECT count(*) FROM (SELECT `+cols+` FROM temp.fts_want_v EXCEPT SELECT `+cols+` FROM temp.fts_got_v))`).Scan(&extra, &missing); err != nil {
		t.Fatal(err)
	}
	if extra != 0 || missing != 0 {
		t.Fatalf("full-text index out of step with the articles: %d term instances too many, %d missing", extra, missing)
	}
}

// orderIntact fails the test unless paging (anchors, count) lists the
// articles in the order the table has them: newest first, by seq on ties.
func orderIntact(t *testing.T, st *Store) {
	t.Helper()
	rows, err := st.db.Query(`SELECT id FROM articles ORDER BY published DESC, seq DESC`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		want = append(want, id)
	}
	rows.Close()
	var got []string
	for p := 1; ; p++ {
		pg, err := st.Page(context.Background(), p, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range pg.Items {
			got = append(got, a.ID)
		}
		if p >= pg.Pages {
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pages list %d articles out of order (table has %d)", len(got), len(want))
	}
}

// rankOf is the article's 0-based place in the table's newest-first order.
func rankOf(t *testing.T, st *Store, id string) int {
	t.Helper()
	var r int
	if err := st.db.QueryRow(`SELECT count(*) FROM articles a, articles b WHERE b.id = ?
AND (a.published, a.seq) > (b.published, b.seq)`, id).Scan(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// found returns the ids Search finds for q, newest first.
func found(t *testing.T, st *Store, q string) string {
	t.Helper()
	p, err := st.Search(context.Background(), q, 1, 100)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	var ids []string
	for _, a := range p.Items {
		ids = append(ids, a.ID)
	}
	return strings.Join(ids, ",")
}

func TestSearchFollowsSaveUpdateAndPrune(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "a", Title: "Tenge weakens", Summary: "National Bank", Link: "https://news.example/a", Published: t0},
		{ID: "b", Title: "Som steady", Content: "The tenge was mentioned.", Link: "https://news.example/b", Published: t0.Add(-time.Hour)},
		{ID: "old", Title: "Old tenge story", Link: "https://news.example/old", Published: t0.Add(-200 * 24 * time.Hour),
			FirstSeen: t0.Add(-200 * 24 * time.Hour)},
	}
	if n, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil || n != 3 {
		t.Fatalf("save: %d, %v", n, err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "tenge"); got != "a,b,old" {
		t.Errorf("after save: tenge finds [%s]", got)
	}
	// Updated in place: the new words are found, the old ones are not.
	items[0].Title = "Manat steady"
	items[1].Content = "Nothing about currencies."
	if n, err := st.SaveArticles(ctx, f.ID, items, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("update: %d new, %v", n, err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "tenge"); got != "old" {
		t.Errorf("after update: tenge finds [%s], want [old]", got)
	}
	if got := found(t, st, "manat"); got != "a" {
		t.Errorf("after update: manat finds [%s]", got)
	}
	// Pruned articles leave the index.
	if n, err := st.Prune(ctx, t0, 90); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "tenge"); got != "" {
		t.Errorf("after prune: tenge finds [%s]", got)
	}
	if got := found(t, st, "currencies"); got != "b" {
		t.Errorf("after prune: currencies finds [%s]", got)
	}
	// The index is written once per transaction, not by a trigger per row.
	var triggers int
	st.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_fts_ai'`).Scan(&triggers)
	if triggers != 0 {
		t.Error("the per-row insert trigger is still there")
	}
}

// The statements a save runs per item seek indexes; none scans a table.
func TestSavePlansUseIndexes(t *testing.T) {
	st := newStore(t)
	for _, tc := range []struct {
		q    string
		args int
	}{
		{insertNew, 13}, {nextSeq, 0}, {selectByID, 10}, {updateText, 7}, {selectSeen, 2}, {selectCopy, 3}, {selectStoredID, 2}, {insertOwn, 12}, {addMember, 4}, {addCopy, 4}, {updateKey, 3}, {"SELECT " + seqInFeed, 2}, {"SELECT " + seqOfID, 1},
		{replaceCopy, 10}, {insertEnclosure, 5}, {deleteEnclosures, 1}, {seenAgain, 3}, {markSaved, 2}, {indexNew, 3}, {indexPacked, 2}, {stateNew, 2}, {feedsNew, 3},
	} {
		q, args := tc.q, make([]any, tc.args)
		for i := range args {
			args[i] = i + 1
		}
		rows, err := st.db.Query(`EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "\n")
		if strings.Contains(p, "SCAN articles") || strings.Contains(p, "SCAN a ") || strings.Contains(p, "SCAN articles_seen") {
			t.Errorf("plan scans a table:\n%s\n%s", q, p)
		}
	}
}

func TestUpdatedItemKeepsReadStateAndPlace(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "g1", Title: "First version", Summary: "s1", Content: "c1", Body: "<p>c1</p>", Link: "https://news.example/1", Published: t0},
		{ID: "g2", Title: "Other", Link: "https://news.example/2", Published: t0.Add(-time.Minute)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkRead(ctx, "g1"); err != nil {
		t.Fatal(err)
	}
	// Same guid, new words, a new link, and a date the feed moved: the row
	// is updated in place, still read, not new, and keeps its place.
	items[0] = Article{ID: "g1", Title: "Second version", Summary: "s2", Content: "c2", Body: "<p>c2</p>",
		Link: "https://news.example/1-corrected", Author: "Ed", Published: t0.Add(-time.Hour)}
	n, err := st.SaveArticles(ctx, f.ID, items, t0.Add(time.Hour))
	if err != nil || n != 0 {
		t.Fatalf("second save: %d new, %v", n, err)
	}
	a, err := st.Article(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Second version" || a.Summary != "s2" || a.Content != "c2" || a.Body != "<p>c2</p>" ||
		a.Link != "https://news.example/1-corrected" || a.Author != "Ed" {
		t.Errorf("not updated: %+v", a)
	}
	if !a.Read || !a.Published.Equal(t0) || !a.FirstSeen.Equal(t0) {
		t.Errorf("read %v, published %v, first seen %v: want read, kept", a.Read, a.Published, a.FirstSeen)
	}
	if c, _ := st.Count(ctx); c != 2 {
		t.Errorf("Count = %d", c)
	}
	if r, _ := st.Rank(ctx, "g1"); r != 0 {
		t.Errorf("Rank = %d", r)
	}
	ftsIntact(t, st)
	// Unchanged: stays as it is.
	if n, err := st.SaveArticles(ctx, f.ID, items, t0.Add(2*time.Hour)); err != nil || n != 0 {
		t.Fatalf("third save: %d new, %v", n, err)
	}
	if a2, _ := st.Article(ctx, "g1"); !reflect.DeepEqual(a2, a) {
		t.Errorf("unchanged item changed: %+v", a2)
	}
}

func TestDatesNoDateAndFuture(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	seen := t0.Add(-time.Minute)
	items := []Article{
		{ID: "none", Title: "no date", FirstSeen: seen},
		{ID: "flag", Title: "flagged", NoDate: true, Published: t0.Add(-48 * time.Hour), FirstSeen: seen},
		{ID: "ancient", Title: "1970", Published: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), FirstSeen: seen},
		{ID: "future", Title: "tomorrow-ish", Published: t0.Add(23 * time.Hour), FirstSeen: seen},
		{ID: "dated", Title: "dated", Published: t0.Add(-time.Hour), FirstSeen: seen},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id     string
		pub    time.Time
		noDate bool
	}{
		{"none", seen, true}, {"flag", seen, true}, {"ancient", seen, true},
		{"future", seen, false}, {"dated", t0.Add(-time.Hour), false},
	} {
		a, err := st.Article(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Published.Equal(tc.pub) || a.NoDate != tc.noDate {
			t.Errorf("%s: published %v no-date %v, want %v %v", tc.id, a.Published, a.NoDate, tc.pub, tc.noDate)
		}
	}
	// The future item does not sort above the present.
	p, _ := st.Page(ctx, 1, 10)
	if p.Items[0].ID == "future" {
		t.Errorf("a future item is listed first")
	}
}

// Two feeds carry the same article (same link and title). Whichever is
// fetched first, the article shows the same copy, belongs to both feeds,
// is new to each once, and never comes back as new.
func TestDuplicateAcrossFeedsDoesNotDependOnFetchOrder(t *testing.T) {
	const link = "https://agency.example/story"
	type copyOf struct {
		pub    time.Time
		noDate bool
	}
	const own = 70
	for _, tc := range []struct {
		name   string
		a, b   copyOf // a is the feed listed first
		winner string
	}{
		{"earlier wins", copyOf{pub: t0}, copyOf{pub: t0.Add(-time.Hour)}, "B"},
		{"earlier wins, listed first", copyOf{pub: t0.Add(-time.Hour)}, copyOf{pub: t0}, "A"},
		{"tie goes to the feed listed first", copyOf{pub: t0}, copyOf{pub: t0}, "A"},
		{"dated beats undated", copyOf{noDate: true}, copyOf{pub: t0.Add(-time.Hour)}, "B"},
		{"both undated: feed listed first", copyOf{noDate: true}, copyOf{noDate: true}, "A"},
	} {
		for _, order := range []string{"AB", "BA"} {
			t.Run(tc.name+"/"+order, func(t *testing.T) {
				ctx := context.Background()
				st := newStore(t)
				fs, err := st.SyncFeeds(ctx, []Spec{{Name: "A", URL: "https://a.example/feed"}, {Name: "B", URL: "https://b.example/feed"}})
				if err != nil {
					t.Fatal(err)
				}
				feedOf := map[string]Feed{"A": fs[0], "B": fs[1]}
				item := func(name string) []Article {
					c := tc.a
					if name == "B" {
						c = tc.b
					}
					items := []Article{{ID: name + "-copy", Title: "Story", Summary: "via " + name, Link: link, Published: c.pub, NoDate: c.noDate}}
					// Enough of the feed's own stories around the copy's
					// dates that moving it crosses paging anchors.
					for i := 1; i <= own; i++ {
						items = append(items, Article{ID: fmt.Sprintf("%s-own-%d", name, i), Title: name + "'s own story",
							Link: fmt.Sprintf("https://%s.example/own/%d", name, i), Published: t0.Add(-time.Duration(i) * time.Minute)})
					}
					return items
				}
				now := t0.Add(time.Minute)
				for i, name := range []string{order[:1], order[1:]} {
					n, err := st.SaveArticles(ctx, feedOf[name].ID, item(name), now.Add(time.Duration(i)*time.Minute))
					if err != nil {
						t.Fatal(err)
					}
					if want := own + 1; n != want {
						t.Errorf("feed %s (fetched %d.) stored %d new, want %d", name, i+1, n, want)
					}
				}
				var ids []string
				rows, _ := st.db.Query(`SELECT a.id FROM articles a WHERE a.link = ?`, link)
				for rows.Next() {
					var id string
					rows.Scan(&id)
					ids = append(ids, id)
				}
				rows.Close()
				if len(ids) != 1 || ids[0] != order[:1]+"-copy" {
					t.Fatalf("stored copies %v, want [%s-copy]", ids, order[:1])
				}
				a, _ := st.Article(ctx, tc.winner+"-copy") // either feed's id finds it
				if a.ID != ids[0] || a.FeedName != tc.winner || a.Summary != "via "+tc.winner {
					t.Errorf("kept %+v", a)
				}
				byFeed, _ := st.CountByFeed(ctx)
				if byFeed[fs[0].ID].Total != own+1 || byFeed[fs[1].ID].Total != own+1 {
					t.Errorf("CountByFeed = %+v", byFeed)
				}
				recount(t, st)
				if c, _ := st.Count(ctx); c != 2*own+1 {
					t.Errorf("Count = %d", c)
				}
				orderIntact(t, st)
				ftsIntact(t, st)
				if got := found(t, st, "via"); got != ids[0] {
					t.Errorf("search finds [%s]", got)
				}
				if r, err := st.Rank(ctx, ids[0]); err != nil || r != rankOf(t, st, ids[0]) {
					t.Errorf("Rank = %d, %v", r, err)
				}
				// Both feeds again, in both orders: nothing new, nothing moves.
				if err := st.MarkRead(ctx, ids[0]); err != nil {
					t.Fatal(err)
				}
				for _, name := range []string{"A", "B", "B", "A"} {
					if n, err := st.SaveArticles(ctx, feedOf[name].ID, item(name), now.Add(time.Hour)); err != nil || n != 0 {
						t.Errorf("refetch of %s: %d new, %v", name, n, err)
					}
				}
				a2, _ := st.Article(ctx, ids[0])
				if a2.FeedName != tc.winner || !a2.Read || !a2.Published.Equal(a.Published) {
					t.Errorf("after refetch %+v", a2)
				}
				byFeed, _ = st.CountByFeed(ctx)
				if byFeed[fs[0].ID].Unread != own || byFeed[fs[1].ID].Unread != own {
					t.Errorf("read in one place, not in both feeds: %+v", byFeed)
				}
				// The kept copy changes its link: the other feed still
				// carries the article, so it does not come back as new.
				loser := map[string]string{"A": "B", "B": "A"}[tc.winner]
				moved := item(tc.winner)
				moved[0].Link = link + "?moved"
				if _, err := st.SaveArticles(ctx, feedOf[tc.winner].ID, moved, now.Add(2*time.Hour)); err != nil {
					t.Fatal(err)
				}
				if n, err := st.SaveArticles(ctx, feedOf[loser].ID, item(loser), now.Add(2*time.Hour)); err != nil || n != 0 {
					t.Errorf("the set-aside copy of %s came back: %d new, %v", loser, n, err)
				}
				ftsIntact(t, st)
			})
		}
	}
}

func TestMigrationFromSchema1(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, t.TempDir())
	// A store as the previous version left it: schema 1, one article
	// indexed by the old per-row trigger.
	for _, q := range []string{
		`CREATE TABLE feeds_schema (version INTEGER NOT NULL)`,
		embeddedMigrations(t)[0],
		`INSERT INTO feeds_schema VALUES (1)`,
		`INSERT INTO feeds (url, name) VALUES ('https://old.example/feed', 'Old')`,
		`INSERT INTO articles (id, feed_id, title, link, content, published, first_seen, read)
		 VALUES ('old1', 1, 'Tenge before', 'https://old.example/1', 'Markdown **body**', 1, 1, 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.Article(ctx, "old1")
	if err != nil || a.Body != "" || a.NoDate || !a.Read || a.Content != "Markdown **body**" {
		t.Fatalf("old article after migration: %+v, %v", a, err)
	}
	if got := found(t, st, "tenge"); got != "old1" {
		t.Errorf("old article not found: [%s]", got)
	}
	// Fetched again with a body: filled in place, still read.
	if n, err := st.SaveArticles(ctx, 1, []Article{{ID: "old1", Title: "Tenge before", Link: "https://old.example/1",
		Content: "Plain body", Body: "<p>Plain <strong>body</strong></p>", Published: fromNS(1)}}, t0); err != nil || n != 0 {
		t.Fatalf("refetch: %d, %v", n, err)
	}
	a, _ = st.Article(ctx, "old1")
	if a.Body != "<p>Plain <strong>body</strong></p>" || a.Content != "Plain body" || !a.Read {
		t.Errorf("refetched: %+v", a)
	}
	ftsIntact(t, st)
}

// A feed larger than one chunk is stored in several transactions; the
// result is the same as one: order, count, ranks and the index.
func TestLargeFeedInChunks(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Big", "https://big.example/feed")
	const n = 2*saveChunkItems + 345
	items := mkArticles(n, "big", t0)
	if got, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil || got != n {
		t.Fatalf("save: %d, %v", got, err)
	}
	if c, _ := st.Count(ctx); c != n {
		t.Fatalf("Count = %d", c)
	}
	for _, i := range []int{0, 1, 127, 999, 1000, 1001, 2344, n - 1} {
		if r, err := st.Rank(ctx, fmt.Sprintf("big-%d", i)); err != nil || r != i {
			t.Errorf("Rank(big-%d) = %d, %v", i, r, err)
		}
	}
	p, _ := st.Page(ctx, 2, 1000)
	if p.Items[0].ID != "big-1000" || p.Items[999].ID != "big-1999" {
		t.Errorf("page 2 from %s to %s", p.Items[0].ID, p.Items[999].ID)
	}
	ftsIntact(t, st)
	var generation int
	st.db.QueryRow(`SELECT generation FROM article_stats`).Scan(&generation)
	if generation < 4 { // AddFeeds, then at least three chunks
		t.Errorf("stored in %d transactions, want 3 or more", generation-1)
	}
}

// A huge feed is being stored while another process's writer and this
// process's dashboard mark articles read: each gets through within a
// couple of seconds instead of waiting for the whole feed (or failing with
// "database is locked").
func TestLargeSaveLetsOtherWritersThrough(t *testing.T) {
	if testing.Short() {
		t.Skip("stores thousands of articles")
	}
	ctx := context.Background()
	dir := t.TempDir()
	st, err := OpenStore(openDB(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	f := addFeed(t, st, "Huge", "https://huge.example/feed")
	if _, err := st.SaveArticles(ctx, f.ID, []Article{{ID: "victim", Title: "victim", Published: t0.Add(-time.Hour)}}, t0); err != nil {
		t.Fatal(err)
	}
	// Another process: its own connections to the same file.
	other, err := OpenStore(openDB(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	const n = 180_000
	items := make([]Article, n)
	for i := range items {
		k := strconv.Itoa(i)
		items[i] = Article{ID: "h" + k, Title: "Item " + k, Link: "https://huge.example/" + k,
			Published: t0.Add(-time.Duration(i) * time.Second)}
	}
	saveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var saved int
	var saveErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		saved, saveErr = st.SaveArticles(saveCtx, f.ID, items, t0)
	}()
	// Wait for the save to be under way (its first chunk committed).
	for deadline := time.Now().Add(30 * time.Second); ; {
		if c, _ := other.Count(ctx); c > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the save did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	const limit = 2 * time.Second
	var waits []time.Duration
	for i := range 6 {
		w, who := other, "another process"
		if i%2 == 1 {
			w, who = st, "the same process"
		}
		start := time.Now()
		if err := w.MarkRead(ctx, "victim"); err != nil {
			t.Fatalf("%s: mark read during the save: %v", who, err)
		}
		took := time.Since(start)
		if took > limit {
			t.Errorf("%s waited %v to mark an article read", who, took)
		}
		waits = append(waits, took.Round(time.Millisecond))
		time.Sleep(50 * time.Millisecond)
	}
	// The rest of the feed is not needed: stop between two chunks.
	cancel()
	wg.Wait()
	if saveErr != nil && !errors.Is(saveErr, context.Canceled) {
		t.Fatalf("save: %v", saveErr)
	}
	if saveErr == nil && saved != n {
		t.Fatalf("save finished with %d new", saved)
	}
	// What was committed is whole: count, index and the victim's mark.
	c, _ := st.Count(ctx)
	if c != saved+1 {
		t.Errorf("Count %d after saving %d", c, saved)
	}
	ftsIntact(t, st)
	if a, _ := st.Article(ctx, "victim"); !a.Read {
		t.Error("the concurrent mark was lost")
	}
	t.Logf("stored %d of %d before stopping; the marks waited %v", saved, n, waits)
}

// A feed's dated copy replaces another feed's undated one, which moves the
// row up past a paging anchor: paging and ranks still match the table.
func TestReplacedCopyMovesUpKeepsPaging(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	fs, err := st.SyncFeeds(ctx, []Spec{{Name: "A", URL: "https://a.example/feed"}, {Name: "B", URL: "https://b.example/feed"}})
	if err != nil {
		t.Fatal(err)
	}
	const link = "https://agency.example/story"
	now1, now2, now3 := t0.Add(time.Minute), t0.Add(2*time.Minute), t0.Add(3*time.Minute)
	a := []Article{{ID: "A-copy", Title: "copy", Summary: "undated", Link: link, NoDate: true}}
	for i := 1; i <= 200; i++ {
		a = append(a, Article{ID: fmt.Sprintf("A-%d", i), Title: "a", Link: fmt.Sprintf("https://a.example/%d", i),
			Published: t0.Add(-time.Duration(i) * time.Minute)})
	}
	var b []Article
	for i := 1; i <= 100; i++ {
		b = append(b, Article{ID: fmt.Sprintf("B-%d", i), Title: "b", Link: fmt.Sprintf("https://b.example/%d", i),
			Published: now1.Add(time.Duration(i) * time.Second)})
	}
	if _, err := st.SaveArticles(ctx, fs[0].ID, a, now1); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, fs[1].ID, b, now2); err != nil {
		t.Fatal(err)
	}
	if r, _ := st.Rank(ctx, "A-copy"); r != 100 {
		t.Fatalf("undated copy at %d", r)
	}
	b = append([]Article{{ID: "B-copy", Title: "copy", Summary: "dated", Link: link, Published: now2.Add(30 * time.Second)}}, b...)
	if n, err := st.SaveArticles(ctx, fs[1].ID, b, now3); err != nil || n != 1 {
		t.Fatalf("dated copy: %d new, %v", n, err)
	}
	if r, err := st.Rank(ctx, "B-copy"); err != nil || r != 0 {
		t.Errorf("dated copy at %d, %v", r, err)
	}
	if a, err := st.Article(ctx, "A-copy"); err != nil || a.Summary != "dated" || a.FeedName != "B" {
		t.Errorf("the article shows %+v, %v; want B's dated copy", a, err)
	}
	recount(t, st)
	orderIntact(t, st)
	ftsIntact(t, st)
}

// A title is one line: a feed that sends 200 KB of one has it stored cut
// at a word, with an ellipsis, not whole.
func TestHugeTitleIsCut(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	huge := strings.Repeat("Долгий заголовок ", 12000) // about 200 KB
	if _, err := st.SaveArticles(ctx, f.ID, []Article{{ID: "h", Title: huge, Published: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	a, err := st.Article(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Title) > storedTitleMax+len("…") || !strings.HasSuffix(a.Title, "заголовок…") || !utf8.ValidString(a.Title) {
		t.Errorf("stored title: %d bytes, ends %q", len(a.Title), a.Title[max(0, len(a.Title)-40):])
	}
	// Saved again, it is the same title (nothing to update).
	if n, err := st.SaveArticles(ctx, f.ID, []Article{{ID: "h", Title: huge, Published: t0}}, t0); err != nil || n != 0 {
		t.Errorf("saved again: %d new, %v", n, err)
	}
}

// A transaction holding more text than indexJSONMax fills the full-text
// index from the packed rows instead; both ways index the same words.
func TestIndexOfMuchText(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Big", "https://big.example/feed")
	huge := strings.Repeat("Caspian pipeline tariffs were reviewed again. ", indexJSONMax/40)
	items := []Article{
		{ID: "huge", Title: "Huge", Link: "https://big.example/huge", Content: huge + " zhetisu", Published: t0},
		{ID: "small", Title: "Small", Link: "https://big.example/small", Summary: "Tenge steady", Published: t0.Add(-time.Minute)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "zhetisu"); got != "huge" {
		t.Errorf("zhetisu finds [%s]", got)
	}
	if got := found(t, st, "tenge"); got != "small" {
		t.Errorf("tenge finds [%s]", got)
	}
}
