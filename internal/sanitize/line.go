package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes untrusted text safe to print on a terminal as one line: Text
// (escape sequences removed whole, control characters, bidi controls and
// invalid UTF-8 gone), then runs of white space folded into one space. It
// decodes nothing: decoding happens once, where the text's format says it
// is encoded (XML, then HTML), before Line.
func Line(s string) string {
	s = Text(s, false)
	if !needsFold(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Lines is Line for multi-line text: it keeps newlines, trims the ends of
// lines, folds runs of spaces inside lines (keeping their indentation) and
// keeps at most one blank line in a row.
func Lines(s string) string {
	return foldBody(Text(s, true))
}

// needsFold reports whether s has white space at its ends, two in a row or
// any white space other than a plain space.
func needsFold(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
			i++
			continue
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return true // \t \n \v \f \r
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return true
			}
			i += n
		}
		prevSpace = false
	}
	return prevSpace && s != ""
}

// asciiSpace marks the ASCII bytes unicode.IsSpace calls white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// foldBody trims each line, folds runs of spaces inside lines (keeping the
// indentation) and keeps at most one blank line in a row.
func foldBody(s string) string {
	if folded(s) {
		return s
	}
	return foldLines(s)
}

// foldLines is foldBody's work.
func foldLines(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, ln := range lines {
		ln = strings.TrimRightFunc(ln, unicode.IsSpace)
		if ln == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
			out = append(out, "")
			continue
		}
		blank = 0
		indent := len(ln) - len(strings.TrimLeft(ln, " "))
		out = append(out, ln[:indent]+foldSpaces(ln[indent:]))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// folded reports whether foldBody would return s as it is: no white space
// but single spaces inside lines and the newlines between them, at most one
// blank line in a row, nothing blank at either end.
func folded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '\n' || s[len(s)-1] == '\n' {
		return false
	}
	var prev byte = '\n'
	newlines := 0 // in a row
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			if prev == ' ' {
				return false
			}
		case c == '\n':
			if prev == ' ' {
				return false
			}
			if newlines++; newlines == 3 {
				return false
			}
			prev = c
			i++
			continue
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return false
			}
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			prev, newlines = c, 0
			i += n
			continue
		}
		prev, newlines = c, 0
		i++
	}
	return prev != ' '
}

// foldSpaces folds runs of white space into one space.
func foldSpaces(s string) string {
	if !needsFold(" " + s + "x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Each is Text of every string of a list, one line each.
func Each(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, Text(s, false))
	}
	return out
}
