package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// Config is the user's configuration (config.toml). Every key is optional.
type Config struct {
	PageSize     int          `toml:"page_size"`
	KeepDays     int          `toml:"keep_days"`
	FetchTimeout Duration     `toml:"fetch_timeout"`
	Feeds        []FeedConfig `toml:"feeds"`
	Rates        RatesConfig  `toml:"rates"`

	// Path is the file the config was read from; "" for the built-in defaults.
	Path string `toml:"-"`
	// Warnings are problems that do not stop the program (unknown keys).
	Warnings []string `toml:"-"`
}

// FeedConfig is one [[feeds]] entry.
type FeedConfig struct {
	Name    string   `toml:"name"`
	URL     string   `toml:"url"`
	Refresh Duration `toml:"refresh"`
}

// RatesConfig is the [rates] table.
type RatesConfig struct {
	Base       string            `toml:"base"`
	Currencies []string          `toml:"currencies"`
	Refresh    Duration          `toml:"refresh"`
	Providers  []string          `toml:"providers"`
	Invert     bool              `toml:"invert"`
	Endpoints  map[string]string `toml:"endpoints"`
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

// Defaults for keys the config leaves out.
const (
	defaultPageSize     = 6
	defaultKeepDays     = 90
	defaultFetchTimeout = 20 * time.Second
	defaultFeedRefresh  = 15 * time.Minute
	defaultRatesRefresh = time.Hour
	minRefresh          = time.Minute
)

// defaultFeeds are the region's feeds that steppe follows out of the box.
var defaultFeeds = []FeedConfig{
	{Name: "The Times of Central Asia", URL: "https://timesca.com/feed/"},
	{Name: "Eurasianet", URL: "https://eurasianet.org/rss.xml"},
	{Name: "The Diplomat: Central Asia", URL: "https://thediplomat.com/regions/central-asia/feed/"},
	{Name: "24.kg", URL: "https://24.kg/rss/"},
	{Name: "Kun.uz", URL: "https://kun.uz/news/rss"},
	{Name: "The Astana Times", URL: "https://astanatimes.com/feed/"},
}

// DefaultConfig is what steppe uses when there is no config file.
func DefaultConfig() Config {
	c := Config{}
	c.applyDefaults(nil)
	return c
}

// LoadConfig reads the TOML file at path. A missing file gives the defaults
// (when mustExist is false); a bad one is an error naming file, line and key.
func LoadConfig(path string, mustExist bool) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !mustExist {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return ParseConfig(path, data)
}

var tomlTypeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// ParseConfig decodes and validates config text; path is only used in messages.
func ParseConfig(path string, data []byte) (Config, error) {
	var c Config
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			key := pe.LastKey
			msg := pe.Message
			if key != "" {
				return Config{}, fmt.Errorf("config %s:%d: key %q: %s", path, pe.Position.Line, key, msg)
			}
			return Config{}, fmt.Errorf("config %s:%d: %s", path, pe.Position.Line, msg)
		}
		if m := tomlTypeErr.FindStringSubmatch(err.Error()); m != nil {
			return Config{}, fmt.Errorf("config %s:%s: key %q: %s", path, m[1], m[2], m[3])
		}
		return Config{}, fmt.Errorf("config %s: %v", path, err)
	}
	loc := newKeyLocator(data)
	for _, k := range md.Undecoded() {
		c.Warnings = append(c.Warnings, fmt.Sprintf("config %s:%d: unknown key %q (ignored)", path, loc.line(k), k.String()))
	}
	c.Path = path
	if err := c.validate(path, loc); err != nil {
		return Config{}, err
	}
	c.applyDefaults(&md)
	return c, nil
}

func (c *Config) validate(path string, loc *keyLocator) error {
	fail := func(key toml.Key, format string, args ...any) error {
		return fmt.Errorf("config %s:%d: key %s: %s", path, loc.line(key), displayKey(key), fmt.Sprintf(format, args...))
	}
	if c.PageSize < 0 || c.PageSize > 500 {
		return fail(toml.Key{"page_size"}, "must be between 0 (fit the terminal) and 500, not %d", c.PageSize)
	}
	if t := time.Duration(c.FetchTimeout); t != 0 && (t < 100*time.Millisecond || t > 10*time.Minute) {
		return fail(toml.Key{"fetch_timeout"}, "%s is out of range (100ms to 10m)", t)
	}
	if c.KeepDays < 0 {
		return fail(toml.Key{"keep_days"}, "must be a positive number of days, not %d", c.KeepDays)
	}
	for i, f := range c.Feeds {
		key := func(name string) toml.Key { return toml.Key{"feeds", strconv.Itoa(i), name} }
		if strings.TrimSpace(f.URL) == "" {
			return fail(key("url"), "feed %d has no url", i+1)
		}
		if err := checkHTTPURL(f.URL); err != nil {
			return fail(key("url"), "%v", err)
		}
		if f.Refresh != 0 && time.Duration(f.Refresh) < minRefresh {
			return fail(key("refresh"), "%s is too often; the least is %s", time.Duration(f.Refresh), minRefresh)
		}
	}
	r := c.Rates
	if r.Base != "" && !isCurrencyCode(r.Base) {
		return fail(toml.Key{"rates", "base"}, "%q is not a three-letter currency code", r.Base)
	}
	for _, code := range r.Currencies {
		if !isCurrencyCode(code) {
			return fail(toml.Key{"rates", "currencies"}, "%q is not a three-letter currency code", code)
		}
	}
	if r.Refresh != 0 && time.Duration(r.Refresh) < minRefresh {
		return fail(toml.Key{"rates", "refresh"}, "%s is too often; the least is %s", time.Duration(r.Refresh), minRefresh)
	}
	for _, p := range r.Providers {
		if _, ok := rates.DefaultEndpoint(p); !ok {
			return fail(toml.Key{"rates", "providers"}, "unknown provider %q (known: %s)", p, strings.Join(rates.DefaultProviders(), ", "))
		}
	}
	for name, u := range r.Endpoints {
		if _, ok := rates.DefaultEndpoint(name); !ok {
			return fail(toml.Key{"rates", "endpoints", name}, "unknown provider %q (known: %s)", name, strings.Join(rates.DefaultProviders(), ", "))
		}
		if err := checkHTTPURL(u); err != nil {
			return fail(toml.Key{"rates", "endpoints", name}, "%v", err)
		}
	}
	return nil
}

// displayKey names a key for a person: "page_size", or `"url" in [[feeds]] entry 3`.
func displayKey(key toml.Key) string {
	for i, p := range key {
		if n, err := strconv.Atoi(p); err == nil && i > 0 {
			return fmt.Sprintf("%q in [[%s]] entry %d", strings.Join(key[i+1:], "."), strings.Join(key[:i], "."), n+1)
		}
	}
	return fmt.Sprintf("%q", key.String())
}

func (c *Config) applyDefaults(md *toml.MetaData) {
	defined := func(key ...string) bool { return md != nil && md.IsDefined(key...) }
	if !defined("page_size") {
		c.PageSize = defaultPageSize
	}
	if c.KeepDays == 0 {
		c.KeepDays = defaultKeepDays
	}
	if c.FetchTimeout == 0 {
		c.FetchTimeout = Duration(defaultFetchTimeout)
	}
	if !defined("feeds") {
		c.Feeds = append([]FeedConfig(nil), defaultFeeds...)
	}
	for i := range c.Feeds {
		if c.Feeds[i].Refresh == 0 {
			c.Feeds[i].Refresh = Duration(defaultFeedRefresh)
		}
		if strings.TrimSpace(c.Feeds[i].Name) == "" {
			c.Feeds[i].Name = hostOf(c.Feeds[i].URL)
		}
	}
	if c.Rates.Base == "" {
		c.Rates.Base = "USD"
	}
	c.Rates.Base = strings.ToUpper(c.Rates.Base)
	if !defined("rates", "currencies") {
		c.Rates.Currencies = []string{"KGS", "KZT", "TJS", "UZS", "TMT"}
	}
	for i, code := range c.Rates.Currencies {
		c.Rates.Currencies[i] = strings.ToUpper(code)
	}
	if c.Rates.Refresh == 0 {
		c.Rates.Refresh = Duration(defaultRatesRefresh)
	}
	if len(c.Rates.Providers) == 0 {
		c.Rates.Providers = rates.DefaultProviders()
	}
}

// FeedSpecs turns the configured feeds into feeds.Spec values.
func (c Config) FeedSpecs() []feeds.Spec {
	specs := make([]feeds.Spec, 0, len(c.Feeds))
	for _, f := range c.Feeds {
		specs = append(specs, feeds.Spec{Name: f.Name, URL: strings.TrimSpace(f.URL), Refresh: time.Duration(f.Refresh)})
	}
	return specs
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must be an http or https URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	return nil
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

func hostOf(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return s
}

// keyLocator finds the line a key path is written on, for error messages.
// It understands [table], [[array]] headers and dotted keys well enough for a
// config file; it returns 0 when it cannot tell.
type keyLocator struct {
	lines []string
}

func newKeyLocator(data []byte) *keyLocator {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return &keyLocator{lines: lines}
}

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-]+)\s*=`)
)

// line returns the 1-based line of key, e.g. {"feeds","2","url"} is the url
// of the third [[feeds]] entry. Unknown keys report the closest line found.
func (l *keyLocator) line(key toml.Key) int {
	table := "" // current table path, dotted
	index := map[string]int{}
	best := 0
	want := strings.Join(key, ".")
	for i, raw := range l.lines {
		if m := headerRe.FindStringSubmatch(raw); m != nil {
			name := normaliseKey(m[2])
			if m[1] == "[[" {
				index[name]++
				table = name + "." + strconv.Itoa(index[name]-1)
			} else {
				table = name
			}
			if table == want || name == want {
				best = i + 1
			}
			continue
		}
		m := keyRe.FindStringSubmatch(raw)
		if m == nil {
			continue
		}
		full := normaliseKey(m[1])
		if table != "" {
			full = table + "." + full
		}
		if full == want {
			return i + 1
		}
		// An undecoded key inside an array table is reported without the index.
		if stripIndexes(full) == want && best == 0 {
			best = i + 1
		}
	}
	return best
}

func normaliseKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

func stripIndexes(k string) string {
	parts := strings.Split(k, ".")
	out := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}
