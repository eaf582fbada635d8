package parse

import (
	"reflect"
	"strings"
	"testing"
)

func enclosuresOf(t *testing.T, name, feedURL string) map[string][]Enclosure {
	t.Helper()
	items, err := parseFeed(readTestdata(t, name), "", feedURL, t0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]Enclosure{}
	for _, it := range items {
		assertSafeItem(t, it)
		out[it.Title] = it.Enclosures
	}
	return out
}

func wantEnclosures(t *testing.T, got map[string][]Enclosure, title string, want []Enclosure) {
	t.Helper()
	g, ok := got[title]
	if !ok {
		t.Fatalf("no item %q in %v", title, got)
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", title, g, want)
	}
}

// A podcast feed as hosts write them (iTunes tags, a tracking prefix on
// the file, media:content repeating the enclosure): audio and video kept,
// each URL once, images, javascript: and unknown lengths not.
func TestEnclosuresRSSPodcast(t *testing.T) {
	got := enclosuresOf(t, "podcast_itunes.xml", "https://feeds.example.kz/steppe-sessions.rss")
	wantEnclosures(t, got, "Ep. 112: The tenge after the rate decision", []Enclosure{
		{URL: "https://dts.podtrac.example/redirect.mp3/media.example.kz/steppe/ep112.mp3?utm_source=rss&key=0f9a", Type: "audio/mpeg", Length: 25264128},
	})
	wantEnclosures(t, got, "Ep. 111: Water, the Amu Darya and the Qosh Tepa canal (video edition)", []Enclosure{
		{URL: "https://media.example.kz/steppe/ep111.m4v", Type: "video/x-m4v", Length: 418381824},
		{URL: "https://media.example.kz/steppe/ep111-720p.mp4", Type: "video/mp4", Length: 204472320},
		{URL: "https://media.example.kz/steppe/ep111.m4a", Type: "audio/mp4"},
	})
	wantEnclosures(t, got, "Ep. 110: Bonus — listener questions", []Enclosure{
		{URL: "https://feeds.example.kz/audio/ep110-bonus.mp3", Type: "audio/mpeg"},
	})
	wantEnclosures(t, got, "Trailer: Steppe Sessions season 5", nil)
}

func TestEnclosuresAtom(t *testing.T) {
	got := enclosuresOf(t, "podcast_atom.xml", "https://audio.example.kg/podcast.atom")
	wantEnclosures(t, got, "Выборы в Жогорку Кенеш: итоги недели", []Enclosure{
		{URL: "https://audio.example.kg/media/ep48.ogg", Type: "audio/ogg", Length: 18874368},
		{URL: "https://audio.example.kg/media/ep48.mp3", Type: "audio/mpeg", Length: 23592960},
	})
	wantEnclosures(t, got, "Интервью: дорога Бишкек — Ош", []Enclosure{
		{URL: "https://audio.example.kg/media/ep47.webm", Type: "video/webm", Length: 73400320},
	})
}

// JSON Feed attachments; a URL holding an escape sequence is dropped, a
// type holding one is cleaned, a negative size is unknown.
func TestEnclosuresJSONFeed(t *testing.T) {
	got := enclosuresOf(t, "podcast.json", "https://silkroad.example.uz/feed.json")
	wantEnclosures(t, got, "Night at the Registan", []Enclosure{
		{URL: "https://cdn.silkroad.example.uz/episodes/registan.mp3", Type: "audio/mpeg", Length: 31457280},
		{URL: "https://cdn.silkroad.example.uz/episodes/registan.opus", Type: "audio/opus"},
	})
	wantEnclosures(t, got, "The walls of Itchan Kala", []Enclosure{
		{URL: "https://cdn.silkroad.example.uz/episodes/khiva.m4a", Type: "audio/x-m4a"},
	})
}

// A plain RSS podcast feed goes through the fast path, which reads its
// enclosures as gofeed does.
func TestEnclosuresFastPath(t *testing.T) {
	doc := readTestdata(t, "podcast_plain.xml")
	if !sameAsGofeed(t, doc) {
		t.Fatal("fastRSS declined a plain RSS feed with enclosures")
	}
	got := enclosuresOf(t, "podcast_plain.xml", "https://rus.example.org/podcasts.rss")
	wantEnclosures(t, got, "Утренний выпуск, 7 декабря", []Enclosure{
		{URL: "https://audio.example.org/2026/12/07/morning.mp3?a=1&b=2", Type: "audio/mpeg", Length: 14680064},
	})
	wantEnclosures(t, got, "Вечерний выпуск, 6 декабря", []Enclosure{
		{URL: "https://audio.example.org/2026/12/06/evening.mp3", Type: "audio/mpeg", Length: 12582912},
		{URL: "https://audio.example.org/2026/12/06/evening.mp4", Type: "video/mp4"},
	})
}

// The fast path reads an enclosure exactly as gofeed, or leaves it to
// gofeed.
func TestEnclosuresFastAgrees(t *testing.T) {
	for name, c := range map[string]struct {
		enc  string
		fast bool
	}{
		"self-closing":   {`<enclosure url="https://x.example/a.mp3" length="10" type="audio/mpeg"/>`, true},
		"end tag":        {`<enclosure url="https://x.example/a.mp3" length="10" type="audio/mpeg"></enclosure>`, true},
		"text inside":    {`<enclosure url="https://x.example/a.mp3" type="audio/mpeg"> junk </enclosure>`, true},
		"entities":       {`<enclosure url="https://x.example/a.mp3?a=1&amp;b=&#50;" type="audio/mpeg"/>`, true},
		"relative":       {`<enclosure url="/a.ogg" type="audio/ogg"/>`, true},
		"two":            {`<enclosure url="https://x.example/a.mp3" type="audio/mpeg"/><enclosure url="https://x.example/b.mp3" type="audio/mpeg"/>`, true},
		"image":          {`<enclosure url="https://x.example/a.jpg" type="image/jpeg"/>`, true},
		"capitalised":    {`<Enclosure url="https://x.example/a.mp3" type="audio/mpeg"/>`, false},
		"prefixed attr":  {`<enclosure xlink:url="https://x.example/a.mp3" type="audio/mpeg"/>`, false},
		"unknown entity": {`<enclosure url="https://x.example/a.mp3?a&nbsp;b" type="audio/mpeg"/>`, false},
	} {
		t.Run(name, func(t *testing.T) {
			doc := wpDoc(`<item><title>t</title><link>https://x.example/p</link>` + c.enc + `</item>`)
			if got := sameAsGofeed(t, []byte(doc)); got != c.fast {
				t.Errorf("fastRSS read it: %v, want %v", got, c.fast)
			}
			items, err := parseFeed([]byte(doc), "", "https://example.com/feed/", t0)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 {
				t.Fatalf("%d items", len(items))
			}
			n := len(items[0].Enclosures)
			want := strings.Count(c.enc, "<enclosure") + strings.Count(c.enc, "<Enclosure")
			if strings.Contains(c.enc, "image/") {
				want = 0
			}
			if n != want {
				t.Errorf("%d enclosures, want %d: %+v", n, want, items[0].Enclosures)
			}
		})
	}
}

func TestCleanEnclosuresCaps(t *testing.T) {
	var list []Enclosure
	for i := range 40 {
		list = append(list, Enclosure{URL: "https://x.example/" + strings.Repeat("a", i+1) + ".mp3", Type: "AUDIO/MPEG", Length: int64(i)})
	}
	list = append([]Enclosure{{URL: "file:///etc/passwd", Type: "audio/mpeg"}, {URL: "https://x.example/v", Type: "video/mp4;codecs=avc1"}}, list...)
	got := CleanEnclosures(list)
	if len(got) != MaxEnclosures {
		t.Fatalf("%d enclosures kept, want %d", len(got), MaxEnclosures)
	}
	if got[0].URL != "https://x.example/v" || got[0].Type != "video/mp4" {
		t.Errorf("first = %+v", got[0])
	}
	if got[1].Type != "audio/mpeg" {
		t.Errorf("type not lowered: %+v", got[1])
	}
}

// FuzzFastRSSEnclosure fuzzes an <enclosure>'s attributes in a document
// fastRSS otherwise reads: it declines, or reads them as gofeed does.
//
//	go test ./feeds/parse -run='^$' -fuzz='^FuzzFastRSSEnclosure$' -fuzztime=1m
func FuzzFastRSSEnclosure(f *testing.F) {
	f.Add("https://x.example/a.mp3?a=1&amp;b=2", "audio/mpeg", "25264128", "")
	f.Add("/rel/a.ogg", "Audio/OGG; x=y", "-1", " junk ")
	f.Add("&#104;ttps://x.example/&#x61;.mp3", "&lt;", "\r\n", "<![CDATA[x]]>")
	f.Fuzz(func(t *testing.T, u, typ, length, inner string) {
		enc := `<enclosure url="` + u + `" type="` + typ + `" length="` + length + `"`
		if inner == "" {
			enc += `/>`
		} else {
			enc += `>` + inner + `</enclosure>`
		}
		doc := wpDoc(`<item><title>t</title><link>https://x.example/p</link>` + enc + `</item>`)
		sameAsGofeed(t, []byte(doc))
	})
}
