package ui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/rates"
)

// sparkDays is how far back the rates pane draws each pair's history.
const sparkDays = 90

// RatesPane lists every pair with its value, change, a sparkline of its
// recent history, its source and its publication date.
type RatesPane struct {
	styles  *Styles
	now     func() time.Time
	stale   func(rates.Quote, time.Time) bool
	quotes  []rates.Quote
	series  map[string][]rates.Point // by code, oldest first
	err     error
	credits []string
	invert  bool

	width, height int
}

// NewRatesPane builds the pane.
func NewRatesPane(st *Styles, now func() time.Time, stale func(rates.Quote, time.Time) bool, credits []string) *RatesPane {
	return &RatesPane{styles: st, now: now, stale: stale, credits: credits}
}

// SetSize sets the pane size.
func (p *RatesPane) SetSize(w, h int) { p.width, p.height = w, h }

// SetQuotes sets the (sanitised) quotes and whether pairs are inverted.
func (p *RatesPane) SetQuotes(q []rates.Quote, invert bool) { p.quotes, p.invert = q, invert }

// SetSeries sets the loaded history.
func (p *RatesPane) SetSeries(s map[string][]rates.Point, err error) { p.series, p.err = s, err }

// sparkline draws values in at most width cells with the eight block
// heights, scaled from their minimum to their maximum; a flat series is a
// flat line.
func sparkline(values []float64, width int) string {
	if width <= 0 || len(values) == 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	const bars = "▁▂▃▄▅▆▇█"
	blocks := []rune(bars)
	var b strings.Builder
	for _, v := range values {
		i := 3
		if hi > lo {
			i = int(math.Round((v - lo) / (hi - lo) * 7))
		}
		b.WriteRune(blocks[max(0, min(7, i))])
	}
	return b.String()
}

// info is a pair's source and publication date, and whether it is stale.
func (p *RatesPane) info(q rates.Quote, now time.Time) string {
	s := q.Source + " · " + q.AsOf.Format("2 Jan 2006")
	if p.stale != nil && p.stale(q, now) {
		s += " ⌛ stale"
	}
	return s
}

// View draws the pane.
func (p *RatesPane) View() string {
	st := p.styles
	w := max(1, p.width)
	lines := []string{st.PaneTitle.Render(" Rates") + st.Muted.Render("  ($ or esc to close; i inverts)"), ""}
	if len(p.quotes) == 0 {
		lines = append(lines, st.Muted.Render(" no rates stored yet"))
	}
	pairW, valW := 0, 0
	for _, q := range p.quotes {
		pairW = max(pairW, ansi.StringWidth(rates.Pair(q, p.invert)))
		valW = max(valW, ansi.StringWidth(rates.FormatValue(rates.Value(q, p.invert))))
	}
	const changeW = 8
	now := p.now()
	// The sparklines take what the width leaves after the figures and the
	// source and date, at most 30 cells, and no more than the history has.
	infoW, points := 0, 0
	for _, q := range p.quotes {
		infoW = max(infoW, ansi.StringWidth(p.info(q, now)))
		points = max(points, len(p.series[q.Code]))
	}
	fixed := 1 + pairW + 2 + valW + 2 + changeW + 2
	sparkW := max(0, min(30, points, w-fixed-2-infoW))
	for _, q := range p.quotes {
		pair := rates.Pair(q, p.invert)
		val := rates.FormatValue(rates.Value(q, p.invert))
		chg := rates.FormatChange(rates.Change(q, p.invert), q.HasChange)
		cst := st.TickerFlat
		switch rates.Direction(rates.Change(q, p.invert)) {
		case 1:
			cst = st.TickerUp
		case -1:
			cst = st.TickerDown
		}
		var vals []float64
		for _, pt := range p.series[q.Code] {
			v := pt.InBase
			if p.invert && v > 0 {
				v = 1 / v
			}
			vals = append(vals, v)
		}
		spark := sparkline(vals, sparkW)
		line := " " + pair + strings.Repeat(" ", pairW-ansi.StringWidth(pair)) +
			"  " + strings.Repeat(" ", valW-ansi.StringWidth(val)) + val +
			"  " + cst.Render(chg+strings.Repeat(" ", max(0, changeW-ansi.StringWidth(chg))))
		if sparkW > 0 {
			line += "  " + st.Spark.Render(spark+strings.Repeat(" ", sparkW-ansi.StringWidth(spark)))
		}
		line += "  " + st.Muted.Render(p.info(q, now))
		lines = append(lines, line)
	}
	if len(p.quotes) > 0 {
		lines = append(lines, "", st.Muted.Render(" History: the publications of the last "+strconv.Itoa(sparkDays)+" days, oldest on the left."))
	}
	if p.err != nil {
		lines = append(lines, st.Error.Render(" history: "+sanitize(p.err.Error(), false)))
	}
	if len(p.credits) > 0 {
		lines = append(lines, "")
		for _, c := range p.credits {
			lines = append(lines, st.Muted.Render(" "+c))
		}
	}
	if len(lines) > p.height {
		lines = lines[:max(0, p.height)]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}
