package feeds

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// watcher is the connection DataVersion asks on: SQLite's data_version
// counts the commits of every other connection (another process, or
// another connection of this one), as seen by the connection asking, so
// it must always be the same one.
type watcher struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// DataVersion is a number that changes whenever anything else has
// committed a change to the store since the last call: another process (a
// `steppe refresh` beside the dashboard), or another connection of this
// one. It reads PRAGMA data_version on a connection of its own, a cheap
// call (no table is read): poll it, and reload what is shown when it
// differs from the last value seen.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("feeds: data version: %w", err)
		}
		w.conn = c
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		w.conn.Close()
		w.conn = nil // a broken connection: the next call takes another
		return 0, fmt.Errorf("feeds: data version: %w", err)
	}
	return v, nil
}

// Close releases the store's own connection (DataVersion's); the caller
// closes the *sql.DB it opened.
func (s *Store) Close() error {
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil
	}
	err := w.conn.Close()
	w.conn = nil
	return err
}
