package render

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// randomHTML builds a body from a vocabulary of elements and awkward text:
// wide and combining characters, emoji sequences, variation selectors split
// from their base by a tag, long URLs, NBSP, tabs and newlines in code.
func randomHTML(rng *rand.Rand, depth int) string {
	words := []string{
		"word", "a", "longerword", "日本語", "漢字かな", "👍🏽", "👨\u200d👩\u200d👧", "e\u0301", "\u0301x",
		"☺", "\ufe0f", "🇺🇸", "https://example.com/a/very/long/path/that/never/ends/at/all/ok",
		"супердлинноеслово", "x\u00a0y", "tab\there", "a\nb", "&amp;", "&lt;b&gt;", "&#27;[2J", "\u200b",
		"0123456789012345678901234567890123456789012345678901234567890123456789",
	}
	inline := []string{"strong", "em", "code", "del", "sub", "sup", "span"}
	block := []string{"p", "h1", "h2", "h4", "blockquote", "ul", "ol", "li", "pre", "dl", "dt", "dd", "figure", "figcaption", "table", "tr", "td", "th", "div"}
	var b strings.Builder
	n := 1 + rng.IntN(6)
	for range n {
		switch k := rng.IntN(10); {
		case k < 4:
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		case k < 6 && depth < 6:
			tag := inline[rng.IntN(len(inline))]
			b.WriteString("<" + tag + ">" + randomHTML(rng, depth+1) + "</" + tag + ">")
		case k < 8 && depth < 6:
			tag := block[rng.IntN(len(block))]
			attr := ""
			if tag == "ol" && rng.IntN(2) == 0 {
				attr = ` start="98"`
			}
			b.WriteString("<" + tag + attr + ">" + randomHTML(rng, depth+1) + "</" + tag + ">")
		case k == 8:
			b.WriteString(`<a href="https://l.example/` + words[rng.IntN(3)] + `">` + words[rng.IntN(len(words))] + `</a>`)
		default:
			b.WriteString([]string{"<br>", "<hr>", `<img src="https://i.example/x" alt="pic ture">`}[rng.IntN(3)])
		}
	}
	return b.String()
}

// TestRandomWidths: no line of any random body is wider than the width,
// at every width from 10 to 200, with and without colours.
func TestRandomWidths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := 60
	if testing.Short() {
		docs = 10
	}
	for i := range docs {
		body := randomHTML(rng, 0)
		sgr := i%2 == 0
		st := plainStyles()
		if sgr {
			st = DefaultStyles(true)
		}
		for w := 10; w <= 200; w++ {
			d := HTML(body, w, st)
			checkLines(t, d.Lines, w, sgr)
			checkLinks(t, d.Links)
		}
	}
}

// FuzzHTML: no input panics, widens a line beyond the width or gets an
// escape other than SGR through.
func FuzzHTML(f *testing.F) {
	for _, name := range []string{"wordpress.html", "russian.html", "blogger.html", "legacy.md"} {
		f.Add(fixture(f, name), uint8(30))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		f.Add(randomHTML(rng, 0), uint8(rng.IntN(60)))
	}
	f.Add("<p>a&#27;[2Jb\x1b]8;;https://e\x07x\u202e</p><ol start=99999999999><li>x", uint8(0))
	f.Add(strings.Repeat("<blockquote><ul><li>", 40)+"deep", uint8(5))
	f.Add(strings.Repeat("<b>", 600)+"too deep for the parser", uint8(20))
	f.Fuzz(func(t *testing.T, body string, w uint8) {
		width := 1 + int(w)
		d := HTML(body, width, nil)
		checkLines(t, d.Lines, width, true)
		checkLinks(t, d.Links)
		d = Plain(body, width, nil)
		checkLines(t, d.Lines, width, true)
		checkLinks(t, d.Links)
	})
}
