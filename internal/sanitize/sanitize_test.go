package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// unsafeIn returns the first rune of s that Text must never let through
// (with keepNewlines, '\n' is allowed), or false.
func unsafeIn(s string, keepNewlines bool) (rune, bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, true
	}
	for _, r := range s {
		if r == '\n' && keepNewlines {
			continue
		}
		if Unsafe(r) {
			return r, true
		}
	}
	return 0, false
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "plain title", "plain title"},
		{"cyrillic and uzbek", "Кыргызстан: «сом» — O‘zbekiston", "Кыргызстан: «сом» — O‘zbekiston"},
		{"entities stay", "AT&amp;T &lt;b&gt; &#27;[2J", "AT&amp;T &lt;b&gt; &#27;[2J"},
		{"clear screen", "Bell \x1b[2J cleared", "Bell  cleared"},
		{"sgr", "raw \x1b[31mred\x1b[0m end", "raw red end"},
		{"csi with private prefix", "a\x1b[?1049hb\x1b[>4;2mc", "abc"},
		{"csi with intermediate", "a\x1b[1 qb", "ab"},
		{"osc 52 to BEL", "x \x1b]52;c;ZXZpbA==\a y", "x  y"},
		{"osc 52 to ST", "x \x1b]52;c;ZXZpbA==\x1b\\ y", "x  y"},
		{"osc 8 hyperlink", "osc8 \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ end", "osc8 link end"},
		{"osc 0 title", "a\x1b]0;pwned\ab", "ab"},
		{"dcs", "a\x1bP1$r0m\x1b\\b", "ab"},
		{"dcs with BEL inside", "a\x1bPq#0;2;0\a#1\x1b\\b", "ab"},
		{"sos", "a\x1bXhidden\x1b\\b", "ab"},
		{"pm", "a\x1b^hidden\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"two-byte escapes", "a\x1b7b\x1b8c\x1bcd\x1b(Be", "abcde"},
		{"8-bit csi raw", "a\x9b2Jb", "ab"},
		{"8-bit osc raw to ST", "a\x9d52;c;eA==\x9cb", "ab"},
		{"8-bit osc raw to BEL", "a\x9d0;t\ab", "ab"},
		{"8-bit dcs raw", "a\x90q#0\x9cb", "ab"},
		{"8-bit sos pm apc raw", "a\x98s\x9cb\x9ep\x9cc\x9fa\x9cd", "abcd"},
		{"C1 csi as UTF-8", "a\u009b2Jb", "ab"},
		{"C1 osc as UTF-8 to ST", "a\u009d52;c;eA==\u009cb", "ab"},
		{"C1 osc as UTF-8 to BEL", "a\u009d8;;https://x/\ab", "ab"},
		{"C1 dcs apc as UTF-8", "a\u0090q\u009cb\u009fG\u009cc", "abc"},
		{"other C1 as UTF-8", "a\u0085b\u0084c\u009cd", "abcd"},
		{"unterminated osc", "keep \x1b]52;c;ZXZpbA== and the rest", "keep "},
		{"unterminated csi", "keep \x1b[1;2", "keep "},
		{"lone ESC", "a\x1b", "a"},
		{"ESC ESC", "a\x1b\x1b[2Jb", "ab"},
		{"csi cut by a non-ASCII byte", "a\x1b[31ék", "aék"},
		{"csi cut by ESC", "a\x1b[31\x1b[2Jb", "ab"},
		{"osc cancelled by ESC", "a\x1b]0;x\x1b[2Jb", "ab"},
		{"osc cancelled by CAN", "a\x1b]0;x\x18b", "ab"},
		{"C0 controls", "a\x00b\x07c\x08d\x0be\x0cf\x7fg", "abcdefg"},
		{"tab", "a\tb", "a b"},
		{"newlines fold", "a\r\nb\rc\nd", "a b c d"},
		{"bidi", "bidi \u202egnp.exe\u202c \u2066iso\u2069 \u2067r\u2068f \u200emark\u200f \u061calm \u202aa\u202bb\u202dd", "bidi gnp.exe iso rf mark alm abd"},
		{"bom and annotations", "\ufeffbom \ufff9ann\ufffa\ufffb", "bom ann"},
		{"soft hyphens", "Пра\u00adви\u00adтель\u00adство", "Правительство"},
		{"invalid UTF-8", "invalid \xff\xfe utf8 \xc0\x80", "invalid \uFFFD utf8 \uFFFD"},
		{"truncated rune", "a\xe2\x82b", "a\uFFFDb"},
		{"raw non-introducer C1", "a\x85b", "a\uFFFDb"},
		{"nbsp and separators stay", "a\u00a0b\u2028c", "a\u00a0b\u2028c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in, false)
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if r, bad := unsafeIn(got, false); bad {
				t.Errorf("Text(%q) keeps %U", tc.in, r)
			}
			if again := Text(got, false); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestTextKeepNewlines(t *testing.T) {
	in := "one\r\ntwo\rthree\n\nfour\tfive\x1b[2J\x1b]52;c;eA==\a six\u2028"
	want := "one\ntwo\nthree\n\nfour five six\u2028"
	if got := Text(in, true); got != want {
		t.Errorf("Text(keep) = %q, want %q", got, want)
	}
	if got := Text("a\r\n\r\nb", true); got != "a\n\nb" {
		t.Errorf("CRLF pairs: %q", got)
	}
}

func TestTextCleanInputIsNotCopied(t *testing.T) {
	s := "Уже чисто: nothing to remove — 100%"
	if got := Text(s, false); got != s {
		t.Fatalf("changed: %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Text(s, false) }); n != 0 {
		t.Errorf("clean text allocates %v times", n)
	}
}

func TestKeepSGR(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[1;38;5;204mbold\x1b[0m", "\x1b[1;38;5;204mbold\x1b[0m"},
		{"\x1b[38:2::255:0:0mrgb\x1b[m", "\x1b[38:2::255:0:0mrgb\x1b[m"},
		{"\x1b[2J\x1b[31mred\x1b[?25l", "\x1b[31mred"},
		{"\x1b]8;;https://x/\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"\x1b[>4;2m private", " private"}, // XTMODKEYS, not SGR
		{"\x1b[1 m intermediate", " intermediate"},
		{"\x9b31m raw C1 SGR", " raw C1 SGR"},
		{"\u009b31m UTF-8 C1 SGR", " UTF-8 C1 SGR"},
		{"line\r\nnext\ttab", "line\nnext tab"},
		{"\x1b\x1b[31mx", "\x1b[31mx"},
	} {
		got := KeepSGR(tc.in)
		if got != tc.want {
			t.Errorf("KeepSGR(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := KeepSGR(got); again != got {
			t.Errorf("KeepSGR not idempotent on %q: %q", got, again)
		}
		if strings.Contains(Text(got, true), "\x1b") {
			t.Errorf("Text leaves ESC in %q", got)
		}
	}
}

func TestUnsafe(t *testing.T) {
	for _, r := range []rune{0, '\t', '\n', '\r', 0x1b, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
		0x202a, 0x202e, 0x2066, 0x2069, 0x200e, 0x200f, 0x061c, 0xfeff, 0xfff9, 0xfffb, 0xad} {
		if !Unsafe(r) {
			t.Errorf("Unsafe(%U) = false", r)
		}
	}
	for _, r := range []rune{' ', 'a', '~', 0xa0, 0xe9, 'ж', 'ў', 0x2018, 0x02bb, 0x200b, 0x2028, 0xfffd, 0x1f642} {
		if Unsafe(r) {
			t.Errorf("Unsafe(%U) = true", r)
		}
	}
}

func TestHTTPURL(t *testing.T) {
	for _, ok := range []string{
		"https://timesca.com/feed/",
		"http://24.kg/x?a=1&b=2#frag",
		"HTTPS://Example.ORG/Path",
		"http://127.0.0.1:8080/",
		"http://[::1]:80/x",
		"https://bob:secret@example.org/",
		"https://kun.uz/ru/news/2025/02/19/метро",
	} {
		if u, err := HTTPURL(ok); err != nil || u.Host == "" {
			t.Errorf("HTTPURL(%q) = %v, %v", ok, u, err)
		}
	}
	for _, bad := range []string{
		"", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd",
		"mailto:a@b.c", "ftp://x.example/", "//x.example/a", "/relative", "relative",
		"-oProxyCommand=x", " https://x.example/", "https://x.example/a b", "https://x.example/\x1b[2J",
		"https://x.example/\u202ecod.exe", "https://x.example/\u0085", "https://x.example/\t",
		"https:///nohost", "http://:80/", "https://x.example/\xff", "http://x.example/\u00a0",
	} {
		if u, err := HTTPURL(bad); err == nil {
			t.Errorf("HTTPURL(%q) = %v, want an error", bad, u)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://bob:secret@h/x", "http://***@h/x"},
		{`Get "https://bob:secret@rates.example:8080/v6?k=1": dial tcp: refused`, `Get "https://***@rates.example:8080/v6?k=1": dial tcp: refused`},
		{"two: http://a:b@x.example and ftp://c@y.example/z.", "two: http://***@x.example and ftp://***@y.example/z."},
		{"token only https://tok@h", "token only https://***@h"},
		{"at in the password http://u:p@ss@h/", "http://***@h/"},
		{"no user https://medium.com/@user/post?by=a@b", "no user https://medium.com/@user/post?by=a@b"},
		{"mail a@b.c and https://x.example/", "mail a@b.c and https://x.example/"},
		{"<http://u:p@h>", "<http://***@h>"},
		{"already http://***@h", "already http://***@h"},
		{"plain text", "plain text"},
	} {
		want := tc.want
		if strings.HasPrefix(tc.in, "at in the password ") {
			want = "at in the password " + want
		}
		if got := Redact(tc.in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, want)
		}
		if got := Redact(Redact(tc.in)); got != want {
			t.Errorf("Redact twice (%q) = %q", tc.in, got)
		}
	}
}

func TestRedactFeedURLs(t *testing.T) {
	for in, want := range map[string]string{
		"http://bob:secret@h/x":                       "http://***@h/x",
		"https://token@h.example/rss":                 "https://***@h.example/rss",
		"https://a:b@c@h.example/x":                   "https://***@h.example/x",
		"https://h.example/x?mail=a@b":                "https://h.example/x?mail=a@b",
		"Get \"http://u:p@h/f\": connection refused":  "Get \"http://***@h/f\": connection refused",
		"two: http://a:1@x/ and HTTPS://b:2@y/ done":  "two: http://***@x/ and HTTPS://***@y/ done",
		"no url here, mail me at someone@example.org": "no url here, mail me at someone@example.org",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactSecretQueryParameters(t *testing.T) {
	for in, want := range map[string]string{
		"https://h.example/rss?token=abc123":                          "https://h.example/rss?token=***",
		"https://h.example/rss?page=2&TOKEN=abc&x=1":                  "https://h.example/rss?page=2&TOKEN=***&x=1",
		"https://h.example/rss?access_token=a&api_key=b&apikey=c":     "https://h.example/rss?access_token=***&api_key=***&apikey=***",
		"https://h.example/?Key=a&auth=b&sig=c&Signature=d#frag":      "https://h.example/?Key=***&auth=***&sig=***&Signature=***#frag",
		"https://h.example/?password=a&secret=b&session=c&SID=d":      "https://h.example/?password=***&secret=***&session=***&SID=***",
		"https://h.example/?X-Amz-Signature=a&feed_token=b&api-key=c": "https://h.example/?X-Amz-Signature=***&feed_token=***&api-key=***",
		"https://h.example/?api%5Fkey=a":                              "https://h.example/?api%5Fkey=***",
		`Get "https://u:p@h.example/f?token=zz": refused`:             `Get "https://***@h.example/f?token=***": refused`,
		"two https://a.example/?token=1 and https://b.example/?q=tok": "two https://a.example/?token=*** and https://b.example/?q=tok",
		"https://h.example/search?q=token&monkey=1&keyword=x":         "https://h.example/search?q=token&monkey=1&keyword=x",
		"https://h.example/rss?token=":                                "https://h.example/rss?token=",
		"plain ?token=abc outside a URL":                              "plain ?token=abc outside a URL",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if got := Redact(Redact(in)); got != want {
			t.Errorf("Redact twice (%q) = %q", in, got)
		}
	}
}

// TestPrintableASCII holds the word-at-a-time test to the byte-wise one on
// every byte value in every position, and on random words.
func TestPrintableASCII(t *testing.T) {
	check := func(w uint64) {
		want := true
		for k := 0; k < 8; k++ {
			if b := byte(w >> (8 * k)); b < 0x20 || b > 0x7e {
				want = false
			}
		}
		if got := printableASCII(w); got != want {
			t.Fatalf("printableASCII(%#016x) = %v, want %v", w, got, want)
		}
	}
	const base = 0x4141414141414141 // "AAAAAAAA"
	for k := 0; k < 8; k++ {
		for b := 0; b < 256; b++ {
			check(base&^(0xff<<(8*k)) | uint64(b)<<(8*k))
		}
	}
	x := uint64(0x9e3779b97f4a7c15)
	for range 1 << 20 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		check(x)
		check(x & 0x7f7f7f7f7f7f7f7f)
		check(x&0x3f3f3f3f3f3f3f3f | 0x2020202020202020)
	}
}

// TestIsCleanWordWise: isClean with its word-at-a-time pass answers as the
// byte-wise definition does, with the unsafe byte at every offset.
func TestIsCleanWordWise(t *testing.T) {
	slow := func(s string, keep bool) bool {
		_, bad := unsafeIn(s, keep)
		return !bad && !strings.ContainsAny(s, "\t\r")
	}
	for _, bad := range []string{"\x00", "\x1b", "\n", "\t", "\r", "\x7f", "\u0085", "\u009b", "\u202e", "\ufeff", "\xff", "é", "—"} {
		for n := 0; n < 20; n++ {
			for at := 0; at <= n; at++ {
				s := strings.Repeat("a", at) + bad + strings.Repeat("b", n-at)
				for _, keep := range []bool{false, true} {
					if got, want := isClean(s, keep), slow(s, keep); got != want {
						t.Errorf("isClean(%q, %v) = %v, want %v", s, keep, got, want)
					}
				}
			}
		}
	}
}
