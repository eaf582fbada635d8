// Command feedgen serves what scripts/compare.sh measures steppe and
// newsboat against: WordPress-shaped RSS 2.0 feeds generated from a seed
// (the same seed and day give the same bytes), answered with ETag and
// Last-Modified so a repeated fetch gets 304, and an ExchangeRate-API
// shaped /v6/latest/USD dated today. It is a measuring aid, not part of
// steppe, and listens on 127.0.0.1 only.
//
//	go run ./scripts/feedgen -feeds 50 -items 200 -seed 1 -out DIR
//	go run ./scripts/feedgen -feeds 1 -items 1 -article-bytes 9400000 -out DIR   (one 9.4 MB article)
//
// When it is listening it writes into DIR: steppe.toml (a steppe config of
// every feed and the rates endpoint), urls (a newsboat urls file), titles
// (one feed title a line) and, last, addr (host:port). It serves until
// killed. GET /_stats answers "ok=N notmodified=M other=K" for the feed
// requests since the previous /_stats, and resets the counts.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"hash/fnv"

	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/steppe-news/steppe/scripts/feedgen/wp"
)

func main() {
	nFeeds := flag.Int("feeds", 50, "number of feeds")
	nItems := flag.Int("items", 200, "items per feed")
	seed := flag.Uint64("seed", 1, "seed of the generated text")
	out := flag.String("out", "", "directory for steppe.toml, urls, titles and addr (required)")
	big := flag.Int("article-bytes", 0, "make each feed's newest post about this many bytes of HTML (0: about 1.5 KB like the others)")
	flag.Parse()
	if *out == "" || *nFeeds < 1 || *nItems < 1 || *big < 0 {
		fmt.Fprintln(os.Stderr, "usage: feedgen -out DIR [-feeds 50] [-items 200] [-seed 1] [-article-bytes N]")
		os.Exit(2)
	}
	if err := run(*nFeeds, *nItems, *big, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "feedgen:", err)
		os.Exit(1)
	}
}

// feed is one generated document, plain and gzipped, with its validators.
type feed struct {
	title      string
	plain, gz  []byte
	etag       string
	lastChange time.Time
}

func run(nFeeds, nItems, articleBytes int, seed uint64, out string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	// Dates hang off today's midnight (UTC), so a run is deterministic for
	// the day and every item is recent enough to be kept.
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	feeds := make([]feed, nFeeds)
	for i := range feeds {
		title, plain := wp.BigFeed(seed, i, day, nItems, articleBytes)
		feeds[i] = newFeed(title, plain, day)
	}

	var ok, notModified, other atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{file}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("file"), ".xml"))
		if err != nil || n < 1 || n > len(feeds) {
			other.Add(1)
			http.NotFound(w, r)
			return
		}
		f := &feeds[n-1]
		body, etag := f.plain, f.etag
		w.Header().Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gzip"`
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Header().Set("ETag", etag)
		cw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		http.ServeContent(cw, r, "", f.lastChange, bytes.NewReader(body))
		switch cw.code {
		case http.StatusOK:
			ok.Add(1)
		case http.StatusNotModified:
			notModified.Add(1)
		default:
			other.Add(1)
		}
	})
	mux.HandleFunc("GET /v6/latest/{base}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("base") != "USD" {
			http.NotFound(w, r)
			return
		}
		upd := day.Add(time.Minute)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"result":"success","provider":"https://www.exchangerate-api.com","time_last_update_unix":%d,"time_last_update_utc":%q,"time_next_update_unix":%d,"time_next_update_utc":%q,"time_eol_unix":0,"base_code":"USD","rates":{"USD":1,"CNY":7.165629,"EUR":0.907539,"KGS":87.45,"KZT":478.95,"RUB":89.378323,"TJS":10.92,"TMT":3.5,"UZS":12707.57}}`,
			upd.Unix(), upd.Format(time.RFC1123Z), upd.Add(24*time.Hour).Unix(), upd.Add(24*time.Hour).Format(time.RFC1123Z))
	})
	mux.HandleFunc("GET /_stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok=%d notmodified=%d other=%d\n", ok.Swap(0), notModified.Swap(0), other.Swap(0))
	})

	var cfg, urls, titles strings.Builder
	for i, f := range feeds {
		u := fmt.Sprintf("%s/feed/%d.xml", base, i+1)
		fmt.Fprintf(&cfg, "[[feeds]]\nname = %q\nurl = %q\n\n", f.title, u)
		fmt.Fprintln(&urls, u)
		fmt.Fprintln(&titles, f.title)
	}
	fmt.Fprintf(&cfg, "[rates]\nproviders = [\"erapi\"]\n[rates.endpoints]\nerapi = %q\n", base)
	for name, text := range map[string]string{"steppe.toml": cfg.String(), "urls": urls.String(), "titles": titles.String()} {
		if err := os.WriteFile(filepath.Join(out, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "addr"), []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
		return err
	}
	return http.Serve(ln, mux)
}

func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// codeWriter remembers the status ServeContent answered with.
type codeWriter struct {
	http.ResponseWriter
	code int
}

func (c *codeWriter) WriteHeader(code int) {
	c.code = code
	c.ResponseWriter.WriteHeader(code)
}

// newFeed gzips a generated document and gives it its validators.
func newFeed(title string, plain []byte, day time.Time) feed {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
	_, _ = zw.Write(plain) // a bytes.Buffer does not fail
	zw.Close()
	sum := fnv.New64a() // an ETag that changes with the bytes
	sum.Write(plain)
	return feed{
		title:      title,
		plain:      plain,
		gz:         z.Bytes(),
		etag:       fmt.Sprintf(`"%016x"`, sum.Sum64()),
		lastChange: day,
	}
}
