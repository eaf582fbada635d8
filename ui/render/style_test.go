package render

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styledAs reports whether text appears in line right after an SGR
// sequence holding attr among its parameters.
func styledAs(line, text, attr string) bool {
	for rest := line; ; {
		i := strings.Index(rest, "\x1b[")
		if i < 0 {
			return false
		}
		j := strings.IndexByte(rest[i:], 'm')
		if j < 0 {
			return false
		}
		params := strings.Split(rest[i+2:i+j], ";")
		after := rest[i+j+1:]
		if strings.HasPrefix(after, text) {
			for _, p := range params {
				if p == attr {
					return true
				}
			}
		}
		rest = after
	}
}

// TestInlineStyles: each inline element gets its attribute, and nesting
// combines them.
func TestInlineStyles(t *testing.T) {
	body := `<h1>Head</h1><p><strong>bold</strong> <em>ital</em> <del>gone</del> <code>code</code> <a href="https://x.example/">link</a> <strong><em>both</em></strong></p>`
	d := HTML(body, 80, nil)
	checkLines(t, d.Lines, 80, true)
	all := strings.Join(d.Lines, "\n")
	for _, c := range []struct{ text, attr string }{
		{"Head", "1"}, {"bold", "1"}, {"ital", "3"}, {"gone", "9"}, {"link", "4"}, {"both", "1"}, {"both", "3"},
	} {
		if !styledAs(all, c.text, c.attr) {
			t.Errorf("%q is not styled with SGR %s:\n%q", c.text, c.attr, all)
		}
	}
	if !styledAs(all, "code", "48") {
		t.Errorf("inline code has no background:\n%q", all)
	}
	if got := ansi.Strip(d.Lines[len(d.Lines)-1]); got != "bold ital gone code link [1] both" {
		t.Errorf("text changed by styling: %q", got)
	}
}

// TestStructureStyles: bullets, bars and rules are styled too, blanks are
// not wrapped in sequences.
func TestStructureStyles(t *testing.T) {
	d := HTML(`<ul><li>one two three</li></ul><blockquote>q</blockquote><hr>`, 10, nil)
	checkLines(t, d.Lines, 10, true)
	if !styledAs(d.Lines[0], "•", "38") {
		t.Errorf("bullet not coloured: %q", d.Lines[0])
	}
	if !strings.HasPrefix(d.Lines[1], "  \x1b[") {
		t.Errorf("hanging indent should be bare blanks: %q", d.Lines[1])
	}
	if !styledAs(d.Lines[3], "│", "38") {
		t.Errorf("quote bar not coloured: %q", d.Lines[3])
	}
}

// TestPlainStylesHaveNoEscapes: styles without attributes (what a terminal
// shows under NO_COLOR) write nothing but text, and the structure is still
// there.
func TestPlainStylesHaveNoEscapes(t *testing.T) {
	for _, name := range []string{"wordpress", "russian", "blogger"} {
		d := HTML(fixture(t, name+".html"), 60, plainStyles())
		checkLines(t, d.Lines, 60, false)
	}
	d := Plain(fixture(t, "legacy.md"), 60, plainStyles())
	checkLines(t, d.Lines, 60, false)
	all := strings.Join(d.Lines, "\n")
	for _, want := range []string{"\n• Duplicate", "\n  keeping", "\n1. Back", "\n│ The importer", "\n│ │ Nested", "changelog [1]"} {
		if !strings.Contains(all, want) {
			t.Errorf("ASCII output lacks %q:\n%s", want, all)
		}
	}
}

// TestStylesLayoutIgnored: padding, margins and widths in a style cannot
// change the layout or widths; only attributes are used.
func TestStylesLayoutIgnored(t *testing.T) {
	st := DefaultStyles(true)
	st.Strong = lipgloss.NewStyle().Bold(true).Padding(0, 3).Width(30).MarginLeft(2)
	st.Bullet = lipgloss.NewStyle().Border(lipgloss.NormalBorder())
	d := HTML(`<ul><li>a <strong>b</strong> c</li></ul>`, 20, st)
	checkLines(t, d.Lines, 20, true)
	if len(d.Lines) != 1 || ansi.Strip(d.Lines[0]) != "• a b c" {
		t.Errorf("got %q", d.Lines)
	}
}

func TestNilStylesAndWidths(t *testing.T) {
	for _, w := range []int{-5, 0, 1, 2, 3} {
		d := HTML("<blockquote><ul><li>日本 text and <pre>code</pre></li></ul></blockquote><table><tr><td>a</td><td>b</td></tr></table>", w, nil)
		checkLines(t, d.Lines, max(1, w), true)
		if len(d.Lines) == 0 {
			t.Errorf("width %d: nothing rendered", w)
		}
	}
}

func TestColumn(t *testing.T) {
	for _, c := range []struct{ term, width, left int }{
		{200, 100, 50}, {102, 100, 1}, {101, 99, 1}, {80, 78, 1}, {3, 1, 1}, {2, 2, 0}, {0, 1, 0},
	} {
		w, l := Column(c.term)
		if w != c.width || l != c.left {
			t.Errorf("Column(%d) = %d, %d; want %d, %d", c.term, w, l, c.width, c.left)
		}
	}
}

// TestStylesDoNotLeak: a heading's or a code block's style ends with it.
func TestStylesDoNotLeak(t *testing.T) {
	for _, d := range []Doc{
		Plain("# Head\n\ntext\n\n```\ncode\n```\n\nafter", 40, nil),
		HTML("<h1>Head</h1><p>text</p><pre>code</pre><p>after</p>", 40, nil),
	} {
		all := strings.Join(d.Lines, "\n")
		if !styledAs(all, "Head", "1") || !styledAs(all, "code", "48") {
			t.Fatalf("heading or code not styled: %q", all)
		}
		for _, w := range []string{"text", "after"} {
			if styledAs(all, w, "1") || styledAs(all, w, "48") {
				t.Errorf("%q styled as heading or code: %q", w, all)
			}
		}
	}
}

// TestConcurrent: one Styles shared by renders running at once (the reader
// renders in commands, off the update loop); run with -race.
func TestConcurrent(t *testing.T) {
	st := DefaultStyles(true)
	body := fixture(t, "wordpress.html")
	want := HTML(body, 70, st).String()
	done := make(chan string)
	for range 4 {
		go func() { done <- HTML(body, 70, st).String() }()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Error("concurrent renders differ")
		}
	}
}
