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
			if n >= 6 { // the save inserted the read state, no trigger
				exec(t, db, `INSERT INTO article_state (seq, feed_id, published, read) VALUES (1, 1, 1000, 1)`)
			}
			exec(t, db, `UPDATE article_stats SET total = 1`)
			exec(t, db, `INSERT INTO article_anchors VALUES (0, 1000, 1)`)

			st, err := OpenStore(db)
			if err != nil {
				t.Fatalf("open: %v", err)
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
