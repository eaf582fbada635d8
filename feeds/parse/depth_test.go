package parse

import (
	"strings"
	"testing"
)

// A feed that nests elements past maxXMLDepth is refused before gofeed
// builds a tree of them; quoted '>', comments, CDATA, declarations and
// empty elements do not count as nesting.
func TestCheckDepth(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat(`<x:a b=">">`, n) + strings.Repeat(`</x:a>`, n)
	}
	for _, tc := range []struct {
		name, doc string
		refused   bool
	}{
		{"at the limit", deep(maxXMLDepth), false},
		{"past it", deep(maxXMLDepth + 1), true},
		{"empty elements", strings.Repeat(`<x:a/>`, 5000), false},
		{"siblings", strings.Repeat(`<x:a>t</x:a>`, 5000), false},
		{"inside comments and CDATA", "<r><!--" + deep(2000) + "--><![CDATA[" + deep(2000) + "]]><?pi <a><a>?></r>", false},
		{"cut short", deep(10)[:25], false},
	} {
		if err := checkDepth([]byte(tc.doc)); (err != nil) != tc.refused {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// The namespace declared on the element sends the document to gofeed.
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>deep</title><x:a xmlns:x="urn:x">` +
		deep(5000) + `</x:a></item></channel></rss>`
	_, err := parseFeed([]byte(doc), "application/rss+xml", "https://deep.example/feed", t0)
	if err == nil || !strings.Contains(err.Error(), "nested more than 1000 deep") {
		t.Errorf("Feed of a deep feed: %v", err)
	}
}

func BenchmarkCheckDepth(b *testing.B) {
	body := readTestdata(b, "timesca_wp.xml")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := checkDepth(body); err != nil {
			b.Fatal(err)
		}
	}
}
