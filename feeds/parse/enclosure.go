package parse

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Enclosure is an audio or video file an item carries: a podcast's
// episode, a video's file.
type Enclosure struct {
	URL    string `json:"url"`    // absolute http(s)
	Type   string `json:"type"`   // the MIME type in lower case, "" when neither the feed nor the file name says
	Length int64  `json:"length"` // in bytes, 0 when unknown
}

// MaxEnclosures is the most enclosures an item keeps; the rest are
// dropped (a feed that lists hundreds is not listing episodes).
const MaxEnclosures = 16

// maxTypeLen is the longest MIME type kept; a longer one is dropped.
const maxTypeLen = 100

// rawEnclosure is an enclosure as the feed wrote it, before cleaning.
type rawEnclosure struct {
	url, typ, length, medium string
}

// rssEnclosures are an RSS item's <enclosure> elements, then its
// media:content (alone or in media:group).
func rssEnclosures(ri *rss.Item, exts ext.Extensions) []rawEnclosure {
	var out []rawEnclosure
	for _, e := range ri.Enclosures {
		if e != nil {
			out = append(out, rawEnclosure{url: e.URL, typ: e.Type, length: e.Length})
		}
	}
	return append(out, mediaEnclosures(exts)...)
}

// mediaEnclosures are Media RSS's media:content elements, each on its
// own or in a media:group.
func mediaEnclosures(exts ext.Extensions) []rawEnclosure {
	m := exts["media"]
	if m == nil {
		return nil
	}
	var out []rawEnclosure
	add := func(list []ext.Extension) {
		for _, e := range list {
			out = append(out, rawEnclosure{url: e.Attrs["url"], typ: e.Attrs["type"],
				length: e.Attrs["fileSize"], medium: e.Attrs["medium"]})
		}
	}
	add(m["content"])
	for _, g := range m["group"] {
		add(g.Children["content"])
	}
	return out
}

// atomEnclosures are an Atom entry's links with rel="enclosure", then its
// media:content.
func atomEnclosures(e *atom.Entry) []rawEnclosure {
	var out []rawEnclosure
	for _, l := range e.Links {
		if l != nil && strings.EqualFold(strings.TrimSpace(l.Rel), "enclosure") {
			out = append(out, rawEnclosure{url: l.Href, typ: l.Type, length: l.Length})
		}
	}
	return append(out, mediaEnclosures(e.Extensions)...)
}

// jsonEnclosures are a JSON Feed item's attachments.
func jsonEnclosures(ji *gofeedjson.Item) []rawEnclosure {
	if ji.Attachments == nil {
		return nil
	}
	var out []rawEnclosure
	for _, a := range *ji.Attachments {
		l := ""
		if a.SizeInBytes > 0 {
			l = strconv.FormatInt(a.SizeInBytes, 10)
		}
		out = append(out, rawEnclosure{url: a.URL, typ: a.MimeType, length: l})
	}
	return out
}

// mediaByExtension names the type of a file by its name's extension, for
// an enclosure whose feed gives none.
var mediaByExtension = map[string]string{
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".opus": "audio/opus", ".flac": "audio/flac", ".wav": "audio/wav",
	".mp4": "video/mp4", ".m4v": "video/x-m4v", ".webm": "video/webm", ".mov": "video/quicktime",
	".mkv": "video/x-matroska", ".m3u8": "application/vnd.apple.mpegurl",
}

// IsMedia reports whether a MIME type is one of audio or video: audio/*,
// video/*, and the container and playlist types players take.
func IsMedia(typ string) bool {
	switch {
	case strings.HasPrefix(typ, "audio/"), strings.HasPrefix(typ, "video/"):
		return true
	}
	switch typ {
	case "application/ogg", "application/x-mpegurl", "application/vnd.apple.mpegurl", "application/dash+xml":
		return true
	}
	return false
}

// CleanType returns a MIME type as stored: its media type only (no
// parameters), in lower case, "" when it is not one.
func CleanType(raw string) string {
	t, _, _ := strings.Cut(raw, ";")
	t = strings.ToLower(strings.TrimSpace(sanitize.Line(t)))
	if len(t) > maxTypeLen || strings.Count(t, "/") != 1 || strings.ContainsAny(t, " \t\"'") {
		return ""
	}
	return t
}

// cleanEnclosures keeps an item's audio and video enclosures: URLs made
// absolute http(s) (others dropped), types cleaned (else taken from the
// medium or the file name), lengths in bytes (else 0), each URL once, at
// most MaxEnclosures. Images and other files are not enclosures here.
func cleanEnclosures(raw []rawEnclosure, base *url.URL) []Enclosure {
	var out []Enclosure
	for _, r := range raw {
		if len(out) == MaxEnclosures {
			break
		}
		u := sanitize.Link(r.url, base)
		if u == "" || hasEnclosure(out, u) {
			continue
		}
		typ := CleanType(r.typ)
		if typ == "" {
			typ = typeOfURL(u)
		}
		if !IsMedia(typ) {
			medium := strings.ToLower(strings.TrimSpace(r.medium))
			if typ != "" || medium != "audio" && medium != "video" {
				continue
			}
		}
		out = append(out, Enclosure{URL: u, Type: typ, Length: Length(r.length)})
	}
	return out
}

func hasEnclosure(list []Enclosure, u string) bool {
	for _, e := range list {
		if e.URL == u {
			return true
		}
	}
	return false
}

// typeOfURL is the media type the extension of u's path names, "" for
// none.
func typeOfURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return mediaByExtension[strings.ToLower(path.Ext(p.Path))]
}

// Length reads an enclosure's length in bytes: a non-negative integer,
// else 0 (unknown).
func Length(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// CleanEnclosures re-cleans enclosures from anywhere (a store's caller):
// the rules cleanEnclosures holds feed enclosures to, except that one
// without a type is taken for media (as the feed's medium said, when it
// was cleaned before). Cleaning twice changes nothing.
func CleanEnclosures(list []Enclosure) []Enclosure {
	if len(list) == 0 {
		return nil
	}
	raw := make([]rawEnclosure, 0, len(list))
	for _, e := range list {
		l := ""
		if e.Length > 0 {
			l = strconv.FormatInt(e.Length, 10)
		}
		raw = append(raw, rawEnclosure{url: e.URL, typ: e.Type, length: l, medium: "audio"})
	}
	return cleanEnclosures(raw, nil)
}
