package render

import (
	"os"
	"strings"
	"testing"
)

// article returns a body of about size bytes made of the WordPress fixture
// (paragraphs, headings, a figure, lists, a quote, code, links) repeated.
func article(tb testing.TB, size int) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/wordpress.html")
	if err != nil {
		tb.Fatal(err)
	}
	var s strings.Builder
	for s.Len() < size {
		s.Write(b)
	}
	return s.String()[:size]
}

func benchHTML(b *testing.B, size int) {
	body := article(b, size)
	st := DefaultStyles(true)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d := HTML(body, 100, st)
		if len(d.Lines) == 0 {
			b.Fatal("no lines")
		}
	}
}

func BenchmarkHTML2K(b *testing.B)  { benchHTML(b, 2<<10) }
func BenchmarkHTML8K(b *testing.B)  { benchHTML(b, 8<<10) }
func BenchmarkHTML64K(b *testing.B) { benchHTML(b, 64<<10) }

func BenchmarkPlain8K(b *testing.B) {
	md, err := os.ReadFile("testdata/legacy.md")
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat(string(md), (8<<10)/len(md)+1)[:8<<10]
	st := DefaultStyles(true)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Plain(body, 100, st)
	}
}
