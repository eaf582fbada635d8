package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
	sh *shared

	rev      int // the board revision the strip was built from
	staleAt  []bool
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
}

// NewTicker builds the ticker over the shared board.
func NewTicker(sh *shared) *Ticker {
	t := &Ticker{sh: sh, rev: -1}
	t.restyle()
	return t
}

// restyle takes new styles: the escape sequences a frame wraps its cells in.
func (t *Ticker) restyle() tea.Cmd {
	st := t.sh.styles
	t.pre[tsPair], t.suf[tsPair] = sgr(st.TickerPair)
	t.pre[tsUp], t.suf[tsUp] = sgr(st.TickerUp)
	t.pre[tsDown], t.suf[tsDown] = sgr(st.TickerDown)
	t.pre[tsFlat], t.suf[tsFlat] = sgr(st.TickerFlat)
	t.pre[tsStale], t.suf[tsStale] = sgr(st.TickerStale)
	t.pre[tsSep], t.suf[tsSep] = sgr(st.TickerSep)
	return nil
}

// SetSize sets the width; the next Update starts scrolling if the strip no
// longer fits.
func (t *Ticker) SetSize(width, _ int) { t.width = width }

func (t *Ticker) ShortHelp() []key.Binding  { return []key.Binding{t.sh.keys.Pause, t.sh.keys.Invert} }
func (t *Ticker) FullHelp() [][]key.Binding { return [][]key.Binding{t.ShortHelp()} }

// sync rebuilds the strip when the board changed since it was built.
func (t *Ticker) sync() {
	if t.rev == t.sh.board.rev {
		return
	}
	t.rev = t.sh.board.rev
	t.staleAt = t.computeStale()
	t.rebuild()
}

// recheck re-evaluates staleness (on the minute clock).
func (t *Ticker) recheck() {
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
	quotes := t.sh.board.quotes
	out := make([]bool, len(quotes))
	now := t.sh.now()
	for i, q := range quotes {
		out[i] = t.sh.isStale(q, now)
	}
	return out
}

// Paused reports whether scrolling is paused.
func (t *Ticker) Paused() bool { return t.paused }

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
	if io := t.sh.io; io.after != nil {
		return io.after(tickerFrame, tickerTickMsg{version: v})
	}
	return tea.Tick(tickerFrame, func(time.Time) tea.Msg { return tickerTickMsg{version: v} })
}

// Update advances one frame on a current tick, pauses and resumes, follows
// the board (quotes, inversion) and the minute clock. After any message it
// starts or stops the tick loop as the strip and the width require.
func (t *Ticker) Update(msg tea.Msg) (Component, tea.Cmd) {
	t.sync()
	switch msg := msg.(type) {
	case tickerTickMsg:
		if msg.version != t.version || !t.running {
			return t, nil
		}
		if !t.scrolls() {
			t.running = false
			return t, nil
		}
		t.offset = (t.offset + 1) % t.total
		return t, t.tick()
	case pauseMsg:
		t.paused = !t.paused
	case clockTickMsg:
		t.recheck()
	}
	return t, t.start()
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
	invert := t.sh.board.invert
	for i, q := range t.sh.board.quotes {
		stale := i < len(t.staleAt) && t.staleAt[i]
		base := uint8(tsPair)
		if stale {
			base = tsStale
		}
		add(rates.Pair(q, invert)+" = "+rates.FormatValue(rates.Value(q, invert)), base)
		if stale {
			add(" ⌛", tsStale)
		}
		if q.Unconfirmed {
			add(" (unconfirmed)", tsStale)
		}
		ch := rates.Change(q, invert)
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
	t.sync()
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
	// A paused ticker says so; the strip takes the rest of the line.
	w := t.width
	if t.paused && w > 4 {
		put("⏸ ", tsSep)
		w -= 2
	}
	if !t.scrolls() && t.total <= w {
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
		for filled < w {
			col %= t.total
			c := t.cells[t.colCell[col]]
			start := col == 0 || t.colCell[col-1] != t.colCell[col]
			if !start || c.w > w-filled {
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
