// Package newsboat reads a newsboat setup, its urls file and the
// ignore-article lines of its config, into feeds, query feeds and ignore
// rules steppe can take, with what it could not take and why.
package newsboat

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/steppe-news/steppe/internal/filter"
)

// Feed is one feed line of urls.
type Feed struct {
	URL    string
	Name   string // from a "~Name" tag; empty when the feed's own title is kept
	Group  string // the first tag; a nested tag "a/b" stays a path
	Tags   []string
	Hidden bool // a tag starting with "!": newsboat hides the feed from its list
	Line   int  // its line in urls
}

// Query is one "query:Name:rule" line of urls.
type Query struct {
	Name, Rule string
	Line       int // its line in urls
}

// Rule is an ignore-article line of config, as a rule in steppe's filter
// language.
type Rule struct {
	Rule string
	Line int // its line in config
}

// Skip is a line that could not be taken.
type Skip struct {
	File string
	Line int
	Why  string
}

func (s Skip) String() string { return fmt.Sprintf("%s:%d: %s", s.File, s.Line, s.Why) }

// Setup is what was read.
type Setup struct {
	Feeds   []Feed
	Queries []Query
	Ignore  []Rule // each checked by filter.Parse
	Skipped []Skip
}

// ReadURLs reads a urls file; name is the file's name for Skipped.
func (s *Setup) ReadURLs(r io.Reader, name string) error {
	return eachLine(r, func(n int, line string) {
		toks, err := split(line)
		if err != nil {
			s.skip(name, n, err.Error())
			return
		}
		if len(toks) == 0 {
			return
		}
		first := toks[0]
		switch {
		case strings.HasPrefix(first, "query:"):
			qname, rule, ok := strings.Cut(strings.TrimPrefix(first, "query:"), ":")
			if !ok || qname == "" {
				s.skip(name, n, "a query line needs query:Name:rule")
				return
			}
			if _, err := filter.Parse(rule); err != nil {
				s.skip(name, n, fmt.Sprintf("query %q: %v", qname, err))
				return
			}
			s.Queries = append(s.Queries, Query{Name: qname, Rule: rule, Line: n})
		case strings.HasPrefix(first, "exec:"), strings.HasPrefix(first, "filter:"):
			s.skip(name, n, "exec: and filter: feeds run a command; steppe does not")
		case strings.HasPrefix(first, "http://"), strings.HasPrefix(first, "https://"):
			f := Feed{URL: first, Line: n}
			for _, t := range toks[1:] {
				switch {
				case strings.HasPrefix(t, "!"):
					f.Hidden = true // newsboat hides a feed with any tag that starts with !
				case strings.HasPrefix(t, "~"):
					f.Name = t[1:]
				case t != "":
					f.Tags = append(f.Tags, t)
				}
			}
			if len(f.Tags) > 0 {
				f.Group = f.Tags[0]
			}
			s.Feeds = append(s.Feeds, f)
		default:
			s.skip(name, n, fmt.Sprintf("%q is not an http(s) URL", first))
		}
	})
}

// ReadConfig reads the ignore-article lines of a newsboat config; every
// other line is left alone. An ignore-article for one feed becomes
// `feedurl = "URL" and (rule)`.
func (s *Setup) ReadConfig(r io.Reader, name string) error {
	return eachLine(r, func(n int, line string) {
		toks, err := split(line)
		if err != nil || len(toks) == 0 || toks[0] != "ignore-article" {
			if err != nil && strings.HasPrefix(strings.TrimSpace(line), "ignore-article") {
				s.skip(name, n, err.Error())
			}
			return
		}
		if len(toks) != 3 {
			s.skip(name, n, `ignore-article takes a feed URL (or "*") and a rule`)
			return
		}
		rule := toks[2]
		if _, err := filter.Parse(rule); err != nil {
			s.skip(name, n, fmt.Sprintf("ignore-article rule: %v", err))
			return
		}
		if toks[1] != "*" {
			rule = fmt.Sprintf("feedurl = %s and (%s)", quote(toks[1]), rule)
		}
		s.Ignore = append(s.Ignore, Rule{Rule: rule, Line: n})
	})
}

func (s *Setup) skip(file string, line int, why string) {
	s.Skipped = append(s.Skipped, Skip{File: file, Line: line, Why: why})
}

func eachLine(r io.Reader, fn func(n int, line string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		fn(n, sc.Text())
	}
	return sc.Err()
}

// split cuts a line into newsboat's tokens: words separated by blanks,
// "double quoted" strings with \" and \\ escapes, and # starting a
// comment outside quotes.
func split(line string) ([]string, error) {
	var toks []string
	var b strings.Builder
	in, started := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in && c == '\\' && i+1 < len(line):
			i++
			b.WriteByte(line[i])
		case in && c == '"':
			in = false
		case in:
			b.WriteByte(c)
		case c == '"':
			in, started = true, true
		case c == '#' && !started:
			return toks, nil
		case c == ' ' || c == '\t':
			if started {
				toks = append(toks, b.String())
				b.Reset()
				started = false
			}
		default:
			started = true
			b.WriteByte(c)
		}
	}
	if in {
		return nil, fmt.Errorf("a quoted string is not closed")
	}
	if started {
		toks = append(toks, b.String())
	}
	return toks, nil
}

// quote makes s a double-quoted string of the filter language.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
