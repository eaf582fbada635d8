package render

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// The shared cleaner (internal/sanitize) has not landed yet; until it does,
// text is cleaned here: escape sequences are removed with ansi.Strip, then
// every rune that must not reach a terminal is dropped. The lead switches
// these helpers to sanitize.Text / sanitize.KeepSGR / sanitize.HTTPURL at
// merge time.

// unsafeRune reports whether r must never reach the terminal: C0 and C1
// controls, DEL, bidi controls, the BOM and the interlinear annotation
// characters.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff:
		return true
	case r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// cleanText removes escape sequences and control characters from text taken
// from an article. Newlines are kept when keepNL is set and become spaces
// otherwise; a tab becomes a space; invalid UTF-8 becomes U+FFFD.
func cleanText(s string, keepNL bool) string {
	if isClean(s, keepNL) {
		return s
	}
	if strings.IndexByte(s, 0x1b) >= 0 || hasC1(s) {
		s = ansi.Strip(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			if keepNL && (i+1 >= len(s) || s[i+1] != '\n') {
				b.WriteByte('\n')
			} else if !keepNL {
				b.WriteByte(' ')
			}
		case r == '\n' && keepNL:
			b.WriteByte('\n')
		case r == '\t', r == '\n', r == '\f':
			b.WriteByte(' ')
		case unsafeRune(r):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isClean is the fast path of cleanText: nothing to remove.
func isClean(s string, keepNL bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return isCleanRunes(s[i:], keepNL)
		}
		if c < 0x20 && !(c == '\n' && keepNL) || c == 0x7f {
			return false
		}
	}
	return true
}

func isCleanRunes(s string, keepNL bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 && !(c == '\n' && keepNL) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// hasC1 reports whether s holds a C1 control, raw (an invalid byte) or
// UTF-8 encoded: these may start escape sequences too.
func hasC1(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x80 && r <= 0x9f || r == utf8.RuneError && n == 1 && s[i] <= 0x9f {
			return true
		}
		i += n
	}
	return false
}

// onlySGR reports whether s is nothing but SGR sequences (ESC [ digits,
// semicolons and colons m).
func onlySGR(s string) bool {
	for i := 0; i < len(s); {
		n := sgrLen(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// sgrLen returns the length of the SGR sequence s starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for j := 2; j < len(s); j++ {
		switch c := s[j]; {
		case c == 'm':
			return j + 1
		case c >= '0' && c <= '9', c == ';', c == ':':
		default:
			return 0
		}
	}
	return 0
}

// safeLine checks a finished line: SGR sequences and safe printable text
// only. A line that fails (it cannot, unless a style renders something
// other than SGR) loses its styling and is cleaned as text.
func safeLine(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			n := sgrLen(s[i:])
			if n == 0 {
				return cleanText(s, false)
			}
			i += n
		case c < 0x20 || c == 0x7f:
			return cleanText(s, false)
		case c < 0x80:
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 || unsafeRune(r) {
				return cleanText(s, false)
			}
			i += n
		}
	}
	return s
}

// httpURL checks a link target: an absolute http or https URL with a host,
// without spaces or control characters and not starting with '-'.
func httpURL(raw string) (string, bool) {
	if raw == "" || raw[0] == '-' || len(raw) > 8192 {
		return "", false
	}
	for _, r := range raw {
		if r == utf8.RuneError || unsafeRune(r) || unicode.IsSpace(r) {
			return "", false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	return raw, true
}
