package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width int
		want  string
	}{
		{"paragraphs joined and wrapped",
			"one two\nthree four five\n\n\n\nsix", 12,
			"one two\nthree four\nfive\n\nsix"},
		{"headings without marks",
			"# Title\ntext\n## Part ##\n###### Six\n#hashtag stays\n####### seven", 30,
			"Title\n═════\n\ntext\n\nPart\n────\n\nSix\n\n#hashtag stays ####### seven"},
		{"bullets with hanging indent, nesting by indent",
			"- one two three four\n* second\n  - nested item here\n+ third", 14,
			"• one two\n  three four\n• second\n  ◦ nested\n    item here\n• third"},
		{"numbers keep their start and align",
			"8. eight\n9. nine\n10. ten", 20,
			" 8. eight\n 9. nine\n10. ten"},
		{"a blank line and unindented text end a list",
			"- a\n\n  still a\n- b\n\nafter", 20,
			"• a\n\n  still a\n• b\n\nafter"},
		{"quotes with bars, nested",
			"> quoted text that wraps\n>\n>> deeper\n\nout", 14,
			"│ quoted text\n│ that wraps\n│\n│ │ deeper\n\nout"},
		{"fenced code keeps its lines",
			"text\n```go\nfunc f() {\n\treturn\n}\n```\nmore", 30,
			"text\n\n  func f() {\n      return\n  }\n\nmore"},
		{"rules",
			"a\n\n---\n\n* * *\nb", 8,
			"a\n\n────────\n\n────────\n\nb"},
		{"inline links, images, autolinks, strong, code, escapes",
			`see [the site](https://a.example/ "title") and ![a pic](https://a.example/p.png), <https://b.example/> **bold** ` + "`co de`" + ` \*not em\* [bad](javascript:alert(1)) [x](https://a.example/)`, 200,
			"see the site [1] and [image: a pic] [2], https://b.example/ [3] bold co de *not em* bad x [1]"},
		{"an image inside a link",
			"[![alt](https://i.example/s.png)](https://i.example/big.png)", 40,
			"[image: alt] [1] [2]"},
		{"two trailing spaces break the line",
			"first  \nsecond", 40,
			"first\nsecond"},
		{"unclosed marks stay text",
			"a [b (c) ![d **e `f <g", 40,
			"a [b (c) ![d **e `f <g"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Plain(tt.text, tt.width, plainStyles())
			checkLines(t, d.Lines, tt.width, false)
			if got := ansi.Strip(strings.Join(d.Lines, "\n")); got != tt.want {
				t.Errorf("width %d\ngot:\n%s\n\nwant:\n%s", tt.width, got, tt.want)
			}
		})
	}
}

// TestPlainLinear: hostile runs of brackets and marks render in linear time
// (a quadratic search would take minutes here).
func TestPlainLinear(t *testing.T) {
	for _, s := range []string{"[", "![", "<", "**a", "`", "(", ">", "- ", "1. ", "#"} {
		body := strings.Repeat(s, 200_000/len(s))
		d := Plain(body, 80, plainStyles())
		checkLines(t, d.Lines, 80, false)
	}
}

func TestLinks(t *testing.T) {
	d := HTML(`<p><a href="https://a.example/1">First   link</a> <a href="https://a.example/2"><em>second</em> one</a>
		<a href="https://a.example/1">first again</a> <a href="https://a.example/3"></a></p>`, 80, nil)
	want := []Link{
		{N: 1, URL: "https://a.example/1", Text: "First link"},
		{N: 2, URL: "https://a.example/2", Text: "second one"},
		{N: 3, URL: "https://a.example/3", Text: ""},
	}
	if len(d.Links) != len(want) {
		t.Fatalf("links %+v", d.Links)
	}
	for i := range want {
		if d.Links[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, d.Links[i], want[i])
		}
	}
	if got := strings.Join(plain(`<p><a href="https://a.example/1">First   link</a> <a href="https://a.example/3"></a></p>`, 80), "\n"); got != "First link [1] [2]" {
		t.Errorf("got %q", got)
	}
}
