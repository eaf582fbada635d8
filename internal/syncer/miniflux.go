package syncer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	miniflux "miniflux.app/v2/client"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Miniflux speaks Miniflux's REST API through its official client.
type Miniflux struct {
	c   *miniflux.Client
	url string // shown in errors, redacted
}

// Credentials log in to a server: an API key (Miniflux), or a user name
// and password.
type Credentials struct {
	Username string
	Password string
	Token    string
}

// String never shows the secret.
func (Credentials) String() string { return "Credentials{***}" }

// GoString never shows the secret.
func (Credentials) GoString() string { return "Credentials{***}" }

// minifluxPage is how many entries one request lists.
const minifluxPage = 250

// cursorOverlap is how far before the last change seen the next sync
// starts again: the server keeps change times to the microsecond but the
// API takes whole seconds, so the entries of that last second come again
// (storing an unchanged entry changes nothing). An entry created while a
// sync pages by id comes after the ones paged, so it is not missed; one
// whose state changed meanwhile is set right by the lists of unread and
// starred entries every sync applies.
const cursorOverlap = time.Second

// NewMiniflux returns the Miniflux backend for the server at url. client
// is the HTTP client (nil: one with a 30 s timeout); responses larger than
// maxResponse are cut off (a hostile server cannot fill the memory).
func NewMiniflux(url string, cred Credentials, client *http.Client) *Miniflux {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	client = limitedClient(client)
	opts := []miniflux.Option{miniflux.WithHTTPClient(client)}
	if cred.Token != "" {
		opts = append(opts, miniflux.WithAPIKey(cred.Token))
	} else {
		opts = append(opts, miniflux.WithCredentials(cred.Username, cred.Password))
	}
	return &Miniflux{c: miniflux.NewClientWithOptions(strings.TrimRight(url, "/"), opts...), url: url}
}

// Feeds implements Backend.
func (m *Miniflux) Feeds(ctx context.Context) ([]feeds.RemoteFeed, error) {
	fs, err := m.c.FeedsContext(ctx)
	if err != nil {
		return nil, m.fail("listing feeds", err)
	}
	out := make([]feeds.RemoteFeed, 0, len(fs))
	for _, f := range fs {
		if f == nil {
			continue
		}
		rf := feeds.RemoteFeed{RemoteID: strconv.FormatInt(f.ID, 10), URL: f.FeedURL, Title: f.Title}
		if f.Category != nil {
			rf.Category = f.Category.Title
		}
		out = append(out, rf)
	}
	return out, nil
}

// Entries implements Backend: the entries changed after the cursor (a
// Unix time; "" = all), in pages by id.
func (m *Miniflux) Entries(ctx context.Context, cursor string, page func([]Entry) error) (string, error) {
	var after int64
	if cursor != "" {
		var err error
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil {
			after = 0 // a cursor of another backend: start over
		}
	}
	var lastID int64
	newest := time.Unix(after, 0)
	for {
		f := &miniflux.Filter{Order: "id", Direction: "asc", Limit: minifluxPage, AfterEntryID: lastID}
		if after > 0 {
			f.ChangedAfter = after
		}
		res, err := m.c.EntriesContext(ctx, f)
		if err != nil {
			return cursor, m.fail("listing entries", err)
		}
		if res == nil || len(res.Entries) == 0 {
			break
		}
		batch := make([]Entry, 0, len(res.Entries))
		for _, e := range res.Entries {
			if e == nil {
				continue
			}
			if e.ID <= lastID {
				return cursor, newError(KindBadResponse, "listing entries", "the server listed entries out of order", nil)
			}
			lastID = e.ID
			if e.ChangedAt.After(newest) {
				newest = e.ChangedAt
			}
			batch = append(batch, Entry{ID: strconv.FormatInt(e.ID, 10), FeedID: strconv.FormatInt(e.FeedID, 10),
				Title: e.Title, URL: e.URL, Author: e.Author, HTML: e.Content, Published: e.Date,
				Changed: e.ChangedAt, Read: e.Status == "read", Starred: e.Starred, Enclosures: minifluxEnclosures(e.Enclosures)})
		}
		if err := page(batch); err != nil {
			return cursor, err
		}
		if len(res.Entries) < minifluxPage {
			break
		}
	}
	next := newest.Add(-cursorOverlap).Unix()
	if next < after {
		next = after
	}
	if next <= 0 {
		return cursor, nil
	}
	return strconv.FormatInt(next, 10), nil
}

// UnreadIDs implements Backend.
func (m *Miniflux) UnreadIDs(ctx context.Context) ([]string, error) {
	return m.ids(ctx, "listing unread entries", &miniflux.EntryIDsFilter{Status: "unread"})
}

// StarredIDs implements Backend.
func (m *Miniflux) StarredIDs(ctx context.Context) ([]string, error) {
	yes := true
	return m.ids(ctx, "listing starred entries", &miniflux.EntryIDsFilter{Starred: &yes})
}

// idsPage is the most ids Miniflux lists in one answer.
const idsPage = 10000

func (m *Miniflux) ids(ctx context.Context, op string, f *miniflux.EntryIDsFilter) ([]string, error) {
	var out []string
	for {
		f.Limit, f.Offset = idsPage, len(out)
		res, err := m.c.EntryIDsContext(ctx, f)
		if err != nil {
			return nil, m.fail(op, err)
		}
		for _, id := range res.EntryIDs {
			out = append(out, strconv.FormatInt(id, 10))
		}
		if len(res.EntryIDs) < idsPage || len(out) >= res.Total {
			return out, nil
		}
	}
}

// SetRead implements Backend.
func (m *Miniflux) SetRead(ctx context.Context, ids []string, read bool) error {
	n, err := int64s(ids)
	if err != nil {
		return err
	}
	status := "unread"
	if read {
		status = "read"
	}
	if err := m.c.UpdateEntriesContext(ctx, n, status); err != nil {
		return m.fail("marking entries "+status, err)
	}
	return nil
}

// SetStarred implements Backend.
func (m *Miniflux) SetStarred(ctx context.Context, ids []string, starred bool) error {
	n, err := int64s(ids)
	if err != nil {
		return err
	}
	if err := m.c.UpdateEntriesStarredContext(ctx, n, starred); err != nil {
		op := "starring entries"
		if !starred {
			op = "unstarring entries"
		}
		return m.fail(op, err)
	}
	return nil
}

func int64s(ids []string) ([]int64, error) {
	out := make([]int64, len(ids))
	for i, s := range ids {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, newError(KindBadResponse, "sending changes", fmt.Sprintf("%q is not a Miniflux entry id", s), err)
		}
		out[i] = n
	}
	return out, nil
}

// fail words a client error as an Error.
func (m *Miniflux) fail(op string, err error) error {
	where := " at " + sanitize.Redact(m.url)
	switch {
	case errors.Is(err, miniflux.ErrNotAuthorized):
		return newError(KindAuth, op, "the server refused the user name and password (or API key)"+where, err)
	case errors.Is(err, miniflux.ErrForbidden):
		return newError(KindAuth, op, "the server refused access (HTTP 403)"+where, err)
	case errors.Is(err, miniflux.ErrNotFound):
		return newError(KindBadResponse, op, "HTTP 404: is "+sanitize.Redact(m.url)+" a Miniflux server? (url is its address, without /v1)", err)
	}
	return classify(op, m.url, err)
}

// classify words a transport or decoding error.
func classify(op, url string, err error) error {
	where := " at " + sanitize.Redact(url)
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return newError(KindUnreachable, op, "no answer in time"+where, err)
	case errors.As(err, &de):
		return newError(KindUnreachable, op, "no such host"+where, err)
	case errors.As(err, &oe):
		msg := "cannot connect" + where
		if strings.Contains(err.Error(), "connection refused") {
			msg = "connection refused" + where + " (is the server running?)"
		}
		return newError(KindUnreachable, op, msg, err)
	case errors.Is(err, errTooLarge):
		return newError(KindBadResponse, op, "the answer is larger than "+strconv.Itoa(maxResponse>>20)+" MiB"+where, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "response error") || strings.Contains(msg, "invalid character") || strings.Contains(msg, "cannot unmarshal") || strings.Contains(msg, "unexpected EOF") {
		return newError(KindBadResponse, op, "the answer is not what the API gives (not JSON, or cut short)"+where, err)
	}
	if strings.Contains(msg, "internal server error") || strings.Contains(msg, "status code=") {
		return newError(KindBadResponse, op, strings.TrimPrefix(msg, "miniflux: ")+where, err)
	}
	return newError(KindBadResponse, op, strings.TrimPrefix(msg, "miniflux: ")+where, err)
}

// minifluxEnclosures are an entry's enclosures as Miniflux lists them (its
// images too: parse keeps the audio and video).
func minifluxEnclosures(list miniflux.Enclosures) []feeds.Enclosure {
	var out []feeds.Enclosure
	for _, e := range list {
		if e != nil {
			out = append(out, feeds.Enclosure{URL: e.URL, Type: e.MimeType, Length: int64(max(e.Size, 0))})
		}
	}
	return out
}
