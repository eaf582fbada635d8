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

// Size is a count of bytes in short, in binary units as players and file
// managers show them: "512 B", "3.4 KB", "24.1 MB", "1.2 GB".
func Size(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(max(n, 0), 10) + " B"
	}
	v := float64(n)
	for _, unit := range []string{"KB", "MB", "GB", "TB"} {
		v /= 1024
		if v < 1024 || unit == "TB" {
			return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
		}
	}
	return "" // not reached
}

// Media is an enclosure's type and size as the links pane and `steppe
// article` show them: "audio/mpeg · 24.1 MB"; "media" stands for an
// unknown type, and an unknown size (0) is left out.
func Media(typ string, length int64) string {
	if typ == "" {
		typ = "media"
	}
	if length <= 0 {
		return typ
	}
	return typ + " · " + Size(length)
}
