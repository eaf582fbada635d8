// Package feeds fetches RSS, Atom and JSON feeds over HTTP and stores their
// articles in SQLite. Reading the documents is feeds/parse's job, cleaning
// their HTML feeds/htmlclean's, OPML feed lists feeds/opml's: this package
// parses neither XML nor HTML.
// It knows nothing about terminals or UIs: the dashboard, the command line
// and scripts all use the same plain Go API.
package feeds

import "time"

// Spec is a feed as configured by the user (config file, OPML import or
// `steppe feeds add`).
type Spec struct {
	Name    string
	URL     string
	Group   string        // folder path, parts joined by "/" ("News/Asia"); "" = none
	Refresh time.Duration // 0 means the default interval
}

// Feed is a stored feed with the state of its last fetch.
type Feed struct {
	ID           int64
	Name         string
	URL          string // as stored: credentials kept; show it through Redact
	Group        string // folder path, parts joined by "/"; "" = none
	Origin       string // OriginConfig, OriginImport or OriginServer
	Refresh      time.Duration
	ETag         string
	LastModified string
	LastFetch    time.Time // last attempt, zero if never
	LastOK       time.Time // last successful fetch (200 or 304), zero if never
	LastStatus   string    // "", "ok", "not modified" or "error"
	LastError    string    // the last error in words, "" when the last fetch worked
	LastShort    string    // LastError in a few words (its Short form), "" when it had none
	NextFetch    time.Time // do not ask before this time (Retry-After); zero = any time
	// Note says what the last good fetch left out, "" when nothing: "kept
	// the newest 5000 of 200000 items" (Options.MaxItems). A failed fetch
	// leaves it as it was.
	Note string
}

// Article is one cleaned, stored item of a feed.
type Article struct {
	// ID is stable: made from the feed and its GUID, else link, else
	// title and date (parse.ID), of the copy stored first. An article two
	// feeds carry (the same link and title) has each feed's id too; any
	// of them finds it (Store.Article, SetRead, RankIn).
	ID string
	// FeedID and FeedName are the feed whose copy the article shows; in
	// one feed's view (View.FeedID), that feed.
	FeedID    int64
	FeedName  string
	Title     string // plain text, one line
	Link      string // http(s) only, else ""
	Author    string
	Summary   string // plain text, a few sentences
	Content   string // the body as plain text, cleaned (stored before Body existed: Markdown)
	Published time.Time
	FirstSeen time.Time
	Read      bool
	Starred   bool // kept however old; never pruned

	// Body is the body as sanitised HTML for the reader, "" for articles
	// stored before it existed. It holds only p br hr h1–h6 ul ol li
	// blockquote pre code em strong a img figure figcaption table thead
	// tbody tr th td dl dt dd sub sup del, every element closed;
	// attributes only href on a, src and alt on img (absolute http(s)) and
	// start on ol; embedded frames, objects, video and audio become
	// "[video: URL]" paragraphs; text is cleaned with sanitize.Text.
	Body string
	// NoDate: the item had no usable date (none, unparsable or before
	// 1971); Published holds the first-seen time instead, for ordering.
	NoDate bool
	// Highlight: a highlight rule (Rules.Highlight) matches it; set in
	// pages (PageOf) only.
	Highlight bool
	// FullText is what the article's own page gave when it was fetched
	// (full_text feeds, the reader's key); Store.Article fills it, pages
	// leave it zero. The feed's Content and Body stay as the feed said.
	FullText FullText
	// Enclosures are the article's audio and video files, in the feed's
	// order; Store.Article and pages fill them.
	Enclosures []Enclosure
	// hasEnclosures: the stored article has enclosures (read with its
	// row, so that a page without any asks for none).
	hasEnclosures bool
}

// Page is one page of a View's articles, newest first. Items hold no
// Content: Store.Article reads the body.
type Page struct {
	Items  []Article
	Page   int // 1-based
	Pages  int // at least 1
	Total  int // articles in the view
	Unread int // unread articles in the view
	Size   int
	Query  string // the full-text query, "" for the plain list
	// Snapshot is the newest article (seq) the page's view includes: the
	// View's Snapshot when pinned, else the newest stored. Passing it back
	// in View.Snapshot pins the view: later arrivals stay out of it.
	Snapshot int64
}

// Result is what one feed's refresh did.
type Result struct {
	Feed        Feed   // the feed as stored after the refresh
	New         int    // articles new to the feed (one another feed carried too counts)
	Changed     int    // stored articles whose read or star state a sync server changed
	Via         string // how it came when steppe did not fetch it: "synced with miniflux at …"
	Total       int    // items the feed carried
	NotModified bool   // 304
	Skipped     bool   // not asked: Retry-After has not passed yet
	Err         error
	Took        time.Duration

	// Detail says more for the sources pane: what reading the pages of a
	// full_text feed's new items did ("full text: 3 pages read, 1 failed (…)").
	Detail string
}
