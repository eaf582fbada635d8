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
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
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
	// 2: feed groups (OPML folders); feeds_generation, bumped by triggers
	// whenever the set of feeds or what the UI shows of them changes, so a
	// running dashboard notices feeds added or removed by the command line.
	`
ALTER TABLE feeds ADD COLUMN grp TEXT NOT NULL DEFAULT '';
CREATE TABLE feeds_generation (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n   INTEGER NOT NULL
);
INSERT INTO feeds_generation VALUES (1, 0);
CREATE TRIGGER feeds_generation_ai AFTER INSERT ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
CREATE TRIGGER feeds_generation_ad AFTER DELETE ON feeds BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
CREATE TRIGGER feeds_generation_au AFTER UPDATE ON feeds
WHEN old.url IS NOT new.url OR old.name IS NOT new.name OR old.grp IS NOT new.grp
	OR old.origin IS NOT new.origin OR old.position IS NOT new.position
	OR old.active IS NOT new.active OR old.refresh_ns IS NOT new.refresh_ns
BEGIN
	UPDATE feeds_generation SET n = n + 1;
END;
`,
	// 3: the reader's sanitised HTML and the no-date flag; the full-text
	// index filled once per save transaction instead of by a per-row
	// trigger (saveChunk does it); the keys of items a feed carried that
	// are stored as another feed's copy of the same link.
	`
DROP TRIGGER articles_fts_ai;
ALTER TABLE articles ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN no_date INTEGER NOT NULL DEFAULT 0;
CREATE TABLE articles_seen (
	feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	id      TEXT NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (feed_id, id)
) WITHOUT ROWID;
`,
	// 4: read state and stars in a narrow table of their own, per-feed
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
	// 5: the full-text index merges its segments sixteen at a time instead
	// of four, and keeps its lists in pages of 8,000 bytes instead of 1,000
	// (a store's page is 8 KiB): a fresh refresh spent a sixth of its
	// writing time merging segments it had just written (50 feeds: about
	// -90 ms of 0.87 s); a search on 100,000 articles takes 3 % longer.
	`
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('pgsz', 8000);
`,
	// 6: the read state of new articles is inserted by the save, one
	// statement per transaction (saver.finish), not by a trigger per row;
	// the counters still follow article_state's own triggers. Nothing else
	// inserts articles.
	`
DROP TRIGGER articles_state_ai;
`,
	// 7: seq never goes back. SQLite gives a new row the largest rowid
	// plus one, so removing the feed that held the newest article would
	// hand its seq to the next arrival, and a View pinned to that seq
	// would take the arrival in. articles_seq keeps the highest seq ever
	// removed, and a save numbers its rows above it (nextSeq).
	//
	// A pruned article is remembered in articles_seen, so that a feed that
	// still carries it does not bring it back unread; seen_at says when a
	// feed last carried the key, and feeds.last_saved when the feed's
	// items were last stored whole, so that Prune forgets the keys a feed
	// has stopped carrying.
	//
	// last_short keeps the last error's short form (Feed.LastShort), so
	// that the next run shows it as this run did, not guessed from text.
	`
CREATE TABLE articles_seq (one INTEGER PRIMARY KEY CHECK (one = 1), high INTEGER NOT NULL);
INSERT INTO articles_seq SELECT 1, ifnull(max(seq), 0) FROM articles;
ALTER TABLE feeds ADD COLUMN last_saved INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_seen_at ON articles_seen(seen_at);
ALTER TABLE feeds ADD COLUMN last_short TEXT NOT NULL DEFAULT '';
`,
	// 8: syncing with a server (remote.go). feeds.remote_id is the
	// server's id of a feed it lists ('' for the others); remote_entries
	// ties a stored article to the server's entry. sync_queue holds the
	// local changes of tied articles not yet sent, in order: the trigger
	// fills it from every write of article_state (marking one, marking a
	// view, the command line), unless sync_status.applying says the write
	// is the server's own state coming in. sync_status keeps the cursor
	// and the outcome of the last sync.
	`
ALTER TABLE feeds ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX feeds_remote ON feeds(remote_id) WHERE remote_id <> '';
CREATE TABLE remote_entries (
	seq       INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
	remote_id TEXT NOT NULL UNIQUE
);
CREATE TABLE sync_queue (
	n         INTEGER PRIMARY KEY AUTOINCREMENT,
	remote_id TEXT NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('read', 'unread', 'star', 'unstar')),
	at        INTEGER NOT NULL
);
CREATE INDEX sync_queue_remote ON sync_queue(remote_id);
CREATE TABLE sync_status (
	one        INTEGER PRIMARY KEY CHECK (one = 1),
	service    TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	cursor     TEXT NOT NULL DEFAULT '',
	last_sync  INTEGER NOT NULL DEFAULT 0,
	last_ok    INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	applying   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_status (one) VALUES (1);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON article_state
WHEN old.read <> new.read AND (SELECT applying FROM sync_status WHERE one = 1) = 0 BEGIN
	INSERT INTO sync_queue (remote_id, action, at)
	SELECT remote_id, CASE new.read WHEN 1 THEN 'read' ELSE 'unread' END,
		CAST(unixepoch('subsec') * 1000 AS INTEGER) * 1000000
	FROM remote_entries WHERE seq = new.seq;
END;
CREATE TRIGGER sync_queue_star AFTER UPDATE OF starred ON article_state
WHEN old.starred <> new.starred AND (SELECT applying FROM sync_status WHERE one = 1) = 0 BEGIN
	INSERT INTO sync_queue (remote_id, action, at)
	SELECT remote_id, CASE new.starred WHEN 1 THEN 'star' ELSE 'unstar' END,
		CAST(unixepoch('subsec') * 1000 AS INTEGER) * 1000000
	FROM remote_entries WHERE seq = new.seq;
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
	if p, perr := url.Parse(u); perr == nil && p.User != nil && p.User.Username() == "***" {
		return "", ErrHiddenCredentials
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
	raw = Clean(raw)
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

// capName cleans a name to one line of at most MaxNameLen characters.
func capName(s string) string {
	if len(s) > 16*MaxNameLen {
		s = s[:16*MaxNameLen] // a 50 MB name is not cleaned whole
	}
	s = Clean(s)
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
		if p = capName(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// normSpec cleans a spec; ok is false when its URL is not usable (NormURL).
func normSpec(sp Spec) (Spec, bool) {
	u, err := NormURL(sp.URL)
	if err != nil {
		return sp, false
	}
	sp.URL = u
	sp.Name = capName(sp.Name)
	if sp.Name == "" {
		sp.Name = hostOf(u)
	}
	sp.Group = NormGroup(sp.Group)
	if sp.Refresh < 0 {
		sp.Refresh = 0
	}
	return sp, true
}

// hostOf is the host of a URL that NormURL accepted.
func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Hostname()
	}
	return u
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
			sp, ok := normSpec(sp)
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
		sp, ok := normSpec(sp)
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
			sp, ok := normSpec(sp)
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
	last_status, last_error, last_short, next_fetch`

type scanner interface{ Scan(...any) error }

func scanFeed(r scanner) (Feed, error) {
	var f Feed
	var refresh, lastFetch, lastOK, next int64
	err := r.Scan(&f.ID, &f.Name, &f.URL, &f.Group, &f.Origin, &refresh, &f.ETag, &f.LastModified,
		&lastFetch, &lastOK, &f.LastStatus, &f.LastError, &f.LastShort, &next)
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
			if f.URL == u || strings.Contains(f.URL, "@") && redactedURL(f.URL) == u {
				return []Feed{f}, nil
			}
		}
	}
	var out []Feed
	name := Clean(q)
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
	last_ok = ?, last_status = ?, last_error = ?, last_short = ?, next_fetch = ? WHERE id = ?`,
		f.ETag, f.LastModified, toNS(f.LastFetch), toNS(f.LastOK), f.LastStatus,
		Clean(f.LastError), Clean(f.LastShort), toNS(f.NextFetch), f.ID)
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
