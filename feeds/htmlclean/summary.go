package htmlclean

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Summary keeps the first sentences of one line of text, at most max
// bytes, cut at a sentence end when there is one in the second half, else
// at a word boundary with an ellipsis.
func Summary(text string, max int) string {
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

// titleMax is the longest title made from an item's text, in bytes.
const titleMax = 100

// CapWords cuts line to at most max bytes (and an ellipsis) at a word
// boundary when it is longer, and reports whether it was cut.
func CapWords(line string, max int) (string, bool) {
	if len(line) <= max {
		return line, false
	}
	cut := line[:max]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cutWords(cut, max), true
}

// TitleFrom makes a title of an untitled item from the first words of its
// text (its first line, cut at a word boundary), and reports whether that
// took the whole text.
func TitleFrom(text string) (string, bool) {
	line, _, more := strings.Cut(strings.TrimSpace(text), "\n")
	line, cut := CapWords(sanitize.Line(line), titleMax)
	return line, !cut && !more
}

// boilerplate holds the patterns of the boilerplate that blogs and news
// sites append to excerpts, matched at the end of a summary (one line of
// text, of a few kilobytes at most). They are compiled on first use,
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

// TrimBoilerplate removes, from the end of a one-line summary, the footers
// and "read more" links that feeds append to every excerpt. An excerpt's
// "[…]" becomes a plain "…": the text was cut, and says so. Each pattern
// runs only where a plain search finds its words.
func TrimBoilerplate(s string) string {
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
