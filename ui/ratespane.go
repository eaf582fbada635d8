package ui

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/rates"
)

// sparkDays is how far back the rates pane draws each pair's history.
const sparkDays = 90

// RatesPane (`$`) lists every pair with its value, change, a sparkline of
// its recent history, its source and its publication date. The quotes and
// the inversion are the shared board's.
type RatesPane struct {
	scroller
	configured []string                 // every configured source's credit, without Options.Credit
	series     map[string][]rates.Point // by code, oldest first
	err        error
}

// NewRatesPane builds the pane.
func NewRatesPane(sh *shared, credits []string) *RatesPane {
	return &RatesPane{
		scroller:   scroller{sh: sh, title: " Rates", hint: "($ or esc to close; i inverts)"},
		configured: sanitize.Each(credits),
	}
}

// Update takes the loaded history, scrolls and closes the pane.
func (p *RatesPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	if m, ok := msg.(seriesMsg); ok {
		p.series, p.err = m.series, m.err
		return p, nil
	}
	cmd, _ := p.scrollKey(msg)
	return p, cmd
}

// Shown loads the history of every pair on the board.
func (p *RatesPane) Shown() tea.Cmd {
	get := p.sh.io.opt.Series
	if get == nil {
		return nil
	}
	codes := make([]string, 0, len(p.sh.board.quotes))
	for _, q := range p.sh.board.quotes {
		codes = append(codes, q.Code)
	}
	since := p.sh.now().AddDate(0, 0, -sparkDays)
	return p.sh.io.store(func(ctx context.Context) tea.Msg {
		out := make(map[string][]rates.Point, len(codes))
		for _, c := range codes {
			pts, err := get(ctx, c, since)
			if err != nil {
				return seriesMsg{series: out, err: err}
			}
			out[c] = pts
		}
		return seriesMsg{series: out}
	})
}

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

// missingPair is a missing currency's pair as the ticker would write it.
func missingPair(m MissingRate, invert bool) string {
	return rates.Pair(rates.Quote{Code: m.Code, Base: m.Base}, invert)
}

// info is a pair's source and publication date, and whether it is stale.
func (p *RatesPane) info(q rates.Quote, now time.Time) string {
	s := q.Source + " · " + q.AsOf.Format("2 Jan 2006")
	if p.sh.isStale(q, now) {
		s += " ⌛ stale"
	}
	if q.Unconfirmed {
		s += " · unconfirmed"
	}
	return s
}

// View draws the pane.
func (p *RatesPane) View() string {
	st := p.sh.styles
	quotes, invert := p.sh.board.quotes, p.sh.board.invert
	w := max(1, p.width)
	lines := []string{""}
	missing := p.sh.board.missing
	if len(quotes) == 0 && len(missing) == 0 {
		lines = append(lines, st.Muted.Render(" no rates stored yet"))
	}
	pairW, valW := 0, 0
	for _, m := range missing {
		pairW = max(pairW, ansi.StringWidth(missingPair(m, invert)))
	}
	for _, q := range quotes {
		pairW = max(pairW, ansi.StringWidth(rates.Pair(q, invert)))
		valW = max(valW, ansi.StringWidth(rates.FormatValue(rates.Value(q, invert))))
	}
	const changeW = 8
	now := p.sh.now()
	// The sparklines take what the width leaves after the figures and the
	// source and date, at most 30 cells, and no more than the history has.
	infoW, points := 0, 0
	for _, q := range quotes {
		infoW = max(infoW, ansi.StringWidth(p.info(q, now)))
		points = max(points, len(p.series[q.Code]))
	}
	fixed := 1 + pairW + 2 + valW + 2 + changeW + 2
	sparkW := max(0, min(30, points, w-fixed-2-infoW))
	for _, q := range quotes {
		pair := rates.Pair(q, invert)
		val := rates.FormatValue(rates.Value(q, invert))
		chg := rates.FormatChange(rates.Change(q, invert), q.HasChange)
		cst := st.TickerFlat
		switch rates.Direction(rates.Change(q, invert)) {
		case 1:
			cst = st.TickerUp
		case -1:
			cst = st.TickerDown
		}
		var vals []float64
		for _, pt := range p.series[q.Code] {
			v := pt.InBase
			if invert && v > 0 {
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
	// Every configured currency without a quote, and why, as `steppe
	// rates` says it.
	for _, m := range missing {
		pair := missingPair(m, invert)
		lead := " " + pair + strings.Repeat(" ", pairW-ansi.StringWidth(pair)) + "  "
		indent := strings.Repeat(" ", ansi.StringWidth(lead))
		for i, l := range strings.Split(ansi.Wrap("no quote: "+m.Why, max(10, w-len(indent)), ""), "\n") {
			if i > 0 {
				lead = indent
			}
			lines = append(lines, truncate(lead+st.Error.Render(l), w, "…"))
		}
	}
	if len(quotes) > 0 {
		lines = append(lines, "", st.Muted.Render(" History: the publications of the last "+strconv.Itoa(sparkDays)+" days, oldest on the left."))
	}
	if p.err != nil {
		lines = append(lines, st.Error.Render(" history: "+sanitize.Text(p.err.Error(), false)))
	}
	if credits := p.sh.board.shownCredits(p.configured); len(credits) > 0 {
		lines = append(lines, "")
		for _, c := range credits {
			lines = append(lines, st.Muted.Render(" "+c))
		}
	}
	return p.frame(lines, len(lines))
}
