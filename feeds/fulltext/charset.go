package fulltext

import (
	"bytes"
	"mime"
	"unicode/utf8"

	"github.com/steppe-news/steppe/feeds/parse"

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
		if name == "windows-1252" && !declares(body, contentType) && parse.LooksCP1251(body) {
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
