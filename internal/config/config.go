// Package config reads steppe's config file (config.toml): every key, its
// default, and the checks that name the file, line and key of a bad value.
// It knows nothing of the UI: [keys] and [theme] are kept as written, for
// the command line to turn into the dashboard's key map and theme, with
// KeyError to report a bad one at its line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/sanitize"

	"github.com/BurntSushi/toml"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/player"
	"github.com/steppe-news/steppe/internal/textfmt"
	"github.com/steppe-news/steppe/rates"
)

// Config is the user's configuration (config.toml). Every key is optional.
// The known keys are read from the toml tags; `example` is what a type
// error shows ("rates.currencies must be a list like ["KZT"]").
type Config struct {
	PageSize     int                 `toml:"page_size" example:"6"`
	KeepDays     int                 `toml:"keep_days" example:"90"`
	FetchTimeout Duration            `toml:"fetch_timeout" example:"\"20s\""`
	MaxItems     int                 `toml:"max_items" example:"5000"` // the newest items a refresh stores of each feed; default feeds.DefaultMaxItems
	Browser      string              `toml:"browser" example:"\"firefox --new-tab %u\""`
	SaveDir      string              `toml:"save_dir" example:"\"~/Documents/articles\""` // the reader's save key writes here; default the XDG download dir
	Pipe         string              `toml:"pipe" example:"\"wl-copy\""`                  // the reader's pipe key runs this (argv, no shell), the article's text on its input
	Player       []string            `toml:"player" example:"[\"mpv\", \"--no-video\"]"`  // plays an enclosure from the links pane (argv, the URL appended); else the browser
	Keys         map[string][]string `toml:"keys" example:"down = [\"j\", \"down\"]"`
	Theme        ThemeConfig         `toml:"theme" example:"\"dark\""`
	Feeds        []FeedConfig        `toml:"feeds"`
	Rates        RatesConfig         `toml:"rates"`
	Sync         SyncConfig          `toml:"sync"`
	Rules        []RuleConfig        `toml:"rules"`
	Queries      []QueryConfig       `toml:"queries"`

	// Path is the file the config was read from; "" for the built-in defaults.
	Path string `toml:"-"`
	// Warnings are problems that do not stop the program (unknown keys),
	// for stderr and the dashboard's status line.
	Warnings []string `toml:"-"`
	// ShortWarnings are Warnings in the status line's words, one each.
	ShortWarnings []string `toml:"-"`

	rules Rules     // [[rules]] and [[queries]], compiled
	idx   *keyIndex // where each key is written, for KeyError
}

// ThemeConfig is `theme = "dark"` (auto, dark or light) or a [theme]
// table of colours, which may name the background too (`background =
// "light"`; `base`, its older name, still works).
type ThemeConfig struct {
	Base    string
	BaseKey string // the [theme] key that set Base ("" for theme = "…")
	Colours map[string]string
}

// UnmarshalTOML reads either form.
func (t *ThemeConfig) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		t.Base = v
	case map[string]any:
		for k, x := range v {
			s, ok := x.(string)
			if !ok {
				return fmt.Errorf("theme.%s must be a colour like \"#3fd1c7\" or \"14\" (in quotes)", k)
			}
			if k == "background" || k == "base" {
				if t.BaseKey != "" && t.Base != s {
					return fmt.Errorf("theme.background = %q and theme.base = %q disagree (base is background's older name: keep one)", v["background"], v["base"])
				}
				t.Base, t.BaseKey = s, k
				continue
			}
			if t.Colours == nil {
				t.Colours = map[string]string{}
			}
			t.Colours[k] = s
		}
	default:
		return errors.New(`theme must be "auto", "dark", "light" or a [theme] table of colours`)
	}
	return nil
}

// FeedConfig is one [[feeds]] entry.
type FeedConfig struct {
	Name    string   `toml:"name" example:"\"24.kg\""`
	URL     string   `toml:"url" example:"\"https://24.kg/english/rss/\""`
	Refresh Duration `toml:"refresh" example:"\"15m\""`
	Group   string   `toml:"group" example:"\"News/Asia\""`
	// MaxItems is this feed's own max_items; 0: the top-level one.
	MaxItems int `toml:"max_items" example:"5000"`
	// FullText: each new item's own page is fetched on refresh and its
	// readable text kept (feeds/fulltext).
	FullText bool `toml:"full_text"`
}

// RatesConfig is the [rates] table.
type RatesConfig struct {
	Base       string            `toml:"base" example:"\"USD\""`
	Currencies []string          `toml:"currencies" example:"[\"KZT\"]"`
	Refresh    Duration          `toml:"refresh" example:"\"1h\""`
	Providers  []string          `toml:"providers" example:"[\"frankfurter\", \"erapi\"]"`
	Invert     bool              `toml:"invert"`
	Endpoints  map[string]string `toml:"endpoints" example:"erapi = \"http://127.0.0.1:8080\""`
}

// Duration is a time.Duration written as "15m" or "1h" in TOML.
type Duration time.Duration

// UnmarshalText parses a Go duration such as "90s", "15m" or "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write it like \"15m\" or \"1h\")", string(b))
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", string(b))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration back as Go writes it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Defaults for keys the config leaves out, defined here and nowhere else
// (keep_days is the feeds package's: feeds.DefaultKeepDays).
const (
	defaultPageSize     = 0 // fit the terminal
	CLIPageSize         = 6 // `steppe headlines` when page_size fits the terminal
	defaultFetchTimeout = 20 * time.Second
	DefaultFeedRefresh  = 15 * time.Minute
	defaultRatesRefresh = time.Hour
	minRefresh          = time.Minute
)

// defaultFeeds are the region's feeds that steppe follows out of the box,
// each in English where the source offers it (README lists their languages
// and the Russian and Uzbek feeds).
var defaultFeeds = []FeedConfig{
	{Name: "The Times of Central Asia", URL: "https://timesca.com/feed/"},
	{Name: "Eurasianet", URL: "https://eurasianet.org/rss.xml"},
	{Name: "The Diplomat: Central Asia", URL: "https://thediplomat.com/regions/central-asia/feed/"},
	{Name: "24.kg", URL: "https://24.kg/english/rss/"},
	{Name: "Kun.uz", URL: "https://kun.uz/en/news/rss"},
	{Name: "The Astana Times", URL: "https://astanatimes.com/feed/"},
}

// DefaultProviders are the rate sources in the rates package's order.
func DefaultProviders() []string { return rates.DefaultProviders() }

// DefaultConfig is what steppe uses when there is no config file.
func DefaultConfig() Config {
	c := Config{}
	c.applyDefaults(nil)
	return c
}

// Load reads the TOML file at path. A missing file gives the defaults
// (when mustExist is false); a bad one is an error naming file, line and key.
func Load(path string, mustExist bool) (Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && !mustExist {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	defer f.Close()
	// Read one byte past the limit, never the whole of a huge file.
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes and validates config text; path is only used in
// messages. Text over 1 MiB or nested deeper than 16 levels is refused
// before it is parsed.
func Parse(path string, data []byte) (Config, error) {
	if len(data) > maxConfigBytes {
		return Config{}, fmt.Errorf("config %s is larger than 1 MiB; a steppe config is a few kilobytes (is it the right file?)", path)
	}
	if line, ok := checkDepth(data); !ok {
		return Config{}, fmt.Errorf("config %s:%d: nested deeper than %d levels; a steppe config needs three ([rates.endpoints] erapi = …)", path, line, maxConfigDepth)
	}
	var c Config
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := sanitize.Escape(pe.Message)
			if key := pe.LastKey; key != "" {
				return Config{}, fmt.Errorf("config %s:%d: key %q: %s", path, pe.Position.Line, key, msg)
			}
			return Config{}, fmt.Errorf("config %s:%d: %s", path, pe.Position.Line, msg)
		}
		if te, ok := typeError(path, err); ok {
			return Config{}, te
		}
		return Config{}, fmt.Errorf("config %s: %s", path, sanitize.Escape(err.Error()))
	}
	idx := newKeyIndex(data)
	undecoded := md.Undecoded()
	names := make([]string, len(undecoded))
	for i, k := range undecoded {
		names[i] = strings.Join(k, ".") // the key as written; showKey quotes it when needed
	}
	c.Warnings, c.ShortWarnings = unknownKeyWarnings(path, names, idx)
	c.Path = path
	c.idx = idx
	if err := c.validate(path, idx); err != nil {
		return Config{}, err
	}
	c.applyDefaults(&md)
	return c, nil
}

// KeyError is an error in the value of the key of c named by its parts
// ("keys", "down"; "feeds", "2", "url"), in the words every config error
// has: "config FILE:LINE: key KEY: what is wrong".
func (c *Config) KeyError(key []string, format string, args ...any) error {
	line := 0
	if c.idx != nil {
		line = c.idx.line(toml.Key(key).String())
	}
	return fmt.Errorf("config %s:%d: key %s: %s", c.Path, line, displayKey(key), sanitize.Escape(fmt.Sprintf(format, args...)))
}

func (c *Config) validate(path string, idx *keyIndex) error {
	fail := func(key toml.Key, format string, args ...any) error {
		return fmt.Errorf("config %s:%d: key %s: %s", path, idx.line(key.String()), displayKey(key), sanitize.Escape(fmt.Sprintf(format, args...)))
	}
	if c.PageSize < 0 || c.PageSize > 500 {
		return fail(toml.Key{"page_size"}, "must be between 0 (fit the terminal) and 500, not %d", c.PageSize)
	}
	if t := time.Duration(c.FetchTimeout); t != 0 && (t < 100*time.Millisecond || t > 10*time.Minute) {
		return fail(toml.Key{"fetch_timeout"}, "%s is out of range (100ms to 10m)", t)
	}
	if err := checkMaxItems(c.MaxItems, idx, toml.Key{"max_items"}, fail); err != nil {
		return err
	}
	if c.KeepDays < 0 {
		return fail(toml.Key{"keep_days"}, "must be a positive number of days, not %d", c.KeepDays)
	}
	if c.Browser != "" {
		if _, err := CommandWords(c.Browser, BrowserExample); err != nil {
			return fail(toml.Key{"browser"}, "%v", err)
		}
	}
	if c.Pipe != "" {
		if _, err := CommandWords(c.Pipe, BrowserExample); err != nil {
			return fail(toml.Key{"pipe"}, "%v", err)
		}
	}
	if c.Player != nil {
		if err := player.Check(c.Player); err != nil {
			return fail(toml.Key{"player"}, "%v", err)
		}
	}
	if strings.ContainsRune(c.SaveDir, 0) || c.SaveDir != "" && strings.TrimSpace(c.SaveDir) == "" {
		return fail(toml.Key{"save_dir"}, "%q is not a directory name", c.SaveDir)
	}
	seen := map[string]int{}  // a feed's normalised URL: its entry
	named := map[string]int{} // a feed's name, in lower case: its entry
	for i, f := range c.Feeds {
		key := func(name string) toml.Key { return toml.Key{"feeds", strconv.Itoa(i), name} }
		if strings.TrimSpace(f.URL) == "" {
			return fail(key("url"), "feed %d has no url", i+1)
		}
		if err := CheckHTTPURL(f.URL); err != nil {
			return fail(key("url"), "%v", err)
		}
		if err := checkMaxItems(f.MaxItems, idx, key("max_items"), fail); err != nil {
			return err
		}
		if f.Refresh != 0 && time.Duration(f.Refresh) < minRefresh {
			return fail(key("refresh"), "%s is too often; the least is %s", time.Duration(f.Refresh), minRefresh)
		}
		// The same feed twice is stored once, under the first entry: say
		// so, rather than let the second entry's name and group vanish.
		if u, err := feeds.NormURL(f.URL); err == nil {
			if first, dup := seen[u]; dup {
				line := idx.line(key("url").String())
				c.Warn(fmt.Sprintf("config %s:%d: [[feeds]] entry %d has the url of entry %d; only entry %d is used", path, line, i+1, first+1, first+1),
					fmt.Sprintf("config: feed %d repeats feed %d", i+1, first+1))
			} else {
				seen[u] = i
			}
		}
		// Two feeds of one name cannot be told apart in refresh's lines,
		// the status line or feeds list.
		if n := strings.ToLower(strings.TrimSpace(f.Name)); n != "" {
			if first, dup := named[n]; dup {
				line := idx.line(key("name").String())
				c.Warn(fmt.Sprintf("config %s:%d: [[feeds]] entry %d has the name of entry %d, %q; name one of them otherwise", path, line, i+1, first+1, sanitize.Escape(f.Name)),
					fmt.Sprintf("config: feeds %d and %d share a name", first+1, i+1))
			} else {
				named[n] = i
			}
		}
	}
	if err := c.Sync.validate(fail); err != nil {
		return err
	}
	rules, err := c.compileRules(fail)
	if err != nil {
		return err
	}
	c.rules = rules
	r := c.Rates
	if r.Base != "" && !isCurrencyCode(r.Base) {
		return fail(toml.Key{"rates", "base"}, "%q is not a three-letter currency code", r.Base)
	}
	if r.Currencies != nil && len(r.Currencies) == 0 {
		return fail(toml.Key{"rates", "currencies"}, "lists no currency; leave it out for the default (%s)", strings.Join(defaultCurrencies(), ", "))
	}
	base := strings.ToUpper(r.Base)
	if base == "" {
		base = defaultBase
	}
	listed := map[string]bool{}
	for _, raw := range r.Currencies {
		code := strings.ToUpper(raw)
		switch {
		case !isCurrencyCode(raw):
			return fail(toml.Key{"rates", "currencies"}, "%q is not a three-letter currency code", raw)
		case listed[code]:
			return fail(toml.Key{"rates", "currencies"}, "%s is listed twice", code)
		case code == base:
			return fail(toml.Key{"rates", "currencies"}, "%s is the base currency (rates are against it)", code)
		}
		listed[code] = true
	}
	if r.Refresh != 0 && time.Duration(r.Refresh) < minRefresh {
		return fail(toml.Key{"rates", "refresh"}, "%s is too often; the least is %s", time.Duration(r.Refresh), minRefresh)
	}
	for _, p := range r.Providers {
		if _, ok := rates.DefaultEndpoint(p); !ok {
			return fail(toml.Key{"rates", "providers"}, "unknown provider %q (known: %s)", p, strings.Join(DefaultProviders(), ", "))
		}
	}
	for name, u := range r.Endpoints {
		if _, ok := rates.DefaultEndpoint(name); !ok {
			return fail(toml.Key{"rates", "endpoints", name}, "unknown provider %q (known: %s)", name, strings.Join(DefaultProviders(), ", "))
		}
		if err := CheckHTTPURL(u); err != nil {
			return fail(toml.Key{"rates", "endpoints", name}, "%v", err)
		}
	}
	return nil
}

// checkMaxItems checks a max_items value: 1 to feeds.MaxItemsLimit when it
// is written (0 is the key left out).
func checkMaxItems(n int, idx *keyIndex, key toml.Key, fail func(toml.Key, string, ...any) error) error {
	_, written := idx.exact[key.String()]
	if n < 0 || n > feeds.MaxItemsLimit || n == 0 && written {
		return fail(key, "must be between 1 and %d (the newest items kept of each feed), not %d", feeds.MaxItemsLimit, n)
	}
	return nil
}

// defaultBase and defaultCurrencies are the rates shown when the config
// names none: the region's five currencies against the dollar.
const defaultBase = "USD"

func defaultCurrencies() []string { return []string{"KGS", "KZT", "TJS", "UZS", "TMT"} }

// displayKey names a key for a person: "page_size", or `"url" in [[feeds]] entry 3`.
func displayKey(key []string) string {
	for i, p := range key {
		if n, err := strconv.Atoi(p); err == nil && i > 0 {
			return fmt.Sprintf("%q in [[%s]] entry %d", strings.Join(key[i+1:], "."), strings.Join(key[:i], "."), n+1)
		}
	}
	return fmt.Sprintf("%q", toml.Key(key).String())
}

func (c *Config) applyDefaults(md *toml.MetaData) {
	defined := func(key ...string) bool { return md != nil && md.IsDefined(key...) }
	if !defined("page_size") {
		c.PageSize = defaultPageSize
	}
	if c.KeepDays == 0 {
		c.KeepDays = feeds.DefaultKeepDays
	}
	if c.FetchTimeout == 0 {
		c.FetchTimeout = Duration(defaultFetchTimeout)
	}
	if c.MaxItems == 0 {
		c.MaxItems = feeds.DefaultMaxItems
	}
	if !defined("feeds") {
		c.Feeds = append([]FeedConfig(nil), defaultFeeds...)
	}
	for i := range c.Feeds {
		if c.Feeds[i].Refresh == 0 {
			c.Feeds[i].Refresh = Duration(DefaultFeedRefresh)
		}
		if strings.TrimSpace(c.Feeds[i].Name) == "" {
			c.Feeds[i].Name = textfmt.Host(c.Feeds[i].URL)
		}
	}
	if c.Rates.Base == "" {
		c.Rates.Base = defaultBase
	}
	c.Rates.Base = strings.ToUpper(c.Rates.Base)
	if !defined("rates", "currencies") {
		c.Rates.Currencies = defaultCurrencies()
	}
	for i, code := range c.Rates.Currencies {
		c.Rates.Currencies[i] = strings.ToUpper(code)
	}
	if c.Rates.Refresh == 0 {
		c.Rates.Refresh = Duration(defaultRatesRefresh)
	}
	if len(c.Rates.Providers) == 0 {
		c.Rates.Providers = DefaultProviders()
	}
}

// FeedSpecs turns the configured feeds into feeds.Spec values.
func (c Config) FeedSpecs() []feeds.Spec {
	specs := make([]feeds.Spec, 0, len(c.Feeds))
	for _, f := range c.Feeds {
		specs = append(specs, feeds.Spec{Name: f.Name, URL: strings.TrimSpace(f.URL), Refresh: time.Duration(f.Refresh), Group: f.Group})
	}
	return specs
}

// FeedItems is feeds.Options.ItemsFor for the configured feeds: each
// feed's own max_items, by its URL; 0 (the top-level max_items) for the
// others.
func (c Config) FeedItems() func(feeds.Feed) int {
	own := map[string]int{}
	for _, f := range c.Feeds {
		if f.MaxItems == 0 {
			continue
		}
		u, err := feeds.NormURL(f.URL)
		if err != nil {
			u = strings.TrimSpace(f.URL)
		}
		if _, dup := own[u]; !dup { // the first entry is the one used
			own[u] = f.MaxItems
		}
	}
	if len(own) == 0 {
		return nil
	}
	return func(f feeds.Feed) int {
		u, err := feeds.NormURL(f.URL)
		if err != nil {
			u = f.URL
		}
		return own[u]
	}
}

// CheckHTTPURL is sanitize.HTTPURL in the config's words.
func CheckHTTPURL(s string) error {
	_, err := sanitize.HTTPURL(strings.TrimSpace(s))
	switch {
	case err == nil:
		return nil
	case err.Error() == "not an http(s) URL":
		return fmt.Errorf("%q must be an http or https URL", sanitize.Escape(s))
	case err.Error() == "URL has no host":
		return fmt.Errorf("%q has no host", sanitize.Escape(s))
	}
	return fmt.Errorf("%q is not a usable URL: %v", sanitize.Escape(s), err)
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// Warn adds a warning, whole and in short.
func (c *Config) Warn(whole, short string) {
	c.Warnings = append(c.Warnings, whole)
	c.ShortWarnings = append(c.ShortWarnings, short)
}

// CompiledRules are the config's [[rules]] and [[queries]], compiled.
func (c *Config) CompiledRules() Rules { return c.rules }
