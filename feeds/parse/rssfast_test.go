package parse

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/steppe-news/steppe/scripts/feedgen/wp"
)

// sameAsGofeed checks fastRSS against gofeed on doc (as Feed prepares
// it) and reports whether fastRSS read it.
func sameAsGofeed(t testing.TB, doc []byte) bool {
	t.Helper()
	body := XMLSafe(UTF8(doc, ""))
	base, _ := url.Parse("https://example.com/feed/")
	fast, ok := fastRSS(body, base)
	if !ok {
		return false
	}
	slow, err := gofeedRSS(body, base)
	if err != nil {
		t.Fatalf("fastRSS read %d items where gofeed fails: %v", len(fast), err)
	}
	if len(fast) != len(slow) {
		t.Fatalf("fastRSS read %d items, gofeed %d", len(fast), len(slow))
	}
	for i := range fast {
		if !reflect.DeepEqual(fast[i], slow[i]) {
			t.Fatalf("item %d:\nfastRSS %+v\ngofeed  %+v", i, fast[i], slow[i])
		}
	}
	return true
}

// wpDoc is an RSS document with WordPress's namespaces around items.
func wpDoc(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:media="http://search.yahoo.com/mrss/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel><title>T &amp; co</title><atom:link href="https://example.com/feed/" rel="self"/>
<image><url>https://example.com/i.png</url></image>
` + strings.Join(items, "\n") + `
</channel></rss>`
}

// fastCases are documents fastRSS reads (true) or leaves to gofeed.
func fastCases() map[string]struct {
	doc  string
	fast bool
} {
	wpItem := `<item><title>Kazakhstan&#8217;s tenge &amp; the budget</title>
<link>https://example.com/a/?x=1&amp;y=2</link>
<comments>https://example.com/a/#respond</comments>
<dc:creator><![CDATA[Aida Haidar]]></dc:creator>
<pubDate>Wed, 19 Feb 2025 10:00:00 +0000</pubDate>
<category><![CDATA[News]]></category>
<guid isPermaLink="false">https://example.com/?p=1</guid>
<description><![CDATA[<p>Excerpt [&#8230;]</p>]]></description>
<content:encoded><![CDATA[<p>Body <a href="/rel">link</a></p>]]></content:encoded>
<wfw:commentRss>https://example.com/a/feed/</wfw:commentRss>
<slash:comments>0</slash:comments>
</item>`
	out := map[string]struct {
		doc  string
		fast bool
	}{
		"wordpress":          {wpDoc(wpItem, wpItem), true},
		"plain rss":          {`<rss version="2.0"><channel><item><title>A</title><link>https://x.example/1</link><description>a &lt;b&gt;b&lt;/b&gt;</description></item></channel></rss>`, true},
		"guid permalink":     {wpDoc(`<item><guid>https://example.com/p/1</guid><title>t</title></item>`), true},
		"guid lower attr":    {wpDoc(`<item><guid isPermalink="false">x</guid></item>`), true},
		"empty elements":     {wpDoc(`<item><title/><link/><description></description><dc:creator/></item>`), true},
		"no date":            {wpDoc(`<item><title>t</title></item>`), true},
		"repeated fields":    {wpDoc(`<item><title>a</title><title>b</title><link>https://a.example/</link><link>https://b.example/</link><dc:creator>A</dc:creator><dc:creator>B</dc:creator><pubDate>Wed, 19 Feb 2025 10:00:00 +0000</pubDate></item>`), true},
		"two dates":          {wpDoc(`<item><pubDate>Wed, 19 Feb 2025 10:00:00 +0000</pubDate><pubDate></pubDate></item>`), false},
		"author over dc":     {wpDoc(`<item><author>Staff</author><dc:creator>Other</dc:creator></item>`), true},
		"empty author":       {wpDoc(`<item><author></author><dc:creator>Other</dc:creator></item>`), true},
		"cdata and text":     {wpDoc(`<item><title> a &amp; <![CDATA[<b>]]> c </title><description>x<![CDATA[y]]>z</description></item>`), true},
		"crlf creator":       {wpDoc("<item><dc:creator>\r\n A\r\nB \r</dc:creator></item>"), true},
		"comments":           {wpDoc(`<!-- c --><item><!-- c --><title>t</title></item>`), true},
		"cased names":        {wpDoc(`<item><Title>t</Title><PUBDATE>Wed, 19 Feb 2025 10:00:00 +0000</PUBDATE><Description>d</Description><content:Encoded>c</content:Encoded></item>`), true},
		"unknown elements":   {wpDoc(`<item><foo a="b"><bar/>x</foo><enclosure url="https://x.example/a.mp3" length="1" type="audio/mpeg"/><source url="https://s.example/">S</source></item>`), true},
		"spaces in tags":     {wpDoc(`<item ><title >t</title ><guid  isPermaLink = "false" >g</guid></item >`), false},
		"doctype":            {`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss><channel><item><title>&x;</title></item></channel></rss>`, false},
		"version 1.1":        {`<?xml version="1.1"?><rss><channel><item><title>t</title></item></channel></rss>`, false},
		"media":              {wpDoc(`<item><media:title>t</media:title></item>`), false},
		"dc date":            {wpDoc(`<item><dc:date>2025-02-19</dc:date></item>`), false},
		"atom link":          {wpDoc(`<item><atom:link href="https://x.example/"/></item>`), false},
		"xml base":           {wpDoc(`<item xml:base="https://other.example/"><link>/a</link></item>`), false},
		"other date":         {wpDoc(`<item><pubDate>2025-02-19T10:00:00Z</pubDate></item>`), false},
		"named zone":         {wpDoc(`<item><pubDate>Wed, 19 Feb 2025 10:00:00 GMT</pubDate></item>`), false},
		"html entity":        {wpDoc(`<item><title>a &mdash; b</title></item>`), false},
		"c1 ref":             {wpDoc(`<item><title>a &#150; b</title></item>`), true}, // XMLSafe makes it the character
		"ascii refs":         {wpDoc(`<item><title>a &#038; &#x26; &#60;b&#62;</title><dc:creator>A &#038; B</dc:creator></item>`), true},
		"upper hex ref":      {wpDoc(`<item><dc:creator>A &#X26; B</dc:creator></item>`), false},
		"cr ref":             {wpDoc(`<item><dc:creator>A&#13;B</dc:creator></item>`), false},
		"markup in text":     {wpDoc(`<item><title>a <b>b</b></title></item>`), false},
		"email author":       {wpDoc(`<item><author>a@example.com (A)</author></item>`), false},
		"default namespace":  {`<rss xmlns="http://backend.userland.com/rss2"><channel><item><title>t</title></item></channel></rss>`, false},
		"undeclared prefix":  {wpDoc(`<item><foo:bar>x</foo:bar></item>`), false},
		"rebound prefix":     {wpDoc(`<item><x:y xmlns:x="http://search.yahoo.com/mrss/">t</x:y></item>`), false},
		"item outside":       {`<rss><item><title>t</title></item><channel></channel></rss>`, false},
		"capital item":       {wpDoc(`<Item><title>t</title></Item>`), false},
		"two channels":       {`<rss><channel><item><title>a</title></item></channel><channel><item><title>b</title></item></channel></rss>`, false},
		"unclosed":           {wpDoc(`<item><title>t</title>`), false},
		"mismatched":         {wpDoc(`<item><title>t</description></item>`), false},
		"link href":          {wpDoc(`<item><link href="https://x.example/"/></item>`), false},
		"atom in rss prefix": {`<rss xmlns:a="http://www.w3.org/2005/Atom"><channel><item><a:summary>s</a:summary></item></channel></rss>`, false},
		"alias of media":     {`<rss xmlns:media="urn:x" xmlns:m2="urn:x"><channel><item><m2:description>d</m2:description></item></channel></rss>`, false},
	}
	return out
}

// TestFastRSS: fastRSS reads plain WordPress-shaped RSS as gofeed does,
// and leaves everything else to gofeed.
func TestFastRSS(t *testing.T) {
	for name, c := range fastCases() {
		t.Run(name, func(t *testing.T) {
			if got := sameAsGofeed(t, []byte(c.doc)); got != c.fast {
				t.Errorf("fastRSS read it: %v, want %v", got, c.fast)
			}
		})
	}
	for _, name := range []string{"timesca_wp.xml", "dupes_nodates.xml"} {
		if !sameAsGofeed(t, readTestdata(t, name)) {
			t.Errorf("%s: left to gofeed", name)
		}
	}
	for _, name := range []string{"hostile.xml", "24kg_cp1251.xml", "kunuz_rdf.xml"} {
		sameAsGofeed(t, readTestdata(t, name)) // whichever reads it, the same items
	}
	if !sameAsGofeed(t, wordPressFeed(20)) {
		t.Error("the benchmark's WordPress feed: left to gofeed")
	}
	for i := range 3 {
		if _, doc := wp.Feed(1, i, time.Date(2025, 2, 19, 0, 0, 0, 0, time.UTC), 50); !sameAsGofeed(t, doc) {
			t.Errorf("generated feed %d: left to gofeed", i)
		}
	}
}

// FuzzFastRSS holds fastRSS to gofeed's reading: whatever document it
// reads, gofeed reads too, into the same items.
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzFastRSS$' -fuzztime=5m
func FuzzFastRSS(f *testing.F) {
	for _, c := range fastCases() {
		f.Add(c.doc)
	}
	f.Add(string(readTestdata(f, "timesca_wp.xml")))
	f.Add(string(readTestdata(f, "podcast_plain.xml")))
	f.Add(fmt.Sprint(string(wordPressFeed(2))))
	f.Fuzz(func(t *testing.T, doc string) {
		sameAsGofeed(t, []byte(doc))
	})
}

// FuzzFastRSSFields fuzzes the text of an item's fields inside a document
// fastRSS otherwise reads (so most inputs take its path): whatever the
// text, fastRSS declines or reads it as gofeed does.
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzFastRSSFields$' -fuzztime=5m
func FuzzFastRSSFields(f *testing.F) {
	f.Add("Kazakhstan&#8217;s tenge &amp; budget", "<![CDATA[<p>Excerpt [&#8230;]</p>]]>", "<![CDATA[<p>Body</p>]]>", "<![CDATA[Aida]]>", "Wed, 19 Feb 2025 10:00:00 +0000", "https://example.com/a/", "false")
	f.Add(" a &lt;b&gt; ", "x<![CDATA[y]]>z", "\r\n<![CDATA[ c ]]>\r\n", "A\r\nB", " Thu, 20 Feb 2025 10:00:00 +0100 ", "&amp;x", "true")
	f.Add("&#X26; &#0; &#13; &nbsp; &", "]]>", "<b>", "a@b (c)", "2025-02-19", "", "")
	f.Fuzz(func(t *testing.T, title, desc, content, creator, date, link, permalink string) {
		doc := wpDoc(`<item><title>` + title + `</title><link>` + link + `</link><dc:creator>` + creator +
			`</dc:creator><pubDate>` + date + `</pubDate><guid isPermaLink="` + permalink + `">g` + title + `</guid><description>` +
			desc + `</description><content:encoded>` + content + `</content:encoded></item>`)
		sameAsGofeed(t, []byte(doc))
	})
}
