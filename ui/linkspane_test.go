package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// statusLine is the screen's status line (the one above the hints).
func statusLine(f *fixture) string {
	lines := strings.Split(ansi.Strip(f.view()), "\n")
	return lines[len(lines)-2]
}

// Opening a link says on the status line what happened: the link opened,
// or why it did not, from the list (o) and from the links pane (a number).
func TestOpeningALinkSaysWhatHappened(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.keys("o")
	if got := statusLine(f); !strings.Contains(got, "opened https://example.org/news/000 in the browser") {
		t.Fatalf("after o: status %q", got)
	}
	if len(f.opened) != 1 {
		t.Fatalf("opened %q", f.opened)
	}
	f.keys("enter", "u", "1")
	if got := statusLine(f); !strings.Contains(got, "opened https://example.org/ in the browser") {
		t.Fatalf("after a number in the links pane: status %q\n%s", got, ansi.Strip(f.view()))
	}

	// The opener fails: its error is said.
	f = newFixture(t, 120, 30, func(o *Options, _ *fakeStore) {
		o.OpenURL = func(string) error { return errors.New("xdg-open: exit status 3") }
	})
	f.keys("o")
	if got := statusLine(f); !strings.Contains(got, "open: xdg-open: exit status 3") || strings.Contains(got, "opened") {
		t.Fatalf("a failing opener: status %q", got)
	}

	// A headline without a link, and no opener at all.
	f = newFixture(t, 120, 30, func(o *Options, st *fakeStore) {
		st.articles[0].Link = ""
		o.OpenURL = nil
	})
	f.keys("o")
	if got := statusLine(f); !strings.Contains(got, "not opened: no link") {
		t.Fatalf("no link: status %q", got)
	}
	f.keys("j", "o")
	if got := statusLine(f); !strings.Contains(got, "not opened: no browser configured") {
		t.Fatalf("no browser: status %q", got)
	}
}

// A hostile link never reaches the status line raw.
func TestOpenedLinkIsSanitised(t *testing.T) {
	f := newFixture(t, 120, 30, func(_ *Options, st *fakeStore) {
		st.articles[0].Link = "https://example.org/\x1b]0;pwned\x07"
	})
	f.keys("o")
	if v := f.view(); strings.Contains(v, "\x07") || strings.Contains(v, "pwned\x07") {
		t.Fatalf("the link's controls reached the screen: %q", statusLine(f))
	}
}
