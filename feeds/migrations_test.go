package feeds

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// embeddedMigrations is the SQL of the embedded migrations, in order.
func embeddedMigrations(tb testing.TB) []string {
	tb.Helper()
	m, err := loadMigrations(migrationFiles)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// schemaDump describes the schema of db: every entry of sqlite_master with
// its SQL, and the full-text index's settings, as testdata/schema.sha256
// holds their hashes.
func schemaDump(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	var b strings.Builder
	rows, err := db.Query(`SELECT type, name, tbl_name, ifnull(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "-- %s %s on %s\n%s;\n\n", typ, name, tbl, text)
	}
	if err := rows.Close(); err != nil {
		tb.Fatal(err)
	}
	rows, err = db.Query(`SELECT k, v FROM articles_fts_config ORDER BY k`)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "-- articles_fts_config %s = %s\n", k, v)
	}
	if err := rows.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// schemaHashes reads testdata/schema.sha256: the SHA-256 of the schema
// dump of each version, in order from version 1, as the migrations made it
// when they were Go strings in store.go.
func schemaHashes(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema.sha256"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		v, h, ok := strings.Cut(line, " ")
		if n, err := strconv.Atoi(v); !ok || err != nil || n != len(out)+1 || len(h) != 64 {
			tb.Fatalf("testdata/schema.sha256:%d: want version %d and a hash: %q", i+1, len(out)+1, line)
		}
		out = append(out, h)
	}
	return out
}

// schemaHash is the SHA-256 of db's schemaDump, in hex.
func schemaHash(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	h := sha256.Sum256([]byte(schemaDump(tb, db)))
	return hex.EncodeToString(h[:])
}

// oldStore makes, in a fresh file, a store at schema version n as the
// program of that version left it: the first n migrations applied and the
// version recorded.
func oldStore(tb testing.TB, n int) *sql.DB {
	tb.Helper()
	db := openDB(tb, tb.TempDir())
	exec(tb, db, `CREATE TABLE feeds_schema (version INTEGER NOT NULL)`)
	for _, q := range embeddedMigrations(tb)[:n] {
		exec(tb, db, q)
	}
	exec(tb, db, `INSERT INTO feeds_schema VALUES (?)`, n)
	return db
}

func exec(tb testing.TB, db *sql.DB, q string, args ...any) {
	tb.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		tb.Fatalf("%v\n%s", err, q)
	}
}

// The embedded migrations are every version's, in order: one file per
// schema version known (testdata/schema.sha256, hashed from the stores the
// migrations made when they were Go strings in store.go), numbered 0001 on
// without a gap.
func TestEmbeddedMigrationsCompleteAndOrdered(t *testing.T) {
	known := schemaHashes(t)
	m := embeddedMigrations(t)
	if len(m) != len(known) {
		t.Fatalf("%d migrations embedded, %d schema versions known", len(m), len(known))
	}
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil || len(entries) != len(m) {
		t.Fatalf("%d files in migrations/ (%v), %d migrations", len(entries), err, len(m))
	}
	for i, e := range entries {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(e.Name(), want) || !strings.HasSuffix(e.Name(), ".sql") {
			t.Errorf("migration %d is %s, want %s….sql", i+1, e.Name(), want)
		}
	}
}

// Every schema version the embedded migrations make is the one the Go
// string migrations made: the same tables, indexes, triggers (their SQL
// text as stored) and full-text settings.
func TestEmbeddedMigrationsMakeTheOldSchemas(t *testing.T) {
	for i, want := range schemaHashes(t) {
		n := i + 1
		if n > len(embeddedMigrations(t)) {
			t.Fatalf("no migration %d", n)
		}
		db := oldStore(t, n)
		if got := schemaHash(t, db); got != want {
			t.Errorf("schema version %d is not the old one (testdata/schema.sha256): %s\n%s", n, got, schemaDump(t, db))
		}
	}
}

// A store left at any older version, holding a feed and a read article
// (stored as that version's program stored them), opens: it is migrated
// to the current schema, exactly as a new store has it, and keeps its
// feed, article, read state, counters and search index.
func TestOldStoresUpgrade(t *testing.T) {
	ctx := context.Background()
	latest := len(embeddedMigrations(t))
	want := schemaHashes(t)[latest-1]
	for n := 1; n < latest; n++ {
		t.Run(fmt.Sprint("from ", n), func(t *testing.T) {
			db := oldStore(t, n)
			exec(t, db, `INSERT INTO feeds (id, url, name, origin) VALUES (1, 'https://old.example/feed', 'Old', 'import')`)
			exec(t, db, `INSERT INTO articles (seq, id, feed_id, title, link, summary, content, published, first_seen, read)
				VALUES (1, 'old1', 1, 'Tenge before', 'https://old.example/1', 'Rates held', 'Plain body', 1000, 1000, 1)`)
			if n >= 3 { // the save filled the full-text index, no trigger
				exec(t, db, `INSERT INTO articles_fts (rowid, title, summary, content) VALUES (1, 'Tenge before', 'Rates held', 'Plain body')`)
			}
			switch {
			case n >= 9: // article_state lost its feed_id to article_feeds
				exec(t, db, `INSERT INTO article_state (seq, published, read) VALUES (1, 1000, 1)`)
				exec(t, db, `INSERT INTO article_feeds (feed_id, published, seq, read) VALUES (1, 1000, 1, 1)`)
			case n >= 6: // the save inserted the read state, no trigger
				exec(t, db, `INSERT INTO article_state (seq, feed_id, published, read) VALUES (1, 1, 1000, 1)`)
			}
			exec(t, db, `UPDATE article_stats SET total = 1`)
			exec(t, db, `INSERT INTO article_anchors VALUES (0, 1000, 1)`)

			var told [][2]int
			st, err := OpenStoreUpgrading(db, func(from, to int) { told = append(told, [2]int{from, to}) })
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if len(told) != 1 || told[0] != [2]int{n, latest} {
				t.Errorf("the upgrade was announced as %v, want once, %d to %d", told, n, latest)
			}
			var v int
			if err := db.QueryRow(`SELECT version FROM feeds_schema`).Scan(&v); err != nil || v != latest {
				t.Errorf("version %d, %v; want %d", v, err, latest)
			}
			if got := schemaHash(t, db); got != want {
				t.Errorf("upgraded schema is not version %d's (testdata/schema.sha256): %s\n%s", latest, got, schemaDump(t, db))
			}
			fs, err := st.Feeds(ctx)
			if err != nil || len(fs) != 1 || fs[0].Name != "Old" || fs[0].Origin != OriginImport {
				t.Fatalf("feeds after the upgrade: %+v, %v", fs, err)
			}
			a, err := st.Article(ctx, "old1")
			if err != nil || a.Title != "Tenge before" || !a.Read || a.Content != "Plain body" || a.Body != "" {
				t.Fatalf("article after the upgrade: %+v, %v", a, err)
			}
			p, err := st.Page(ctx, 1, 10)
			if err != nil || p.Total != 1 || p.Unread != 0 || len(p.Items) != 1 {
				t.Errorf("page after the upgrade: %+v, %v", p, err)
			}
			if got := found(t, st, "tenge"); got != "old1" {
				t.Errorf("search after the upgrade: [%s]", got)
			}
			recount(t, st)
			ftsIntact(t, st)
			// And the store works on: a new article is saved, counted and found.
			if n, err := st.SaveArticles(ctx, 1, []Article{{ID: "new1", Title: "Som after", Published: t0}}, t0); err != nil || n != 1 {
				t.Fatalf("save after the upgrade: %d, %v", n, err)
			}
			if got := found(t, st, "som"); got != "new1" {
				t.Errorf("new article not found: [%s]", got)
			}
			recount(t, st)
		})
	}
}

// A store newer than the program is refused, not changed.
func TestNewerStoreRefused(t *testing.T) {
	latest := len(embeddedMigrations(t))
	db := oldStore(t, latest)
	exec(t, db, `UPDATE feeds_schema SET version = ?`, latest+1)
	if _, err := OpenStore(db); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d is newer", latest+1)) {
		t.Errorf("OpenStore of a newer store: %v", err)
	}
}

func TestLoadMigrationsRefusesGapsAndEmptyFiles(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("CREATE TABLE t (x);\n")}
	comments := &fstest.MapFile{Data: []byte("-- nothing yet\n\n")}
	for name, tc := range map[string]struct {
		fs   fstest.MapFS
		want string // "" = no error
	}{
		"in order": {fstest.MapFS{"migrations/0001_a.sql": sql, "migrations/0002_b.sql": sql}, ""},
		"none":     {fstest.MapFS{}, "no migrations"},
		"gap":      {fstest.MapFS{"migrations/0001_a.sql": sql, "migrations/0003_c.sql": sql}, "migrations/0003_c.sql: want the name of migration 2"},
		"no number": {fstest.MapFS{"migrations/0001_a.sql": sql, "migrations/two.sql": sql},
			"migrations/two.sql: want the name of migration 2"},
		"short number": {fstest.MapFS{"migrations/1_a.sql": sql}, "migrations/1_a.sql: want the name of migration 1"},
		"twice":        {fstest.MapFS{"migrations/0001_a.sql": sql, "migrations/0001_b.sql": sql}, "migrations/0001_b.sql: want the name of migration 2"},
		"empty":        {fstest.MapFS{"migrations/0001_a.sql": comments}, "migrations/0001_a.sql: no SQL in it"},
	} {
		m, err := loadMigrations(tc.fs)
		switch {
		case tc.want == "" && (err != nil || len(m) != len(tc.fs)):
			t.Errorf("%s: %d migrations, %v", name, len(m), err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}

// A store made by version 8 (one feed per article, a cross-feed copy set
// aside in articles_seen) is migrated to article_feeds: read and star
// state, counts and views as they were, every article in its feed; the
// set-aside copy's feed joins the article when it carries the story again.
func TestMigrationToArticleFeedsKeepsState(t *testing.T) {
	ctx := context.Background()
	db := oldStore(t, 8)
	exec(t, db, `INSERT INTO feeds (id, url, name, position) VALUES (1, 'https://a.example/feed', 'A', 0), (2, 'https://b.example/feed', 'B', 1)`)
	type old struct {
		seq           int64
		id            string
		feed          int64
		title, link   string
		pub           int64
		read, starred int
	}
	h := int64(time.Hour)
	rows := []old{
		{1, "a1", 1, "Tenge steady", "https://agency.example/story?utm_source=a", toNS(t0), 1, 0},
		{2, "a2", 1, "Only in A", "https://agency.example/a2", toNS(t0) - h, 0, 1},
		{3, "b1", 2, "Only in B", "https://agency.example/b1", toNS(t0) - 2*h, 1, 1},
		{4, "b2", 2, "B without a link", "", toNS(t0) - 3*h, 0, 0},
	}
	for _, r := range rows {
		// As version 8's save stored them: the row, its state (whose
		// triggers count it), its full-text entry.
		exec(t, db, `INSERT INTO articles (seq, id, feed_id, title, link, summary, content, published, first_seen)
			VALUES (?, ?, ?, ?, ?, 'sum', 'body', ?, ?)`, r.seq, r.id, r.feed, r.title, r.link, r.pub, r.pub)
		exec(t, db, `INSERT INTO article_state (seq, feed_id, published, read, starred) VALUES (?, ?, ?, ?, ?)`,
			r.seq, r.feed, r.pub, r.read, r.starred)
		exec(t, db, `INSERT INTO articles_fts (rowid, title, summary, content) VALUES (?, ?, 'sum', 'body')`, r.seq, r.title)
	}
	// B's copy of a1 (the same link) was set aside as seen.
	exec(t, db, `INSERT INTO articles_seen (feed_id, id, seen_at) VALUES (2, 'b-dup', ?)`, toNS(t0))
	exec(t, db, `INSERT INTO remote_entries (seq, remote_id) VALUES (3, 'r3')`)
	exec(t, db, `UPDATE articles_seq SET high = 4`)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := updateAnchors(ctx, tx, nil, len(rows)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	st, err := OpenStore(db)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if got, want := schemaHash(t, db), schemaHashes(t)[len(embeddedMigrations(t))-1]; got != want {
		t.Errorf("migrated schema is not the new one: %s", got)
	}
	for _, r := range rows {
		a, err := st.Article(ctx, r.id)
		if err != nil || a.Read != (r.read == 1) || a.Starred != (r.starred == 1) || a.FeedID != r.feed || a.Link != r.link {
			t.Errorf("%s after the migration: %+v, %v", r.id, a, err)
		}
	}
	if got := counts(t, st); got["A"] != "1/2" || got["B"] != "1/2" {
		t.Errorf("FeedCounts %v, want A 1/2, B 1/2", got)
	}
	if u, n, _ := st.StarredCount(ctx); u != 1 || n != 2 {
		t.Errorf("StarredCount %d/%d, want 1/2", u, n)
	}
	for _, tc := range []struct {
		v    View
		want string
	}{
		{View{}, "a1,a2,b1,b2"},
		{View{FeedID: 1}, "a1,a2"},
		{View{FeedID: 2}, "b1,b2"},
		{View{UnreadOnly: true}, "a2,b2"},
		{View{FeedID: 2, UnreadOnly: true}, "b2"},
		{View{Starred: true}, "a2,b1"},
		{View{FeedID: 2, Starred: true}, "b1"},
		{View{Query: "tenge"}, "a1"},
	} {
		if got, _ := viewIDs(t, st, tc.v); got != tc.want {
			t.Errorf("%+v: [%s], want [%s]", tc.v, got, tc.want)
		}
	}
	var link int64
	if err := db.QueryRow(`SELECT link FROM article_feeds WHERE seq = 1`).Scan(&link); err != nil || link != linkHash("https://agency.example/story") || link == 0 {
		t.Errorf("a1's link hash %d, %v", link, err)
	}
	if ids, err := st.RemoteIDs(ctx, []string{"b1"}); err != nil || ids["b1"] != "r3" {
		t.Errorf("remote tie after the migration: %v, %v", ids, err)
	}
	recount(t, st)
	ftsIntact(t, st)
	orderIntact(t, st)

	// B carries its copy of the story again (its own tracking parameter):
	// B joins the article, not new (it was counted when set aside), read
	// as the article is.
	n, err := st.SaveArticles(ctx, 2, []Article{
		{ID: "b-dup", Title: "Tenge steady", Link: "https://agency.example/story?utm_source=b", Published: t0},
		{ID: "b1", Title: "Only in B", Link: "https://agency.example/b1", Summary: "sum", Content: "body", Published: fromNS(toNS(t0) - 2*h)},
	}, t0.Add(time.Hour))
	if err != nil || n != 0 {
		t.Fatalf("B again: %d new, %v", n, err)
	}
	if got := counts(t, st); got["A"] != "1/2" || got["B"] != "1/3" {
		t.Errorf("FeedCounts after B joined %v, want A 1/2, B 1/3", got)
	}
	if got, _ := viewIDs(t, st, View{FeedID: 2}); got != "a1,b1,b2" {
		t.Errorf("B's view [%s]", got)
	}
	if got, total := viewIDs(t, st, View{}); got != "a1,a2,b1,b2" || total != 4 {
		t.Errorf("all [%s] %d", got, total)
	}
	var seen int
	db.QueryRow(`SELECT count(*) FROM articles_seen WHERE seq IS NULL`).Scan(&seen)
	if seen != 0 {
		t.Errorf("%d keys still set aside", seen)
	}
	if a, err := st.Article(ctx, "b-dup"); err != nil || a.ID != "a1" {
		t.Errorf("B's id of the story finds %+v, %v", a, err)
	}
	recount(t, st)
}

// A new store, and one already at this version, are not announced as an
// upgrade.
func TestNoUpgradeAnnouncedForNewOrCurrentStores(t *testing.T) {
	dir := t.TempDir()
	for _, what := range []string{"new", "current"} {
		called := false
		st, err := OpenStoreUpgrading(openDB(t, dir), func(int, int) { called = true })
		if err != nil {
			t.Fatal(err)
		}
		if called {
			t.Errorf("a %s store was announced as an upgrade", what)
		}
		st.db.Close()
	}
}
