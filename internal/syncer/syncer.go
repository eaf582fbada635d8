// Package syncer keeps steppe's store and a sync server (Miniflux, or any
// server of the Google Reader API: FreshRSS, Inoreader, Miniflux's own) in
// step: the server's feeds and categories become steppe's feeds and
// groups, its entries arrive with their content, and read and starred
// state goes both ways. Local changes wait in the store's queue
// (feeds.Store.PendingChanges) until the server has them, so a sync cut
// short, a crash or a server down for days loses nothing.
//
// A Backend speaks one server's protocol; Engine.Sync is the same for all.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Entry is an entry as a server gives it. Its text is hostile: the engine
// cleans it as it cleans a feed's items.
type Entry struct {
	ID        string // the server's id of the entry
	FeedID    string // the server's id of its feed
	Title     string // plain text
	URL       string
	Author    string
	HTML      string // the content
	Published time.Time
	Changed   time.Time // when the server last changed it (its state included); zero if the server does not say
	Read      bool
	Starred   bool
	// Enclosures are the entry's media files as the server lists them
	// (cleaned as a feed's are before they are stored).
	Enclosures []feeds.Enclosure
}

// Backend is one server's protocol. Every call takes a context and
// returns errors that never hold a secret (see Error).
type Backend interface {
	// Feeds lists the subscriptions, each with its category.
	Feeds(ctx context.Context) ([]feeds.RemoteFeed, error)
	// Entries calls page with the entries changed since cursor ("" for
	// every entry), a page at a time, and returns the cursor of the next
	// sync. An error from page stops it and is returned.
	Entries(ctx context.Context, cursor string, page func([]Entry) error) (next string, err error)
	// UnreadIDs and StarredIDs list the ids of every unread and every
	// starred entry.
	UnreadIDs(ctx context.Context) ([]string, error)
	StarredIDs(ctx context.Context) ([]string, error)
	// SetRead marks entries read (read = true) or unread; SetStarred
	// stars or unstars them. Either is all or nothing per call.
	SetRead(ctx context.Context, ids []string, read bool) error
	SetStarred(ctx context.Context, ids []string, starred bool) error
}

// Kinds of Error.
const (
	KindAuth        = "auth"         // the server refused the credentials
	KindUnreachable = "unreachable"  // no answer: connection refused, timeout, no such host
	KindBadResponse = "bad response" // an answer that is not the protocol: garbage, HTML, a 5xx
)

// Error is a sync failure in words a person can act on. Its text never
// holds a password, token or secret query parameter.
type Error struct {
	Kind string
	Op   string // what was being done: "listing feeds", "marking entries read", …
	Msg  string // the reason, redacted and cleaned
	Err  error  // the cause (its text may not be shown: it can hold URLs)
}

func (e *Error) Error() string { return fmt.Sprintf("sync: %s: %s", e.Op, e.Msg) }
func (e *Error) Unwrap() error { return e.Err }

// Short is the error for a status line.
func (e *Error) Short() string {
	switch e.Kind {
	case KindAuth:
		return "login refused"
	case KindUnreachable:
		return "server unreachable"
	}
	return "bad answer from the server"
}

// newError makes an Error, redacting and cleaning msg.
func newError(kind, op, msg string, err error) *Error {
	return &Error{Kind: kind, Op: op, Msg: sanitize.Redact(sanitize.Line(msg)), Err: err}
}

// Report is what one sync did.
type Report struct {
	Feeds      int // server feeds stored
	Entries    int // entries received (new or changed)
	New        int // of them, articles not stored before
	Pushed     int // local changes the server took
	Superseded int // local changes dropped: the server changed the entry later
	Read       int // articles whose read state the server's lists changed
	Starred    int // articles whose star the server's lists changed
	Pending    int // local changes still waiting (made during the sync)
	Took       time.Duration
}

// Engine syncs one store with one server.
type Engine struct {
	Backend Backend
	Store   *feeds.Store
	Service string // "miniflux" or "greader", remembered with the cursor
	URL     string // the server as configured (no credentials in it)
	Now     func() time.Time
}

// pushBatch is how many ids go in one request that changes state.
const pushBatch = 250

// Sync runs one two-way sync:
//
//  1. the server's feeds become the store's server feeds;
//  2. the entries changed since the last sync are stored; where a local
//     change is queued for one, the later of the two wins (a local change
//     made before the server's is dropped);
//  3. the queued local changes are sent, in order, the last per entry
//     and kind winning, and leave the queue only once the server took them;
//  4. the server's lists of unread and starred entries are applied to
//     every article of the server that has no change queued.
//
// The cursor moves only when all of it worked. On error the store keeps
// every local change and the last sync's cursor; the error is recorded
// in the sync status (feeds.Store.SyncStatus) and returned.
func (e *Engine) Sync(ctx context.Context) (Report, error) {
	began := e.now()
	st, err := e.Store.SyncStatus(ctx)
	if err != nil {
		return Report{}, err
	}
	if st.Service != "" && (st.Service != e.Service || st.URL != e.URL) {
		// Another server: its ids mean nothing here.
		if err := e.Store.ForgetServer(ctx); err != nil {
			return Report{}, err
		}
		st = feeds.SyncStatus{}
	}
	rep, next, err := e.run(ctx, st.Cursor)
	rep.Took = time.Since(began)
	st.Service, st.URL, st.LastSync = e.Service, e.URL, began
	if err != nil {
		st.LastError = err.Error()
		if serr := e.Store.SetSyncStatus(context.WithoutCancel(ctx), st); serr != nil {
			err = errors.Join(err, serr)
		}
		return rep, err
	}
	st.Cursor, st.LastOK, st.LastError = next, began, ""
	if err := e.Store.SetSyncStatus(ctx, st); err != nil {
		return rep, err
	}
	if after, err := e.Store.SyncStatus(ctx); err == nil {
		rep.Pending = after.Pending
	}
	return rep, nil
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// run does the sync's steps and returns the next cursor.
func (e *Engine) run(ctx context.Context, cursor string) (Report, string, error) {
	var rep Report
	remote, err := e.Backend.Feeds(ctx)
	if err != nil {
		return rep, "", err
	}
	ids, err := e.Store.SetRemoteFeeds(ctx, remote)
	if err != nil {
		return rep, "", err
	}
	rep.Feeds = len(ids)
	feedURL := make(map[int64]string, len(remote))
	for _, f := range remote {
		if id, ok := ids[f.RemoteID]; ok {
			feedURL[id] = f.URL
		}
	}

	queued, err := e.Store.PendingChanges(ctx, 0)
	if err != nil {
		return rep, "", err
	}
	latest := latestChanges(queued)

	next, err := e.Backend.Entries(ctx, cursor, func(page []Entry) error {
		var superseded []int64
		out := make([]feeds.RemoteEntry, 0, len(page))
		now := e.now()
		for _, en := range page {
			feedID, ok := ids[en.FeedID]
			if !ok || en.ID == "" {
				continue // a feed the server did not list (being removed)
			}
			superseded = append(superseded, latest.supersede(en)...)
			it := parse.FromEntry(parse.Entry{GUID: en.ID, Title: en.Title, Link: en.URL, Author: en.Author,
				HTML: en.HTML, Published: en.Published, Enclosures: en.Enclosures}, feedURL[feedID], now)
			out = append(out, feeds.RemoteEntry{RemoteID: en.ID, FeedID: feedID, Read: en.Read, Starred: en.Starred,
				Article: feeds.Article{Title: it.Title, Link: it.Link, Author: it.Author, Summary: it.Summary,
					Content: it.Content, Body: it.Body, Published: it.Published, NoDate: it.NoDate, FirstSeen: now,
					Enclosures: it.Enclosures}})
		}
		// A change the server made later wins: the local one leaves the
		// queue first, so that the server's state is stored.
		if err := e.Store.AckChanges(ctx, superseded); err != nil {
			return err
		}
		rep.Superseded += len(superseded)
		n, err := e.Store.SaveRemoteEntries(ctx, out, now)
		rep.New += n
		rep.Entries += len(out)
		return err
	})
	if err != nil {
		return rep, "", err
	}

	pushed, err := e.push(ctx, latest)
	rep.Pushed = pushed
	if err != nil {
		return rep, "", err
	}

	unread, err := e.Backend.UnreadIDs(ctx)
	if err != nil {
		return rep, "", err
	}
	if rep.Read, err = e.Store.ReconcileUnread(ctx, unread); err != nil {
		return rep, "", err
	}
	starred, err := e.Backend.StarredIDs(ctx)
	if err != nil {
		return rep, "", err
	}
	if rep.Starred, err = e.Store.ReconcileStarred(ctx, starred); err != nil {
		return rep, "", err
	}
	return rep, next, nil
}

// Push sends the queued local changes only (steppe mark, with [sync]
// set): it is step 3 of Sync, and returns how many changes the server took.
func (e *Engine) Push(ctx context.Context) (int, error) {
	queued, err := e.Store.PendingChanges(ctx, 0)
	if err != nil {
		return 0, err
	}
	return e.push(ctx, latestChanges(queued))
}

// push sends the latest change of each entry and kind, and acknowledges
// every queued change it stood for once the server took it.
func (e *Engine) push(ctx context.Context, l *latest) (int, error) {
	groups := []struct {
		action string
		send   func(ctx context.Context, ids []string) error
	}{
		{feeds.ActRead, func(ctx context.Context, ids []string) error { return e.Backend.SetRead(ctx, ids, true) }},
		{feeds.ActUnread, func(ctx context.Context, ids []string) error { return e.Backend.SetRead(ctx, ids, false) }},
		{feeds.ActStar, func(ctx context.Context, ids []string) error { return e.Backend.SetStarred(ctx, ids, true) }},
		{feeds.ActUnstar, func(ctx context.Context, ids []string) error { return e.Backend.SetStarred(ctx, ids, false) }},
	}
	pushed := 0
	for _, g := range groups {
		ids, ns := l.byAction(g.action)
		for len(ids) > 0 {
			k := min(len(ids), pushBatch)
			if err := g.send(ctx, ids[:k]); err != nil {
				return pushed, err
			}
			if err := e.Store.AckChanges(ctx, flatten(ns[:k])); err != nil {
				return pushed, err
			}
			pushed += k
			ids, ns = ids[k:], ns[k:]
		}
	}
	return pushed, nil
}

func flatten(ns [][]int64) []int64 {
	var out []int64
	for _, n := range ns {
		out = append(out, n...)
	}
	return out
}

// change is the latest queued change of one entry for one kind (read
// state, or star), with every queue row it stands for.
type change struct {
	action string
	at     time.Time
	ns     []int64
	gone   bool // superseded by the server's later change
}

// latest holds the latest queued change of each entry, per kind, in the
// order the entries were first changed.
type latest struct {
	read, star map[string]*change
	order      []string
}

func latestChanges(cs []feeds.Change) *latest {
	l := &latest{read: map[string]*change{}, star: map[string]*change{}}
	for _, c := range cs {
		m := l.read
		if c.Action == feeds.ActStar || c.Action == feeds.ActUnstar {
			m = l.star
		}
		if _, seen := l.read[c.RemoteID]; !seen {
			if _, seen := l.star[c.RemoteID]; !seen {
				l.order = append(l.order, c.RemoteID)
			}
		}
		ch := m[c.RemoteID]
		if ch == nil {
			ch = &change{}
			m[c.RemoteID] = ch
		}
		ch.action, ch.at = c.Action, c.At
		ch.ns = append(ch.ns, c.N)
	}
	return l
}

// supersede drops the queued changes of en that the server made later
// and returns their queue rows; a server that gives no change time never
// supersedes a local change.
func (l *latest) supersede(en Entry) []int64 {
	if en.Changed.IsZero() {
		return nil
	}
	var out []int64
	for _, m := range []map[string]*change{l.read, l.star} {
		if ch := m[en.ID]; ch != nil && !ch.gone && en.Changed.After(ch.at) {
			ch.gone = true
			out = append(out, ch.ns...)
		}
	}
	return out
}

// byAction returns the entries whose latest change is action, in order,
// with the queue rows each stands for.
func (l *latest) byAction(action string) ([]string, [][]int64) {
	m := l.read
	if action == feeds.ActStar || action == feeds.ActUnstar {
		m = l.star
	}
	var ids []string
	var ns [][]int64
	for _, id := range l.order {
		if ch := m[id]; ch != nil && !ch.gone && ch.action == action {
			ids = append(ids, id)
			ns = append(ns, ch.ns)
		}
	}
	return ids, ns
}
