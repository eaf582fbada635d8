package opml

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/steppe-news/steppe/feeds"
)

// opmlFeeds lists name|group|URL of each feed, one per line.
func opmlFeeds(doc File) string {
	var got []string
	for _, s := range doc.Feeds {
		got = append(got, fmt.Sprintf("%s|%s|%s", s.Name, s.Group, s.URL))
	}
	return strings.Join(got, "\n")
}

func opmlSkips(doc File) string {
	var got []string
	for _, s := range doc.Skipped {
		got = append(got, fmt.Sprintf("%d %s %s: %s", s.Line, s.Name, s.URL, s.Reason))
	}
	return strings.Join(got, "\n")
}

func readOPMLString(t *testing.T, s string) File {
	t.Helper()
	doc, err := Read(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Read: %v\n%s", err, s)
	}
	return doc
}

func TestReadOPMLNestedGroupsAndSkips(t *testing.T) {
	doc, err := Read(bytes.NewReader(readTestdata(t, "nested.opml")))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"The Astana Times|News/Kazakhstan|https://astanatimes.com/feed/",
		"Kursiv|News/Kazakhstan|https://kz.kursiv.media/feed/",
		"Eurasianet|News|https://eurasianet.org/feed",
		"24.kg||https://24.kg/rss/",
		"Kun.uz &#27;[31mred||https://kun.uz/news/rss", // &amp;#27; in the XML is that text
	}, "\n")
	if got := opmlFeeds(doc); got != want {
		t.Errorf("feeds:\n%s\nwant\n%s", got, want)
	}
	wantSkips := "11 Eurasianet again https://eurasianet.org/feed: duplicate of line 10\n" +
		"14 Local file file:///etc/passwd: not an http(s) URL"
	if got := opmlSkips(doc); got != wantSkips {
		t.Errorf("skipped:\n%s\nwant\n%s", got, wantSkips)
	}
	if doc.Feeds[2].Line != 10 {
		t.Errorf("Eurasianet line %d, want 10", doc.Feeds[2].Line)
	}
}

func TestReadOPMLRefusesWhatIsNotOPML(t *testing.T) {
	for name, in := range map[string]string{
		"html":      "<html><body>no</body></html>",
		"empty":     "",
		"text":      "just some words",
		"two roots": `<opml><body/></opml><opml><body/></opml>`,
	} {
		if _, err := Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "not an OPML file") {
			t.Errorf("%s: err = %v, want 'not an OPML file'", name, err)
		}
	}
}

func TestReadOPMLFoldersAreNotSkips(t *testing.T) {
	doc := readOPMLString(t, `<opml version="2.0"><head><outline text="in head" xmlUrl="https://head.example/"/></head><body>
<outline text="Empty folder"/>
<outline text="Folder / with slash"><outline text="A" xmlUrl="https://a.example/feed"/></outline>
<outline title="  " text="Named by text"><outline text="B" xmlURL="https://b.example/feed"/></outline>
<outline><outline text="C" xmlurl="https://c.example/feed"/></outline>
<outline text="Empty url" xmlUrl="  "/>
<outline text="" xmlUrl="https://d.example:8080/x"/>
</body></opml>`)
	want := strings.Join([]string{
		"A|Folder ∕ with slash|https://a.example/feed",
		"B|Named by text|https://b.example/feed",
		"C||https://c.example/feed",
		"d.example:8080||https://d.example:8080/x",
	}, "\n")
	if got := opmlFeeds(doc); got != want {
		t.Errorf("feeds:\n%s\nwant\n%s", got, want)
	}
	if len(doc.Skipped) != 0 {
		t.Errorf("folders reported as skipped: %s", opmlSkips(doc))
	}
}

// Issue 13, finding 8: one control character must not lose the file;
// UTF-16 with a BOM and undeclared cp1251 are read; URL variants are one
// feed; names are capped.
func TestReadOPMLControlCharactersDroppedNotTheFile(t *testing.T) {
	doc := readOPMLString(t, "<opml version=\"2.0\"><body>\n"+
		`<outline text="Esc&#27;[2Jape &#x1B;]0;title&#7;" xmlUrl="https://esc.example/feed"/>`+"\n"+
		"<outline text=\"Raw\x1b[31m red\x07\" xmlUrl=\"https://raw.example/\x1b/feed\"/>\n"+
		"<outline text=\"C1 \u009b31m csi\" xmlUrl=\"https://c1.example/feed\"/>\n"+
		"</body></opml>")
	if len(doc.Feeds) != 3 {
		t.Fatalf("got %d feeds, want 3:\n%s", len(doc.Feeds), opmlFeeds(doc))
	}
	for _, f := range doc.Feeds {
		for _, s := range []string{f.Name, f.URL, f.Group} {
			if r, bad := unsafeIn(s, false); bad {
				t.Errorf("%q holds %U", s, r)
			}
		}
	}
	// How much of a broken escape sequence is left as text is the cleaner's
	// business; the feed and its text around it are kept.
	// (Sequences go whole: "Esc…ape" loses "[2J", and the OSC takes its
	// "title" with it.)
	if doc.Feeds[0].Name != "Escape" || !strings.HasPrefix(doc.Feeds[1].Name, "Raw") ||
		!strings.HasPrefix(doc.Feeds[1].URL, "https://raw.example/") {
		t.Errorf("feeds:\n%s", opmlFeeds(doc))
	}
}

const cyrOPML = `<opml version="2.0"><head><title>Новости</title></head><body>
<outline text="Новости Азии"><outline text="Азаттык" xmlUrl="https://rus.azattyk.org/api/feed"/></outline>
<outline text="Информационное агентство" xmlUrl="https://24.kg/rss/"/>
</body></opml>`

const cyrWant = "Азаттык|Новости Азии|https://rus.azattyk.org/api/feed\n" +
	"Информационное агентство||https://24.kg/rss/"

func TestReadOPMLEncodings(t *testing.T) {
	utf16 := func(e unicode.Endianness, s string) []byte {
		b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp1251 := func(s string) []byte {
		b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	decl16 := `<?xml version="1.0" encoding="UTF-16"?>` + "\n" + cyrOPML
	for name, body := range map[string][]byte{
		"utf-8":                 []byte(cyrOPML),
		"utf-8 bom":             append([]byte("\xef\xbb\xbf"), cyrOPML...),
		"utf-16le bom":          utf16(unicode.LittleEndian, cyrOPML),
		"utf-16be bom":          utf16(unicode.BigEndian, cyrOPML),
		"utf-16le bom declared": utf16(unicode.LittleEndian, decl16),
		"utf-16be bom declared": utf16(unicode.BigEndian, decl16),
		"cp1251 declared":       cp1251(`<?xml version="1.0" encoding="windows-1251"?>` + cyrOPML),
		"cp1251 undeclared":     cp1251(cyrOPML),
	} {
		doc, err := Read(bytes.NewReader(body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := opmlFeeds(doc); got != cyrWant {
			t.Errorf("%s: got\n%s\nwant\n%s", name, got, cyrWant)
		}
	}
}

func TestReadOPMLNormalisesURLsBeforeDeduplicating(t *testing.T) {
	doc := readOPMLString(t, `<opml version="2.0"><body>
<outline text="one" xmlUrl="http://LOCALHOST/feed"/>
<outline text="two" xmlUrl="http://localhost/feed#top"/>
<outline text="three" xmlUrl="HTTP://LocalHost:80/feed"/>
<outline text="four" xmlUrl="https://localhost:443/feed"/>
<outline text="five" xmlUrl="http://localhost:8080/feed"/>
<outline text="ftp" xmlUrl="ftp://files.example/feed.xml"/>
<outline text="no host" xmlUrl="http:///feed"/>
<outline text="long" xmlUrl="https://x.example/`+strings.Repeat("a", feeds.MaxURLLen)+`"/>
</body></opml>`)
	want := "one||http://localhost/feed\nfour||https://localhost/feed\nfive||http://localhost:8080/feed"
	if got := opmlFeeds(doc); got != want {
		t.Errorf("feeds:\n%s\nwant\n%s", got, want)
	}
	var reasons []string
	for _, s := range doc.Skipped {
		reasons = append(reasons, fmt.Sprintf("%d %s: %s", s.Line, s.Name, s.Reason))
	}
	wantSkips := []string{
		"3 two: duplicate of line 2",
		"4 three: duplicate of line 2",
		"7 ftp: not an http(s) URL",
		"8 no host: URL without a host",
		fmt.Sprintf("9 long: URL longer than %d characters", feeds.MaxURLLen),
	}
	if strings.Join(reasons, "\n") != strings.Join(wantSkips, "\n") {
		t.Errorf("skipped:\n%s\nwant\n%s", strings.Join(reasons, "\n"), strings.Join(wantSkips, "\n"))
	}
}

func TestReadOPMLCapsNamesAndFiles(t *testing.T) {
	big := strings.Repeat("Ж", 1<<20) // 2 MB of name
	doc := readOPMLString(t, `<opml><body><outline text="`+big+`"><outline text="`+big+`" xmlUrl="https://big.example/"/></outline></body></opml>`)
	if len(doc.Feeds) != 1 {
		t.Fatalf("feeds: %s", opmlFeeds(doc))
	}
	f := doc.Feeds[0]
	if n := len([]rune(f.Name)); n != feeds.MaxNameLen || !strings.HasSuffix(f.Name, "…") {
		t.Errorf("name of %d characters (%q…), want %d ending in …", n, f.Name[:20], feeds.MaxNameLen)
	}
	if n := len([]rune(f.Group)); n != feeds.MaxNameLen {
		t.Errorf("group of %d characters, want %d", n, feeds.MaxNameLen)
	}

	_, err := Read(strings.NewReader("<opml><body>" + strings.Repeat(" ", MaxSize) + "</body></opml>"))
	if err == nil || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Errorf("oversized file: %v", err)
	}
	many := "<opml><body>" + strings.Repeat(`<outline text="f"/>`, MaxOutlines+1) + "</body></opml>"
	_, err = Read(strings.NewReader(many))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than %d outlines", MaxOutlines)) {
		t.Errorf("too many outlines: %v", err)
	}
	deep := "<opml><body>" + strings.Repeat(`<outline text="f">`, MaxDepth) + strings.Repeat(`</outline>`, MaxDepth) + "</body></opml>"
	_, err = Read(strings.NewReader(deep))
	if err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("too deep: %v", err)
	}
	// Exactly at the limit (opml, body, folders, the feed) is fine.
	folders := MaxDepth - 3
	ok := "<opml><body>" + strings.Repeat(`<outline text="f">`, folders) + `<outline text="x" xmlUrl="https://x.example/"/>` +
		strings.Repeat(`</outline>`, folders) + "</body></opml>"
	if doc := readOPMLString(t, ok); len(doc.Feeds) != 1 || strings.Count(doc.Feeds[0].Group, "/") != folders-1 {
		t.Errorf("deepest allowed feed: %s", opmlFeeds(doc))
	}
}

// exported is what an export says, as Read reads it back.
func exported(t *testing.T, list []feeds.Feed, withCredentials bool) (string, File) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, "steppe feeds", list, withCredentials); err != nil {
		t.Fatal(err)
	}
	doc, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("export does not read back: %v\n%s", err, buf.String())
	}
	return buf.String(), doc
}

func TestOPMLRoundTripKeepsFeedsAndGroups(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	doc, err := Read(bytes.NewReader(readTestdata(t, "nested.opml")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SyncFeeds(ctx, []feeds.Spec{{Name: "Times & <Co>", URL: "https://timesca.com/feed/", Group: "News/Asia"}}); err != nil {
		t.Fatal(err)
	}
	extra := []feeds.Spec{
		{Name: "Private", URL: "https://bob:s3cret@private.example/feed", Group: "TV∕Radio/Local"},
	}
	added, err := st.AddFeeds(ctx, append(doc.Specs(), extra...))
	if err != nil || len(added) != len(doc.Feeds)+1 {
		t.Fatalf("added %d of %d: %v", len(added), len(doc.Feeds)+1, err)
	}
	if again, _ := st.AddFeeds(ctx, doc.Specs()); len(again) != 0 {
		t.Errorf("re-import added %v", again)
	}
	stored, _ := st.Feeds(ctx)
	text, back := exported(t, stored, true)

	// Valid OPML 2.0, folders as nested outlines.
	var x struct {
		XMLName xml.Name
		Version string `xml:"version,attr"`
		Title   string `xml:"head>title"`
	}
	if err := xml.Unmarshal([]byte(text), &x); err != nil || x.XMLName.Local != "opml" || x.Version != "2.0" || x.Title != "steppe feeds" {
		t.Fatalf("not OPML 2.0 (%v): %+v\n%s", err, x, text)
	}
	if !strings.Contains(text, `<outline text="News" title="News">`) ||
		!strings.Contains(text, `<outline text="Kazakhstan" title="Kazakhstan">`) ||
		strings.Count(text, `text="News"`) != 1 {
		t.Errorf("groups are not one nested folder each:\n%s", text)
	}

	// The export read back gives the same feeds and groups; imported into
	// a fresh store, too.
	want := feedLines(stored)
	if got := specLines(back.Specs()); got != want {
		t.Errorf("round trip:\n%s\nwant\n%s", got, want)
	}
	st2 := newStore(t)
	if _, err := st2.AddFeeds(ctx, back.Specs()); err != nil {
		t.Fatal(err)
	}
	again, _ := st2.Feeds(ctx)
	if got := feedLines(again); got != want {
		t.Errorf("re-imported:\n%s\nwant\n%s", got, want)
	}
}

func feedLines(fs []feeds.Feed) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Name+"|"+f.Group+"|"+f.URL)
	}
	sortStrings(s)
	return strings.Join(s, "\n")
}

func specLines(sp []feeds.Spec) string {
	var s []string
	for _, f := range sp {
		s = append(s, f.Name+"|"+f.Group+"|"+f.URL)
	}
	sortStrings(s)
	return strings.Join(s, "\n")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestWriteOPMLRedactsCredentialsUnlessAsked(t *testing.T) {
	fs := []feeds.Feed{
		{Name: "Private", URL: "https://bob:s3cret@private.example/feed"},
		{Name: "Token", URL: "http://token@t.example/rss", Group: "Work"},
		{Name: "Open", URL: "https://open.example/feed"},
	}
	text, doc := exported(t, fs, false)
	if strings.Contains(text, "s3cret") || strings.Contains(text, "bob") || strings.Contains(text, "token@") {
		t.Errorf("credentials exported:\n%s", text)
	}
	if !strings.Contains(text, "https://***@private.example/feed") || !strings.Contains(text, "http://***@t.example/rss") ||
		!strings.Contains(text, "https://open.example/feed") {
		t.Errorf("URLs not redacted as ***:\n%s", text)
	}
	// Read back, the redacted ones are reported, not taken with *** as
	// their user name.
	if len(doc.Feeds) != 1 || len(doc.Skipped) != 2 || doc.Skipped[0].Reason != feeds.ErrHiddenCredentials.Error() {
		t.Errorf("redacted export reads back %d feeds, skips %+v", len(doc.Feeds), doc.Skipped)
	}
	text, _ = exported(t, fs, true)
	if !strings.Contains(text, "https://bob:s3cret@private.example/feed") || !strings.Contains(text, "http://token@t.example/rss") {
		t.Errorf("credentials lost with withCredentials:\n%s", text)
	}
}
