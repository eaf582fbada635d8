package feeds

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"
)

func TestParseOPMLNested(t *testing.T) {
	specs, err := ParseOPML(bytes.NewReader(readTestdata(t, "nested.opml")))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range specs {
		got = append(got, s.Name+"="+s.URL)
	}
	want := []string{
		"The Astana Times=https://astanatimes.com/feed/",
		"Kursiv=https://kz.kursiv.media/feed/",
		"Eurasianet=https://eurasianet.org/feed",
		"24.kg=https://24.kg/rss/",
		"Kun.uz &#27;[31mred=https://kun.uz/news/rss", // "&amp;#27;" in the XML is this text
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := ParseOPML(strings.NewReader("<html><body>no</body></html>")); err == nil {
		t.Error("HTML accepted as OPML")
	}
	if _, err := ParseOPML(strings.NewReader("")); err == nil {
		t.Error("empty accepted as OPML")
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	specs, err := ParseOPML(bytes.NewReader(readTestdata(t, "nested.opml")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SyncFeeds(ctx, []Spec{{Name: "Times & <Co>", URL: "https://timesca.com/feed/"}}); err != nil {
		t.Fatal(err)
	}
	added, err := st.AddFeeds(ctx, specs)
	if err != nil || len(added) != len(specs) {
		t.Fatalf("added %d of %d: %v", len(added), len(specs), err)
	}
	// Importing again adds nothing.
	if again, _ := st.AddFeeds(ctx, specs); len(again) != 0 {
		t.Errorf("re-import added %v", again)
	}
	feeds, _ := st.Feeds(ctx)
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "steppe feeds", feeds); err != nil {
		t.Fatal(err)
	}
	// Valid OPML 2.0 XML.
	var doc struct {
		XMLName xml.Name
		Version string `xml:"version,attr"`
		Title   string `xml:"head>title"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil || doc.XMLName.Local != "opml" || doc.Version != "2.0" || doc.Title != "steppe feeds" {
		t.Fatalf("not OPML 2.0 (%v): %+v\n%s", err, doc, buf.String())
	}
	back, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(feeds) {
		t.Fatalf("round trip: %d feeds, want %d", len(back), len(feeds))
	}
	for i := range back {
		if back[i].URL != feeds[i].URL || back[i].Name != feeds[i].Name {
			t.Errorf("round trip %d: %+v vs %+v", i, back[i], feeds[i])
		}
	}
}
