package syncer

import (
	"context"
	"reflect"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"

	"github.com/steppe-news/steppe/feeds"
)

// oneFeed is a Backend with one feed whose entries are given.
type oneFeed struct{ entries []Entry }

func (b *oneFeed) Feeds(context.Context) ([]feeds.RemoteFeed, error) {
	return []feeds.RemoteFeed{{RemoteID: "1", URL: "https://pod.example/feed.xml", Title: "Pod"}}, nil
}

func (b *oneFeed) Entries(_ context.Context, _ string, page func([]Entry) error) (string, error) {
	return "1", page(b.entries)
}
func (b *oneFeed) UnreadIDs(context.Context) ([]string, error)      { return nil, nil }
func (b *oneFeed) StarredIDs(context.Context) ([]string, error)     { return nil, nil }
func (b *oneFeed) SetRead(context.Context, []string, bool) error    { return nil }
func (b *oneFeed) SetStarred(context.Context, []string, bool) error { return nil }

// The enclosures Miniflux reports (its JSON, read by its client) are
// stored as a feed's are: audio and video, cleaned; images and
// javascript: left out. A later sync that changes them updates them.
func TestMinifluxEnclosuresStored(t *testing.T) {
	ctx := context.Background()
	list := minifluxEnclosures(miniflux.Enclosures{
		{ID: 1, URL: "https://cdn.pod.example/ep1.mp3", MimeType: "audio/mpeg", Size: 25264128},
		{ID: 2, URL: "https://cdn.pod.example/cover.jpg", MimeType: "image/jpeg", Size: 5000},
		nil,
		{ID: 3, URL: "javascript:alert(1)", MimeType: "audio/mpeg"},
		{ID: 4, URL: "https://cdn.pod.example/ep1.webm", MimeType: "video/webm", Size: -1},
	})
	b := &oneFeed{entries: []Entry{{ID: "10", FeedID: "1", Title: "Episode 1", URL: "https://pod.example/1",
		HTML: "<p>Notes</p>", Published: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), Enclosures: list}}}
	st := openStore(t)
	e := &Engine{Backend: b, Store: st, Service: "miniflux", URL: "https://reader.example"}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	stored := func() []feeds.Enclosure {
		t.Helper()
		p, err := st.Page(ctx, 1, 10)
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("page: %+v, %v", p, err)
		}
		a, err := st.Article(ctx, p.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return a.Enclosures
	}
	want := []feeds.Enclosure{{URL: "https://cdn.pod.example/ep1.mp3", Type: "audio/mpeg", Length: 25264128},
		{URL: "https://cdn.pod.example/ep1.webm", Type: "video/webm"}}
	if got := stored(); !reflect.DeepEqual(got, want) {
		t.Errorf("stored %+v, want %+v", got, want)
	}

	b.entries[0].Enclosures = []feeds.Enclosure{{URL: "https://cdn2.pod.example/ep1.mp3", Type: "audio/mpeg", Length: 1}}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := stored(); !reflect.DeepEqual(got, b.entries[0].Enclosures) {
		t.Errorf("after the server changed them: %+v", got)
	}
}
