package feeds

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Read state and stars live in article_state, a narrow table beside the
// articles (see migration 2): the counters in feed_counts follow every
// change by trigger.

// SetRead marks an article read or unread, or returns ErrNotFound.
func (s *Store) SetRead(ctx context.Context, id string, read bool) error {
	return s.setFlag(ctx, "read", id, read)
}

// MarkRead marks an article read, or returns ErrNotFound (ErrIgnored for
// one an ignore rule hides).
func (s *Store) MarkRead(ctx context.Context, id string) error {
	return s.SetRead(ctx, id, true)
}

// SetStarred stars or unstars an article, or returns ErrNotFound. Starred
// articles are never pruned.
func (s *Store) SetStarred(ctx context.Context, id string, on bool) error {
	return s.setFlag(ctx, "starred", id, on)
}

// setFlag sets column col (read or starred) of the article's state.
func (s *Store) setFlag(ctx context.Context, col, id string, on bool) error {
	val := 0
	if on {
		val = 1
	}
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		t := stx{ctx, s, tx}
		before, err := s.ignoredID(t, id)
		if err != nil {
			return err
		}
		res, err := t.exec(`UPDATE article_state SET `+col+` = ?2
WHERE seq = `+seqOfID, id, val)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || !before {
			return err
		}
		// Hidden, and still hidden after the change: refused (rolled
		// back). A change that brings it back (a rule on read state) is
		// taken.
		if after, err := s.ignoredID(t, id); err != nil || after {
			return cmp.Or(err, ErrIgnored)
		}
		return nil
	})
	if errors.Is(err, ErrIgnored) {
		return ErrIgnored
	}
	if err != nil {
		return fmt.Errorf("feeds: set %s: %w", col, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkViewRead marks every unread article of the view read (a pinned view:
// only those stored up to its snapshot) and returns how many it changed.
// It walks the view's unread index and rewrites only article_state rows
// (and, by trigger, their copies in article_feeds).
func (s *Store) MarkViewRead(ctx context.Context, v View) (int, error) {
	if s.ruled(v) {
		return s.ruleMarkViewRead(ctx, v)
	}
	q := compileView(v).unread()
	if q.nothing() {
		return 0, nil
	}
	// The view's own unread index finds the rows; a search, its matches.
	query, args := q.selectSQL("s.seq", "", "")
	query = `UPDATE article_state SET read = 1 WHERE seq IN (` + query + `)`
	if !q.searching() && q.v.FeedID == 0 {
		var where string
		where, args = q.whereSQL("", "=")
		query = `UPDATE article_state AS s INDEXED BY ` + q.index + ` SET read = 1 WHERE ` + where
	}
	return s.markViewRead(ctx, query, args)
}

// markViewRead runs MarkViewRead's UPDATE of article_state and returns how
// many articles it marked.
func (s *Store) markViewRead(ctx context.Context, query string, args []any) (int, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := stx{ctx, s, tx}.exec(query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: mark view read: %w", err)
	}
	return int(n), nil
}

// NextUnread finds the next unread article of the view after fromID in the
// view's order (newest first): dir >= 0 the next one down the list (older),
// dir < 0 the previous one (newer). fromID "" starts from the top (dir >= 0)
// or the bottom (dir < 0); fromID itself need not be in the view. It returns
// the article (with its body), its rank in the view (RankIn) and whether
// there was one; ErrNotFound when fromID is not stored.
func (s *Store) NextUnread(ctx context.Context, v View, fromID string, dir int) (Article, int, bool, error) {
	if s.ruled(v) {
		return s.ruleNextUnread(ctx, v, fromID, dir)
	}
	var a Article
	var rank int
	var ok bool
	err := s.readTx(ctx, func(t stx) error {
		var err error
		a, rank, ok, err = t.nextUnread(compileView(v), fromID, dir)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("feeds: next unread: %w", err)
	}
	return a, rank, ok, err
}

func (t stx) nextUnread(q viewSQL, fromID string, dir int) (Article, int, bool, error) {
	u := q.unread()
	if u.nothing() {
		return Article{}, 0, false, nil
	}
	cmp, order := "<", "DESC"
	if dir < 0 {
		cmp, order = ">", "ASC"
	}
	extra := ""
	var kargs []any
	if fromID != "" {
		k, err := t.articleKey(fromID)
		if err != nil {
			return Article{}, 0, false, err
		}
		extra, kargs = "(s.published, s.seq) "+cmp+" (?, ?)", []any{k.pub, k.seq}
	}
	query, args := u.selectSQL("s.published, s.seq", extra, order)
	var k key
	err := t.queryRow(query+" LIMIT 1", append(args, kargs...)...).Scan(&k.pub, &k.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, 0, false, nil
	}
	if err != nil {
		return Article{}, 0, false, err
	}
	from, args := fromFeed(q.v.FeedID, []any{k.seq})
	a, err := scanArticle(t.queryRow(`SELECT `+articleCols+` `+from+` WHERE a.seq = ?`, args...))
	if err != nil {
		return Article{}, 0, false, err
	}
	rank, _, err := t.rankIn(q, k)
	if err != nil {
		return Article{}, 0, false, err
	}
	return a, rank, true, nil
}

// FeedCount is a feed with its unread and total article counts.
type FeedCount struct {
	Feed          Feed
	Unread, Total int
}

// FeedCounts returns every active feed in the order of Feeds, with its
// counts. It reads the counters, not the articles: O(feeds).
func (s *Store) FeedCounts(ctx context.Context) ([]FeedCount, error) {
	fs, err := s.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	byFeed, err := s.counters(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FeedCount, len(fs))
	for i, f := range fs {
		c := byFeed[f.ID]
		out[i] = FeedCount{Feed: f, Unread: c.Unread, Total: c.Total}
	}
	return out, nil
}

// counters reads every feed's counters (FeedCount.Feed left zero).
func (s *Store) counters(ctx context.Context) (map[int64]FeedCount, error) {
	rows, err := stx{ctx: ctx, s: s}.query(`SELECT feed_id, total, unread FROM feed_counts WHERE feed_id <> 0`)
	if err != nil {
		return nil, fmt.Errorf("feeds: feed counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]FeedCount{}
	for rows.Next() {
		var id int64
		var c FeedCount
		if err := rows.Scan(&id, &c.Total, &c.Unread); err != nil {
			return nil, fmt.Errorf("feeds: feed counts: %w", err)
		}
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feeds: feed counts: %w", err)
	}
	ign, err := s.ignoredCounts(ctx) // rules.go: ignored articles count nowhere
	if err != nil {
		return nil, err
	}
	for id, c := range out {
		c.Total -= ign[id][0]
		c.Unread -= ign[id][1]
		out[id] = c
	}
	return out, nil
}

// StarredCount returns how many articles are starred, and how many of
// those are unread: the ★ Starred row of the feeds pane. O(1).
func (s *Store) StarredCount(ctx context.Context) (unread, total int, err error) {
	err = stx{ctx: ctx, s: s}.queryRow(`SELECT starred_unread, starred FROM feed_counts WHERE feed_id = 0`).Scan(&unread, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("feeds: starred count: %w", err)
	}
	ign, err := s.ignoredCounts(ctx) // rules.go
	if err != nil {
		return 0, 0, err
	}
	return unread - ign[0][3], total - ign[0][2], nil
}

// DefaultKeepDays is how long articles are kept when keepDays < 1.
const DefaultKeepDays = 90

// seenRefresh is how stale a remembered key's seen_at may grow while its
// feed still carries it; Prune forgets a key only when its feed's last
// whole save is more than this after seen_at.
const seenRefresh = 24 * time.Hour

// Prune deletes articles published more than keepDays before now, except
// starred articles and unread articles first seen within the last week. It
// returns how many were deleted.
//
// What it deletes stays deleted: the keys are remembered (articles_seen),
// so a feed that still carries an old article does not bring it back
// unread at the next refresh, and the seqs are never handed out again
// (articles_seq), so a pinned View takes no arrival in. A remembered key is
// forgotten once it is older than keepDays and its feed has since been
// stored without it.
func (s *Store) Prune(ctx context.Context, now time.Time, keepDays int) (int64, error) {
	if keepDays < 1 {
		keepDays = DefaultKeepDays
	}
	cutoff := now.Add(-time.Duration(keepDays) * 24 * time.Hour)
	week := now.Add(-7 * 24 * time.Hour)
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if err := keepSeqHigh(ctx, tx); err != nil {
			return err
		}
		// The candidates come from the date index (articles_order), not
		// from a walk of every wide row by seq (15 ms for 10,000).
		const expired = `SELECT a.seq FROM articles a JOIN article_state s ON s.seq = a.seq
	WHERE a.published < ?1 AND s.starred = 0 AND NOT (s.read = 0 AND a.first_seen >= ?2)`
		// The key of the article in each feed that carried it: the
		// article's own, and the feeds' copies (their seq goes with the
		// article, by trigger).
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles_seen (feed_id, id, seen_at)
SELECT m.feed_id, a.id, ?3 FROM article_feeds m JOIN articles a ON a.seq = m.seq WHERE m.seq IN (`+expired+`)
ON CONFLICT DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)`, toNS(cutoff), toNS(week), toNS(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles_seen SET seen_at = max(seen_at, ?3)
WHERE seq IN (`+expired+`)`, toNS(cutoff), toNS(week), toNS(now)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE seq IN (`+expired+`)`, toNS(cutoff), toNS(week))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n > 0 {
			if err := updateAnchors(ctx, tx, nil, -int(n)); err != nil {
				return err
			}
		}
		// Forget the keys older than keepDays that their feed's last whole
		// save did not carry (it would have brought seen_at up to date).
		// A feed's copy of a stored article stays.
		_, err = tx.ExecContext(ctx, `DELETE FROM articles_seen WHERE seen_at < ?1 AND seq IS NULL
	AND seen_at < (SELECT f.last_saved FROM feeds f WHERE f.id = articles_seen.feed_id) - ?2`,
			toNS(cutoff), int64(seenRefresh))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: prune: %w", err)
	}
	return n, nil
}
