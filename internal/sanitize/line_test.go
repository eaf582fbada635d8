package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The fuzz target holds Line and Lines to the promise the rest of steppe
// relies on: whatever a feed sends, what comes out is valid UTF-8 without a
// character that can drive a terminal, and cleaning is stable. Run it with
//
//	go test ./internal/sanitize -run='^$' -fuzz='^FuzzLine$' -fuzztime=2m

func TestLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain title", "plain title"},
		{"  folded \t\n  white   space ", "folded white space"},
		// Escape sequences go whole, not just their ESC.
		{"raw \x1b[31mred\x1b[0m", "raw red"},
		{"osc52 \x1b]52;c;cm0gLXJm\a end", "osc52 end"},
		{"osc8 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\", "osc8 link"},
		{"bell\a\a", "bell"},
		{"c1 \u009b2J csi", "c1 csi"},
		{"del\x7f nul\x00", "del nul"},
		// Line decodes nothing: entities are text by now.
		{"dec &#27;[2J", "dec &#27;[2J"},
		{"entities &amp; &lt;b&gt; &mdash;", "entities &amp; &lt;b&gt; &mdash;"},
		{"A <b> tag", "A <b> tag"},
		{"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f", "bidi gnp.exe iso mark"},
		{"invalid \xff\xfe utf8", "invalid \uFFFD utf8"},
		{"Кыргызстан: «сом»", "Кыргызстан: «сом»"},
		{"nbsp\u00a0folds", "nbsp folds"},
	} {
		got := Line(tc.in)
		if got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if r, bad := unsafeIn(got, false); bad {
			t.Errorf("Line(%q) keeps %U", tc.in, r)
		}
		if Line(got) != got {
			t.Errorf("Line(%q) is not stable", tc.in)
		}
	}
}

func TestLines(t *testing.T) {
	in := "Line one\x1b[2J\r\n\r\n\r\n\r\n  indented   code\twith tab  \n&#27;]52;c;x line \u009bthree\u202e\n\n"
	// "\u009bt" is a whole CSI sequence (final byte 't').
	want := "Line one\n\n  indented code with tab\n&#27;]52;c;x line hree"
	if got := Lines(in); got != want {
		t.Errorf("Lines =\n%q\nwant\n%q", got, want)
	}
}

// TestFoldChecks holds needsFold and folded, which look at bytes, to their
// definitions in runes (unicode.IsSpace), on strings made of the pieces
// that matter.
func TestFoldChecks(t *testing.T) {
	needsFoldRunes := func(s string) bool {
		prevSpace := true
		for _, r := range s {
			if unicode.IsSpace(r) {
				if prevSpace || r != ' ' {
					return true
				}
				prevSpace = true
				continue
			}
			prevSpace = false
		}
		return prevSpace && s != ""
	}
	foldedRunes := func(s string) bool {
		if s == "" {
			return true
		}
		if s[0] == '\n' || s[len(s)-1] == '\n' || strings.Contains(s, "\n\n\n") {
			return false
		}
		prev := '\n'
		for _, r := range s {
			switch {
			case r == ' ', r == '\n':
				if prev == ' ' {
					return false
				}
			case unicode.IsSpace(r):
				return false
			}
			prev = r
		}
		return prev != ' '
	}
	pieces := []string{"a", "é", " ", "\n", "\t", "\r", "\v", "\f", "\u00a0", "\u0085", "\u2028", "\u3000", "\xff", "Ж"}
	x := uint32(1)
	for range 200_000 {
		var b strings.Builder
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		for k, n := x, int(x%9); n > 0; n-- {
			b.WriteString(pieces[k%uint32(len(pieces))])
			k /= uint32(len(pieces))
			if k == 0 {
				k = x >> 3
			}
		}
		s := b.String()
		if got, want := needsFold(s), needsFoldRunes(s); got != want {
			t.Fatalf("needsFold(%q) = %v, want %v", s, got, want)
		}
		if got, want := folded(s), foldedRunes(s); got != want {
			t.Fatalf("folded(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{
		"",
		"Navigating Energy and Diplomacy: Putin’s Visit to Kazakhstan",
		"Кыргызстан: «сом» &amp; тенге — курс",
		"raw \x1b[31mred\x1b[0m and \x1b]52;c;cm0gLXJm\a osc52",
		"osc8 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\",
		"c1 \u009b2J csi \u0085nel \x7fdel",
		"dec &#27;[2J hex &#x1b;[2J &#X1B; &#x001b; &#155; &#x9b;",
		"double &amp;#27;[2J triple &amp;amp;#x1b;[2J numeric &#38;#27;",
		"split &\x1b#27;[2J and &#\x1b27;",
		"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f \u061calm",
		"invalid \xff\xfe utf8 \xc0\x80",
		"  folded \t\n  white   space \r\n\r\n\r\n  indented   code\twith tab  \n",
		"Line one\r\rtwo\r\n\u00a0\u2028\u2029 nbsp and separators",
		"entities &amp; &lt;b&gt; &mdash; &#8217; &ampx &amp &lt3 &notin; &nGt;",
		"&" + strings.Repeat("amp;", 300) + "#27;[2J",
		"\ufeffbom \ufff9ann\ufffb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, body := range []bool{false, true} {
			fn, name := Line, "Line"
			if body {
				fn, name = Lines, "Lines"
			}
			got := fn(s)
			if r, bad := unsafeIn(got, body); bad {
				t.Fatalf("%s(%q) = %q keeps %U", name, s, got, r)
			}
			if again := fn(got); again != got {
				t.Fatalf("%s is not idempotent:\n in:    %q\n once:  %q\n twice: %q", name, s, got, again)
			}
			if body && utf8.ValidString(s) && folded(s) && foldLines(s) != s {
				t.Fatalf("folded(%q) but foldLines gives %q", s, foldLines(s))
			}
			if !body && (strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ")) {
				t.Fatalf("Line(%q) = %q: white space not folded", s, got)
			}
		}
	})
}
