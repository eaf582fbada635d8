package parse

import (
	"net/url"
	"strconv"
	"time"

	"github.com/steppe-news/steppe/feeds/htmlclean"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Entry is one entry that arrives already parsed (from a sync server):
// its title as plain text, its content as HTML, its link, author and
// dates.
type Entry struct {
	GUID      string // the entry's own id, for Item.ID ("" = the link)
	Title     string // plain text
	Link      string
	Author    string
	HTML      string // the content, HTML
	Published time.Time
	// Enclosures are the entry's media files as the server lists them
	// (cleaned here as a feed's are).
	Enclosures []Enclosure
}

// FromEntry makes an Item of e exactly as Feed makes one of a feed's item
// with the same fields (title, summary, cleaned body and its text, date),
// for the feed at feedURL, at now.
func FromEntry(e Entry, feedURL string, now time.Time) Item {
	base, _ := url.Parse(feedURL)
	link := sanitize.Link(e.Link, base)
	if u, err := url.Parse(link); err == nil && link != "" {
		base = u
	}
	it := item{
		title:   fragment{e.Title, plainText},
		content: fragment{e.HTML, htmlText},
		author:  fragment{e.Author, plainText},
		link:    link,
		guid:    e.GUID,
		base:    base,
	}
	for _, en := range e.Enclosures {
		l := ""
		if en.Length > 0 {
			l = strconv.FormatInt(en.Length, 10)
		}
		it.enclosures = append(it.enclosures, rawEnclosure{url: en.URL, typ: en.Type, length: l})
	}
	if !e.Published.IsZero() {
		p := e.Published
		it.published = &p
		it.publishedRaw = p.Format(time.RFC3339)
	}
	var c htmlclean.Cleaner
	return normalise(&it, &c, base, feedURL, now)
}
