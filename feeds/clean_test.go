package feeds

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain title", "plain title"},
		{"  folded \t\n  white   space ", "folded white space"},
		{"raw \x1b[31mred\x1b[0m", "raw [31mred[0m"},
		{"osc52 \x1b]52;c;cm0gLXJm\a end", "osc52 ]52;c;cm0gLXJm end"},
		{"osc8 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\", "osc8 ]8;;https://x\\link]8;;\\"},
		{"bell\a\a", "bell"},
		{"c1 \u009b2J csi", "c1 2J csi"},
		{"del\x7f nul\x00", "del nul"},
		{"dec &#27;[2J", "dec [2J"},
		{"hex &#x1b;[2J &#X1B;[2J &#x001b;", "hex [2J [2J"},
		{"double &amp;#27;[2J", "double [2J"},
		{"triple &amp;amp;#x1b;[2J", "triple [2J"},
		{"numeric amp &#38;#27;[2J", "numeric amp [2J"},
		{"split &\x1b#27;[2J", "split [2J"},
		// HTML maps references to 128–159 to windows-1252 printables.
		{"c1 entity &#155;2J &#x9b;2J", "c1 entity ›2J ›2J"},
		{"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f", "bidi gnp.exe iso mark"},
		{"invalid \xff\xfe utf8", "invalid \uFFFD utf8"},
		{"entities &amp; &lt;b&gt; &mdash; &#8217;", "entities & <b> — ’"},
		{"Кыргызстан: «сом»", "Кыргызстан: «сом»"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if r, bad := unsafeIn(Clean(tc.in), false); bad {
			t.Errorf("Clean(%q) keeps %U", tc.in, r)
		}
	}
}

func TestCleanBody(t *testing.T) {
	in := "Line one\x1b[2J\r\n\r\n\r\n\r\n  indented   code\twith tab  \n&amp;#27;]52;c;x&#7;line \u009bthree\u202e\n\n"
	want := "Line one[2J\n\n  indented code\twith tab\n]52;c;xline three"
	if got := CleanBody(in); got != want {
		t.Errorf("CleanBody =\n%q\nwant\n%q", got, want)
	}
	if r, bad := unsafeIn(CleanBody(in), true); bad {
		t.Errorf("CleanBody keeps %U", r)
	}
}

func TestTextFromHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<p>One</p><p>Two<br>three</p>", "One Two three"},
		{"<script>alert(1)</script><style>p{}</style>Text", "Text"},
		{"&lt;p&gt;Double &amp;amp; escaped&lt;/p&gt;", "Double & escaped"},
		{"Putin&#8217;s <em>visit</em>", "Putin’s visit"},
		{"5 < 6 and 7 > 3", "5 < 6 and 7 > 3"},
	} {
		if got := textFromHTML(tc.in); got != tc.want {
			t.Errorf("textFromHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	sentences := strings.Repeat("Tenge rates moved today. ", 30)
	got := summarize(strings.TrimSpace(sentences), summaryMax)
	if len(got) > summaryMax || !strings.HasSuffix(got, "today.") {
		t.Errorf("sentence cut: %d %q", len(got), got)
	}
	words := strings.Repeat("слово ", 200)
	got = summarize(strings.TrimSpace(words), summaryMax)
	if len(got) > summaryMax+len("…") || !strings.HasSuffix(got, "слово…") {
		t.Errorf("word cut: %d %q", len(got), got)
	}
	if got := summarize("short.", summaryMax); got != "short." {
		t.Errorf("short: %q", got)
	}
}

func TestSafeLink(t *testing.T) {
	base := "https://timesca.com/feed/"
	for _, tc := range []struct{ in, want string }{
		{"https://timesca.com/a/", "https://timesca.com/a/"},
		{"http://24.kg/x?a=1&amp;b=2", "http://24.kg/x?a=1&b=2"},
		{"/relative/", "https://timesca.com/relative/"},
		{"other", "https://timesca.com/feed/other"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"file:///etc/passwd", ""},
		{"mailto:a@b.c", ""},
		{"-oProxyCommand=x", ""},
		{"https://x.example/\x1b[2J", ""},
		{"https://x.example/&#27;[2J", ""},
		{"https://x.example/\u202ecod.exe", ""},
		{"https:///nohost", ""},
	} {
		if got := safeLink(tc.in, base); got != tc.want {
			t.Errorf("safeLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
