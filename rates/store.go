package rates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// storeSchemaVersion is the version of the rates tables; the rates package
// keeps it in its own table so it never collides with other packages.
const storeSchemaVersion = 1

var storeMigrations = []string{
	// 1: history, one row per code, base, publication date and source.
	`CREATE TABLE IF NOT EXISTS rate_history (
		code       TEXT NOT NULL,
		base       TEXT NOT NULL,
		date       TEXT NOT NULL, -- publication date, YYYY-MM-DD
		source     TEXT NOT NULL,
		per_base   REAL NOT NULL,
		in_base    REAL NOT NULL,
		src_change REAL,          -- percent change of in_base as the source gave it
		batch      INTEGER NOT NULL,
		pos        INTEGER NOT NULL,
		saved_at   TEXT NOT NULL,
		PRIMARY KEY (code, base, date, source)
	);
	CREATE INDEX IF NOT EXISTS rate_history_date ON rate_history(date);`,
}

// Store keeps the history of quotes in SQLite, in the table rate_history.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// Point is one publication date of a series.
type Point struct {
	Date   time.Time
	InBase float64
}

// OpenStore migrates the rates tables in db (opened by the caller with the
// modernc.org/sqlite driver) and returns the store.
func OpenStore(db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("rates: OpenStore: nil db")
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("rates: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rates_schema (version INTEGER NOT NULL)`); err != nil {
		return nil, fmt.Errorf("rates: migrate: %w", err)
	}
	var v int
	switch err := tx.QueryRowContext(ctx, `SELECT version FROM rates_schema`).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO rates_schema(version) VALUES (0)`); err != nil {
			return nil, fmt.Errorf("rates: migrate: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("rates: migrate: %w", err)
	}
	if v > storeSchemaVersion {
		return nil, fmt.Errorf("rates: database schema %d is newer than this program's %d", v, storeSchemaVersion)
	}
	if v == storeSchemaVersion {
		return &Store{db: db, now: time.Now}, nil // current: nothing to write (a read-only store opens)
	}
	for ; v < storeSchemaVersion; v++ {
		if _, err := tx.ExecContext(ctx, storeMigrations[v]); err != nil {
			return nil, fmt.Errorf("rates: migrate to %d: %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rates_schema SET version = ?`, v); err != nil {
		return nil, fmt.Errorf("rates: migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rates: migrate: %w", err)
	}
	return &Store{db: db, now: time.Now}, nil
}

const dayLayout = "2006-01-02"

// Save upserts quotes into the history. Within one call, earlier quotes rank
// before later ones on the same date; a later call ranks before an earlier.
func (s *Store) Save(ctx context.Context, quotes []Quote) error {
	if len(quotes) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	defer tx.Rollback()
	var batch int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(batch), 0) + 1 FROM rate_history`).Scan(&batch); err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO rate_history
		(code, base, date, source, per_base, in_base, src_change, batch, pos, saved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code, base, date, source) DO UPDATE SET
		per_base = excluded.per_base, in_base = excluded.in_base,
		src_change = COALESCE(excluded.src_change, rate_history.src_change),
		batch = excluded.batch, pos = excluded.pos, saved_at = excluded.saved_at`)
	if err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	defer stmt.Close()
	saved := s.now().UTC().Format(time.RFC3339)
	for i, q := range quotes {
		if q.Code == "" || q.Base == "" || q.Source == "" || q.AsOf.IsZero() || !usable(q.PerBase) || !usable(q.InBase) {
			return fmt.Errorf("rates: save: incomplete quote %+v", q)
		}
		var change any
		if q.HasChange && !isBad(q.ChangePct) {
			change = q.ChangePct
		}
		if _, err := stmt.ExecContext(ctx, strings.ToUpper(q.Code), strings.ToUpper(q.Base), q.AsOf.UTC().Format(dayLayout),
			q.Source, q.PerBase, q.InBase, change, batch, i, saved); err != nil {
			return fmt.Errorf("rates: save %s/%s: %w", q.Code, q.Base, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	return nil
}

// Latest is the newest stored quote per code (newest date first; on the
// same date the one saved most recently, and within one save the earlier),
// with its change: the source's own if it gave one, else against the most
// recent stored date before it (same source if there is one, else any).
// Codes with nothing stored are absent; the rest keep the order of codes.
func (s *Store) Latest(ctx context.Context, base string, codes []string) ([]Quote, error) {
	base = strings.ToUpper(base)
	var out []Quote
	for _, code := range upper(codes) {
		var (
			q      Quote
			date   string
			change sql.NullFloat64
		)
		err := s.db.QueryRowContext(ctx, `SELECT date, source, per_base, in_base, src_change FROM rate_history
			WHERE code = ? AND base = ? ORDER BY date DESC, batch DESC, pos ASC LIMIT 1`, code, base).
			Scan(&date, &q.Source, &q.PerBase, &q.InBase, &change)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("rates: latest %s: %w", code, err)
		}
		q.Code, q.Base = code, base
		if q.AsOf, err = time.ParseInLocation(dayLayout, date, time.UTC); err != nil {
			return nil, fmt.Errorf("rates: latest %s: bad stored date %q", code, date)
		}
		if change.Valid {
			q.ChangePct, q.HasChange = change.Float64, true
		} else if err := s.historyChange(ctx, &q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// historyChange sets q's change against the most recent stored publication
// strictly before q.AsOf, from q's source if there is one, else any.
func (s *Store) historyChange(ctx context.Context, q *Quote) error {
	prev, ok, err := s.previous(ctx, *q, true)
	if err == nil && !ok {
		prev, ok, err = s.previous(ctx, *q, false)
	}
	if err != nil {
		return err
	}
	if ok {
		setChange(q, prev)
	}
	return nil
}

// previous is the in_base of the most recent stored date before q.AsOf.
func (s *Store) previous(ctx context.Context, q Quote, sameSource bool) (float64, bool, error) {
	query := `SELECT in_base FROM rate_history WHERE code = ? AND base = ? AND date < ?`
	args := []any{strings.ToUpper(q.Code), strings.ToUpper(q.Base), q.AsOf.UTC().Format(dayLayout)}
	if sameSource {
		query += ` AND source = ?`
		args = append(args, q.Source)
	}
	query += ` ORDER BY date DESC, batch DESC, pos ASC LIMIT 1`
	var v float64
	err := s.db.QueryRowContext(ctx, query, args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("rates: history of %s: %w", q.Code, err)
	}
	return v, usable(v), nil
}

// setChange sets q's change of InBase against a previous InBase.
func setChange(q *Quote, prevInBase float64) {
	if !usable(prevInBase) || !usable(q.InBase) {
		return
	}
	pct := (q.InBase/prevInBase - 1) * 100
	if isBad(pct) {
		return
	}
	q.ChangePct, q.HasChange = pct, true
}

// Series is one point per publication date since since (oldest first). On a
// date with several sources, the source of the latest quote is preferred,
// then the row ranked first as in Latest.
func (s *Store) Series(ctx context.Context, code, base string, since time.Time) ([]Point, error) {
	code, base = strings.ToUpper(code), strings.ToUpper(base)
	var pref string
	err := s.db.QueryRowContext(ctx, `SELECT source FROM rate_history WHERE code = ? AND base = ?
		ORDER BY date DESC, batch DESC, pos ASC LIMIT 1`, code, base).Scan(&pref)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rates: series %s: %w", code, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT date, in_base FROM rate_history
		WHERE code = ? AND base = ? AND date >= ?
		ORDER BY date ASC, (source = ?) DESC, batch DESC, pos ASC`, code, base, since.UTC().Format(dayLayout), pref)
	if err != nil {
		return nil, fmt.Errorf("rates: series %s: %w", code, err)
	}
	defer rows.Close()
	var pts []Point
	last := ""
	for rows.Next() {
		var (
			date string
			v    float64
		)
		if err := rows.Scan(&date, &v); err != nil {
			return nil, fmt.Errorf("rates: series %s: %w", code, err)
		}
		if date == last {
			continue
		}
		last = date
		d, err := time.ParseInLocation(dayLayout, date, time.UTC)
		if err != nil {
			return nil, fmt.Errorf("rates: series %s: bad stored date %q", code, date)
		}
		pts = append(pts, Point{Date: d, InBase: v})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rates: series %s: %w", code, err)
	}
	return pts, nil
}

// minKeep is the history always kept, whatever Prune is asked.
const minKeep = 366 * 24 * time.Hour

// Prune deletes history dated before before, but never the last year:
// before is clamped to a year ago. It returns the rows deleted.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	if limit := s.now().Add(-minKeep); before.After(limit) {
		before = limit
	}
	// The newest publication of each pair is kept however old it is: a
	// currency whose only source went quiet still shows its last rate.
	res, err := s.db.ExecContext(ctx, `DELETE FROM rate_history WHERE date < ?
		AND date < (SELECT max(h.date) FROM rate_history h WHERE h.code = rate_history.code AND h.base = rate_history.base)`,
		before.UTC().Format(dayLayout))
	if err != nil {
		return 0, fmt.Errorf("rates: prune: %w", err)
	}
	return res.RowsAffected()
}

func isBad(v float64) bool {
	return v != v || v > 1e300 || v < -1e300
}
