package feeds

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	_ "modernc.org/sqlite"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// mainDSN is the query of the DSN main opens the store with.
const mainDSN = "_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=page_size(8192)&_pragma=temp_store(2)&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1"

// openDB opens a fresh SQLite file in dir the way main does.
func openDB(tb testing.TB, dir string) *sql.DB {
	tb.Helper()
	path := filepath.Join(dir, "steppe.db")
	db, err := sql.Open("sqlite", "file:"+path+"?"+mainDSN)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newStore(tb testing.TB) *Store {
	tb.Helper()
	st, err := OpenStore(openDB(tb, tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// readPayload reads a feed payload of the parser's tests (parse/testdata),
// which the fetch tests serve.
func readPayload(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("parse", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// addFeed stores one config feed and returns it.
func addFeed(tb testing.TB, st *Store, name, url string) Feed {
	tb.Helper()
	added, err := st.AddFeeds(context.Background(), []Spec{{Name: name, URL: url}})
	if err != nil || len(added) != 1 {
		tb.Fatalf("AddFeeds(%s) = %v, %v", url, added, err)
	}
	fs, err := st.Feeds(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range fs {
		if f.URL == added[0].URL {
			return f
		}
	}
	tb.Fatalf("feed %s not listed", url)
	return Feed{}
}

var t0 = time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC)

// unsafeIn reports the first character that must never reach a terminal.
// Entity text ("&#27;") is not one: text is decoded once, before cleaning,
// and nothing decodes it again.
func unsafeIn(s string, body bool) (rune, bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, true
	}
	for _, r := range s {
		if r == '\n' && body {
			continue
		}
		if sanitize.Unsafe(r) {
			return r, true
		}
	}
	return 0, false
}

func assertSafeArticle(t *testing.T, a Article) {
	t.Helper()
	for name, v := range map[string]string{
		"title": a.Title, "summary": a.Summary, "author": a.Author, "link": a.Link,
		"feed": a.FeedName, "id": a.ID,
	} {
		if r, bad := unsafeIn(v, false); bad {
			t.Errorf("%s of %q holds %U: %q", name, a.Title, r, v)
		}
	}
	if r, bad := unsafeIn(a.Content, true); bad {
		t.Errorf("content of %q holds %U: %q", a.Title, r, a.Content)
	}
	if err := htmlclean.Check(a.Body); err != nil {
		t.Errorf("body of %q: %v\n%s", a.Title, err, a.Body)
	}
}
