package parse

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed/rss"
)

// Most feeds are plain RSS 2.0 as WordPress writes it: an <rss> root with
// its namespaces, one <channel>, items of title, link, description,
// content:encoded, guid, pubDate and dc:creator. fastRSS reads exactly
// that, several times faster than gofeed (which takes every byte through
// encoding/xml), and gives the items rssItems would make of gofeed's
// reading. Whatever it is not sure to read as gofeed does (a DOCTYPE, a
// namespace it does not know, an element that gofeed reads into a field
// steppe uses, an entity it does not know, xml:base, a date in another
// format, markup it does not expect), it declines, and gofeed reads the
// document. FuzzFastRSS holds it to gofeed's reading.

// The namespaces whose elements fastRSS reads.
const (
	contentNS = "http://purl.org/rss/1.0/modules/content/"
	dcNS      = "http://purl.org/dc/elements/1.1/"
)

// usedExtensions are the prefixes (gofeed's canonical ones) of the
// extension elements rssItems or gofeed's translator read into a field
// steppe uses: an item with one of them goes to gofeed.
var usedExtensions = map[string]bool{"media": true, "dc": true, "atom": true, "atom10": true, "atom03": true,
	"turbo": true, "yandex": true, "itunes": true, "content": true}

// namespaces gofeed gives a canonical prefix that rssItems or the
// translator read (gofeed keys extensions by that prefix, whatever the
// document calls it).
var usedNamespaces = map[string]bool{
	"http://search.yahoo.com/mrss": true, "http://search.yahoo.com/mrss/": true, dcNS: true,
	"http://purl.org/dc/terms/": false, contentNS: true, atomNS: true, atom03NS: true,
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd": true, "http://example.com/DTDs/PodCast-1.0.dtd": true,
}

// xmlScanner reads the subset of XML fastRSS accepts; ok turns false at
// the first thing outside it, and every read after that is void.
type xmlScanner struct {
	b  []byte
	i  int
	ok bool
	ns map[string]string // the root's prefixes and their namespaces
}

// fastItem is what fastRSS reads of one item.
type fastItem struct {
	title, desc, content, author, pubDate string
	hasCreator, hasDate                   bool
	creator                               string
	links                                 []string
	guid                                  *rss.GUID
	enclosures                            []rawEnclosure
}

// fastRSS returns the items of body, or ok false when gofeed must read it.
func fastRSS(body []byte, base *url.URL) ([]item, bool) {
	if bytes.Contains(body, []byte("xml:base")) || bytes.Contains(body, []byte(xhtmlNS)) || hasNonchar(body) {
		return nil, false
	}
	s := &xmlScanner{b: body, ok: true}
	if !s.prolog() {
		return nil, false
	}
	name, attrs, empty := s.startTag()
	if !s.ok || name != "rss" || empty {
		return nil, false
	}
	s.ns = map[string]string{}
	for _, a := range attrs {
		switch {
		case a.name == "xmlns":
			return nil, false // a default namespace: gofeed's rules for it are its own
		case strings.HasPrefix(a.name, "xmlns:"):
			p := a.name[len("xmlns:"):]
			if _, dup := s.ns[p]; dup {
				return nil, false
			}
			s.ns[p] = a.value
		}
	}
	var items []fastItem
	channels := 0
	for s.ok {
		s.skipSpace()
		switch {
		case s.has("<!--"):
			s.comment()
		case s.has("</"):
			if s.endTag() != "rss" {
				return nil, false
			}
			if !s.ok || channels != 1 {
				return nil, false
			}
			out := make([]item, 0, len(items))
			for i := range items {
				it, ok := items[i].item(base)
				if !ok {
					return nil, false
				}
				out = append(out, it)
			}
			return out, true
		case s.has("<"):
			name, attrs, empty := s.startTag()
			if name != "channel" || len(attrs) > 0 || empty || channels > 0 {
				return nil, false
			}
			channels++
			items = s.channel()
		default:
			return nil, false
		}
	}
	return nil, false
}

// hasNonchar reports whether b holds U+FFFE or U+FFFF, which encoding/xml
// refuses (EF BF BE, EF BF BF), in one pass.
func hasNonchar(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("\xEF\xBF"))
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if b[i+2] == 0xBE || b[i+2] == 0xBF {
			return true
		}
		b = b[i+2:]
	}
}

// prolog reads the XML declaration, comments and white space before the
// root, and reports whether the root's start tag follows.
func (s *xmlScanner) prolog() bool {
	s.skipSpace()
	if s.has("<?xml") {
		end := bytes.Index(s.b[s.i:], []byte("?>"))
		if end < 0 || !declOK(s.b[s.i+len("<?xml"):s.i+end]) {
			return false
		}
		s.i += end + 2
	}
	for {
		s.skipSpace()
		switch {
		case s.has("<!--"):
			if s.comment(); !s.ok {
				return false
			}
		case s.has("<?"), s.has("<!"):
			return false
		case s.has("<"):
			return true
		default:
			return false
		}
	}
}

// declOK reports whether the XML declaration's content is version 1.0,
// utf-8 (what UTF8 leaves) and standalone, each optional, as
// encoding/xml reads them without complaint.
func declOK(d []byte) bool {
	if len(d) > 0 && !isXMLSpace(d[0]) {
		return false // <?xmlfoo?> is another instruction
	}
	s := &xmlScanner{b: append(d[:len(d):len(d)], '>'), ok: true}
	for {
		sp := s.i
		s.skipSpace()
		if s.has(">") {
			return true
		}
		if s.i == sp {
			return false
		}
		name := s.name()
		if !s.has("=") {
			return false
		}
		s.i++
		if s.i >= len(s.b) || s.b[s.i] != '"' && s.b[s.i] != '\'' {
			return false
		}
		q := s.b[s.i]
		end := bytes.IndexByte(s.b[s.i+1:], q)
		if end < 0 {
			return false
		}
		v := string(s.b[s.i+1 : s.i+1+end])
		s.i += end + 2
		switch {
		case name == "version" && v == "1.0":
		case name == "encoding" && strings.EqualFold(v, "utf-8"):
		case name == "standalone" && (v == "yes" || v == "no"):
		default:
			return false
		}
	}
}

// toTag skips text up to the next '<' and reports whether there is one
// and the text is one encoding/xml takes ("]]>" it does not).
func (s *xmlScanner) toTag() bool {
	lt := bytes.IndexByte(s.b[s.i:], '<')
	if lt < 0 || bytes.Contains(s.b[s.i:s.i+lt], []byte("]]>")) {
		s.ok = false
		return false
	}
	s.i += lt
	return s.ok
}

// cdata reads a CDATA section (at "<![CDATA[") and returns its content.
func (s *xmlScanner) cdata() []byte {
	end := bytes.Index(s.b[s.i:], []byte("]]>"))
	if end < 0 {
		s.ok = false
		return nil
	}
	c := s.b[s.i+len("<![CDATA[") : s.i+end]
	s.i += end + 3
	return c
}

func (s *xmlScanner) has(p string) bool {
	return s.ok && bytes.HasPrefix(s.b[s.i:], []byte(p))
}

func (s *xmlScanner) skipSpace() {
	for s.i < len(s.b) && isXMLSpace(s.b[s.i]) {
		s.i++
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// comment skips a comment (at "<!--").
func (s *xmlScanner) comment() {
	end := bytes.Index(s.b[s.i+4:], []byte("--"))
	if end < 0 || !bytes.HasPrefix(s.b[s.i+4+end:], []byte("-->")) {
		s.ok = false
		return
	}
	s.i += 4 + end + 3
}

type xmlAttr struct{ name, value string }

// name reads an XML name of the ASCII letters, digits and punctuation
// names are made of, with at most one colon.
func (s *xmlScanner) name() string {
	start := s.i
	colons := 0
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9', c == '-', c == '.':
			if s.i == start {
				s.ok = false
				return ""
			}
		case c == ':':
			colons++
		default:
			if s.i == start || colons > 1 || s.b[start] == ':' || s.b[s.i-1] == ':' {
				s.ok = false
				return ""
			}
			return string(s.b[start:s.i])
		}
		s.i++
	}
	s.ok = false
	return ""
}

// startTag reads a start tag (at "<"): its name, its attributes and
// whether it closes itself. Attribute values must be quoted and hold no
// '<'; one holding '&' is refused when it is an xmlns.
func (s *xmlScanner) startTag() (name string, attrs []xmlAttr, empty bool) {
	s.i++
	name = s.name()
	for s.ok {
		sp := s.i
		s.skipSpace()
		switch {
		case s.has("/>"):
			s.i += 2
			return name, attrs, true
		case s.has(">"):
			s.i++
			return name, attrs, false
		}
		if s.i == sp {
			s.ok = false // attributes are separated by white space
			break
		}
		a := s.name()
		if !s.ok || !s.has("=") {
			s.ok = false
			break
		}
		s.i++
		if s.i >= len(s.b) || s.b[s.i] != '"' && s.b[s.i] != '\'' {
			s.ok = false
			break
		}
		q := s.b[s.i]
		end := bytes.IndexByte(s.b[s.i+1:], q)
		if end < 0 {
			s.ok = false
			break
		}
		v := s.b[s.i+1 : s.i+1+end]
		if bytes.IndexByte(v, '<') >= 0 || bytes.IndexByte(v, '&') >= 0 && strings.HasPrefix(a, "xmlns") {
			s.ok = false
			break
		}
		s.i += end + 2
		attrs = append(attrs, xmlAttr{a, string(v)})
	}
	return "", nil, false
}

// endTag reads an end tag (at "</") and returns its name.
func (s *xmlScanner) endTag() string {
	s.i += 2
	name := s.name()
	s.skipSpace()
	if !s.has(">") {
		s.ok = false
		return ""
	}
	s.i++
	return name
}

// skip skips the rest of an element whose start tag (not self-closing)
// was read: its text, comments, CDATA sections and elements.
func (s *xmlScanner) skip(name string) {
	stack := []string{name}
	for s.ok && len(stack) > 0 {
		if !s.toTag() {
			return
		}
		switch {
		case s.has("<![CDATA["):
			s.cdata()
		case s.has("<!--"):
			s.comment()
		case s.has("</"):
			if s.endTag() != stack[len(stack)-1] {
				s.ok = false
				return
			}
			stack = stack[:len(stack)-1]
		case s.has("<?"), s.has("<!"):
			s.ok = false
		default:
			n, attrs, empty := s.startTag()
			if hasXmlns(attrs) {
				s.ok = false
			}
			if !empty {
				stack = append(stack, n)
			}
		}
	}
}

func hasXmlns(attrs []xmlAttr) bool {
	for _, a := range attrs {
		if a.name == "xmlns" || strings.HasPrefix(a.name, "xmlns:") {
			return true
		}
	}
	return false
}

// inner reads the content of an element whose start tag was read, up to
// its end tag: text and CDATA sections only. It returns the raw content
// (what gofeed reads as innerxml).
func (s *xmlScanner) inner(name string) []byte {
	raw, _ := s.innerCDATA(name)
	return raw
}

// innerCDATA is inner, and when the content is one CDATA section between
// white space (text as WordPress writes it), that section's content.
func (s *xmlScanner) innerCDATA(name string) (raw, cdata []byte) {
	start := s.i
	sections, text := 0, false
	for s.ok {
		from := s.i
		if !s.toTag() {
			break
		}
		if len(bytes.TrimLeft(s.b[from:s.i], " \t\r\n")) > 0 {
			text = true
		}
		if s.has("<![CDATA[") {
			cdata = s.cdata()
			sections++
			continue
		}
		if !s.has("</") {
			s.ok = false // markup inside the text: gofeed keeps it raw
			break
		}
		end := s.i
		if s.endTag() != name {
			s.ok = false
			break
		}
		if sections != 1 || text {
			cdata = nil
		}
		return s.b[start:end], cdata
	}
	return nil, nil
}

// children walks the children of the element end (its start tag read) up
// to its end tag, handing each child element's start to child. Comments
// are skipped, and CDATA sections too where text is allowed; anything else
// (a processing instruction, a doctype, another end tag) fails the scan.
func (s *xmlScanner) children(end string, text bool, child func()) {
	for s.ok {
		if !s.toTag() {
			return
		}
		switch {
		case text && s.has("<![CDATA["):
			s.cdata()
		case s.has("<!--"):
			s.comment()
		case s.has("</"):
			if s.endTag() != end {
				s.ok = false
			}
			return
		case s.has("<?"), s.has("<!"):
			s.ok = false
		default:
			child()
		}
	}
}

// channel reads the channel's children (its start tag read) up to its end
// tag and returns its items.
func (s *xmlScanner) channel() []fastItem {
	var items []fastItem
	s.children("channel", false, func() {
		name, attrs, empty := s.startTag()
		_, local := splitName(name)
		switch {
		case !s.ok || hasXmlns(attrs):
			s.ok = false
		case name == "item" && !empty:
			items = append(items, s.item())
		case strings.EqualFold(local, "item"):
			s.ok = false // <Item>, <rss:item>, <item/>: gofeed's rules are its own
		case !empty:
			s.skip(name)
		}
	})
	return items
}

func splitName(name string) (prefix, local string) {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// item reads an item's children (its start tag read) up to its end tag.
func (s *xmlScanner) item() fastItem {
	var it fastItem
	s.children("item", true, func() { s.child(&it) })
	return it
}

// child reads one child element of an item.
func (s *xmlScanner) child(it *fastItem) {
	name, attrs, empty := s.startTag()
	if !s.ok || hasXmlns(attrs) {
		s.ok = false
		return
	}
	prefix, local := splitName(name)
	text := func() (string, bool) {
		if empty {
			return "", true
		}
		raw, cdata := s.innerCDATA(name)
		if cdata != nil {
			return string(cdata), s.ok // the usual case: one section, taken verbatim
		}
		return parseText(raw)
	}
	var ok = true
	switch {
	case prefix == "":
		switch strings.ToLower(local) {
		case "title":
			it.title, ok = text()
		case "description":
			it.desc, ok = text()
		case "link":
			if len(attrs) > 0 {
				ok = false // gofeed reads an href; not worth the trouble here
				break
			}
			var l string
			if l, ok = text(); ok {
				it.links = append(it.links, l)
			}
		case "author":
			it.author, ok = text()
		case "guid":
			g := &rss.GUID{IsPermalink: "true"}
			for _, a := range attrs {
				switch a.name {
				case "isPermaLink":
					g.IsPermalink = a.value
				case "isPermalink":
					if !hasAttr(attrs, "isPermaLink") {
						g.IsPermalink = a.value
					}
				}
				if strings.Contains(a.name, ":") || strings.IndexByte(a.value, '&') >= 0 || a.value == "" {
					ok = false // prefixed, encoded or empty: gofeed's rules are its own
				}
			}
			if ok {
				g.Value, ok = text()
				it.guid = g
			}
		case "enclosure":
			// gofeed reads the url, type and length attributes and skips
			// what is inside.
			var e rawEnclosure
			if e, ok = enclosureAttrs(local, attrs); ok {
				if !empty {
					s.skip(name)
				}
				it.enclosures = append(it.enclosures, e)
			}
		case "pubdate":
			// gofeed keeps the last date it could read, with the last
			// text: with two, they may differ.
			ok = !it.hasDate
			it.hasDate = true
			if ok {
				it.pubDate, ok = text()
			}
		default:
			if !empty {
				s.skip(name) // gofeed keeps it in Custom, which nothing reads
			}
		}
	case s.namespace(prefix) == contentNS && strings.EqualFold(local, "encoded") && prefix == "content":
		it.content, ok = text()
	case s.namespace(prefix) == dcNS && local == "creator" && prefix == "dc":
		if !empty {
			var v []byte
			v, ok = charData(s.inner(name))
			if ok && !it.hasCreator {
				it.creator, it.hasCreator = string(v), true
			}
		} else if !it.hasCreator {
			it.hasCreator = true
		}
	case s.harmless(prefix):
		if !empty {
			s.skip(name)
		}
	default:
		ok = false
	}
	if !ok {
		s.ok = false
	}
}

// enclosureAttrs reads an <enclosure>'s attributes as gofeed does: url,
// type and length, their references decoded. ok is false for what its
// reading may differ on: another spelling of the element's name, a
// prefixed or repeated attribute, a reference decodeRefs does not read.
func enclosureAttrs(local string, attrs []xmlAttr) (e rawEnclosure, ok bool) {
	if local != "enclosure" {
		return e, false
	}
	seen := map[string]bool{}
	for _, a := range attrs {
		if strings.Contains(a.name, ":") || seen[a.name] {
			return e, false
		}
		seen[a.name] = true
		v, ok := decodeRefs([]byte(a.value), true)
		if !ok {
			return e, false
		}
		switch a.name {
		case "url":
			e.url = v
		case "type":
			e.typ = v
		case "length":
			e.length = v
		}
	}
	return e, true
}

func hasAttr(attrs []xmlAttr, name string) bool {
	for _, a := range attrs {
		if a.name == name {
			return true
		}
	}
	return false
}

// namespace returns the namespace the root bound prefix to, "" if none.
func (s *xmlScanner) namespace(prefix string) string { return s.ns[prefix] }

// harmless reports whether gofeed files the elements of prefix under an
// extension nothing reads: the prefix is bound by the root, to a namespace
// that is none of those read, and is not itself the name of one.
func (s *xmlScanner) harmless(prefix string) bool {
	ns, ok := s.ns[prefix]
	ns = strings.TrimSpace(ns)
	if !ok || ns == "" || usedNamespaces[ns] || strings.HasPrefix(strings.ToLower(prefix), "xml") {
		return false
	}
	// gofeed files an element under the first prefix bound to its
	// namespace: none of them may be one that is read.
	for p, n := range s.ns {
		if strings.TrimSpace(n) == ns && usedExtensions[p] {
			return false
		}
	}
	return true
}

// item makes the item rssItems would make of gofeed's reading.
func (f *fastItem) item(base *url.URL) (item, bool) {
	it := item{base: base}
	if f.guid != nil {
		it.guid = f.guid.Value
	}
	if f.pubDate != "" {
		// gofeed tries RFC 1123 with a numeric zone fourth, after three
		// layouts no such date can match; any other form goes to gofeed.
		t, err := time.Parse(time.RFC1123Z, strings.TrimSpace(f.pubDate))
		if err != nil {
			return it, false
		}
		t = t.UTC()
		it.published, it.publishedRaw = &t, f.pubDate
	}
	it.title = titleOr(fragment{f.title, htmlText}, nil)
	it.summary = summaryOr(fragment{f.desc, htmlText}, nil)
	if strings.TrimSpace(f.content) != "" {
		it.content = fragment{f.content, htmlText}
	}
	// gofeed's author: <author> when it says something, else dc:creator,
	// read as "name (email)" and the like; only a plain name is taken
	// here.
	switch {
	case f.author != "":
		if strings.ContainsAny(f.author, "@()") {
			return it, false
		}
		it.author = fragment{f.author, htmlText}
	case f.hasCreator:
		if strings.ContainsAny(f.creator, "@()") {
			return it, false
		}
		it.author = fragment{f.creator, htmlText}
	}
	it.link = rssLink(&rss.Item{Links: f.links, GUID: f.guid}, base)
	it.enclosures = f.enclosures
	return it, true
}

// parseText is gofeed's reading of an element's text from its raw content:
// trimmed, CDATA sections verbatim and the text around them decoded. ok is
// false for a reference it does not decode exactly as gofeed does.
func parseText(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if !bytes.Contains(raw, []byte("<![CDATA[")) {
		return decodeRefs(raw, false)
	}
	if inner, ok := bytes.CutPrefix(raw, []byte("<![CDATA[")); ok {
		if end := bytes.Index(inner, []byte("]]>")); end == len(inner)-3 {
			return string(inner[:end]), true // one section, the usual case
		}
	}
	b, ok := joinText(raw, false)
	return string(b), ok
}

// charData is encoding/xml's character data of an element's raw content
// (text and CDATA sections): references decoded, line ends normalised to
// "\n", trimmed, as gofeed reads an extension element's value.
func charData(raw []byte) ([]byte, bool) {
	out, ok := joinText(raw, true)
	if !ok {
		return nil, false
	}
	out = bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n"))
	out = bytes.ReplaceAll(out, []byte("\r"), []byte("\n"))
	return bytes.TrimSpace(out), true
}

// joinText joins raw content's text, its references decoded (decodeRefs,
// crlf as given), and its CDATA sections, verbatim.
func joinText(raw []byte, crlf bool) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	for len(raw) > 0 {
		i := bytes.Index(raw, []byte("<![CDATA["))
		if i < 0 {
			i = len(raw)
		}
		t, ok := decodeRefs(raw[:i], crlf)
		if !ok {
			return nil, false
		}
		out = append(out, t...)
		if i == len(raw) {
			break
		}
		raw = raw[i+len("<![CDATA["):]
		end := bytes.Index(raw, []byte("]]>"))
		if end < 0 {
			return nil, false
		}
		out = append(out, raw[:end]...)
		raw = raw[end+3:]
	}
	return out, true
}

// decodeRefs decodes the references of text: the five XML entities and
// numeric references to printable characters outside U+007F–U+009F, which
// HTML (gofeed's text) and XML (its extension values) decode alike. Any
// other '&' makes ok false. crlf normalises the line ends of the text
// around them.
func decodeRefs(text []byte, crlf bool) (string, bool) {
	if bytes.IndexByte(text, '&') < 0 {
		if crlf {
			text = bytes.ReplaceAll(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		}
		return string(text), true
	}
	var b strings.Builder
	b.Grow(len(text))
	for len(text) > 0 {
		i := bytes.IndexByte(text, '&')
		if i < 0 {
			b.Write(text)
			break
		}
		b.Write(text[:i])
		text = text[i:]
		end := bytes.IndexByte(text, ';')
		if end < 0 || end > 12 {
			return "", false
		}
		ref := string(text[1:end])
		text = text[end+1:]
		switch ref {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			r, ok := numericRef(ref)
			if !ok {
				return "", false
			}
			b.WriteRune(r)
		}
	}
	if crlf {
		// the references' own characters are never CR (see numericRef)
		s := b.String()
		return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), true
	}
	return b.String(), true
}

// numericRef reads "#8217" or "#x2019" as a printable character outside
// U+007F–U+009F (which HTML reads as windows-1252) that XML allows; ok is
// false for anything else.
func numericRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if digits == "" || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil {
		return 0, false
	}
	r := rune(n)
	if r < 0x20 || r >= 0x7F && r < 0xA0 || r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF || r == 0xFFFE || r == 0xFFFF {
		return 0, false
	}
	return r, true
}
