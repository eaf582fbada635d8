package render

import (
	"strings"
	"testing"
)

// TestElements pins how each element lays out (ASCII profile: the
// structure must read without colours).
func TestElements(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		width int
		want  string
	}{
		{"paragraphs separated by one blank line",
			"<p>one two three four five six</p>\n\n<p>seven</p><p></p><p>eight</p>", 12,
			"one two\nthree four\nfive six\n\nseven\n\neight"},
		{"whitespace collapses, text outside blocks is a paragraph",
			"  lead   text\n<p>next</p>tail", 40,
			"lead text\n\nnext\n\ntail"},
		{"headings without # marks, h1 and h2 underlined",
			"<h1>Title</h1><h2>Part</h2><h3>Sub</h3><h6>Small</h6><p>x</p>", 40,
			"Title\n═════\n\nPart\n────\n\nSub\n\nSmall\n\nx"},
		{"a wrapped heading is underlined as wide as its widest line",
			"<h1>one two three</h1>", 9,
			"one two\nthree\n═══════"},
		{"bullets with hanging indent, nested lists indented",
			"<ul><li>alpha beta gamma delta</li><li>two<ul><li>inner item wraps here</li></ul></li><li>three</li></ul>", 16,
			"• alpha beta\n  gamma delta\n• two\n  ◦ inner item\n    wraps here\n• three"},
		{"a third level and an orphan item",
			"<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul><li>orphan</li>", 20,
			"• a\n  ◦ b\n    ▪ c\n\n• orphan"},
		{"numbers honour start and align",
			"<ol start=\"9\"><li>nine</li><li>ten and more words</li></ol>", 14,
			" 9. nine\n10. ten and\n    more words"},
		{"a start that is not a number starts at 1",
			"<ol start=\"x\"><li>a</li><li>b</li></ol><ol start=\"-2\"><li>c</li></ol>", 20,
			"1. a\n2. b\n\n-2. c"},
		{"loose list items keep their paragraphs",
			"<ul><li><p>one</p><p>more</p></li><li><p>two</p></li></ul>", 20,
			"• one\n\n  more\n\n• two"},
		{"a list after a paragraph is set off by a blank line",
			"<p>before</p><ul><li>item</li></ul><p>after</p>", 20,
			"before\n\n• item\n\nafter"},
		{"quote bar on every wrapped line, nested quotes",
			"<p>a</p><blockquote><p>quoted words that wrap</p><blockquote>deeper still here</blockquote><p>back</p></blockquote><p>b</p>", 14,
			"a\n\n│ quoted words\n│ that wrap\n│\n│ │ deeper\n│ │ still here\n│\n│ back\n\nb"},
		{"a list inside a quote",
			"<blockquote><ul><li>one two three</li></ul></blockquote>", 12,
			"│ • one two\n│   three"},
		{"pre keeps breaks and spaces, breaks long lines hard",
			"<p>x</p><pre><code>a  b\n\n\tindented\n\n\nabcdefghijklmnop\n\n</code></pre><p>y</p>", 10,
			"x\n\n  a  b\n\n      inde\n  nted\n\n\n  abcdefgh\n  ijklmnop\n\ny"},
		{"inline elements do not break the flow",
			"<p>an <em>em</em>, <strong>strong</strong>, <code>co de</code>, <del>gone</del>, H<sub>2</sub>O, x<sup>2</sup>.</p>", 60,
			"an em, strong, co de, gone, H2O, x2."},
		{"links get a number after their text",
			`<p>see <a href="https://a.example/">the a site</a>, <a href="http://b.example/x">b</a> and <a href="https://a.example/">a again</a>.</p>`, 60,
			"see the a site [1], b [2] and a again [1]."},
		{"a link number never starts a line",
			`<p>words <a href="https://a.example/">link</a></p>`, 10,
			"words\nlink [1]"},
		{"links other than http(s) are text only",
			`<p><a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">file</a> <a href="data:text/html,x">data</a> <a href="mailto:a@b.example">mail</a> <a href="/relative">rel</a> <a href="-https://x.example/">dash</a> <a>none</a> <a href="ftp://h.example/f">ftp</a> <a href="file://localhost/etc/passwd">local</a> <a href="javascript://h.example/%0aalert(1)">jsh</a> <a href="https://h.example/a b">space</a> <a href="https:///nohost">nohost</a></p>`, 80,
			"js file data mail rel dash none ftp local jsh space nohost"},
		{"http(s) links in any case, surrounding spaces ignored",
			`<a href=" HTTPS://h.example/x ">a</a> <a href="Http://h.example/y">b</a>`, 40,
			"a [1] b [2]"},
		{"images show their alt text and source number",
			`<p><img src="https://i.example/a.png" alt="A  cat"> <img src="https://i.example/b.png"> <img src="data:image/png;base64,AA" alt="inline"></p>`, 60,
			"[image: A cat] [1] [image] [2] [image: inline]"},
		{"an image inside a link gets both numbers",
			`<a href="https://e.example/big"><img src="https://e.example/small" alt="pic"></a>`, 60,
			"[image: pic] [1] [2]"},
		{"hr is a rule across the width",
			"<p>a</p><hr><p>b</p>", 12,
			"a\n\n────────────\n\nb"},
		{"br breaks the line, several leave at most one empty line",
			"<p><br>one<br>two<br><br><br>three<br></p>", 20,
			"one\ntwo\n\nthree"},
		{"definition lists",
			"<dl><dt>Term</dt><dd>the meaning of it</dd><dt>Other</dt><dd>more</dd></dl>", 16,
			"Term\n    the meaning\n    of it\nOther\n    more"},
		{"figure with caption",
			`<figure><img src="https://i.example/f.png" alt="fig"><figcaption>Caption text</figcaption></figure>`, 30,
			"[image: fig] [1]\nCaption text"},
		{"unknown elements show their content, scripts and styles nothing",
			"<p>a <span>b</span> <foo>c</foo> <font color=red>d</font></p><script>evil()</script><style>p{}</style><noscript>ns</noscript><template>t</template><div>e</div>", 40,
			"a b c d\n\ne"},
		{"long words and URLs are broken hard",
			"<p>go https://example.com/a/very/long/path end</p>", 12,
			"go\nhttps://exam\nple.com/a/ve\nry/long/path\nend"},
		{"wide characters wrap by display width",
			"<p>日本語のテキストです。 漢字</p>", 10,
			"日本語のテ\nキストです\n。 漢字"},
		{"emoji and combining marks count as what they show",
			"<p>e\u0301e\u0301 👍🏽👍🏽 ok</p>", 7,
			"e\u0301e\u0301 👍🏽👍🏽\nok"},
		{"markup nested deeper than the parser takes shows its text",
			strings.Repeat("<div><b>", 300) + "deep <i>text</i><p>para</p>", 40,
			"deep text\n\npara"},
		{"malformed markup is repaired",
			"<p>open <b>bold <i>both</b> after</i><ul><li>x<p>y</ul><table><td>cell", 30,
			"open bold both after\n\n• x\n\n  y\n\ncell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := plain(tt.body, tt.width)
			checkLines(t, lines, tt.width, false)
			if got := strings.Join(lines, "\n"); got != tt.want {
				t.Errorf("width %d\ngot:\n%s\n\nwant:\n%s", tt.width, got, tt.want)
			}
		})
	}
}
