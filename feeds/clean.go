package feeds

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Clean makes untrusted text safe to print on a terminal as one line:
// sanitize.Text (escape sequences removed whole, control characters, bidi
// controls and invalid UTF-8 gone), then runs of white space folded into
// one space. It decodes nothing: decoding happens once, where the feed's
// format says its text is encoded (XML, then HTML), before Clean.
func Clean(s string) string {
	s = sanitize.Text(s, false)
	if !needsFold(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// CleanBody is Clean for multi-line text: it keeps newlines, trims the ends
// of lines, folds runs of spaces inside lines (keeping their indentation)
// and keeps at most one blank line in a row.
func CleanBody(s string) string {
	return foldBody(sanitize.Text(s, true))
}

// needsFold reports whether s has white space at its ends, two in a row or
// any white space other than a plain space.
func needsFold(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
			i++
			continue
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return true // \t \n \v \f \r
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return true
			}
			i += n
		}
		prevSpace = false
	}
	return prevSpace && s != ""
}

// asciiSpace marks the ASCII bytes unicode.IsSpace calls white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// foldBody trims each line, folds runs of spaces inside lines (keeping the
// indentation) and keeps at most one blank line in a row.
func foldBody(s string) string {
	if folded(s) {
		return s
	}
	return foldLines(s)
}

// foldLines is foldBody's work.
func foldLines(s string) string {
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
		indent := len(ln) - len(strings.TrimLeft(ln, " "))
		out = append(out, ln[:indent]+foldSpaces(ln[indent:]))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// folded reports whether foldBody would return s as it is: no white space
// but single spaces inside lines and the newlines between them, at most one
// blank line in a row, nothing blank at either end.
func folded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '\n' || s[len(s)-1] == '\n' {
		return false
	}
	var prev byte = '\n'
	newlines := 0 // in a row
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			if prev == ' ' {
				return false
			}
		case c == '\n':
			if prev == ' ' {
				return false
			}
			if newlines++; newlines == 3 {
				return false
			}
			prev = c
			i++
			continue
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return false
			}
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			prev, newlines = c, 0
			i += n
			continue
		}
		prev, newlines = c, 0
		i++
	}
	return prev != ' '
}

// foldSpaces folds runs of white space into one space.
func foldSpaces(s string) string {
	if !needsFold(" " + s + "x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
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
	return cutWords(cut, max)
}

// cutWords cuts s (already at most max bytes) at its last word boundary
// past a third of max and marks the cut with an ellipsis.
func cutWords(s string, max int) string {
	if i := strings.LastIndexByte(s, ' '); i > max/3 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:-–—") + "…"
}

// titleMax is the longest title made from an item's text, in bytes;
// storedTitleMax the longest title stored: a title is one line, and a feed
// that sends 200 KB of one has sent no title.
const (
	titleMax       = 100
	storedTitleMax = 1000
)

// capWords cuts line to at most max bytes (and an ellipsis) at a word
// boundary when it is longer, and reports whether it was cut.
func capWords(line string, max int) (string, bool) {
	if len(line) <= max {
		return line, false
	}
	cut := line[:max]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cutWords(cut, max), true
}

// titleFromText makes a title of an untitled item from the first words of
// its text (its first line, cut at a word boundary), and reports whether
// that took the whole text.
func titleFromText(text string) (string, bool) {
	line, _, more := strings.Cut(strings.TrimSpace(text), "\n")
	line, cut := capWords(Clean(line), titleMax)
	return line, !cut && !more
}

// boilerplate holds the patterns of the boilerplate that blogs and news
// sites append to excerpts, matched at the end of a summary (one line of
// text, at most boilerplateScan bytes). They are compiled on first use,
// not at package init: most commands never summarise anything.
var boilerplate = sync.OnceValue(func() struct{ medium, readMore *regexp.Regexp } {
	return struct{ medium, readMore *regexp.Regexp }{
		// Medium: "<title> was originally published in <publication> on
		// Medium, where people are continuing the conversation by
		// highlighting and responding to this story."
		medium: regexp.MustCompile(`\s*[^.!?…]+? was originally published in .+? on Medium, where people are continuing the conversation by highlighting and responding to this story\.?\s*$`),
		// "Continue reading →", "Continue reading “Title” →", "Continue
		// reading on Medium »", "Read more", "Read More »", "Read the rest
		// of this entry »", "Читать далее →", "Подробнее…", "Batafsil", …
		// after a sentence end, an ellipsis or a bracket, or after a
		// space when an arrow follows (so "Click here to read more"
		// stays).
		readMore: regexp.MustCompile(`(?i)(^|[.!?…\])]\s*|\s+)[(\[]?(?:continue reading|read more|read the rest(?: of this (?:entry|post|article))?|keep reading|read full (?:story|article)|читать далее|читать дальше|читать полностью|подробнее|батафсил|batafsil|davomini o[‘'ʻ’]qing|давомини ўқинг)(?:\s+(?:on|at) [^\s.]+)?(?:\s*[“"«‘'][^“”"«»]*[”"»’'])?\s*(→|»|›|>>|\.\.\.|…)?\s*[)\]]?\s*$`),
	}
})

// cutMarker removes an excerpt's "[…]", "[...]", "[&hellip;]" or "(…)"
// marker from the end of s, with the white space around it, and reports
// whether there was one.
func cutMarker(s string) (string, bool) {
	const space = " \t\n\f\r"
	t := strings.TrimRight(s, space)
	if !strings.HasSuffix(t, "]") && !strings.HasSuffix(t, ")") {
		return s, false
	}
	t = t[:len(t)-1]
	for _, dots := range [...]string{"…", "...", "&hellip;"} {
		if u, ok := strings.CutSuffix(t, dots); ok && (strings.HasSuffix(u, "[") || strings.HasSuffix(u, "(")) {
			return strings.TrimRight(u[:len(u)-1], space), true
		}
	}
	return s, false
}

// readMoreWords are the phrases boilerplate.readMore looks for, lower-case:
// the regular expression runs only on text that has one near its end.
var readMoreWords = [...]string{"continue reading", "read more", "read the rest", "keep reading", "read full",
	"читать", "подробнее", "батафсил", "batafsil", "davomini", "давомини"}

// tail returns the last n bytes of s or a little more (from a rune start).
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[i:]
}

// lower is strings.ToLower without its per-rune function calls for the
// ASCII of text that is not all ASCII, as bytes.
func lower(s string) []byte {
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\uFFFD"...) // as strings.ToLower writes it
		} else {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		i += n
	}
	return b
}

// trimWordPress removes the footer WordPress (Yoast and other plugins)
// appends to excerpts: "The post <title> appeared first on <site>.", a
// sentence of its own that ends the text, with a site's name in it, not
// a clause ("The post office appeared first on the list of closures, said
// officials." stays).
func trimWordPress(s string) string {
	const sep = " appeared first on "
	k := strings.LastIndex(s, sep)
	if k < 0 {
		return s
	}
	site, ok := strings.CutSuffix(s[k+len(sep):], ".")
	if !ok || site == "" || len(site) > 100 || strings.ContainsAny(site, ",;:!?") || strings.Contains(site, ". ") {
		return s
	}
	i := strings.LastIndex(s[:k], "The post ")
	if i < 0 {
		return s
	}
	before := strings.TrimRightFunc(s[:i], unicode.IsSpace)
	if before != "" && (len(before) == i || !strings.ContainsRune(".!?…)]", lastRune(before))) {
		return s // not a sentence of its own
	}
	return before
}

// lastRune is the last rune of s.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// trimBoilerplate removes, from the end of a one-line summary, the footers
// and "read more" links that feeds append to every excerpt. An excerpt's
// "[…]" becomes a plain "…": the text was cut, and says so. Each pattern
// runs only where a plain search finds its words.
func trimBoilerplate(s string) string {
	re := boilerplate()
	for {
		prev := s
		s = strings.TrimSpace(s)
		s = trimWordPress(s)
		if strings.Contains(s, " on Medium, where people are continuing") {
			s = re.medium.ReplaceAllString(s, "")
		}
		end := lower(tail(s, 400))
		for _, w := range readMoreWords {
			if !bytes.Contains(end, []byte(w)) {
				continue
			}
			if m := re.readMore.FindStringSubmatchIndex(s); m != nil {
				// After a plain space the phrase is a link only with an
				// arrow after it; an ellipsis there ends a sentence ("they
				// would like to read more...").
				prefix, arrow := s[m[2]:m[3]], m[4] >= 0 && !strings.Contains("...…", s[m[4]:m[5]])
				if strings.TrimSpace(prefix) != "" || prefix == "" || arrow {
					// Keep the sentence end the match started with.
					keep := s[:m[0]]
					if r, _ := utf8.DecodeRuneInString(prefix); strings.ContainsRune(".!?…])", r) {
						keep += string(r)
					}
					s = keep
				}
			}
			break
		}
		if t, ok := cutMarker(s); ok {
			s = t + "…"
		}
		s = strings.TrimSpace(s)
		if s == prev {
			return s
		}
	}
}
