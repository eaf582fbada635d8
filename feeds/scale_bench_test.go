package feeds

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/steppe-news/steppe/scripts/feedgen/wp"
)

// BenchmarkRefreshManyFeeds is a fresh refresh of many small feeds (10
// items each): the cost per feed must not grow with the number of feeds.
//
//	go test ./feeds -run '^$' -bench RefreshManyFeeds -benchtime 1x -cpuprofile cpu.out
func BenchmarkRefreshManyFeeds(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("feeds=%d", n), func(b *testing.B) {
			docs := make([][]byte, n)
			for i := range docs {
				_, docs[i] = wp.Feed(2, i, genDay, 10)
			}
			benchFreshRefresh(b, docs, http.Header{"Content-Type": {"application/rss+xml; charset=UTF-8"}}, genDay.Add(12*time.Hour), 10)
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/feed")
		})
	}
}

// BenchmarkRefreshBigArticle is a fresh refresh of one feed holding one
// 9.4 MB article (scripts/feedgen -article-bytes): what a refresh holds
// of it at once shows in B/op (Go's share; SQLite's is outside).
//
//	go test ./feeds -run '^$' -bench RefreshBigArticle -benchmem -memprofile mem.out
func BenchmarkRefreshBigArticle(b *testing.B) {
	_, doc := wp.BigFeed(1, 0, genDay, 1, 9_400_000)
	b.ReportAllocs()
	benchFreshRefresh(b, [][]byte{doc}, http.Header{"Content-Type": {"application/rss+xml; charset=UTF-8"}}, genDay.Add(12*time.Hour), 1)
}
