package feeds

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func enclosureRows(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.db.QueryRow(`SELECT count(*) FROM article_enclosures`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func articleEnclosures(t *testing.T, st *Store, id string) []Enclosure {
	t.Helper()
	a, err := st.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Enclosures
}

// A podcast feed's episodes keep their files: stored with the article,
// read back by Article and by pages, in the feed's order.
func TestEnclosuresStoredFromAFeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Steppe Sessions", "https://feeds.example.kz/steppe-sessions.rss")
	items, _, err := parseArticles(readPayload(t, "podcast_itunes.xml"), "application/rss+xml", f.URL, f.URL, t0, DefaultMaxItems)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p, err := st.Page(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]Article{}
	for _, a := range p.Items {
		byTitle[a.Title] = a
	}
	ep := byTitle["Ep. 111: Water, the Amu Darya and the Qosh Tepa canal (video edition)"]
	want := []Enclosure{
		{URL: "https://media.example.kz/steppe/ep111.m4v", Type: "video/x-m4v", Length: 418381824},
		{URL: "https://media.example.kz/steppe/ep111-720p.mp4", Type: "video/mp4", Length: 204472320},
		{URL: "https://media.example.kz/steppe/ep111.m4a", Type: "audio/mp4"},
	}
	if !reflect.DeepEqual(ep.Enclosures, want) {
		t.Errorf("page item: %+v, want %+v", ep.Enclosures, want)
	}
	if got := articleEnclosures(t, st, ep.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("Article: %+v, want %+v", got, want)
	}
	if tr := byTitle["Trailer: Steppe Sessions season 5"]; tr.Enclosures != nil {
		t.Errorf("trailer has enclosures: %+v", tr.Enclosures)
	}
	if n := enclosureRows(t, st); n != 5 {
		t.Errorf("%d enclosure rows, want 5", n)
	}
}

// A later refresh that changes only an item's enclosures updates them
// (the save's "changed?" test sees them); one that drops them drops them;
// an unchanged one writes nothing. A removed feed's go with its articles.
func TestEnclosuresChangeOnRefresh(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Pod", "https://pod.example/feed")
	ep := Article{ID: "ep1", Title: "Episode 1", Link: "https://pod.example/1", Summary: "s", Published: t0,
		Enclosures: []Enclosure{{URL: "https://cdn.pod.example/ep1.mp3", Type: "audio/mpeg", Length: 100}}}
	save := func(a Article, at time.Duration) {
		t.Helper()
		if n, err := st.SaveArticles(ctx, f.ID, []Article{a}, t0.Add(at)); err != nil {
			t.Fatal(err)
		} else if at > 0 && n != 0 {
			t.Errorf("a changed item counted new: %d", n)
		}
	}
	save(ep, 0)
	if err := st.MarkRead(ctx, "ep1"); err != nil {
		t.Fatal(err)
	}
	// writes counts the rows of articles and article_enclosures written.
	for _, q := range []string{`CREATE TABLE test_writes (n INTEGER)`,
		`CREATE TRIGGER test_wa AFTER UPDATE ON articles BEGIN INSERT INTO test_writes VALUES (1); END`,
		`CREATE TRIGGER test_we AFTER INSERT ON article_enclosures BEGIN INSERT INTO test_writes VALUES (1); END`} {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	writes := func() int {
		var n int
		if err := st.db.QueryRow(`SELECT count(*) FROM test_writes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Same text, the file moved and grew: updated in place, still read.
	ep.Enclosures = []Enclosure{{URL: "https://cdn2.pod.example/ep1.mp3", Type: "audio/mpeg", Length: 25264128},
		{URL: "https://cdn2.pod.example/ep1.ogg", Type: "audio/ogg"}}
	save(ep, time.Hour)
	a, err := st.Article(ctx, "ep1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Enclosures, ep.Enclosures) || !a.Read {
		t.Errorf("after the change: %+v read %v, want %+v read", a.Enclosures, a.Read, ep.Enclosures)
	}
	if writes() == 0 {
		t.Error("the change wrote nothing")
	}

	// The same again: nothing written.
	before := writes()
	save(ep, 2*time.Hour)
	if after := writes(); after != before {
		t.Errorf("an unchanged item was written: %d rows", after-before)
	}

	// Only a length changed.
	ep.Enclosures[1].Length = 4096
	save(ep, 3*time.Hour)
	if got := articleEnclosures(t, st, "ep1"); !reflect.DeepEqual(got, ep.Enclosures) {
		t.Errorf("after the length changed: %+v", got)
	}

	// Gone from the feed.
	ep.Enclosures = nil
	save(ep, 4*time.Hour)
	if got := articleEnclosures(t, st, "ep1"); got != nil {
		t.Errorf("after they were dropped: %+v", got)
	}

	ep.Enclosures = []Enclosure{{URL: "https://cdn.pod.example/ep1.mp3", Type: "audio/mpeg"}}
	save(ep, 5*time.Hour)
	if n := enclosureRows(t, st); n != 1 {
		t.Fatalf("%d rows", n)
	}
	if _, err := st.RemoveFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if n := enclosureRows(t, st); n != 0 {
		t.Errorf("%d enclosure rows left after the feed was removed", n)
	}
}

// What a caller hands the store is cleaned again: no javascript:, no
// controls, no images, at most MaxEnclosures.
func TestEnclosuresCleanedOnSave(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "Pod", "https://pod.example/feed")
	a := Article{ID: "x", Title: "X", Link: "https://pod.example/x", Published: t0, Enclosures: []Enclosure{
		{URL: "javascript:alert(1)", Type: "audio/mpeg"},
		{URL: "https://pod.example/a.mp3\x1b]52;c;aGk=\x07", Type: "audio/mpeg"},
		{URL: "https://pod.example/i.jpg", Type: "image/jpeg"},
		{URL: "https://pod.example/ok.mp3", Type: "Audio/MPEG\x1b[31m", Length: -1},
	}}
	if _, err := st.SaveArticles(ctx, f.ID, []Article{a}, t0); err != nil {
		t.Fatal(err)
	}
	want := []Enclosure{{URL: "https://pod.example/ok.mp3", Type: "audio/mpeg"}}
	if got := articleEnclosures(t, st, "x"); !reflect.DeepEqual(got, want) {
		t.Errorf("stored %+v, want %+v", got, want)
	}
}

// A copy of the story in another feed, published earlier, takes the
// article's place: its enclosures with it.
func TestEnclosuresOfTheWinningCopy(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	a := addFeed(t, st, "A", "https://a.example/feed")
	b := addFeed(t, st, "B", "https://b.example/feed")
	mk := func(id string, pub time.Time, url string) Article {
		return Article{ID: id, Title: "Same story", Link: "https://story.example/1", Published: pub,
			Enclosures: []Enclosure{{URL: url, Type: "audio/mpeg"}}}
	}
	if _, err := st.SaveArticles(ctx, a.ID, []Article{mk("a1", t0, "https://a.example/1.mp3")}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveArticles(ctx, b.ID, []Article{mk("b1", t0.Add(-time.Hour), "https://b.example/1.mp3")}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := articleEnclosures(t, st, "a1")
	if len(got) != 1 || got[0].URL != "https://b.example/1.mp3" {
		t.Errorf("enclosures %+v, want the earlier copy's", got)
	}
	if n := enclosureRows(t, st); n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
}
