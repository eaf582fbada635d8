package feeds

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestClean(t *testing.T) {
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
		// Clean decodes nothing: entities are text by now.
		{"dec &#27;[2J", "dec &#27;[2J"},
		{"entities &amp; &lt;b&gt; &mdash;", "entities &amp; &lt;b&gt; &mdash;"},
		{"A <b> tag", "A <b> tag"},
		{"bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200emark\u200f", "bidi gnp.exe iso mark"},
		{"invalid \xff\xfe utf8", "invalid \uFFFD utf8"},
		{"Кыргызстан: «сом»", "Кыргызстан: «сом»"},
		{"nbsp\u00a0folds", "nbsp folds"},
	} {
		got := Clean(tc.in)
		if got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if r, bad := unsafeIn(got, false); bad {
			t.Errorf("Clean(%q) keeps %U", tc.in, r)
		}
		if Clean(got) != got {
			t.Errorf("Clean(%q) is not stable", tc.in)
		}
	}
}

func TestCleanBody(t *testing.T) {
	in := "Line one\x1b[2J\r\n\r\n\r\n\r\n  indented   code\twith tab  \n&#27;]52;c;x line \u009bthree\u202e\n\n"
	// "\u009bt" is a whole CSI sequence (final byte 't').
	want := "Line one\n\n  indented code with tab\n&#27;]52;c;x line hree"
	if got := CleanBody(in); got != want {
		t.Errorf("CleanBody =\n%q\nwant\n%q", got, want)
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

func TestTitleFromText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		whole    bool
	}{
		{"Short note", "Short note", true},
		{"First line\n\nSecond paragraph", "First line", false},
		{strings.Repeat("Ташкент метро ", 20), "Ташкент метро Ташкент метро Ташкент метро Ташкент…", false},
		{"", "", true},
	} {
		got, whole := titleFromText(tc.in)
		if got != tc.want || whole != tc.whole {
			t.Errorf("titleFromText(%q) = %q, %v; want %q, %v", tc.in, got, whole, tc.want, tc.whole)
		}
		if len(got) > titleMax+len("…") {
			t.Errorf("title %q is %d bytes", got, len(got))
		}
	}
}

func TestTrimBoilerplate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Rates held. The post Rates held appeared first on The Times Of Central Asia.", "Rates held."},
		{"Rates held at 15.25% on Friday […]", "Rates held at 15.25% on Friday…"},
		{"Rates held at 15.25% on Friday [...]", "Rates held at 15.25% on Friday…"},
		{"The bank kept rates … Continue reading →", "The bank kept rates …"},
		{"The bank kept rates… Continue reading “Rates held” →", "The bank kept rates…"},
		{"Snippet of the story… Continue reading on Medium »", "Snippet of the story…"},
		{"Rates held. Read more", "Rates held."},
		{"Rates held. Read More »", "Rates held."},
		{"Rates held. Read the rest of this entry »", "Rates held."},
		{"Курс сома не изменился. Читать далее →", "Курс сома не изменился."},
		{"Курс сома не изменился… Подробнее", "Курс сома не изменился…"},
		{"Soʻm kursi oʻzgarmadi. Batafsil", "Soʻm kursi oʻzgarmadi."},
		{"How to read more books was originally published in Better Humans on Medium, where people are continuing the conversation by highlighting and responding to this story.", ""},
		{"Summary. Rates held was originally published in Money on Medium, where people are continuing the conversation by highlighting and responding to this story.", "Summary."},
		{"Continue reading →", ""},
		// Kept: the phrase inside a sentence, or without a sentence end
		// or an arrow.
		{"Click here to read more", "Click here to read more"},
		{"Об этом сообщили подробнее", "Об этом сообщили подробнее"},
		{"We read more books in winter.", "We read more books in winter."},
		// Kept: sentences that only look like a footer or a link.
		{"The post office appeared first on the list of closures, said officials.", "The post office appeared first on the list of closures, said officials."},
		{"Ministers met today. The post of mayor appeared first on the list; the rest followed.", "Ministers met today. The post of mayor appeared first on the list; the rest followed."},
		{"Officials said they would like to read more...", "Officials said they would like to read more..."},
		{"Critics urged voters to keep reading…", "Critics urged voters to keep reading…"},
		{"Rates held.The post Rates appeared first on Site.", "Rates held.The post Rates appeared first on Site."},
		{"Nothing to trim.", "Nothing to trim."},
	} {
		if got := trimBoilerplate(tc.in); got != tc.want {
			t.Errorf("trimBoilerplate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeLink(t *testing.T) {
	base := "https://timesca.com/feed/"
	for _, tc := range []struct{ in, want string }{
		{"https://timesca.com/a/", "https://timesca.com/a/"},
		{" https://timesca.com/a/ ", "https://timesca.com/a/"},
		{"/relative/", "https://timesca.com/relative/"},
		{"other", "https://timesca.com/feed/other"},
		{"//cdn.example/x.jpg", "https://cdn.example/x.jpg"},
		{"?p=1", "https://timesca.com/feed/?p=1"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"file:///etc/passwd", ""},
		{"mailto:a@b.c", ""},
		{"-oProxyCommand=x", ""},
		{"https://x.example/\x1b[2J", ""},
		{"https://x.example/\u202ecod.exe", ""},
		{"https:///nohost", ""},
		{"rel path", ""},
	} {
		if got := safeLink(tc.in, base); got != tc.want {
			t.Errorf("safeLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := safeLink("/relative/", ""); got != "" {
		t.Errorf("relative without a base: %q", got)
	}
}

// convertHTML runs the body pass over src with base and returns the
// sanitised HTML and the plain text.
func convertHTML(src, base string) (string, string) {
	var c converter
	b, _ := url.Parse(base)
	c.reset(b, true)
	c.convert(src, false)
	return c.body(), c.plain()
}

func TestConvert(t *testing.T) {
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
			if err := checkBody(body); err != nil {
				t.Errorf("checkBody: %v", err)
			}
		})
	}
}

func TestConvertDeepNesting(t *testing.T) {
	body, text := convertHTML(strings.Repeat("<b><i>", 5000)+"deep"+strings.Repeat("</i></b>", 5000), "")
	if text != "deep" || strings.Count(body, "<") > 2*maxDepth+2 {
		t.Errorf("deep nesting: %d tags, text %q", strings.Count(body, "<"), text)
	}
	if err := checkBody(body); err != nil {
		t.Error(err)
	}
}

// TestCutMarker holds cutMarker to the pattern it stands for.
func TestCutMarker(t *testing.T) {
	re := regexp.MustCompile(`\s*[\[(](?:…|\.\.\.|&hellip;)[\])]\s*$`)
	for _, s := range []string{
		"Rates held […]", "Rates held [...]", "Rates held [&hellip;]", "Rates held (…)", "Rates held (…]",
		"Rates held\t[…] \n", "[…]", " (...)", "Rates held […] more", "Rates held […", "Rates held …]",
		"Rates held [ …]", "Rates held [……]", "Rates held ]", "", ")", "a\u00a0[…]", "Rates held [....]",
	} {
		want, wantOK := re.ReplaceAllString(s, ""), re.MatchString(s)
		got, ok := cutMarker(s)
		if !wantOK {
			want = s
		}
		if got != want || ok != wantOK {
			t.Errorf("cutMarker(%q) = %q, %v; want %q, %v", s, got, ok, want, wantOK)
		}
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

func TestLower(t *testing.T) {
	for _, s := range []string{"", "Read More »", "ЧИТАТЬ ДАЛЕЕ →", "Batafsil … DAVOMINI O‘qing", "İSTANBUL ǅ Σ", "bad \xff\xfe utf8 Ä", "ΑΣ"} {
		if got, want := string(lower(s)), strings.ToLower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
	}
}
