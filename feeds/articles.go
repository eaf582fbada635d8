package feeds

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
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

const articleCols = `a.id, a.feed_id, f.name, a.title, a.link, a.author, a.summary,
	a.content, a.published, a.first_seen, a.read`

func scanArticle(r scanner) (Article, error) {
	var a Article
	var pub, seen int64
	err := r.Scan(&a.ID, &a.FeedID, &a.FeedName, &a.Title, &a.Link, &a.Author,
		&a.Summary, &a.Content, &pub, &seen, &a.Read)
	a.Published, a.FirstSeen = fromNS(pub), fromNS(seen)
	return a, err
}

func pageCount(total, size int) int {
	if total <= 0 {
		return 1
	}
	return (total + size - 1) / size
}

func clampPage(page, pages int) int {
	return max(1, min(page, pages))
}

// readOnly marks the transactions that only read: they begin DEFERRED even
// when the connection makes writing transactions begin IMMEDIATE, so reads
// never queue behind another process's write.
var readOnly = &sql.TxOptions{ReadOnly: true}

// Page returns one page of articles, newest first (published, then the
// order of storing). page is clamped to [1, Pages]; size < 1 means 20.
//
// Cost does not depend on the page number: the article count is kept in
// article_stats, the anchor of the page's block is one primary-key lookup,
// and the rows are read by seeking the (published, seq) index to that
// anchor and walking fewer than anchorEvery+size entries (see updateAnchors).
func (s *Store) Page(ctx context.Context, page, size int) (Page, error) {
	if size < 1 {
		size = 20
	}
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return Page{}, fmt.Errorf("feeds: page: %w", err)
	}
	defer tx.Rollback()
	p := Page{Size: size}
	if err := tx.QueryRowContext(ctx, `SELECT total FROM article_stats`).Scan(&p.Total); err != nil {
		return Page{}, fmt.Errorf("feeds: page: %w", err)
	}
	p.Pages = pageCount(p.Total, size)
	p.Page = clampPage(page, p.Pages)
	if p.Total == 0 {
		return p, nil
	}
	// Newest-first positions [offset, offset+count) are ascending positions
	// [lo, lo+count): seek the anchor of lo's block, skip < K rows.
	offset := (p.Page - 1) * size
	count := min(size, p.Total-offset)
	lo := p.Total - offset - count
	var apub, aseq int64
	if err := tx.QueryRowContext(ctx, `SELECT published, seq FROM article_anchors WHERE n = ?`,
		lo/anchorEvery).Scan(&apub, &aseq); err != nil {
		return Page{}, fmt.Errorf("feeds: page anchor: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+articleCols+`
FROM articles a JOIN feeds f ON f.id = a.feed_id
WHERE (a.published, a.seq) >= (?, ?)
ORDER BY a.published, a.seq
LIMIT ? OFFSET ?`, apub, aseq, count, lo%anchorEvery)
	if err != nil {
		return Page{}, fmt.Errorf("feeds: page: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return Page{}, fmt.Errorf("feeds: page: %w", err)
		}
		p.Items = append(p.Items, a)
	}
	slices.Reverse(p.Items)
	return p, rows.Err()
}

// ftsQuery turns user text into an FTS5 query that cannot be a syntax
// error: every word becomes a quoted phrase (quotes doubled) with a prefix
// star, and the phrases are ANDed. ok is false when there is no word.
func ftsQuery(q string) (string, bool) {
	var parts []string
	for _, w := range strings.Fields(Clean(q)) {
		if !strings.ContainsFunc(w, isWordRune) {
			continue // punctuation only: nothing the tokenizer would index
		}
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(parts, " "), len(parts) > 0
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
}

// Search returns one page of the articles matching query in title, summary
// or content, newest first. Any text is accepted: words are quoted, so
// FTS5 operators in the query are searched for as words.
func (s *Store) Search(ctx context.Context, query string, page, size int) (Page, error) {
	if size < 1 {
		size = 20
	}
	p := Page{Size: size, Query: query, Pages: 1, Page: 1}
	match, ok := ftsQuery(query)
	if !ok {
		return p, nil
	}
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return Page{}, fmt.Errorf("feeds: search: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?`, match).Scan(&p.Total); err != nil {
		return Page{}, fmt.Errorf("feeds: search: %w", err)
	}
	p.Pages = pageCount(p.Total, size)
	p.Page = clampPage(page, p.Pages)
	if p.Total == 0 {
		return p, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+articleCols+`
FROM articles a JOIN feeds f ON f.id = a.feed_id
WHERE a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)
ORDER BY a.published DESC, a.seq DESC
LIMIT ? OFFSET ?`, match, size, (p.Page-1)*size)
	if err != nil {
		return Page{}, fmt.Errorf("feeds: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return Page{}, fmt.Errorf("feeds: search: %w", err)
		}
		p.Items = append(p.Items, a)
	}
	return p, rows.Err()
}

// Article returns one stored article, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, `SELECT `+articleCols+`
FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, ErrNotFound
	}
	if err != nil {
		return Article{}, fmt.Errorf("feeds: article: %w", err)
	}
	return a, nil
}

// Rank returns the 0-based position of the article in the newest-first
// list (page = Rank/size + 1), or ErrNotFound. Like Page it costs one
// anchor lookup and a walk of fewer than anchorEvery index entries.
func (s *Store) Rank(ctx context.Context, id string) (int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return 0, fmt.Errorf("feeds: rank: %w", err)
	}
	defer tx.Rollback()
	var pub, seq int64
	err = tx.QueryRowContext(ctx, `SELECT published, seq FROM articles WHERE id = ?`, id).Scan(&pub, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("feeds: rank: %w", err)
	}
	// The nearest anchor at or below the article in ascending order, then
	// the rows between them: fewer than K.
	var n, total int
	var apub, aseq int64
	if err := tx.QueryRowContext(ctx, `SELECT n, published, seq FROM article_anchors
WHERE (published, seq) <= (?, ?) ORDER BY published DESC, seq DESC LIMIT 1`, pub, seq).Scan(&n, &apub, &aseq); err != nil {
		return 0, fmt.Errorf("feeds: rank anchor: %w", err)
	}
	var between int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles
WHERE (published, seq) >= (?, ?) AND (published, seq) < (?, ?)`, apub, aseq, pub, seq).Scan(&between); err != nil {
		return 0, fmt.Errorf("feeds: rank: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT total FROM article_stats`).Scan(&total); err != nil {
		return 0, fmt.Errorf("feeds: rank: %w", err)
	}
	return total - 1 - (n*anchorEvery + between), nil
}

// MarkRead marks an article read, or returns ErrNotFound.
func (s *Store) MarkRead(ctx context.Context, id string) error {
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE articles SET read = 1 WHERE id = ?`, id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("feeds: mark read: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Count returns the number of stored articles.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT total FROM article_stats`).Scan(&n); err != nil {
		return 0, fmt.Errorf("feeds: count: %w", err)
	}
	return n, nil
}

// DefaultKeepDays is how long articles are kept when keepDays < 1.
const DefaultKeepDays = 90

// Prune deletes articles published more than keepDays before now, except
// unread articles first seen within the last week. It returns how many
// were deleted.
func (s *Store) Prune(ctx context.Context, now time.Time, keepDays int) (int64, error) {
	if keepDays < 1 {
		keepDays = DefaultKeepDays
	}
	cutoff := now.Add(-time.Duration(keepDays) * 24 * time.Hour)
	week := now.Add(-7 * 24 * time.Hour)
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE published < ?
AND NOT (read = 0 AND first_seen >= ?)`, toNS(cutoff), toNS(week))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n > 0 {
			return updateAnchors(ctx, tx, nil, -int(n))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: prune: %w", err)
	}
	return n, nil
}
