package feeds

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// Clean makes untrusted feed text safe to print on a terminal as one line.
//
// It works after all decoding: HTML entities are decoded repeatedly until the
// text is stable (so "&amp;#27;" cannot come back as ESC at a later stage),
// then every C0 and C1 control character (ESC, BEL, CSI 0x9b, DEL, …), every
// bidirectional override, isolate and mark is removed, invalid UTF-8 is
// replaced and runs of white space are folded into one space.
func Clean(s string) string {
	return clean(s, false)
}

// CleanBody is Clean for multi-line text: it keeps newlines and tabs, trims
// the ends of lines and folds runs of blank lines, but removes everything
// else Clean removes.
func CleanBody(s string) string {
	return clean(s, true)
}

func clean(s string, body bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	// Decode and strip until nothing changes: stripping a control character
	// can join the halves of a new entity ("&\x1b#27;").
	stable := false
	for range 16 {
		prev := s
		s = decodeEntities(s)
		s = stripUnsafe(s, body)
		if s == prev {
			stable = true
			break
		}
	}
	if !stable && html.UnescapeString(s) != s {
		// References nested deeper than the passes above ("&amp;amp;…#27;"
		// 300 times over) are an attack, not a feed: drop the ampersands,
		// so no later decoding can make a control character of what is
		// left and cleaning twice gives the same text.
		s = strings.ReplaceAll(s, "&", "")
	}
	if body {
		return foldBody(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// decodeEntities decodes HTML character references until the text is stable.
func decodeEntities(s string) string {
	for range 16 {
		if !strings.Contains(s, "&") {
			return s
		}
		d := html.UnescapeString(s)
		if d == s {
			return s
		}
		s = d
	}
	return s
}

// unsafeRune reports whether r must never reach a terminal.
func unsafeRune(r rune, body bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		// kept in bodies; folded into spaces in one-line text; \r becomes \n
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	case r == 0xfeff || r == 0xfff9 || r == 0xfffa || r == 0xfffb:
		return true // BOM / zero-width no-break space, interlinear annotations
	}
	return false
}

func stripUnsafe(s string, body bool) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r, body) || r == '\r' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		next := i + n
		switch {
		case r == '\r':
			if next < len(s) && s[next] == '\n' {
				// \r\n: the \n follows
			} else {
				b.WriteByte('\n')
			}
		case unsafeRune(r, body):
		default:
			b.WriteString(s[i:next])
		}
		i = next
	}
	return b.String()
}

// foldBody trims each line, folds runs of spaces inside lines (keeping the
// indentation that Markdown needs) and keeps at most one blank line in a row.
func foldBody(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, ln := range lines {
		ln = strings.TrimRightFunc(ln, unicode.IsSpace)
		if ln == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
			out = append(out, "")
			continue
		}
		blank = 0
		indent := len(ln) - len(strings.TrimLeft(ln, " \t"))
		out = append(out, ln[:indent]+foldSpaces(ln[indent:]))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// foldSpaces folds runs of white space other than tabs into one space.
func foldSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r != '\t' && unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// textFromHTML turns an HTML fragment (or plain text with entities) into one
// clean line of plain text: tags dropped, scripts and styles skipped,
// entities decoded, white space folded.
func textFromHTML(s string) string {
	t := htmlText(s)
	if looksLikeTags.MatchString(t) {
		// Double-escaped HTML ("&lt;b&gt;"), common in feeds: strip again.
		t = htmlText(t)
	}
	return t
}

var looksLikeTags = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return Clean(s)
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return Clean(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "iframe":
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
			case "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
				"blockquote", "tr", "td", "th", "figure", "figcaption", "section", "article", "hr", "pre":
				b.WriteByte(' ')
			}
		}
	}
}

// summarize keeps the first sentences of text, at most max bytes, cut at a
// sentence end when there is one in the second half, else at a word
// boundary with an ellipsis.
func summarize(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := text[:max]
	// Back up to a rune boundary.
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	best := -1
	for i := 0; i < len(cut)-1; i++ {
		c := cut[i]
		if (c == '.' || c == '!' || c == '?') && cut[i+1] == ' ' {
			best = i + 1
		}
	}
	if best >= max/3 {
		return strings.TrimSpace(cut[:best])
	}
	if i := strings.LastIndexByte(cut, ' '); i > max/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-–—") + "…"
}
