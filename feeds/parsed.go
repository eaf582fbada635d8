package feeds

import (
	"time"

	"github.com/steppe-news/steppe/feeds/parse"
)

// parseArticles parses a feed body with parse.Feed and returns the newest
// keep of its items (parse.Newest) as articles first seen at now, with how
// many items it carried (see parse.Feed for the other arguments).
func parseArticles(body []byte, contentType, feedURL, finalURL string, now time.Time, keep int) ([]Article, int, error) {
	items, err := parse.Feed(body, contentType, feedURL, finalURL, now)
	if err != nil {
		return nil, 0, err
	}
	return articlesOf(parse.Newest(items, keep), now), len(items), nil
}

// articlesOf makes parsed items articles first seen at now.
func articlesOf(items []parse.Item, now time.Time) []Article {
	out := make([]Article, len(items))
	for i, it := range items {
		out[i] = Article{
			ID: it.ID, Title: it.Title, Link: it.Link, Author: it.Author, Summary: it.Summary,
			Content: it.Content, Body: it.Body, Published: it.Published, NoDate: it.NoDate,
			FirstSeen: now, Enclosures: it.Enclosures,
		}
	}
	return out
}
