// Package htmlclean turns the HTML of a feed item into what steppe keeps of
// it, in one pass of golang.org/x/net/html's tokenizer (Cleaner): the plain
// text, for search and summaries, and the sanitised HTML that the reader
// renders; and it makes titles and summaries of that text. The HTML is
// decoded once, here; every text node is cleaned with sanitize.Text after
// that decoding. It parses HTML only: it knows nothing of feed formats, of
// storage or of terminals.
//
// The sanitised HTML holds only these elements, always closed and properly
// nested: p br hr h1–h6 ul ol li blockquote pre code em strong a img figure
// figcaption table thead tbody tr th td dl dt dd sub sup del. Attributes:
// href on a, src and alt on img (absolute http(s) URLs, resolved against the
// base), start on ol. Void elements are written <br/>, <hr/>, <img …/>.
// Embedded frames, objects, video and audio become "[video: URL]"
// paragraphs. Check holds a body to this contract.
package htmlclean

import (
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// maxDepth caps the nesting of the sanitised HTML; deeper elements are
// unwrapped (their text stays).
const maxDepth = 64

// element classes of the output
const (
	clsInline    = 1 << iota // a em strong code sub sup del
	clsFlowRoot              // blockquote: inline content needs a <p>
	clsContainer             // li td th dt dd figcaption: end a paragraph's search
)

// classOf returns the class of an output element.
func classOf(name string) int {
	switch name {
	case "a", "em", "strong", "code", "sub", "sup", "del":
		return clsInline
	case "blockquote":
		return clsFlowRoot | clsContainer
	case "li", "td", "th", "dt", "dd", "figcaption", "figure":
		return clsContainer
	}
	return 0
}

// inlineAs returns the element written for an inline input element, or "".
func inlineAs(name string) string {
	switch name {
	case "b", "strong":
		return "strong"
	case "i", "em", "cite", "dfn":
		return "em"
	case "s", "strike", "del":
		return "del"
	case "code", "tt", "kbd", "samp", "var":
		return "code"
	case "sub", "sup":
		return name
	}
	return ""
}

// blockAs returns the element written for a block input element, or "".
func blockAs(name string) string {
	switch name {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
		"figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd":
		return name
	case "menu", "dir":
		return "ul"
	case "xmp", "listing", "plaintext":
		return "pre"
	case "tfoot":
		return "tbody"
	}
	return ""
}

// isBoundary reports whether an input element, not written itself,
// separates paragraphs: its start and end close an open paragraph.
func isBoundary(name string) bool {
	switch name {
	case "div", "section", "article", "header", "footer", "main", "aside", "nav", "center",
		"address", "details", "summary", "hgroup", "fieldset", "legend", "form", "body", "html",
		"dialog", "search", "caption":
		return true
	}
	return false
}

// isSkipped reports whether an input element's content never becomes text.
func isSkipped(name string) bool {
	switch name {
	case "script", "style", "template", "noscript", "head", "title", "svg", "math", "select",
		"datalist", "canvas", "map", "noembed", "noframes", "frameset":
		return true
	}
	return false
}

// isRawText reports whether the tokenizer reads an element's content as
// raw text, up to its end tag, even when its start tag is self-closed.
func isRawText(name string) bool {
	switch name {
	case "script", "style", "noscript", "noembed", "noframes", "title", "textarea", "xmp", "iframe", "plaintext":
		return true
	}
	return false
}

// embedKind names what a placeholder stands for, "" for other elements.
func embedKind(name string) string {
	switch name {
	case "iframe", "frame":
		return "embedded frame"
	case "video", "audio":
		return name
	case "object", "embed", "applet":
		return "object"
	}
	return ""
}

// textWriter accumulates plain text: words with the strongest separator
// asked for between them (a space, a line break or a blank line).
type textWriter struct {
	b    []byte
	sep  int  // 0 none, 1 space, 2 line, 3 paragraph
	flat bool // one line: every separator is a space
}

func (w *textWriter) brk(level int) {
	w.sep = max(w.sep, level)
}

// lineBreak is a <br>: a line break, and a blank line when it follows
// another one.
func (w *textWriter) lineBreak() {
	if w.sep >= 2 {
		w.sep = 3
	} else {
		w.sep = 2
	}
}

func (w *textWriter) word(s string) {
	if len(w.b) > 0 {
		switch {
		case w.sep > 0 && w.flat:
			w.b = append(w.b, ' ')
		case w.sep == 1:
			w.b = append(w.b, ' ')
		case w.sep == 2:
			w.b = append(w.b, '\n')
		case w.sep == 3:
			w.b = append(w.b, '\n', '\n')
		}
	}
	w.sep = 0
	w.b = append(w.b, s...)
}

// opened is an element written to the output and not yet closed.
type opened struct {
	name    string
	at      int // len(out) before its start tag
	content int // Cleaner.content when it opened
}

// Cleaner holds the state of one HTML-to-text/HTML pass. Its zero value
// is ready to use; one Cleaner serves every item of a feed, one item at a
// time (its buffers are reused), and is not safe for concurrent use.
type Cleaner struct {
	base     *url.URL // resolves relative href and src
	wantHTML bool

	out     []byte // sanitised HTML
	stack   []opened
	content int  // text, images and placeholders written so far
	space   bool // white space came since the last word
	fresh   bool // nothing written in the current block yet
	text    textWriter

	skip      string // the element whose content is being skipped
	skipDepth int
	embed     string // the element being collected for a placeholder
	embedURL  string
	pre       int // depth inside pre
}

// Body parses src as HTML once and returns it as sanitised HTML and as
// plain text cleaned with sanitize.Lines. Relative href and src values
// resolve against base (with a nil base they are dropped). xhtml says src
// is XHTML markup: CDATA sections are text there, and element names lose
// their namespace prefix.
func (c *Cleaner) Body(src string, xhtml bool, base *url.URL) (body, text string) {
	c.reset(base, true)
	if len(src) >= bigOut {
		// Sized once: growing by doubling to a big article's size held
		// about twice it at each step.
		c.out = slices.Grow(c.out, len(src))
		c.text.b = slices.Grow(c.text.b, len(src))
	}
	c.convert(src, xhtml)
	return c.body(), c.plain()
}

// Line returns the text of src, parsed as HTML once (as XHTML when xhtml),
// as one line cleaned with sanitize.Line. Embedded frames, objects, video
// and audio leave no placeholder in it.
func (c *Cleaner) Line(src string, xhtml bool) string {
	if !strings.Contains(src, "<") {
		// HTML without markup: decoding its references is all a parse
		// would do.
		return sanitize.Line(html.UnescapeString(src))
	}
	c.reset(nil, false)
	c.convert(src, xhtml)
	return sanitize.Line(string(c.text.b))
}

func (c *Cleaner) reset(base *url.URL, wantHTML bool) {
	c.base, c.wantHTML = base, wantHTML
	c.out = c.out[:0]
	c.stack = c.stack[:0]
	c.content, c.space, c.fresh = 0, false, true
	c.text.b, c.text.sep, c.text.flat = c.text.b[:0], 0, !wantHTML
	c.skip, c.skipDepth, c.embed, c.embedURL, c.pre = "", 0, "", "", 0
}

// convert runs the pass over src. xhtml says src is XHTML markup (CDATA
// sections are text there).
func (c *Cleaner) convert(src string, xhtml bool) {
	z := html.NewTokenizer(strings.NewReader(src))
	z.AllowCDATA(xhtml)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			c.finish()
			return
		case html.TextToken:
			c.onText(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			c.onStart(z, localName(name, xhtml), hasAttr, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.onEnd(localName(name, xhtml))
		}
	}
}

// localName drops the namespace prefix of an XHTML element name
// ("xhtml:p" is p).
func localName(name []byte, xhtml bool) string {
	if xhtml {
		if i := bytes.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
	}
	return string(name)
}

// body returns the sanitised HTML written so far.
func (c *Cleaner) body() string { return handOver(&c.out) }

// plain returns the plain text written so far, cleaned for storing.
func (c *Cleaner) plain() string { return sanitize.Lines(handOver(&c.text.b)) }

// bigOut is the size from which a pass's output becomes the string
// returned as it is, rather than a copy of a buffer kept for the next item.
const bigOut = 64 << 10

// handOver returns *b as a string: a copy when it is small (the buffer
// serves the next item), else *b itself, which the Cleaner then lets go
// (*b = nil), so that a big article is not held twice.
func handOver(b *[]byte) string {
	if len(*b) < bigOut {
		return string(*b)
	}
	s := unsafe.String(unsafe.SliceData(*b), len(*b))
	*b = nil
	return s
}

func (c *Cleaner) finish() {
	if c.embed != "" {
		c.placeholder()
	}
	c.popTo(0)
}

// tagAttrs are the attributes the Cleaner cares about.
type tagAttrs struct {
	href, src, alt, start, data, name, value, class, srcset, lazy string
	width, height                                                 string
}

func readAttrs(z *html.Tokenizer, has bool) tagAttrs {
	var a tagAttrs
	for has {
		var k, v []byte
		k, v, has = z.TagAttr()
		switch string(k) {
		case "href":
			a.href = string(v)
		case "src":
			a.src = string(v)
		case "alt":
			a.alt = string(v)
		case "start":
			a.start = string(v)
		case "data":
			a.data = string(v)
		case "name":
			a.name = string(v)
		case "value":
			a.value = string(v)
		case "class":
			a.class = string(v)
		case "srcset":
			a.srcset = string(v)
		case "width":
			a.width = string(v)
		case "height":
			a.height = string(v)
		case "data-src", "data-lazy-src", "data-original":
			if a.lazy == "" {
				a.lazy = string(v)
			}
		}
	}
	return a
}

func (c *Cleaner) onText(t []byte) {
	if c.skip != "" || c.embed != "" {
		return
	}
	if c.pre > 0 {
		s := string(t)
		if strings.IndexByte(s, '\t') >= 0 {
			s = strings.ReplaceAll(s, "\t", "    ")
		}
		s = sanitize.Text(s, true)
		if s == "" {
			return
		}
		c.ensureFlow()
		c.writeEscaped(s)
		c.text.word(s)
		if strings.TrimSpace(s) != "" {
			c.content++
		}
		return
	}
	s := sanitize.Text(string(t), false)
	for s != "" {
		i := 0
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i > 0 {
			c.space = true
			c.text.brk(1)
			s = s[i:]
			continue
		}
		for i < len(s) && !isHTMLSpace(s[i]) {
			i++
		}
		c.word(s[:i])
		s = s[i:]
	}
}

// isHTMLSpace reports whether c is HTML's white space (all ASCII, so a
// byte of UTF-8 text can be tested alone).
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// isASCIISpace reports whether c is an ASCII byte unicode.IsSpace calls
// white space: \t \n \v \f \r and the space.
func isASCIISpace(c byte) bool {
	return c == ' ' || c >= '\t' && c <= '\r'
}

// word writes one word of flowing text; a "word" of no-break spaces only
// (&nbsp;) is white space.
func (c *Cleaner) word(w string) {
	// (A word that starts with a printable ASCII character is no space.)
	if (w[0] >= utf8.RuneSelf || isASCIISpace(w[0])) && strings.TrimFunc(w, unicode.IsSpace) == "" {
		c.space = true
		c.text.brk(1)
		return
	}
	c.ensureFlow()
	if c.space && !c.fresh && c.wantHTML {
		c.out = append(c.out, ' ')
	}
	c.space, c.fresh = false, false
	c.writeEscaped(w)
	c.text.word(w)
	c.content++
}

func (c *Cleaner) writeEscaped(s string) {
	if !c.wantHTML {
		return
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			c.out = append(c.out, "&amp;"...)
		case '<':
			c.out = append(c.out, "&lt;"...)
		case '>':
			c.out = append(c.out, "&gt;"...)
		default:
			c.out = append(c.out, s[i])
		}
	}
}

func (c *Cleaner) writeAttr(name, val string) {
	c.out = append(c.out, ' ')
	c.out = append(c.out, name...)
	c.out = append(c.out, '=', '"')
	c.out = append(c.out, html.EscapeString(val)...)
	c.out = append(c.out, '"')
}

// top returns the innermost open element, "" at the root.
func (c *Cleaner) top() string {
	if len(c.stack) == 0 {
		return ""
	}
	return c.stack[len(c.stack)-1].name
}

// ensureFlow opens a paragraph when inline content arrives where only
// blocks belong (the root, a blockquote).
func (c *Cleaner) ensureFlow() {
	if t := c.top(); (t == "" || classOf(t)&clsFlowRoot != 0) && len(c.stack) < maxDepth {
		c.open("p", "")
	}
}

// open writes a start tag (attrs already formatted) and pushes it.
func (c *Cleaner) open(name, attrs string) {
	c.stack = append(c.stack, opened{name: name, at: len(c.out), content: c.content})
	if c.wantHTML {
		c.out = append(c.out, '<')
		c.out = append(c.out, name...)
		c.out = append(c.out, attrs...)
		c.out = append(c.out, '>')
	}
	if classOf(name)&clsInline == 0 {
		c.space, c.fresh = false, true
	}
	if name == "pre" {
		c.pre++
	}
}

// pop closes the innermost element; one that got no content is taken out
// of the output whole (empty paragraphs, links around nothing).
func (c *Cleaner) pop() {
	e := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	if e.name == "pre" {
		c.pre--
	}
	if classOf(e.name)&clsInline == 0 {
		c.space, c.fresh = false, true
	}
	if !c.wantHTML {
		return
	}
	if c.content == e.content && e.name != "td" && e.name != "th" {
		c.out = c.out[:e.at]
		return
	}
	c.out = append(c.out, '<', '/')
	c.out = append(c.out, e.name...)
	c.out = append(c.out, '>')
}

// popTo closes elements until n remain open.
func (c *Cleaner) popTo(n int) {
	for len(c.stack) > n {
		c.pop()
	}
}

// find returns the index of the innermost open element named one of names,
// searching no further out than an element stop accepts; -1 if there is
// none.
func (c *Cleaner) find(names []string, stop func(string) bool) int {
	for i := len(c.stack) - 1; i >= 0; i-- {
		n := c.stack[i].name
		if slices.Contains(names, n) {
			return i
		}
		if stop(n) {
			return -1
		}
	}
	return -1
}

// The limits of find.
func notInline(n string) bool   { return classOf(n)&clsInline == 0 }
func isContainer(n string) bool { return classOf(n)&clsContainer != 0 }
func isList(n string) bool      { return n == "ul" || n == "ol" }
func isDL(n string) bool        { return n == "dl" }
func isTable(n string) bool     { return n == "table" }
func isRowGroup(n string) bool  { return n == "table" || n == "thead" || n == "tbody" }
func isRow(n string) bool       { return n == "table" || n == "tr" }
func nowhere(string) bool       { return false }

var headings = []string{"h1", "h2", "h3", "h4", "h5", "h6"}

// closeP closes the open paragraph (or heading-level inline run) that a
// block start or end ends: the inline elements on top, then a p.
func (c *Cleaner) closeP() {
	n := len(c.stack)
	for n > 0 && classOf(c.stack[n-1].name)&clsInline != 0 {
		n--
	}
	if n > 0 && c.stack[n-1].name == "p" {
		n--
	}
	c.popTo(n)
	c.text.brk(3)
}

// closeTo closes elements down to and including the innermost one named
// one of names, if there is one within the limits find takes.
func (c *Cleaner) closeTo(names []string, stop func(string) bool) {
	if i := c.find(names, stop); i >= 0 {
		c.popTo(i)
	}
}

func (c *Cleaner) onStart(z *html.Tokenizer, name string, hasAttr, selfClosing bool) {
	if c.skip != "" {
		if name == c.skip && !selfClosing {
			c.skipDepth++
		}
		return
	}
	if c.embed != "" {
		// Inside video, audio or object: the first usable source wins.
		if name == c.embed && !selfClosing {
			c.skipDepth++
		}
		if c.embedURL == "" {
			a := readAttrs(z, hasAttr)
			switch name {
			case "source", "embed", "iframe", "video", "audio":
				c.embedURL = sanitize.Link(a.src, c.base)
			case "param":
				if n := strings.ToLower(a.name); n == "movie" || n == "src" || n == "url" {
					c.embedURL = sanitize.Link(a.value, c.base)
				}
			}
		}
		return
	}
	if isSkipped(name) {
		// "<script/>" is no empty script: the tokenizer reads what follows
		// as the script's raw text, as browsers do.
		if !selfClosing || isRawText(name) {
			c.skip, c.skipDepth = name, 1
		}
		return
	}
	if embedKind(name) != "" {
		a := readAttrs(z, hasAttr)
		u := a.src
		if name == "object" {
			u = a.data
		}
		c.embed, c.embedURL, c.skipDepth = name, sanitize.Link(u, c.base), 1
		if selfClosing || name == "embed" || name == "frame" {
			if name == "iframe" {
				z.NextIsNotRawText()
			}
			c.placeholder()
		}
		return
	}
	if as := inlineAs(name); as != "" {
		c.openInline(as, "")
		return
	}
	switch name {
	case "a":
		a := readAttrs(z, hasAttr)
		c.closeTo([]string{"a"}, notInline)
		if href := sanitize.Link(a.href, c.base); href != "" {
			var attrs strings.Builder
			attrs.WriteString(` href="`)
			attrs.WriteString(html.EscapeString(href))
			attrs.WriteByte('"')
			c.openInline("a", attrs.String())
		}
		return
	case "img":
		c.image(readAttrs(z, hasAttr))
		return
	case "br":
		c.ensureFlow()
		if c.wantHTML {
			c.out = append(c.out, "<br/>"...)
		}
		c.space, c.fresh = false, true
		c.text.lineBreak()
		return
	case "hr":
		c.closeP()
		if c.wantHTML {
			c.out = append(c.out, "<hr/>"...)
		}
		c.content++
		return
	case "q":
		c.word("“")
		return
	}
	if isBoundary(name) {
		c.closeP()
		return
	}
	as := blockAs(name)
	if as == "" || selfClosing {
		return // unknown or void: unwrapped, its text stays
	}
	start := ""
	if as == "ol" {
		start = readAttrs(z, hasAttr).start
	}
	c.startBlock(as, start)
}

func (c *Cleaner) openInline(name, attrs string) {
	if len(c.stack) >= maxDepth {
		return
	}
	c.ensureFlow()
	c.spaceBefore()
	c.open(name, attrs)
}

// spaceBefore writes a due space before an inline element starts, so that
// "a <b>b</b>" keeps its space outside the element.
func (c *Cleaner) spaceBefore() {
	if c.space && !c.fresh && c.wantHTML {
		c.out = append(c.out, ' ')
		c.space = false
	}
}

// startBlock opens a block element; start is an ol's start attribute.
func (c *Cleaner) startBlock(name, start string) {
	switch name {
	case "li":
		c.closeTo([]string{"li"}, isList)
		c.text.brk(2)
	case "dt", "dd":
		c.closeTo([]string{"dt", "dd"}, isDL)
		c.text.brk(2)
	case "tr":
		c.closeTo([]string{"tr"}, isRowGroup)
		c.text.brk(2)
	case "td", "th":
		c.closeTo([]string{"td", "th"}, isRow)
		c.text.brk(1)
	case "thead", "tbody":
		c.closeTo([]string{"thead", "tbody"}, isTable)
	case "figcaption":
		c.closeP()
		c.text.brk(2)
	default:
		c.closeP()
		if slices.Contains(headings, name) {
			c.closeTo(headings, isContainer)
		}
	}
	if len(c.stack) >= maxDepth {
		return
	}
	attrs := ""
	if start != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(start)); err == nil && n >= 0 && n < 1e9 {
			attrs = ` start="` + strconv.Itoa(n) + `"`
		}
	}
	c.open(name, attrs)
}

func (c *Cleaner) onEnd(name string) {
	if c.skip != "" {
		if name == c.skip {
			c.skipDepth--
			if c.skipDepth == 0 {
				c.skip = ""
			}
		}
		return
	}
	if c.embed != "" {
		if name == c.embed {
			c.skipDepth--
			if c.skipDepth == 0 {
				c.placeholder()
			}
		}
		return
	}
	if as := inlineAs(name); as != "" {
		c.closeTo([]string{as}, notInline)
		return
	}
	switch name {
	case "a":
		c.closeTo([]string{"a"}, notInline)
		return
	case "q":
		c.space = false
		if c.text.sep == 1 {
			c.text.sep = 0
		}
		c.word("”")
		return
	case "br":
		// </br> is read as <br> by browsers.
		c.text.lineBreak()
		if c.wantHTML && len(c.stack) > 0 {
			c.out = append(c.out, "<br/>"...)
		}
		return
	}
	if isBoundary(name) {
		c.closeP()
		return
	}
	as := blockAs(name)
	if as == "" {
		return
	}
	switch as {
	case "p":
		c.closeP()
	case "li":
		c.closeTo([]string{"li"}, isList)
	case "dt", "dd":
		c.closeTo([]string{as}, isDL)
	case "td", "th", "tr", "thead", "tbody":
		c.closeTo([]string{as}, isTable)
	case "h1", "h2", "h3", "h4", "h5", "h6":
		c.closeTo(headings, isContainer)
	default:
		c.closeTo([]string{as}, nowhere)
	}
	c.text.brk(3)
	if as == "td" || as == "th" {
		c.text.brk(1)
	}
}

// image writes an img with a usable source; an emoji picture (WordPress
// turns emoji into images in feeds) becomes its text again.
func (c *Cleaner) image(a tagAttrs) {
	alt := sanitize.Text(a.alt, false)
	if alt != "" && utf8.RuneCountInString(alt) <= 4 &&
		(strings.Contains(a.class, "emoji") || strings.Contains(a.class, "smiley") || strings.Contains(a.src, "/emoji/")) {
		c.word(alt)
		return
	}
	if tiny(a.width) && tiny(a.height) {
		return // a tracking pixel
	}
	src := a.src
	if src == "" || strings.HasPrefix(strings.TrimSpace(strings.ToLower(src)), "data:") {
		src = a.lazy
		if src == "" && a.srcset != "" {
			src, _, _ = strings.Cut(strings.TrimSpace(a.srcset), " ")
		}
	}
	u := sanitize.Link(src, c.base)
	if u == "" {
		return
	}
	c.ensureFlow()
	c.spaceBefore()
	if c.wantHTML {
		c.out = append(c.out, "<img"...)
		c.writeAttr("src", u)
		c.writeAttr("alt", strings.Join(strings.Fields(alt), " "))
		c.out = append(c.out, "/>"...)
	}
	c.content++
	c.fresh = false
}

// tiny reports whether an image dimension is 0 or 1 pixel.
func tiny(d string) bool {
	d = strings.TrimSuffix(strings.TrimSpace(d), "px")
	return d == "0" || d == "1"
}

// placeholder writes what stands for an embedded frame, object, video or
// audio: "[video: URL]" with the URL linked, or "[video]" without a usable
// URL, as a paragraph of its own; the text around it stays.
func (c *Cleaner) placeholder() {
	kind, u := embedKind(c.embed), c.embedURL
	c.embed, c.embedURL, c.skipDepth = "", "", 0
	// Out of any paragraph, heading or inline run: up to a container.
	n := len(c.stack)
	for n > 0 && classOf(c.stack[n-1].name)&clsContainer == 0 {
		n--
	}
	c.popTo(n)
	c.text.brk(3)
	label := "[" + kind
	if u != "" {
		label += ": " + u
	}
	label += "]"
	c.content++
	if !c.wantHTML {
		return // one-line text (titles, summaries) has no placeholders
	}
	c.text.word(label)
	c.text.brk(3)
	c.out = append(c.out, "<p>["...)
	c.out = append(c.out, kind...)
	if u != "" {
		c.out = append(c.out, ": <a"...)
		c.writeAttr("href", u)
		c.out = append(c.out, '>')
		c.writeEscaped(u)
		c.out = append(c.out, "</a>"...)
	}
	c.out = append(c.out, "]</p>"...)
	c.space, c.fresh = false, true
}

// WithoutPlaceholders returns plain text (Body's) without its placeholder
// paragraphs ("[video: URL]").
func WithoutPlaceholders(text string) string {
	if !strings.Contains(text, "[") {
		return text
	}
	paras := strings.Split(text, "\n\n")
	kept := paras[:0]
	for _, p := range paras {
		if !isPlaceholder(p) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

func isPlaceholder(p string) bool {
	inner, ok := strings.CutPrefix(p, "[")
	if !ok || !strings.HasSuffix(inner, "]") {
		return false
	}
	for _, kind := range [...]string{"embedded frame", "video", "audio", "object"} {
		if rest, ok := strings.CutPrefix(inner, kind); ok && (rest == "]" || strings.HasPrefix(rest, ": ")) {
			return true
		}
	}
	return false
}

// FromPlain writes plain text (Atom type="text", JSON Feed content_text) as
// the sanitised HTML Body gives: paragraphs at blank lines, <br/> at single
// newlines. The text should be clean already (sanitize.Lines).
func FromPlain(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br/>")
			}
			b.WriteString(html.EscapeString(line))
		}
		b.WriteString("</p>")
	}
	return b.String()
}
