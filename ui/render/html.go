package render

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// renderer holds the state of one render.
type renderer struct {
	st    *Styles
	width int
	lines []string
	links []Link
	urls  map[string]int // URL → number, made on the first link

	p      para  // the paragraph being collected
	cell   *para // the table cell being collected, if any
	cur    style // styles of the inline elements around the text
	frames []frame
	lists  []list
	blank  bool // a blank line is due before the next content
	// lastBlank: the last line emitted is blank
	lastBlank bool

	b      strings.Builder
	lbuf   []frag
	pieces []frag
	sgrs   []sgr
}

// list is an open ul or ol.
type list struct {
	ordered bool
	next    int // the next item's number
	numW    int // width of the widest number
}

func newRenderer(width int, st *Styles) *renderer {
	if st == nil {
		st = DefaultStyles(true)
	}
	return &renderer{st: st, width: max(1, width)}
}

func (r *renderer) doc() Doc {
	r.block(false)
	for len(r.lines) > 0 && r.lastBlank {
		r.lines = r.lines[:len(r.lines)-1]
		r.lastBlank = false
	}
	return Doc{Lines: r.lines, Links: r.links}
}

// para returns the paragraph inline content goes to.
func (r *renderer) para() *para {
	if r.cell != nil {
		return r.cell
	}
	return &r.p
}

// HTML renders an article body given as HTML (sanitised at ingest; anything
// else is accepted too: unknown elements show their content, malformed
// markup is repaired by the HTML parser) for width cells.
func HTML(body string, width int, st *Styles) Doc {
	r := newRenderer(width, st)
	r.renderHTML(body)
	return r.doc()
}

// renderHTML lays out a body, or a chunk of one that leaves nothing open.
func (r *renderer) renderHTML(body string) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		// nested too deep for the parser: show the text alone
		r.textOnly(body)
		return
	}
	r.children(doc)
}

func (r *renderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
}

// node renders one node of the tree.
func (r *renderer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		p := r.para()
		if p.pre {
			p.text(sanitize.Text(strings.ReplaceAll(n.Data, "\t", "    "), true), r.cur)
		} else {
			p.text(sanitize.Text(n.Data, false), r.cur)
		}
		return
	case html.DocumentNode:
		r.children(n)
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	old := r.cur
	defer func() { r.cur = old }()
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Title, atom.Svg, atom.Math:
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main,
		atom.Aside, atom.Nav, atom.Address, atom.Details, atom.Summary, atom.Center, atom.Figure,
		atom.Caption, atom.Fieldset, atom.Form, atom.Dl:
		r.block(true)
		r.children(n)
		r.block(true)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.heading(int(n.Data[1]-'0'), func() { r.children(n) })
	case atom.Ul, atom.Ol, atom.Menu:
		r.list(n)
	case atom.Li:
		r.item(n)
	case atom.Tr, atom.Td, atom.Th: // outside a table's grid: a table in a cell
		r.block(false)
		r.children(n)
		r.block(false)
	case atom.Blockquote:
		r.quote(func() { r.children(n) })
	case atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext:
		r.pre(func() { r.children(n) })
	case atom.Table:
		r.table(n)
	case atom.Hr:
		r.hr()
	case atom.Br:
		if r.cell != nil {
			r.cell.space = true
		} else {
			r.p.br()
		}
	case atom.Dt, atom.Figcaption:
		r.block(false)
		if n.DataAtom == atom.Dt {
			r.cur |= sStrong
		} else {
			r.cur |= sMuted
		}
		r.children(n)
		r.block(false)
	case atom.Dd:
		r.framed("    ", 0, false, func() { r.children(n) })
	case atom.Strong, atom.B:
		r.cur |= sStrong
		r.children(n)
	case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var:
		r.cur |= sEmph
		r.children(n)
	case atom.Del, atom.S, atom.Strike:
		r.cur |= sDel
		r.children(n)
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		if !r.para().pre {
			r.cur |= sCode
		}
		r.children(n)
	case atom.A:
		r.link(attr(n, "href"), func() { r.children(n) })
	case atom.Img:
		r.image(attr(n, "src"), attr(n, "alt"))
	default:
		r.children(n)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// heading renders h1–h6: h1 underlined with ═, h2 with ─ (so the levels
// read without colours), never with # marks.
func (r *renderer) heading(level int, body func()) {
	old := r.cur
	defer func() { r.cur = old }()
	if r.cell != nil {
		r.cur |= sStrong
		body()
		return
	}
	r.block(true)
	if level == 1 {
		r.cur |= sHeading1
	} else {
		r.cur |= sHeading
	}
	body()
	w := r.flush()
	switch level {
	case 1:
		r.rule("═", w)
	case 2:
		r.rule("─", w)
	}
	r.block(true)
}

// list renders ul/ol: a blank line around the outermost list only.
func (r *renderer) list(n *html.Node) {
	l := list{ordered: n.DataAtom == atom.Ol, next: 1}
	if l.ordered {
		if v, err := strconv.Atoi(strings.TrimSpace(attr(n, "start"))); err == nil {
			l.next = max(-1e9, min(v, 1e9))
		}
		count := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Li {
				count++
			}
		}
		l.numW = max(len(strconv.Itoa(l.next)), len(strconv.Itoa(l.next+max(0, count-1))))
	}
	r.openList(l)
	r.children(n)
	r.closeList()
}

// openList and closeList bracket a list: a blank line around the outermost
// list only.
func (r *renderer) openList(l list) {
	r.block(len(r.lists) == 0)
	r.lists = append(r.lists, l)
}

func (r *renderer) closeList() {
	r.lists = r.lists[:len(r.lists)-1]
	r.block(len(r.lists) == 0)
}

// bullets by nesting depth
const bullets = "•◦▪"

// marker returns the next list item's marker: a bullet or a number.
func (r *renderer) marker() string {
	d := len(r.lists)
	if d == 0 || !r.lists[d-1].ordered {
		i := 3 * ((max(d, 1) - 1) % 3) // each bullet is 3 bytes
		return bullets[i:i+3] + " "
	}
	l := &r.lists[d-1]
	num := strconv.Itoa(l.next) + ". "
	l.next++
	if pad := l.numW + 2 - len(num); pad > 0 {
		num = blanks(pad) + num
	}
	return num
}

func (r *renderer) item(n *html.Node) {
	if r.cell != nil {
		r.cell.space = true
		r.children(n)
		return
	}
	r.openItem()
	r.children(n)
	r.closeItem()
}

// openItem starts a list item: its marker, then a hanging indent.
func (r *renderer) openItem() {
	r.block(false)
	r.push(r.marker(), sBullet)
}

func (r *renderer) closeItem() {
	r.block(false)
	r.pop()
}

// framed renders body inside a frame: a quote's bar, a code block's or a
// definition's indent; with margin, set off by blank lines.
func (r *renderer) framed(first string, st style, margin bool, body func()) {
	if r.cell != nil {
		body()
		return
	}
	r.block(margin)
	r.push(first, st)
	body()
	r.flush()
	r.pop()
	r.blank = r.blank || margin
}

// quote renders body behind a │ bar on every line.
func (r *renderer) quote(body func()) { r.framed("│ ", sQuote, true, body) }

// pre renders body as a code block: indented, line breaks kept, long lines
// broken at the width.
func (r *renderer) pre(body func()) {
	old := r.cur
	r.framed("  ", 0, true, func() {
		r.p.pre = r.cell == nil
		r.cur |= sCodeBlock
		body()
	})
	r.cur = old
}

func (r *renderer) hr() {
	if r.cell != nil {
		r.cell.space = true
		return
	}
	r.block(true)
	r.rule("─", r.avail())
	r.block(true)
}

// linkNum returns the number of an http(s) URL, numbering it if it is new.
func (r *renderer) linkNum(u, text string) int {
	if n, ok := r.urls[u]; ok {
		return n
	}
	if r.urls == nil {
		r.urls = make(map[string]int)
	}
	n := len(r.links) + 1
	r.urls[u] = n
	r.links = append(r.links, Link{N: n, URL: u, Text: text})
	return n
}

// link renders a link's content in the link style followed by its number;
// a link that is not http(s) shows its content as plain text.
func (r *renderer) link(href string, body func()) {
	u, ok := httpURL(href)
	if !ok {
		body()
		return
	}
	p := r.para()
	fs := len(p.frags)
	r.cur |= sLink
	body()
	r.cur &^= sLink
	p = r.para()
	n := r.linkNum(u, linkText(p, fs))
	r.ref(p, n)
}

// ref puts [n] after the text before it, on the same line.
func (r *renderer) ref(p *para, n int) {
	ref := "[" + strconv.Itoa(n) + "]"
	if k := len(p.words); k > 0 && !p.words[k-1].br {
		p.glue(" ", (r.cur&^(sLink|sCode))|sLinkRef)
	}
	p.glue(ref, r.cur|sLinkRef)
}

// linkText is the text of the frags from fs on, words separated by a
// space, without the [n] of links inside.
func linkText(p *para, fs int) string {
	if fs > len(p.frags) {
		return ""
	}
	var b strings.Builder
	for _, w := range p.words {
		if w.end <= fs || w.br {
			continue
		}
		if w.space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		for _, f := range p.frags[max(w.start, fs):w.end] {
			if f.st&sLinkRef == 0 {
				b.WriteString(f.text)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// image renders [image: alt] and, for an http(s) source, its number.
func (r *renderer) image(src, alt string) {
	alt = strings.Join(strings.Fields(sanitize.Text(alt, false)), " ")
	label := "[image]"
	if alt != "" {
		label = "[image: " + alt + "]"
	}
	p := r.para()
	p.text(label, r.cur|sMuted)
	if u, ok := httpURL(src); ok {
		r.ref(p, r.linkNum(u, label))
	}
}

// textOnly renders the text of markup the parser refused (nested deeper
// than it accepts), a paragraph at each block-level tag.
func (r *renderer) textOnly(body string) {
	z := html.NewTokenizer(strings.NewReader(body))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if skip == 0 {
				r.p.text(sanitize.Text(string(z.Text()), false), 0)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Title:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Li, atom.Br, atom.Tr, atom.Blockquote, atom.Pre,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				r.block(true)
			}
		}
	}
}
