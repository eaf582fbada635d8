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
const storeSchemaVersion = 2

// storeMigrations are applied in order; an applied one is never edited.
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
	// 2: quotes held as unconfirmed; rows that could never be rates are
	// dropped: dated more than a day ahead (they pinned the ticker: the
	// newest date wins), or beyond any currency's magnitude (1e-9 to 1e9).
	`ALTER TABLE rate_history ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;
	DELETE FROM rate_history WHERE date > date('now', '+1 day');
	DELETE FROM rate_history WHERE NOT (per_base BETWEEN 1e-9 AND 1e9) OR NOT (in_base BETWEEN 1e-9 AND 1e9);`,
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

// Save upserts quotes into the history. Within one call, earlier quotes rank
// before later ones on the same date; a later call ranks before an earlier.
// A quote that cannot be a rate (see implausible: no positive numbers,
// beyond any currency's magnitude, dated more than a day ahead) fails the
// whole call. A confirmed quote confirms the unconfirmed ones it agrees
// with (see confirm).
func (s *Store) Save(ctx context.Context, quotes []Quote) error {
	if len(quotes) == 0 {
		return nil
	}
	now := s.now()
	for _, q := range quotes {
		if q.Code == "" || q.Base == "" || q.Source == "" {
			return fmt.Errorf("rates: save: incomplete quote %+v", q)
		}
		if r := implausible(q, now); r != "" {
			return fmt.Errorf("rates: save: %s/%s from %s: %s", q.Code, q.Base, q.Source, r)
		}
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
		(code, base, date, source, per_base, in_base, src_change, batch, pos, saved_at, unconfirmed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code, base, date, source) DO UPDATE SET
		per_base = excluded.per_base, in_base = excluded.in_base,
		src_change = COALESCE(excluded.src_change, rate_history.src_change),
		batch = excluded.batch, pos = excluded.pos, saved_at = excluded.saved_at,
		unconfirmed = excluded.unconfirmed`)
	if err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	defer stmt.Close()
	saved := now.UTC().Format(time.RFC3339)
	for i, q := range quotes {
		q.Code, q.Base = strings.ToUpper(q.Code), strings.ToUpper(q.Base)
		var change any
		if q.HasChange && finite(q.ChangePct) {
			change = q.ChangePct
		}
		if _, err := stmt.ExecContext(ctx, q.Code, q.Base, q.AsOf.UTC().Format(dayLayout),
			q.Source, q.PerBase, q.InBase, change, batch, i, saved, q.Unconfirmed); err != nil {
			return fmt.Errorf("rates: save %s/%s: %w", q.Code, q.Base, err)
		}
		if !q.Unconfirmed {
			if err := confirm(ctx, tx, q); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rates: save: %w", err)
	}
	return nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// references are the stored quotes of q's pair that q is checked against
// when no other source quotes it in the same refresh: those of q's date
// from other sources, those of the latest date before q's (its previous
// publication, confirmed or not), and the latest confirmed one before q's
// date. Newest date first; on a date, confirmed ones first, then as Latest
// ranks them.
func references(ctx context.Context, db querier, q Quote) ([]Quote, error) {
	code, base := strings.ToUpper(q.Code), strings.ToUpper(q.Base)
	rows, err := db.QueryContext(ctx, `SELECT date, source, per_base, in_base, unconfirmed FROM rate_history
		WHERE code = ?1 AND base = ?2 AND (
			(date = ?3 AND source <> ?4)
			OR date = (SELECT max(date) FROM rate_history WHERE code = ?1 AND base = ?2 AND date < ?3)
			OR rowid = (SELECT rowid FROM rate_history WHERE code = ?1 AND base = ?2 AND date < ?3 AND unconfirmed = 0
				ORDER BY date DESC, batch DESC, pos ASC LIMIT 1))
		ORDER BY date DESC, unconfirmed ASC, batch DESC, pos ASC`,
		code, base, q.AsOf.UTC().Format(dayLayout), q.Source)
	if err != nil {
		return nil, fmt.Errorf("rates: history of %s: %w", code, err)
	}
	defer rows.Close()
	var out []Quote
	for rows.Next() {
		r := Quote{Code: code, Base: base}
		var date string
		if err := rows.Scan(&date, &r.Source, &r.PerBase, &r.InBase, &r.Unconfirmed); err != nil {
			return nil, fmt.Errorf("rates: history of %s: %w", code, err)
		}
		if r.AsOf, err = time.ParseInLocation(dayLayout, date, time.UTC); err != nil {
			return nil, fmt.Errorf("rates: history of %s: bad stored date %q", code, date)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rates: history of %s: %w", code, err)
	}
	return out, nil
}

// confirm clears the unconfirmed mark of the stored quotes that q, a
// confirmed quote, agrees with (within historyTolerance): those of q's date
// from another source (a second source agrees) and those of the previous
// publication (the next publication agrees).
func confirm(ctx context.Context, db querier, q Quote) error {
	refs, err := references(ctx, db, q)
	if err != nil {
		return err
	}
	return confirmAmong(ctx, db, q, refs)
}

// confirmAmong is confirm with q's references already read.
func confirmAmong(ctx context.Context, db querier, q Quote, refs []Quote) error {
	for _, r := range refs {
		if !r.Unconfirmed || !agrees(q.InBase, r.InBase) {
			continue
		}
		if _, err := db.ExecContext(ctx, `UPDATE rate_history SET unconfirmed = 0
			WHERE code = ? AND base = ? AND date = ? AND source = ?`, r.Code, r.Base, r.AsOf.Format(dayLayout), r.Source); err != nil {
			return fmt.Errorf("rates: confirm %s/%s of %s: %w", r.Code, r.Base, r.AsOf.Format(dayLayout), err)
		}
	}
	return nil
}

// Latest is the newest stored quote per code: newest date first; on the
// same date a confirmed quote before an unconfirmed one, then the one saved
// most recently, and within one save the earlier. A confirmed quote has its
// change: the source's own if it gave one, else against the most recent
// confirmed quote stored for a date before it (same source if there is
// one, else any). An unconfirmed one (the newest date has nothing else) is
// marked so and has no change. Codes with nothing stored are absent; the
// rest keep the order of codes.
func (s *Store) Latest(ctx context.Context, base string, codes []string) ([]Quote, error) {
	base = strings.ToUpper(base)
	var out []Quote
	for _, code := range upper(codes) {
		var (
			q      Quote
			date   string
			change sql.NullFloat64
		)
		err := s.db.QueryRowContext(ctx, `SELECT date, source, per_base, in_base, src_change, unconfirmed FROM rate_history
			WHERE code = ? AND base = ? ORDER BY date DESC, unconfirmed ASC, batch DESC, pos ASC LIMIT 1`, code, base).
			Scan(&date, &q.Source, &q.PerBase, &q.InBase, &change, &q.Unconfirmed)
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
		switch {
		case q.Unconfirmed:
		case change.Valid:
			q.ChangePct, q.HasChange = change.Float64, true
		default:
			if err := s.historyChange(ctx, &q); err != nil {
				return nil, err
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// historyChange sets q's change against the most recent confirmed stored
// publication strictly before q.AsOf, from q's source if there is one, else
// any.
func (s *Store) historyChange(ctx context.Context, q *Quote) error {
	prev, ok, err := s.previous(ctx, *q, true)
	if err == nil && !ok {
		prev, ok, err = s.previous(ctx, *q, false)
	}
	if err != nil {
		return err
	}
	if ok {
		q.ChangePct, q.HasChange = changePct(q.InBase, prev)
	}
	return nil
}

// previous is the in_base of the most recent confirmed quote stored for a
// date before q.AsOf.
func (s *Store) previous(ctx context.Context, q Quote, sameSource bool) (float64, bool, error) {
	query := `SELECT in_base FROM rate_history WHERE code = ? AND base = ? AND date < ? AND unconfirmed = 0`
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

// Series is one point per publication date since since (oldest first), of
// confirmed quotes only: an unconfirmed quote is not drawn. On a date with
// several sources, the source of the latest confirmed quote is preferred,
// then the row ranked first as in Latest.
func (s *Store) Series(ctx context.Context, code, base string, since time.Time) ([]Point, error) {
	code, base = strings.ToUpper(code), strings.ToUpper(base)
	var pref string
	err := s.db.QueryRowContext(ctx, `SELECT source FROM rate_history WHERE code = ? AND base = ? AND unconfirmed = 0
		ORDER BY date DESC, batch DESC, pos ASC LIMIT 1`, code, base).Scan(&pref)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rates: series %s: %w", code, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT date, in_base FROM rate_history
		WHERE code = ? AND base = ? AND date >= ? AND unconfirmed = 0
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

// historyDays is how long the rate history is kept: a year and a day, so
// that a year-on-year comparison always finds its day.
const historyDays = 366

// Prune deletes the history older than historyDays at now, except the
// newest publication of each pair however old it is (a currency whose only
// source went quiet still shows its last rate), and anything dated more
// than a day after now. It returns the rows deleted.
func (s *Store) Prune(ctx context.Context, now time.Time) (int64, error) {
	today := utcDate(now.UTC())
	res, err := s.db.ExecContext(ctx, `DELETE FROM rate_history WHERE date > ?`, today.Add(maxAhead).Format(dayLayout))
	if err != nil {
		return 0, fmt.Errorf("rates: prune: %w", err)
	}
	ahead, _ := res.RowsAffected()
	res, err = s.db.ExecContext(ctx, `DELETE FROM rate_history WHERE date < ?
		AND date < (SELECT max(h.date) FROM rate_history h WHERE h.code = rate_history.code AND h.base = rate_history.base)`,
		today.AddDate(0, 0, -historyDays).Format(dayLayout))
	if err != nil {
		return ahead, fmt.Errorf("rates: prune: %w", err)
	}
	old, err := res.RowsAffected()
	return ahead + old, err
}
