package parse

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func parseFile(t *testing.T, name, ct, url string) []Item {
	t.Helper()
	arts, err := parseFeed(readTestdata(t, name), ct, url, t0)
	if err != nil {
		t.Fatalf("parseFeed(%s): %v", name, err)
	}
	for _, a := range arts {
		assertSafeItem(t, a)
	}
	return arts
}

func TestParseWordPress(t *testing.T) {
	arts := parseFile(t, "timesca_wp.xml", "application/rss+xml; charset=UTF-8", "https://timesca.com/feed/")
	if len(arts) != 3 {
		t.Fatalf("got %d items, want 3", len(arts))
	}
	a := arts[0]
	if a.Title != "Navigating Energy and Diplomacy: Putin’s Visit to Kazakhstan" {
		t.Errorf("title %q", a.Title)
	}
	if a.Author != "Stephen M. Bland" {
		t.Errorf("author %q", a.Author)
	}
	if want := time.Date(2025, 2, 19, 9, 30, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published %v, want %v", a.Published, want)
	}
	if a.Link != "https://timesca.com/navigating-energy-and-diplomacy-putins-visit-to-kazakhstan/" {
		t.Errorf("link %q", a.Link)
	}
	// Summary: from the description, plain text, entities decoded, the
	// WordPress footer gone, at most ~400 bytes cut at a boundary.
	if !strings.HasPrefix(a.Summary, "The Kremlin has confirmed that Vladimir Putin will travel to Astana & meet") {
		t.Errorf("summary %q", a.Summary)
	}
	if len(a.Summary) > summaryMax+len("…") || strings.Contains(a.Summary, "appeared first on") ||
		strings.ContainsAny(a.Summary, "<>") {
		t.Errorf("summary not trimmed: %d bytes %q", len(a.Summary), a.Summary)
	}
	// Content: plain text of content:encoded; Body: its sanitised HTML,
	// scripts dropped, relative links resolved.
	for _, want := range []string{"Astana & meet", "Energy cooperation tops the agenda. See our energy coverage."} {
		if !strings.Contains(a.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, a.Content)
		}
	}
	for _, want := range []string{"<strong>Astana</strong> &amp; meet", `<a href="https://timesca.com/tag/energy/">our energy coverage</a>`} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	if strings.Contains(a.Content, "alert") || strings.Contains(a.Content, "<p>") || strings.Contains(a.Body, "alert") {
		t.Errorf("content keeps script or tags:\n%s\n%s", a.Content, a.Body)
	}
	// HTML inside CDATA is decoded once: "&lt;b&gt;" there is the text
	// "<b>", "&amp;amp;" is "&amp;".
	if got := arts[1].Summary; got != "President Shavkat Mirziyoyev has replaced the heads of two security agencies. <b>Entities</b> inside CDATA &amp; friends." {
		t.Errorf("CDATA summary %q", got)
	}
	// A relative item link resolves against the feed URL; no content:encoded
	// means the description is the content.
	if arts[2].Link != "https://timesca.com/kyrgyzstans-som-holds-steady/" {
		t.Errorf("relative link %q", arts[2].Link)
	}
	if arts[2].Content != "The National Bank of the Kyrgyz Republic kept its policy rate unchanged." {
		t.Errorf("content from description %q", arts[2].Content)
	}
	if arts[0].ID == arts[1].ID || arts[0].ID == "" {
		t.Errorf("ids not distinct: %q %q", arts[0].ID, arts[1].ID)
	}
	// Ids are stable across parses.
	again, _ := parseFeed(readTestdata(t, "timesca_wp.xml"), "", "https://timesca.com/feed/", t0.Add(time.Hour))
	if again[0].ID != arts[0].ID {
		t.Errorf("id changed between parses")
	}
}

func TestParseAtom(t *testing.T) {
	arts := parseFile(t, "eurasianet_atom.xml", "application/atom+xml", "https://eurasianet.org/feed/atom")
	if len(arts) != 2 {
		t.Fatalf("got %d items", len(arts))
	}
	a := arts[0]
	if a.Title != "Tajikistan: Rogun dam financing — who pays?" {
		t.Errorf("title %q", a.Title)
	}
	if want := time.Date(2025, 2, 19, 2, 45, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published %v, want %v (published wins over updated)", a.Published, want)
	}
	if a.Summary != "The World Bank says the Rogun project needs another $6 billion." {
		t.Errorf("summary %q", a.Summary)
	}
	if !strings.Contains(a.Content, "Financing gap\n\nThe World Bank") || !strings.Contains(a.Body, "<h2>Financing gap</h2>") ||
		!strings.Contains(a.Body, "<li>Height: 335 m</li>") {
		t.Errorf("content %q body %q", a.Content, a.Body)
	}
	if a.Author != "Eurasianet" || a.Link != "https://eurasianet.org/tajikistan-rogun-dam-financing-who-pays" {
		t.Errorf("author %q link %q", a.Author, a.Link)
	}
	// No published: updated is used.
	if want := time.Date(2025, 2, 18, 12, 0, 0, 0, time.UTC); !arts[1].Published.Equal(want) {
		t.Errorf("updated fallback %v", arts[1].Published)
	}
}

func TestParseRSS1AndCyrillic(t *testing.T) {
	arts := parseFile(t, "kunuz_rdf.xml", "application/rdf+xml", "https://kun.uz/ru/news/rss")
	if len(arts) != 2 {
		t.Fatalf("got %d items", len(arts))
	}
	if arts[0].Title != "В Ташкенте открылись три новые станции метро" || arts[0].Author != "Шахзод Юсупов" {
		t.Errorf("title %q author %q", arts[0].Title, arts[0].Author)
	}
	if want := time.Date(2025, 2, 19, 6, 20, 0, 0, time.UTC); !arts[0].Published.Equal(want) {
		t.Errorf("dc:date %v", arts[0].Published)
	}
}

func TestParseJSONFeed(t *testing.T) {
	arts := parseFile(t, "astanatimes.json", "application/feed+json", "https://astanatimes.com/feed.json")
	if len(arts) != 2 {
		t.Fatalf("got %d items", len(arts))
	}
	if arts[0].Title != "Kazakhstan to Host C5+ Summit in Astana" || arts[0].Author != "Aida Haidar" ||
		!strings.Contains(arts[0].Body, "<strong>Astana</strong>") ||
		arts[0].Summary != "Leaders of the five Central Asian states will meet in Astana." {
		t.Errorf("item 0: %+v", arts[0])
	}
	if arts[1].Content != "The tenge lost 0.4% on Tuesday." && !strings.Contains(arts[1].Summary, "tenge lost") {
		t.Errorf("content_text lost: %+v", arts[1])
	}
	if want := time.Date(2025, 2, 18, 13, 0, 0, 0, time.UTC); !arts[1].Published.Equal(want) {
		t.Errorf("date_modified fallback %v", arts[1].Published)
	}
}

func TestParseWindows1251Declared(t *testing.T) {
	raw := readTestdata(t, "24kg_cp1251.xml")
	if utf8.Valid(raw) {
		t.Fatal("testdata is not windows-1251 bytes; run go generate")
	}
	// The HTTP header says nothing useful (or even lies): the declaration wins.
	for _, ct := range []string{"", "text/xml", "application/rss+xml; charset=utf-8"} {
		arts := parseFile(t, "24kg_cp1251.xml", ct, "https://24.kg/rss/")
		if len(arts) != 1 {
			t.Fatalf("ct %q: %d items", ct, len(arts))
		}
		a := arts[0]
		if a.Title != "В Бишкеке продлили отопительный сезон" || a.Author != "Жамиля Сыдыкова" ||
			a.Summary != "Мэрия столицы сообщила, что отопление будут подавать до 15 апреля. Ёлки, «кавычки» и №5." {
			t.Errorf("ct %q: title %q author %q summary %q", ct, a.Title, a.Author, a.Summary)
		}
	}
}

func TestParseWindows1251FromHTTPHeader(t *testing.T) {
	arts := parseFile(t, "24kg_cp1251_nodecl.xml", "application/rss+xml; charset=windows-1251", "https://24.kg/rss/")
	if len(arts) != 1 || arts[0].Title != "Курс сома: доллар подешевел" {
		t.Fatalf("got %+v", arts)
	}
	// Without any charset the bytes are not UTF-8 and read as Cyrillic
	// words: decoded as windows-1251, the region's usual legacy charset.
	arts = parseFile(t, "24kg_cp1251_nodecl.xml", "application/rss+xml", "https://24.kg/rss/")
	if len(arts) != 1 || arts[0].Title != "Курс сома: доллар подешевел" {
		t.Fatalf("undeclared: %+v", arts)
	}
}

func TestUndeclaredLatin1IsNotTakenForCyrillic(t *testing.T) {
	body := []byte("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title>" +
		"<item><title>Caf\xe9 na\xefve r\xe9sum\xe9 in Almaty</title><link>https://x.example/1</link></item></channel></rss>")
	arts, err := parseFeed(body, "application/rss+xml", "https://x.example/feed", time.Now())
	if err != nil || len(arts) != 1 {
		t.Fatalf("%v %+v", err, arts)
	}
	if got := arts[0].Title; got != "Caf\uFFFD na\uFFFDve r\uFFFDsum\uFFFD in Almaty" {
		t.Errorf("title %q: Latin-1 bytes should be replaced, not read as Cyrillic", got)
	}
}

func TestParseDuplicatesAndDates(t *testing.T) {
	arts := parseFile(t, "dupes_nodates.xml", "text/xml", "https://24.kg/english/rss/")
	if len(arts) != 4 {
		t.Fatalf("got %d items", len(arts))
	}
	if arts[0].ID != arts[1].ID {
		t.Errorf("same GUID, different ids: %q %q", arts[0].ID, arts[1].ID)
	}
	// No date: first seen.
	if !arts[0].Published.Equal(t0) || !arts[2].Published.Equal(t0) {
		t.Errorf("missing dates: %v %v", arts[0].Published, arts[2].Published)
	}
	// No GUID, no link: an id from title and date, stable.
	if arts[2].ID == "" || arts[2].Link != "" {
		t.Errorf("item without guid/link: %+v", arts[2])
	}
	// Far future: clamped to now.
	if !arts[3].Published.Equal(t0) {
		t.Errorf("future date not clamped: %v", arts[3].Published)
	}
	// Ids are namespaced by feed: the same GUID in another feed is another id.
	other, _ := parseFeed(readTestdata(t, "dupes_nodates.xml"), "", "https://mirror.example/rss", t0)
	if other[0].ID == arts[0].ID {
		t.Errorf("ids are not per-feed")
	}
}

func TestParseNotAFeed(t *testing.T) {
	for _, tc := range []struct {
		name, body, ct, want string
	}{
		{"html page", string(readTestdata(t, "error.html")), "text/html; charset=utf-8", "not a feed: got text/html"},
		{"html no type", string(readTestdata(t, "error.html")), "", "not a feed: got text/html"},
		{"empty", "", "application/rss+xml", "empty response"},
		{"blank", " \n\t ", "application/rss+xml", "empty response"},
		{"plain text", "Service temporarily unavailable", "text/plain", "not a feed: got text/plain"},
		{"broken xml", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti`, "text/xml", "not a valid feed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arts, err := parseFeed([]byte(tc.body), tc.ct, "https://x.example/feed", t0)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("Feed = %d items, %v; want error %q", len(arts), err, tc.want)
			}
		})
	}
}

func TestParseHostile(t *testing.T) {
	arts, err := parseFeed(readTestdata(t, "hostile.xml"), "application/rss+xml", "https://evil.example/feed", t0)
	if err != nil {
		t.Fatalf("a stray ESC must not lose the feed: %v", err)
	}
	if len(arts) != 8 {
		t.Fatalf("got %d items, want 8", len(arts))
	}
	for _, a := range arts {
		assertSafeItem(t, a)
	}
	// Escape sequences go whole, raw or as references, wherever they are
	// decoded; a triple-encoded one is the text the author wrote.
	if got := arts[0].Title; got != "Raw red and OSC52 bell" {
		t.Errorf("title 0 %q", got)
	}
	if got := arts[1].Title; got != "Entity dec, hex, , double, &#x1b;[2J triple" {
		t.Errorf("title 1 %q", got)
	}
	if !strings.Contains(arts[0].Summary, "bidi gnp.exe and isolate x") {
		t.Errorf("summary 0 %q", arts[0].Summary)
	}
	if arts[0].Link != "https://evil.example/1" {
		t.Errorf("good link lost: %q", arts[0].Link)
	}
	if strings.Contains(arts[1].Content, "javascript") {
		t.Errorf("javascript link kept in content: %q", arts[1].Content)
	}
	// evil-4's raw ESC [ is read as the CSI it is, so the link holds a
	// control and is refused, like the others.
	for _, a := range append(arts[2:3:3], arts[3:]...) {
		if a.Link != "" {
			t.Errorf("%s: link %q should be dropped", a.Title, a.Link)
		}
	}
}

// TestHasBadC0 holds the word-wise test to the byte-wise one, with the
// byte at every offset.
func TestHasBadC0(t *testing.T) {
	for c := 0; c < 256; c++ {
		bad := c < 0x20 && c != '\t' && c != '\n' && c != '\r'
		for n := 0; n < 20; n++ {
			for at := 0; at < n; at++ {
				b := []byte(strings.Repeat("a\n", n)[:n])
				b[at] = byte(c)
				if got := hasBadC0(b); got != bad {
					t.Fatalf("hasBadC0(%q) = %v, want %v", b, got, bad)
				}
			}
		}
	}
}

// TestXMLRefsSections holds xmlRefs, which jumps from reference to
// reference, to a byte-by-byte walk that skips CDATA sections, on
// documents made of the pieces that matter.
func TestXMLRefsSections(t *testing.T) {
	walk := func(body []byte) []byte {
		var out []byte
		for i := 0; i < len(body); {
			if bytes.HasPrefix(body[i:], []byte("<![CDATA[")) {
				end := bytes.Index(body[i:], []byte("]]>"))
				if end < 0 {
					return append(out, body[i:]...)
				}
				out = append(out, body[i:i+end+3]...)
				i += end + 3
				continue
			}
			if r, n := charRef(body[i:]); n > 0 && (r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x80 && r <= 0x9f) {
				if r >= 0x80 {
					r = charmap.Windows1252.DecodeByte(byte(r))
				}
				out = utf8.AppendRune(out, r)
				i += n
				continue
			}
			out = append(out, body[i])
			i++
		}
		return out
	}
	pieces := []string{"<![CDATA[", "]]>", "&#27;", "&#x9c;", "&#65;", "&#", "&amp;", "<", "a", "]]", "&#x1b", ";"}
	x := uint32(7)
	for range 100_000 {
		var b []byte
		for n := 0; n < 8; n++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b = append(b, pieces[x%uint32(len(pieces))]...)
		}
		if got, want := xmlRefs(b), walk(b); !bytes.Equal(got, want) {
			t.Fatalf("xmlRefs(%q) = %q, want %q", b, got, want)
		}
	}
}

// The server's charset=utf-8 wins over a declaration the bytes do not bear
// out (RFC 7303): valid UTF-8 declared windows-1251 is UTF-8. And a UTF-16
// document that declares itself so (with its BOM) is read.
func TestCharsetHTTPAndUTF16Declared(t *testing.T) {
	doc := `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>t</title>` +
		`<item><title>Новости Казахстана</title><link>https://k.example/1</link></item></channel></rss>`
	arts, err := parseFeed([]byte(fmt.Sprintf(doc, "windows-1251")), "application/xml; charset=utf-8", "https://k.example/feed", t0)
	if err != nil || len(arts) != 1 || arts[0].Title != "Новости Казахстана" {
		t.Errorf("UTF-8 declared windows-1251, served as utf-8: %v %+v", err, arts)
	}
	for _, e := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		enc := unicode.UTF16(e, unicode.UseBOM).NewEncoder()
		body, err := enc.Bytes([]byte(fmt.Sprintf(doc, "utf-16")))
		if err != nil {
			t.Fatal(err)
		}
		for _, ct := range []string{"application/xml", "application/xml; charset=utf-16"} {
			arts, err := parseFeed(body, ct, "https://k.example/feed", t0)
			if err != nil || len(arts) != 1 || arts[0].Title != "Новости Казахстана" {
				t.Errorf("UTF-16 (%v) declared, %q: %v %+v", e, ct, err, arts)
			}
		}
	}
}
