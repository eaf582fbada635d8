package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// maxFrames caps the nesting that indents (deeper quotes and lists render
// at the depth of the cap), and a line's prefix never takes more than half
// the width: hostile nesting cannot squeeze the text out.
const maxFrames = 24

// frag is a piece of clean text in one style. odd marks text glued to the
// text before it that starts with a non-ASCII rune: it may join that text's
// last grapheme cluster, so lines holding it are measured again.
type frag struct {
	text string
	st   style
	odd  bool
}

// word is an unbreakable run of frags; space marks a break opportunity (one
// space) before it, br a forced line break.
type word struct {
	start, end int
	w          int
	space, br  bool
}

// para collects the inline content of one block until it is laid out.
type para struct {
	frags []frag
	words []word
	space bool // whitespace since the last word
	pre   bool // keep spaces and line breaks, break lines anywhere
}

func (p *para) reset() {
	p.frags, p.words, p.space, p.pre = p.frags[:0], p.words[:0], false, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// add appends a token of clean text without whitespace (or, in pre mode,
// any text without newlines), starting a new word after whitespace.
func (p *para) add(tok string, st style) {
	if tok == "" {
		return
	}
	n := len(p.words)
	glued := n > 0 && !p.space && !p.words[n-1].br
	if !glued {
		p.words = append(p.words, word{start: len(p.frags), space: p.space && n > 0 && !p.words[n-1].br})
		n++
	}
	p.space = false
	w := &p.words[n-1]
	// A token that starts with a non-ASCII rune may merge with what comes
	// before it (a word glued to another style, or a variation selector or
	// combining mark after a space): such lines are measured again whole.
	p.frags = append(p.frags, frag{text: tok, st: st, odd: tok[0] >= 0x80 && (glued || combines(tok))})
	w.end = len(p.frags)
	w.w += textWidth(tok)
}

// glue appends text to the last word so that no line break separates them
// (a link's [n]); without a word it starts one.
func (p *para) glue(s string, st style) {
	sp := p.space
	p.space = false
	p.add(s, st)
	p.space = sp
}

func (p *para) br() {
	p.words = append(p.words, word{start: len(p.frags), end: len(p.frags), br: true})
	p.space = false
}

// text adds clean text: in normal mode whitespace collapses into break
// opportunities, in pre mode spaces stay and newlines break lines.
func (p *para) text(s string, st style) {
	if p.pre {
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				p.add(s, st)
				return
			}
			p.add(s[:i], st)
			p.br()
			s = s[i+1:]
		}
	}
	for len(s) > 0 {
		if isSpace(s[0]) {
			p.space = true
			s = s[1:]
			continue
		}
		j := 1
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		p.add(s[:j], st)
		s = s[j:]
	}
}

// fitWidth cuts s to at most w cells as ansi.StringWidth measures them.
// ansi.Truncate and ansi.StringWidth disagree on a few sequences (a
// variation selector after a space counts one cell for one and two for
// the other), so the cut is narrowed until the measure agrees.
func fitWidth(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	for cut := w; ; cut-- {
		t := ansi.Truncate(s, max(0, cut), "")
		if cut <= 0 || ansi.StringWidth(t) <= w {
			return t
		}
	}
}

// textWidth is ansi.StringWidth with a fast path for ASCII.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// combines reports whether s starts with a rune that joins the grapheme
// cluster before it: a combining mark, a variation selector (U+FE0F makes
// the character before it wide) or a zero-width joiner.
func combines(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r >= 0xfe00 && r <= 0xfe0f ||
		r >= 0xe0100 && r <= 0xe01ef || r == 0x200d
}

// cluster returns the length in bytes and the width of the first grapheme
// cluster of clean text, measured as ansi.StringWidth measures it.
func cluster(s string) (int, int) {
	if s[0] < 0x80 && (len(s) == 1 || s[1] < 0x80) {
		return 1, 1
	}
	c, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	return max(1, len(c)), w
}

// span is one laid-out line: frags lbuf[a:b], w cells wide.
type span struct {
	a, b, w int
	odd     bool
}

// liner breaks words into lines: spans of the renderer's line buffer, or
// with emit, lines emitted as they are made.
type liner struct {
	r      *renderer
	width  int
	emit   bool
	pre    bool
	spans  []span
	start  int
	w      int
	widest int
	odd    bool
	full   bool // the line holds something (possibly of width zero)
	// lastEmpty: (emit) the last line emitted was empty; a para's first
	// break is dropped, so it starts true
	lastEmpty bool
}

func (l *liner) put(f frag, w int) {
	l.r.lbuf = append(l.r.lbuf, f)
	l.w += w
	l.odd = l.odd || f.odd
	l.full = true
}

func (l *liner) flush() {
	s := span{a: l.start, b: len(l.r.lbuf), w: l.w, odd: l.odd}
	l.widest = max(l.widest, l.w)
	l.w, l.odd, l.full = 0, false, false
	if l.emit { // straight out: the buffer holds one line at a time
		if s.a == s.b && l.pre { // a code block's empty lines all stay
			l.r.settle()
			l.r.lastBlank = false
		}
		l.r.line(l.r.lbuf[s.a:s.b], s.odd)
		l.lastEmpty = s.a == s.b
		l.r.lbuf = l.r.lbuf[:0]
		l.start = 0
		return
	}
	l.spans = append(l.spans, s)
	l.start = len(l.r.lbuf)
}

// lineEmpty reports whether the last line laid out was empty; none counts.
func (l *liner) lastWasEmpty() bool {
	if l.emit {
		return l.lastEmpty
	}
	n := len(l.spans)
	return n == 0 || l.spans[n-1].a == l.spans[n-1].b
}

// brk ends the line at a forced break: a break at the start of a block is
// dropped and runs of breaks leave at most one empty line (in pre mode,
// every empty line stays).
func (l *liner) brk() {
	if !l.full && !l.pre && l.lastWasEmpty() {
		return
	}
	l.flush()
}

// hard puts a word, breaking it between grapheme clusters wherever the line
// is full. A cluster wider than the whole width (a wide character at width
// 1) is dropped.
func (l *liner) hard(frags []frag) {
	for _, f := range frags {
		s, a := f.text, 0
		for i := 0; i < len(s); {
			n, cw := cluster(s[i:])
			if l.w+cw > l.width {
				if a < i {
					l.put(frag{text: s[a:i], st: f.st, odd: f.odd && a == 0}, 0)
				}
				if l.full {
					l.flush()
				}
				a = i
				if cw > l.width {
					i += n
					a = i
					continue
				}
			}
			l.w += cw
			i += n
		}
		if a < len(s) {
			l.put(frag{text: s[a:], st: f.st, odd: f.odd && a == 0}, 0)
		}
	}
}

// layout breaks a paragraph into lines at most width cells wide: appended
// to spans, or emitted at once when emit is set. It returns the spans and
// the widest line's width.
func (r *renderer) layout(p *para, width int, spans []span, emit bool) ([]span, int) {
	l := liner{r: r, width: max(1, width), emit: emit, pre: p.pre, spans: spans, start: len(r.lbuf), lastEmpty: true}
	for _, w := range p.words {
		fr := p.frags[w.start:w.end]
		switch {
		case w.br:
			l.brk()
			continue
		case p.pre:
			l.hard(fr)
			continue
		}
		sp := w.space && l.full
		need := w.w
		if sp {
			need++
		}
		if l.full && l.w+need > l.width {
			l.flush()
			sp = false
		}
		if sp {
			prev := r.lbuf[len(r.lbuf)-1].st
			l.put(frag{text: " ", st: prev & fr[0].st}, 1)
		}
		if w.w > l.width {
			l.hard(fr)
			continue
		}
		for _, f := range fr {
			l.put(f, 0)
		}
		l.w += w.w
	}
	if l.full {
		l.flush()
	}
	return l.spans, l.widest
}

// frame is one level of indentation: a list item's marker (first) and its
// hanging indent (rest), or a quote's bar.
type frame struct {
	first, rest string
	w           int
	st          style
	used        bool
}

// push adds a level of indentation, first emitting a pending blank line in
// the enclosing context.
func (r *renderer) push(first string, st style) {
	r.settle()
	if len(r.frames) >= maxFrames {
		r.frames = append(r.frames, frame{used: true})
		return
	}
	w := textWidth(first)
	f := frame{first: first, rest: first, w: w, st: st}
	if st != sQuote {
		f.rest = blanks(w)
	}
	if strings.TrimSpace(first) == "" {
		f.st = sRaw
	}
	r.frames = append(r.frames, f)
}

func (r *renderer) pop() {
	if n := len(r.frames); n > 0 {
		r.frames = r.frames[:n-1]
	}
}

func blanks(n int) string {
	const sp = "                                "
	if n <= len(sp) {
		return sp[:n]
	}
	return strings.Repeat(" ", n)
}

// indent returns the width the prefix takes: the frames' widths, at most
// half the line.
func (r *renderer) indent() int {
	t := 0
	for i := range r.frames {
		t += r.frames[i].w
	}
	return min(t, r.width/2)
}

// avail is the width left for text.
func (r *renderer) avail() int { return max(1, r.width-r.indent()) }

// writePrefix writes the styled prefix of a line; a blank line gets the
// prefix without its trailing spaces (a quote's bar stays). Where the
// frames are wider than indent(), their leftmost cells are cut.
func (r *renderer) writePrefix(blank bool) {
	cut := -r.indent()
	for i := range r.frames {
		cut += r.frames[i].w
	}
	pieces := r.pieces[:0]
	for i := range r.frames {
		f := &r.frames[i]
		t := f.rest
		if !f.used && !blank {
			t, f.used = f.first, true
		}
		if cut > 0 {
			k := min(cut, f.w)
			cut -= k
			t = ansi.Cut(t, k, f.w)
		}
		switch {
		case t == "":
		case t == f.rest && f.st != sQuote:
			pieces = append(pieces, frag{text: t, st: sRaw})
		default:
			pieces = append(pieces, frag{text: t, st: f.st})
		}
	}
	if blank {
		for len(pieces) > 0 {
			last := &pieces[len(pieces)-1]
			last.text = strings.TrimRight(last.text, " ")
			if last.text != "" {
				break
			}
			pieces = pieces[:len(pieces)-1]
		}
	}
	r.writeFrags(pieces)
	r.pieces = pieces[:0]
}

// writeFrags writes frags, each run of one style inside its SGR sequences.
func (r *renderer) writeFrags(fr []frag) {
	for i := 0; i < len(fr); {
		j := i + 1
		for j < len(fr) && fr[j].st == fr[i].st {
			j++
		}
		open, close := r.sgrOf(fr[i].st)
		r.b.WriteString(open)
		for _, f := range fr[i:j] {
			r.b.WriteString(f.text)
		}
		r.b.WriteString(close)
		i = j
	}
}

// settle emits a pending blank line if something precedes it in the
// current context (no blank line opens a document, a quote or an item).
func (r *renderer) settle() {
	if !r.blank {
		return
	}
	r.blank = false
	if r.lastBlank {
		return
	}
	if n := len(r.frames); n > 0 && !r.frames[n-1].used || n == 0 && len(r.lines) == 0 {
		return
	}
	r.writePrefix(true)
	r.finish(false)
	r.lastBlank = true
}

// line emits one line of frags, w cells wide.
func (r *renderer) line(fr []frag, odd bool) {
	r.settle()
	if len(fr) == 0 {
		if !r.lastBlank {
			r.writePrefix(true)
			r.finish(false)
			r.lastBlank = true
		}
		return
	}
	r.b.Grow(4*r.width + 64) // one allocation per line, escapes included
	r.writePrefix(false)
	r.writeFrags(fr)
	r.finish(odd)
	r.lastBlank = false
}

// finish takes the built line, makes sure only SGR sequences and safe text
// reach the terminal and, for lines whose width might differ from the sum
// of their parts, that it fits.
func (r *renderer) finish(odd bool) {
	s := sanitize.KeepSGR(r.b.String())
	r.b.Reset()
	if odd {
		s = fitWidth(s, r.width)
	}
	r.lines = append(r.lines, s)
}

// flush lays out the collected paragraph and emits its lines; it returns
// the width of the widest.
func (r *renderer) flush() int {
	p := &r.p
	if p.pre { // a code block's trailing newlines
		for n := len(p.words); n > 0 && p.words[n-1].br; n-- {
			p.words = p.words[:n-1]
		}
	}
	if len(p.words) == 0 {
		p.reset()
		return 0
	}
	r.lbuf = r.lbuf[:0]
	_, widest := r.layout(p, r.avail(), nil, true)
	p.reset()
	return widest
}

// block ends the paragraph before (or inside) a block element; with margin,
// a blank line separates what follows.
func (r *renderer) block(margin bool) {
	if r.cell != nil {
		r.cell.space = true
		return
	}
	r.flush()
	if margin {
		r.blank = true
	}
}

// rule emits a line of n copies of s.
func (r *renderer) rule(s string, n int) {
	if n <= 0 {
		return
	}
	r.line([]frag{{text: strings.Repeat(s, n), st: sRule}}, false)
}
