// Package ui is steppe's Bubble Tea dashboard: a root model holding the
// shared state and routing messages to components (ticker, list, reader,
// status line, panes). It never does HTTP or SQL itself: everything arrives
// through Options, called inside Cmds with a timeout derived from
// Options.Context.
package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// mode is the pane that fills the body of the screen.
type mode int

const (
	modeList mode = iota
	modeReader
	modeSources
	modeHelp
	modeRates
	modeLinks
	modeFeeds
	modeCount
)

// pane is one entry of the mode table: the component drawn in the body,
// whether it is drawn over another pane (and back returns there), and the
// key that opens and closes it, if any.
type pane struct {
	Component
	overlay bool
	toggle  *key.Binding
}

// shower is a pane that loads something when it is shown.
type shower interface{ Shown() tea.Cmd }

// Minimum terminal size; below it only a short message is shown.
const (
	minWidth  = 20
	minHeight = 6
)

// Model is the root model. It holds what components share (options, size,
// styles, keys, the rate board), routes messages by mode through one table,
// and lays the screen out.
type Model struct {
	opt *Options
	sh  *shared

	ticker  *Ticker
	list    *List
	reader  *Reader
	status  *StatusLine
	refresh *refresher
	hints   help.Model

	panes    [modeCount]pane
	mode     mode
	back     mode // where an overlay returns to
	width    int
	height   int
	sized    bool
	clockVer int
}

// New builds the dashboard. It does no I/O: Init returns the Cmds that load
// stored data and start the refresh loops.
func New(opt Options) (*Model, error) {
	if err := opt.prepare(); err != nil {
		return nil, err
	}
	o := &opt
	io := &deps{opt: o}
	sh := &shared{styles: o.Styles, keys: o.KeyMap, io: io, board: &board{invert: o.Invert}, stale: o.Stale}
	hints := help.New()
	hints.Styles.ShortKey = o.Styles.Muted
	hints.Styles.FullKey = o.Styles.PaneTitle
	m := &Model{opt: o, sh: sh, hints: hints, refresh: newRefresher(io)}
	m.ticker = NewTicker(sh)
	m.list = NewList(sh, o.PageSize)
	m.reader = NewReader(sh)
	m.status = NewStatusLine(sh, m.refresh.sched, o.Offline, o.Warnings)
	k := o.KeyMap
	m.panes = [modeCount]pane{
		modeList:    {Component: m.list},
		modeReader:  {Component: m.reader},
		modeSources: {Component: NewSourcesPane(sh, m.refresh.sched, o.Credits, o.Warnings), overlay: true, toggle: &k.Sources},
		modeHelp:    {Component: NewHelpPane(sh, o.Credits), overlay: true, toggle: &k.Help},
		modeRates:   {Component: NewRatesPane(sh, o.Credits), overlay: true, toggle: &k.Rates},
		modeLinks:   {Component: NewLinksPane(sh), overlay: true},
		modeFeeds:   {Component: NewFeedsPane(sh), overlay: true},
	}
	return m, nil
}

// Init paints from the store and starts the loops.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.sh.io.loadSettings(), m.sh.io.loadQuotes(), m.sh.io.loadFeeds(), m.clockTick(), m.refresh.Init())
}

// Update routes a message to the component it is for; it never blocks.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	// Keys that arrive together (typing fast, key repeat, a slow link)
	// come as one message holding several runes: each is a keypress,
	// except where the search field takes text (a paste stays whole).
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		for i, r := range k.Runes {
			if m.list.Capturing() {
				rest := k
				rest.Runes = k.Runes[i:]
				cmds = append(cmds, m.handle(rest))
				break
			}
			one := k
			one.Runes = []rune{r}
			cmds = append(cmds, m.handle(one))
		}
	} else {
		cmds = append(cmds, m.handle(msg))
	}
	// An empty list says why it is empty: fetching, failing or offline.
	m.list.SetEmptyHint(m.emptyHint())
	return m, tea.Batch(cmds...)
}

// handle routes one message, then what components posted for each other
// because of it, in order, so that the next key already finds the pane it
// opened or closed.
func (m *Model) handle(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{m.update(msg)}
	for out := m.sh.io.take(); len(out) > 0; out = m.sh.io.take() {
		for _, o := range out {
			cmds = append(cmds, m.update(o))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.refresh.Update(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg)
	case tea.KeyMsg:
		return m.key(msg)
	case tea.MouseMsg:
		// Panes see the mouse in their own coordinates.
		msg.Y -= m.bodyTop()
		return to(m.panes[m.mode], msg)
	case quotesMsg:
		if msg.err != nil {
			return m.sh.io.flash("rates: " + msg.err.Error())
		}
		m.sh.board.setQuotes(msg.quotes, m.opt.Credit)
		return to(m.ticker, msg)
	case tickerTickMsg, pauseMsg:
		return to(m.ticker, msg)
	case clockTickMsg:
		if msg.version != m.clockVer {
			return nil
		}
		return tea.Batch(to(m.list, msg), to(m.ticker, msg), m.clockTick())
	case openArticleMsg:
		m.mode = modeReader
		return to(m.reader, msg)
	case showLinksMsg:
		m.back, m.mode = m.mode, modeLinks
		return to(m.panes[modeLinks], msg)
	case showFeedsMsg:
		return m.toggle(modeFeeds)
	case viewMsg:
		m.mode = modeList
		return to(m.list, msg)
	case settingsMsg:
		if v, ok := msg.values["invert"]; ok && (v == "true") != m.sh.board.invert {
			m.sh.board.toggleInvert()
		}
		return tea.Batch(to(m.list, msg), to(m.ticker, msg))
	case feedCountsMsg:
		return to(m.panes[modeFeeds], msg)
	case readStateMsg:
		return to(m.reader, msg)
	case closeMsg:
		if m.panes[m.mode].overlay {
			m.mode = m.back // an overlay returns to what it covered
		} else {
			m.mode = modeList
		}
		return nil
	case pageMsg, stepMsg, arrivedMsg, arrivalsMsg, nextUnreadMsg, markedAllMsg, roundDoneMsg, toggleMsg:
		return to(m.list, msg)
	case articleMsg, renderedMsg:
		return to(m.reader, msg)
	case seriesMsg:
		return to(m.panes[modeRates], msg)
	case flashMsg, openedMsg, markedReadMsg, fetchingMsg, spinner.TickMsg:
		return to(m.status, msg)
	}
	// Anything else (paste, cursor, mouse) goes to the pane on screen.
	return to(m.panes[m.mode], msg)
}

// to delivers msg to a component and returns its Cmd.
func to(c Component, msg tea.Msg) tea.Cmd {
	_, cmd := c.Update(msg)
	return cmd
}

// key handles the keys that work everywhere and gives the rest to the pane
// on screen. While the search field has focus, every key is text.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	m.status.ClearFlash()
	k := m.sh.keys
	switch {
	case msg.Type == tea.KeyCtrlC:
		return tea.Quit
	case msg.Type == tea.KeyCtrlZ:
		return tea.Suspend
	case m.list.Capturing():
		return to(m.list, msg)
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Invert):
		m.sh.board.toggleInvert()
		return tea.Batch(to(m.ticker, msg), m.sh.io.remember("invert", strconv.FormatBool(m.sh.board.invert)))
	case key.Matches(msg, k.Refresh):
		return m.refresh.All()
	}
	for md, p := range m.panes {
		if p.toggle != nil && key.Matches(msg, *p.toggle) {
			return m.toggle(mode(md))
		}
	}
	return to(m.panes[m.mode], msg)
}

// toggle opens an overlay pane over the list or reader, or closes it.
func (m *Model) toggle(o mode) tea.Cmd {
	if m.mode == o {
		m.mode = m.back
		return nil
	}
	if !m.panes[m.mode].overlay {
		m.back = m.mode
	}
	m.mode = o
	if s, ok := m.panes[o].Component.(shower); ok {
		return s.Shown()
	}
	return nil
}

func (m *Model) resize(msg tea.WindowSizeMsg) tea.Cmd {
	m.width, m.height, m.sized = msg.Width, msg.Height, true
	m.hints.Width = msg.Width
	body := m.bodyHeight()
	for _, p := range m.panes {
		p.SetSize(msg.Width, body)
	}
	m.ticker.SetSize(msg.Width, 1)
	m.status.SetSize(msg.Width, 1)
	return tea.Batch(to(m.ticker, msg), to(m.list, msg), to(m.reader, msg))
}

func (m *Model) showDate() bool { return m.height >= 12 }

// bodyTop is the screen row where the pane starts (under the ticker and
// the date line).
func (m *Model) bodyTop() int {
	if m.showDate() {
		return 2
	}
	return 1
}

func (m *Model) bodyHeight() int {
	h := m.height - 3 // ticker, status, help
	if m.showDate() {
		h--
	}
	return max(1, h)
}

func (m *Model) emptyHint() string {
	if m.opt.Offline {
		return "offline, and nothing is stored"
	}
	return m.refresh.EmptyHint()
}

func (m *Model) clockTick() tea.Cmd {
	m.clockVer++
	return m.sh.io.sleep(time.Minute, clockTickMsg{version: m.clockVer})
}

// View draws the whole screen: never wider than the terminal, never taller.
func (m *Model) View() string {
	if !m.sized {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return tooSmall(m.width, m.height)
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.ticker.View())
	if m.showDate() {
		lines = append(lines, m.dateLine())
	}
	p := m.panes[m.mode]
	bl := strings.Split(p.View(), "\n")
	bh := m.bodyHeight()
	if len(bl) > bh {
		bl = bl[:bh]
	}
	for len(bl) < bh {
		bl = append(bl, "")
	}
	// The panes fit their lines to the width themselves (and cache); the
	// rest is checked here.
	foot := []string{m.status.View(), " " + m.hints.ShortHelpView(p.ShortHelp())}
	for i := range foot {
		if ansi.StringWidth(foot[i]) > m.width {
			foot[i] = ansi.Truncate(foot[i], m.width, "…")
		}
	}
	lines = append(lines, bl...)
	lines = append(lines, foot...)
	return strings.Join(lines, "\n")
}

// dateLine is today's date, with the credits of the rate sources on screen
// at the right when they fit.
func (m *Model) dateLine() string {
	left := " " + m.sh.styles.Date.Render(m.sh.now().Format("2 January 2006"))
	if credit := m.sh.board.creditLine(); credit != "" {
		gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(credit) - 1
		if gap >= 2 {
			return left + strings.Repeat(" ", gap) + m.sh.styles.Muted.Render(credit)
		}
	}
	return ansi.Truncate(left, m.width, "…")
}

// tooSmall is the whole screen below minWidth×minHeight.
func tooSmall(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	msg := "terminal too small"
	if w < len(msg) {
		msg = "too small"
	}
	lines := []string{ansi.Truncate(msg, w, "")}
	if h >= 2 {
		lines = append(lines, ansi.Truncate(fmt.Sprintf("need %d×%d", minWidth, minHeight), w, ""))
	}
	return strings.Join(lines, "\n")
}
