package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/steppe-news/steppe/feeds/fulltext"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// FullText is what fetching an article's own page gave (feeds/fulltext):
// its text, or why there is none. The feed's text of the article is kept
// either way.
type FullText struct {
	Fetched time.Time // when the page was tried; zero: never
	URL     string    // the page the text came from, after redirects
	Text    string    // the article as plain text, cleaned; "" on failure
	Body    string    // the article as sanitised HTML (Article.Body's form)
	Err     string    // why the page gave no text, in words; "" when it did
}

// Extracted reports whether the page gave the article's text.
func (f FullText) Extracted() bool { return f.Text != "" }

// maxFullTextErr is the longest reason kept for a failed page.
const maxFullTextErr = 300

// SetFeedFullText sets whether each new item of the feed has its page
// fetched on refresh (`full_text = true`, `feeds add --full-text`).
func (s *Store) SetFeedFullText(ctx context.Context, feedID int64, on bool) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE feeds SET full_text = ? WHERE id = ?`, on, feedID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err == nil && n == 0 {
			return ErrNotFound
		}
		return err
	})
}

// FullTextFeeds returns the ids of the feeds whose new items have their
// page fetched on refresh.
func (s *Store) FullTextFeeds(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM feeds WHERE full_text = 1`)
	if err != nil {
		return nil, fmt.Errorf("feeds: full-text feeds: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// PendingFullText returns up to limit articles of the feed (the ones whose
// copy is the feed's) first seen at or after since, with a link and whose
// page was never tried, newest first: the items a refresh just brought.
func (s *Store) PendingFullText(ctx context.Context, feedID int64, since time.Time, limit int) ([]Article, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.link FROM articles a
		WHERE a.feed_id = ? AND a.first_seen >= ? AND a.link <> ''
		AND NOT EXISTS (SELECT 1 FROM article_fulltext t WHERE t.seq = a.seq)
		ORDER BY a.seq DESC LIMIT ?`, feedID, toNS(since), limit)
	if err != nil {
		return nil, fmt.Errorf("feeds: articles waiting for their page: %w", err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		var a Article
		if err := rows.Scan(&a.ID, &a.Link); err != nil {
			return nil, err
		}
		a.FeedID = feedID
		out = append(out, a)
	}
	return out, rows.Err()
}

// FullTextOf returns what fetching the article's page gave; a zero
// FullText (Fetched zero) when it was never tried. An unknown id is
// ErrNotFound.
func (s *Store) FullTextOf(ctx context.Context, id string) (FullText, error) {
	var ft FullText
	var fetched sql.NullInt64
	var url, text, body, why sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT t.fetched, t.url, t.text, t.body, t.error
		FROM (SELECT `+seqOfID+` AS seq) x LEFT JOIN article_fulltext t ON t.seq = x.seq
		WHERE x.seq IS NOT NULL`, id).Scan(&fetched, &url, &text, &body, &why)
	if errors.Is(err, sql.ErrNoRows) {
		return ft, ErrNotFound
	}
	if err != nil {
		return ft, fmt.Errorf("feeds: full text: %w", err)
	}
	if fetched.Valid {
		ft = FullText{Fetched: fromNS(fetched.Int64), URL: url.String, Text: text.String, Body: body.String, Err: why.String}
	}
	return ft, nil
}

// SaveFullText stores what fetching the article's page gave. A failure
// (ft.Text "") after a success keeps the text got before and records the
// failure only when there was none: a page read once stays read. The
// page's text becomes searchable with the article's.
func (s *Store) SaveFullText(ctx context.Context, id string, ft FullText) error {
	ft.URL = sanitize.Line(ft.URL)
	ft.Text = strings.TrimSpace(sanitize.Text(ft.Text, true))
	ft.Body = sanitize.Text(ft.Body, true)
	ft.Err = sanitize.Line(ft.Err)
	if r := []rune(ft.Err); len(r) > maxFullTextErr {
		ft.Err = string(r[:maxFullTextErr-1]) + "…"
	}
	if ft.Text == "" && ft.Err == "" {
		ft.Err = "no readable text in the page"
	}
	if ft.Text == "" {
		ft.Body = ""
	}
	if ft.Fetched.IsZero() {
		ft.Fetched = time.Now()
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		var seq int64
		var title, summary, content string
		err := tx.QueryRowContext(ctx, `SELECT seq, title, steppe_summary(packed), steppe_content(packed) FROM articles WHERE seq = `+seqOfID, id).
			Scan(&seq, &title, &summary, &content)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT text FROM article_fulltext WHERE seq = ?`, seq).Scan(&old)
		had := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if ft.Text == "" && old != "" {
			return nil // read before: keep it
		}
		if (had && old != "") || ft.Text != "" {
			// The index is contentless: the article leaves it by its rowid.
			if _, err := tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, seq); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_fulltext (seq, fetched, url, text, body, error)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO UPDATE SET fetched = excluded.fetched,
			url = excluded.url, text = excluded.text, body = excluded.body, error = excluded.error`,
			seq, toNS(ft.Fetched), ft.URL, ft.Text, ft.Body, ft.Err); err != nil {
			return err
		}
		if ft.Text == "" {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO articles_fts(rowid, title, summary, content) VALUES (?, ?, ?, ?)`,
			seq, title, summary, content+"\n"+ft.Text)
		return err
	})
}

// FullTextStats counts, per feed, the articles whose page was read and
// those whose page failed, with the newest failure's reason.
type FullTextStats struct {
	Extracted int
	Failed    int
	LastErr   string // the newest failure's reason, "" when none failed
}

// FullTextStatsByFeed returns FullTextStats for every feed that has a
// page tried.
func (s *Store) FullTextStatsByFeed(ctx context.Context) (map[int64]FullTextStats, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.feed_id, sum(t.text <> ''), sum(t.text = ''),
		ifnull((SELECT t2.error FROM article_fulltext t2 JOIN articles a2 ON a2.seq = t2.seq
			WHERE a2.feed_id = a.feed_id AND t2.text = '' ORDER BY t2.fetched DESC LIMIT 1), '')
		FROM article_fulltext t JOIN articles a ON a.seq = t.seq GROUP BY a.feed_id`)
	if err != nil {
		return nil, fmt.Errorf("feeds: full-text counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]FullTextStats{}
	for rows.Next() {
		var id int64
		var st FullTextStats
		if err := rows.Scan(&id, &st.Extracted, &st.Failed, &st.LastErr); err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}

// PageFetcher fetches an article's page: *fulltext.Fetcher's Fetch.
type PageFetcher interface {
	Fetch(ctx context.Context, pageURL string) (fulltext.Article, error)
}

// MaxPagesPerRefresh is the most pages one refresh of a feed fetches: a
// first refresh of a feed of a hundred items reads its newest ones.
const MaxPagesPerRefresh = 30

// pagesAtOnce is how many pages of one feed are fetched at once (the
// Fetcher holds each host to its own limit).
const pagesAtOnce = 4

// FetchPage fetches the article's page with pf and stores what it gave
// (SaveFullText). The returned FullText is what was stored; the error is
// the store's, or the context's when it ended: a page that cannot be read
// is no error but a FullText with Err.
func (s *Store) FetchPage(ctx context.Context, pf PageFetcher, a Article) (FullText, error) {
	page, err := pf.Fetch(ctx, a.Link)
	if ctx.Err() != nil {
		return FullText{}, ctx.Err()
	}
	ft := FullText{Fetched: time.Now(), URL: page.URL, Text: page.Text, Body: page.HTML}
	if err != nil {
		ft = FullText{Fetched: ft.Fetched, Err: sanitize.Redact(err.Error())}
	} else if strings.TrimSpace(page.Text) == "" {
		ft = FullText{Fetched: ft.Fetched, Err: "no readable text in the page"}
	}
	if err := s.SaveFullText(ctx, a.ID, ft); err != nil {
		return ft, err
	}
	return s.FullTextOf(ctx, a.ID)
}

// PagesResult is what FetchNewPages did for a feed.
type PagesResult struct {
	OK, Failed int    // pages that gave their text, and that did not
	LastErr    string // why a page failed (one of them), "" when none did
}

// FetchNewPages fetches, with pf, the page of each article the feed's
// last refresh brought (first seen at or after since; at most
// MaxPagesPerRefresh) and stores their text. It returns how many pages
// gave their text and how many failed; the error is the store's.
func (s *Store) FetchNewPages(ctx context.Context, pf PageFetcher, feedID int64, since time.Time) (res PagesResult, err error) {
	list, err := s.PendingFullText(ctx, feedID, since, MaxPagesPerRefresh)
	if err != nil || len(list) == 0 {
		return res, err
	}
	var mu sync.Mutex
	var first error
	sem := make(chan struct{}, pagesAtOnce)
	var wg sync.WaitGroup
	for _, a := range list {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return res, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ft, err := s.FetchPage(ctx, pf, a)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if first == nil {
					first = err
				}
			case ft.Extracted():
				res.OK++
			default:
				res.Failed++
				res.LastErr = ft.Err
			}
		}()
	}
	wg.Wait()
	return res, first
}
