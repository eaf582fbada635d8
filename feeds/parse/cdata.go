package parse

import (
	"bytes"
	"strconv"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"
)

// gofeed reads RSS with encoding/xml, which takes every byte of the
// document through its character-by-character reader, CDATA sections
// included; the items' HTML, which is most of a feed, is almost always
// in CDATA sections of description and content:encoded. Such a section is
// opaque to XML (gofeed returns its content verbatim), so before gofeed
// reads the document each large one is swapped for a short stand-in, and
// the stand-ins in what gofeed returns are swapped back: the same strings,
// for a fraction of the XML reading.

// elideMin is the smallest CDATA content swapped for a stand-in.
const elideMin = 128

// Stand-ins are "\uE000" + index + "\uE001": characters of the Private
// Use Area that XML allows and that gofeed passes through, used only when
// the document has neither.
const (
	elideOpen  = "\uE000"
	elideClose = "\uE001"
)

// elided holds the contents swapped out of a document.
type elided struct {
	parts []string
}

// elideCDATA returns body with the content of each CDATA section of at
// least elideMin bytes directly inside a <description> or
// <content:encoded> element swapped for a stand-in, and what was swapped.
// A document that holds the stand-ins' characters, or a character
// encoding/xml refuses, is returned as it is.
func elideCDATA(body []byte) ([]byte, *elided) {
	const start, end = "<![CDATA[", "]]>"
	e := &elided{}
	if bytes.Contains(body, []byte(elideOpen)) || bytes.Contains(body, []byte(elideClose)) ||
		bytes.Contains(body, []byte("\uFFFE")) || bytes.Contains(body, []byte("\uFFFF")) {
		return body, e
	}
	var out []byte // nil until a section is swapped
	last := 0
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(start))
		if j < 0 {
			break
		}
		open := i + j + len(start)
		k := bytes.Index(body[open:], []byte(end))
		if k < 0 {
			break
		}
		close := open + k
		i = close + len(end)
		if k < elideMin || !inTextElement(body[:open-len(start)]) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, elidedSize(body[i:], len(body)-k))
		}
		out = append(out, body[last:open]...)
		out = append(out, elideOpen...)
		out = strconv.AppendInt(out, int64(len(e.parts)), 10)
		out = append(out, elideClose...)
		e.parts = append(e.parts, string(body[open:close]))
		last = close
	}
	if out == nil {
		return body, e
	}
	return append(out, body[last:]...), e
}

// elidedSize is about the size of the elided document: n bytes so far
// (the document up to rest) less the large sections in rest, plus room
// for the stand-ins.
func elidedSize(rest []byte, n int) int {
	const start, end = "<![CDATA[", "]]>"
	for {
		j := bytes.Index(rest, []byte(start))
		if j < 0 {
			return n
		}
		rest = rest[j+len(start):]
		k := bytes.Index(rest, []byte(end))
		if k < 0 {
			return n
		}
		if k >= elideMin {
			n -= k - 16
		}
		rest = rest[k+len(end):]
	}
}

// inTextElement reports whether before ends with the start tag of a
// description or content:encoded element (attributes allowed), and white
// space.
func inTextElement(before []byte) bool {
	before = bytes.TrimRight(before, " \t\r\n")
	if len(before) < 2 || before[len(before)-1] != '>' || before[len(before)-2] == '/' {
		return false
	}
	lt := bytes.LastIndexByte(before, '<')
	if lt < 0 {
		return false
	}
	tag := before[lt+1 : len(before)-1]
	if n := bytes.IndexAny(tag, " \t\r\n"); n >= 0 {
		if bytes.ContainsAny(tag[n:], "<>") {
			return false
		}
		tag = tag[:n]
	}
	return string(tag) == "description" || string(tag) == "content:encoded"
}

// restore returns s with every stand-in swapped back.
func (e *elided) restore(s string) string {
	if len(e.parts) == 0 || !strings.Contains(s, elideOpen) {
		return s
	}
	if n, ok := e.whole(s); ok {
		return e.parts[n] // the usual case: the element's text is the section
	}
	var b strings.Builder
	for {
		i := strings.Index(s, elideOpen)
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], elideClose)
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(s[i+len(elideOpen) : i+j])
		if err != nil || n < 0 || n >= len(e.parts) {
			b.WriteString(s[:i+j+len(elideClose)])
			s = s[i+j+len(elideClose):]
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + len(e.parts[n]))
		}
		b.WriteString(s[:i])
		b.WriteString(e.parts[n])
		s = s[i+j+len(elideClose):]
	}
	b.WriteString(s)
	return b.String()
}

// whole reports whether s is one stand-in and nothing else, and which.
func (e *elided) whole(s string) (int, bool) {
	inner, ok := strings.CutPrefix(s, elideOpen)
	if !ok {
		return 0, false
	}
	if inner, ok = strings.CutSuffix(inner, elideClose); !ok {
		return 0, false
	}
	n, err := strconv.Atoi(inner)
	if err != nil || n < 0 || n >= len(e.parts) || strconv.Itoa(n) != inner {
		return 0, false
	}
	return n, true
}

// restoreExt is restore for the value of an extension element, which
// gofeed reads as XML character data: line ends normalised to "\n" (as
// encoding/xml does in CDATA too) and white space trimmed.
func (e *elided) restoreExt(s string) string {
	r := e.restore(s)
	if r == s {
		return s
	}
	if strings.Contains(r, "\r") {
		r = strings.ReplaceAll(strings.ReplaceAll(r, "\r\n", "\n"), "\r", "\n")
	}
	return strings.TrimSpace(r)
}

// extensions returns exts with the stand-ins in its values swapped back
// (a copy, when there are any).
func (e *elided) extensions(exts ext.Extensions) ext.Extensions {
	if len(e.parts) == 0 || len(exts) == 0 {
		return exts
	}
	out := make(ext.Extensions, len(exts))
	for prefix, byName := range exts {
		m := make(map[string][]ext.Extension, len(byName))
		for name, list := range byName {
			m[name] = e.extList(list)
		}
		out[prefix] = m
	}
	return out
}

func (e *elided) extList(list []ext.Extension) []ext.Extension {
	out := make([]ext.Extension, len(list))
	for i, x := range list {
		x.Value = e.restoreExt(x.Value)
		if len(x.Children) > 0 {
			kids := make(map[string][]ext.Extension, len(x.Children))
			for name, l := range x.Children {
				kids[name] = e.extList(l)
			}
			x.Children = kids
		}
		out[i] = x
	}
	return out
}
