package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// sgrSeq is an SGR sequence, the one escape the UI's own styles write.
var sgrSeq = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

const hostile = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[31mRED\x9b31m\xc2\x9b6n\x1bP+q\x1b\\\u202eevil\x07\x00\x08\r"

func TestHostileTextNeverPrinted(t *testing.T) {
	f := newFixture(t, 100, 30, func(o *Options, st *fakeStore) {
		for i := range 4 {
			a := &st.articles[i]
			a.Title = "Title" + hostile + "end"
			a.Summary = "Sum" + hostile
			a.FeedName = "Feed" + hostile
			a.Content = "# Head\n\n[click](https://x.example/\x1b]8;;http://evil\x07) " + hostile + "\n\n\x1b]8;;https://evil/\x1b\\link\x1b]8;;\x1b\\"
			a.Author = hostile
		}
		st.feeds[1].LastError = "boom" + hostile
		st.feeds[0].Name = "Times" + hostile
		o.Credits = []string{"Rates" + hostile}
	})
	check := func(where string) {
		t.Helper()
		out := f.view()
		plain := sgrSeq.ReplaceAllString(out, "")
		for _, bad := range []string{"\x1b", "\x07", "\x9b", "\u009b", "\u009d", "\u202e", "\x00", "\x08", "\r"} {
			if strings.Contains(plain, bad) {
				t.Fatalf("%s: %q in output:\n%q", where, bad, plain)
			}
		}
		checkFits(t, out, 100, 30)
	}
	check("list")
	f.keys("enter")
	check("reader")
	f.keys("esc", "e")
	check("errors")
	f.keys("e", "?")
	check("help")
	f.keys("esc", "/")
	f.typeText("Title")
	f.keys("enter")
	check("search")
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"a\x1b[31mb\x1b[0mc":       "abc",
		"x\x1b]52;c;AAAA\x07y":     "xy",
		"x\x1b]8;;http://e\x1b\\y": "xy",
		"x\x9b2Jy":                 "xy",
		"x\u009b2Jy":               "xy",
		"line\nnext\ttab":          "line next tab",
		"Токаев 中亚 🚄":              "Токаев 中亚 🚄",
		"\u202eabc\u202c":          "abc",
		"trail\x1b":                "trail",
		"x\x1bPq#0;2;0;0;0\x1b\\y": "xy",
	}
	for in, want := range cases {
		if got := sanitize.Text(in, false); got != want {
			t.Errorf("sanitize.Text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitize.KeepSGR("\x1b[1;38;5;3mB\x1b[0m\x1b]8;;u\x07L\x1b]8;;\x07\x1b[2J\n"); got != "\x1b[1;38;5;3mB\x1b[0mL\n" {
		t.Errorf("rendered: %q", got)
	}
	if got := sanitize.KeepSGR("\x1b[?25l\x1b[>4mx"); got != "x" {
		t.Errorf("private CSI kept: %q", got)
	}
}

func TestSafeURL(t *testing.T) {
	for _, ok := range []string{"https://a.example/x?y=1#z", "http://a.example", "HTTPS://A.EXAMPLE/"} {
		if _, err := safeURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "data:,x", "-x", "ftp://a/b", "https://u:p@a/", "https://a b/", "//a.example/x", "https:opaque"} {
		if _, err := safeURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	// The reason is the true one: a password, not the scheme.
	if _, err := safeURL("https://u:p@a.example/"); err != errUserInfo || strings.Contains(err.Error(), "http(s)") {
		t.Errorf("a link with a password: %v, want errUserInfo", err)
	}
}
