package ui

import (
	"slices"
	"testing"
)

func TestOpenLinkRefusesNonHTTP(t *testing.T) {
	bad := []string{"javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "-x", "--new-window=evil", "JaVaScRiPt:alert(1)", "https://a.example/\x1b]52;c;eA==\x07", "mailto:a@b.c", "http:/nohost", ""}
	for _, link := range bad {
		f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) { st.articles[0].Link = link })
		f.keys("o")
		f.keys("enter", "o")
		if len(f.opened) != 0 {
			t.Errorf("%q: opened %v", link, f.opened)
		}
	}
	f := newFixture(t, 80, 24, func(_ *Options, st *fakeStore) { st.articles[0].Link = "https://timesca.com/news/1?a=b" })
	f.keys("o")
	if !slices.Equal(f.opened, []string{"https://timesca.com/news/1?a=b"}) {
		t.Fatalf("opened %v", f.opened)
	}
	f.keys("enter", "o") // from the reader too
	if len(f.opened) != 2 {
		t.Fatalf("opened %v", f.opened)
	}
}
