package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
)

// withPages gives the fixture a FetchFullText that answers from pages by
// article id (an id not in it: the page fails with "HTTP 404 Not Found"),
// storing the text in the fake store as the real one does.
func withPages(pages map[string]string, asked *[]string) fixOpt {
	return func(o *Options, st *fakeStore) {
		o.FetchFullText = func(_ context.Context, id string) (feeds.FullText, error) {
			*asked = append(*asked, id)
			ft := feeds.FullText{Fetched: testNow, Err: "HTTP 404 Not Found"}
			if body, ok := pages[id]; ok {
				if body == "store down" {
					return feeds.FullText{}, errors.New("database is locked")
				}
				ft = feeds.FullText{Fetched: testNow, Text: ansi.Strip(body), Body: body}
			}
			err := st.set(id, func(a *feeds.Article) {
				if ft.Extracted() || !a.FullText.Extracted() {
					a.FullText = ft
				}
			})
			return ft, err
		}
	}
}

// The full_text key reads the article's page: the reader shows its text at
// once, marked "full text", and the status line says so; a page that
// fails keeps the feed's text and the reader and status line say why.
func TestReaderFullTextKey(t *testing.T) {
	var asked []string
	f := newFixture(t, 80, 24, withPages(map[string]string{
		"a000": "<p>The page's own words about the Zarafshan river \x1b[31mflooding.</p>",
		"a002": "store down",
	}, &asked))
	f.keys("enter")
	before := ansi.Strip(f.view())
	if strings.Contains(before, "Zarafshan") || strings.Contains(before, "full text") {
		t.Fatalf("page text before the key:\n%s", before)
	}
	f.keys("x")
	got := ansi.Strip(f.view())
	if len(asked) != 1 || asked[0] != "a000" || !strings.Contains(got, "Zarafshan river") ||
		!strings.Contains(got, "· full text") || !strings.Contains(got, "full text: read from the article's page") {
		t.Fatalf("after x (asked %v):\n%s", asked, got)
	}
	if strings.Contains(f.view(), "\x1b[31m") {
		t.Error("the page's escape reached the screen")
	}
	// Opened again, the stored page's text shows with no fetch.
	f.keys("esc", "enter")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "Zarafshan river") || len(asked) != 1 {
		t.Errorf("reopened (asked %v):\n%s", asked, got)
	}
	// A page that fails: the feed's text stays, and why is said.
	f.keys("J")
	feedText := ansi.Strip(f.view())
	f.keys("x")
	got = ansi.Strip(f.view())
	if !strings.Contains(got, "page not read: HTTP 404 Not Found") ||
		!strings.Contains(got, "full text: the page could not be read: HTTP 404") || !strings.Contains(got, "first point") {
		t.Errorf("failed page:\n%s\nbefore:\n%s", got, feedText)
	}
	// The store failing is said too.
	f.keys("J")
	f.keys("x")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "full text: database is locked") {
		t.Errorf("store failure:\n%s", got)
	}
}

// Offline, the key says it cannot fetch.
func TestReaderFullTextOffline(t *testing.T) {
	f := newFixture(t, 80, 24, func(o *Options, _ *fakeStore) { o.Offline = true })
	f.keys("enter", "x")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "full text: not while offline") {
		t.Errorf("offline:\n%s", got)
	}
}

// What reading a full_text feed's pages did (Result.Detail) shows under
// the feed in the sources pane, the failure's reason with it.
func TestSourcesPaneShowsFullTextFailures(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, _ *fakeStore) {
		o.RefreshFeed = func(_ context.Context, fd feeds.Feed) feeds.Result {
			fd.LastOK = testNow
			return feeds.Result{Feed: fd, Total: 10, New: 2,
				Detail: "full text: 1 page read, 1 failed (the page does not look like an article \x1b[2J)"}
		}
	})
	f.fire(isDue)
	f.keys("e")
	got := strings.ReplaceAll(ansi.Strip(f.view()), "\n   ", " ")
	if !strings.Contains(got, "full text: 1 page read, 1 failed (the page does not look like an article") {
		t.Errorf("sources pane:\n%s", got)
	}
	if strings.Contains(f.view(), "\x1b[2J") {
		t.Error("an escape reached the screen")
	}
}

// w saves the shown article and | pipes it, each saying on the status
// line what happened; unset, they say so.
func TestReaderSaveAndPipeKeys(t *testing.T) {
	var saved []string
	f := newFixture(t, 100, 24, func(o *Options, _ *fakeStore) {
		o.SaveArticle = func(_ context.Context, id string) (string, error) {
			saved = append(saved, id)
			return "/home/me/Downloads/" + id + ".md", nil
		}
		o.PipeArticle = func(_ context.Context, id string) (string, error) {
			return "", errors.New("wc: exit status 1: \x1b[2Jbroken")
		}
	})
	f.keys("enter", "w")
	if got := ansi.Strip(f.view()); len(saved) != 1 || saved[0] != "a000" || !strings.Contains(got, "saved to /home/me/Downloads/a000.md") {
		t.Errorf("save (%v):\n%s", saved, got)
	}
	f.keys("|")
	if got := ansi.Strip(f.view()); !strings.Contains(got, "pipe failed: wc: exit status 1:") || strings.Contains(f.view(), "\x1b[2J") {
		t.Errorf("pipe:\n%s", got)
	}
	g := newFixture(t, 100, 24)
	g.keys("enter", "|")
	if got := ansi.Strip(g.view()); !strings.Contains(got, "pipe: not set up") {
		t.Errorf("unset pipe:\n%s", got)
	}
}
