package ui

import (
	"context"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// QueryCounter is what an ArticleStore with query feeds (the config's
// [[queries]]) implements besides: the feeds pane lists them under the
// starred row with their counts, and enter lists one
// (feeds.View.QueryFeed). A store without it has no query feeds.
type QueryCounter interface {
	QueryCounts(ctx context.Context) ([]feeds.QueryCount, error)
}

// queryCounts reads the query feeds' counts when st has any.
func queryCounts(ctx context.Context, st ArticleStore) ([]feeds.QueryCount, error) {
	qc, ok := st.(QueryCounter)
	if !ok {
		return nil, nil
	}
	return qc.QueryCounts(ctx)
}

// queryRows are the feeds pane's rows of the query feeds.
func queryRows(qs []feeds.QueryCount) []feedRow {
	var rows []feedRow
	for _, q := range qs {
		name := sanitize.Text(q.Name, false)
		rows = append(rows, feedRow{view: viewMsg{query: q.Name, name: "⌕ " + name}, label: "⌕ " + name, unread: q.Unread, total: q.Total})
	}
	return rows
}
