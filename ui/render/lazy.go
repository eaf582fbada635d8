package render

import (
	"strings"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// chunkBytes is how much of a body a Lazy lays out at a time, at least: a
// few screens of a typical article, a couple of milliseconds of work.
const chunkBytes = 32 << 10

// Lazy is a body laid out as it is read: it is cut into chunks at the end
// of a top-level block (an HTML element closed with nothing left open
// around it, or a paragraph of plain text after a blank line outside any
// list, quote or code fence), and each chunk is parsed, laid out and styled
// only when lines past the ones made so far are asked for. One renderer
// goes through the chunks in order, so links are numbered, and blank lines
// placed, across the cuts as in a whole render: the lines are the lines of
// HTML (or Plain) of the whole body. Opening a body of any size costs the
// first chunk; only the body and the lines made are kept.
//
// A Lazy is not safe for concurrent use: make it in a command and hand it
// to the update loop, which then owns it.
type Lazy struct {
	r     *renderer
	src   string
	plain bool
	pos   int // bytes of src laid out
	size  int // bytes per chunk, at least
	fence string
	done  bool
}

// LazyHTML is HTML made lazily.
func LazyHTML(body string, width int, st *Styles) *Lazy {
	return &Lazy{r: newRenderer(width, st), src: body, size: chunkBytes}
}

// LazyPlain is Plain made lazily.
func LazyPlain(text string, width int, st *Styles) *Lazy {
	return &Lazy{r: newRenderer(width, st), src: text, plain: true, size: chunkBytes}
}

// Ensure lays out chunks until there are at least n lines or the body is
// all laid out.
func (z *Lazy) Ensure(n int) {
	for !z.done && len(z.r.lines) < n {
		z.next()
	}
}

// Lines returns the lines laid out so far.
func (z *Lazy) Lines() []string { return z.r.lines }

// Done reports whether the whole body is laid out: Lines is all of it.
func (z *Lazy) Done() bool { return z.done }

// Estimate is the number of lines the whole body makes: exact once Done,
// else the lines so far scaled by the bytes left.
func (z *Lazy) Estimate() int {
	n := len(z.r.lines)
	if z.done || z.pos == 0 {
		return n
	}
	return max(n, int(float64(n)*float64(len(z.src))/float64(z.pos)))
}

// Doc lays out the rest and returns the whole rendering.
func (z *Lazy) Doc() Doc {
	for !z.done {
		z.next()
	}
	return Doc{Lines: z.r.lines, Links: z.r.links}
}

// next lays out one more chunk.
func (z *Lazy) next() {
	if z.done {
		return
	}
	var end int
	if z.plain {
		end = z.plainCut(z.pos)
	} else {
		end = htmlCut(z.src, z.pos, z.size)
	}
	chunk := z.src[z.pos:end]
	first := z.pos == 0
	z.pos = end
	switch {
	case z.plain:
		z.r.plainChunk(chunk)
	case !first && leadingSpace(chunk):
		// The parser drops whitespace that opens a document; inside the
		// whole body it was a break between words.
		z.r.para().space = true
		fallthrough
	default:
		z.r.renderHTML(chunk)
	}
	if z.pos >= len(z.src) {
		z.r.doc()
		z.done = true
	}
}

// leadingSpace reports whether whitespace comes before the first content
// of an HTML chunk (comments aside).
func leadingSpace(s string) bool {
	for s != "" {
		switch {
		case isSpace(s[0]):
			return true
		case strings.HasPrefix(s, "<!--"):
			k := strings.Index(s[4:], "-->")
			if k < 0 {
				return false
			}
			s = s[4+k+3:]
		default:
			return false
		}
	}
	return false
}

// plainCut returns where the plain-text chunk starting at from ends: at the
// start of the first line at least size bytes on that follows a blank line,
// is not indented and starts no list item, quote or fence, outside a code
// fence; or the end of the text.
func (z *Lazy) plainCut(from int) int {
	s := z.src
	blank := false
	for i := from; i < len(s); {
		j := strings.IndexByte(s[i:], '\n')
		line := s[i:]
		if j >= 0 {
			line = s[i : i+j]
		}
		t := strings.TrimLeft(strings.ReplaceAll(line, "\t", "    "), " ")
		t = strings.TrimRight(t, " \r")
		switch {
		case z.fence != "":
			if strings.HasPrefix(t, z.fence) {
				z.fence = ""
			}
		case t == "":
			blank = true
		default:
			if blank && i-from >= z.size && !strings.ContainsAny(line[:1], " \t>`~") && marker(t) == 0 {
				return i
			}
			blank = false
			if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
				z.fence = t[:3]
			}
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	return len(s)
}

// plainChunk lays out a chunk of plain text, as Plain does the whole.
func (r *renderer) plainChunk(chunk string) {
	text := sanitize.Text(strings.ReplaceAll(chunk, "\t", "    "), true)
	text = strings.TrimSuffix(text, "\n")
	r.plainBlocks(strings.Split(text, "\n"))
}

// htmlCut returns where the HTML chunk starting at from ends: just after
// the first end tag of a block element (or an hr), at least size bytes on,
// that leaves no element open (html, head and body aside); or the end of
// the body. The scan follows tags only as far as it must: comments, the
// raw text of script, style and their kind, and quoted attribute values are
// skipped whole. Markup it misreads costs only laziness (a later cut, or
// none), never text: every chunk is rendered by the full parser.
func htmlCut(s string, from, size int) int {
	depth := 0
	for i := from; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return len(s)
		}
		i += j
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			k := strings.Index(rest[4:], "-->")
			if k < 0 {
				return len(s)
			}
			i += 4 + k + 3
			continue
		case len(rest) < 2:
			return len(s)
		case rest[1] == '!' || rest[1] == '?':
			k := strings.IndexByte(rest, '>')
			if k < 0 {
				return len(s)
			}
			i += k + 1
			continue
		}
		closing := rest[1] == '/'
		n := 1
		if closing {
			n = 2
		}
		nameEnd := n
		for nameEnd < len(rest) && isNameByte(rest[nameEnd]) {
			nameEnd++
		}
		if nameEnd == n || !isLetter(rest[n]) { // a '<' that is text
			i++
			continue
		}
		name := strings.ToLower(rest[n:nameEnd])
		end := tagEnd(rest, nameEnd)
		if end < 0 {
			return len(s)
		}
		selfClosing := rest[end-2] == '/'
		i += end
		switch {
		case name == "plaintext" && !closing:
			return len(s)
		case rawText(name) && !closing:
			k := indexFold(s[i:], "</"+name)
			if k < 0 {
				return len(s)
			}
			i += k
			continue // the end tag is read next, neutral
		case rawText(name), name == "html", name == "head", name == "body":
			continue
		case voidElement(name) || selfClosing:
			if name == "hr" && depth == 0 && i-from >= size {
				return i
			}
			continue
		case !closing:
			depth++
			continue
		}
		if depth > 0 {
			depth--
		}
		if depth == 0 && i-from >= size && blockElement(name) {
			return i
		}
	}
	return len(s)
}

// tagEnd returns the index just past the '>' that ends the tag whose
// attributes start at i of s, skipping quoted values; -1 if none.
func tagEnd(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; c {
		case '>':
			return i + 1
		case '"', '\'':
			if k := strings.IndexByte(s[i+1:], c); k >= 0 && prevNonSpace(s, i) == '=' {
				i += k + 2
				continue
			}
		}
		i++
	}
	return -1
}

func prevNonSpace(s string, i int) byte {
	for i--; i >= 0; i-- {
		if !isSpace(s[i]) {
			return s[i]
		}
	}
	return 0
}

// indexFold is strings.Index of an ASCII sub, ignoring case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); {
		k := strings.IndexByte(s[i:], '<')
		if k < 0 {
			return -1
		}
		i += k
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		i++
	}
	return -1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNameByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_'
}

func rawText(name string) bool {
	switch name {
	case "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript":
		return true
	}
	return false
}

func voidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
		"source", "track", "wbr", "keygen":
		return true
	}
	return false
}

func blockElement(name string) bool {
	switch name {
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "menu", "blockquote",
		"pre", "table", "figure", "section", "article", "header", "footer", "aside", "nav", "main",
		"details", "address", "form", "fieldset", "center", "li", "listing":
		return true
	}
	return false
}
