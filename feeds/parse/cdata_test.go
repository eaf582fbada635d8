package parse

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// rssStrings is what rssItems reads of a feed gofeed parsed, with the
// stand-ins swapped back: the strings must be the same whether gofeed saw
// the whole document or the one elideCDATA made of it.
type rssStrings struct {
	Title, Description, Content, UIDescription, UIContent, Author string
	Ext                                                           ext.Extensions
}

func readRSS(t testing.TB, doc []byte, elide bool) ([]rssStrings, error) {
	t.Helper()
	body := XMLSafe(UTF8(doc, ""))
	e := &elided{}
	if elide {
		body, e = elideCDATA(body)
	}
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	u, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(f)
	if err != nil {
		return nil, err
	}
	var out []rssStrings
	for i, ri := range f.Items {
		ui := u.Items[i]
		s := rssStrings{Title: ri.Title, Description: e.restore(ri.Description), Content: e.restore(ri.Content),
			Ext: e.extensions(ri.Extensions)}
		if ri.Description != "" {
			s.UIDescription = e.restore(ui.Description)
		} else {
			s.UIDescription = e.restoreExt(ui.Description)
		}
		if ri.Content == "" {
			s.UIContent = e.restoreExt(ui.Content)
		}
		if ui.Author != nil {
			s.Author = ui.Author.Name
		}
		if len(s.Ext) == 0 {
			s.Ext = nil
		}
		out = append(out, s)
	}
	return out, nil
}

// elisionCases are RSS documents whose CDATA sections sit where elideCDATA
// looks, and where it must not look.
func elisionCases() map[string]string {
	long := strings.Repeat("<p>Tashkent &amp; Almaty: the water talks</p>\n", 8)
	item := func(inner string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><item>` +
			inner + `</item></channel></rss>`
	}
	return map[string]string{
		"wordpress":         item(`<title>A</title><description><![CDATA[` + long + `]]></description><content:encoded><![CDATA[` + long + long + `]]></content:encoded>`),
		"spaces around":     item("<description>\n\t <![CDATA[  " + long + "  ]]>\n </description>"),
		"crlf inside":       item("<description><![CDATA[" + strings.ReplaceAll(long, "\n", "\r\n") + "\r]]></description>"),
		"two sections":      item(`<description><![CDATA[` + long + `]]><![CDATA[` + long + `]]></description>`),
		"text before":       item(`<description>intro <![CDATA[` + long + `]]> outro &amp; more</description>`),
		"attribute":         item(`<description type="html"><![CDATA[` + long + `]]></description>`),
		"gt in attribute":   item(`<description a="x>y"><![CDATA[` + long + `]]></description>`),
		"media description": item(`<media:description><![CDATA[  ` + long + `  ]]></media:description>`),
		"media group":       item(`<media:group><media:description><![CDATA[` + long + `]]></media:description></media:group>`),
		"default namespace": item(`<description xmlns="http://search.yahoo.com/mrss/"><![CDATA[` + "\r\n  " + long + "  \r\n" + `]]></description>`),
		"dc description":    item(`<dc:description><![CDATA[` + long + `]]></dc:description>`),
		"short":             item(`<description><![CDATA[short]]></description>`),
		"title cdata":       item(`<title><![CDATA[` + long + `]]></title><description><![CDATA[` + long + `]]></description>`),
		"stand-in chars":    item("<description><![CDATA[\uE0000\uE001" + long + `]]></description>`),
		"stand-in outside":  item("<title>\uE0000\uE001</title><description><![CDATA[" + long + `]]></description>`),
		"nonchar inside":    item("<description><![CDATA[" + long + "\uFFFE]]></description>"),
		"unterminated":      item(`<description><![CDATA[` + long + `</description>`),
		"self-closed":       item(`<description/><![CDATA[` + long + `]]>`),
		"in comment":        item(`<!-- <description> --><![CDATA[` + long + `]]>`),
		"empty element":     item(`<content:encoded><![CDATA[]]></content:encoded><description><![CDATA[` + long + `]]></description>`),
	}
}

// TestElideCDATA: gofeed returns the same strings for a document and for
// its elided form with the stand-ins swapped back, in every case above and
// for every RSS document in testdata.
func TestElideCDATA(t *testing.T) {
	docs := elisionCases()
	for _, name := range []string{"timesca_wp.xml", "24kg_cp1251.xml", "hostile.xml", "dupes_nodates.xml", "kunuz_rdf.xml"} {
		docs[name] = string(readTestdata(t, name))
	}
	docs["generated"] = string(wordPressFeed(5))
	swapped := 0
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want, werr := readRSS(t, []byte(doc), false)
			got, gerr := readRSS(t, []byte(doc), true)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("error %v, elided %v", werr, gerr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("elided:\n%+v\nwhole:\n%+v", got, want)
			}
			small, e := elideCDATA(XMLSafe(UTF8([]byte(doc), "")))
			swapped += len(e.parts)
			if len(e.parts) > 0 && len(small) >= len(doc) {
				t.Errorf("%d sections swapped, %d bytes of %d left", len(e.parts), len(small), len(doc))
			}
			for _, it := range got {
				if strings.ContainsAny(it.Description+it.Content+it.UIDescription+fmt.Sprint(it.Ext), "\uE000\uE001") &&
					!strings.Contains(doc, "\uE000") {
					t.Errorf("a stand-in is left: %+v", it)
				}
			}
		})
	}
	if swapped < 20 {
		t.Errorf("only %d sections swapped over all documents: the test tests nothing", swapped)
	}
	for _, name := range []string{"stand-in chars", "stand-in outside", "nonchar inside", "short", "unterminated", "self-closed", "in comment", "text before"} {
		if _, e := elideCDATA([]byte(docs[name])); len(e.parts) != 0 {
			t.Errorf("%s: %d sections swapped, want none", name, len(e.parts))
		}
	}
}

// FuzzElideCDATA holds elideCDATA to its promise on any document: gofeed
// fails on both forms or returns the same strings for both.
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzElideCDATA$' -fuzztime=2m
func FuzzElideCDATA(f *testing.F) {
	for _, doc := range elisionCases() {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		want, werr := readRSS(t, []byte(doc), false)
		got, gerr := readRSS(t, []byte(doc), true)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("error %v, elided %v", werr, gerr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("elided:\n%+v\nwhole:\n%+v", got, want)
		}
	})
}
