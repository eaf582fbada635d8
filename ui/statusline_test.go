package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

func TestFeedErrorShown(t *testing.T) {
	f := newFixture(t, 120, 30, func(o *Options, _ *fakeStore) {
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			return feeds.Result{Feed: fd, Err: context.DeadlineExceeded}
		}
	})
	f.keys("r")
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "Times of CA ✗ timeout") {
		t.Fatalf("status:\n%s", out)
	}
	f.keys("e")
	if !strings.Contains(ansi.Strip(f.view()), "Kun.uz — error") {
		t.Fatal("errors pane")
	}
	f.keys("e")
	if f.m.mode != modeList {
		t.Fatal("e did not close")
	}
}

func TestStatusLineSummarisesWhenCrowded(t *testing.T) {
	f := newFixture(t, 60, 20)
	got := ansi.Strip(f.m.status.View())
	if ansi.StringWidth(got) > 60 {
		t.Fatalf("status wider than 60: %q", got)
	}
	f.send(tea.WindowSizeMsg{Width: 200, Height: 20})
	wide := ansi.Strip(f.m.status.View())
	if !strings.Contains(wide, "updated") {
		t.Fatalf("wide status names no source state: %q", wide)
	}
}

// The status line's short error must say what went wrong, whether the error
// is one of steppe's own messages or a wrapped Go error.
func TestShortErr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"HTTP 404 Not Found", "HTTP 404 Not Found"},
		{"HTTP 500 Internal Server Error", "HTTP 500 Internal Serve…"},
		{"not a feed: got text/html", "not a feed"},
		{"not a valid feed: XML syntax error on line 4: unexpected EOF", "not a valid feed"},
		{"TLS certificate error: the certificate is signed by an unknown authority (not trusted)", "TLS certificate error"},
		{"timed out after 20s", "timed out after 20s"},
		{"feed larger than 10 MiB", "feed larger than 10 MiB"},
		{`Get "https://x.example/feed": dial tcp 10.0.0.1:443: connect: network is unreachable`, "network is unreachable"},
		{"erapi: HTTP 503 Service Unavailable", "HTTP 503 Service Unavai…"},
		{"context deadline exceeded", "timeout"},
		{"connection refused", "connection refused"},
	} {
		if got := shortErr(plainError(c.in)); got != c.want {
			t.Errorf("shortErr(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

type shortErrType struct{ short, long string }

func (e shortErrType) Error() string { return e.long }
func (e shortErrType) Short() string { return e.short }

// An error that carries its own short form is shown by it, however deeply
// it is wrapped; the text is only parsed for errors without one.
func TestShortErrPrefersTheErrorsOwnShortForm(t *testing.T) {
	err := fmt.Errorf("refresh Times: %w", shortErrType{"host not found", "host not found: timesca.com (lookup timesca.com on 127.0.0.53:53: no such host)"})
	if got := shortErr(err); got != "host not found" {
		t.Fatalf("shortErr = %q", got)
	}
}

// A feed's stored error is shown by the short form stored with it, as the
// run that met it showed it; a store from before short forms were kept
// falls back to reading the text.
func TestStoredErrorKeepsItsShortForm(t *testing.T) {
	f := newFixture(t, 100, 30, func(_ *Options, st *fakeStore) {
		st.feeds[1].LastShort = "host not found"
	})
	if v := ansi.Strip(f.view()); !strings.Contains(v, "✗ 24.kg: host not found") {
		t.Fatalf("the stored short form is not in the status line:\n%s", v)
	}
	old := feeds.Feed{LastError: "fetch https://x.example/: HTTP 503 Service Unavailable"}
	if got := shortErr(storedError(old)); got != "HTTP 503 Service Unavai…" {
		t.Errorf("without a stored short form: %q", got)
	}
}

// An item without a usable date says "date unknown" in the list, in both
// layouts, not the age of the moment it was first seen.
func TestListSaysDateUnknown(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {60, 12}} {
		f := newFixture(t, size[0], size[1], func(_ *Options, st *fakeStore) {
			st.articles[0].NoDate = true
		})
		v := ansi.Strip(f.view())
		if !strings.Contains(v, "date unknown") {
			t.Errorf("%dx%d: no \"date unknown\":\n%s", size[0], size[1], v)
		}
	}
}

// The feeds pane's hint says what enter does there.
func TestFeedsPaneHint(t *testing.T) {
	f := newFixture(t, 100, 30)
	f.keys("F")
	out := ansi.Strip(f.view())
	if !strings.Contains(out, "enter show") || strings.Contains(out, "enter read") {
		t.Errorf("feeds pane hint:\n%s", out)
	}
}

// In the feeds pane, g, G, pgdown and pgup move the selection, not only
// the view: the selected row stays on screen, and enter shows that feed.
func TestFeedsPaneJumpsMoveTheSelection(t *testing.T) {
	f := newFixture(t, 80, 15, func(_ *Options, st *fakeStore) {
		st.feeds = nil
		for i := 1; i <= 40; i++ {
			st.feeds = append(st.feeds, feeds.Feed{ID: int64(i), Name: fmt.Sprintf("Feed %02d", i), URL: fmt.Sprintf("https://f%d.example/", i)})
		}
	})
	f.keys("F")
	selected := func() string {
		for _, l := range strings.Split(ansi.Strip(f.view()), "\n") {
			if strings.Contains(l, "▌") {
				return l
			}
		}
		return ""
	}
	f.keys("G")
	if got := selected(); !strings.Contains(got, "Feed 40") {
		t.Fatalf("G: selected row %q:\n%s", got, ansi.Strip(f.view()))
	}
	f.keys("g")
	if got := selected(); !strings.Contains(got, "All feeds") {
		t.Fatalf("g: selected row %q:\n%s", got, ansi.Strip(f.view()))
	}
	f.keys("pgdown")
	got := selected()
	if got == "" || strings.Contains(got, "All feeds") {
		t.Fatalf("pgdown: selected row %q:\n%s", got, ansi.Strip(f.view()))
	}
	name := got[strings.Index(got, "Feed "):][:7]
	f.keys("enter")
	if v := ansi.Strip(f.view()); !strings.Contains(v, name+" — Viewing") && !strings.Contains(v, name) {
		t.Errorf("enter did not show %s:\n%s", name, v)
	}
}

// In the links pane, G selects the last link where it can be seen, and
// enter opens the one selected.
func TestLinksPaneJumpsMoveTheSelection(t *testing.T) {
	f := newFixture(t, 60, 15, func(_ *Options, st *fakeStore) {
		var b strings.Builder
		for i := 1; i <= 14; i++ {
			fmt.Fprintf(&b, `<p><a href="https://l.example/%d">link %d</a></p>`, i, i)
		}
		st.articles[0].Body = b.String()
	})
	f.keys("enter", "u", "G")
	v := ansi.Strip(f.view())
	if !strings.Contains(v, "▌ [14] link 14") {
		t.Fatalf("G: the last link is not selected in view:\n%s", v)
	}
	f.keys("g", "pgdown", "enter")
	if len(f.opened) != 1 || f.opened[0] == "https://l.example/1" {
		t.Fatalf("pgdown then enter opened %v", f.opened)
	}
	f.keys("G", "enter")
	if len(f.opened) != 2 || f.opened[1] != "https://l.example/14" {
		t.Errorf("G then enter opened %v", f.opened)
	}
}

// A star does not hide whether a headline is read: the unread mark keeps
// its place and the star has its own, in both layouts, colour or not.
func TestStarredHeadlineStillSaysUnread(t *testing.T) {
	f := newFixture(t, 100, 30)
	a0, a1 := f.m.list.Page().Items[0].Title, f.m.list.Page().Items[1].Title
	f.keys("s", "j", "s", "N") // the first starred; the second starred and read
	for _, layout := range []string{"cards", "compact"} {
		if layout == "compact" {
			f.keys("v")
		}
		var l0, l1 string
		for _, l := range strings.Split(ansi.Strip(f.view()), "\n") {
			switch {
			case l0 == "" && strings.Contains(l, a0[:10]):
				l0 = l
			case l1 == "" && strings.Contains(l, a1[:10]):
				l1 = l
			}
		}
		if !strings.Contains(l0, "● ★ "+a0[:10]) || strings.Contains(l1, "●") || !strings.Contains(l1, "★ "+a1[:10]) {
			t.Errorf("%s: starred unread %q, starred read %q", layout, l0, l1)
		}
	}
}
