package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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

// busyErr is SQLite's SQLITE_BUSY as feeds.IsBusy recognises it.
type busyErr struct{}

func (busyErr) Error() string { return "database is locked (5)" }
func (busyErr) Code() int     { return 5 }

// busyStore is busy for its first writes, as a store is while another
// process stores a large feed.
type busyStore struct {
	*fakeStore
	busy int
}

func (b *busyStore) SetRead(ctx context.Context, id string, read bool) error {
	if b.busy > 0 {
		b.busy--
		return fmt.Errorf("feeds: mark read: %w", busyErr{})
	}
	return b.fakeStore.SetRead(ctx, id, read)
}

// A write that finds the store busy is tried again, not shown as an error.
func TestBusyWriteIsRetried(t *testing.T) {
	var bs *busyStore
	f := newFixture(t, 80, 24, func(o *Options, st *fakeStore) {
		bs = &busyStore{fakeStore: st, busy: 3}
		o.Articles = bs
	})
	f.keys("N")
	if bs.busy != 0 || !slices.Equal(f.store.marked, []string{"a000"}) {
		t.Fatalf("busy %d, marked %v", bs.busy, f.store.marked)
	}
	if out := ansi.Strip(f.view()); strings.Contains(out, "locked") || strings.Contains(out, "mark read") {
		t.Fatalf("a busy store was shown as an error:\n%s", out)
	}
}

// When no browser works, the status line says so and shows the link, to
// copy.
func TestNoBrowserShowsTheLink(t *testing.T) {
	f := newFixture(t, 100, 24, func(o *Options, st *fakeStore) {
		st.articles[0].Link = "https://timesca.com/news/1"
		o.OpenURL = func(u string) error {
			return shortErrType{short: "no browser found; link: " + u + " (set browser in the config or $BROWSER)", long: "no browser found (tried xdg-open: not found); link: " + u}
		}
	})
	f.keys("o")
	if out := ansi.Strip(f.view()); !strings.Contains(out, "no browser found; link: https://timesca.com/news/1") {
		t.Fatalf("status line:\n%s", out)
	}
}
