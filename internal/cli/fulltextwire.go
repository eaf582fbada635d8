package cli

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/fulltext"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// pagesAtOnceFeeds is how many full-text feeds have their new pages
// fetched at once after a refresh; the page fetcher holds each host to
// fulltext.DefaultPerHost pages at a time.
const pagesAtOnceFeeds = 4

// pageFetcher is the page fetcher of a run: one per app, so that its
// per-host limits and the hosts' Retry-After hold across feeds and
// refreshes.
func (a *app) pageFetcher() *fulltext.Fetcher {
	a.pagesOnce.Do(func() {
		client := &http.Client{Transport: a.transport}
		a.pages = fulltext.NewFetcher(client, fulltext.Options{UserAgent: userAgent(),
			Timeout: time.Duration(a.cfg.FetchTimeout)}, fulltext.DefaultPerHost)
	})
	return a.pages
}

// pagesState is the app's page fetcher, made once.
type pagesState struct {
	pagesOnce sync.Once
	pages     *fulltext.Fetcher
	// readerPages fetches the pages the reader asks for (any page).
	readerPagesOnce sync.Once
	readerPages     *fulltext.Fetcher
}

// fullTextFeeds returns the ids of the feeds of list whose new items have
// their page fetched: `full_text = true` in the config's [[feeds]], or
// `feeds add --full-text` (kept in the store).
func (a *app) fullTextFeeds(ctx context.Context, list []feeds.Feed) (map[int64]bool, error) {
	on, err := a.store.feeds.FullTextFeeds(ctx)
	if err != nil {
		return nil, err
	}
	conf := map[string]bool{}
	for _, f := range a.cfg.Feeds {
		if f.FullText {
			if u, err := feeds.NormURL(f.URL); err == nil {
				conf[u] = true
			}
		}
	}
	for _, f := range list {
		if f.Origin == feeds.OriginConfig && conf[f.URL] {
			on[f.ID] = true
		}
	}
	return on, nil
}

// pagesOutcome is what fetching one feed's new pages did.
type pagesOutcome struct {
	feeds.PagesResult
	err error // the store's, or the context's
}

// pendingWindow is how far before a refresh an item may have been first
// seen and still have its page fetched: a page never tried because the
// refresh before was stopped (a signal, the dashboard's timeout) is tried
// by the next. A page tried once, read or failed, is never tried again on
// refresh.
const pendingWindow = 24 * time.Hour

// fetchNewPages fetches the pages of the new items of every full-text
// feed of results (first seen at or after since, or within pendingWindow
// before it and never tried) and stores their text; it returns, by feed
// id, what it did for each feed that had pages to fetch.
func (a *app) fetchNewPages(ctx context.Context, results []feeds.Result, since time.Time) map[int64]pagesOutcome {
	if a.store.readOnly {
		return nil
	}
	list := make([]feeds.Feed, 0, len(results))
	for _, r := range results {
		list = append(list, r.Feed)
	}
	on, err := a.fullTextFeeds(ctx, list)
	if err != nil || len(on) == 0 {
		return nil
	}
	out := map[int64]pagesOutcome{}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(pagesAtOnceFeeds)
	for _, r := range results {
		if !on[r.Feed.ID] || r.Err != nil || ctx.Err() != nil {
			continue
		}
		g.Go(func() error {
			var o pagesOutcome
			o.PagesResult, o.err = a.store.feeds.FetchNewPages(ctx, a.pageFetcher(), r.Feed.ID, since.Add(-pendingWindow))
			if o.PagesResult == (feeds.PagesResult{}) && o.err == nil {
				return nil // nothing to fetch
			}
			mu.Lock()
			out[r.Feed.ID] = o
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait() // every outcome, error or not, is in out
	return out
}

// pagesSummary is the refresh line of a feed's pages: "full text: 3
// pages read, 1 failed (see e or steppe article ID)".
func pagesSummary(p pagesOutcome) string {
	s := "full text: " + textfmt.Plural(p.OK, "page read", "pages read")
	if p.Failed > 0 {
		s += ", " + textfmt.Plural(p.Failed, "failed", "failed") + " (" + oneLine(p.LastErr) + ")"
	}
	if p.err != nil {
		s += "; stopped: " + oneLine(p.err.Error())
	}
	return s
}

// fetchPageNow fetches the page of the stored article id, as the reader
// asks: any page, article-like or not (fulltext.Options.AnyPage), through
// a page fetcher of its own with the same per-host limits; it stores and
// returns what the page gave.
func (a *app) fetchPageNow(ctx context.Context, id string) (feeds.FullText, error) {
	art, err := a.store.feeds.Article(ctx, id)
	if err != nil {
		return feeds.FullText{}, err
	}
	a.readerPagesOnce.Do(func() {
		client := &http.Client{Transport: a.transport}
		a.readerPages = fulltext.NewFetcher(client, fulltext.Options{UserAgent: userAgent(),
			Timeout: time.Duration(a.cfg.FetchTimeout), AnyPage: true}, fulltext.DefaultPerHost)
	})
	return a.store.feeds.FetchPage(ctx, a.readerPages, art)
}
