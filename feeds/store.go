package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
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
}

// migrations are applied in order; the schema version is their count.
var migrations = []string{
	// 1: feeds, articles, full-text index, paging anchors.
	`
CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	origin        TEXT NOT NULL DEFAULT 'config' CHECK (origin IN ('config','import')),
	position      INTEGER NOT NULL DEFAULT 0,
	active        INTEGER NOT NULL DEFAULT 1,
	refresh_ns    INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    INTEGER NOT NULL DEFAULT 0,
	last_ok       INTEGER NOT NULL DEFAULT 0,
	last_status   TEXT NOT NULL DEFAULT '',
	last_error    TEXT NOT NULL DEFAULT '',
	next_fetch    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE articles (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	title      TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	summary    TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL DEFAULT '',
	published  INTEGER NOT NULL,
	first_seen INTEGER NOT NULL,
	read       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_order ON articles(published, seq);
CREATE INDEX articles_link ON articles(link) WHERE link <> '';
CREATE INDEX articles_feed ON articles(feed_id);
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, content,
	content='articles', content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, content ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)
	VALUES ('delete', old.seq, old.title, old.summary, old.content);
	INSERT INTO articles_fts(rowid, title, summary, content)
	VALUES (new.seq, new.title, new.summary, new.content);
END;
-- article_anchors[n] is the key of the article at 0-based position
-- n*K of the oldest-first list (K = anchorEvery).
CREATE TABLE article_anchors (
	n         INTEGER PRIMARY KEY,
	published INTEGER NOT NULL,
	seq       INTEGER NOT NULL
);
CREATE INDEX article_anchors_key ON article_anchors(published, seq);
CREATE TABLE article_stats (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	total      INTEGER NOT NULL,
	generation INTEGER NOT NULL
);
INSERT INTO article_stats VALUES (1, 0, 0);
`,
	// 2: read state and stars in a narrow table of their own, per-feed
	// counters, and the indexes the views page through (see views.go).
	//
	// article_state has one row per article (same seq) holding copies of
	// its feed_id and published, kept by the triggers on articles, and the
	// state the user changes. Marking 100,000 articles read rewrites this
	// narrow table, not the wide article rows with their bodies.
	// articles.read is only the state an article is inserted with.
	//
	// feed_counts has a row per feed (feed_id 0: all articles) kept by the
	// triggers on article_state, so every write path (saving, updating in
	// place, pruning, removing a feed by cascade, marking read) keeps it.
	`
CREATE TABLE article_state (
	seq       INTEGER PRIMARY KEY,
	feed_id   INTEGER NOT NULL,
	published INTEGER NOT NULL,
	read      INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	starred   INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1))
);
INSERT INTO article_state (seq, feed_id, published, read)
SELECT seq, feed_id, published, read <> 0 FROM articles;
CREATE INDEX article_state_unread ON article_state(published, seq) WHERE read = 0;
CREATE INDEX article_state_feed_unread ON article_state(feed_id, published, seq) WHERE read = 0;
CREATE INDEX article_state_starred ON article_state(published, seq, feed_id, read) WHERE starred = 1;
-- One feed's articles in order (it also serves the cascade from feeds).
DROP INDEX articles_feed;
CREATE INDEX articles_feed_order ON articles(feed_id, published, seq);

CREATE TABLE feed_counts (
	feed_id        INTEGER PRIMARY KEY,
	total          INTEGER NOT NULL DEFAULT 0,
	unread         INTEGER NOT NULL DEFAULT 0,
	starred        INTEGER NOT NULL DEFAULT 0,
	starred_unread INTEGER NOT NULL DEFAULT 0
);
INSERT INTO feed_counts (feed_id) VALUES (0);
INSERT INTO feed_counts (feed_id) SELECT id FROM feeds;
UPDATE feed_counts SET total = g.total, unread = g.unread FROM (
	SELECT feed_id, count(*) AS total, sum(read = 0) AS unread FROM article_state GROUP BY feed_id
	UNION ALL
	SELECT 0, count(*), coalesce(sum(read = 0), 0) FROM article_state
) AS g WHERE g.feed_id = feed_counts.feed_id;

CREATE TRIGGER feeds_counts_ai AFTER INSERT ON feeds BEGIN
	INSERT OR IGNORE INTO feed_counts (feed_id) VALUES (new.id);
END;
CREATE TRIGGER feeds_counts_ad AFTER DELETE ON feeds BEGIN
	DELETE FROM feed_counts WHERE feed_id = old.id;
END;

CREATE TRIGGER articles_state_ai AFTER INSERT ON articles BEGIN
	INSERT INTO article_state (seq, feed_id, published, read)
	VALUES (new.seq, new.feed_id, new.published, new.read <> 0);
END;
CREATE TRIGGER articles_state_ad AFTER DELETE ON articles BEGIN
	DELETE FROM article_state WHERE seq = old.seq;
END;
CREATE TRIGGER articles_state_au AFTER UPDATE OF seq, feed_id, published ON articles BEGIN
	UPDATE article_state SET seq = new.seq, feed_id = new.feed_id, published = new.published
	WHERE seq = old.seq;
END;

-- Counters: the feed's row and row 0 take each article's contribution
-- (1, unread, starred, starred and unread); an update takes the old one
-- back and adds the new one. Two plain statements are cheaper than one
-- with IN (0, feed_id).
CREATE TRIGGER article_state_ai AFTER INSERT ON article_state BEGIN
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = 0;
END;
CREATE TRIGGER article_state_ad AFTER DELETE ON article_state BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;
CREATE TRIGGER article_state_au AFTER UPDATE OF feed_id, read, starred ON article_state
WHEN old.feed_id = new.feed_id AND (old.read <> new.read OR old.starred <> new.starred) BEGIN
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;
CREATE TRIGGER article_state_au_feed AFTER UPDATE OF feed_id ON article_state
WHEN old.feed_id <> new.feed_id BEGIN
	UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
		starred = starred - old.starred, starred_unread = starred_unread - (old.starred AND old.read = 0)
	WHERE feed_id = old.feed_id;
	UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
		starred = starred + new.starred, starred_unread = starred_unread + (new.starred AND new.read = 0)
	WHERE feed_id = new.feed_id;
	UPDATE feed_counts SET unread = unread + (new.read = 0) - (old.read = 0),
		starred = starred + new.starred - old.starred,
		starred_unread = starred_unread + (new.starred AND new.read = 0) - (old.starred AND old.read = 0)
	WHERE feed_id = 0;
END;
`,
}

// OpenStore migrates the feeds tables in db (opened by the caller with the
// modernc.org/sqlite driver) and returns the store.
func OpenStore(db *sql.DB) (*Store, error) {
	s := &Store{db: db}
	if err := s.migrate(context.Background()); err != nil {
		return nil, fmt.Errorf("feeds: migrating store: %w", err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.db.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS feeds_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	for {
		tx, err := s.db.BeginTx(ctx, nil)
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
			return tx.Commit()
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
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

// normSpec cleans a spec; ok is false when its URL is not an http(s) URL.
func normSpec(sp Spec) (Spec, bool) {
	sp.URL = strings.TrimSpace(Clean(sp.URL))
	u, err := url.Parse(sp.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return sp, false
	}
	sp.URL = u.String()
	sp.Name = Clean(sp.Name)
	if sp.Name == "" {
		sp.Name = u.Host
	}
	if sp.Refresh < 0 {
		sp.Refresh = 0
	}
	return sp, true
}

// SyncFeeds makes the stored config feeds match specs: new URLs are added,
// known ones updated (and re-activated), config feeds missing from specs are
// made inactive. Imported feeds are left alone. Specs whose URL is not
// http(s) are ignored. It returns the active feeds.
func (s *Store) SyncFeeds(ctx context.Context, specs []Spec) ([]Feed, error) {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`UPDATE feeds SET active = 0 WHERE origin = 'config'`); err != nil {
			return err
		}
		seen := map[string]bool{}
		pos := 0
		for _, sp := range specs {
			sp, ok := normSpec(sp)
			if !ok || seen[sp.URL] {
				continue
			}
			seen[sp.URL] = true
			if _, err := tx.ExecContext(ctx, `
INSERT INTO feeds (url, name, origin, position, active, refresh_ns)
VALUES (?, ?, 'config', ?, 1, ?)
ON CONFLICT(url) DO UPDATE SET name = excluded.name, origin = 'config',
	position = excluded.position, active = 1, refresh_ns = excluded.refresh_ns`,
				sp.URL, sp.Name, pos, int64(sp.Refresh)); err != nil {
				return err
			}
			pos++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: sync: %w", err)
	}
	return s.Feeds(ctx)
}

// AddFeeds adds imported feeds (OPML). URLs already stored as active feeds,
// duplicates within specs and non-http(s) URLs are skipped; a stored but
// inactive feed is re-activated as imported. It returns the specs added.
func (s *Store) AddFeeds(ctx context.Context, specs []Spec) (added []Spec, err error) {
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		added = nil
		var next int
		if err := tx.QueryRowContext(ctx,
			`SELECT coalesce(max(position), -1) + 1 FROM feeds WHERE origin = 'import'`).Scan(&next); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, sp := range specs {
			sp, ok := normSpec(sp)
			if !ok || seen[sp.URL] {
				continue
			}
			seen[sp.URL] = true
			res, err := tx.ExecContext(ctx, `
INSERT INTO feeds (url, name, origin, position, active, refresh_ns)
VALUES (?, ?, 'import', ?, 1, ?)
ON CONFLICT(url) DO UPDATE SET origin = 'import', position = excluded.position, active = 1
WHERE active = 0`,
				sp.URL, sp.Name, next, int64(sp.Refresh))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
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

const feedCols = `id, name, url, refresh_ns, etag, last_modified, last_fetch, last_ok,
	last_status, last_error, next_fetch`

type scanner interface{ Scan(...any) error }

func scanFeed(r scanner) (Feed, error) {
	var f Feed
	var refresh, lastFetch, lastOK, next int64
	err := r.Scan(&f.ID, &f.Name, &f.URL, &refresh, &f.ETag, &f.LastModified,
		&lastFetch, &lastOK, &f.LastStatus, &f.LastError, &next)
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

func (s *Store) feed(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (Feed, error) {
	return scanFeed(q.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE id = ?`, id))
}

// setStatus stores the outcome of a fetch in the feed's status columns.
func setStatus(ctx context.Context, tx *sql.Tx, f Feed) error {
	_, err := tx.ExecContext(ctx, `UPDATE feeds SET etag = ?, last_modified = ?, last_fetch = ?,
	last_ok = ?, last_status = ?, last_error = ?, next_fetch = ? WHERE id = ?`,
		f.ETag, f.LastModified, toNS(f.LastFetch), toNS(f.LastOK), f.LastStatus,
		Clean(f.LastError), toNS(f.NextFetch), f.ID)
	return err
}
