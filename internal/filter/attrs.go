package filter

import (
	"slices"
	"strings"
)

// kind is what an attribute holds, which decides how each operator reads
// it in Match and how SQL translates it.
type kind int

const (
	kindText  kind = iota // a string (title, link, …)
	kindGroup             // a folder path; # means "is or is inside"
	kindBool              // "yes" or "no" (unread, starred)
	kindAge               // whole days since publication, as decimal text
	kindList              // several strings, one per enclosure
)

// attribute is one name the language knows.
type attribute struct {
	name string // canonical name, as String prints it
	kind kind
	// text returns the attribute's string (kindText, kindGroup).
	text func(*Item) string
	// flag returns the attribute's truth (kindBool).
	flag func(*Item) bool
	// list appends the attribute's strings (kindList).
	list func(*Item, []string) []string
}

var attributes = []*attribute{
	{name: "title", kind: kindText, text: func(it *Item) string { return it.Title }},
	{name: "link", kind: kindText, text: func(it *Item) string { return it.Link }},
	{name: "author", kind: kindText, text: func(it *Item) string { return it.Author }},
	{name: "content", kind: kindText, text: func(it *Item) string { return it.Content }},
	{name: "feed", kind: kindText, text: func(it *Item) string { return it.Feed }},
	{name: "feedurl", kind: kindText, text: func(it *Item) string { return it.FeedURL }},
	{name: "group", kind: kindGroup, text: func(it *Item) string { return it.Group }},
	{name: "age", kind: kindAge},
	{name: "unread", kind: kindBool, flag: func(it *Item) bool { return it.Unread }},
	{name: "starred", kind: kindBool, flag: func(it *Item) bool { return it.Starred }},
	{name: "enclosure", kind: kindList, list: func(it *Item, dst []string) []string {
		for _, e := range it.Enclosures {
			dst = append(dst, e.URL)
		}
		return dst
	}},
	{name: "enclosure_type", kind: kindList, list: func(it *Item, dst []string) []string {
		for _, e := range it.Enclosures {
			dst = append(dst, e.Type)
		}
		return dst
	}},
}

// aliases are newsboat's names for steppe's attributes, so that pasted
// rules keep working.
var aliases = map[string]string{
	"feedtitle":     "feed",
	"rssurl":        "feedurl",
	"tags":          "group",
	"enclosure_url": "enclosure",
}

// newsboatOnly are newsboat attributes steppe has no equivalent of; a rule
// naming one gets an error that says so rather than "unknown attribute".
var newsboatOnly = []string{
	"articleindex", "date", "description", "feeddate", "feedindex",
	"feedlink", "flags", "guid", "latest_article_age", "total_count",
	"unread_count",
}

// lookupAttribute finds name (canonical or a newsboat alias).
func lookupAttribute(name string) *attribute {
	if c, ok := aliases[name]; ok {
		name = c
	}
	for _, a := range attributes {
		if a.name == name {
			return a
		}
	}
	return nil
}

// AttributeNames returns the attribute names the language knows, steppe's
// own names first, then newsboat's aliases for them.
func AttributeNames() []string {
	names := make([]string, 0, len(attributes)+len(aliases))
	for _, a := range attributes {
		names = append(names, a.name)
	}
	var al []string
	for k := range aliases {
		al = append(al, k)
	}
	slices.Sort(al)
	return append(names, al...)
}

// canonicalList is the canonical names joined for an error message.
func canonicalList() string {
	names := make([]string, len(attributes))
	for i, a := range attributes {
		names[i] = a.name
	}
	return strings.Join(names, ", ")
}
