package demo

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/rates"
)

var clock = func() time.Time { return time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC) }

func TestSampleFeedsParseAndAreLabelled(t *testing.T) {
	s, err := StartAt(clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	total := 0
	for _, f := range sampleFeeds {
		resp, err := http.Get(s.URL + f.Path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		arts, err := parse.Feed(body, resp.Header.Get("Content-Type"), s.URL+f.Path, s.URL+f.Path, clock())
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if len(arts) < 10 {
			t.Errorf("%s: %d articles, want at least 10", f.Name, len(arts))
		}
		for _, a := range arts {
			if !strings.HasPrefix(a.Title, "Sample: ") || !strings.Contains(a.Content, "not news") {
				t.Errorf("%s: %q is not labelled as a sample", f.Name, a.Title)
			}
			if a.Published.After(clock()) || a.Published.Before(clock().Add(-48*time.Hour)) {
				t.Errorf("%s: %q published %v, want within two days before the clock", f.Name, a.Title, a.Published)
			}
		}
		total += len(arts)
	}
	if total < 30 {
		t.Errorf("%d sample articles in all, want enough for several pages", total)
	}
}

func TestSampleRatesThroughRealProviders(t *testing.T) {
	s, err := StartAt(clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	codes := []string{"KGS", "KZT", "TJS", "UZS", "TMT"}
	for _, name := range []string{"frankfurter", "erapi"} {
		p, err := rates.NewProvider(name, s.URL, http.DefaultClient, "steppe/test")
		if err != nil {
			t.Fatal(err)
		}
		qs, err := p.Fetch(context.Background(), "USD", codes, time.Time{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(qs) != len(codes) {
			t.Errorf("%s: %d quotes, want %d", name, len(qs), len(codes))
		}
		for _, q := range qs {
			if q.AsOf.Format("2006-01-02") != "2026-11-27" || q.PerBase <= 0 {
				t.Errorf("%s: %+v", name, q)
			}
		}
	}
	// Frankfurter's previous day differs, so the dashboard shows a change.
	p, _ := rates.NewProvider("frankfurter", s.URL, http.DefaultClient, "steppe/test")
	prev, err := p.Fetch(context.Background(), "USD", codes, clock().AddDate(0, 0, -1))
	if err != nil || len(prev) != len(codes) || prev[1].PerBase != 511.74 {
		t.Errorf("previous day: %v %+v", err, prev)
	}
}

func TestWriteConfigPointsAtServer(t *testing.T) {
	s, err := StartAt(clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path, err := s.WriteConfig(t.TempDir() + "/new/dir")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	text := string(b)
	for _, f := range sampleFeeds {
		if !strings.Contains(text, Origin+f.Path) {
			t.Errorf("config lacks %s", Origin+f.Path)
		}
	}
	if !strings.Contains(text, `frankfurter = "`+Origin+`"`) || !strings.Contains(text, `erapi = "`+Origin+`"`) {
		t.Errorf("config does not point the rate providers at the server:\n%s", text)
	}
	if strings.Contains(text, "127.0.0.1") {
		t.Errorf("the config names the loopback port, which changes on every run:\n%s", text)
	}
}

// The demo's transport takes Origin to the server, and nothing anywhere else.
func TestTransportReachesOnlyTheDemo(t *testing.T) {
	s, err := StartAt(clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &http.Client{Transport: s.Transport()}
	resp, err := c.Get(Origin + sampleFeeds[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("demo feed: HTTP %d", resp.StatusCode)
	}
	if _, err := c.Get("http://example.com/"); err == nil || !strings.Contains(err.Error(), "the demo reaches only its own server") {
		t.Errorf("another host: %v", err)
	}
}
