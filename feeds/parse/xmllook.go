package parse

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
)

// gofeed reads the items; a few things it does not keep are read here, in
// a second, light look at the raw XML (tokens only, no tree), taken only
// for feeds that need it: the type of Atom titles and summaries (plain
// text or HTML), the mode of Atom 0.3 content (base64), XHTML bodies of
// RSS items (xhtml:body), and the xml:base in scope for each item.

const (
	xhtmlNS  = "http://www.w3.org/1999/xhtml"
	atomNS   = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
)

// itemExtra is what the second look found for one item.
type itemExtra struct {
	titleType, summaryType string // Atom text construct types
	contentMode            string // Atom 0.3 content mode
	xhtmlBody              string // the markup inside an RSS item's xhtml:body
	base                   *url.URL
}

type nsDecl struct {
	prefix, uri string
	depth       int
}

// lookXML returns one itemExtra per item of body (an RSS or Atom document):
// what it found when need is set and the look found the want items gofeed
// found, else zero values (the formats' defaults). base is the feed's URL,
// which xml:base values resolve against.
func lookXML(body []byte, base *url.URL, want int, need bool) []itemExtra {
	if need {
		if out := look(body, base, want); out != nil {
			return out
		}
	}
	return make([]itemExtra, want)
}

// look is lookXML's look; nil when the items found are not the want items.
func look(body []byte, base *url.URL, want int) []itemExtra {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	var (
		out     = make([]itemExtra, 0, want)
		ns      []nsDecl
		bases   []*url.URL
		depth   int
		item    = -1 // depth of the open item, -1 outside one
		capture = -1 // depth of the xhtml:body being captured
		start   int64
	)
	cur := base
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					ns = append(ns, nsDecl{a.Name.Local, a.Value, depth})
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					ns = append(ns, nsDecl{"", a.Value, depth})
				}
			}
			bases = append(bases, cur)
			if b := attr(t, "xml", "base"); b != "" {
				if ref, err := url.Parse(strings.TrimSpace(b)); err == nil {
					if cur != nil {
						ref = cur.ResolveReference(ref)
					}
					cur = ref
				}
			}
			if capture >= 0 {
				continue
			}
			switch {
			case item < 0 && (t.Name.Local == "item" || t.Name.Local == "entry"):
				item = depth
				out = append(out, itemExtra{base: cur})
			case item >= 0 && depth == item+1:
				x := &out[len(out)-1]
				space := lookupNS(ns, t.Name.Space)
				native := space == "" || space == atomNS || space == atom03NS
				switch {
				case native && t.Name.Local == "title":
					x.titleType = attr(t, "", "type")
				case native && t.Name.Local == "summary":
					x.summaryType = attr(t, "", "type")
				case native && t.Name.Local == "content":
					x.contentMode = attr(t, "", "mode")
				case space == xhtmlNS && t.Name.Local == "body":
					capture, start = depth, d.InputOffset()
				}
			}
		case xml.EndElement:
			if capture == depth {
				out[len(out)-1].xhtmlBody = string(body[start:off])
				capture = -1
			}
			if depth == item {
				item = -1
			}
			for len(ns) > 0 && ns[len(ns)-1].depth == depth {
				ns = ns[:len(ns)-1]
			}
			if n := len(bases); n > 0 {
				cur, bases = bases[n-1], bases[:n-1]
			}
			depth--
		}
	}
	if len(out) != want {
		return nil
	}
	return out
}

// attr returns the value of the attribute prefix:local of t.
func attr(t xml.StartElement, prefix, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == prefix && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// lookupNS returns the namespace URI bound to prefix in the declarations in
// scope ("" for an undeclared one).
func lookupNS(ns []nsDecl, prefix string) string {
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i].prefix == prefix {
			return strings.TrimSpace(ns[i].uri)
		}
	}
	return ""
}
