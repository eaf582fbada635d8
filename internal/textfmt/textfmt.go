// Package textfmt is the one home of the small words steppe prints in
// both the command line and the dashboard: how long ago something was, a
// count with its noun, a URL's host as a name.
package textfmt

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Age is how long before now t was, in short: "just now", "3m ago", "3h
// ago" (under a day), "2d ago" (under a week), then the date ("2 Jan
// 2006"). A t after now is "just now".
func Age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	}
	return t.Format("2 Jan 2006")
}

// Plural is n and the noun for it: "1 feed", "0 feeds", "3 feeds".
func Plural(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Word(n, one, many)
}

// Word is the noun alone for n: one when n is 1, else many.
func Word(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Host is a URL's host as a name for what it serves (a feed that names
// itself nothing): the host with its port, if any, less a leading "www.";
// s itself when it has no host.
func Host(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return s
}
