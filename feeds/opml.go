package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// ParseOPML reads the feeds of an OPML file: every outline with an xmlUrl,
// at any depth (folders are flattened). The name is the outline's title,
// else its text. Non-http(s) URLs and repeated URLs are dropped.
func ParseOPML(r io.Reader) ([]Spec, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var doc struct {
		XMLName xml.Name
		Body    struct {
			Outlines []outline `xml:"outline"`
		} `xml:"body"`
	}
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not an OPML file: %v", err)
	}
	if !strings.EqualFold(doc.XMLName.Local, "opml") {
		return nil, fmt.Errorf("not an OPML file: root element is <%s>", Clean(doc.XMLName.Local))
	}
	var out []Spec
	seen := map[string]bool{}
	var walk func([]outline)
	walk = func(os []outline) {
		for _, o := range os {
			if o.XMLURL != "" {
				name := o.Title
				if strings.TrimSpace(name) == "" {
					name = o.Text
				}
				if sp, ok := normSpec(Spec{Name: name, URL: o.XMLURL}); ok && !seen[sp.URL] {
					seen[sp.URL] = true
					out = append(out, sp)
				}
			}
			walk(o.Outlines)
		}
	}
	walk(doc.Body.Outlines)
	return out, nil
}

// outline reads its attributes case-insensitively: real OPML files spell
// xmlUrl as xmlURL or xmlurl too.
type outline struct {
	Text, Title, XMLURL string
	Outlines            []outline
}

func (o *outline) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "text":
			o.Text = a.Value
		case "title":
			o.Title = a.Value
		case "xmlurl":
			o.XMLURL = strings.TrimSpace(a.Value)
		}
	}
	var inner struct {
		Outlines []outline `xml:"outline"`
	}
	if err := d.DecodeElement(&inner, &start); err != nil {
		return err
	}
	o.Outlines = inner.Outlines
	return nil
}

type opmlOut struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated"`
	} `xml:"head"`
	Body struct {
		Outlines []opmlOutline `xml:"outline"`
	} `xml:"body"`
}

type opmlOutline struct {
	Type   string `xml:"type,attr"`
	Text   string `xml:"text,attr"`
	Title  string `xml:"title,attr"`
	XMLURL string `xml:"xmlUrl,attr"`
}

// WriteOPML writes feeds as an OPML 2.0 document.
func WriteOPML(w io.Writer, title string, feeds []Feed) error {
	var doc opmlOut
	doc.Version = "2.0"
	doc.Head.Title = Clean(title)
	doc.Head.DateCreated = time.Now().UTC().Format(time.RFC1123Z)
	for _, f := range feeds {
		name := Clean(f.Name)
		doc.Body.Outlines = append(doc.Body.Outlines, opmlOutline{
			Type: "rss", Text: name, Title: name, XMLURL: Clean(f.URL),
		})
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
