package feeds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds/fulltext"
)

// A page's text is stored beside the feed's, found by search, shown by
// Article, and leaves the index with the article; a later failure keeps
// it; a failure alone is kept with its reason.
func TestFullTextStoredAndSearched(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	f := addFeed(t, st, "News", "https://news.example/feed")
	items := []Article{
		{ID: "a", Title: "Tenge weakens", Summary: "One line", Link: "https://news.example/a", Published: t0},
		{ID: "b", Title: "Som steady", Summary: "Another", Link: "https://news.example/b", Published: t0.Add(-time.Hour)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	if got := found(t, st, "zarafshan"); got != "" {
		t.Fatalf("before: [%s]", got)
	}
	err := st.SaveFullText(ctx, "a", FullText{Fetched: t0, URL: "https://news.example/a",
		Text: "The Zarafshan river \x1b[31mfloods.", Body: "<p>The Zarafshan river floods.</p>"})
	if err != nil {
		t.Fatal(err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "zarafshan"); got != "a" {
		t.Errorf("page text: zarafshan finds [%s]", got)
	}
	a, err := st.Article(ctx, "a")
	if err != nil || !a.FullText.Extracted() || strings.ContainsRune(a.FullText.Text, 0x1b) ||
		!strings.Contains(a.FullText.Text, "Zarafshan river") || a.Summary != "One line" {
		t.Fatalf("article: %+v, %v", a, err)
	}
	// A failure later keeps the text.
	if err := st.SaveFullText(ctx, "a", FullText{Err: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.Article(ctx, "a"); !a.FullText.Extracted() || a.FullText.Err != "" {
		t.Errorf("after a failure: %+v", a.FullText)
	}
	// The feed changes the item: the page's text stays searchable.
	items[0].Title = "Manat steady"
	if _, err := st.SaveArticles(ctx, f.ID, items, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "zarafshan"); got != "a" {
		t.Errorf("after the feed's update: zarafshan finds [%s]", got)
	}
	// A failure alone says why; the summary stays.
	if err := st.SaveFullText(ctx, "b", FullText{Err: "the page does not look like an article"}); err != nil {
		t.Fatal(err)
	}
	b, err := st.Article(ctx, "b")
	if err != nil || b.FullText.Extracted() || b.FullText.Err != "the page does not look like an article" || b.Summary != "Another" {
		t.Errorf("failed page: %+v, %v", b.FullText, err)
	}
	stats, err := st.FullTextStatsByFeed(ctx)
	if err != nil || stats[f.ID] != (FullTextStats{Extracted: 1, Failed: 1, LastErr: "the page does not look like an article"}) {
		t.Errorf("stats: %+v, %v", stats, err)
	}
	if err := st.SaveFullText(ctx, "nope", FullText{Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	// Removing the feed takes the pages and their words out.
	if _, err := st.RemoveFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	ftsIntact(t, st)
	if got := found(t, st, "zarafshan"); got != "" {
		t.Errorf("after removal: [%s]", got)
	}
	var left int
	if err := st.db.QueryRow(`SELECT count(*) FROM article_fulltext`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d pages left, %v", left, err)
	}
}

// FetchNewPages reads the pages of the articles the refresh brought, a
// saved real page served from loopback, and records why a page failed;
// articles seen before the refresh are left alone.
func TestFetchNewPages(t *testing.T) {
	ctx := context.Background()
	bbc, err := os.ReadFile(filepath.Join("fulltext", "testdata", "pages", "bbc-1", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/story":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(bbc)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	// The host that asks to wait is a host of its own: a 429 holds back
	// the rest of its host's pages, and which page the two workers ask
	// for first is not fixed.
	busySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer busySrv.Close()
	st := newStore(t)
	f := addFeed(t, st, "BBC", "https://bbc.example/feed")
	old := []Article{{ID: "old", Title: "Old", Link: ts.URL + "/old", Published: t0.Add(-48 * time.Hour)}}
	if _, err := st.SaveArticles(ctx, f.ID, old, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	items := []Article{
		{ID: "story", Title: "Obama", Summary: "One line", Link: ts.URL + "/story", Published: t0},
		{ID: "busy", Title: "Busy", Link: busySrv.URL + "/busy", Published: t0.Add(-time.Minute)},
		{ID: "gone", Title: "Gone", Link: ts.URL + "/gone", Published: t0.Add(-2 * time.Minute)},
	}
	if _, err := st.SaveArticles(ctx, f.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	pf := fulltext.NewFetcher(ts.Client(), fulltext.Options{}, 2)
	res, err := st.FetchNewPages(ctx, pf, f.ID, t0)
	if err != nil || res.OK != 1 || res.Failed != 2 || !strings.Contains(res.LastErr, "HTTP 4") {
		t.Fatalf("FetchNewPages = %+v, %v", res, err)
	}
	a, _ := st.Article(ctx, "story")
	if !strings.Contains(a.FullText.Text, "President Barack Obama") || a.FullText.Body == "" {
		t.Errorf("story: %.200q", a.FullText.Text)
	}
	if got := found(t, st, "obama"); !strings.Contains(got, "story") {
		t.Errorf("search obama: [%s]", got)
	}
	busy, _ := st.Article(ctx, "busy")
	if !strings.Contains(busy.FullText.Err, "429") || busy.FullText.Extracted() {
		t.Errorf("busy: %+v", busy.FullText)
	}
	gone, _ := st.Article(ctx, "gone")
	if !strings.Contains(gone.FullText.Err, "404") {
		t.Errorf("gone: %+v", gone.FullText)
	}
	if o, _ := st.Article(ctx, "old"); !o.FullText.Fetched.IsZero() {
		t.Errorf("an article seen before was fetched: %+v", o.FullText)
	}
	// Tried once: the next refresh asks for none of them again.
	n := hits.Load()
	if res, err := st.FetchNewPages(ctx, pf, f.ID, t0); res != (PagesResult{}) || err != nil || hits.Load() != n {
		t.Errorf("again: %+v, %v, %d requests", res, err, hits.Load()-n)
	}
}
