package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// summaryMax is the longest summary kept, in bytes.
const summaryMax = 400

// Parse parses an RSS (0.9x, 1.0, 2.0), Atom or JSON feed body and returns
// its items normalised and cleaned, in feed order. contentType is the HTTP
// Content-Type (its charset is used when the body does not say better);
// feedURL resolves relative links and namespaces the article ids; now is
// the first-seen time. A body that is not a feed is an error that names
// what it was ("not a feed: got text/html").
func Parse(body []byte, contentType, feedURL string, now time.Time) ([]Article, error) {
	mediaType, params, _ := mime.ParseMediaType(contentType)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("empty response")
	}
	body = toUTF8(body, params["charset"])
	body = xmlSafe(body)

	fp := gofeed.NewParser()
	feed, err := fp.Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			if mediaType == "" || mediaType == "application/octet-stream" {
				mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
			}
			return nil, fmt.Errorf("not a feed: got %s", Clean(mediaType))
		}
		return nil, fmt.Errorf("not a valid feed: %s", Clean(err.Error()))
	}
	base, _ := url.Parse(feedURL)
	if feed.Link != "" && base == nil {
		base, _ = url.Parse(feed.Link)
	}
	out := make([]Article, 0, len(feed.Items))
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		out = append(out, normalise(it, base, feedURL, now))
	}
	return out, nil
}

func normalise(it *gofeed.Item, base *url.URL, feedURL string, now time.Time) Article {
	a := Article{FirstSeen: now}
	link := it.Link
	if link == "" && len(it.Links) > 0 {
		link = it.Links[0]
	}
	a.Link = safeLink(link, "")
	if base != nil {
		a.Link = safeLink(link, base.String())
	}
	a.Title = textFromHTML(it.Title)

	bodyHTML := it.Content
	if strings.TrimSpace(bodyHTML) == "" {
		bodyHTML = it.Description
	}
	sumSrc := it.Description
	if strings.TrimSpace(textFromHTML(sumSrc)) == "" {
		sumSrc = bodyHTML
	}
	a.Summary = summarize(trimBoilerplate(textFromHTML(sumSrc)), summaryMax)
	a.Content = toMarkdown(bodyHTML, a.Link)
	if a.Title == "" {
		a.Title = summarize(a.Summary, 100)
	}

	if it.Author != nil {
		a.Author = it.Author.Name
	}
	if a.Author == "" && len(it.Authors) > 0 && it.Authors[0] != nil {
		a.Author = it.Authors[0].Name
	}
	a.Author = textFromHTML(a.Author)

	switch {
	case it.PublishedParsed != nil:
		a.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		a.Published = it.UpdatedParsed.UTC()
	default:
		a.Published = now
	}
	if a.Published.After(now.Add(24*time.Hour)) || a.Published.Year() < 1971 {
		a.Published = now
	}

	key := strings.TrimSpace(it.GUID)
	if key == "" {
		key = a.Link
	}
	if key == "" {
		key = "title:" + a.Title + "\x00" + it.Published + "\x00" + it.Updated
	}
	a.ID = articleID(feedURL, key)
	return a
}

// wordpressTail matches WordPress' "The post X appeared first on Y." footer.
var wordpressTail = regexp.MustCompile(`\s*The post .{1,300}? appeared first on .{1,200}?\.?\s*$`)

func trimBoilerplate(s string) string {
	s = wordpressTail.ReplaceAllString(s, "")
	s = strings.TrimSuffix(strings.TrimSpace(s), "[…]")
	s = strings.TrimSuffix(s, "[...]")
	return strings.TrimSpace(s)
}

var ugc = bluemonday.UGCPolicy()

// toMarkdown turns an item's HTML into Markdown for the reader: sanitised
// first (no scripts, styles, iframes or javascript: links), converted, then
// cleaned of control characters after all decoding.
func toMarkdown(h, link string) string {
	if strings.TrimSpace(h) == "" {
		return ""
	}
	safe := ugc.Sanitize(h)
	var opts []converter.ConvertOptionFunc
	if link != "" {
		opts = append(opts, converter.WithDomain(link))
	}
	md, err := htmltomarkdown.ConvertString(safe, opts...)
	if err != nil {
		return CleanBody(textFromHTML(h))
	}
	return CleanBody(md)
}

// safeLink returns raw as an absolute http(s) URL (resolved against base
// when relative), or "" for anything else: javascript:, data:, file:,
// mailto:, a leading '-', control characters, unparsable text.
func safeLink(raw, base string) string {
	s := strings.TrimSpace(raw)
	if s == "" || strings.HasPrefix(s, "-") {
		return ""
	}
	s = decodeEntities(s)
	if Clean(s) != s || strings.ContainsAny(s, " \t\n") {
		// Controls, bidi marks or white space inside a URL: not a link
		// anyone should follow blindly.
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == "" {
			return ""
		}
		b, err := url.Parse(base)
		if err != nil || !b.IsAbs() {
			return ""
		}
		u = b.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	out := u.String()
	if strings.HasPrefix(out, "-") || Clean(out) != out {
		return ""
	}
	return out
}

// xmlDecl finds the encoding in an XML declaration.
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)

func isUTF8Label(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return l == "" || l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii"
}

// toUTF8 returns body as valid UTF-8 with any XML encoding declaration
// rewritten to utf-8 (so the XML parser does not decode twice). The XML
// declaration wins over the HTTP charset unless the body is valid UTF-8
// and nothing but HTTP says otherwise; invalid bytes left over are replaced
// with U+FFFD.
func toUTF8(body []byte, httpCharset string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(body, []byte("\xff\xfe")) || bytes.HasPrefix(body, []byte("\xfe\xff")) {
		httpCharset = "utf-16"
	}
	declared := ""
	if m := xmlDecl.FindSubmatch(body); m != nil {
		declared = string(m[2])
	}
	label := ""
	switch {
	case httpCharset == "utf-16":
		label = "utf-16"
	case declared != "" && !isUTF8Label(declared):
		label = declared
	case utf8.Valid(body):
		label = ""
	case !isUTF8Label(httpCharset):
		label = httpCharset
	case looksCP1251(body):
		// Nothing declares a charset and the bytes are not UTF-8: in this
		// region that is windows-1251 Cyrillic far more often than not.
		label = "windows-1251"
	}
	if label != "" {
		if enc, _ := charset.Lookup(label); enc != nil {
			if dec, err := enc.NewDecoder().Bytes(body); err == nil {
				body = bytes.TrimPrefix(dec, []byte("\xef\xbb\xbf"))
			}
		}
	}
	if declared != "" {
		body = xmlDecl.ReplaceAll(body, []byte("${1}utf-8${3}"))
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return body
}

// looksCP1251 reports whether the bytes above ASCII read as windows-1251
// Cyrillic: nearly all of them letters (0xC0–0xFF, Ё, ё) or the punctuation
// Russian typesetting uses (« » — – “ ” „ №), and most of them next to
// another such byte, as the letters of Cyrillic words are. Latin-1 text
// ("café", "naïve") has its high bytes alone between ASCII letters.
func looksCP1251(body []byte) bool {
	isCyr := func(b byte) bool {
		switch {
		case b >= 0xC0, b == 0xA8, b == 0xB8, b == 0xAB, b == 0xBB, b == 0x96, b == 0x97,
			b == 0x93, b == 0x94, b == 0x84, b == 0xB9, b == 0xA0:
			return true
		}
		return false
	}
	high, cyr, paired := 0, 0, 0
	for i, b := range body {
		if b < 0x80 {
			continue
		}
		high++
		if isCyr(b) {
			cyr++
		}
		if (i > 0 && body[i-1] >= 0x80) || (i+1 < len(body) && body[i+1] >= 0x80) {
			paired++
		}
	}
	return high >= 4 && cyr*10 >= high*9 && paired*10 >= high*6
}

// badCharRef matches numeric character references to characters XML does
// not allow (C0 controls other than tab, newline and return).
var badCharRef = regexp.MustCompile(`&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])|[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]));`)

// xmlSafe removes raw C0 controls and references to them, which XML forbids
// and Go's XML decoder rejects (one stray ESC would otherwise lose the whole
// feed). Controls XML allows (C1, DEL) pass and are removed by Clean.
func xmlSafe(body []byte) []byte {
	if bytes.IndexFunc(body, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r'
	}) >= 0 {
		body = bytes.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
				return -1
			}
			return r
		}, body)
	}
	if bytes.Contains(body, []byte("&#")) {
		body = badCharRef.ReplaceAll(body, nil)
	}
	return body
}
