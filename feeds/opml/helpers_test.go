package opml

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	_ "modernc.org/sqlite"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// newStore opens a feeds store in a fresh SQLite file, as main opens it.
func newStore(tb testing.TB) *feeds.Store {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "steppe.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_pragma=busy_timeout(10000)&_journal_mode=WAL&_foreign_keys=1")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	st, err := feeds.OpenStore(db)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// unsafeIn reports the first character that must never reach a terminal.
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
