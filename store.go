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
	// Every transaction here writes, so each begins IMMEDIATE: it waits for
	// the write lock up to busy_timeout instead of failing at once with
	// SQLITE_BUSY when a deferred read lock cannot be upgraded (WAL mode).
	dsn := "file:" + path + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
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

func storeError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		return fmt.Errorf("store %s is damaged (%v); steppe will not overwrite it. Move it away to start afresh, or try `sqlite3 %s .recover`", path, err, path)
	case strings.Contains(msg, "locked"), strings.Contains(msg, "busy"):
		return fmt.Errorf("store %s is busy: another steppe is writing to it; try again in a moment (%v)", path, err)
	}
	return fmt.Errorf("store %s: %w", path, err)
}

func (s *stores) Close() error { return s.db.Close() }
