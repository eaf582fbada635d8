// Package fulltext fetches a web page and extracts its readable article
// with codeberg.org/readeck/go-readability (Mozilla's Readability in Go),
// for feeds that carry only a summary.
//
// The page is hostile input. It is fetched over http(s) only, within a
// size cap, a timeout and a cap on redirects; its charset is decoded once
// (golang.org/x/net/html/charset); the article's HTML then goes through
// the cleaner that makes every stored feed body, so the text and HTML an
// Article holds are what steppe stores for a feed item: cleaned with
// sanitize.Text after their last decoding, every URL an absolute http(s)
// one passed by sanitize.HTTPURL. Failures are *Error values that say
// why, with the page's secrets redacted.
//
// Fetch and Extract handle one page; a Fetcher fetches many, as a refresh
// does, a few of one host at a time and none of a host that asked to wait
// (Retry-After) before the wait is over.
package fulltext

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/netmsg"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Options configure Fetch and Extract. Zero values mean the defaults.
type Options struct {
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // the whole fetch, body included; default 20s
	MaxBytes     int64         // the largest page read; default 5 MiB
	MaxRedirects int           // default 5
	// MaxElements caps the elements of a page the extractor scores (its
	// work grows with them); default 50,000.
	MaxElements int
	// AnyPage extracts from a page that does not look like an article
	// (Readability's isProbablyReaderable test fails: a home page, a
	// product page), as a reader asked to by hand may want; without it
	// such a page is a KindNoContent error.
	AnyPage bool
}

// Defaults for Options.
const (
	DefaultUserAgent    = "steppe/dev"
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBytes     = 5 << 20
	DefaultMaxRedirects = 5
	DefaultMaxElements  = 50_000
)

func (o Options) withDefaults() Options {
	o.UserAgent = cmp.Or(o.UserAgent, DefaultUserAgent)
	o.Timeout = positiveOr(o.Timeout, DefaultTimeout)
	o.MaxBytes = positiveOr(o.MaxBytes, DefaultMaxBytes)
	o.MaxRedirects = positiveOr(o.MaxRedirects, DefaultMaxRedirects)
	o.MaxElements = positiveOr(o.MaxElements, DefaultMaxElements)
	return o
}

// positiveOr is v, or def when v is zero or negative.
func positiveOr[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Article is the readable article of a page. Every string is clean:
// one-line fields as sanitize.Line leaves them, Text as sanitize.Lines.
type Article struct {
	// URL is the page the article came from, after redirects.
	URL      string
	Title    string
	Byline   string // the author(s) as the page names them
	SiteName string
	Excerpt  string // the page's description, else the first paragraph
	Lang     string // as the page declares it ("ru", "en-US"), else ""
	// Published is when the page says it was published (its metadata),
	// in UTC; zero when it does not say, or says something implausible.
	Published time.Time
	// Text is the article as plain text, in the form steppe stores a feed
	// body's text (feeds.Article.Content).
	Text string
	// HTML is the article as the sanitised HTML the reader renders, in
	// the form of feeds.Article.Body.
	HTML string
	// Image is the lead image: the page's og:image (or the like), else the
	// article's first picture; "" when there is none.
	Image string
	// Links are the links of the article's text, each once.
	Links []Link
}

// Extract is Options.Extract with the default options.
func Extract(page []byte, contentType, pageURL string) (Article, error) {
	return Options{}.Extract(page, contentType, pageURL)
}

// Extract finds the readable article in page, an HTML document that came
// from pageURL (after redirects: relative links resolve against it) with
// the HTTP Content-Type contentType ("" if unknown: its charset decodes
// the page when the page does not say better). It never panics.
func (o Options) Extract(page []byte, contentType, pageURL string) (art Article, err error) {
	o = o.withDefaults()
	u, uerr := sanitize.HTTPURL(pageURL)
	if uerr != nil {
		return art, &Error{Kind: KindBadURL, URL: redactRaw(pageURL), Reason: "not an http(s) URL", Err: uerr}
	}
	shown := Redact(u)
	defer func() {
		if p := recover(); p != nil {
			art, err = Article{}, &Error{Kind: KindInternal, URL: shown,
				Reason: "the extractor failed: " + sanitize.Line(fmt.Sprint(p))}
		}
	}()
	if int64(len(page)) > o.MaxBytes {
		return art, &Error{Kind: KindTooLarge, URL: shown, Limit: o.MaxBytes,
			Reason: "page larger than " + netmsg.Bytes(o.MaxBytes)}
	}
	if mt, ok := htmlType(page, contentType); !ok {
		return art, notHTML(shown, mt)
	}
	doc, err := html.Parse(bytes.NewReader(toUTF8(page, contentType)))
	if err != nil {
		return art, &Error{Kind: KindNoContent, URL: shown, Reason: "unreadable HTML: " + sanitize.Line(err.Error()), Err: err}
	}
	p := readability.NewParser()
	if n := countElements(doc, o.MaxElements); n > o.MaxElements {
		return art, &Error{Kind: KindTooLarge, URL: shown,
			Reason: fmt.Sprintf("page has more than %d elements", o.MaxElements)}
	}
	if !o.AnyPage && !p.CheckDocument(doc) {
		return art, &Error{Kind: KindNoContent, URL: shown, Reason: "the page does not look like an article"}
	}
	ra, err := p.ParseAndMutate(doc, u)
	if err != nil {
		return art, &Error{Kind: KindNoContent, URL: shown, Reason: "no article found: " + sanitize.Line(err.Error()), Err: err}
	}
	if ra.Node == nil {
		return art, &Error{Kind: KindNoContent, URL: shown, Reason: "no readable text in the page"}
	}
	var buf strings.Builder
	if err := html.Render(&buf, ra.Node); err != nil {
		return art, &Error{Kind: KindInternal, URL: shown, Reason: "rendering the article: " + sanitize.Line(err.Error()), Err: err}
	}
	art.HTML, art.Text, err = cleanArticle(buf.String(), u.String())
	if err != nil {
		return art, &Error{Kind: KindInternal, URL: shown, Reason: "cleaning the article: " + sanitize.Line(err.Error()), Err: err}
	}
	if strings.TrimSpace(art.Text) == "" {
		return Article{}, &Error{Kind: KindNoContent, URL: shown, Reason: "no readable text in the page"}
	}
	art.URL = u.String()
	art.Title = sanitize.Line(ra.Title())
	art.Byline = sanitize.Line(ra.Byline())
	art.SiteName = sanitize.Line(ra.SiteName())
	art.Excerpt = sanitize.Line(ra.Excerpt())
	art.Lang = cleanLang(ra.Language())
	if t, err := ra.PublishedTime(); err == nil {
		art.Published = plausible(t, time.Now())
	}
	art.Image = resolve(ra.ImageURL(), u)
	if art.Image == "" {
		art.Image = firstImage(art.HTML)
	}
	art.Links = links(art.HTML)
	return art, nil
}

// countElements counts the element nodes of doc, stopping past limit.
func countElements(doc *html.Node, limit int) int {
	n := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for c := x.FirstChild; c != nil && n <= limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				n++
			}
			walk(c)
		}
	}
	walk(doc)
	return n
}

// resolve returns raw, resolved against base, as an absolute http(s) URL
// that sanitize.HTTPURL passes, or "".
func resolve(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "-") || sanitize.Text(raw, false) != raw {
		return ""
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u, err := sanitize.HTTPURL(base.ResolveReference(ref).String())
	if err != nil {
		return ""
	}
	return u.String()
}

// cleanLang keeps a language tag only when it looks like one: letters,
// digits and '-', at most 35 bytes (BCP 47's longest useful tags).
func cleanLang(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 35 {
		return ""
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return ""
		}
	}
	return s
}

// plausible returns t in UTC when it can be a publication date (after
// 1971, at most a day ahead of now), else the zero time.
func plausible(t, now time.Time) time.Time {
	if t.Before(time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)) || t.After(now.Add(24*time.Hour)) {
		return time.Time{}
	}
	return t.UTC()
}
