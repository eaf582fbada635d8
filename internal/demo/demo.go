// Package demo serves bundled sample feeds and rates from a loopback HTTP
// server, so `steppe --demo` shows a working dashboard with no network. Every
// headline and figure here was written for steppe's demo and is labelled as a
// sample: none of it is news.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Server is a running demo server on 127.0.0.1.
type Server struct {
	URL  string // where it listens: http://127.0.0.1:port
	addr string
	srv  *http.Server
	now  func() time.Time
}

// Origin is the demo's feeds' and rates' address in its config and store:
// the same on every run (the loopback port is not), so that a demo store
// kept with --data-dir keeps its feeds, articles and read state. Only the
// demo's Transport reaches it; the name cannot resolve anywhere (.invalid,
// RFC 2606).
const Origin = "http://demo.steppe.invalid"

// Transport reaches the demo server for Origin's host, and refuses every
// other host: in the demo nothing goes to the network.
func (s *Server) Transport() http.RoundTripper {
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, _, _ := net.SplitHostPort(addr); host != "demo.steppe.invalid" {
				return nil, fmt.Errorf("the demo reaches only its own server, not %s", host)
			}
			return d.DialContext(ctx, "tcp", s.addr)
		},
		MaxIdleConnsPerHost: 8,
	}
}

// Start listens on a free loopback port and serves the samples.
func Start() (*Server, error) {
	return StartAt(time.Now)
}

// StartAt is Start with a clock, for tests.
func StartAt(now func() time.Time) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), addr: ln.Addr().String(), now: now}
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// sampleFeeds are the sample feeds the demo config lists: name, path and
// group (two groups and a feed in none, so that the F pane shows both).
var sampleFeeds = [...]struct{ Name, Path, Group string }{
	{"Sample: Steppe Wire", "/feeds/wire.xml", "News"},
	{"Sample: Silk Road Business", "/feeds/business.atom", "Money"},
	{"Sample: Mountain Valley Daily", "/feeds/valley.xml", ""},
}

// WriteConfig writes a config file in dir (created if needed) that points
// steppe at this server and returns its path.
func (s *Server) WriteConfig(dir string) (string, error) {
	var b strings.Builder
	b.WriteString("# steppe --demo: sample feeds and rates served from loopback\npage_size = 0\n")
	for _, f := range sampleFeeds {
		fmt.Fprintf(&b, "\n[[feeds]]\nname = %q\nurl = %q\nrefresh = \"2m\"\n", f.Name, Origin+f.Path)
		if f.Group != "" {
			fmt.Fprintf(&b, "group = %q\n", f.Group)
		}
	}
	fmt.Fprintf(&b, "\n[rates]\nrefresh = \"5m\"\nproviders = [\"frankfurter\", \"erapi\"]\n[rates.endpoints]\nfrankfurter = %q\nerapi = %q\n", Origin, Origin)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo-config.toml")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// Handler serves the sample feeds and the two rate APIs' paths.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/feeds/wire.xml", func(w http.ResponseWriter, r *http.Request) {
		s.writeRSS(w, sampleFeeds[0].Name, wireStories, 0)
	})
	mux.HandleFunc("/feeds/business.atom", func(w http.ResponseWriter, r *http.Request) {
		s.writeAtom(w, sampleFeeds[1].Name, businessStories, 20*time.Minute)
	})
	mux.HandleFunc("/feeds/valley.xml", func(w http.ResponseWriter, r *http.Request) {
		s.writeRSS(w, sampleFeeds[2].Name, valleyStories, 40*time.Minute)
	})
	mux.HandleFunc("/v2/rates", s.frankfurter)
	mux.HandleFunc("/v6/latest/USD", s.erapi)
	return mux
}

// story is one sample article.
type story struct{ title, summary string }

func (s *Server) published(i int, offset time.Duration) time.Time {
	return s.now().Add(-offset - time.Duration(i)*95*time.Minute).UTC().Truncate(time.Minute)
}

func body(st story) string {
	return "<p><em>This is a sample article written for the steppe demo; it is not news.</em></p>" +
		"<p>" + html.EscapeString(st.summary) + "</p>" +
		"<h2>What the sample shows</h2><ul><li>Headlines are fetched from a loopback server through the real fetch path.</li>" +
		"<li>The reader renders the article body from HTML.</li><li>Links open only as http(s).</li></ul>" +
		"<p>Read more about steppe in its <a href=\"https://example.com/steppe\">README</a>.</p>"
}

func (s *Server) writeRSS(w http.ResponseWriter, title string, stories []story, offset time.Duration) {
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>%s</link><description>Sample feed for the steppe demo</description>", html.EscapeString(title), "https://example.com/")
	for i, st := range stories {
		link := fmt.Sprintf("https://example.com/sample/%s/%d", slug(title), i+1)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description><content:encoded><![CDATA[%s]]></content:encoded></item>",
			html.EscapeString(st.title), link, link, s.published(i, offset).Format(time.RFC1123Z), html.EscapeString(st.summary), body(st))
	}
	b.WriteString("</channel></rss>\n")
	_, _ = w.Write([]byte(b.String()))
}

func (s *Server) writeAtom(w http.ResponseWriter, title string, stories []story, offset time.Duration) {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>urn:steppe:demo:%s</id><updated>%s</updated>`,
		html.EscapeString(title), slug(title), s.now().UTC().Format(time.RFC3339))
	for i, st := range stories {
		link := fmt.Sprintf("https://example.com/sample/%s/%d", slug(title), i+1)
		fmt.Fprintf(&b, `<entry><title>%s</title><link href="%s"/><id>%s</id><updated>%s</updated><summary>%s</summary><content type="html">%s</content></entry>`,
			html.EscapeString(st.title), link, link, s.published(i, offset).Format(time.RFC3339), html.EscapeString(st.summary), html.EscapeString(body(st)))
	}
	b.WriteString("</feed>\n")
	_, _ = w.Write([]byte(b.String()))
}

func slug(s string) string {
	s = strings.ToLower(strings.TrimPrefix(s, "Sample: "))
	return strings.Join(strings.Fields(s), "-")
}

// Sample rates: units per USD today and on the previous publication day.
var sampleRates = []struct {
	code        string
	today, prev float64
}{
	{"KGS", 87.45, 87.55},
	{"KZT", 512.30, 511.74},
	{"TJS", 9.623, 9.612},
	{"UZS", 12060.5, 12071.2},
	{"TMT", 3.50, 3.50},
}

func (s *Server) frankfurter(w http.ResponseWriter, r *http.Request) {
	today := s.now().UTC().Truncate(24 * time.Hour)
	day := today
	prev := false
	if d := r.URL.Query().Get("date"); d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			http.Error(w, `{"message":"bad date"}`, http.StatusUnprocessableEntity)
			return
		}
		if t.Before(today) {
			day, prev = t, true
		}
	}
	type rec struct {
		Date  string  `json:"date"`
		Base  string  `json:"base"`
		Quote string  `json:"quote"`
		Rate  float64 `json:"rate"`
	}
	out := []rec{{day.Format("2006-01-02"), "USD", "USD", 1}}
	for _, sr := range sampleRates {
		v := sr.today
		if prev {
			v = sr.prev
		}
		out = append(out, rec{day.Format("2006-01-02"), "USD", sr.code, v})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) erapi(w http.ResponseWriter, r *http.Request) {
	today := s.now().UTC().Truncate(24 * time.Hour)
	rates := map[string]float64{"USD": 1}
	for _, sr := range sampleRates {
		rates[sr.code] = sr.today
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"result":                "success",
		"provider":              "https://www.exchangerate-api.com",
		"time_last_update_unix": today.Unix(),
		"time_last_update_utc":  today.Format(time.RFC1123Z),
		"base_code":             "USD",
		"rates":                 rates,
	})
}
