package render

import (
	"strconv"
	"strings"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// Plain renders the Markdown-ish plain text of articles stored before
// bodies were kept as HTML: paragraphs (lines joined and wrapped; a line
// ending in two spaces breaks), `#` headings shown without their marks,
// `-`/`*`/`+` bullets and `1.` numbers with hanging indents, `>` quotes,
// fenced code blocks, `---` rules, and inline [text](url) links, ![alt](src)
// images, <https://…> links, **strong** and `code`. Anything else is text.
func Plain(text string, width int, st *Styles) Doc {
	r := newRenderer(width, st)
	text = sanitize.Text(strings.ReplaceAll(text, "\t", "    "), true)
	r.plainBlocks(strings.Split(text, "\n"))
	return r.doc()
}

// listLevel is an open list of plain text: the indent of its markers.
type listLevel struct {
	indent  int
	ordered bool
}

func (r *renderer) plainBlocks(lines []string) {
	var levels []listLevel
	closeTo := func(n int) {
		for len(levels) > n {
			r.closeItem()
			r.closeList()
			levels = levels[:len(levels)-1]
		}
	}
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		t := strings.TrimLeft(raw, " ")
		ind := len(raw) - len(t)
		t = strings.TrimRight(t, " ")
		switch {
		case t == "":
			r.block(true)
			if len(levels) > 0 && !continuesList(lines[i+1:]) {
				closeTo(0)
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			if ind == 0 {
				closeTo(0)
			}
			i = r.fence(lines, i, t[:3])
		case heading(t) > 0:
			closeTo(0)
			level := heading(t)
			r.heading(level, func() { r.plainInline(headingText(t[level:])) })
		case isRule(t):
			closeTo(0)
			r.hr()
		case t[0] == '>':
			if ind == 0 {
				closeTo(0)
			}
			j := i
			for j < len(lines) && strings.HasPrefix(strings.TrimLeft(lines[j], " "), ">") {
				j++
			}
			r.plainQuote(lines[i:j])
			i = j - 1
		case marker(t) > 0:
			n := marker(t)
			ordered := t[0] >= '0' && t[0] <= '9'
			for len(levels) > 0 && (levels[len(levels)-1].indent > ind ||
				levels[len(levels)-1].indent == ind && levels[len(levels)-1].ordered != ordered) {
				closeTo(len(levels) - 1)
			}
			if len(levels) == 0 || levels[len(levels)-1].indent < ind {
				r.openList(plainList(lines[i:], ind, t, ordered))
				levels = append(levels, listLevel{indent: ind, ordered: ordered})
			} else {
				r.closeItem()
			}
			r.openItem()
			r.plainLine(raw, t[n:])
		default:
			if len(levels) > 0 && ind == 0 && i > 0 && strings.TrimSpace(lines[i-1]) == "" {
				closeTo(0)
			}
			r.plainLine(raw, t)
		}
	}
	closeTo(0)
}

// plainLine adds one line of a paragraph; two trailing spaces break the line.
func (r *renderer) plainLine(raw, t string) {
	r.plainInline(t)
	if strings.HasSuffix(raw, "  ") {
		r.p.br()
	} else {
		r.p.space = true
	}
}

// continuesList reports whether the lines after a blank line continue a
// list: the next text is indented or is a list item.
func continuesList(rest []string) bool {
	for _, l := range rest {
		t := strings.TrimLeft(l, " ")
		if t == "" {
			continue
		}
		return len(t) < len(l) || marker(t) > 0
	}
	return false
}

// plainList describes the list starting at lines[0]: for numbers, the first
// one and the width of the last one at the same indent.
func plainList(lines []string, ind int, t string, ordered bool) list {
	l := list{ordered: ordered, next: 1}
	if !ordered {
		return l
	}
	dot := strings.IndexAny(t, ".)")
	if v, err := strconv.Atoi(t[:dot]); err == nil {
		l.next = v
	}
	count := 0
	for _, s := range lines {
		u := strings.TrimLeft(s, " ")
		if len(s)-len(u) == ind && marker(u) > 0 && u[0] >= '0' && u[0] <= '9' {
			count++
		} else if u != "" && len(s)-len(u) < ind {
			break
		}
	}
	l.numW = max(len(strconv.Itoa(l.next)), len(strconv.Itoa(l.next+max(0, count-1))))
	return l
}

// heading returns the level of a `#` heading line, or 0.
func heading(t string) int {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(t) && t[n] != ' ' {
		return 0
	}
	return n
}

// headingText drops the spaces around a heading's text and its closing
// marks ("## Title ##"), keeping a # that is part of a word ("C#").
func headingText(s string) string {
	s = strings.TrimSpace(s)
	if t := strings.TrimRight(s, "#"); t == "" || t[len(t)-1] == ' ' {
		return strings.TrimSpace(t)
	}
	return s
}

// isRule reports a thematic break: three or more -, * or _ and spaces.
func isRule(t string) bool {
	c, n := t[0], 0
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ':
		default:
			return false
		}
	}
	return n >= 3
}

// marker returns the length of a list marker with its space ("- ", "12. "),
// or 0.
func marker(t string) int {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ' {
		return 2
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return i + 2
	}
	return 0
}

// fence renders a fenced code block starting at lines[i] and returns the
// index of its closing line.
func (r *renderer) fence(lines []string, i int, mark string) int {
	j := i + 1
	for j < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[j], " "), mark) {
		j++
	}
	code := strings.Join(lines[i+1:min(j, len(lines))], "\n")
	r.pre(func() { r.p.text(code, r.cur) })
	return j
}

// plainQuote renders lines starting with '>' as a quote of their content.
func (r *renderer) plainQuote(lines []string) {
	inner := make([]string, len(lines))
	for k, l := range lines {
		l = strings.TrimLeft(l, " ")[1:]
		if len(r.frames) >= maxFrames { // deeper than shown: drop the marks
			l = strings.TrimLeft(l, "> ")
		}
		inner[k] = strings.TrimPrefix(l, " ")
	}
	r.quote(func() { r.plainBlocks(inner) })
}

// plainInline adds a line of Markdown-ish text with its inline markup.
// Searches for closing marks are bounded so that hostile text stays linear.
func (r *renderer) plainInline(s string) {
	const reach = 2048 // for a URL or a run of code or strong text
	p := &r.p
	line := s
	links, parens := nextAt{line: line, sub: "](", at: -2}, nextAt{line: line, sub: ")", at: -2}
	ends := nextAt{line: line, sub: ">", at: -2}
	for s != "" {
		i := strings.IndexAny(s, "[!*`\\<")
		if i < 0 {
			p.text(s, r.cur)
			return
		}
		p.text(s[:i], r.cur)
		s = s[i:]
		lit := 1 // bytes to show as they are when no markup matches
		off := len(line) - len(s)
		switch s[0] {
		case '\\':
			if len(s) > 1 && strings.IndexByte("\\`*_{}[]()#+-.!<>|~\"'", s[1]) >= 0 {
				p.text(s[1:2], r.cur)
				s = s[2:]
				continue
			}
		case '!':
			if links.near(off, labelReach) && parens.near(off, reach) {
				if label, u, rest, ok := mdLink(s[1:], reach); ok {
					r.image(u, label)
					s = rest
					continue
				}
			}
		case '[':
			if links.near(off, labelReach) && parens.near(off, reach) {
				if label, u, rest, ok := mdLink(s, reach); ok {
					r.link(u, func() { r.plainInline(label) })
					s = rest
					continue
				}
			}
		case '*':
			for lit < len(s) && s[lit] == '*' {
				lit++
			}
			if lit == 2 {
				if j := strings.Index(s[2:min(len(s), reach)], "**"); j > 0 {
					old := r.cur
					r.cur |= sStrong
					r.plainInline(s[2 : 2+j])
					r.cur = old
					s = s[4+j:]
					continue
				}
			}
		case '`':
			if j := strings.IndexByte(s[1:min(len(s), reach)], '`'); j > 0 {
				p.text(s[1:1+j], r.cur|sCode)
				s = s[2+j:]
				continue
			}
		case '<':
			if ends.near(off, reach) {
				j := ends.at - off
				if u, ok := httpURL(s[1:j]); ok {
					r.link(u, func() { p.text(u, r.cur) })
					s = s[j+1:]
					continue
				}
			}
		}
		p.text(s[:lit], r.cur)
		s = s[lit:]
	}
}

// nextAt finds the next sub in a line at or after an offset, remembering
// it: a line of many openers without closers is searched once, not once
// per opener.
type nextAt struct {
	line, sub string
	at        int // -1 none, -2 not searched yet
}

// near reports whether sub occurs after off, less than reach bytes on.
func (n *nextAt) near(off, reach int) bool {
	if n.at != -1 && n.at <= off {
		if i := strings.Index(n.line[off+1:], n.sub); i < 0 {
			n.at = -1
		} else {
			n.at = off + 1 + i
		}
	}
	return n.at > off && n.at-off < reach
}

// labelReach bounds the search for the end of a link's label.
const labelReach = 400

// mdLink parses [label](url "title") at the start of s, looking no further
// than reach bytes for the end of the URL and labelReach for the label's.
func mdLink(s string, reach int) (label, u, rest string, ok bool) {
	if s == "" || s[0] != '[' {
		return "", "", "", false
	}
	end := closing(s, '[', ']', labelReach)
	if end < 0 || end+1 >= len(s) || s[end+1] != '(' {
		return "", "", "", false
	}
	pend := closing(s[end+1:], '(', ')', reach)
	if pend < 0 {
		return "", "", "", false
	}
	target := strings.TrimSpace(s[end+2 : end+1+pend])
	if f := strings.Fields(target); len(f) > 0 {
		target = f[0]
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	return s[1:end], target, s[end+2+pend:], true
}

// closing returns the index of the bracket closing s[0], or -1.
func closing(s string, open, close byte, reach int) int {
	depth := 0
	for i := 0; i < len(s) && i < reach; i++ {
		switch s[i] {
		case '\\':
			i++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
