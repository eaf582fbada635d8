package ui

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"
)

// sanitize removes every escape sequence and control character from feed
// text, keeping newlines when keepNL is set (tabs become a space). Invalid
// UTF-8 bytes (a raw 0x9b is a C1 CSI to some terminals) are dropped, and so
// are bidi overrides, which can make a line lie about what it says.
func sanitize(s string, keepNL bool) string {
	return clean(s, keepNL, false)
}

// sanitizeRendered cleans rendered reader text: SGR sequences (ESC [ … m)
// survive so glamour's styling shows, everything else (OSC 8/52, cursor
// movement, DCS, C1 controls) is removed.
func sanitizeRendered(s string) string {
	return clean(s, true, true)
}

func clean(s string, keepNL, keepSGR bool) string {
	if isClean(s, keepNL) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// an invalid byte; raw 8-bit C1 introducers take their sequence along
			switch s[i] {
			case 0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f:
				i += c1Len(s[i:], 1, rune(s[i]))
			default:
				i++
			}
		case r == 0x1b:
			n, isSGR := escLen(s[i:])
			if keepSGR && isSGR {
				b.WriteString(s[i : i+n])
			}
			i += n
		case r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			// C1 CSI/OSC/DCS/SOS/PM/APC: drop the whole sequence.
			i += c1Len(s[i:], size, r)
		case r == '\n':
			if keepNL {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
			i += size
		case r == '\t':
			b.WriteByte(' ')
			i += size
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidi(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// isClean is the fast path: true when there is nothing to remove.
func isClean(s string, keepNL bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && !(keepNL && c == '\n') || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				return isCleanSlow(s, keepNL)
			}
			return false
		}
	}
	return true
}

func isCleanSlow(s string, keepNL bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return false
			}
		}
		if (r < 0x20 && !(keepNL && r == '\n')) || (r >= 0x7f && r <= 0x9f) || isBidi(r) {
			return false
		}
	}
	return true
}

// escLen returns the length of the escape sequence at s[0] == ESC and whether
// it is an SGR sequence with plain parameters.
func escLen(s string) (int, bool) {
	if len(s) < 2 {
		return len(s), false
	}
	switch s[1] {
	case '[': // CSI: params 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e
		j := 2
		plain := true
		for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
			if !(s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				plain = false
			}
			j++
		}
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			plain = false
			j++
		}
		if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
			return j + 1, plain && s[j] == 'm'
		}
		return j, false // malformed: drop what we saw
	case ']', 'P', 'X', '^', '_': // string sequences up to BEL or ST
		return 2 + stringEnd(s[2:]), false
	default:
		j := 1
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) {
			j++
		}
		return j, false
	}
}

// stringEnd finds the end of an OSC/DCS/… payload: BEL, ESC \ or C1 ST.
func stringEnd(s string) int {
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case 0x07:
			return j + 1
		case 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j // a new escape starts: let the caller handle it
		case 0xc2:
			if j+1 < len(s) && s[j+1] == 0x9c {
				return j + 2
			}
		}
	}
	return len(s)
}

func c1Len(s string, size int, r rune) int {
	if r == 0x9b {
		j := size
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
			j++
		}
		if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
			j++
		}
		return j
	}
	return size + stringEnd(s[size:])
}

// sanitizeAll sanitises every string of a list (one line each).
func sanitizeAll(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, sanitize(s, false))
	}
	return out
}

// errRefused is the answer to a link that is not plain http(s).
var errRefused = errors.New("refusing to open a link that is not http(s)")

// safeURL accepts only absolute http/https URLs with a host, no leading '-'
// (it could be taken for an option by the opener) and no spaces or controls.
func safeURL(link string) (string, error) {
	if link == "" {
		return "", errors.New("no link")
	}
	if strings.HasPrefix(link, "-") || sanitize(link, false) != link || strings.ContainsAny(link, " \\") {
		return "", errRefused
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil {
		return "", errRefused
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", errRefused
	}
	return u.String(), nil
}

// redact replaces the user info of a URL ("bob:secret@") with "***@", for
// everything shown.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User("***")
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}
