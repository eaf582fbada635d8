package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// checkLines fails unless every line fits width and holds nothing a
// terminal would act on but SGR sequences (none at all when sgr is false).
// It is written independently of the package's own cleaner on purpose.
func checkLines(tb testing.TB, lines []string, width int, sgr bool) {
	tb.Helper()
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			tb.Fatalf("line %d is %d cells wide, more than %d: %q", i, w, width, l)
		}
		if strings.Contains(l, "\n") {
			tb.Fatalf("line %d holds a newline: %q", i, l)
		}
		if bad := badEscape(l, sgr); bad != "" {
			tb.Fatalf("line %d: %s: %q", i, bad, l)
		}
	}
}

// badEscape describes the first thing in s that is not printable text or
// (when allowed) an SGR sequence, or returns "".
func badEscape(s string, sgr bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if !sgr {
				return "escape sequence"
			}
			j := i + 1
			if j >= len(s) || s[j] != '[' {
				return "escape other than CSI"
			}
			j++
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
				j++
			}
			if j >= len(s) || s[j] != 'm' {
				return "CSI other than SGR"
			}
			i = j + 1
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return "control character"
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c:
			return "bidi control"
		case r == 0xfeff || r >= 0xfff9 && r <= 0xfffb:
			return "format character"
		}
		i += n
	}
	return ""
}

// plain renders HTML at width and returns the lines, escape sequences
// stripped (the profile is ASCII in tests anyway).
func plain(body string, width int) []string {
	d := HTML(body, width, nil)
	out := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		out[i] = ansi.Strip(l)
	}
	return out
}
