package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// The UI cleans everything it prints that came from outside (feed text,
// errors, URLs) with internal/sanitize, the one definition of what must
// never reach a terminal, once when the data arrives and again in what it
// renders.

// errRefused is the answer to a link that is not plain http(s).
var errRefused = errors.New("refusing to open a link that is not http(s)")

// errUserInfo is the answer to a link with a user name or password in it:
// it would be handed to another program's command line, where other users
// of the machine can read it.
var errUserInfo = errors.New("not opening the link: it has a user name or password in it (***@)")

// safeURL accepts only absolute http/https URLs with a host, no leading '-'
// (it could be taken for an option by the opener), no spaces, controls or
// user info.
func safeURL(link string) (string, error) {
	if link == "" {
		return "", errors.New("no link")
	}
	u, err := sanitize.HTTPURL(link)
	if err != nil || u.Opaque != "" || strings.Contains(link, `\`) {
		return "", errRefused
	}
	if u.User != nil {
		return "", errUserInfo
	}
	return u.String(), nil
}

// truncate cuts s (styled or not) to at most w cells as ansi.StringWidth
// measures them, ending in tail when it cuts. ansi.Truncate and
// ansi.StringWidth disagree on a few sequences (a variation selector after
// a letter: one cell for one, two for the other), so the cut is narrowed
// until the measure agrees: no line is ever wider than the terminal.
func truncate(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	for cut := w; cut > 0; cut-- {
		if t := ansi.Truncate(s, cut, tail); ansi.StringWidth(t) <= w {
			return t
		}
	}
	return ""
}
