package feeds

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// articleID derives a stable id from the feed URL (the namespace) and the
// item's own key (GUID, else link, else title and date).
func articleID(feedURL, key string) string {
	h := sha256.Sum256([]byte(feedURL + "\x00" + key))
	return hex.EncodeToString(h[:16])
}

// SaveArticles stores a feed's items in one transaction. Items whose id is
// already stored, or whose link is already stored (under any feed), are
// skipped, as are repeated ids within items (the first wins). Every string
// is cleaned again here, so callers cannot store terminal escapes. It
// returns how many articles were new.
func (s *Store) SaveArticles(ctx context.Context, feedID int64, items []Article, now time.Time) (newCount int, err error) {
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		newCount, err = saveArticles(ctx, tx, feedID, items, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: saving articles: %w", err)
	}
	return newCount, nil
}

func saveArticles(ctx context.Context, tx *sql.Tx, feedID int64, items []Article, now time.Time) (int, error) {
	// First occurrence of an id or link wins.
	ids := make(map[string]bool, len(items))
	links := make(map[string]bool, len(items))
	keep := make([]Article, 0, len(items))
	for _, a := range items {
		a = cleanArticle(a, now)
		if a.ID == "" {
			a.ID = articleID(fmt.Sprint(feedID), a.Link+"\x00"+a.Title)
		}
		if ids[a.ID] || (a.Link != "" && links[a.Link]) {
			continue
		}
		ids[a.ID] = true
		if a.Link != "" {
			links[a.Link] = true
		}
		keep = append(keep, a)
	}
	if len(keep) == 0 {
		return 0, nil
	}
	dup, err := tx.PrepareContext(ctx, `SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)
	OR (?2 <> '' AND EXISTS(SELECT 1 FROM articles WHERE link = ?2 AND link <> ''))`)
	if err != nil {
		return 0, err
	}
	defer dup.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO articles
	(id, feed_id, title, link, author, summary, content, published, first_seen, read)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	var low key // the oldest key inserted
	// Insert bottom-up so that, among equal dates, the feed's first item
	// gets the highest sequence number and is listed first.
	for i := len(keep) - 1; i >= 0; i-- {
		a := keep[i]
		var exists bool
		if err := dup.QueryRowContext(ctx, a.ID, a.Link).Scan(&exists); err != nil {
			return 0, err
		}
		if exists {
			continue
		}
		r, err := ins.ExecContext(ctx, a.ID, feedID, a.Title, a.Link, a.Author,
			a.Summary, a.Content, toNS(a.Published), toNS(a.FirstSeen))
		if err != nil {
			return 0, err
		}
		seq, err := r.LastInsertId()
		if err != nil {
			return 0, err
		}
		k := key{toNS(a.Published), seq}
		if n == 0 || k.less(low) {
			low = k
		}
		n++
	}
	if n > 0 {
		if err := updateAnchors(ctx, tx, &low, n); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// key is an article's place in the order: (published, seq).
type key struct{ pub, seq int64 }

func (k key) less(o key) bool { return k.pub < o.pub || k.pub == o.pub && k.seq < o.seq }

// cleanArticle re-cleans every string and fills the times.
func cleanArticle(a Article, now time.Time) Article {
	a.ID = Clean(a.ID)
	a.Title = Clean(a.Title)
	a.Link = safeLink(a.Link, "")
	a.Author = Clean(a.Author)
	a.Summary = Clean(a.Summary)
	a.Content = CleanBody(a.Content)
	if a.FirstSeen.IsZero() {
		a.FirstSeen = now
	}
	if a.Published.IsZero() {
		a.Published = a.FirstSeen
	}
	if a.Published.After(now.Add(24 * time.Hour)) {
		a.Published = now
	}
	return a
}

// updateAnchors brings the paging anchors and the article count up to date
// inside the write transaction that changed the articles, so readers always
// see anchors that match the rows.
//
// Anchors count positions from the OLDEST article (ascending order), so
// articles added above an anchor do not move it. After inserting rows whose
// oldest key is low, only anchors at or above low are recomputed, by one
// walk of the index from the last anchor below low: a refresh that adds
// today's news walks about K rows plus the new ones, not the whole table.
// low == nil (after deletes) recomputes everything: O(n), once per prune.
func updateAnchors(ctx context.Context, tx *sql.Tx, low *key, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE article_stats SET total = total + ?`, delta); err != nil {
		return err
	}
	from, start := key{}, int64(-1)
	if low != nil {
		err := tx.QueryRowContext(ctx, `SELECT n, published, seq FROM article_anchors
WHERE (published, seq) < (?, ?) ORDER BY published DESC, seq DESC LIMIT 1`,
			low.pub, low.seq).Scan(&start, &from.pub, &from.seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if start < 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_anchors`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
INSERT INTO article_anchors (n, published, seq)
SELECT (rn - 1) / ?1, published, seq FROM (
	SELECT published, seq, row_number() OVER (ORDER BY published, seq) AS rn FROM articles
) WHERE (rn - 1) % ?1 = 0`, anchorEvery)
		return err
	}
	// Anchor start (below low) keeps its position; renumber from there.
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_anchors WHERE n > ?`, start); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO article_anchors (n, published, seq)
SELECT ?2 + (rn - 1) / ?1, published, seq FROM (
	SELECT published, seq, row_number() OVER (ORDER BY published, seq) AS rn FROM articles
	WHERE (published, seq) >= (?3, ?4)
) WHERE (rn - 1) % ?1 = 0 AND rn > 1`, anchorEvery, start, from.pub, from.seq)
	return err
}

// listCols are the columns of a list row; articleCols add the body, which
// only Article (the reader) needs. Both read the aliases of articleFrom
// (views.go): a = articles, s = article_state (read state, stars), f = feeds.
const listCols = `a.id, a.feed_id, f.name, a.title, a.link, a.author, a.summary,
	a.published, a.first_seen, s.read, s.starred`

const articleCols = listCols + `, a.content`

// scanArticle scans articleCols.
func scanArticle(r scanner) (Article, error) { return scanArticleCols(r, true) }

// scanArticleCols scans listCols, and articleCols when full.
func scanArticleCols(r scanner, full bool) (Article, error) {
	var a Article
	var pub, seen int64
	dest := []any{&a.ID, &a.FeedID, &a.FeedName, &a.Title, &a.Link, &a.Author,
		&a.Summary, &pub, &seen, &a.Read, &a.Starred}
	if full {
		dest = append(dest, &a.Content)
	}
	err := r.Scan(dest...)
	a.Published, a.FirstSeen = fromNS(pub), fromNS(seen)
	return a, err
}
