package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// ErrNotFound is returned when an article id is not in the store.
var ErrNotFound = errors.New("feeds: article not found")

// anchorEvery is K: the anchor table keeps the key of every K-th article in
// order (counted from the oldest), so any page is found by one anchor lookup plus a walk
// of fewer than K index entries.
const anchorEvery = 128

// Store keeps feeds and articles in SQLite. It owns the tables it creates
// (all prefixed feeds_/articles) and migrates them itself.
type Store struct {
	db *sql.DB
	// wmu serialises this process's write transactions: SQLite has one
	// writer, and waiting here is cheaper and kinder than SQLITE_BUSY.
	wmu sync.Mutex
	// stmts holds the statements of the views by SQL text (see prepared).
	stmts sync.Map
	// watch is DataVersion's connection.
	watch watcher
	// rules are the ignore rules and query feeds applied (SetRules).
	rules atomic.Pointer[ruleSet]
	// chunkTime, when set, replaces saveChunkTime: a test that counts
	// transactions sets it past what a loaded machine under -race needs.
	chunkTime time.Duration
	// plainRules, when set, keeps readers off the query feeds' stored
	// matches (rulemat.go): a test compares them with the plain path.
	plainRules bool
	// rulesErr is the last error syncRules met (RulesError).
	rulesErr atomic.Pointer[error]
}

// maxIdleConns is how many connections the store keeps open when idle:
// the refresh's readers (a few fetch workers at once) and its writer.
const maxIdleConns = 16

// OpenStore migrates the feeds tables in db (opened by the caller with the
// modernc.org/sqlite driver) and returns the store.
func OpenStore(db *sql.DB) (*Store, error) { return OpenStoreUpgrading(db, nil) }

// OpenStoreUpgrading is OpenStore that first calls upgrading (when not
// nil) with the schema versions when the store was made by an older
// steppe and is migrated now: an upgrade may rewrite every article (a
// large store takes a while), and the caller can say so.
func OpenStoreUpgrading(db *sql.DB, upgrading func(from, to int)) (*Store, error) {
	// Keep the connections a refresh uses open between uses: database/sql
	// keeps two idle by default, and every other one it opens again runs
	// the driver's pragmas (parsed anew) for each feed's read.
	db.SetMaxIdleConns(maxIdleConns)
	s := &Store{db: db}
	if err := s.migrate(context.Background(), upgrading); err != nil {
		return nil, fmt.Errorf("feeds: migrating store: %w", err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context, upgrading func(from, to int)) error {
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// One connection: its temporary files (statement journals, VACUUM's
	// copy) go to disk while it migrates, not to memory as the caller may
	// have them (temp_store = MEMORY): migration 14 rewrites every
	// article, and held the old pages of a 500 MB store in memory.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var temp int
	if err := conn.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&temp); err != nil {
		return err
	}
	if temp == 2 {
		if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return err
		}
		defer func() {
			// The connection goes back to the pool as the caller set it
			// (this pragma does not fail: it only sets the connection's
			// choice).
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`)
		}()
	}
	if err := createSchemaTable(ctx, conn); err != nil {
		return err
	}
	ran := false
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var v int
		err = tx.QueryRowContext(ctx, `SELECT version FROM feeds_schema`).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, `INSERT INTO feeds_schema VALUES (0)`)
		}
		if err != nil {
			tx.Rollback()
			return err
		}
		if v > len(migrations) {
			tx.Rollback()
			return fmt.Errorf("schema version %d is newer than this program (%d)", v, len(migrations))
		}
		if v == len(migrations) {
			if err := tx.Commit(); err != nil {
				return err
			}
			if ran {
				return autoVacuum(ctx, conn)
			}
			return nil
		}
		if !ran && v > 0 && upgrading != nil {
			upgrading(v, len(migrations))
		}
		ran = true
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if after := afterMigration[v+1]; after != nil {
			if err := after(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE feeds_schema SET version = ?`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}

// createSchemaTable makes feeds_schema if it is missing. A new (empty)
// database is given auto_vacuum = FULL first, on the connection that
// makes its first table: a store gives back the pages of pruned
// articles, and it cannot be set later without a VACUUM (autoVacuum).
func createSchemaTable(ctx context.Context, conn *sql.Conn) error {
	var tables int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return err
	}
	if tables == 0 {
		if _, err := conn.ExecContext(ctx, `PRAGMA auto_vacuum = FULL`); err != nil {
			return err
		}
	}
	_, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS feeds_schema (version INTEGER NOT NULL)`)
	return err
}

// autoVacuum, after migrations ran, gives a store made before it was
// set auto_vacuum = FULL, with the one VACUUM that takes it in: an
// upgraded store shrinks to what migration 14 left (an article's text
// packed once).
func autoVacuum(ctx context.Context, conn *sql.Conn) error {
	var mode int
	if err := conn.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return err
	}
	if mode == 1 { // FULL
		return nil
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA auto_vacuum = FULL`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
}

// writeTx runs fn in one write transaction. The first statement takes the
// write lock, so a concurrent writer (another package, another process)
// makes us wait on busy_timeout instead of failing a lock upgrade.
func (s *Store) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE article_stats SET generation = generation + 1`); err != nil {
		tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func toNS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Origins of a stored feed.
const (
	// OriginConfig is a feed of the config file (or the built-in defaults):
	// SyncFeeds owns it, and it is removed by editing the config.
	OriginConfig = "config"
	// OriginImport is a feed kept in the store: imported from OPML or added
	// with `steppe feeds add`. RemoveFeed removes it.
	OriginImport = "import"
)

// Limits on what a feed list (config, OPML, the command line) may hold.
const (
	// MaxURLLen is the longest feed URL accepted, in bytes.
	MaxURLLen = 2048
	// MaxNameLen is the longest feed or folder name kept, in characters;
	// a longer one is cut and ends with "…".
	MaxNameLen = 200
)

// ErrHiddenCredentials is a feed URL whose user name and password are the
// "***" that steppe shows in their place (an export made without
// --with-credentials): stored, the stars would be sent as a user name.
var ErrHiddenCredentials = errors.New("its user name and password were hidden (***) where it was copied from; give them again, or export with --with-credentials")

// CheckNewURL is NormURL for a feed about to be added: it also refuses
// hidden credentials (ErrHiddenCredentials).
func CheckNewURL(raw string) (string, error) {
	u, err := NormURL(raw)
	if err != nil {
		return "", err
	}
	p, err := url.Parse(u)
	if err != nil {
		return "", errors.New("not a valid URL")
	}
	if p.User != nil && p.User.Username() == "***" {
		return "", ErrHiddenCredentials
	}
	for name, vals := range p.Query() {
		if sanitize.SecretParam(name) && slices.Contains(vals, "***") {
			return "", fmt.Errorf("its %s was hidden (***) where it was copied from; give it again, or export with --with-credentials", name)
		}
	}
	return u, nil
}

// NormURL returns the form of a feed URL that is stored and compared:
// scheme and host in lower case, the default port (80 for http, 443 for
// https) and the fragment dropped, control characters removed. The error
// says in words why raw is not a usable feed URL.
func NormURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxURLLen {
		return "", fmt.Errorf("URL longer than %d characters", MaxURLLen)
	}
	raw = sanitize.Line(raw)
	if raw == "" {
		return "", errors.New("no URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("not a valid URL")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("not an http(s) URL")
	}
	if u.Host == "" {
		return "", errors.New("URL without a host")
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// CapName cleans a feed or folder name to one line (sanitize.Line) of at
// most MaxNameLen characters, cut with an ellipsis.
func CapName(s string) string {
	if len(s) > 16*MaxNameLen {
		s = s[:16*MaxNameLen] // a 50 MB name is not cleaned whole
	}
	s = sanitize.Line(s)
	if utf8.RuneCountInString(s) <= MaxNameLen {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:MaxNameLen-1])) + "…"
}

// NormGroup cleans a group path: every part cleaned and capped like a name,
// empty parts dropped, joined by "/" ("News / Asia/" → "News/Asia").
func NormGroup(g string) string {
	var parts []string
	for p := range strings.SplitSeq(g, "/") {
		if p = CapName(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// NormSpec cleans a spec as the store keeps it: URL as NormURL gives it,
// name capped (CapName; the URL's host when it has none), group as
// NormGroup gives it, no negative refresh. ok is false when the URL is not
// usable (NormURL).
func NormSpec(sp Spec) (Spec, bool) {
	u, err := NormURL(sp.URL)
	if err != nil {
		return sp, false
	}
	sp.URL = u
	sp.Name = CapName(sp.Name)
	if sp.Name == "" {
		sp.Name = textfmt.Host(u)
	}
	sp.Group = NormGroup(sp.Group)
	if sp.Refresh < 0 {
		sp.Refresh = 0
	}
	return sp, true
}

// SyncFeeds makes the stored config feeds match specs: new URLs are added,
// known ones updated (and re-activated; the config's name, group and order
// win), config feeds missing from specs are made inactive. Imported feeds
// are left alone. Specs whose URL is not usable (NormURL) are ignored. A
// sync that changes nothing leaves FeedsGeneration as it was. It returns
// the active feeds.
func (s *Store) SyncFeeds(ctx context.Context, specs []Spec) ([]Feed, error) {
	// The usual case, the config as it was: nothing to write (a write
	// transaction before the dashboard's first frame is 3 ms of it).
	if same, err := s.synced(ctx, specs); err == nil && same {
		return s.Feeds(ctx)
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		gone, err := activeConfigURLs(ctx, tx)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		pos := 0
		for _, sp := range specs {
			sp, ok := NormSpec(sp)
			if !ok || seen[sp.URL] {
				continue
			}
			seen[sp.URL] = true
			delete(gone, sp.URL)
			if _, err := tx.ExecContext(ctx, `
INSERT INTO feeds (url, name, grp, origin, position, active, refresh_ns)
VALUES (?, ?, ?, 'config', ?, 1, ?)
ON CONFLICT(url) DO UPDATE SET name = excluded.name, grp = excluded.grp, origin = 'config',
	position = excluded.position, active = 1, refresh_ns = excluded.refresh_ns`,
				sp.URL, sp.Name, sp.Group, pos, int64(sp.Refresh)); err != nil {
				return err
			}
			pos++
		}
		for u := range gone {
			if _, err := tx.ExecContext(ctx, `UPDATE feeds SET active = 0 WHERE url = ?`, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: sync: %w", err)
	}
	return s.Feeds(ctx)
}

// synced reports whether the stored feeds are what SyncFeeds would make of
// specs.
func (s *Store) synced(ctx context.Context, specs []Spec) (bool, error) {
	type stored struct {
		name, grp, origin string
		pos, refresh      int64
		active            bool
	}
	rows, err := s.db.QueryContext(ctx, `SELECT url, name, grp, origin, position, active, refresh_ns FROM feeds`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	byURL := map[string]stored{}
	activeConfig := 0
	for rows.Next() {
		var u string
		var f stored
		if err := rows.Scan(&u, &f.name, &f.grp, &f.origin, &f.pos, &f.active, &f.refresh); err != nil {
			return false, err
		}
		byURL[u] = f
		if f.origin == OriginConfig && f.active {
			activeConfig++
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, sp := range specs {
		sp, ok := NormSpec(sp)
		if !ok || seen[sp.URL] {
			continue
		}
		f, ok := byURL[sp.URL]
		if !ok || f.name != sp.Name || f.grp != sp.Group || f.origin != OriginConfig || !f.active ||
			f.pos != int64(len(seen)) || f.refresh != int64(sp.Refresh) {
			return false, nil
		}
		seen[sp.URL] = true
	}
	// No other config feed is active (it would be made inactive).
	return activeConfig == len(seen), nil
}

// activeConfigURLs returns the URLs of the active config feeds.
func activeConfigURLs(ctx context.Context, tx *sql.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT url FROM feeds WHERE origin = 'config' AND active = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out[u] = true
	}
	return out, rows.Err()
}

// AddFeeds adds feeds kept in the store (OPML import). URLs already stored
// as active feeds, duplicates within specs and unusable URLs are skipped; a
// stored but inactive feed is re-activated as imported, with the name and
// group of its spec. It returns the specs added, normalised.
func (s *Store) AddFeeds(ctx context.Context, specs []Spec) (added []Spec, err error) {
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		added = nil
		next, err := nextImportPosition(ctx, tx)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, sp := range specs {
			sp, ok := NormSpec(sp)
			if !ok || seen[sp.URL] {
				continue
			}
			seen[sp.URL] = true
			_, ok, err := insertImported(ctx, tx, sp, next)
			if err != nil {
				return err
			}
			if ok {
				added = append(added, sp)
				next++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: import: %w", err)
	}
	return added, nil
}

func nextImportPosition(ctx context.Context, tx *sql.Tx) (int, error) {
	var next int
	err := tx.QueryRowContext(ctx,
		`SELECT coalesce(max(position), -1) + 1 FROM feeds WHERE origin = 'import'`).Scan(&next)
	return next, err
}

// insertImported stores sp (normalised) as an imported feed at position
// pos, unless its URL is already an active feed: ok is false then.
func insertImported(ctx context.Context, tx *sql.Tx, sp Spec, pos int) (id int64, ok bool, err error) {
	err = tx.QueryRowContext(ctx, `
INSERT INTO feeds (url, name, grp, origin, position, active, refresh_ns)
VALUES (?, ?, ?, 'import', ?, 1, ?)
ON CONFLICT(url) DO UPDATE SET name = excluded.name, grp = excluded.grp, origin = 'import',
	position = excluded.position, active = 1, refresh_ns = excluded.refresh_ns
WHERE active = 0
RETURNING id`,
		sp.URL, sp.Name, sp.Group, pos, int64(sp.Refresh)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

const feedCols = `id, name, url, grp, CASE WHEN remote_id <> '' THEN 'server' ELSE origin END, refresh_ns, etag, last_modified, last_fetch, last_ok,
	last_status, last_error, last_short, next_fetch, last_note`

type scanner interface{ Scan(...any) error }

func scanFeed(r scanner) (Feed, error) {
	var f Feed
	var refresh, lastFetch, lastOK, next int64
	err := r.Scan(&f.ID, &f.Name, &f.URL, &f.Group, &f.Origin, &refresh, &f.ETag, &f.LastModified,
		&lastFetch, &lastOK, &f.LastStatus, &f.LastError, &f.LastShort, &next, &f.Note)
	f.Refresh = time.Duration(refresh)
	f.LastFetch, f.LastOK, f.NextFetch = fromNS(lastFetch), fromNS(lastOK), fromNS(next)
	return f, err
}

// Feeds returns the active feeds: config feeds in config order, then
// imported feeds in import order.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE active = 1
ORDER BY origin = 'import', position, id`)
	if err != nil {
		return nil, fmt.Errorf("feeds: listing feeds: %w", err)
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("feeds: listing feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FindFeeds returns the active feeds that q names: the feed whose URL is
// q (compared after NormURL, or as Redact shows it), else every feed whose
// name is q, ignoring case. Several feeds may share a name.
func (s *Store) FindFeeds(ctx context.Context, q string) ([]Feed, error) {
	all, err := s.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if u, err := NormURL(q); err == nil {
		for _, f := range all {
			if f.URL == u || strings.ContainsAny(f.URL, "@?") && redactedURL(f.URL) == u {
				return []Feed{f}, nil
			}
		}
	}
	var out []Feed
	name := sanitize.Line(q)
	for _, f := range all {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	return out, nil
}

// redactedURL is u as Redact shows it, normalised as NormURL compares it.
func redactedURL(u string) string {
	r, err := NormURL(sanitize.Redact(u))
	if err != nil {
		return ""
	}
	return r
}

// ErrConfigFeed is returned by RemoveFeed for a feed of the config file:
// it is removed by editing the config.
var ErrConfigFeed = errors.New("feeds: the feed comes from the config file")

// keepSeqHigh records the highest seq stored before a delete, so that no
// later save hands it out again (nextSeq).
func keepSeqHigh(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE articles_seq
SET high = max(high, ifnull((SELECT max(seq) FROM articles), 0)) WHERE one = 1`)
	return err
}

// RemoveFeed deletes an active imported feed and its stored articles, and
// returns how many articles went with it. A config feed is refused with
// ErrConfigFeed; an unknown id is ErrNotFound.
func (s *Store) RemoveFeed(ctx context.Context, id int64) (articles int64, err error) {
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var origin string
		err := tx.QueryRowContext(ctx, `SELECT CASE WHEN remote_id <> '' THEN 'server' ELSE origin END
FROM feeds WHERE id = ? AND active = 1`, id).Scan(&origin)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if origin == OriginServer {
			return ErrServerFeed
		}
		if origin != OriginImport {
			return ErrConfigFeed
		}
		articles, err = deleteFeedTx(ctx, tx, id)
		return err
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConfigFeed) || errors.Is(err, ErrServerFeed) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("feeds: removing feed: %w", err)
	}
	return articles, nil
}

// CountByFeed returns the article counts of every feed that has articles,
// by feed id (FeedCount.Feed is left zero). It reads the counters: one
// row per feed.
func (s *Store) CountByFeed(ctx context.Context) (map[int64]FeedCount, error) {
	all, err := s.counters(ctx)
	for id, c := range all {
		if c.Total == 0 {
			delete(all, id)
		}
	}
	return all, err
}

// FeedsGeneration is a number that changes whenever a feed is added,
// removed, re-activated or deactivated, renamed, regrouped, reordered or
// given another refresh interval, by this process or another one (the
// command line beside a running dashboard). Fetch status changes do not
// count. Reading it is one row lookup: poll it and reload Feeds when it
// differs from the last value seen.
func (s *Store) FeedsGeneration(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT n FROM feeds_generation`).Scan(&n); err != nil {
		return 0, fmt.Errorf("feeds: generation: %w", err)
	}
	return n, nil
}

func (s *Store) feed(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (Feed, error) {
	return scanFeed(q.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE id = ?`, id))
}

// setStatus stores the outcome of a fetch in the feed's status columns.
func setStatus(ctx context.Context, tx *sql.Tx, f Feed) error {
	_, err := tx.ExecContext(ctx, `UPDATE feeds SET etag = ?, last_modified = ?, last_fetch = ?,
	last_ok = ?, last_status = ?, last_error = ?, last_short = ?, next_fetch = ?, last_note = ? WHERE id = ?`,
		f.ETag, f.LastModified, toNS(f.LastFetch), toNS(f.LastOK), f.LastStatus,
		sanitize.Redact(sanitize.Line(f.LastError)), sanitize.Redact(sanitize.Line(f.LastShort)), toNS(f.NextFetch),
		sanitize.Line(f.Note), f.ID)
	return err
}

// IsBusy reports whether err is SQLite saying another connection holds the
// lock (SQLITE_BUSY or SQLITE_LOCKED, by result code): the write may
// simply be tried again.
func IsBusy(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	switch coded.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}
