package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html/charset"
)

// Real Russian, Kyrgyz and Uzbek Cyrillic headlines.
var cyrillicTitles = []string{
	"Ложная тревога: в Бишкеке опровергли слухи о повышении тарифов",
	"Бишкекте жаңы мектеп ачылды, анда 1200 окуучу билим алат",
	"Тошкентда янги метро бекати очилди ва йўловчилар сони ошди",
}

func rssWith(decl string, titles []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>Лента</title>`, decl)
	for i, t := range titles {
		fmt.Fprintf(&b, "<item><guid>%d</guid><title>%s</title><link>https://kg.example/%d</link></item>", i, t, i)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// A feed that declares windows-1251 or KOI8-R but is really UTF-8 is read
// as UTF-8; one that is really in the charset it declares is still decoded
// from it.
func TestDeclaredSingleByteCharsetYieldsToUTF8(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, decl := range []string{"windows-1251", "KOI8-R", "koi8-r", "cp1251"} {
		for _, header := range []string{"application/rss+xml", "application/rss+xml; charset=" + decl} {
			t.Run(decl+" "+header, func(t *testing.T) {
				items, err := Feed(rssWith(decl, cyrillicTitles), header, "https://kg.example/rss", "https://kg.example/rss", now)
				if err != nil {
					t.Fatal(err)
				}
				if len(items) != len(cyrillicTitles) {
					t.Fatalf("%d items", len(items))
				}
				for i, it := range items {
					if it.Title != cyrillicTitles[i] {
						t.Errorf("title %d = %q, want %q", i, it.Title, cyrillicTitles[i])
					}
				}
			})
		}
	}
	// Really in the declared charset (Russian only: KOI8-R and windows-1251
	// lack Kyrgyz ң, ө, ү and Uzbek ў, қ, ғ, ҳ).
	ru := cyrillicTitles[:1]
	for _, decl := range []string{"windows-1251", "KOI8-R"} {
		enc, _ := charset.Lookup(decl)
		body, err := enc.NewEncoder().Bytes(rssWith(decl, ru))
		if err != nil {
			t.Fatal(err)
		}
		items, err := Feed(body, "application/rss+xml", "https://kg.example/rss", "https://kg.example/rss", now)
		if err != nil || len(items) != 1 || items[0].Title != ru[0] {
			t.Errorf("%s really encoded: %v %+v", decl, err, items)
		}
	}
}
