package parse

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// streamAll is Stream keeping every item.
func streamAll(body []byte, ct, feedURL string) ([]Item, int, error) {
	// A reader that returns half of what is asked finds more places a
	// read may end.
	r, err := Stream(iotest.HalfReader(bytes.NewReader(body)), ct, feedURL, feedURL, t0, 1_000_000)
	return r.Items, r.Total, err
}

// TestStreamSameAsFeed: every document of the test cases and testdata reads
// the same streamed as whole.
func TestStreamSameAsFeed(t *testing.T) {
	type doc struct{ name, ct, url, body string }
	var docs []doc
	for _, tc := range feedCases {
		docs = append(docs, doc{tc.name, tc.ct, tc.url, tc.doc})
	}
	ents, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b := readTestdata(t, e.Name())
		docs = append(docs, doc{e.Name(), "", "https://example.com/feed", string(b)})
	}
	if len(docs) < 20 {
		t.Fatalf("only %d documents", len(docs))
	}
	streamed := 0
	for _, d := range docs {
		want, werr := parseFeed([]byte(d.body), d.ct, d.url, t0)
		got, total, gerr := streamAll([]byte(d.body), d.ct, d.url)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%s: Feed error %v, Stream error %v", d.name, werr, gerr)
			continue
		}
		if werr != nil {
			continue
		}
		if total != len(want) {
			t.Errorf("%s: Stream counted %d items, Feed read %d", d.name, total, len(want))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: streamed items differ\n got %+v\nwant %+v", d.name, got, want)
		}
		streamed += len(got)
	}
	if streamed < 30 {
		t.Errorf("only %d items compared", streamed)
	}
}

// bigRSS is an RSS feed of n items, item i published i minutes before
// base (newest first), each carrying pad bytes of text.
func bigRSS(n, pad int, base time.Time) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Big</title><link>https://big.example/</link>` + "\n<!-- a comment with <item> in it -->\n")
	text := strings.Repeat("Steppe ", pad/7+1)[:pad]
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>https://big.example/%d</link><guid isPermaLink=\"false\">big-%d</guid><pubDate>%s</pubDate><description><![CDATA[<p>%s</p>]]></description></item>\n",
			i, i, i, base.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), text)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func TestStreamKeepsNewest(t *testing.T) {
	// Out of order on purpose: the newest are in the middle of the feed.
	body := bigRSS(5000, 300, t0.Add(-time.Hour))
	// Move item 4000..4009 to the top by dating them later: rewrite their dates.
	for i := 4000; i < 4010; i++ {
		old := t0.Add(-time.Hour - time.Duration(i)*time.Minute).Format(time.RFC1123Z)
		now := t0.Add(-time.Duration(4010-i) * time.Second).Format(time.RFC1123Z)
		body = bytes.Replace(body, []byte(fmt.Sprintf("big-%d</guid><pubDate>%s", i, old)), []byte(fmt.Sprintf("big-%d</guid><pubDate>%s", i, now)), 1)
	}
	r, err := Stream(bytes.NewReader(body), rssCT, "https://big.example/feed", "https://big.example/feed", t0, 25)
	if err != nil {
		t.Fatal(err)
	}
	items, total := r.Items, r.Total
	if r.Title != "Big" {
		t.Errorf("title %q", r.Title)
	}
	if total != 5000 || len(items) != 25 {
		t.Fatalf("kept %d of %d, want 25 of 5000", len(items), total)
	}
	var titles []string
	for _, it := range items {
		titles = append(titles, it.Title)
	}
	var want []string
	for i := 0; i < 15; i++ {
		want = append(want, fmt.Sprintf("Story %d", i))
	}
	for i := 4000; i < 4010; i++ {
		want = append(want, fmt.Sprintf("Story %d", i))
	}
	if !reflect.DeepEqual(titles, want) {
		t.Errorf("kept %q,\nwant %q (the newest, in feed order)", titles, want)
	}
	whole, err := parseFeed(body, rssCT, "https://big.example/feed", t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := Newest(whole, 25); !reflect.DeepEqual(got, items) {
		t.Errorf("Newest of the whole feed differs from the stream's")
	}
}

// TestStreamCharset: a windows-1251 feed streams as it reads whole, and
// its later batches are decoded too.
func TestStreamCharset(t *testing.T) {
	body := bigRSS(4000, 400, t0.Add(-time.Hour))
	body = bytes.Replace(body, []byte("Story 3999<"), []byte("Последняя новость<"), 1)
	body = bytes.Replace(body, []byte(`encoding="UTF-8"`), []byte(`encoding="windows-1251"`), 1)
	enc, err := charmap.Windows1251.NewEncoder().Bytes(body)
	if err != nil {
		t.Fatal(err)
	}
	items, total, err := streamAll(enc, "application/rss+xml", "https://big.example/feed")
	if err != nil || total != 4000 {
		t.Fatalf("%d items, %v", total, err)
	}
	if items[3999].Title != "Последняя новость" {
		t.Errorf("last title %q", items[3999].Title)
	}
}

func TestStreamAtomAndJSON(t *testing.T) {
	var a, j bytes.Buffer
	a.WriteString(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>`)
	j.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[`)
	for i := 0; i < 3000; i++ {
		d := t0.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)
		fmt.Fprintf(&a, "<entry><id>e%d</id><title>Entry %d</title><updated>%s</updated><content type=\"html\">&lt;p&gt;%s&lt;/p&gt;</content></entry>\n", i, i, d, strings.Repeat("x", 500))
		if i > 0 {
			j.WriteByte(',')
		}
		fmt.Fprintf(&j, `{"id":"j%d","title":"Item %d","date_published":%q,"content_text":%q}`, i, i, d, strings.Repeat("y", 500))
	}
	a.WriteString("</feed>")
	j.WriteString(`],"home_page_url":"https://j.example/"}`)
	for _, c := range []struct {
		name, ct string
		body     []byte
		first    string
	}{{"atom", atomCT, a.Bytes(), "Entry 0"}, {"json", jsonCT, j.Bytes(), "Item 0"}} {
		r, err := Stream(bytes.NewReader(c.body), c.ct, "https://x.example/", "https://x.example/", t0, 10)
		items, total := r.Items, r.Total
		if err != nil || total != 3000 || len(items) != 10 || items[0].Title != c.first || items[9].Published.After(items[0].Published) || r.Title != strings.ToUpper(c.name[:1]) {
			t.Errorf("%s: %d of %d, %v, first %+v", c.name, len(items), total, err, items)
		}
	}
}

func TestStreamErrors(t *testing.T) {
	full := bigRSS(3000, 100, t0)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(full)
	_ = zw.Close()
	html := append([]byte("<!doctype html><html><body>"), bytes.Repeat([]byte("<p>hello</p>"), MaxHead/10)...)
	for _, c := range []struct {
		name string
		body []byte
		want string
	}{
		{"truncated", full[:len(full)/2], "unexpected EOF"},
		{"unclosed", full[:len(full)-len("</channel></rss>\n")], "not closed"},
		{"html", html, "not a feed: got text/html"},
		{"binary", gz.Bytes(), "not a feed"},
		{"empty", []byte("  \n"), "empty"},
	} {
		_, err := Stream(bytes.NewReader(c.body), rssCT, "https://x.example/", "https://x.example/", t0, 10)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	_, err := Stream(iotest.TimeoutReader(bytes.NewReader(full)), rssCT, "https://x.example/", "https://x.example/", t0, 10)
	var re *ReadError
	if !asReadError(err, &re) {
		t.Errorf("a failing reader: %v, want a *ReadError", err)
	}
}

func asReadError(err error, re **ReadError) bool {
	e, ok := err.(*ReadError)
	*re = e
	return ok
}

// BenchmarkStream streams a 6 MB feed of 20,000 items keeping the newest
// 5000: the parse share of refreshing a long-history feed (scripts/bigfeed.sh
// measures the whole refresh of a 60 MB one).
func BenchmarkStream(b *testing.B) {
	body := bigRSS(20_000, 200, t0.Add(-time.Hour))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Stream(bytes.NewReader(body), rssCT, "https://big.example/feed", "https://big.example/feed", t0, 5000)
		if err != nil || len(r.Items) != 5000 {
			b.Fatal(len(r.Items), err)
		}
	}
}

// FuzzStream: whatever the bytes, Stream does not panic, keeps at most
// what it is asked to, and what it keeps is clean.
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzStream$' -fuzztime=2m
func FuzzStream(f *testing.F) {
	for _, tc := range feedCases {
		f.Add([]byte(tc.doc), tc.ct, uint8(2))
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "<item>">]><rss><channel><item a=">"><title><![CDATA[</item>]]></title></item><!-- <item> --><?pi <item>?></channel></rss>`), "", uint8(1))
	f.Add([]byte(`{"items":[{"id":"1","title":"\u001b[2J"},{"id":"2"}],"title":"x"}`), "application/json", uint8(1))
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "", uint8(3))
	f.Fuzz(func(t *testing.T, body []byte, contentType string, keep uint8) {
		r, err := Stream(bytes.NewReader(body), contentType, fuzzFeedURL, fuzzFeedURL, t0, int(keep))
		if err != nil {
			if ch, bad := unsafeIn(err.Error(), false); bad {
				t.Fatalf("error %q holds %U", err, ch)
			}
			return
		}
		if len(r.Items) > max(int(keep), 1) || len(r.Items) > r.Total {
			t.Fatalf("kept %d of %d, asked for %d", len(r.Items), r.Total, keep)
		}
		for _, a := range r.Items {
			assertSafeItem(t, a)
		}
	})
}
