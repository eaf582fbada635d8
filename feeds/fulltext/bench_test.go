package fulltext

import (
	"strings"
	"testing"
)

// BenchmarkExtractLarge extracts the article of the largest saved page
// (guardian-1, 1.1 MB of HTML).
func BenchmarkExtractLarge(b *testing.B) {
	src := page(b, "guardian-1", "source.html")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(src, "text/html; charset=utf-8", "https://www.theguardian.com/world/2019/jan/03/whales"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetchLarge is BenchmarkExtractLarge through a loopback server.
func BenchmarkFetchLarge(b *testing.B) {
	src := page(b, "guardian-1", "source.html")
	ts := servePage(b, "text/html; charset=utf-8", src)
	c := ctx(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fetch(c, ts.Client(), ts.URL+"/world/2019/jan/03/whales"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractArticle extracts a typical news page (bbc-1, 264 KB).
func BenchmarkExtractArticle(b *testing.B) {
	src := page(b, "bbc-1", "source.html")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(src, "text/html; charset=utf-8", "https://www.bbc.com/news/world-us-canada-33646542"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractNearCap extracts a 4 MB page: guardian-1's article
// (Readability.js's extraction of it) sixty times over in one article,
// near DefaultMaxBytes and with some 15,000 elements, the extractor's
// worst case among the pages it accepts.
func BenchmarkExtractNearCap(b *testing.B) {
	art := string(page(b, "guardian-1", "expected.html"))
	src := []byte("<!doctype html><html><head><title>Long read</title></head><body><article>" +
		strings.Repeat(art, 60) + "</article></body></html>")
	if len(src) > DefaultMaxBytes {
		b.Fatalf("the page is %d bytes, over the cap", len(src))
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(src, "text/html; charset=utf-8", "https://example.org/long-read"); err != nil {
			b.Fatal(err)
		}
	}
}
