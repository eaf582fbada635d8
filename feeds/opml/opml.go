// Package opml reads and writes the feed lists of OPML files (the format
// newsboat, Miniflux, FreshRSS and most readers import and export): outlines
// with an xmlUrl are feeds, the outlines around them folders, which become
// feeds' groups. It parses XML only; storing what it read is feeds' job.
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/feeds/parse"
	"github.com/steppe-news/steppe/internal/sanitize"

	"golang.org/x/text/encoding/unicode"
)

// Limits on an OPML file, so that a hostile one cannot take the memory of
// the import or of the dashboard that shows its feeds afterwards.
const (
	MaxSize     = 10 << 20 // bytes
	MaxOutlines = 50_000   // outline elements, folders included
	MaxDepth    = 32       // nested elements
)

// File is what Read found in a file.
type File struct {
	Feeds   []Feed // in file order, normalised, each URL once
	Skipped []Skip // outlines with a feed URL that were not taken, and why
}

// Feed is a feed outline of the file.
type Feed struct {
	feeds.Spec
	Line int // where the outline starts in the file
}

// Specs returns the feeds' specs, in file order.
func (o File) Specs() []feeds.Spec {
	out := make([]feeds.Spec, len(o.Feeds))
	for i, f := range o.Feeds {
		out[i] = f.Spec
	}
	return out
}

// Skip is an outline Read did not take.
type Skip struct {
	Line   int    // where the outline starts in the file
	Name   string // cleaned
	URL    string // as the file gives it, cleaned (it may hold credentials: show it through sanitize.Redact)
	Reason string // in words: "not an http(s) URL", "duplicate of line 8"
}

// Read reads the feeds of an OPML file: every outline with an xmlUrl
// attribute, at any depth. An outline without one is a folder: its title
// (else its text) becomes a part of the group of the feeds inside it,
// nested folders joined by "/" ("News/Asia"; a "/" inside one folder's
// name becomes "∕", so that export writes the same folders back). A feed's
// name is its title, else its text, else its host, cut at feeds.MaxNameLen.
//
// The encoding is found from a byte order mark (UTF-8, UTF-16), else the
// XML declaration, else the bytes (undeclared windows-1251 Cyrillic, as for
// feeds). Control characters in the text are dropped, not the file. URLs
// are compared as feeds.NormURL gives them. Outlines whose URL is unusable or a
// duplicate are reported in Skipped. A file over MaxSize bytes,
// MaxOutlines outlines or MaxDepth levels is refused whole.
func Read(r io.Reader) (File, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return File{}, err
	}
	if len(body) > MaxSize {
		return File{}, fmt.Errorf("the file is larger than %d MiB, more than an OPML file of feeds needs; split it", MaxSize>>20)
	}
	d := xml.NewDecoder(bytes.NewReader(parse.XMLSafe(opmlUTF8(body))))
	d.Strict = false
	// The body is UTF-8 now, whatever its declaration still says.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }

	var out File
	type frame struct {
		group  string
		inBody bool
	}
	stack := []frame{}
	firstLine := map[string]int{} // URL → line of its first outline
	outlines, sawRoot := 0, false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return File{}, fmt.Errorf("not an OPML file: %s", sanitize.Line(err.Error()))
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		case xml.StartElement:
			if len(stack) == 0 {
				if sawRoot || !strings.EqualFold(t.Name.Local, "opml") {
					return File{}, fmt.Errorf("not an OPML file: the root element is <%s>", feeds.CapName(t.Name.Local))
				}
				sawRoot = true
			}
			if len(stack) >= MaxDepth {
				return File{}, fmt.Errorf("line %d: elements nested deeper than %d levels", line, MaxDepth)
			}
			parent := frame{}
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			name := strings.ToLower(t.Name.Local)
			if len(stack) == 1 && name == "body" {
				parent.inBody = true
			}
			if name != "outline" || !parent.inBody {
				stack = append(stack, parent)
				continue
			}
			if outlines++; outlines > MaxOutlines {
				return File{}, fmt.Errorf("more than %d outlines, more than steppe keeps; split the file", MaxOutlines)
			}
			o := readOutline(t)
			if !o.hasURL {
				// A folder.
				folder := strings.ReplaceAll(feeds.CapName(o.name), "/", "∕")
				switch {
				case folder == "":
					folder = parent.group
				case parent.group != "":
					folder = parent.group + "/" + folder
				}
				stack = append(stack, frame{group: folder, inBody: true})
				continue
			}
			stack = append(stack, parent)
			skip := Skip{Line: line, Name: feeds.CapName(o.name), URL: capURL(o.url)}
			u, err := feeds.CheckNewURL(o.url)
			switch {
			case err != nil:
				skip.Reason = err.Error()
			case firstLine[u] != 0:
				skip.Reason = fmt.Sprintf("duplicate of line %d", firstLine[u])
			default:
				firstLine[u] = line
				sp, _ := feeds.NormSpec(feeds.Spec{Name: o.name, URL: u, Group: parent.group})
				out.Feeds = append(out.Feeds, Feed{Spec: sp, Line: line})
				continue
			}
			out.Skipped = append(out.Skipped, skip)
		}
	}
	if !sawRoot {
		return File{}, errors.New("not an OPML file: no <opml> element")
	}
	return out, nil
}

// outlineAttrs are the attributes of an outline that matter, read
// case-insensitively: real OPML files spell xmlUrl as xmlURL or xmlurl too.
// An empty xmlUrl counts as none (a folder).
type outlineAttrs struct {
	name, url string
	hasURL    bool
}

func readOutline(t xml.StartElement) outlineAttrs {
	var o outlineAttrs
	var text, title string
	for _, a := range t.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "text":
			text = a.Value
		case "title":
			title = a.Value
		case "xmlurl":
			o.url = strings.TrimSpace(a.Value)
			o.hasURL = o.url != ""
		}
	}
	o.name = title
	if feeds.CapName(title) == "" {
		o.name = text
	}
	return o
}

// capURL is a URL as a skip report shows it: cleaned, and cut when long.
func capURL(u string) string {
	if len(u) > feeds.MaxURLLen {
		return feeds.CapName(u[:feeds.MaxURLLen])
	}
	return feeds.CapName(u)
}

// opmlUTF8 returns body as UTF-8. UTF-16 is decoded by its byte order mark;
// anything else goes the way of a feed's body (parse.UTF8: UTF-8 BOM, declared
// encoding, undeclared windows-1251).
func opmlUTF8(body []byte) []byte {
	if bytes.HasPrefix(body, []byte{0xff, 0xfe}) || bytes.HasPrefix(body, []byte{0xfe, 0xff}) {
		if dec, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body); err == nil {
			return dec
		}
	}
	return parse.UTF8(body, "")
}

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated"`
	} `xml:"head"`
	Body struct {
		Outlines []*opmlOutline `xml:"outline"`
	} `xml:"body"`
}

type opmlOutline struct {
	Type     string         `xml:"type,attr,omitempty"`
	Text     string         `xml:"text,attr"`
	Title    string         `xml:"title,attr,omitempty"`
	XMLURL   string         `xml:"xmlUrl,attr,omitempty"`
	Outlines []*opmlOutline `xml:"outline"`
}

// Write writes the feeds of list as an OPML 2.0 document, in their order, each
// group as nested folder outlines (a folder placed where its first feed
// is). The user info of feed URLs is written as "***" unless
// withCredentials is true.
func Write(w io.Writer, title string, list []feeds.Feed, withCredentials bool) error {
	var doc opmlDoc
	doc.Version = "2.0"
	doc.Head.Title = sanitize.Line(title)
	doc.Head.DateCreated = time.Now().UTC().Format(time.RFC1123Z)
	folders := map[string]*opmlOutline{}
	// folder returns where the outlines of group go, creating its folders.
	var folder func(group string) *[]*opmlOutline
	folder = func(group string) *[]*opmlOutline {
		if group == "" {
			return &doc.Body.Outlines
		}
		if f, ok := folders[group]; ok {
			return &f.Outlines
		}
		parent, name := "", group
		if i := strings.LastIndex(group, "/"); i >= 0 {
			parent, name = group[:i], group[i+1:]
		}
		in := folder(parent)
		f := &opmlOutline{Text: name, Title: name}
		*in = append(*in, f)
		folders[group] = f
		return &f.Outlines
	}
	for _, f := range list {
		name := sanitize.Line(f.Name)
		u := sanitize.Line(f.URL)
		if !withCredentials {
			u = sanitize.Redact(u)
		}
		in := folder(feeds.NormGroup(f.Group))
		*in = append(*in, &opmlOutline{Type: "rss", Text: name, Title: name, XMLURL: u})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
