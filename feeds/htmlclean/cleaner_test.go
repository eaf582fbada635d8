package htmlclean

import (
	"net/url"
	"strings"
	"testing"
)

// convertHTML runs the body pass over src with base and returns the
// sanitised HTML and the plain text.
func convertHTML(src, base string) (string, string) {
	var c Cleaner
	b, _ := url.Parse(base)
	if base == "" {
		b = nil
	}
	return c.Body(src, false, b)
}

func TestBody(t *testing.T) {
	const base = "https://timesca.com/feed/"
	for _, tc := range []struct {
		name, in, body, text string
	}{
		{"paragraphs", "<p>One</p><p>Two<br>three</p>", "<p>One</p><p>Two<br/>three</p>", "One\n\nTwo\nthree"},
		{"loose text gets a paragraph", "Hello <b>world</b><div>Next</div>tail", "<p>Hello <strong>world</strong></p><p>Next</p><p>tail</p>", "Hello world\n\nNext\n\ntail"},
		{"mapped inline", "<i>i</i> <b>b</b> <s>s</s> <strike>k</strike> <tt>t</tt> <u>u</u> <span style=\"x\">sp</span>",
			"<p><em>i</em> <strong>b</strong> <del>s</del> <del>k</del> <code>t</code> u sp</p>", "i b s k t u sp"},
		{"script, style, template, noscript never become text", "<script>alert(1)</script><style>p{}</style><template><p>t</p></template><noscript>ns</noscript>Text",
			"<p>Text</p>", "Text"},
		{"entities decoded once", "<p>A &lt;b&gt; tag, R&amp;D &lt; 5%, AT&amp;amp;T</p>", "<p>A &lt;b&gt; tag, R&amp;D &lt; 5%, AT&amp;amp;T</p>", "A <b> tag, R&D < 5%, AT&amp;T"},
		{"escapes in text removed whole", "<p>x &#27;[2J y &#x1b;]52;c;ZXZpbA==&#7; z \u0085\u009b2J w</p>", "<p>x y z w</p>", "x y z w"},
		// HTML reads references to 128–159 as windows-1252 printables.
		{"C1 references are windows-1252", "<p>&#x9b;31m &#150;</p>", "<p>›31m –</p>", "›31m –"},
		{"iframe keeps the text after it", `safe<iframe src="https://www.youtube.com/embed/xyz"> <b>x</b></iframe> description`,
			`<p>safe</p><p>[embedded frame: <a href="https://www.youtube.com/embed/xyz">https://www.youtube.com/embed/xyz</a>]</p><p>description</p>`,
			"safe\n\n[embedded frame: https://www.youtube.com/embed/xyz]\n\ndescription"},
		{"self-closed iframe", `<p>a<iframe src="//player.vimeo.com/video/1"/>b</p>`,
			`<p>a</p><p>[embedded frame: <a href="https://player.vimeo.com/video/1">https://player.vimeo.com/video/1</a>]</p><p>b</p>`,
			"a\n\n[embedded frame: https://player.vimeo.com/video/1]\n\nb"},
		{"video with source", `<video controls poster="p.jpg"><source src="/v/clip.mp4" type="video/mp4">Your browser…</video><p>after</p>`,
			`<p>[video: <a href="https://timesca.com/v/clip.mp4">https://timesca.com/v/clip.mp4</a>]</p><p>after</p>`,
			"[video: https://timesca.com/v/clip.mp4]\n\nafter"},
		{"audio without a usable URL", `<p>Listen:</p><audio src="javascript:x"></audio>`, "<p>Listen:</p><p>[audio]</p>", "Listen:\n\n[audio]"},
		{"object and embed", `<object data="https://x.example/a.swf"><param name="movie" value="b.swf"><embed src="c.swf"></object><embed src="https://x.example/d.swf">`,
			`<p>[object: <a href="https://x.example/a.swf">https://x.example/a.swf</a>]</p><p>[object: <a href="https://x.example/d.swf">https://x.example/d.swf</a>]</p>`,
			"[object: https://x.example/a.swf]\n\n[object: https://x.example/d.swf]"},
		{"unclosed video at the end", `<p>a</p><video src="https://x.example/v.mp4">`, `<p>a</p><p>[video: <a href="https://x.example/v.mp4">https://x.example/v.mp4</a>]</p>`, "a\n\n[video: https://x.example/v.mp4]"},
		{"links resolved, unsafe ones unwrapped", `<a href="/tag/energy/">our coverage</a>, <a href="javascript:alert(1)">js</a>, <a href="https://x.example/?a=1&amp;b=2">q</a>`,
			`<p><a href="https://timesca.com/tag/energy/">our coverage</a>, js, <a href="https://x.example/?a=1&amp;b=2">q</a></p>`, "our coverage, js, q"},
		{"images", `<img src="/img/a.jpg" alt="A &quot;photo&quot;"><img src="data:image/png;base64,AAAA" alt="d"><img src="data:image/gif;base64,R0" data-lazy-src="https://cdn.example/l.jpg" alt="lazy">`,
			`<p><img src="https://timesca.com/img/a.jpg" alt="A &#34;photo&#34;"/><img src="https://cdn.example/l.jpg" alt="lazy"/></p>`, ""},
		{"emoji images are text", `<p>Great <img draggable="false" role="img" class="emoji" alt="🙂" src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f642.png"></p>`, "<p>Great 🙂</p>", "Great 🙂"},
		{"lists", `<ul><li>one<li>two</ul><ol start="3"><li>three</li></ol>`, `<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol>`, "one\ntwo\n\nthree"},
		{"headings and quotes", `<h2>Head</h2><blockquote>Quoted <q>words</q></blockquote>`, `<h2>Head</h2><blockquote><p>Quoted “words”</p></blockquote>`, "Head\n\nQuoted “words”"},
		{"pre keeps lines", "<pre><code>a := 1\n\tb()\n</code></pre>", "<pre><code>a := 1\n    b()\n</code></pre>", "a := 1\n    b()"},
		{"table", "<table><tr><th>Pair<th>Rate<tr><td>USD/KZT<td>500</table>",
			"<table><tr><th>Pair</th><th>Rate</th></tr><tr><td>USD/KZT</td><td>500</td></tr></table>", "Pair Rate\nUSD/KZT 500"},
		{"empty paragraphs dropped", "<p>&nbsp;</p><p> </p><p><br></p><p>x</p><a href=\"https://x.example/\"></a>", "<p>x</p>", "x"},
		{"misnested tags closed in order", "<p><b>bold <i>both</p> after</b> end</i>", "<p><strong>bold <em>both</em></strong></p><p>after end</p>", "bold both\n\nafter end"},
		{"unclosed everything", "<ul><li><b>x", "<ul><li><strong>x</strong></li></ul>", "x"},
		{"stray end tags", "</p></li></table>a</b>", "<p>a</p>", "a"},
		{"unknown elements unwrapped", "<custom-card><o:p>text</o:p></custom-card>", "<p>text</p>", "text"},
		{"svg and forms", `<svg><text>no</text></svg><form><input value="v"><button>Go</button></form>`, "<p>Go</p>", "Go"},
		{"figure", `<figure><img src="https://x.example/a.jpg" alt="a"><figcaption>Caption <a href="https://x.example/">src</a></figcaption></figure>`,
			`<figure><img src="https://x.example/a.jpg" alt="a"/><figcaption>Caption <a href="https://x.example/">src</a></figcaption></figure>`, "Caption src"},
		{"bidi and controls in text", "<p>\u202egnp.exe\u202c and \u0007bell</p>", "<p>gnp.exe and bell</p>", "gnp.exe and bell"},
		{"a self-closed script still hides its text", `<p>a</p><script src="x.js"/>alert(1)</script><style/>p{}</style><p>b</p>`, "<p>a</p><p>b</p>", "a\n\nb"},
		{"comments and doctype", "<!DOCTYPE html><!-- c --><p>x</p>", "<p>x</p>", "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, text := convertHTML(tc.in, base)
			if body != tc.body {
				t.Errorf("body:\n got %s\nwant %s", body, tc.body)
			}
			if text != tc.text {
				t.Errorf("text:\n got %q\nwant %q", text, tc.text)
			}
			if err := Check(body); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

func TestBodyDeepNesting(t *testing.T) {
	body, text := convertHTML(strings.Repeat("<b><i>", 5000)+"deep"+strings.Repeat("</i></b>", 5000), "")
	if text != "deep" || strings.Count(body, "<") > 2*maxDepth+2 {
		t.Errorf("deep nesting: %d tags, text %q", strings.Count(body, "<"), text)
	}
	if err := Check(body); err != nil {
		t.Error(err)
	}
}

func TestLine(t *testing.T) {
	var c Cleaner
	for _, tc := range []struct {
		in    string
		xhtml bool
		want  string
	}{
		{"R&amp;D &lt;b&gt; &#8217;s", false, "R&D <b> ’s"},
		{"<p>One</p>\n<p>Two <b>bold</b></p><br>three", false, "One Two bold three"},
		{`a<iframe src="https://x.example/v"></iframe>b`, false, "a b"},
		{"x &#27;[2J y \u202e", false, "x y"},
		{"<xhtml:p>One</xhtml:p><xhtml:p><![CDATA[<two>]]></xhtml:p>", true, "One <two>"},
		{"", false, ""},
	} {
		if got := c.Line(tc.in, tc.xhtml); got != tc.want {
			t.Errorf("Line(%q, %v) = %q, want %q", tc.in, tc.xhtml, got, tc.want)
		}
	}
	// One Cleaner serves item after item: nothing of the last one stays.
	body, _ := c.Body("<p>first</p>", false, nil)
	if got := c.Line("<b>second</b>", false); got != "second" || body != "<p>first</p>" {
		t.Errorf("reused Cleaner: %q after %q", got, body)
	}
}

func TestFromPlainAndPlaceholders(t *testing.T) {
	if got, want := FromPlain("One <b>\nline two\n\n\nPara & two"), "<p>One &lt;b&gt;<br/>line two</p><p>Para &amp; two</p>"; got != want {
		t.Errorf("FromPlain = %q, want %q", got, want)
	}
	if err := Check(FromPlain("a\n\nb")); err != nil {
		t.Error(err)
	}
	text := "Intro\n\n[video: https://x.example/v.mp4]\n\n[not a placeholder]\n\n[audio]\n\nEnd"
	if got, want := WithoutPlaceholders(text), "Intro\n\n[not a placeholder]\n\nEnd"; got != want {
		t.Errorf("WithoutPlaceholders = %q, want %q", got, want)
	}
}
