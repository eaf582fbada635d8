package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// dbFile is the one SQLite file under the data directory.
const dbFile = "steppe.db"

// stores is the open database and the packages' views of it.
type stores struct {
	db       *sql.DB
	path     string
	readOnly bool        // opened read-only: the file or its directory cannot be written
	damaged  atomic.Bool // the dashboard's check found damage: nothing more is written
	feeds    *feeds.Store
	rates    *rates.Store
	settings *settings
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// openStores opens (creating if needed) the store in dataDir. A file that is
// not a SQLite database is an error naming it; it is never replaced. A store
// steppe may read but not write (its file or directory is read-only) opens
// read-only, as long as its schema is current. It returns as soon as ctx is
// done, however long SQLite waits for a lock.
func openStores(ctx context.Context, dataDir string) (*stores, error) {
	return cancellable(ctx, func() (*stores, error) { return openStoresNow(ctx, dataDir) },
		func(s *stores) { s.Close() })
}

func openStoresNow(ctx context.Context, dataDir string) (*stores, error) {
	if strings.TrimSpace(dataDir) == "" {
		return nil, badUsage("--data-dir names no directory")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, dbFile)
	exists, err := checkDBFile(path)
	if err != nil {
		return nil, err
	}
	if exists && !canWrite(path) {
		return openReadOnly(ctx, path)
	}
	// Writing transactions begin IMMEDIATE: they wait for the write lock up
	// to busy_timeout instead of failing at once with SQLITE_BUSY when a
	// deferred read lock cannot be upgraded (WAL mode). Reading transactions
	// ask for ReadOnly and begin DEFERRED. Statement journals (a statement
	// that fires triggers, within a transaction) are kept in memory, not in
	// temporary files: a fresh refresh's inserts spent a fifth of their
	// time writing them. A new store has pages of 8 KiB, not 4: an article
	// row (text and sanitised HTML) is about 3 KiB, and a fresh refresh of
	// 10,000 articles writes half as many pages (0.89 -> 0.82 s). The driver
	// runs _pragma before its _journal_mode key, so the page size is set
	// before WAL mode fixes it; an existing store keeps its own.
	st, err := openDB(ctx, path, storeParams, false)
	if err != nil && exists && isCode(err, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) {
		// The file is writable but its directory is not (SQLite cannot make
		// its -wal and -shm files there).
		if ro, roErr := openReadOnly(ctx, path); roErr == nil {
			return ro, nil
		}
	}
	if err != nil && !exists && isCode(err, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) {
		return nil, fmt.Errorf("store %s cannot be made: %s is read-only (start with --data-dir pointing elsewhere)", path, dataDir)
	}
	return st, err
}

// storeParams are the driver's parameters for a store steppe writes.
const storeParams = "_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=page_size(8192)&_pragma=temp_store(2)&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1"

// openReadOnly opens a store steppe cannot write. A store in WAL mode
// needs its -shm file: where that is missing and cannot be made (a
// read-only directory), the file is opened as immutable, as it is.
func openReadOnly(ctx context.Context, path string) (*stores, error) {
	const params = "mode=ro&_pragma=busy_timeout(10000)"
	st, err := openDB(ctx, path, params, true)
	if err != nil && isCode(err, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) {
		st, err = openDB(ctx, path, params+"&immutable=1", true)
	}
	if err != nil && isCode(err, sqlite3.SQLITE_READONLY) {
		return nil, fmt.Errorf("store %s is read-only and was made by an older steppe: open it once with write access to bring it up to date (%v)", path, err)
	}
	return st, err
}

// openDB opens the file with the driver's parameters, has the packages
// migrate (or, read-only, check) their tables, and opens the settings.
func openDB(ctx context.Context, path, params string, readOnly bool) (*stores, error) {
	db, err := sql.Open("sqlite", sqliteURI(path)+"?"+params)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	st := &stores{db: db, path: path, readOnly: readOnly}
	if err := st.open(ctx); err != nil {
		db.Close()
		return nil, storeError(path, err)
	}
	return st, nil
}

func (s *stores) open(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return err
	}
	var err error
	upgrading, _ := ctx.Value(upgradeNoticeKey{}).(func(from, to int))
	if s.feeds, err = feeds.OpenStoreUpgrading(s.db, upgrading); err != nil {
		return err
	}
	if s.rates, err = rates.OpenStore(s.db); err != nil {
		return err
	}
	s.settings, err = openSettings(ctx, s.db, s.readOnly)
	return err
}

// upgradeNoticeKey carries, in the context openStores is given, what to do
// when the store was made by an older steppe and is upgraded now
// (withUpgradeNotice).
type upgradeNoticeKey struct{}

// withUpgradeNotice has openStores say on w that it is upgrading a store
// made by an older steppe, before it does: the upgrade may rewrite every
// article, and a large store takes a while.
func withUpgradeNotice(ctx context.Context, w io.Writer, path string) context.Context {
	return context.WithValue(ctx, upgradeNoticeKey{}, func(from, to int) {
		fmt.Fprintf(w, "steppe: upgrading the store %s for this version of steppe (schema %d to %d); once, and a large store takes a while\n", path, from, to)
	})
}

// canWrite reports whether this process may write the file at path.
func canWrite(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// sqliteURI is path as a "file:" URI for the driver. SQLite decodes %XX
// in it and ends the path at '?' or '#', so a data directory named
// "50%off" or "news#1" must be escaped or a different file is opened.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// checkDBFile refuses a file that exists but is not a SQLite database, and
// tells whether the file exists.
func checkDBFile(path string) (exists bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, fmt.Errorf("store %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return true, fmt.Errorf("store %s is a directory, not a file; move it away (or start with --data-dir pointing elsewhere) and run steppe again", path)
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := f.Read(head)
	if n == 0 {
		return true, nil // an empty file is a fresh database to SQLite
	}
	if string(head[:n]) != sqliteHeader {
		return true, fmt.Errorf("store %s is not a SQLite database; steppe will not overwrite it. Move it away (or start with --data-dir pointing elsewhere) and run steppe again", path)
	}
	return true, nil
}

// isCode reports whether err is (or wraps) a SQLite error whose primary
// result code is one of codes (extended codes such as
// SQLITE_READONLY_DIRECTORY count as their primary code).
func isCode(err error, codes ...int) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	primary := se.Code() & 0xff
	for _, c := range codes {
		if primary == c {
			return true
		}
	}
	return false
}

// damaged reports whether err is SQLite finding the file damaged.
func damaged(err error) bool {
	return errors.Is(err, errDamaged) || isCode(err, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
}

// explainStoreError names the store and says what to do when a command
// failed because SQLite found damage only when it read that part of the
// file (opening it went well), or found the store busy or read-only.
func explainStoreError(dataDir string, err error) error {
	var named *namedStoreError
	if errors.As(err, &named) {
		return err
	}
	if isCode(err, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY) {
		return storeError(filepath.Join(dataDir, dbFile), err)
	}
	return err
}

// namedStoreError is a store error whose message already names the store
// and says what to do.
type namedStoreError struct {
	msg string
	err error
}

func (e *namedStoreError) Error() string { return e.msg }
func (e *namedStoreError) Unwrap() error { return e.err }

func storeError(path string, err error) error {
	var named *namedStoreError
	if errors.As(err, &named) {
		return err
	}
	switch {
	case damaged(err):
		return &namedStoreError{fmt.Sprintf("store %s is damaged (%v); steppe will not overwrite it. Move it away and run steppe again to start a fresh store: the feeds in your config come back on the first refresh, and `steppe feeds import FILE.opml` brings back an export of the ones you added", path, err), err}
	case isCode(err, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
		return &namedStoreError{fmt.Sprintf("store %s is busy: another steppe is writing to it; try again in a moment (%v)", path, err), err}
	case isCode(err, sqlite3.SQLITE_READONLY):
		return &namedStoreError{fmt.Sprintf("store %s is read-only: nothing can be saved to it (%v)", path, err), err}
	}
	return &namedStoreError{fmt.Sprintf("store %s: %v", path, err), err}
}

func (s *stores) Close() error {
	var err error
	if s.feeds != nil {
		err = s.feeds.Close()
	}
	return errors.Join(err, s.db.Close())
}

// settings are small values main keeps for the dashboard between runs
// (invert, unread-only, compact, the viewed feed), one row per key.
type settings struct {
	db       *sql.DB
	readOnly bool
	missing  bool // read-only and the table was never made: every key is unset
}

func openSettings(ctx context.Context, db *sql.DB, readOnly bool) (*settings, error) {
	s := &settings{db: db, readOnly: readOnly}
	if readOnly {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'settings'`).Scan(&n)
		s.missing = n == 0
		return s, err
	}
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
	return s, err
}

// Get returns the value stored for key; ok is false when there is none.
func (s *settings) Get(ctx context.Context, key string) (value string, ok bool, err error) {
	if s.missing {
		return "", false, nil
	}
	err = s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("settings: %s: %w", key, err)
	}
	return value, true, nil
}

// errReadOnlyStore is what writing to a read-only store returns.
var errReadOnlyStore = errors.New("the store is read-only: nothing will be saved")

// Set stores value for key, replacing what was there.
func (s *settings) Set(ctx context.Context, key, value string) error {
	if s.readOnly {
		return errReadOnlyStore
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("settings: %s: %w", key, err)
	}
	return nil
}
