package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/player"
)

// podcastEnclosures are a podcast episode's files as the store gives them:
// one with a secret in its query, one of unknown size, one whose URL a
// hostile store left an escape sequence in.
var podcastEnclosures = []feeds.Enclosure{
	{URL: "https://dts.podtrac.example/redirect.mp3/media.example.kz/ep112.mp3?key=0f9a", Type: "audio/mpeg", Length: 25264128},
	{URL: "https://media.example.kz/ep112-720p.mp4", Type: "video/mp4"},
	{URL: "https://media.example.kz/x.mp3\x1b]0;pwned\x07", Type: "audio/mpeg\x1b[31m", Length: 1},
}

func podcastFixture(t *testing.T, w, h int, opts ...fixOpt) *fixture {
	t.Helper()
	return newFixture(t, w, h, append([]fixOpt{func(_ *Options, st *fakeStore) {
		st.articles[0].Enclosures = podcastEnclosures
	}}, opts...)...)
}

// The links pane lists the article's link, then its enclosures under a
// heading, numbered on: type and human size, the URL with its secret
// masked; the hostile one is not listed and nothing of it reaches the
// screen.
func TestLinksPaneListsEnclosures(t *testing.T) {
	f := podcastFixture(t, 140, 24)
	f.keys("enter", "u")
	v := f.view()
	plain := ansi.Strip(v)
	for _, want := range []string{" Enclosures", "[2] audio/mpeg · 24.1 MB  https://dts.podtrac.example/redirect.mp3/media.example.kz/ep112.mp3?key=",
		"[3] video/mp4  https://media.example.kz/ep112-720p.mp4"} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q in\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "0f9a") || strings.Contains(plain, "pwned") || strings.Contains(plain, "[4]") {
		t.Errorf("the secret or the hostile enclosure reached the screen:\n%s", plain)
	}
	if strings.Contains(v, "\x07") || strings.Contains(v, "]0;") {
		t.Errorf("an escape reached the screen: %q", v)
	}
	checkFits(t, v, 140, 24)
	golden.RequireEqual(t, plain)
}

// A narrow pane still fits.
func TestLinksPaneEnclosuresFit(t *testing.T) {
	for _, sz := range goldenSizes {
		f := podcastFixture(t, sz[0], sz[1])
		f.keys("enter", "u")
		checkFits(t, f.view(), sz[0], sz[1])
	}
}

// fakePlayer is a player script that writes its arguments, one a line, to
// a file, says something on stderr and exits with code.
func fakePlayer(t *testing.T, code string) (script, record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "argv")
	script = filepath.Join(dir, "fakeplayer")
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + record + "'\necho 'HTTP 403 Forbidden' >&2\nexit " + code + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, record
}

// Enter on an enclosure (or its number) starts the player with its words
// and the URL last, and says so; a player that fails says why.
func TestEnclosurePlaysInThePlayer(t *testing.T) {
	script, record := fakePlayer(t, "0")
	f := podcastFixture(t, 100, 24, func(o *Options, _ *fakeStore) {
		o.PlayMedia = player.Opener([]string{script, "--no-video"})
	})
	f.keys("enter", "u", "j", "enter")
	b, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the player did not run: %v\n%s", err, ansi.Strip(f.view()))
	}
	if want := "--no-video\n" + podcastEnclosures[0].URL + "\n"; string(b) != want {
		t.Errorf("argv %q, want %q", b, want)
	}
	if got := statusLine(f); !strings.Contains(got, "playing https://dts.podtrac.example/") || !strings.Contains(got, "in fakeplayer") || strings.Contains(got, "0f9a") {
		t.Errorf("status %q", got)
	}
	if len(f.opened) != 0 {
		t.Errorf("the browser opened %q", f.opened)
	}

	// Its number plays it too; a player that fails later says why.
	script, record = fakePlayer(t, "2")
	f = podcastFixture(t, 100, 24, func(o *Options, _ *fakeStore) {
		o.PlayMedia = player.Opener([]string{script})
	})
	f.keys("enter", "u", "3")
	if b, _ := os.ReadFile(record); string(b) != podcastEnclosures[1].URL+"\n" {
		t.Errorf("argv %q", b)
	}
	if got := statusLine(f); !strings.Contains(got, "fakeplayer failed: exit status 2: HTTP 403 Forbidden") {
		t.Errorf("status %q", got)
	}

	// A player that cannot start.
	f = podcastFixture(t, 100, 24, func(o *Options, _ *fakeStore) {
		o.PlayMedia = func(string) (string, func(context.Context) error, error) {
			return "", nil, errors.New("mpv is not installed (or not on PATH)")
		}
	})
	f.keys("enter", "u", "2")
	if got := statusLine(f); !strings.Contains(got, "not played: mpv is not installed") {
		t.Errorf("status %q", got)
	}
}

// Without a player, an enclosure opens like a link, in the browser.
func TestEnclosureWithoutPlayerOpensInTheBrowser(t *testing.T) {
	f := podcastFixture(t, 100, 24)
	f.keys("enter", "u", "3")
	if len(f.opened) != 1 || f.opened[0] != podcastEnclosures[1].URL {
		t.Fatalf("opened %q", f.opened)
	}
	if got := statusLine(f); !strings.Contains(got, "opened https://media.example.kz/ep112-720p.mp4 in the browser") {
		t.Errorf("status %q", got)
	}
}
