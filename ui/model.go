// Package ui is steppe's Bubble Tea dashboard: a root model holding shared
// state and delegating to components (ticker, list, reader, status). It never
// does HTTP or SQL itself: everything arrives through Options, called inside
// Cmds with a timeout derived from Options.Context.
package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// ArticleStore is what the dashboard reads articles from (feeds' store).
type ArticleStore interface {
	Page(ctx context.Context, page, size int) (feeds.Page, error) // newest first, page clamped, 1-based
	Search(ctx context.Context, query string, page, size int) (feeds.Page, error)
	Article(ctx context.Context, id string) (feeds.Article, error)
	Rank(ctx context.Context, id string) (int, error) // 0-based index in newest-first order
	MarkRead(ctx context.Context, id string) error
	Feeds(ctx context.Context) ([]feeds.Feed, error)
}

// Options is everything the dashboard gets from main.
type Options struct {
	Context       context.Context // cancelled when the program ends; every Cmd derives from it
	Articles      ArticleStore
	RefreshFeed   func(ctx context.Context, f feeds.Feed) feeds.Result // nil when offline
	Quotes        func(ctx context.Context) ([]rates.Quote, error)     // stored latest quotes
	RefreshRates  func(ctx context.Context) (rates.Report, error)      // nil when offline
	Stale         func(q rates.Quote, now time.Time) bool
	Credits       []string                                                                       // e.g. "Rates: ExchangeRate-API", shown muted in help and the sources pane
	Credit        func(source string) string                                                     // the credit a rate source asks for where its rates are shown; "" for none
	Series        func(ctx context.Context, code string, since time.Time) ([]rates.Point, error) // stored history of a pair, oldest first; nil = no history pane
	FeedInterval  time.Duration                                                                  // default refresh when a feed's Refresh is 0 (15m)
	RatesInterval time.Duration                                                                  // 1h
	FetchTimeout  time.Duration                                                                  // per refresh command (30s)
	PageSize      int                                                                            // 0 = fit the terminal
	Invert        bool
	Offline       bool
	OpenURL       func(url string) error // only ever called with an http(s) URL
	Now           func() time.Time
	Styles        *Styles // nil = DefaultStyles()
	KeyMap        *KeyMap // nil = DefaultKeyMap()

	// GlamourStyle forces the reader's markdown style ("dark", "light",
	// "notty", "ascii"); "" picks by colour profile and background.
	GlamourStyle string
	// StoreTimeout bounds each store call (10s).
	StoreTimeout time.Duration
}

type mode int

const (
	modeList mode = iota
	modeReader
	modeErrors
	modeHelp
	modeRates
)

// Minimum terminal size; below it only a short message is shown.
const (
	minWidth  = 20
	minHeight = 6
)

// Model is the root model. It owns the shared state (options, size, mode)
// and delegates drawing and most state to its components.
type Model struct {
	opt    Options
	ctx    context.Context
	styles *Styles
	keys   *KeyMap

	ticker *Ticker
	list   *List
	reader *Reader
	status *Status

	ratesPane *RatesPane
	help      help.Model

	mode     mode
	back     mode // where help/errors return to
	width    int
	height   int
	sized    bool
	showDate bool
	pageSize int

	creditLine string // credits of the rate sources in the ticker
	pageSeq    int
	clockVer   int

	// after replaces timers in tests (nil: real, cancellable timers).
	after func(time.Duration, tea.Msg) tea.Cmd
}

// New builds the dashboard. It does no I/O: Init returns the Cmds that load
// stored data and start the refresh loops.
func New(opt Options) *Model {
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.FeedInterval <= 0 {
		opt.FeedInterval = 15 * time.Minute
	}
	if opt.RatesInterval <= 0 {
		opt.RatesInterval = time.Hour
	}
	if opt.FetchTimeout <= 0 {
		opt.FetchTimeout = 30 * time.Second
	}
	if opt.StoreTimeout <= 0 {
		opt.StoreTimeout = 10 * time.Second
	}
	if opt.Styles == nil {
		opt.Styles = DefaultStyles()
	}
	if opt.KeyMap == nil {
		opt.KeyMap = DefaultKeyMap()
	}
	if opt.Offline {
		opt.RefreshFeed, opt.RefreshRates = nil, nil
	}
	m := &Model{
		opt:    opt,
		ctx:    opt.Context,
		styles: opt.Styles,
		keys:   opt.KeyMap,
		ticker: NewTicker(opt.Styles, opt.Stale, opt.Now, opt.Invert),
		list:   NewList(opt.Styles, opt.Now),
		reader: NewReader(opt.Styles, opt.KeyMap),
		status: NewStatus(opt.Styles, opt.Now, opt.Offline, opt.Credits),

		ratesPane: NewRatesPane(opt.Styles, opt.Now, opt.Stale, sanitizeAll(opt.Credits)),
		help:      help.New(),
	}
	m.help.Styles.ShortKey = opt.Styles.Muted
	m.help.Styles.FullKey = opt.Styles.PaneTitle
	m.pageSize = opt.PageSize
	if opt.RefreshRates != nil {
		m.status.Add(&source{key: ratesKey, name: "Rates", interval: opt.RatesInterval})
	}
	return m
}

// Init paints from the store and starts the loops.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.loadQuotes(), m.loadFeeds(), m.clockTick()}
	if m.pageSize > 0 {
		cmds = append(cmds, m.loadPage(1, "", 0, false))
	}
	if src := m.status.Source(ratesKey); src != nil {
		cmds = append(cmds, m.startFetch(src))
	}
	return tea.Batch(cmds...)
}

// Update routes messages to components; it never blocks.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	// An empty list says why it is empty: fetching, failing or offline.
	m.list.SetEmptyHint(m.status.EmptyHint())
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tickerTickMsg:
		return m.ticker.Update(msg)
	case spinner.TickMsg:
		return m.status.Update(msg)
	case clockTickMsg:
		if msg.version != m.clockVer {
			return nil
		}
		m.list.Refresh()
		m.ticker.Recheck()
		return m.clockTick()
	case quotesMsg:
		if msg.err != nil {
			m.status.Flash("rates: " + msg.err.Error())
			return nil
		}
		return m.setQuotes(msg.quotes)
	case feedsMsg:
		return m.onFeeds(msg)
	case sourceDueMsg:
		return m.onDue(msg)
	case feedResultMsg:
		return m.onFeedResult(msg)
	case ratesResultMsg:
		return m.onRatesResult(msg)
	case pageMsg:
		return m.onPage(msg)
	case seriesMsg:
		m.ratesPane.SetSeries(msg.series, msg.err)
		return nil
	case articleMsg:
		m.reader.SetArticle(msg)
		return m.rerender()
	case renderedMsg:
		m.reader.SetRendered(msg)
		return nil
	case markedReadMsg:
		if msg.err != nil {
			m.status.Flash("mark read: " + msg.err.Error())
		}
		return nil
	case openedMsg:
		if msg.err != nil {
			m.status.Flash("open: " + msg.err.Error())
		}
		return nil
	}
	// Anything else (cursor blink, mouse) goes to the focused component.
	if m.list.Searching() {
		return m.list.UpdateInput(msg)
	}
	if m.mode == modeReader {
		return m.reader.Update(msg)
	}
	return nil
}

func (m *Model) resize(w, h int) tea.Cmd {
	m.width, m.height = w, h
	m.help.Width = w
	m.showDate = h >= 12
	body := m.bodyHeight()
	m.list.SetSize(w, body)
	m.reader.SetSize(w, body)
	m.status.SetSize(w, body)
	m.ratesPane.SetSize(w, body)
	cmds := []tea.Cmd{m.ticker.SetSize(w, 1)}
	first := !m.sized
	m.sized = true
	if m.opt.PageSize <= 0 {
		if fit := m.list.FitSize(); fit != m.pageSize || first {
			m.pageSize = fit
			page := max(1, m.list.Page().Page)
			cmds = append(cmds, m.loadPage(page, m.list.SelectedID(), m.list.Index(), false))
		}
	}
	cmds = append(cmds, m.rerender())
	return tea.Batch(cmds...)
}

func (m *Model) bodyHeight() int {
	h := m.height - 3 // ticker, status, help
	if m.showDate {
		h--
	}
	return max(1, h)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	m.status.flash = ""
	if msg.Type == tea.KeyCtrlC {
		return tea.Quit
	}
	if m.list.Searching() {
		return m.searchKey(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Invert):
		m.ticker.ToggleInvert()
		m.ratesPane.SetQuotes(m.ticker.quotes, m.ticker.Inverted())
		return nil
	case key.Matches(msg, k.Pause):
		return m.ticker.TogglePause()
	case key.Matches(msg, k.Help):
		m.toggleOverlay(modeHelp)
		return nil
	case key.Matches(msg, k.Errors):
		m.toggleOverlay(modeErrors)
		return nil
	case key.Matches(msg, k.Rates):
		m.toggleOverlay(modeRates)
		if m.mode == modeRates {
			return m.loadSeries()
		}
		return nil
	case key.Matches(msg, k.Refresh):
		return m.refreshAll()
	}
	switch m.mode {
	case modeHelp, modeErrors, modeRates:
		if key.Matches(msg, k.Back) {
			m.mode = m.back
		}
		return nil
	case modeReader:
		return m.readerKey(msg)
	}
	return m.listKey(msg)
}

func (m *Model) toggleOverlay(o mode) {
	if m.mode == o {
		m.mode = m.back
		return
	}
	if m.mode == modeList || m.mode == modeReader {
		m.back = m.mode
	}
	m.mode = o
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	p := m.list.Page()
	switch {
	case key.Matches(msg, k.Up):
		if m.list.Move(-1) && p.Page > 1 {
			return m.loadPage(p.Page-1, "", -1, false)
		}
	case key.Matches(msg, k.Down):
		if m.list.Move(1) && p.Page < p.Pages {
			return m.loadPage(p.Page+1, "", 0, false)
		}
	case key.Matches(msg, k.PrevPage):
		if p.Page > 1 {
			return m.loadPage(p.Page-1, "", 0, false)
		}
	case key.Matches(msg, k.NextPage):
		if p.Page < p.Pages {
			return m.loadPage(p.Page+1, "", 0, false)
		}
	case key.Matches(msg, k.FirstPage):
		return m.loadPage(1, "", 0, false)
	case key.Matches(msg, k.LastPage):
		return m.loadPage(max(1, p.Pages), "", 0, false)
	case key.Matches(msg, k.Open):
		return m.openSelected()
	case key.Matches(msg, k.Browser):
		a, _ := m.list.Selected()
		return m.openLink(a.Link)
	case key.Matches(msg, k.Search):
		return m.list.StartSearch()
	case key.Matches(msg, k.Back):
		if m.list.Query() != "" {
			return m.clearSearch()
		}
	}
	return nil
}

func (m *Model) searchKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Submit):
		q := m.list.StopSearch()
		if q == "" {
			return m.clearSearch()
		}
		return m.loadQuery(q, 1, "", 0)
	case key.Matches(msg, m.keys.Back):
		m.list.StopSearch()
		return m.clearSearch()
	}
	return m.list.UpdateInput(msg)
}

func (m *Model) clearSearch() tea.Cmd {
	if m.list.Query() == "" {
		return nil
	}
	return m.loadQuery("", 1, m.list.SelectedID(), 0)
}

func (m *Model) readerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeList
		return nil
	case key.Matches(msg, k.Browser):
		return m.openLink(m.reader.Article().Link)
	case key.Matches(msg, k.NextArticle):
		return m.step(1)
	case key.Matches(msg, k.PrevArticle):
		return m.step(-1)
	}
	return m.reader.Update(msg)
}

// step moves the reader to the next/previous article of the list, loading the
// neighbour page when it crosses a page boundary.
func (m *Model) step(d int) tea.Cmd {
	p := m.list.Page()
	if !m.list.Move(d) {
		return m.openSelected()
	}
	switch {
	case d > 0 && p.Page < p.Pages:
		return m.loadPage(p.Page+1, "", 0, true)
	case d < 0 && p.Page > 1:
		return m.loadPage(p.Page-1, "", -1, true)
	}
	if d > 0 {
		m.status.Flash("last article")
	} else {
		m.status.Flash("first article")
	}
	return nil
}

// openSelected opens the selected article in the reader and marks it read.
func (m *Model) openSelected() tea.Cmd {
	a, ok := m.list.Selected()
	if !ok {
		return nil
	}
	m.mode = modeReader
	seq := m.reader.Open(a)
	m.reader.SetSize(m.width, m.bodyHeight())
	m.list.MarkRead(a.ID)
	return tea.Batch(m.loadArticle(seq, a), m.markRead(a.ID))
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.seq != m.pageSeq {
		return nil // superseded
	}
	if msg.err != nil {
		m.list.SetError(msg.err)
		return nil
	}
	m.list.SetPage(msg.page, msg.keepID, msg.selIdx)
	if msg.open {
		return m.openSelected()
	}
	return nil
}

// rerender renders the reader body again when its width changed.
func (m *Model) rerender() tea.Cmd {
	if !m.reader.NeedsRender() {
		return nil
	}
	a := m.reader.Article()
	seq, w := m.reader.Seq(), m.reader.BodyWidth()
	m.reader.renderW = w // one render per width
	style := m.opt.GlamourStyle
	return func() tea.Msg {
		return renderedMsg{seq: seq, id: a.ID, width: w, rendered: renderMarkdown(body(a), w, glamourStyle(style))}
	}
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
	if m.showDate {
		lines = append(lines, m.dateLine())
	}
	var body string
	switch m.mode {
	case modeReader:
		body = m.reader.View()
	case modeErrors:
		body = m.status.ErrorsView()
	case modeRates:
		body = m.ratesPane.View()
	case modeHelp:
		body = m.fullHelp()
	default:
		body = m.list.View()
	}
	bl := strings.Split(body, "\n")
	bh := m.bodyHeight()
	if len(bl) > bh {
		bl = bl[:bh]
	}
	for len(bl) < bh {
		bl = append(bl, "")
	}
	// The panes fit their lines to the width themselves (and cache); the
	// rest is checked here.
	foot := []string{m.status.View(), " " + m.help.ShortHelpView(m.shortHelp())}
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
	left := " " + m.styles.Date.Render(m.opt.Now().Format("2 January 2006"))
	if m.creditLine != "" {
		gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(m.creditLine) - 1
		if gap >= 2 {
			return left + strings.Repeat(" ", gap) + m.styles.Muted.Render(m.creditLine)
		}
	}
	return ansi.Truncate(left, m.width, "…")
}

// setQuotes puts quotes in the ticker and notes the credits their sources ask for.
func (m *Model) setQuotes(q []rates.Quote) tea.Cmd {
	if m.opt.Credit != nil {
		var credits []string
		for _, quote := range q {
			if c := sanitize(m.opt.Credit(quote.Source), false); c != "" && !slices.Contains(credits, c) {
				credits = append(credits, c)
			}
		}
		m.creditLine = strings.Join(credits, " · ")
		m.ratesPane.credits = credits
	}
	m.ratesPane.SetQuotes(q, m.ticker.Inverted())
	return m.ticker.SetQuotes(q)
}

func (m *Model) shortHelp() []key.Binding {
	switch {
	case m.list.Searching():
		return searchKeys{m.keys}.ShortHelp()
	case m.mode == modeReader:
		return m.reader.ShortHelp()
	case m.mode == modeHelp || m.mode == modeErrors || m.mode == modeRates:
		return []key.Binding{m.keys.Back, m.keys.Quit}
	}
	return m.keys.ShortHelp()
}

// fullHelp is bubbles' full help, re-flowed into fewer columns when the
// terminal is narrow, and clipped to the body.
func (m *Model) fullHelp() string {
	groups := m.keys.FullHelp()
	var all []key.Binding
	for _, g := range groups {
		all = append(all, g...)
	}
	h := help.New()
	h.Styles = m.help.Styles
	var v string
	for cols := len(groups); cols >= 1; cols-- {
		per := (len(all) + cols - 1) / cols
		var gs [][]key.Binding
		for i := 0; i < len(all); i += per {
			gs = append(gs, all[i:min(len(all), i+per)])
		}
		if cols == len(groups) {
			gs = groups
		}
		v = h.FullHelpView(gs)
		if ansi.StringWidth(firstWide(v)) <= m.width-1 {
			break
		}
	}
	lines := []string{m.styles.PaneTitle.Render(" Keys") + m.styles.Muted.Render("  (? or esc to close)"), ""}
	for _, l := range strings.Split(v, "\n") {
		lines = append(lines, " "+l)
	}
	if len(m.status.credits) > 0 {
		lines = append(lines, "")
		for _, c := range m.status.credits {
			lines = append(lines, m.styles.Muted.Render(" "+c))
		}
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], m.width, "…")
	}
	return strings.Join(lines, "\n")
}

// firstWide returns the widest line of s.
func firstWide(s string) string {
	w, best := -1, ""
	for _, l := range strings.Split(s, "\n") {
		if lw := ansi.StringWidth(l); lw > w {
			w, best = lw, l
		}
	}
	return best
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
