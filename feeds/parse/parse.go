// Package parse reads feed documents: RSS (0.9x, 1.0, 2.0), Atom (0.3,
// 1.0) and JSON Feed, with github.com/mmcdole/gofeed and, for the RSS most
// sites publish, a fast path of its own (rssfast.go) that gives the same
// items. It turns each entry into a clean Item: text decoded once per
// layer (charset, XML, then HTML where the format says so, through
// feeds/htmlclean) and cleaned with internal/sanitize after that last
// decoding, links absolute http(s), dates checked, a stable ID. It knows
// nothing of HTTP, storage or terminals.
package parse

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// summaryMax is the longest summary kept, in bytes.
const summaryMax = 400

// boilerplateScan is the longest text whose end is searched for the
// boilerplate feeds append to excerpts; past it the end is never part of
// the summary anyway.
const boilerplateScan = 2048

// futureSlack is how far ahead of now an item's date may be (clocks
// differ); an item dated later is placed at its first-seen time.
const futureSlack = 5 * time.Minute

// Item is one entry of a feed, normalised and cleaned.
type Item struct {
	ID      string // stable: a hash of the feed URL and the GUID, else the link, else title and dates
	Title   string // plain text, one line; made of the text when the entry has none
	Link    string // absolute http(s), else ""
	Author  string // plain text, one line
	Summary string // plain text, one line of a few sentences, without the feed's boilerplate
	Content string // the body as plain text, cleaned with sanitize.Lines
	// Body is the body as sanitised HTML for the reader (see
	// feeds/htmlclean for what it may hold).
	Body string
	// Published is when the entry was published, else updated, in UTC;
	// the now given to Feed when it had no usable date or a date in the
	// future.
	Published time.Time
	// NoDate: the entry had no usable date (none, unparsable or before
	// 1971).
	NoDate bool
	// Enclosures are the entry's audio and video files, in feed order,
	// each URL once (see cleanEnclosures).
	Enclosures []Enclosure
}

// Feed parses an RSS (0.9x, 1.0, 2.0), Atom (0.3, 1.0) or JSON feed body
// and returns its items normalised and cleaned, in feed order.
//
// contentType is the HTTP Content-Type (its charset is used when the body
// does not say better). feedURL is the feed as configured: it namespaces
// the article ids, so they stay the same when the server redirects
// elsewhere. finalURL is where the body came from after redirects:
// relative links resolve against it (after any xml:base the feed sets).
// now is the first-seen time. A body that is not a feed is an error that
// names what it was ("not a feed: got text/html").
//
// Each layer of encoding is decoded once: XML by the feed parser, then the
// text the format says is HTML (RSS titles and descriptions, Atom text of
// type html or xhtml, JSON Feed content_html) is parsed as HTML once;
// plain text is never HTML-decoded. Everything is cleaned with
// sanitize.Text after that last decoding.
func Feed(body []byte, contentType, feedURL, finalURL string, now time.Time) ([]Item, error) {
	items, base, err := rawItems(body, contentType, finalURL)
	if err != nil {
		return nil, err
	}
	var c htmlclean.Cleaner
	out := make([]Item, 0, len(items))
	for i := range items {
		out = append(out, normalise(&items[i], &c, base, feedURL, now))
	}
	return out, nil
}

// rawItems decodes body (charset, then XML) and reads its items as the
// format gives them, with the base their links resolve against (see Feed
// for the arguments and the errors).
func rawItems(body []byte, contentType, finalURL string) ([]item, *url.URL, error) {
	mediaType, params, _ := mime.ParseMediaType(contentType)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil, errors.New("empty response")
	}
	body = UTF8(body, params["charset"])
	body = XMLSafe(body)

	base, _ := url.Parse(finalURL)
	if base != nil && !base.IsAbs() {
		base = nil
	}
	items, err := readItems(body, base)
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			if mediaType == "" || mediaType == "application/octet-stream" {
				mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
			}
			return nil, nil, fmt.Errorf("not a feed: got %s", sanitize.Line(mediaType))
		}
		return nil, nil, fmt.Errorf("not a valid feed: %s", sanitize.Line(err.Error()))
	}
	return items, base, nil
}

// textKind is how a piece of feed text is encoded once the XML is decoded.
type textKind uint8

const (
	plainText textKind = iota // shown as it is
	htmlText                  // parsed as HTML once
	xhtmlText                 // XHTML markup, parsed as HTML once
)

// fragment is a piece of feed text with its encoding.
type fragment struct {
	s    string
	kind textKind
}

func (f fragment) empty() bool { return strings.TrimSpace(f.s) == "" }

// item is one entry of a feed as its format gives it, before normalising.
type item struct {
	title, summary, content, author fragment
	link                            string // absolute http(s), or ""
	guid                            string
	published, updated              *time.Time
	publishedRaw, updatedRaw        string
	base                            *url.URL // resolves URLs inside the content
	enclosures                      []rawEnclosure
}

// readItems detects the format of body and reads its items.
func readItems(body []byte, base *url.URL) ([]item, error) {
	head := body[:min(len(body), 4096)]
	switch gofeed.DetectFeedType(bytes.NewReader(head)) {
	case gofeed.FeedTypeRSS:
		if items, ok := fastRSS(body, base); ok {
			return items, nil
		}
		if err := checkDepth(body); err != nil {
			return nil, err
		}
		return gofeedRSS(body, base)
	case gofeed.FeedTypeAtom:
		if err := checkDepth(body); err != nil {
			return nil, err
		}
		f, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		u, err := (&gofeed.DefaultAtomTranslator{}).Translate(f)
		if err != nil {
			return nil, err
		}
		return atomItems(f, u, body, base), nil
	case gofeed.FeedTypeJSON:
		f, err := (&gofeedjson.Parser{}).Parse(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		u, err := (&gofeed.DefaultJSONTranslator{}).Translate(f)
		if err != nil {
			return nil, err
		}
		return jsonItems(f, u, base), nil
	}
	return nil, gofeed.ErrFeedTypeNotDetected
}

// gofeedRSS reads the items of an RSS document with gofeed.
func gofeedRSS(body []byte, base *url.URL) ([]item, error) {
	small, e := elideCDATA(body)
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(small))
	if err != nil {
		return nil, err
	}
	u, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(f)
	if err != nil {
		return nil, err
	}
	return rssItems(f, u, body, base, e), nil
}

// newItem starts an item from what every format has: its id, its dates
// (as gofeed's translator read them) and the base for URLs in its content
// (the item's xml:base, else the feed's URL).
func newItem(guid string, u *gofeed.Item, x itemExtra, base *url.URL) item {
	it := item{guid: guid, base: base}
	if x.base != nil {
		it.base = x.base
	}
	it.published, it.updated = u.PublishedParsed, u.UpdatedParsed
	it.publishedRaw, it.updatedRaw = u.Published, u.Updated
	return it
}

// titleOr returns the item's title, else its media:title, else its
// dc:title (plain text).
func titleOr(title fragment, exts ext.Extensions) fragment {
	if title.empty() {
		title = mediaText(exts, "title")
	}
	if title.empty() {
		title = fragment{extByName(exts, "title", "dc"), plainText}
	}
	return title
}

// summaryOr returns the item's summary, else its media:description
// (YouTube and podcasts keep theirs there).
func summaryOr(summary fragment, exts ext.Extensions) fragment {
	if summary.empty() {
		return mediaText(exts, "description")
	}
	return summary
}

// extValue returns the text and attributes of the first extension element
// prefix:name of exts, looking inside media:group and media:content too
// when prefix is media.
func extValue(exts ext.Extensions, prefix, name string) (string, map[string]string) {
	m := exts[prefix]
	if m == nil {
		return "", nil
	}
	for _, e := range m[name] {
		if strings.TrimSpace(e.Value) != "" {
			return e.Value, e.Attrs
		}
	}
	if prefix == "media" {
		for _, parent := range []string{"group", "content"} {
			for _, p := range m[parent] {
				for _, e := range p.Children[name] {
					if strings.TrimSpace(e.Value) != "" {
						return e.Value, e.Attrs
					}
				}
			}
		}
	}
	return "", nil
}

// mediaText is an item's media:title or media:description (plain text
// unless type="html").
func mediaText(exts ext.Extensions, name string) fragment {
	v, attrs := extValue(exts, "media", name)
	if strings.EqualFold(attrs["type"], "html") {
		return fragment{v, htmlText}
	}
	return fragment{v, plainText}
}

// extByName returns the text of the first extension element name under
// one of prefixes.
func extByName(exts ext.Extensions, name string, prefixes ...string) string {
	for _, p := range prefixes {
		if v, _ := extValue(exts, p, name); v != "" {
			return v
		}
	}
	return ""
}

func rssItems(f *rss.Feed, u *gofeed.Feed, body []byte, base *url.URL, e *elided) []item {
	need := bytes.Contains(body, []byte("xml:base")) || bytes.Contains(body, []byte(xhtmlNS))
	extra := lookXML(body, base, len(f.Items), need)
	items := make([]item, 0, len(f.Items))
	for i, ri := range f.Items {
		ui := u.Items[i]
		x := extra[i]
		guid := ""
		if ri.GUID != nil {
			guid = ri.GUID.Value
		}
		// Stand-ins for CDATA sections (see elideCDATA) are swapped back in
		// the item's own text (read verbatim) and in the values of
		// extension elements (read as character data).
		exts := e.extensions(ri.Extensions)
		it := newItem(guid, ui, x, base)
		it.title = titleOr(fragment{ri.Title, htmlText}, exts)
		desc := ui.Description
		if ri.Description != "" {
			desc = e.restore(desc)
		} else {
			desc = e.restoreExt(desc) // dc:description, an atom summary, …
		}
		it.summary = summaryOr(fragment{desc, htmlText}, exts)
		switch content := e.restore(ri.Content); {
		case strings.TrimSpace(content) != "":
			it.content = fragment{content, htmlText}
		case strings.TrimSpace(x.xhtmlBody) != "":
			it.content = fragment{x.xhtmlBody, xhtmlText}
		case strings.TrimSpace(ui.Content) != "":
			it.content = fragment{e.restoreExt(ui.Content), htmlText} // atom:content
		default:
			// Yandex's full-text and Turbo modules, common on Russian
			// news sites: the whole article where RSS has an excerpt.
			if v := extByName(exts, "content", "turbo"); v != "" {
				it.content = fragment{v, htmlText}
			} else if v := extByName(exts, "full-text", "yandex"); v != "" {
				it.content = fragment{v, plainText}
			}
		}
		if ui.Author != nil {
			it.author = fragment{ui.Author.Name, htmlText}
		}
		it.link = rssLink(ri, base)
		it.enclosures = rssEnclosures(ri, exts)
		items = append(items, it)
	}
	return items
}

// rssLink chooses an RSS item's link: <link>, else an atom:link with
// rel="alternate", else the first atom:link without a rel, else a guid
// that is a permalink (isPermaLink absent or true) and an http(s) URL.
// RSS text is HTML: a link's entities are decoded once ("&amp;amp;" in the
// XML is "&" in the URL).
func rssLink(ri *rss.Item, base *url.URL) string {
	for _, l := range ri.Links {
		if l := sanitize.Link(html.UnescapeString(l), base); l != "" {
			return l
		}
	}
	for _, prefix := range []string{"atom", "atom10", "atom03"} {
		links := ri.Extensions[prefix]["link"]
		for _, rel := range []string{"alternate", ""} {
			for _, l := range links {
				if strings.TrimSpace(strings.ToLower(l.Attrs["rel"])) == rel {
					if l := sanitize.Link(l.Attrs["href"], base); l != "" {
						return l
					}
				}
			}
		}
	}
	if g := ri.GUID; g != nil && !strings.EqualFold(strings.TrimSpace(g.IsPermalink), "false") {
		if u, err := sanitize.HTTPURL(strings.TrimSpace(html.UnescapeString(g.Value))); err == nil {
			return u.String()
		}
	}
	return ""
}

// atomKind reads an Atom text construct's type (Atom 1.0: text, html,
// xhtml; Atom 0.3: a MIME type, text/plain by default).
func atomKind(t string) textKind {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "html" || t == "text/html":
		return htmlText
	case strings.Contains(t, "xhtml"):
		return xhtmlText
	}
	return plainText
}

func atomItems(f *atom.Feed, u *gofeed.Feed, body []byte, base *url.URL) []item {
	look := bytes.Contains(body, []byte("xml:base")) || bytes.Contains(body, []byte("mode="))
	for _, e := range f.Entries {
		if look {
			break
		}
		// The type only matters where HTML and plain text differ.
		look = strings.ContainsAny(e.Title, "<&") || strings.ContainsAny(e.Summary, "<&")
	}
	extra := lookXML(body, base, len(f.Entries), look)
	items := make([]item, 0, len(f.Entries))
	for i, e := range f.Entries {
		x := extra[i]
		it := newItem(e.ID, u.Items[i], x, base)
		it.title = titleOr(fragment{e.Title, atomKind(x.titleType)}, e.Extensions)
		it.summary = summaryOr(fragment{e.Summary, atomKind(x.summaryType)}, e.Extensions)
		if c := e.Content; c != nil && (c.Src == "" || strings.TrimSpace(c.Value) != "") {
			it.content = atomContent(c, x)
		}
		if len(e.Authors) > 0 && e.Authors[0] != nil {
			it.author = fragment{e.Authors[0].Name, plainText}
		}
		it.link = atomLink(e.Links, base)
		it.enclosures = atomEnclosures(e)
		items = append(items, it)
	}
	return items
}

// atomContent reads an entry's content by its type; Atom 0.3 content in
// mode="base64" is decoded here where gofeed leaves it encoded.
func atomContent(c *atom.Content, x itemExtra) fragment {
	t := strings.ToLower(strings.TrimSpace(c.Type))
	kind := atomKind(t)
	textual := t == "text" || t == "html" || strings.HasPrefix(t, "text/") || strings.Contains(t, "xhtml")
	switch {
	case strings.EqualFold(x.contentMode, "base64") && textual:
		raw := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, c.Value)
		if d, err := base64.StdEncoding.DecodeString(raw); err == nil && utf8.Valid(d) {
			return fragment{string(d), kind}
		}
	case !textual && t != "":
		return fragment{} // an image, audio, … inline: not text
	}
	return fragment{c.Value, kind}
}

// atomLink chooses an Atom entry's link: the first rel="alternate" (a link
// without a rel is an alternate), preferring one that resolves to http(s).
func atomLink(links []*atom.Link, base *url.URL) string {
	for _, l := range links {
		if l != nil && (l.Rel == "alternate" || l.Rel == "") {
			if s := sanitize.Link(l.Href, base); s != "" {
				return s
			}
		}
	}
	return ""
}

func jsonItems(f *gofeedjson.Feed, u *gofeed.Feed, base *url.URL) []item {
	items := make([]item, 0, len(f.Items))
	for i, ji := range f.Items {
		it := newItem(ji.ID, u.Items[i], itemExtra{}, base)
		it.title = fragment{ji.Title, plainText}
		it.summary = fragment{ji.Summary, plainText}
		if strings.TrimSpace(ji.ContentHTML) != "" {
			it.content = fragment{ji.ContentHTML, htmlText}
		} else {
			it.content = fragment{ji.ContentText, plainText}
		}
		switch {
		case ji.Author != nil:
			it.author = fragment{ji.Author.Name, plainText}
		case len(ji.Authors) > 0 && ji.Authors[0] != nil:
			it.author = fragment{ji.Authors[0].Name, plainText}
		}
		// url is the permalink; external_url (a linkblog's target) only
		// stands in when there is no url at all, not for a refused one.
		if strings.TrimSpace(ji.URL) != "" {
			it.link = sanitize.Link(ji.URL, base)
		} else {
			it.link = sanitize.Link(ji.ExternalURL, base)
		}
		it.enclosures = jsonEnclosures(ji)
		items = append(items, it)
	}
	return items
}

// oneLine returns a fragment as one line of clean plain text.
func oneLine(c *htmlclean.Cleaner, f fragment) string {
	if f.kind == plainText {
		return sanitize.Line(f.s)
	}
	return c.Line(f.s, f.kind == xhtmlText)
}

func normalise(it *item, c *htmlclean.Cleaner, base *url.URL, feedURL string, now time.Time) Item {
	a := Item{Link: it.link}
	a.Enclosures = cleanEnclosures(it.enclosures, it.base)
	a.Title = oneLine(c, it.title)
	a.Author = oneLine(c, it.author)

	// The body: the content, else the summary.
	body := it.content
	fromSummary := body.empty()
	if fromSummary {
		body = it.summary
	}
	if body.kind == plainText {
		a.Content = sanitize.Lines(body.s)
		a.Body = htmlclean.FromPlain(a.Content)
	} else {
		a.Body, a.Content = c.Body(body.s, body.kind == xhtmlText, it.base)
	}

	// The item's words, for its summary and a missing title: the
	// summary's text, else the body's without its placeholders.
	words := ""
	if !fromSummary {
		words = oneLine(c, it.summary)
	}
	if words == "" {
		words = htmlclean.WithoutPlaceholders(a.Content)
	}
	if a.Title == "" {
		var whole bool
		if a.Title, whole = htmlclean.TitleFrom(words); whole {
			words = "" // the title is all the text there is
		}
		if a.Title == "" {
			a.Title, _ = htmlclean.TitleFrom(a.Content) // "[video: …]"
		}
	}
	sum := sanitize.Line(words)
	if len(sum) <= boilerplateScan {
		sum = htmlclean.TrimBoilerplate(sum)
	}
	if sum == a.Title {
		sum = "" // a title-only item, or a summary that repeats the title
	}
	a.Summary = htmlclean.Summary(sum, summaryMax)

	a.Published, a.NoDate = itemDate(it, now)

	key := strings.TrimSpace(it.guid)
	if key == "" {
		key = a.Link
	}
	if key == "" {
		key = "title:" + a.Title + "\x00" + it.publishedRaw + "\x00" + it.updatedRaw
	}
	a.ID = ID(feedURL, key)
	return a
}

// noDateBefore: an item dated earlier has no usable date (a zero or epoch
// date written by a broken generator).
var noDateBefore = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)

// itemDate returns when an item was published (else updated) and whether
// it had no usable date: none, unparsable or before 1971 is no date (the
// first-seen time stands in, for ordering); a date more than futureSlack
// ahead of now is placed at the first-seen time.
func itemDate(it *item, now time.Time) (time.Time, bool) {
	d := it.published
	if d == nil {
		d = it.updated
	}
	switch {
	case d == nil, d.Before(noDateBefore):
		return now, true
	case d.After(now.Add(futureSlack)):
		return now, false
	}
	return d.UTC(), false
}

// xmlDecl finds the encoding in an XML declaration.
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)

// singleByte reports whether a charset label names a single-byte
// encoding (every byte one character): windows-125x, KOI8, ISO 8859, the
// DOS code pages. UTF-16 and the CJK multi-byte encodings are not.
func singleByte(label string) bool {
	_, name := charset.Lookup(label)
	switch name {
	case "", "utf-8", "utf-16le", "utf-16be", "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "gb18030", "big5":
		return false
	}
	return true
}

// multiByteUTF8 reports whether body is valid UTF-8 holding at least one
// multi-byte sequence (plain ASCII reads the same in every charset).
func multiByteUTF8(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	for _, b := range body {
		if b >= 0x80 {
			return true
		}
	}
	return false
}

func isUTF8Label(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return l == "" || l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii"
}

// UTF8 returns body as valid UTF-8 with any XML encoding declaration
// rewritten to utf-8 (so the XML parser does not decode twice). The XML
// declaration wins over the HTTP charset unless the body is valid UTF-8
// and nothing but HTTP says otherwise; undeclared bytes that are not UTF-8
// but read as Cyrillic are windows-1251; invalid bytes left over are
// replaced with U+FFFD. httpCharset is the charset the HTTP Content-Type
// names, "" for none.
func UTF8(body []byte, httpCharset string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	label, declared := charsetLabel(body, httpCharset)
	if label != "" {
		if enc, _ := charset.Lookup(label); enc != nil {
			if dec, err := enc.NewDecoder().Bytes(body); err == nil {
				body = bytes.TrimPrefix(dec, []byte("\xef\xbb\xbf"))
				if m := xmlDecl.FindSubmatch(body); m != nil {
					declared = string(m[2]) // readable only now, in UTF-16
				}
			}
		}
	}
	if declared != "" && !strings.EqualFold(declared, "utf-8") {
		// encoding/xml reads "utf-8" in any case itself (a copy of a
		// large body saved); any other label would be decoded again.
		body = xmlDecl.ReplaceAll(body, []byte("${1}utf-8${3}"))
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return body
}

// charsetLabel is the charset body (without a UTF-8 byte order mark) is
// in, "" for UTF-8, and the encoding its XML declaration names (see UTF8
// for the rules).
func charsetLabel(body []byte, httpCharset string) (label, declared string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		httpCharset = "utf-16le" // the byte order mark says which
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		httpCharset = "utf-16be"
	}
	declared = ""
	if m := xmlDecl.FindSubmatch(body); m != nil {
		declared = string(m[2])
	}
	label = ""
	switch {
	case httpCharset == "utf-16le" || httpCharset == "utf-16be":
		label = httpCharset
	case httpCharset != "" && isUTF8Label(httpCharset) && utf8.Valid(body):
		// The server says UTF-8 and the bytes are: the HTTP charset wins
		// over the document's declaration (RFC 7303). A declaration that
		// the bytes bear out is still read below, when they are not.
		label = ""
	case declared != "" && !isUTF8Label(declared) && !(singleByte(declared) && multiByteUTF8(body)):
		// A single-byte charset (windows-1251, KOI8-R) declared over bytes
		// that are valid UTF-8 with multi-byte sequences is a wrong
		// declaration, as Central Asian sites often write: text in those
		// charsets is almost never valid UTF-8 by chance.
		label = declared
	case utf8.Valid(body):
		label = ""
	case !isUTF8Label(httpCharset):
		label = httpCharset
	case LooksCP1251(body):
		// Nothing declares a charset and the bytes are not UTF-8: in this
		// region that is windows-1251 Cyrillic far more often than not.
		label = "windows-1251"
	}
	return label, declared
}

// LooksCP1251 reports whether the bytes above ASCII read as windows-1251
// Cyrillic: nearly all of them letters (0xC0–0xFF, Ё, ё) or the punctuation
// Russian typesetting uses (« » — – “ ” „ №), and most of them next to
// another such byte, as the letters of Cyrillic words are. Latin-1 text
// ("café", "naïve") has its high bytes alone between ASCII letters.
func LooksCP1251(body []byte) bool {
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

// XMLSafe makes XML of what Go's XML decoder would reject or read wrong,
// without losing the feed to one stray byte or a word to an escape
// sequence:
//
//   - outside CDATA sections, numeric references to C0 controls (which XML
//     forbids) become the raw byte; references to 128–159 become the
//     windows-1252 character they stand for in every feed that writes
//     them ("Don&#146;t" is "Don’t", "&#155;" is "›"), as HTML and gofeed
//     read them;
//   - an ESC that starts a C1 control in its 7-bit form (ESC followed by
//     '@' to '_', written raw or as a reference: "ESC [" is CSI, "ESC ]"
//     OSC) becomes that C1 control. The sequence it starts then reaches
//     the text whole, its parameters decoded by the XML and HTML layers
//     like any other text ("&#27;[3&#49;m" is CSI "31m"), and
//     sanitize.Text removes it whole after the last decoding;
//   - BEL, CAN and SUB, which end or cancel a string in a terminal, become
//     ST (U+009C), so that an OSC ended by BEL ends there, not at the end
//     of the text;
//   - other raw C0 controls other than tab, newline and return are
//     removed, an ESC with the short sequence it starts (read by the ansi
//     parser, up to the next markup or quote).
//
// C1 controls and DEL, which XML allows, pass to the feed parser and are
// removed, with their sequences, by sanitize.Text.
func XMLSafe(body []byte) []byte {
	body = xmlRefs(body)
	if !hasBadC0(body) {
		return body
	}
	out := make([]byte, 0, len(body))
	stop := -1 // the next markup or quote at or after i, found once
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c >= 0x20 || c == '\t' || c == '\n' || c == '\r':
			out = append(out, c)
			i++
		case c == ansi.BEL || c == ansi.CAN || c == ansi.SUB:
			out = utf8.AppendRune(out, ansi.ST)
			i++
		case c == ansi.ESC:
			if r, n := nextChar(body[i+1:]); r >= 0x40 && r <= 0x5f {
				out = utf8.AppendRune(out, r+0x40) // ESC Fe is C1 (r+0x40)
				i += 1 + n
				continue
			}
			if stop < i {
				stop = len(body)
				if j := bytes.IndexAny(body[i:], `<>"'`); j >= 0 {
					stop = i + j
				}
			}
			_, _, n, _ := ansi.DecodeSequence(body[i:stop], ansi.NormalState, nil)
			i += max(n, 1)
		default:
			i++
		}
	}
	return out
}

// nextChar is the character at the start of b, written raw (one ASCII
// byte) or as a numeric reference, and its length; 0, 0 when there is
// none.
func nextChar(b []byte) (rune, int) {
	if len(b) == 0 {
		return 0, 0
	}
	if r, n := charRef(b); n > 0 {
		return r, n
	}
	return rune(b[0]), 1
}

// hasBadC0 reports whether b holds a C0 control other than tab, newline
// and return. Eight bytes without any C0 control are passed over in one
// test.
func hasBadC0(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if (w-ones*0x20)&^w&highs == 0 {
			continue // no byte below 0x20
		}
		for _, c := range b[i : i+8] {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return true
			}
		}
	}
	for _, c := range b[i:] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// xmlRefs rewrites the numeric references to C0 controls and to 128–159
// outside CDATA sections (see XMLSafe).
func xmlRefs(body []byte) []byte {
	if !bytes.Contains(body, []byte("&#")) {
		return body
	}
	const cdataStart, cdataEnd = "<![CDATA[", "]]>"
	// [cdata, cdataStop) is the first CDATA section not before the
	// reference looked at; cdataStop is -1 when it never ends.
	cdata, cdataStop := 0, 0
	findCDATA := func(from int) {
		cdata, cdataStop = len(body), len(body)
		if k := bytes.Index(body[from:], []byte(cdataStart)); k >= 0 {
			cdata, cdataStop = from+k, -1
			if e := bytes.Index(body[from+k:], []byte(cdataEnd)); e >= 0 {
				cdataStop = from + k + e + len(cdataEnd)
			}
		}
	}
	findCDATA(0)
	var out []byte // nil until something changes
	last := 0
	for i := 0; i < len(body); {
		j := bytes.Index(body[i:], []byte("&#"))
		if j < 0 {
			break
		}
		i += j
		for cdataStop >= 0 && cdataStop <= i {
			findCDATA(cdataStop)
		}
		if cdata < i {
			if cdataStop < 0 {
				break // an unterminated section: the rest is in it
			}
			i = cdataStop
			continue
		}
		r, n := charRef(body[i:])
		if n == 0 || !(r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x80 && r <= 0x9f) {
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(body))
		}
		out = append(out, body[last:i]...)
		if r >= 0x80 {
			r = charmap.Windows1252.DecodeByte(byte(r)) // U+FFFD for the five it leaves undefined
		}
		out = utf8.AppendRune(out, r) // one byte for C0
		i += n
		last = i
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// charRef reads a numeric character reference ("&#27;", "&#x9C;") at the
// start of b and returns its code point and length, or 0, 0.
func charRef(b []byte) (rune, int) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return 0, 0
	}
	i, base := 2, rune(10)
	if b[2] == 'x' || b[2] == 'X' {
		i, base = 3, 16
	}
	start := i
	var r rune
	for ; i < len(b) && i-start < 8; i++ {
		c := b[i]
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		case c == ';' && i > start:
			return r, i + 1
		default:
			return 0, 0
		}
		r = r*base + d
	}
	return 0, 0
}
