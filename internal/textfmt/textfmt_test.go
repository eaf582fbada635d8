package textfmt

import (
	"testing"
	"time"
)

func TestAge(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		ago  time.Duration
		want string
	}{
		{-time.Hour, "just now"},
		{0, "just now"},
		{59 * time.Second, "just now"},
		{time.Minute, "1m ago"},
		{59 * time.Minute, "59m ago"},
		{time.Hour, "1h ago"},
		{23*time.Hour + 59*time.Minute, "23h ago"},
		{24 * time.Hour, "1d ago"},
		{47 * time.Hour, "1d ago"},
		{6*24*time.Hour + 23*time.Hour, "6d ago"},
		{7 * 24 * time.Hour, "20 Nov 2026"},
		{400 * 24 * time.Hour, "23 Oct 2025"},
	} {
		if got := Age(now, now.Add(-c.ago)); got != c.want {
			t.Errorf("Age %v ago = %q, want %q", c.ago, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 feeds"}, {1, "1 feed"}, {2, "2 feeds"}, {-1, "-1 feeds"}} {
		if got := Plural(c.n, "feed", "feeds"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if Word(1, "entry", "entries") != "entry" || Word(3, "entry", "entries") != "entries" {
		t.Error("Word")
	}
}

func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.24.kg/rss/":            "24.kg",
		"https://timesca.com/feed/":         "timesca.com",
		"http://127.0.0.1:8080/feeds/a.xml": "127.0.0.1:8080",
		"https://wwwx.example/":             "wwwx.example",
		"not a url":                         "not a url",
		"/relative/path":                    "/relative/path",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSizeAndMedia(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", -3: "0 B", 1023: "1023 B", 1024: "1.0 KB", 25264128: "24.1 MB",
		418381824: "399.0 MB", 1 << 30: "1.0 GB", 1 << 50: "1024.0 TB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Media("audio/mpeg", 25264128); got != "audio/mpeg · 24.1 MB" {
		t.Errorf("Media = %q", got)
	}
	if got := Media("", 0); got != "media" {
		t.Errorf("Media unknown = %q", got)
	}
}
