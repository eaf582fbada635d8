package ui

import (
	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
	"github.com/steppe-news/steppe/ui/render"
)

// Messages between components: a component never reaches into another; it
// posts one of these (deps.post) and the root routes it within the same
// Update.

// openArticleMsg asks the reader to show an article (the list sends it).
type openArticleMsg struct{ article feeds.Article }

// stepMsg asks the list for the next (+1) or previous (-1) article to read,
// or the next or previous unread one.
type stepMsg struct {
	delta  int
	unread bool
}

// closeMsg asks the root to leave the current pane for the one below it.
type closeMsg struct{}

// flashMsg is a one-off message for the status line (until the next key).
type flashMsg string

// pauseMsg toggles the ticker's scrolling.
type pauseMsg struct{}

// arrivedMsg tells the list that new articles were stored, or (changed)
// that stored ones changed state elsewhere: a sync brought the server's
// reads, another process marked some.
type arrivedMsg struct{ changed bool }

// Messages from Cmds (I/O results and timers).

// tickerTickMsg advances the ticker by one frame. Only a message carrying the
// ticker's current version is honoured, so there is one tick loop at most.
type tickerTickMsg struct{ version int }

// clockTickMsg repaints relative times ("3m ago") once a minute.
type clockTickMsg struct{ version int }

// quotesMsg carries stored (or freshly fetched) quotes.
type quotesMsg struct {
	quotes  []rates.Quote
	missing []MissingRate // the configured currencies without one, and why
	err     error
}

// feedsMsg carries the stored feeds, which start the refresh loops, and
// the generation of the feeds table they were read at.
type feedsMsg struct {
	feeds []feeds.Feed
	gen   int64
	err   error
}

// feedsPollMsg is the timer of the feeds poll (tests fire it).
type feedsPollMsg struct{ version int }

// feedsGenMsg is the feeds table's generation, polled.
type feedsGenMsg struct {
	version int
	gen     int64
	data    int64 // the store's data version (ArticleStore.DataVersion)
	err     error
}

// pageMsg is a loaded page of headlines. seq drops answers to requests that
// were superseded; req says what to select and whether to open it.
type pageMsg struct {
	seq  int
	page feeds.Page
	err  error
	req  loadReq
}

// arrivalsMsg is how many articles of the pinned view arrived since pin.
type arrivalsMsg struct {
	pin int64
	n   int
	err error
}

// nextUnreadMsg is the next or previous unread article of the view.
type nextUnreadMsg struct {
	article feeds.Article
	rank    int
	ok      bool
	err     error
	dir     int
	open    bool // open it in the reader
}

// markedAllMsg reports marking every article of a view read.
type markedAllMsg struct {
	n   int
	ids []string // the articles it marked, for undo
	err error
}

// undoneMsg reports an undone mark all read: how many of its articles
// are unread again.
type undoneMsg struct {
	n   int
	err error
}

// roundDoneMsg says the first round of feed refreshes is over.
type roundDoneMsg struct{}

// settingsMsg carries the remembered settings.
type settingsMsg struct{ values map[string]string }

// showFeedsMsg opens the feeds pane (the list sends it on F).
type showFeedsMsg struct{}

// viewMsg asks the list for one feed, the starred articles, or (zero)
// everything: the feeds pane's choice.
type viewMsg struct {
	feedID  int64
	starred bool
	query   string // a query feed (queryfeeds.go)
	name    string
}

// feedCountsMsg carries the feeds pane's counts.
type feedCountsMsg struct {
	counts                      []feeds.FeedCount
	starredUnread, starredTotal int
	queries                     []feeds.QueryCount
	err                         error
}

// articleMsg is an article fetched for the reader and its first screens
// laid out for a width.
type articleMsg struct {
	seq     int
	article feeds.Article
	doc     *render.Lazy
	width   int
	err     error
}

// renderedMsg is a re-render of the reader's article (after a resize).
type renderedMsg struct {
	seq   int
	id    string
	width int
	doc   *render.Lazy
	// then: what the whole layout was made for (G: the bottom; u: links)
	then afterLayout
}

// afterLayout is what the reader does once the whole article is laid out.
type afterLayout int

const (
	thenNothing afterLayout = iota
	thenBottom
	thenLinks
)

// toggleMsg asks the list to flip an article's read state or star; cur is
// the reader's copy when the article is not on the list's page.
type toggleMsg struct {
	id         string
	read, star bool
	cur        *feeds.Article
}

// readStateMsg tells the reader an article's read state and star changed.
type readStateMsg struct {
	id            string
	read, starred bool
}

// markedReadMsg reports MarkRead.
type markedReadMsg struct {
	id  string
	err error
}

// openedMsg reports the browser opener: the link it was given and how it
// went.
type openedMsg struct {
	url string
	err error
}

// sourceDueMsg says a source's refresh interval has passed.
type sourceDueMsg struct {
	key     string
	version int
}

// feedResultMsg is one feed refresh.
type feedResultMsg struct {
	key     string
	version int
	result  feeds.Result
}

// ratesResultMsg is one rates refresh.
type ratesResultMsg struct {
	version int
	report  rates.Report
	err     error
	quotes  []rates.Quote // the stored latest quotes after the refresh
	missing []MissingRate // and why any configured currency has none
	// reloaded: quotes and missing are the store's after the refresh.
	reloaded bool
}

// seriesMsg carries the rate history for the rates pane, by code.
type seriesMsg struct {
	series map[string][]rates.Point
	err    error
}
