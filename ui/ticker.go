package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/rates"
)

// tickerFrame is the scroll rate: one cell per frame.
const tickerFrame = 110 * time.Millisecond // ≈9 fps

const tickerSep = "  •  "

// ticker styles, indexes into Ticker.pre/suf.
const (
	tsPair = iota
	tsUp
	tsDown
	tsFlat
	tsStale
	tsSep
	tsCount
)

// tickerCell is one grapheme of the precomputed strip.
type tickerCell struct {
	text  string
	w     int // 1 or 2 cells
	style uint8
}

// Ticker is the one-line currency strip. The styled strip is computed when
// quotes, inversion or staleness change; a frame only cuts a window out of
// the precomputed cells, so it costs microseconds.
type Ticker struct {
	styles *Styles
	stale  func(rates.Quote, time.Time) bool
	now    func() time.Time

	quotes   []rates.Quote
	staleAt  []bool
	invert   bool
	paused   bool
	width    int
	cells    []tickerCell
	colCell  []int32 // for each column of the strip, the index of its cell
	total    int     // strip width in cells
	offset   int
	version  int
	running  bool
	pre, suf [tsCount]string
	buf      strings.Builder

	after func(time.Duration, tea.Msg) tea.Cmd // tests replace the timer
}

// NewTicker builds an empty ticker.
func NewTicker(st *Styles, stale func(rates.Quote, time.Time) bool, now func() time.Time, invert bool) *Ticker {
	t := &Ticker{styles: st, stale: stale, now: now, invert: invert}
	t.pre[tsPair], t.suf[tsPair] = sgr(st.TickerPair)
	t.pre[tsUp], t.suf[tsUp] = sgr(st.TickerUp)
	t.pre[tsDown], t.suf[tsDown] = sgr(st.TickerDown)
	t.pre[tsFlat], t.suf[tsFlat] = sgr(st.TickerFlat)
	t.pre[tsStale], t.suf[tsStale] = sgr(st.TickerStale)
	t.pre[tsSep], t.suf[tsSep] = sgr(st.TickerSep)
	return t
}

// SetSize sets the width; it returns a Cmd that starts scrolling if the strip
// no longer fits.
func (t *Ticker) SetSize(width, _ int) tea.Cmd {
	t.width = width
	return t.start()
}

// SetQuotes replaces the quotes (already sanitised) and rebuilds the strip.
func (t *Ticker) SetQuotes(q []rates.Quote) tea.Cmd {
	t.quotes = q
	t.staleAt = t.computeStale()
	t.rebuild()
	return t.start()
}

// Recheck re-evaluates staleness (called on the minute clock).
func (t *Ticker) Recheck() {
	s := t.computeStale()
	for i := range s {
		if s[i] != t.staleAt[i] {
			t.staleAt = s
			t.rebuild()
			return
		}
	}
}

func (t *Ticker) computeStale() []bool {
	out := make([]bool, len(t.quotes))
	if t.stale == nil {
		return out
	}
	now := t.now()
	for i, q := range t.quotes {
		out[i] = t.stale(q, now)
	}
	return out
}

// ToggleInvert flips every pair (XXX/USD ↔ USD/XXX).
func (t *Ticker) ToggleInvert() {
	t.invert = !t.invert
	t.rebuild()
}

// TogglePause pauses or resumes scrolling.
func (t *Ticker) TogglePause() tea.Cmd {
	t.paused = !t.paused
	if t.paused {
		t.stop()
		return nil
	}
	return t.start()
}

// Paused reports whether scrolling is paused.
func (t *Ticker) Paused() bool { return t.paused }

// Inverted reports whether pairs are shown as USD/XXX.
func (t *Ticker) Inverted() bool { return t.invert }

// Running reports whether a tick loop is alive.
func (t *Ticker) Running() bool { return t.running }

func (t *Ticker) scrolls() bool {
	return !t.paused && t.total > 0 && t.width > 0 && t.total > t.width
}

// start launches the tick loop unless one is running or nothing scrolls.
func (t *Ticker) start() tea.Cmd {
	if !t.scrolls() {
		t.stop()
		return nil
	}
	if t.running {
		return nil
	}
	t.running = true
	t.version++
	return t.tick()
}

// stop kills the loop: the in-flight tick carries an old version.
func (t *Ticker) stop() {
	if t.running {
		t.running = false
		t.version++
	}
}

func (t *Ticker) tick() tea.Cmd {
	v := t.version
	if t.after != nil {
		return t.after(tickerFrame, tickerTickMsg{version: v})
	}
	return tea.Tick(tickerFrame, func(time.Time) tea.Msg { return tickerTickMsg{version: v} })
}

// Update advances one frame on a current tick.
func (t *Ticker) Update(msg tea.Msg) tea.Cmd {
	m, ok := msg.(tickerTickMsg)
	if !ok || m.version != t.version || !t.running {
		return nil
	}
	if !t.scrolls() {
		t.running = false
		return nil
	}
	t.offset = (t.offset + 1) % t.total
	return t.tick()
}

func (t *Ticker) rebuild() {
	t.cells = t.cells[:0]
	t.colCell = t.colCell[:0]
	t.total = 0
	add := func(s string, style uint8) {
		for s != "" {
			c, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
			s = s[len(c):]
			if w <= 0 {
				continue
			}
			if w > 2 {
				w = 2
			}
			idx := int32(len(t.cells))
			t.cells = append(t.cells, tickerCell{text: c, w: w, style: style})
			for range w {
				t.colCell = append(t.colCell, idx)
			}
			t.total += w
		}
	}
	for i, q := range t.quotes {
		stale := i < len(t.staleAt) && t.staleAt[i]
		base := uint8(tsPair)
		if stale {
			base = tsStale
		}
		add(rates.Pair(q, t.invert)+" = "+rates.FormatValue(rates.Value(q, t.invert)), base)
		if stale {
			add(" ⌛", tsStale)
		}
		ch := rates.Change(q, t.invert)
		if c := rates.FormatChange(ch, q.HasChange); c != "" {
			st := uint8(tsFlat)
			switch rates.Direction(ch) {
			case 1:
				st = tsUp
			case -1:
				st = tsDown
			}
			add(" ", base)
			add(c, st)
		}
		add(tickerSep, tsSep)
	}
	if t.total > 0 {
		t.offset %= t.total
	} else {
		t.offset = 0
	}
}

// View is the visible window: static when the strip fits, otherwise a
// window of the endless strip starting at the scroll offset.
func (t *Ticker) View() string {
	if t.width <= 0 {
		return ""
	}
	if t.total == 0 {
		return ""
	}
	b := &t.buf
	b.Reset()
	cur := -1
	put := func(text string, style int) {
		if style != cur {
			if cur >= 0 {
				b.WriteString(t.suf[cur])
			}
			b.WriteString(t.pre[style])
			cur = style
		}
		b.WriteString(text)
	}
	if !t.scrolls() && t.total <= t.width {
		// Fits: show the strip once, without its trailing separator.
		n := t.total - ansi.StringWidth(tickerSep)
		col := 0
		for _, c := range t.cells {
			if col >= n {
				break
			}
			put(c.text, int(c.style))
			col += c.w
		}
	} else {
		filled, col := 0, t.offset
		for filled < t.width {
			col %= t.total
			c := t.cells[t.colCell[col]]
			start := col == 0 || t.colCell[col-1] != t.colCell[col]
			if !start || c.w > t.width-filled {
				put(" ", tsSep) // half of a wide cell at an edge
				filled++
				col++
				continue
			}
			put(c.text, int(c.style))
			filled += c.w
			col += c.w
		}
	}
	if cur >= 0 {
		b.WriteString(t.suf[cur])
	}
	return b.String()
}
