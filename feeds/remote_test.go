package feeds

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func remoteEntries(feed int64, n int, prefix string) []RemoteEntry {
	out := make([]RemoteEntry, n)
	for i := range out {
		out[i] = RemoteEntry{
			RemoteID: fmt.Sprintf("%s%d", prefix, i),
			FeedID:   feed,
			Article: Article{
				Title:     fmt.Sprintf("%s entry %d", prefix, i),
				Link:      fmt.Sprintf("https://news.example/%s/%d", prefix, i),
				Content:   "text",
				Body:      "<p>text</p>",
				Published: t0.Add(time.Duration(i) * time.Minute),
			},
		}
	}
	return out
}

// articleByRemote returns the stored article tied to remote id rid.
func articleByRemote(t *testing.T, st *Store, rid string) Article {
	t.Helper()
	var id string
	if err := st.db.QueryRow(`SELECT a.id FROM articles a JOIN remote_entries r ON r.seq = a.seq
WHERE r.remote_id = ?`, rid).Scan(&id); err != nil {
		t.Fatalf("remote %s: %v", rid, err)
	}
	a, err := st.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func pending(t *testing.T, st *Store) []string {
	t.Helper()
	cs, err := st.PendingChanges(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.RemoteID+":"+c.Action)
		if c.At.IsZero() || time.Since(c.At) > time.Hour || time.Until(c.At) > time.Hour {
			t.Errorf("change %v: time %v is not now", c, c.At)
		}
	}
	return out
}

func TestRemoteFeedsAddRenameRemove(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	local := addFeed(t, st, "Local", "https://local.example/rss")
	// A config feed that the server also lists joins the server's.
	if _, err := st.SyncFeeds(ctx, []Spec{{Name: "Conf", URL: "https://conf.example/rss"}}); err != nil {
		t.Fatal(err)
	}
	ids, err := st.SetRemoteFeeds(ctx, []RemoteFeed{
		{RemoteID: "1", URL: "https://akipress.example/rss", Title: "AKIpress", Category: "Kyrgyzstan"},
		{RemoteID: "2", URL: "https://conf.example/rss", Title: "Conf on server", Category: "News"},
		{RemoteID: "3", URL: "javascript:alert(1)", Title: "bad"},
		{RemoteID: "", URL: "https://noid.example/rss"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 {
		t.Fatalf("ids = %v, want the two usable feeds", ids)
	}
	fs, _ := st.Feeds(ctx)
	byURL := map[string]Feed{}
	for _, f := range fs {
		byURL[f.URL] = f
	}
	if f := byURL["https://akipress.example/rss"]; f.Origin != OriginServer || f.Name != "AKIpress" || f.Group != "Kyrgyzstan" {
		t.Errorf("server feed = %+v", f)
	}
	if f := byURL["https://conf.example/rss"]; f.Origin != OriginServer || f.Group != "News" {
		t.Errorf("config feed listed by the server = %+v", f)
	}
	if f := byURL[local.URL]; f.Origin != OriginImport {
		t.Errorf("local feed = %+v", f)
	}
	if _, err := st.RemoveFeed(ctx, ids["1"]); !errors.Is(err, ErrServerFeed) {
		t.Errorf("RemoveFeed(server feed) = %v, want ErrServerFeed", err)
	}
	if _, err := st.SaveRemoteEntries(ctx, remoteEntries(ids["1"], 3, "a"), t0); err != nil {
		t.Fatal(err)
	}

	// Renamed on the server, and feed 1 unsubscribed.
	ids2, err := st.SetRemoteFeeds(ctx, []RemoteFeed{
		{RemoteID: "2", URL: "https://conf.example/rss", Title: "Renamed", Category: ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids2["2"] != ids["2"] {
		t.Errorf("feed 2 got a new id: %d, was %d", ids2["2"], ids["2"])
	}
	fs, _ = st.Feeds(ctx)
	var urls []string
	for _, f := range fs {
		urls = append(urls, f.URL)
		if f.URL == "https://conf.example/rss" && (f.Name != "Renamed" || f.Group != "") {
			t.Errorf("renamed feed = %+v", f)
		}
	}
	if slices.Contains(urls, "https://akipress.example/rss") {
		t.Errorf("unsubscribed server feed still listed: %v", urls)
	}
	if n, _ := st.Count(ctx); n != 0 {
		t.Errorf("%d articles left after the server feed went", n)
	}
	// Dropped by the server, a config feed stays, as the config's.
	if _, err := st.SetRemoteFeeds(ctx, nil); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Feeds(ctx)
	for _, f := range fs {
		if f.URL == "https://conf.example/rss" && f.Origin != OriginConfig {
			t.Errorf("config feed after the server dropped it: %+v", f)
		}
	}
	if len(fs) != 2 {
		t.Errorf("feeds = %v, want the local and config feed", fs)
	}
}

func TestRemoteEntriesStateAndQueue(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	ids, err := st.SetRemoteFeeds(ctx, []RemoteFeed{{RemoteID: "f", URL: "https://kun.example/rss", Title: "Kun"}})
	if err != nil {
		t.Fatal(err)
	}
	es := remoteEntries(ids["f"], 5, "e")
	es[1].Read = true
	es[2].Starred = true
	n, err := st.SaveRemoteEntries(ctx, es, t0)
	if err != nil || n != 5 {
		t.Fatalf("SaveRemoteEntries = %d, %v; want 5 new", n, err)
	}
	if a := articleByRemote(t, st, "e1"); !a.Read || a.Starred {
		t.Errorf("e1 = read %v starred %v, want read", a.Read, a.Starred)
	}
	if a := articleByRemote(t, st, "e2"); a.Read || !a.Starred {
		t.Errorf("e2 = read %v starred %v, want starred", a.Read, a.Starred)
	}
	if p := pending(t, st); len(p) != 0 {
		t.Fatalf("the server's own state was queued: %v", p)
	}

	// Local changes, by every path, are queued in order.
	a0 := articleByRemote(t, st, "e0")
	if err := st.MarkRead(ctx, a0.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, a0.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, articleByRemote(t, st, "e1").ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkViewRead(ctx, View{}); err != nil {
		t.Fatal(err)
	}
	got := pending(t, st)
	want := []string{"e0:read", "e0:star", "e1:unread"}
	if len(got) != 7 || !slices.Equal(got[:3], want) {
		t.Fatalf("queue = %v, want %v then the mark-all of e1..e4", got, want)
	}
	rest := slices.Clone(got[3:])
	slices.Sort(rest)
	if !slices.Equal(rest, []string{"e1:read", "e2:read", "e3:read", "e4:read"}) {
		t.Errorf("mark-all queued %v, want e1..e4 read", rest)
	}

	// The server still says e0 is unread (it has not seen the change):
	// the queued change is newer and stays.
	again := remoteEntries(ids["f"], 5, "e")
	again[0].Article.Title = "e entry 0, edited"
	if n, err := st.SaveRemoteEntries(ctx, again, t0); err != nil || n != 0 {
		t.Fatalf("second save = %d, %v; want 0 new", n, err)
	}
	if a := articleByRemote(t, st, "e0"); !a.Read || !a.Starred || a.Title != "e entry 0, edited" {
		t.Errorf("e0 after a stale server state = %+v", a)
	}

	// Acknowledged, the changes leave the queue; a later server state applies.
	cs, _ := st.PendingChanges(ctx, 2)
	if len(cs) != 2 {
		t.Fatalf("PendingChanges(2) = %v", cs)
	}
	if err := st.AckChanges(ctx, []int64{cs[0].N, cs[1].N}); err != nil {
		t.Fatal(err)
	}
	if p := pending(t, st); len(p) != 5 || p[0] != "e1:unread" {
		t.Errorf("after ack: %v", p)
	}
	cs, _ = st.PendingChanges(ctx, 0)
	var all []int64
	for _, c := range cs {
		all = append(all, c.N)
	}
	if err := st.AckChanges(ctx, all); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveRemoteEntries(ctx, remoteEntries(ids["f"], 5, "e"), t0); err != nil {
		t.Fatal(err)
	}
	if a := articleByRemote(t, st, "e0"); a.Read || a.Starred {
		t.Errorf("e0 after the server's newer state: read %v starred %v, want neither", a.Read, a.Starred)
	}
	if p := pending(t, st); len(p) != 0 {
		t.Errorf("applying the server's state queued %v", p)
	}
	counts, _ := st.CountByFeed(ctx)
	if c := counts[ids["f"]]; c.Total != 5 || c.Unread != 5 {
		t.Errorf("counts = %+v, want 5 total, 5 unread", c)
	}
}

func TestReconcileAndLocalArticlesNotQueued(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	local := addFeed(t, st, "Local", "https://local.example/rss")
	if _, err := st.SaveArticles(ctx, local.ID, mkArticles(3, "loc", t0), t0); err != nil {
		t.Fatal(err)
	}
	ids, _ := st.SetRemoteFeeds(ctx, []RemoteFeed{{RemoteID: "f", URL: "https://kun.example/rss", Title: "Kun"}})
	if _, err := st.SaveRemoteEntries(ctx, remoteEntries(ids["f"], 4, "r"), t0); err != nil {
		t.Fatal(err)
	}
	// Marking everything read queues only the server's articles.
	if n, err := st.MarkViewRead(ctx, View{}); err != nil || n != 7 {
		t.Fatalf("MarkViewRead = %d, %v", n, err)
	}
	if p := pending(t, st); len(p) != 4 {
		t.Fatalf("queue = %v, want the 4 server articles only", p)
	}
	cs, _ := st.PendingChanges(ctx, 0)
	ns := []int64{}
	for _, c := range cs {
		if c.RemoteID != "r3" {
			ns = append(ns, c.N)
		}
	}
	if err := st.AckChanges(ctx, ns); err != nil {
		t.Fatal(err)
	}
	// The server says r0 and r3 are unread and r1 starred; r3 has a
	// change queued, which wins.
	n, err := st.ReconcileUnread(ctx, []string{"r0", "r3", "unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("ReconcileUnread changed %d, want 1 (r0)", n)
	}
	if n, err = st.ReconcileStarred(ctx, []string{"r1"}); err != nil || n != 1 {
		t.Errorf("ReconcileStarred = %d, %v; want 1", n, err)
	}
	for rid, want := range map[string][2]bool{"r0": {false, false}, "r1": {true, true}, "r2": {true, false}, "r3": {true, false}} {
		if a := articleByRemote(t, st, rid); a.Read != want[0] || a.Starred != want[1] {
			t.Errorf("%s: read %v starred %v, want %v", rid, a.Read, a.Starred, want)
		}
	}
	if p := pending(t, st); len(p) != 1 || p[0] != "r3:read" {
		t.Errorf("reconciling queued changes: %v", p)
	}
	// Many ids (several statements' worth) are taken whole.
	many := make([]string, 2*maxIDBatch+7)
	for i := range many {
		many[i] = fmt.Sprintf("x%d", i)
	}
	many = append(many, "r2")
	if n, err := st.ReconcileUnread(ctx, many); err != nil || n != 2 {
		t.Errorf("ReconcileUnread(many) = %d, %v; want 2 (r0 read, r2 unread)", n, err)
	}
	rids, err := st.RemoteIDs(ctx, []string{articleByRemote(t, st, "r2").ID, "nope"})
	if err != nil || len(rids) != 1 {
		t.Errorf("RemoteIDs = %v, %v", rids, err)
	}
}

func TestSyncStatusAndForget(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	s0, err := st.SyncStatus(ctx)
	if err != nil || s0.Service != "" || s0.Cursor != "" {
		t.Fatalf("fresh status = %+v, %v", s0, err)
	}
	want := SyncStatus{Service: "miniflux", URL: "http://127.0.0.1:1/", Cursor: "42",
		LastSync: t0, LastOK: t0, LastError: "bad \x1b[31m"}
	if err := st.SetSyncStatus(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, _ := st.SyncStatus(ctx)
	if got.Service != want.Service || got.URL != want.URL || got.Cursor != "42" || !got.LastSync.Equal(t0) || got.LastError != "bad" {
		t.Errorf("status = %+v", got)
	}
	ids, _ := st.SetRemoteFeeds(ctx, []RemoteFeed{{RemoteID: "f", URL: "https://kun.example/rss", Title: "Kun"}})
	es := remoteEntries(ids["f"], 2, "e")
	es[0].Starred = true
	st.SaveRemoteEntries(ctx, es, t0)
	st.MarkRead(ctx, articleByRemote(t, st, "e1").ID)
	if got, _ := st.SyncStatus(ctx); got.Pending != 1 {
		t.Errorf("pending = %d, want 1", got.Pending)
	}
	if err := st.ForgetServer(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = st.SyncStatus(ctx)
	if got.Service != "" || got.Cursor != "" || got.Pending != 0 {
		t.Errorf("after forget = %+v", got)
	}
	fs, _ := st.Feeds(ctx)
	if len(fs) != 1 || fs[0].Origin != OriginImport {
		t.Errorf("feeds after forget = %+v", fs)
	}
	p, _ := st.PageOf(ctx, View{}, 1, 10)
	if p.Total != 2 || p.Unread != 1 {
		t.Errorf("articles after forget: total %d unread %d, want 2, 1", p.Total, p.Unread)
	}
}
