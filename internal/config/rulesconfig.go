package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/filter"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// RuleConfig is one [[rules]] entry: an ignore rule (the articles it
// matches are kept out of every view, count, search and --json) or a
// highlight (drawn in the theme's highlight colour), in newsboat's filter
// language.
type RuleConfig struct {
	Ignore    string `toml:"ignore" example:"'title =~ \"(?i)sponsored\"'"`
	Highlight string `toml:"highlight" example:"'title =~ \"(?i)tenge|som\"'"`
}

// QueryConfig is one [[queries]] entry: a query feed, listed beside the
// feeds, holding the articles its rule matches.
type QueryConfig struct {
	Name  string `toml:"name" example:"\"Money\""`
	Query string `toml:"query" example:"'unread = \"yes\" and title =~ \"tenge\"'"`
}

// Rules are the config's rules, compiled once.
type Rules struct {
	Ignore    []*filter.Filter
	Highlight []*filter.Filter
	Queries   []Query
}

// Query is a compiled query feed.
type Query struct {
	Name   string
	Filter *filter.Filter
}

// MaxQueryName is the longest query feed name, in characters.
const MaxQueryName = 100

// compileRules parses every rule and query, failing on the first bad one
// with the file, line, key and the column of the fault.
func (c *Config) compileRules(fail func(key toml.Key, format string, args ...any) error) (Rules, error) {
	var r Rules
	parse := func(key toml.Key, src string) (*filter.Filter, error) {
		f, err := filter.Parse(src)
		if err != nil {
			var fe *filter.Error
			if errors.As(err, &fe) {
				return nil, fail(key, "%v, in %s", fe, QuoteRule(src))
			}
			return nil, fail(key, "%v", err)
		}
		return f, nil
	}
	for i, rc := range c.Rules {
		key := func(k string) toml.Key { return toml.Key{"rules", strconv.Itoa(i), k} }
		switch {
		case rc.Ignore != "" && rc.Highlight != "":
			return r, fail(key("highlight"), "a [[rules]] entry is either ignore or highlight; give this one its own [[rules]]")
		case strings.TrimSpace(rc.Ignore) != "":
			f, err := parse(key("ignore"), rc.Ignore)
			if err != nil {
				return r, err
			}
			r.Ignore = append(r.Ignore, f)
		case strings.TrimSpace(rc.Highlight) != "":
			f, err := parse(key("highlight"), rc.Highlight)
			if err != nil {
				return r, err
			}
			r.Highlight = append(r.Highlight, f)
		default:
			return r, fail(toml.Key{"rules", strconv.Itoa(i)}, "[[rules]] entry %d has neither ignore nor highlight", i+1)
		}
	}
	seen := map[string]int{}
	for i, qc := range c.Queries {
		key := func(k string) toml.Key { return toml.Key{"queries", strconv.Itoa(i), k} }
		name := strings.TrimSpace(sanitize.Escape(qc.Name))
		switch {
		case name == "":
			return r, fail(key("query"), "[[queries]] entry %d has no name", i+1)
		case len([]rune(name)) > MaxQueryName:
			return r, fail(key("name"), "is longer than %d characters", MaxQueryName)
		case strings.TrimSpace(qc.Query) == "":
			return r, fail(key("name"), "query %q has no query = '…' rule", name)
		}
		if first, dup := seen[strings.ToLower(name)]; dup {
			return r, fail(key("name"), "query %q has the name of [[queries]] entry %d", name, first+1)
		}
		seen[strings.ToLower(name)] = i
		f, err := parse(key("query"), qc.Query)
		if err != nil {
			return r, err
		}
		r.Queries = append(r.Queries, Query{Name: name, Filter: f})
	}
	return r, nil
}

// QuoteRule shows a rule in an error: one line, cut when long.
func QuoteRule(src string) string {
	s := strings.Join(strings.Fields(sanitize.Escape(src)), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return fmt.Sprintf("'%s'", s)
}

// store is the rules the feeds store applies: the ignore rules, the
// highlights (marked on the articles of a page) and the query feeds.
func (r Rules) Store() feeds.Rules {
	out := feeds.Rules{Ignore: r.Ignore, Highlight: r.Highlight}
	for _, q := range r.Queries {
		out.Queries = append(out.Queries, feeds.QueryFeed{Name: q.Name, Filter: q.Filter})
	}
	return out
}

// queryName finds a query feed by name, case-insensitively, and returns
// its name as configured.
func (r Rules) QueryName(name string) (string, bool) {
	for _, q := range r.Queries {
		if strings.EqualFold(q.Name, strings.TrimSpace(name)) {
			return q.Name, true
		}
	}
	return "", false
}

// QueryNotFound is the error for --query NAME naming no query feed.
func QueryNotFound(name string, r Rules) error {
	if len(r.Queries) == 0 {
		return fmt.Errorf("no query feed %q: the config has no [[queries]]", sanitize.Escape(name))
	}
	names := make([]string, len(r.Queries))
	for i, q := range r.Queries {
		names[i] = fmt.Sprintf("%q", q.Name)
	}
	return fmt.Errorf("no query feed %q: the config has %s", sanitize.Escape(name), strings.Join(names, ", "))
}
