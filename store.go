package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// dbFile is the one SQLite file under the data directory.
const dbFile = "steppe.db"

// stores is the open database and the packages' views of it.
type stores struct {
	db    *sql.DB
	path  string
	feeds *feeds.Store
	rates *rates.Store
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// openStores opens (creating if needed) the store in dataDir. A file that is
// not a SQLite database is an error naming it; it is never replaced.
func openStores(ctx context.Context, dataDir string) (*stores, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, dbFile)
	if err := checkDBFile(path); err != nil {
		return nil, err
	}
	// Writing transactions begin IMMEDIATE: they wait for the write lock up
	// to busy_timeout instead of failing at once with SQLITE_BUSY when a
	// deferred read lock cannot be upgraded (WAL mode). Reading transactions
	// ask for ReadOnly and begin DEFERRED.
	dsn := sqliteURI(path) + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, storeError(path, err)
	}
	fs, err := feeds.OpenStore(db)
	if err != nil {
		db.Close()
		return nil, storeError(path, err)
	}
	rs, err := rates.OpenStore(db)
	if err != nil {
		db.Close()
		return nil, storeError(path, err)
	}
	return &stores{db: db, path: path, feeds: fs, rates: rs}, nil
}

// sqliteURI is path as a "file:" URI for the driver. SQLite decodes %XX
// in it and ends the path at '?' or '#', so a data directory named
// "50%off" or "news#1" must be escaped or a different file is opened.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// checkDBFile refuses a file that exists but is not a SQLite database.
func checkDBFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, _ := f.Read(head)
	if n == 0 {
		return nil // an empty file is a fresh database to SQLite
	}
	if string(head[:n]) != sqliteHeader {
		return fmt.Errorf("store %s is not a SQLite database; steppe will not overwrite it. Move it away (or start with --data-dir pointing elsewhere) and run steppe again", path)
	}
	return nil
}

// damaged reports whether err is SQLite finding the file damaged.
func damaged(msg string) bool {
	return strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") || strings.Contains(msg, "corrupt")
}

// explainStoreError names the store and says what to do when a command
// failed because SQLite found damage only when it read that part of the
// file (opening it went well).
func explainStoreError(dataDir string, err error) error {
	path := filepath.Join(dataDir, dbFile)
	if msg := err.Error(); damaged(msg) && !strings.Contains(msg, path) {
		return storeError(path, err)
	}
	return err
}

func storeError(path string, err error) error {
	msg := err.Error()
	switch {
	case damaged(msg):
		return fmt.Errorf("store %s is damaged (%v); steppe will not overwrite it. Move it away and run steppe again to start a fresh store; to salvage what it holds, run `sqlite3 %s .recover | sqlite3 recovered.db`", path, err, shellQuote(path))
	case strings.Contains(msg, "locked"), strings.Contains(msg, "busy"):
		return fmt.Errorf("store %s is busy: another steppe is writing to it; try again in a moment (%v)", path, err)
	}
	return fmt.Errorf("store %s: %w", path, err)
}

// shellQuote quotes path for a command a person copies into a shell.
func shellQuote(path string) string {
	if strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@", r))
	}) < 0 {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

func (s *stores) Close() error { return s.db.Close() }
