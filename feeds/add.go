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

// ExistsError is Add's answer for a URL that is already an active feed.
type ExistsError struct{ Feed Feed }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("already a feed: %s (%s)", e.Feed.Name, sanitize.Redact(e.Feed.URL))
}

// Add fetches sp.URL once and, when it gives a feed, stores it as a feed
// kept in the store (OriginImport, after the imported ones) together with
// the items it carried. Without a name in sp, the feed's own title names
// it, else its host. The Result holds the stored feed, the items the feed
// carried (Total) and how many were new to the store (New).
//
// Nothing is stored when the URL is not usable (NormURL's error), is
// already an active feed (*ExistsError, found before fetching), or does not
// give a feed: the error then says what went wrong ("HTTP 404 Not Found",
// "not a feed: got text/html").
func (f *Fetcher) Add(ctx context.Context, sp Spec) (Result, error) {
	start := time.Now()
	u, err := CheckNewURL(sp.URL)
	if err != nil {
		return Result{}, err
	}
	sp.URL = u
	if err := activeFeedError(ctx, f.st.db, u); err != nil {
		return Result{}, err
	}
	now := f.now()
	c := &claim{sem: f.bytes, max: f.opt.MaxInFlight}
	defer c.release()
	keep := f.keep(Feed{URL: u, Name: sp.Name, Group: sp.Group})
	got, err := f.fetch(ctx, Feed{URL: u}, c, now, keep)
	arts, total := got.arts, got.total
	if err == nil && !got.streamed {
		arts, total, err = parseArticles(got.body, got.contentType, u, finalURL(got, u), now, keep)
		if err != nil {
			err = &ParseError{err}
		}
	}
	if err != nil {
		return Result{}, err
	}
	if CapName(sp.Name) == "" {
		title := got.title
		if !got.streamed {
			title = parse.Title(got.body, got.contentType)
		}
		sp.Name = CapName(title)
	}
	sp, _ = NormSpec(sp)
	var feed Feed
	err = f.st.writeTx(ctx, func(tx *sql.Tx) error {
		pos, err := nextImportPosition(ctx, tx)
		if err != nil {
			return err
		}
		id, ok, err := insertImported(ctx, tx, sp, pos)
		if err != nil {
			return err
		}
		if !ok {
			if err := activeFeedError(ctx, tx, u); err != nil {
				return err
			}
			return fmt.Errorf("feeds: %s could not be stored", sanitize.Redact(u))
		}
		if feed, err = f.st.feed(ctx, tx, id); err != nil {
			return err
		}
		// Validators are not kept: the first refresh asks unconditionally.
		feed.ETag, feed.LastModified = "", ""
		feed.LastFetch, feed.LastOK, feed.LastStatus, feed.LastError, feed.LastShort = now, now, "ok", "", ""
		feed.Note = cutNote(len(arts), total)
		feed.NextFetch = time.Time{}
		return setStatus(ctx, tx, feed)
	})
	if err != nil {
		return Result{}, err
	}
	res := Result{Feed: feed, Total: len(arts)}
	res.New, err = f.st.SaveArticles(ctx, feed.ID, arts, now)
	res.Took = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("the feed was added, but storing its items failed (the next refresh tries again): %w", err)
	}
	return res, nil
}

// activeFeedError returns an *ExistsError when u is the URL of an active
// feed, nil when it is not.
func activeFeedError(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, u string) error {
	fd, err := scanFeed(q.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = ? AND active = 1`, u))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &ExistsError{Feed: fd}
}
