package feeds

import (
	"time"

	"github.com/steppe-news/steppe/feeds/parse"
)

// parseArticles parses a feed body with parse.Feed and returns its items
// as articles first seen at now (see parse.Feed for the arguments).
func parseArticles(body []byte, contentType, feedURL, finalURL string, now time.Time) ([]Article, error) {
	items, err := parse.Feed(body, contentType, feedURL, finalURL, now)
	if err != nil {
		return nil, err
	}
	return articlesOf(items, now), nil
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
