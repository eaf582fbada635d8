package fulltext

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// encode re-encodes the Russian page (UTF-8) into enc, its meta charset
// replaced by meta ("" drops it).
func encode(t *testing.T, enc encoding.Encoding, meta string) []byte {
	t.Helper()
	src := page(t, "umputun-ru", "source.html")
	repl := ""
	if meta != "" {
		repl = "<meta charset=" + meta + ">"
	}
	src = bytes.Replace(src, []byte("<meta charset=utf-8>"), []byte(repl), 1)
	if enc == nil {
		return src
	}
	// The page's few characters outside the charset (none in KOI8-R's
	// Cyrillic) become '?', as a site's own export would write them.
	out, err := encoding.ReplaceUnsupported(enc.NewEncoder()).Bytes(src)
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(out) {
		t.Fatal("the re-encoded page is still valid UTF-8")
	}
	return out
}

// TestCyrillicCharsets serves the Russian page in windows-1251 and KOI8-R,
// declared in the HTTP header, in a <meta> only, or not at all, and as
// UTF-8 under a wrong windows-1251 declaration: the text is always read
// right.
func TestCyrillicCharsets(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		body              []byte
	}{
		{"windows-1251 in HTTP", "text/html; charset=windows-1251", encode(t, charmap.Windows1251, "")},
		{"cp1251 in meta", "text/html", encode(t, charmap.Windows1251, "windows-1251")},
		{"KOI8-R in HTTP", "text/html; charset=KOI8-R", encode(t, charmap.KOI8R, "")},
		{"koi8-r in meta", "text/html", encode(t, charmap.KOI8R, "koi8-r")},
		{"windows-1251 undeclared", "text/html", encode(t, charmap.Windows1251, "")},
		{"UTF-8 declared windows-1251 in HTTP", "text/html; charset=windows-1251", encode(t, nil, "utf-8")},
		{"UTF-8 declared koi8-r in meta", "text/html", encode(t, nil, "koi8-r")},
		{"UTF-8 declared nowhere", "", encode(t, nil, "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := servePage(t, tc.contentType, tc.body)
			a, err := Fetch(ctx(t), ts.Client(), ts.URL+"/2015/11/26/vsiem-mirom-dlia-obshchiei-polzy/")
			if err != nil {
				t.Fatal(err)
			}
			checkClean(t, a)
			if a.Title != "Всем миром для общей пользы" {
				t.Errorf("title %q", a.Title)
			}
			text := fold(a.Text)
			for _, want := range []string{"Не первый раз я практикую идею", "Из монолитного PHP приложения с MYSQL", "GET /api/v1/feeds - список фидов"} {
				if !strings.Contains(text, want) {
					t.Errorf("%q not in the text, which starts %.200q", want, text)
				}
			}
			if strings.Contains(text, "Помочь На Patreon") {
				t.Error("the sidebar is in the article")
			}
			if strings.ContainsRune(a.Text, utf8.RuneError) {
				t.Error("the text holds U+FFFD: a byte was decoded wrong")
			}
		})
	}
}

// TestLatin1StaysLatin1: an undeclared page of Latin-1 text is not taken
// for Cyrillic.
func TestLatin1StaysLatin1(t *testing.T) {
	in := []byte("<p>Caf\xe9 na\xefve, r\xe9sum\xe9 \xe0 la carte.</p>")
	if got := string(toUTF8(in, "text/html")); !strings.Contains(got, "Café naïve, résumé à la carte.") {
		t.Errorf("got %q", got)
	}
}
