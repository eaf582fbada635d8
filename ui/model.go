// Package ui is steppe's Bubble Tea dashboard: a root model holding the
// shared state and routing messages to components (ticker, list, reader,
// status line, panes). It never does HTTP or SQL itself: everything arrives
// through Options, called inside Cmds with a timeout derived from
// Options.Context.
package ui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
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

	pending  []tea.Msg // keys and pastes waiting for the page on its way
	panes    [modeCount]pane
	mode     mode
	back     mode // where an overlay returns to
	width    int
	height   int
	sized    bool
	clockVer int
	dark     bool // the styles are the dark variant

	banner     banner // the damaged store's notice, under the ticker
	checkArmed bool   // the store check's timer is set (once, at the first page)
}

// New builds the dashboard. It does no I/O: Init returns the Cmds that load
// stored data and start the refresh loops.
func New(opt Options) (*Model, error) {
	if err := opt.prepare(); err != nil {
		return nil, err
	}
	o := &opt
	io := &deps{opt: o}
	dark := o.Theme.StartsDark(o.ColorFGBG)
	sh := &shared{styles: NewStyles(o.Theme.Palette(dark), dark), keys: o.KeyMap, io: io, board: &board{invert: o.Invert, sourced: o.Credit != nil}, stale: o.Stale}
	sched := NewScheduler(io.now, o.FeedInterval, feeds.DefaultConcurrency)
	m := &Model{opt: o, sh: sh, hints: help.New(), refresh: newRefresher(io, sched), dark: dark}
	m.styleHints()
	m.ticker = NewTicker(sh)
	m.list = NewList(sh, o.PageSize)
	m.reader = NewReader(sh)
	m.status = NewStatusLine(sh, sched, o.Offline, o.Warnings)
	k := o.KeyMap
	m.panes = [modeCount]pane{
		modeList:    {Component: m.list},
		modeReader:  {Component: m.reader},
		modeSources: {Component: NewSourcesPane(sh, sched, o.Credits, o.Warnings), overlay: true, toggle: &k.Sources},
		modeHelp:    {Component: NewHelpPane(sh, o.Credits), overlay: true, toggle: &k.Help},
		modeRates:   {Component: NewRatesPane(sh, o.Credits), overlay: true, toggle: &k.Rates},
		modeLinks:   {Component: NewLinksPane(sh), overlay: true},
		modeFeeds:   {Component: NewFeedsPane(sh), overlay: true},
	}
	return m, nil
}

// Init paints from the store and starts the loops. A theme that follows
// the terminal asks for its background: the first frame does not wait for
// the answer (it is drawn dark, or as COLORFGBG says), and an answer that
// says otherwise repaints.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.sh.io.loadSettings(), m.sh.io.loadQuotes(), m.sh.io.loadFeeds(), m.clockTick(), m.refresh.Init()}
	if m.opt.Theme.Follows() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Update routes a message to the component it is for; it never blocks.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		// Each key is a message of its own, however fast they come (v2
		// reads a burst of input as one key per character). Keys and
		// pastes wait while the list loads a page, so that they act on
		// the page the user will see ("g enter" reads the newest
		// headline); quitting never waits.
		if m.quits(msg) {
			cmds = append(cmds, m.handle(msg))
		} else {
			m.pending = append(m.pending, msg)
		}
	case tea.PasteMsg:
		m.pending = append(m.pending, msg)
	case tea.KeyReleaseMsg:
		// Not asked for (no ReportEventTypes); a press is what counts.
	default:
		cmds = append(cmds, m.handle(msg))
	}
	for len(m.pending) > 0 && !m.waiting() {
		k := m.pending[0]
		m.pending = m.pending[1:]
		cmds = append(cmds, m.handle(k))
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
		if f, isFeeds := msg.(feedsMsg); isFeeds {
			cmd = tea.Batch(cmd, to(m.list, f)) // the list names the feed it shows
		}
		return cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg)
	case tea.BackgroundColorMsg:
		return m.background(msg.IsDark())
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseMsg:
		// Panes see the mouse in their own coordinates.
		return to(m.panes[m.mode], shiftMouse(msg, -m.bodyTop()))
	case quotesMsg:
		if msg.err != nil {
			return m.sh.io.flash("rates: " + msg.err.Error())
		}
		m.sh.board.setQuotes(msg.quotes, msg.missing, m.opt.Credit)
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
	case pageMsg:
		return tea.Batch(to(m.list, msg), m.armCheck())
	case checkStartMsg:
		return m.sh.io.checkStore()
	case storeCheckMsg:
		return m.onStoreCheck(msg)
	case stepMsg, arrivedMsg, arrivalsMsg, nextUnreadMsg, markedAllMsg, undoneMsg, roundDoneMsg, toggleMsg:
		return to(m.list, msg)
	case articleMsg, renderedMsg:
		return to(m.reader, msg)
	case seriesMsg:
		return to(m.panes[modeRates], msg)
	case flashMsg, openedMsg, markedReadMsg, fetchingMsg, spinner.TickMsg:
		return to(m.status, msg)
	case playerMsg:
		flash, wait := m.sh.io.onPlayer(msg)
		return tea.Batch(to(m.status, flash), wait)
	case playerDoneMsg:
		if flash := playerDone(msg); flash != nil {
			return to(m.status, flash)
		}
		return nil
	}
	// Anything else (paste, cursor, mouse) goes to the pane on screen.
	return to(m.panes[m.mode], msg)
}

// to delivers msg to a component and returns its Cmd.
func to(c Component, msg tea.Msg) tea.Cmd {
	_, cmd := c.Update(msg)
	return cmd
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
