package filter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a fault in a rule: where it is, what was found there and what
// would have been accepted. Parse returns it (as *Error) for every fault.
type Error struct {
	// Column is the 1-based position of the fault in the rule, counted in
	// characters (Unicode code points) from the rule's first character.
	Column int
	// Offset is the same position in bytes from the start of the rule, for
	// a caller that maps the rule back into a file (a multi-line string).
	Offset int
	// Found is the text found at Column ("b", `"abc`, "the end of the
	// rule"), shown safely: never a control character, cut when long.
	Found string
	// Expected names what the grammar would have accepted at Column, each
	// entry one alternative (`a quoted string`, `"("`); empty when the
	// fault is not an unexpected token (Reason says what it is).
	Expected []string
	// After is the token the expectation follows ("=" in `a = b`), or "".
	After string
	// Reason describes a fault that is not an unexpected token: an unknown
	// attribute, a bad regular expression, a string with no closing quote.
	Reason string
}

// Error reads "column 12: expected a quoted string or number after "=",
// found b".
func (e *Error) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("column %d: %s", e.Column, e.Reason)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "column %d: expected %s", e.Column, orList(e.Expected))
	if e.After != "" {
		if strings.HasPrefix(e.After, `"`) {
			fmt.Fprintf(&b, " after %s", e.After)
		} else {
			fmt.Fprintf(&b, " after \"%s\"", e.After)
		}
	}
	fmt.Fprintf(&b, ", found %s", e.Found)
	return b.String()
}

// orList joins alternatives: "a", "a or b", "a, b or c".
func orList(alts []string) string {
	switch len(alts) {
	case 0:
		return "something else"
	case 1:
		return alts[0]
	}
	return strings.Join(alts[:len(alts)-1], ", ") + " or " + alts[len(alts)-1]
}

// endOfRule is what Found says at the end of the input.
const endOfRule = "the end of the rule"

// shown renders a piece of the rule for a message: as it is when it is
// short and printable, else quoted Go-style (no control character reaches
// a terminal) and cut to 40 characters.
func shown(s string) string {
	const max = 40
	cut := false
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s, cut = string(r[:max]), true
	}
	printable := utf8.ValidString(s)
	for _, r := range s {
		if !unicode.IsPrint(r) {
			printable = false
			break
		}
	}
	if !printable {
		s = strconv.Quote(s)
		s = s[1 : len(s)-1]
	}
	if cut {
		s += "…"
	}
	return s
}

// errorAt builds an Error at byte offset off of src.
func errorAt(src string, off int) *Error {
	off = min(max(off, 0), len(src))
	return &Error{Column: utf8.RuneCountInString(src[:off]) + 1, Offset: off}
}
