package sanitize

import (
	"strings"
	"testing"
)

// FuzzText holds Text and KeepSGR to their promise: whatever comes in, the
// output is valid UTF-8 without a rune Unsafe names (bar '\n' where kept),
// without ESC or C1 controls (KeepSGR: bar whole SGR sequences), and
// cleaning it again changes nothing. Run it with
//
//	go test ./internal/sanitize -run='^$' -fuzz='^FuzzText$' -fuzztime=1m
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"",
		"Navigating Energy and Diplomacy: Putin’s Visit to Kazakhstan",
		"raw \x1b[31mred\x1b[0m and \x1b]52;c;cm0gLXJm\a osc52 \x1b]52;c;eA==\x1b\\ st",
		"osc8 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\",
		"dcs \x1bPq#0;2\x1b\\ sos \x1bXs\x1b\\ pm \x1b^p\x1b\\ apc \x1b_G\x1b\\",
		"c1 \u009b2J \u009d0;t\u009c \u0090q\u009c \x9b2J \x9d0;t\x07 \x90q\x9c \u0085nel \x7fdel",
		"unterminated \x1b]0;title and more \x1b[1;2",
		"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f \u061calm \ufeffbom \ufff9a\ufffb",
		"invalid \xff\xfe utf8 \xc0\x80 \xe2\x82 \xc2",
		"lines\r\n\r\nand\rtabs\tand\nmore",
		"\x1b[1;38;5;204mstyled\x1b[0m \x1b[38:2::1:2:3m \x1b[>4;2m \x1b[1 m",
		"&amp;#27;[2J &#x1b;]52;c;x&#7; stays as text",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, keep := range []bool{false, true} {
			got := Text(s, keep)
			if r, bad := unsafeIn(got, keep); bad {
				t.Fatalf("Text(%q, %v) = %q keeps %U", s, keep, got, r)
			}
			if again := Text(got, keep); again != got {
				t.Fatalf("Text(_, %v) is not idempotent:\n in:    %q\n once:  %q\n twice: %q", keep, s, got, again)
			}
		}
		got := KeepSGR(s)
		if again := KeepSGR(got); again != got {
			t.Fatalf("KeepSGR is not idempotent:\n in:    %q\n once:  %q\n twice: %q", s, got, again)
		}
		// Take the SGR sequences out: nothing unsafe may be left.
		rest := got
		for {
			i := strings.IndexByte(rest, 0x1b)
			if i < 0 {
				break
			}
			n := sequenceLen(rest[i:])
			if !isSGR(rest[i : i+n]) {
				t.Fatalf("KeepSGR(%q) = %q keeps a non-SGR sequence %q", s, got, rest[i:i+n])
			}
			rest = rest[:i] + rest[i+n:]
		}
		if r, bad := unsafeIn(rest, true); bad {
			t.Fatalf("KeepSGR(%q) = %q keeps %U", s, got, r)
		}
		if Text(got, true) != Text(s, true) {
			t.Fatalf("KeepSGR then Text differs from Text:\n in: %q\n %q\n %q", s, Text(got, true), Text(s, true))
		}
	})
}

// FuzzRedact: no user info survives after a scheme, and redacting twice
// changes nothing.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"http://bob:secret@h/x", `Get "https://u:p@h:1/?a=b@c": EOF`, "x://@", "a://b@c://d@e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Redact(s)
		if Redact(got) != got {
			t.Fatalf("Redact(%q) = %q is not stable: %q", s, got, Redact(got))
		}
	})
}
