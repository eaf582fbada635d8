package syncer

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/greader"
)

// GReader speaks the Google Reader API (FreshRSS, Inoreader, The Old
// Reader, Miniflux's own) through internal/greader.
//
// The API gives no change times, so a local change always wins over the
// server's state (it is sent, then the server's lists agree). Item ids
// grow with time on every server that speaks it, so the cursor is the
// highest id stored: later syncs fetch the content of newer items only.
type GReader struct {
	c   *greader.Client
	url string
}

// greaderPage is how many items one contents request asks for.
const greaderPage = 250

// NewGReader returns the backend for the API whose root is url (Miniflux:
// its address; FreshRSS: https://host/api/greader.php). client nil: one
// with a 60 s timeout.
func NewGReader(url string, cred Credentials, client *http.Client) *GReader {
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	return &GReader{c: greader.New(url, cred.Username, cred.Password, client), url: url}
}

// Feeds implements Backend.
func (g *GReader) Feeds(ctx context.Context) ([]feeds.RemoteFeed, error) {
	subs, err := g.c.Subscriptions(ctx)
	if err != nil {
		return nil, g.fail("listing feeds", err)
	}
	out := make([]feeds.RemoteFeed, 0, len(subs))
	for _, s := range subs {
		rf := feeds.RemoteFeed{RemoteID: s.ID, URL: s.URL, Title: s.Title}
		if len(s.Categories) > 0 {
			rf.Category = s.Categories[0].Label
		}
		out = append(out, rf)
	}
	return out, nil
}

// Entries implements Backend: the items of the reading list above the
// cursor (the highest item id stored before).
func (g *GReader) Entries(ctx context.Context, cursor string, page func([]Entry) error) (string, error) {
	var after int64
	if cursor != "" {
		after, _ = strconv.ParseInt(cursor, 10, 64)
	}
	ids, err := g.c.AllItemIDs(ctx, greader.IDsQuery{Stream: greader.ReadingList, N: 10000})
	if err != nil {
		return cursor, g.fail("listing entries", err)
	}
	var fresh []int64
	for _, id := range ids {
		if id > after {
			fresh = append(fresh, id)
		}
	}
	slices.Sort(fresh)
	fresh = slices.Compact(fresh)
	high := after
	for len(fresh) > 0 {
		k := min(len(fresh), greaderPage)
		items, err := g.c.ItemContents(ctx, fresh[:k])
		if err != nil {
			return cursor, g.fail("reading entries", err)
		}
		batch := make([]Entry, 0, len(items))
		for _, it := range items {
			n, err := it.Num()
			if err != nil {
				return cursor, newError(KindBadResponse, "reading entries", err.Error(), err)
			}
			high = max(high, n)
			e := Entry{ID: strconv.FormatInt(n, 10), FeedID: it.Origin.StreamID, Title: it.Title, Author: it.Author,
				Read: it.HasTag(greader.Read), Starred: it.HasTag(greader.Starred)}
			if it.Published > 0 {
				e.Published = time.Unix(it.Published, 0)
			}
			switch {
			case len(it.Canonical) > 0:
				e.URL = it.Canonical[0].Href
			case len(it.Alternate) > 0:
				e.URL = it.Alternate[0].Href
			}
			switch {
			case it.Content != nil:
				e.HTML = it.Content.Content
			case it.Summary != nil:
				e.HTML = it.Summary.Content
			}
			batch = append(batch, e)
		}
		if err := page(batch); err != nil {
			return cursor, err
		}
		// The server may answer fewer items than asked for (gone since);
		// the ids asked for are done either way.
		high = max(high, fresh[k-1])
		fresh = fresh[k:]
	}
	if high == 0 {
		return cursor, nil
	}
	return strconv.FormatInt(high, 10), nil
}

// UnreadIDs implements Backend.
func (g *GReader) UnreadIDs(ctx context.Context) ([]string, error) {
	return g.ids(ctx, "listing unread entries", greader.IDsQuery{Stream: greader.ReadingList, Exclude: []string{greader.Read}, N: 10000})
}

// StarredIDs implements Backend.
func (g *GReader) StarredIDs(ctx context.Context) ([]string, error) {
	return g.ids(ctx, "listing starred entries", greader.IDsQuery{Stream: greader.Starred, N: 10000})
}

func (g *GReader) ids(ctx context.Context, op string, q greader.IDsQuery) ([]string, error) {
	ids, err := g.c.AllItemIDs(ctx, q)
	if err != nil {
		return nil, g.fail(op, err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out, nil
}

// SetRead implements Backend.
func (g *GReader) SetRead(ctx context.Context, ids []string, read bool) error {
	op := "marking entries unread"
	if read {
		op = "marking entries read"
	}
	return g.tag(ctx, op, ids, greader.Read, read)
}

// SetStarred implements Backend.
func (g *GReader) SetStarred(ctx context.Context, ids []string, starred bool) error {
	op := "unstarring entries"
	if starred {
		op = "starring entries"
	}
	return g.tag(ctx, op, ids, greader.Starred, starred)
}

func (g *GReader) tag(ctx context.Context, op string, ids []string, tag string, on bool) error {
	n, err := int64s(ids)
	if err != nil {
		return err
	}
	var add, remove []string
	if on {
		add = []string{tag}
	} else {
		remove = []string{tag}
	}
	if err := g.c.EditTag(ctx, n, add, remove); err != nil {
		return g.fail(op, err)
	}
	return nil
}

// fail makes a greader error a syncer Error of the same kind.
func (g *GReader) fail(op string, err error) error {
	var ge *greader.Error
	if !errors.As(err, &ge) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return classify(op, g.url, err)
	}
	kind := KindBadResponse
	switch {
	case errors.Is(err, greader.ErrAuth):
		kind = KindAuth
	case errors.Is(err, greader.ErrUnreachable):
		kind = KindUnreachable
	}
	return newError(kind, op, ge.Error(), err)
}
