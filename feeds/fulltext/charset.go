package fulltext

import (
	"bytes"
	"mime"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// toUTF8 returns an HTML page's bytes as valid UTF-8, decoded with
// golang.org/x/net/html/charset (the package steppe decodes feeds with):
// a byte order mark, else the HTTP charset, else a <meta> charset in the
// first 1024 bytes. A declared legacy charset (windows-1251, KOI8-R, …)
// yields to bytes that are valid UTF-8 with non-ASCII text in them: such
// bytes are next to never a single-byte encoding, and servers and CMSes
// that were moved to UTF-8 keep declaring the old charset. A page that
// declares nothing and is not UTF-8 is read as windows-1251 when its high
// bytes look like Cyrillic letters, else as windows-1252, as browsers do.
// Bytes left invalid become U+FFFD.
func toUTF8(body []byte, contentType string) []byte {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	switch {
	case name == "utf-8":
		body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	case name != "utf-16le" && name != "utf-16be" && utf8.Valid(body):
		// valid UTF-8 wins over the declaration (ASCII reads the same in
		// every charset charset.Lookup knows but UTF-16)
	default:
		if name == "windows-1252" && !declares(body, contentType) && looksCP1251(body) {
			enc = charmap.Windows1251
		}
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			body = bytes.TrimPrefix(dec, []byte("\xef\xbb\xbf"))
		}
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return body
}

// declares reports whether the page names its charset: in the HTTP
// Content-Type, or in a <meta> near its start (where charset looks).
func declares(body []byte, contentType string) bool {
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		return true
	}
	head := body[:min(len(body), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset"))
}

// looksCP1251 reports whether the bytes above ASCII read as windows-1251
// Cyrillic: nearly all of them letters (0xC0–0xFF, Ё, ё) or the
// punctuation Russian typesetting uses, and most next to another such byte,
// as the letters of a Cyrillic word are. Latin-1 text ("café") has its
// high bytes alone between ASCII letters.
func looksCP1251(body []byte) bool {
	isCyr := func(b byte) bool {
		switch {
		case b >= 0xC0, b == 0xA8, b == 0xB8, b == 0xAB, b == 0xBB, b == 0x96, b == 0x97,
			b == 0x93, b == 0x94, b == 0x84, b == 0xB9, b == 0xA0:
			return true
		}
		return false
	}
	high, cyr, paired := 0, 0, 0
	for i, b := range body {
		if b < 0x80 {
			continue
		}
		high++
		if !isCyr(b) {
			continue
		}
		cyr++
		if i > 0 && body[i-1] >= 0xC0 || i+1 < len(body) && body[i+1] >= 0xC0 {
			paired++
		}
	}
	return high > 0 && cyr*10 >= high*9 && paired*2 >= cyr
}
