package render

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	colSep  = " │ " // between cells
	colSepW = 3     // its width
	minCol  = 6     // narrower columns than this: each row becomes one wrapped line
)

type row struct {
	cells []*para
	head  bool
}

// table renders a table: columns sized to their content (shrunk to fit the
// width, cells wrapping inside their column), cells separated by │, a rule
// under the header rows. A table with too many columns for the width shows
// each row as one wrapped line of cells instead.
func (r *renderer) table(n *html.Node) {
	if r.cell != nil { // a table inside a cell: its text only
		r.cell.space = true
		r.children(n)
		r.cell.space = true
		return
	}
	r.block(true)
	var rows []row
	r.rows(n, &rows, false)
	ncols := 0
	for _, rw := range rows {
		ncols = max(ncols, len(rw.cells))
	}
	if ncols > 0 {
		r.grid(rows, ncols)
	}
	r.block(true)
}

// rows collects the rows of a table, its sections' and its caption's.
func (r *renderer) rows(n *html.Node, rows *[]row, head bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Thead:
			r.rows(c, rows, true)
		case atom.Tbody, atom.Tfoot:
			r.rows(c, rows, head)
		case atom.Tr:
			*rows = append(*rows, r.row(c, head))
		case atom.Caption:
			r.node(c)
		}
	}
}

// row collects the cells of a tr; a row of th cells only is a header row.
func (r *renderer) row(tr *html.Node, head bool) row {
	rw := row{head: head}
	allTh := true
	old := r.cur
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom != atom.Td && c.DataAtom != atom.Th {
			continue
		}
		p := &para{}
		r.cell = p
		if c.DataAtom == atom.Th {
			r.cur |= sStrong
		} else {
			allTh = false
		}
		r.children(c)
		r.cur = old
		r.cell = nil
		rw.cells = append(rw.cells, p)
	}
	rw.head = head || allTh && len(rw.cells) > 0
	return rw
}

// measure returns a cell's width on one line.
func measure(p *para) int {
	line := 0
	for i, w := range p.words {
		line += w.w
		if w.space && i > 0 {
			line++
		}
	}
	return line
}

func (r *renderer) grid(rows []row, ncols int) {
	nat := make([]int, ncols)
	for _, rw := range rows {
		for c, p := range rw.cells {
			l := measure(p)
			nat[c] = max(nat[c], l)
		}
	}
	avail := r.avail()
	budget := avail - colSepW*(ncols-1)
	total := 0
	for _, w := range nat {
		total += w
	}
	widths := nat
	if total > budget {
		if budget < ncols*minCol {
			r.rowLines(rows)
			return
		}
		widths = fit(nat, budget)
	}
	// body rows that wrap get an empty line between them
	wraps := false
	for _, rw := range rows {
		for c, p := range rw.cells {
			if l := measure(p); l > widths[c] && !rw.head {
				wraps = true
			}
		}
	}
	cellSpans := make([][]span, ncols)
	var out []frag
	for i, rw := range rows {
		r.lbuf = r.lbuf[:0]
		height := 1
		for c := range ncols {
			cellSpans[c] = cellSpans[c][:0]
			if c < len(rw.cells) {
				cellSpans[c], _ = r.layout(rw.cells[c], widths[c], cellSpans[c], false)
			}
			height = max(height, len(cellSpans[c]))
		}
		if i > 0 && !rw.head && !rows[i-1].head && wraps {
			r.line(r.sepLine(out[:0], widths, " ", colSep, 0), false)
		}
		for ln := range height {
			out = out[:0]
			odd := false
			for c := range ncols {
				if c > 0 {
					out = append(out, frag{text: colSep, st: sRule})
				}
				w := 0
				if ln < len(cellSpans[c]) {
					s := cellSpans[c][ln]
					out = append(out, r.lbuf[s.a:s.b]...)
					w, odd = s.w, odd || s.odd
				}
				if c < ncols-1 && w < widths[c] {
					out = append(out, frag{text: blanks(widths[c] - w), st: sRaw})
				}
			}
			r.line(trimEnd(out), odd)
		}
		if rw.head && (i+1 >= len(rows) || !rows[i+1].head) && i+1 < len(rows) {
			r.line(r.sepLine(out[:0], widths, "─", "─┼─", sRule), false)
		}
	}
}

// trimEnd drops the blanks and the separator that end a line whose last
// cells are empty.
func trimEnd(out []frag) []frag {
	for len(out) > 0 {
		last := &out[len(out)-1]
		if t := strings.TrimRight(last.text, " "); t != "" {
			last.text = t
			return out
		}
		out = out[:len(out)-1]
	}
	return out
}

// sepLine builds a line across the columns: fill repeated to each column's
// width, joined by join.
func (r *renderer) sepLine(out []frag, widths []int, fill, join string, st style) []frag {
	var b strings.Builder
	for c, w := range widths {
		if c > 0 {
			b.WriteString(join)
		}
		b.WriteString(strings.Repeat(fill, w))
	}
	text := b.String()
	if fill == " " {
		text = strings.TrimRight(text, " ")
		st = sRule
	}
	return append(out, frag{text: text, st: st})
}

// fit shares budget cells between columns: a column that needs less than
// an equal share gets what it needs, the others share the rest.
func fit(nat []int, budget int) []int {
	w := make([]int, len(nat))
	done := make([]bool, len(nat))
	left := len(nat)
	for changed := true; changed && left > 0; {
		changed = false
		share := budget / left
		for i, n := range nat {
			if !done[i] && n <= share {
				w[i], done[i] = n, true
				budget -= n
				left--
				changed = true
			}
		}
	}
	if left == 0 {
		return w
	}
	share, extra := budget/left, budget%left
	for i := range nat {
		if !done[i] {
			w[i] = share
			if extra > 0 {
				w[i]++
				extra--
			}
		}
	}
	return w
}

// rowLines renders each row as one paragraph, its cells joined by │ and
// its wrapped lines indented so that each row's start stands out.
func (r *renderer) rowLines(rows []row) {
	r.settle()
	r.frames = append(r.frames, frame{rest: "  ", w: 2, st: sRaw})
	defer r.pop()
	for _, rw := range rows {
		r.frames[len(r.frames)-1].used = false
		p := &r.p
		for c, cell := range rw.cells {
			if c > 0 {
				p.space = true
				p.add("│", sRule)
				p.space = true
			}
			base := len(p.frags)
			p.frags = append(p.frags, cell.frags...)
			for i, w := range cell.words {
				w.start += base
				w.end += base
				w.space = w.space || i == 0 && len(p.words) > 0
				p.words = append(p.words, w)
			}
		}
		r.flush()
	}
}
