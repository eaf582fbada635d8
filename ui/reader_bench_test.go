package ui

import (
	"os"
	"strings"
	"testing"
)

// bigBody is an HTML body of size bytes: the render package's WordPress
// fixture (paragraphs, headings, lists, quotes, code, links) repeated.
func bigBody(tb testing.TB, size int) string {
	tb.Helper()
	b, err := os.ReadFile("render/testdata/wordpress.html")
	if err != nil {
		tb.Fatal(err)
	}
	var s strings.Builder
	s.Grow(size + len(b))
	for s.Len() < size {
		s.Write(b)
	}
	return s.String()[:size]
}

// BenchmarkReaderOpen10MB opens a 10 MB article in the reader at 120x40
// (the load Cmd, its answer and the first frame), as enter does: the time
// and the memory an open costs. The body is the store's; what the reader
// allocates on top of it is what B/op counts.
func BenchmarkReaderOpen10MB(b *testing.B) {
	body := bigBody(b, 10<<20)
	f := newFixture(b, 120, 40, func(_ *Options, st *fakeStore) {
		st.articles[0].Body = body
	})
	a := f.m.list.Page().Items[0]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.send(openArticleMsg{article: a})
		if out := f.view(); !strings.Contains(out, "Why we moved") {
			b.Fatal("article not shown")
		}
	}
	b.StopTimer()
	if f.m.reader.Article().ID != a.ID {
		b.Fatal("wrong article")
	}
}

// BenchmarkReaderBottom10MB opens a 10 MB article and presses G: the one
// key that lays out the whole body (u does too, for the links).
func BenchmarkReaderBottom10MB(b *testing.B) {
	body := bigBody(b, 10<<20)
	f := newFixture(b, 120, 40, func(_ *Options, st *fakeStore) {
		st.articles[0].Body = body
	})
	a := f.m.list.Page().Items[0]
	g := keyMsg("G")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.send(openArticleMsg{article: a})
		f.send(g)
		if !f.m.reader.doc.Done() {
			b.Fatal("G did not lay out the whole")
		}
	}
}
