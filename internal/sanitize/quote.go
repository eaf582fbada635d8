package sanitize

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key writes a name taken from the user (a config key, a command) for a
// message: bare when it is plain, quoted (with any control character
// escaped) otherwise, and cut when it is very long.
func Key(k string) string {
	const maxLen = 60
	cut := false
	if len(k) > maxLen {
		k, cut = truncateUTF8(k, maxLen), true
	}
	plain := k != "" && strings.IndexFunc(k, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '.' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) < 0
	if !plain {
		k = strconv.QuoteToGraphic(k)
	}
	if cut {
		k += "…"
	}
	return k
}

func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Escape escapes what must not reach a terminal in a message built from
// the user's text (the config parser quotes bits of the file in its
// errors), as Go quotes it, without the quotes.
func Escape(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) && r != ' ' }) < 0 {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
