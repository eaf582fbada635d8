package ui

import (
	"context"
	"errors"
	"time"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// ArticleStore is what the dashboard reads articles from and keeps read
// state in (feeds' store). Views (one feed, unread only, starred, a
// search) and snapshots are feeds.View's.
type ArticleStore interface {
	PageOf(ctx context.Context, v feeds.View, page, size int) (feeds.Page, error) // newest first, page clamped, 1-based
	NewSince(ctx context.Context, v feeds.View) (int, error)                      // arrivals in a pinned view
	RankIn(ctx context.Context, v feeds.View, id string) (int, error)             // 0-based; feeds.ErrNotInView with its place
	Article(ctx context.Context, id string) (feeds.Article, error)
	SetRead(ctx context.Context, id string, read bool) error
	SetStarred(ctx context.Context, id string, on bool) error
	MarkViewRead(ctx context.Context, v feeds.View) (int, error)
	NextUnread(ctx context.Context, v feeds.View, fromID string, dir int) (feeds.Article, int, bool, error)
	FeedCounts(ctx context.Context) ([]feeds.FeedCount, error)
	StarredCount(ctx context.Context) (unread, total int, err error)
	Feeds(ctx context.Context) ([]feeds.Feed, error)
	FeedsGeneration(ctx context.Context) (int64, error) // changes when feeds are added, removed or edited
	DataVersion(ctx context.Context) (int64, error)     // changes when anything else (another process) wrote the store
}

// MissingRate is a configured currency without a stored quote, and why
// ("nothing stored yet", "no source that answered carries it (erapi
// failed)").
type MissingRate struct{ Code, Base, Why string }

// Warning is a problem that does not stop the dashboard (an unknown config
// key): the whole text for the sources pane, a short one for the status
// line.
type Warning struct{ Text, Short string }

// Settings keeps small values between runs (main's settings table): the
// dashboard remembers inversion, unread only, compact mode and the feed
// viewed.
type Settings interface {
	Get(ctx context.Context, key string) (value string, ok bool, err error)
	Set(ctx context.Context, key, value string) error
}

// Options is everything the dashboard gets from main. Intervals and
// timeouts of fetching belong to the config and are required when the
// matching refresh function is set; the UI does not invent its own.
type Options struct {
	Context       context.Context // cancelled when the program ends; every Cmd derives from it
	Articles      ArticleStore
	RefreshFeed   func(ctx context.Context, f feeds.Feed) feeds.Result // nil when offline
	Quotes        func(ctx context.Context) ([]rates.Quote, error)     // stored latest quotes
	RefreshRates  func(ctx context.Context) (rates.Report, error)      // nil when offline
	Stale         func(q rates.Quote, now time.Time) bool
	Credits       []string                                                                       // e.g. "Rates: ExchangeRate-API", shown muted in help and the sources pane
	Credit        func(source string) string                                                     // the credit a rate source asks for where its rates are shown; "" for none
	Series        func(ctx context.Context, code string, since time.Time) ([]rates.Point, error) // stored history of a pair, oldest first; nil = no history pane
	Missing       func(ctx context.Context, shown []rates.Quote) []MissingRate                   // why each configured currency without a stored quote has none (as `steppe rates` says); nil = not said
	FeedInterval  time.Duration                                                                  // required with RefreshFeed: refresh of a feed that sets none
	RatesInterval time.Duration                                                                  // required with RefreshRates
	FetchTimeout  time.Duration                                                                  // required with either: bounds each refresh Cmd
	PageSize      int                                                                            // 0 = fit the terminal
	Invert        bool
	Offline       bool
	OpenURL       func(url string) error // only ever called with an http(s) URL
	// FetchFullText fetches an article's own page, stores its text and
	// returns what it gave (a page that cannot be read: FullText.Err);
	// nil when offline.
	FetchFullText func(ctx context.Context, id string) (feeds.FullText, error)
	// SaveArticle writes an article as Markdown into the save directory
	// and returns the file's path; PipeArticle runs the pipe command with
	// the article's text on its input and returns the first line it
	// printed. nil: the key says it is not set up.
	SaveArticle func(ctx context.Context, id string) (string, error)
	PipeArticle func(ctx context.Context, id string) (string, error)
	// PlayMedia starts the configured player on an enclosure's http(s)
	// URL and returns its name once it has started, and wait, which
	// returns when it ends (why it failed) or ctx does. nil: enclosures
	// open through OpenURL, like links.
	PlayMedia func(url string) (name string, wait func(ctx context.Context) error, err error)
	Now       func() time.Time // nil = time.Now
	Theme     *Theme           // nil = DefaultTheme(): the house colours, following the terminal
	ColorFGBG string           // $COLORFGBG, the first frame's background under an auto theme
	KeyMap    *KeyMap          // nil = DefaultKeyMap()
	Warnings  []Warning        // the config's warnings, shown on the status line and under `e`
	Settings  Settings         // nil: nothing is remembered

	// CheckStore looks the whole store over for damage (SQLite's
	// quick_check); it must return once ctx is done. The dashboard runs it
	// once, in the background after the first page is drawn, within a
	// minute. damage is "" for a whole store, else the banner's text: the
	// file, what is wrong and what to do; from then on nothing is written.
	// nil: no check.
	CheckStore func(ctx context.Context) (damage string, err error)

	// StoreTimeout bounds each store call; 0 = DefaultStoreTimeout.
	StoreTimeout time.Duration
}

// DefaultStoreTimeout bounds a store call when Options.StoreTimeout is 0.
const DefaultStoreTimeout = 10 * time.Second

// prepare fills the UI's own defaults and checks what main must give.
func (o *Options) prepare() error {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StoreTimeout <= 0 {
		o.StoreTimeout = DefaultStoreTimeout
	}
	if o.Theme == nil {
		o.Theme = DefaultTheme()
	}
	if o.KeyMap == nil {
		o.KeyMap = DefaultKeyMap()
	}
	if o.Offline {
		o.RefreshFeed, o.RefreshRates, o.FetchFullText = nil, nil, nil
	}
	switch {
	case o.RefreshFeed != nil && o.FeedInterval <= 0:
		return errors.New("ui: Options.FeedInterval is required with RefreshFeed")
	case o.RefreshRates != nil && o.RatesInterval <= 0:
		return errors.New("ui: Options.RatesInterval is required with RefreshRates")
	case (o.RefreshFeed != nil || o.RefreshRates != nil) && o.FetchTimeout <= 0:
		return errors.New("ui: Options.FetchTimeout is required with RefreshFeed or RefreshRates")
	case o.PageSize < 0:
		return errors.New("ui: Options.PageSize must not be negative")
	}
	return nil
}
