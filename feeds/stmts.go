package feeds

import (
	"context"
	"database/sql"
)

// stx runs the queries of one transaction (or, with tx nil, of the
// database) through statements prepared once per Store and connection:
// with modernc.org/sqlite, parsing and planning a view's query costs more
// than running it.
type stx struct {
	ctx context.Context
	s   *Store
	tx  *sql.Tx
}

// stmt returns tx's form of the statement for query, preparing it the
// first time. The SQL texts come from a few templates (views.go), so the
// cache stays small.
func (t stx) stmt(query string) (*sql.Stmt, error) {
	v, ok := t.s.stmts.Load(query)
	if !ok && t.tx != nil && poolFull(t.s.db) {
		// Preparing on the pool would wait for the connection tx holds.
		return t.tx.PrepareContext(t.ctx, query)
	}
	if !ok {
		st, err := t.s.db.PrepareContext(t.ctx, query)
		if err != nil {
			return nil, err
		}
		if v, ok = t.s.stmts.LoadOrStore(query, st); ok {
			st.Close() // prepared meanwhile by another goroutine
		}
	}
	if t.tx == nil {
		return v.(*sql.Stmt), nil
	}
	return t.tx.StmtContext(t.ctx, v.(*sql.Stmt)), nil
}

func (t stx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// errRow is a row that failed before the query ran.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (t stx) queryRow(query string, args ...any) scanner {
	st, err := t.stmt(query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(t.ctx, args...)
}

func (t stx) exec(query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

// poolFull reports a pool that has no connection to spare: a limit on open
// connections, all of them in use.
func poolFull(db *sql.DB) bool {
	st := db.Stats()
	return st.MaxOpenConnections > 0 && st.InUse >= st.MaxOpenConnections
}
