// Package render lays out an article body for the terminal: sanitised HTML
// (the ingest contract's small tag set, though any HTML is accepted) or the
// Markdown-ish plain text of articles stored before bodies were kept as HTML.
//
// The result is a list of lines, none wider than the requested width, whose
// only escape sequences are SGR colours and attributes from the Styles, plus
// the article's http(s) links, numbered in order of appearance. Every piece
// of text from the article is cleaned of control characters and escape
// sequences before it is styled.
//
// A reader renders an article with HTML(a.Body, w, st), or Plain(a.Content,
// w, st) when Body is empty (articles stored before bodies were kept as
// HTML), at the width Column gives for the terminal, and indents the lines
// by Column's left margin to centre them. A render takes well under a
// millisecond for a typical article but is still best done off the update
// loop and kept per width. LazyHTML and LazyPlain give the same lines made
// as they are asked for, so a body of any size opens at the cost of its
// first screens. Doc.Links numbers the links as the text shows
// them ([n]); show their URLs through sanitize.Redact and open them through
// the browser opener's own checks.
//
// The package does no work at init: no tables, maps or regular expressions
// are built before the first call.
package render

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// MaxWidth is the widest text column worth reading: on wider terminals the
// reader renders at MaxWidth and centres the column (see Column).
const MaxWidth = 100

// Column returns the width to render at for a terminal (or pane) termWidth
// cells wide, keeping a one-cell margin on each side and never going beyond
// MaxWidth, and the left margin that centres that column.
func Column(termWidth int) (width, left int) {
	width = min(MaxWidth, termWidth-2)
	if width < 1 {
		return max(1, termWidth), 0
	}
	return width, (termWidth - width) / 2
}

// Styles are the styles of the rendered body. Only text attributes are used
// (colours, bold, italic, faint, underline, strikethrough, reverse); widths,
// padding, margins and borders are ignored. Nested elements combine their
// styles, the inner one winning where both set the same attribute.
type Styles struct {
	Text      lipgloss.Style // every piece of body text
	Heading1  lipgloss.Style // h1
	Heading   lipgloss.Style // h2–h6 and table headers' rule
	Strong    lipgloss.Style // strong, b, dt, table header cells
	Emphasis  lipgloss.Style // em, i
	Del       lipgloss.Style // del, s, strike
	Code      lipgloss.Style // inline code
	CodeBlock lipgloss.Style // pre
	Quote     lipgloss.Style // the │ bar of block quotes
	Bullet    lipgloss.Style // list bullets and numbers
	Link      lipgloss.Style // link text
	LinkRef   lipgloss.Style // the [n] after a link
	Muted     lipgloss.Style // image placeholders, figure captions
	Rule      lipgloss.Style // hr, heading underlines, table separators
}

// DefaultStyles returns the house styles for a dark or a light background.
// The colours are written whole; the terminal's renderer degrades them to
// what it shows and drops them under NO_COLOR, where the layout (indents,
// bullets, bars, numbers, [n]) carries the structure.
func DefaultStyles(dark bool) *Styles {
	pick := lipgloss.LightDark(dark)
	accent := pick(lipgloss.Color("#0B7A75"), lipgloss.Color("#3FD1C7"))
	muted := pick(lipgloss.Color("#8A8A8A"), lipgloss.Color("#7A7A7A"))
	text := pick(lipgloss.Color("#1A1A1A"), lipgloss.Color("#EDEDED"))
	codeBg := pick(lipgloss.Color("#EDEDED"), lipgloss.Color("#2A2A2A"))
	s := lipgloss.NewStyle
	return &Styles{
		Text:      s().Foreground(text),
		Heading1:  s().Foreground(accent).Bold(true),
		Heading:   s().Foreground(accent).Bold(true),
		Strong:    s().Bold(true),
		Emphasis:  s().Italic(true),
		Del:       s().Strikethrough(true).Foreground(muted),
		Code:      s().Background(codeBg),
		CodeBlock: s().Background(codeBg),
		Quote:     s().Foreground(muted),
		Bullet:    s().Foreground(accent),
		Link:      s().Foreground(accent).Underline(true),
		LinkRef:   s().Foreground(muted),
		Muted:     s().Foreground(muted),
		Rule:      s().Foreground(muted),
	}
}

// Link is one http(s) link of the article; N is the number shown as [N]
// after its text.
type Link struct {
	N    int
	URL  string
	Text string
}

// Doc is a rendered body: lines without newlines, none wider than the width
// it was rendered for, and the links in the order of their numbers.
type Doc struct {
	Lines []string
	Links []Link
}

// String returns the lines joined by newlines.
func (d Doc) String() string { return strings.Join(d.Lines, "\n") }

// style is a set of the element styles applying to a piece of text; the
// body text style always applies.
type style uint16

const (
	sHeading1 style = 1 << iota
	sHeading
	sStrong
	sEmph
	sDel
	sCode
	sCodeBlock
	sQuote
	sBullet
	sLink
	sLinkRef
	sMuted
	sRule

	sRaw style = 1 << 15 // blanks written without any SGR (indents, padding)
)

// precedence lists the element styles from the one that wins to the one that
// loses when two set the same attribute.
var precedence = [...]style{sLinkRef, sLink, sCode, sBullet, sQuote, sRule, sStrong, sEmph, sDel, sMuted, sCodeBlock, sHeading1, sHeading}

func (st *Styles) of(s style) lipgloss.Style {
	switch s {
	case sHeading1:
		return st.Heading1
	case sHeading:
		return st.Heading
	case sStrong:
		return st.Strong
	case sEmph:
		return st.Emphasis
	case sDel:
		return st.Del
	case sCode:
		return st.Code
	case sCodeBlock:
		return st.CodeBlock
	case sQuote:
		return st.Quote
	case sBullet:
		return st.Bullet
	case sLink:
		return st.Link
	case sLinkRef:
		return st.LinkRef
	case sMuted:
		return st.Muted
	case sRule:
		return st.Rule
	}
	return st.Text
}

// sgr is the escape sequences that switch a style on and off.
type sgr struct {
	key         style
	open, close string
}

// sgrOf returns the SGR sequences of a combination of styles, resolving each
// combination once per render.
func (r *renderer) sgrOf(s style) (string, string) {
	if s == sRaw {
		return "", ""
	}
	for _, c := range r.sgrs {
		if c.key == s {
			return c.open, c.close
		}
	}
	ls := lipgloss.NewStyle()
	for _, p := range precedence {
		if s&p != 0 {
			ls = ls.Inherit(r.st.of(p))
		}
	}
	ls = ls.Inherit(r.st.Text)
	// Only the attributes are wanted: render a marker and keep what
	// surrounds it if that is nothing but SGR sequences.
	out := ls.Render("x")
	c := sgr{key: s}
	if i := strings.IndexByte(out, 'x'); i >= 0 && onlySGR(out[:i]) && onlySGR(out[i+1:]) {
		c.open, c.close = out[:i], out[i+1:]
	}
	r.sgrs = append(r.sgrs, c)
	return c.open, c.close
}
