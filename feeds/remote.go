package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// The store's side of syncing with a server (Miniflux, a Google Reader
// API): which feeds and articles are the server's (feeds.remote_id,
// remote_entries), the queue of local changes still to send (sync_queue,
// filled by a trigger on article_state, so every way of marking an
// article queues it), and where the last sync stopped (sync_status).
// The sync engine that talks to the server lives elsewhere; this file
// only stores.

// OriginServer is the origin of a feed that a sync server lists: the
// server owns it (RemoveFeed refuses it), and sync adds, renames, regroups
// and removes it.
const OriginServer = "server"

// ErrServerFeed is returned by RemoveFeed for a feed of the sync server:
// it is unsubscribed on the server.
var ErrServerFeed = errors.New("feeds: the feed comes from the sync server")

// Actions of a queued local change.
const (
	ActRead    = "read"
	ActUnread  = "unread"
	ActStar    = "star"
	ActUnstar  = "unstar"
	maxIDBatch = 500 // ids bound per statement (SQLite allows 32,766)
)

// RemoteFeed is a feed as a sync server lists it.
type RemoteFeed struct {
	RemoteID string // the server's id of the feed
	URL      string // the feed's own URL
	Title    string
	Category string // the server's category: the feed's group
}

// RemoteEntry is an entry of a sync server, ready to store.
type RemoteEntry struct {
	RemoteID string // the server's id of the entry
	FeedID   int64  // the stored feed (SetRemoteFeeds' map)
	// Article holds the entry's text, cleaned as a feed's item is (Body
	// the sanitised HTML, Content its plain text), Link, Author and
	// Published. Its ID is derived here from the feed and RemoteID.
	Article Article
	Read    bool
	Starred bool
}

// Change is a local change of an article's state waiting to be sent to
// the sync server, in the order it was made.
type Change struct {
	N        int64  // its place in the queue (AckChanges takes it)
	RemoteID string // the server's id of the entry
	Action   string // ActRead, ActUnread, ActStar or ActUnstar
	At       time.Time
}

// SyncStatus is what the store remembers of the last sync.
type SyncStatus struct {
	Service   string // "miniflux" or "greader"; "" before the first sync
	URL       string // the server, as configured (credentials are never stored)
	Cursor    string // where the next sync starts (the backend's own form)
	LastSync  time.Time
	LastOK    time.Time
	LastError string // "" when the last sync worked
	Pending   int    // local changes not yet sent (read only)
}

// remoteArticleID is the stored id of a server's entry in feed feedID.
func remoteArticleID(feedID int64, remoteID string) string {
	return parse.ID(fmt.Sprintf("remote:%d", feedID), remoteID)
}

// SetRemoteFeeds makes the stored server feeds match list: a feed the
// server lists is found by its remote id, else by its URL (a feed that
// was fetched here before joins the server's), else added; its name and
// group follow the server's title and category, and it is active. A
// server feed no longer listed is removed with its articles (a feed of
// the config file only stops being the server's). It returns the stored
// feed id of each remote id. Entries of list without a usable URL are
// skipped.
func (s *Store) SetRemoteFeeds(ctx context.Context, list []RemoteFeed) (map[string]int64, error) {
	ids := make(map[string]int64, len(list))
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		clear(ids)
		next, err := nextImportPosition(ctx, tx)
		if err != nil {
			return err
		}
		for _, rf := range list {
			if rf.RemoteID == "" {
				continue
			}
			sp, ok := NormSpec(Spec{URL: rf.URL, Name: rf.Title, Group: rf.Category})
			if !ok {
				continue
			}
			id, err := upsertRemoteFeed(ctx, tx, rf.RemoteID, sp, next)
			if err != nil {
				return err
			}
			ids[rf.RemoteID] = id
			next++
		}
		return dropUnlistedRemote(ctx, tx, ids)
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: storing the server's feeds: %w", err)
	}
	return ids, nil
}

// upsertRemoteFeed stores one server feed and returns its id.
func upsertRemoteFeed(ctx context.Context, tx *sql.Tx, remoteID string, sp Spec, pos int) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE remote_id = ?`, remoteID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, sp.URL).Scan(&id)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = tx.QueryRowContext(ctx, `INSERT INTO feeds (url, name, grp, origin, position, active, remote_id)
VALUES (?, ?, ?, 'import', ?, 1, ?) RETURNING id`, sp.URL, sp.Name, sp.Group, pos, remoteID).Scan(&id)
		return id, err
	case err != nil:
		return 0, err
	}
	// The server's URL may have changed (a redirect it followed); another
	// stored feed of that URL keeps it.
	_, err = tx.ExecContext(ctx, `UPDATE feeds SET remote_id = ?2, name = ?3, grp = ?4, active = 1,
	url = CASE WHEN EXISTS (SELECT 1 FROM feeds o WHERE o.url = ?5 AND o.id <> ?1) THEN url ELSE ?5 END
WHERE id = ?1`, id, remoteID, sp.Name, sp.Group, sp.URL)
	return id, err
}

// dropUnlistedRemote removes the server feeds whose remote id is not in
// keep, with their articles; a config feed only loses its remote id.
func dropUnlistedRemote(ctx context.Context, tx *sql.Tx, keep map[string]int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, remote_id, origin FROM feeds WHERE remote_id <> ''`)
	if err != nil {
		return err
	}
	type gone struct {
		id     int64
		config bool
	}
	var drop []gone
	for rows.Next() {
		var g gone
		var rid, origin string
		if err := rows.Scan(&g.id, &rid, &origin); err != nil {
			rows.Close()
			return err
		}
		if _, ok := keep[rid]; !ok {
			g.config = origin == OriginConfig
			drop = append(drop, g)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, g := range drop {
		if g.config {
			if _, err := tx.ExecContext(ctx, `UPDATE feeds SET remote_id = '' WHERE id = ?`, g.id); err != nil {
				return err
			}
			continue
		}
		if _, err := deleteFeedTx(ctx, tx, g.id); err != nil {
			return err
		}
	}
	return nil
}

// deleteFeedTx deletes feed id and the articles only it carries, keeping
// the anchors and the seq high-water mark right, and returns how many
// articles went. An article another feed carries too stays, shown as that
// feed's.
func deleteFeedTx(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	if err := keepSeqHigh(ctx, tx); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE seq IN (
	SELECT m.seq FROM article_feeds m WHERE m.feed_id = ?1
		AND NOT EXISTS (SELECT 1 FROM article_feeds o WHERE o.seq = m.seq AND o.feed_id <> ?1))`, id)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles
SET feed_id = (SELECT min(o.feed_id) FROM article_feeds o WHERE o.seq = articles.seq AND o.feed_id <> ?1)
WHERE feed_id = ?1 AND seq IN (SELECT seq FROM article_feeds WHERE feed_id = ?1)`, id); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_feeds WHERE feed_id = ?`, id); err != nil {
		return 0, err
	}
	if n > 0 {
		if err := updateAnchors(ctx, tx, nil, -int(n)); err != nil {
			return 0, err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
	return n, err
}

// SaveRemoteEntries stores entries of a sync server and returns how many
// were new. New entries are inserted and known ones updated in place, as
// SaveArticles does for a feed's items; each is tied to its remote id, and
// the server's read and star state is applied, except to an entry with a
// local change still queued: that change is newer than what the server
// said before it was sent, and the next push sends it. The ties and the
// state are written in the transaction that stores the last entry, so a
// sync cut short stores nothing that the next one does not redo.
func (s *Store) SaveRemoteEntries(ctx context.Context, entries []RemoteEntry, now time.Time) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	byFeed := map[int64][]Article{}
	var order []int64
	for i := range entries {
		e := &entries[i]
		a := e.Article
		a.ID = remoteArticleID(e.FeedID, e.RemoteID)
		a.FeedID = e.FeedID
		if _, ok := byFeed[e.FeedID]; !ok {
			order = append(order, e.FeedID)
		}
		byFeed[e.FeedID] = append(byFeed[e.FeedID], a)
	}
	jobs := make([]*saveJob, len(order))
	for i, feed := range order {
		jobs[i] = newSaveJob(ctx, feed, byFeed[feed], now, nil)
	}
	jobs[len(jobs)-1].final = func(tx *sql.Tx) error { return tieRemote(ctx, tx, entries) }
	for pending := jobs; len(pending) > 0; {
		finished, took, err := s.saveTx(ctx, pending, true)
		if err != nil {
			return countNew(jobs), fmt.Errorf("feeds: saving the server's entries: %w", err)
		}
		for _, j := range pending[:finished] {
			if j.err != nil {
				return countNew(jobs), fmt.Errorf("feeds: saving the server's entries: %w", j.err)
			}
		}
		pending = pending[finished:]
		if len(pending) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return countNew(jobs), ctx.Err()
		case <-time.After(chunkPause(took)):
		}
	}
	return countNew(jobs), nil
}

func countNew(jobs []*saveJob) int {
	n := 0
	for _, j := range jobs {
		n += j.n
	}
	return n
}

// tieRemote ties each entry's stored article to its remote id and applies
// the server's state (see SaveRemoteEntries). An entry whose item the feed
// set aside before is tied to an article of the same link (linkKey), when
// there is one.
func tieRemote(ctx context.Context, tx *sql.Tx, entries []RemoteEntry) error {
	if err := setApplying(ctx, tx, true); err != nil {
		return err
	}
	byID, err := tx.PrepareContext(ctx, `SELECT `+seqInFeed)
	if err != nil {
		return err
	}
	defer byID.Close()
	byLink, err := tx.PrepareContext(ctx, `SELECT seq FROM article_feeds WHERE link = ? AND link <> 0 ORDER BY seq LIMIT 1`)
	if err != nil {
		return err
	}
	defer byLink.Close()
	tie, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO remote_entries (seq, remote_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer tie.Close()
	state, err := tx.PrepareContext(ctx, `UPDATE article_state SET read = ?2, starred = ?3
WHERE seq = ?1 AND (read <> ?2 OR starred <> ?3)
	AND NOT EXISTS (SELECT 1 FROM sync_queue WHERE remote_id = ?4)`)
	if err != nil {
		return err
	}
	defer state.Close()
	for _, e := range entries {
		var seq int64
		var found sql.NullInt64
		err := byID.QueryRowContext(ctx, remoteArticleID(e.FeedID, e.RemoteID), e.FeedID).Scan(&found)
		if seq = found.Int64; err == nil && !found.Valid {
			err = sql.ErrNoRows
		}
		if k := linkHash(linkKey(sanitize.Link(e.Article.Link, nil))); errors.Is(err, sql.ErrNoRows) && k != 0 {
			err = byLink.QueryRowContext(ctx, k).Scan(&seq)
		}
		if errors.Is(err, sql.ErrNoRows) {
			continue // set aside before (a pruned entry): nothing to tie
		}
		if err != nil {
			return err
		}
		if _, err := tie.ExecContext(ctx, seq, e.RemoteID); err != nil {
			return err
		}
		if _, err := state.ExecContext(ctx, seq, e.Read, e.Starred, e.RemoteID); err != nil {
			return err
		}
	}
	return setApplying(ctx, tx, false)
}

// setApplying turns the queueing trigger off (on = true) while the
// server's own state is written, and on again. It lives in a row, not in
// the connection, and the transaction that sets it also clears it, so a
// crash between the two rolls both back.
func setApplying(ctx context.Context, tx *sql.Tx, on bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE sync_status SET applying = ? WHERE one = 1`, on)
	return err
}

// ReconcileUnread applies the server's full list of unread entries: every
// tied article is unread when its remote id is in unread and read when it
// is not, except the ones with a local change queued. It returns how many
// articles changed.
func (s *Store) ReconcileUnread(ctx context.Context, unread []string) (int, error) {
	return s.reconcile(ctx, "read", false, unread)
}

// ReconcileStarred applies the server's full list of starred entries, as
// ReconcileUnread does the unread ones.
func (s *Store) ReconcileStarred(ctx context.Context, starred []string) (int, error) {
	return s.reconcile(ctx, "starred", true, starred)
}

// reconcile sets col to listed for the articles whose remote id is in ids
// and to !listed for the other tied articles.
func (s *Store) reconcile(ctx context.Context, col string, listed bool, ids []string) (int, error) {
	var changed int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS sync_listed (id TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.sync_listed`); err != nil {
			return err
		}
		if err := insertIDs(ctx, tx, ids); err != nil {
			return err
		}
		if err := setApplying(ctx, tx, true); err != nil {
			return err
		}
		on, off := 1, 0
		if !listed {
			on, off = 0, 1
		}
		res, err := tx.ExecContext(ctx, `UPDATE article_state
SET `+col+` = CASE WHEN r.remote_id IN (SELECT id FROM temp.sync_listed) THEN ?1 ELSE ?2 END
FROM remote_entries r
WHERE r.seq = article_state.seq
	AND `+col+` <> CASE WHEN r.remote_id IN (SELECT id FROM temp.sync_listed) THEN ?1 ELSE ?2 END
	AND NOT EXISTS (SELECT 1 FROM sync_queue q WHERE q.remote_id = r.remote_id)`, on, off)
		if err != nil {
			return err
		}
		if changed, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.sync_listed`); err != nil {
			return err
		}
		return setApplying(ctx, tx, false)
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: applying the server's %s state: %w", col, err)
	}
	return int(changed), nil
}

// insertIDs fills temp.sync_listed with ids, maxIDBatch at a time.
func insertIDs(ctx context.Context, tx *sql.Tx, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), maxIDBatch)
		q := make([]byte, 0, 64+4*n)
		q = append(q, `INSERT OR IGNORE INTO temp.sync_listed (id) VALUES (?)`...)
		for range n - 1 {
			q = append(q, `,(?)`...)
		}
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if _, err := tx.ExecContext(ctx, string(q), args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// PendingChanges returns up to limit queued local changes, oldest first
// (limit < 1: all of them).
func (s *Store) PendingChanges(ctx context.Context, limit int) ([]Change, error) {
	if limit < 1 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n, remote_id, action, at FROM sync_queue ORDER BY n LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("feeds: reading the sync queue: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at int64
		if err := rows.Scan(&c.N, &c.RemoteID, &c.Action, &at); err != nil {
			return nil, fmt.Errorf("feeds: reading the sync queue: %w", err)
		}
		c.At = fromNS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AckChanges removes the queued changes numbered ns: the server has them.
// Changes queued meanwhile stay.
func (s *Store) AckChanges(ctx context.Context, ns []int64) error {
	if len(ns) == 0 {
		return nil
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, `DELETE FROM sync_queue WHERE n = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		for _, n := range ns {
			if _, err := del.ExecContext(ctx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("feeds: clearing the sync queue: %w", err)
	}
	return nil
}

// SyncStatus returns what the store remembers of the last sync, with the
// number of local changes waiting.
func (s *Store) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var st SyncStatus
	var last, ok int64
	err := s.db.QueryRowContext(ctx, `SELECT service, url, cursor, last_sync, last_ok, last_error,
	(SELECT count(*) FROM sync_queue) FROM sync_status WHERE one = 1`).Scan(
		&st.Service, &st.URL, &st.Cursor, &last, &ok, &st.LastError, &st.Pending)
	if err != nil {
		return st, fmt.Errorf("feeds: reading the sync status: %w", err)
	}
	st.LastSync, st.LastOK = fromNS(last), fromNS(ok)
	return st, nil
}

// SetSyncStatus stores st (Pending is ignored). A service or URL other
// than the stored one is another server: ForgetServer first.
func (s *Store) SetSyncStatus(ctx context.Context, st SyncStatus) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sync_status SET service = ?, url = ?, cursor = ?,
	last_sync = ?, last_ok = ?, last_error = ? WHERE one = 1`,
			st.Service, st.URL, st.Cursor, toNS(st.LastSync), toNS(st.LastOK), sanitize.Line(st.LastError))
		return err
	})
	if err != nil {
		return fmt.Errorf("feeds: storing the sync status: %w", err)
	}
	return nil
}

// ForgetServer unties the store from the server it synced with: its
// feeds become feeds kept in the store (fetched here), its ties and
// queued changes go, and the next sync starts from the beginning. Articles
// and their read and star state stay.
func (s *Store) ForgetServer(ctx context.Context) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`UPDATE feeds SET remote_id = '' WHERE remote_id <> ''`,
			`DELETE FROM remote_entries`,
			`DELETE FROM sync_queue`,
			`UPDATE sync_status SET service = '', url = '', cursor = '', last_sync = 0, last_ok = 0, last_error = ''`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("feeds: forgetting the sync server: %w", err)
	}
	return nil
}

// RemoteIDs returns the remote id of each stored article id that is tied
// to one (ids of local-only articles are left out).
func (s *Store) RemoteIDs(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for len(ids) > 0 {
		n := min(len(ids), maxIDBatch)
		args := make([]any, n)
		q := []byte(`SELECT a.id, r.remote_id FROM articles a JOIN remote_entries r ON r.seq = a.seq WHERE a.id IN (?`)
		for i, id := range ids[:n] {
			args[i] = id
			if i > 0 {
				q = append(q, ",?"...)
			}
		}
		q = append(q, ')')
		rows, err := s.db.QueryContext(ctx, string(q), args...)
		if err != nil {
			return nil, fmt.Errorf("feeds: reading remote ids: %w", err)
		}
		for rows.Next() {
			var id, rid string
			if err := rows.Scan(&id, &rid); err != nil {
				rows.Close()
				return nil, fmt.Errorf("feeds: reading remote ids: %w", err)
			}
			out[id] = rid
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}
