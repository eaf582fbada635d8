package ui

import (
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/paginator"
	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
)

// List is the headline pane: the count line (or the search field), a page
// of headlines and the paginator. It loads its pages from the store, keeps
// the selection and the read state, opens articles and answers the
// reader's next/previous.
//
// The list never moves under the reader: once the user has moved (or the
// first refresh is over), the view is pinned to a snapshot of the store,
// articles that arrive later stay out of its pages and counts, and the
// count line says how many arrived ("· 3 new"); the first-page key shows
// them. Until then a fresh start follows the arrivals with the newest
// headline selected.
type List struct {
	sh     *shared
	search *SearchField

	fixedSize int // Options.PageSize; 0 = fit the terminal
	size      int // headlines per page now
	seq       int // page requests; older answers are dropped
	answered  int // the last request answered

	view     feeds.View   // what is listed (Snapshot unused: see pin)
	viewName string       // the feed's name, for the count line
	allSel   string       // the headline selected when the list left every feed
	feeds    []feeds.Feed // the stored feeds, for a remembered feed's name
	follow   bool         // a fresh start: arrivals show, the newest stays selected
	pin      int64        // the snapshot the view is pinned to (0: not yet)
	arrived  int          // articles of the view stored after the pin
	undo     []string     // the articles the last mark all read changed (z makes them unread)

	page    feeds.Page
	items   []listItem
	sel     int
	loaded  bool
	ready   bool // the remembered view is applied: pages may load
	err     error
	hint    string // why the list is empty, from the sources' state
	compact bool   // one line a headline
	hits    []int  // the headline of each laid-out line (-1: a gap), for the mouse
	top     int    // the first laid-out line on screen

	pager  paginator.Model
	width  int
	height int
	sized  bool

	// View is cached: rev bumps on every change, the cache holds the view
	// of cachedRev.
	rev, cachedRev int
	cached         string
}

// NewList builds an empty list; pageSize 0 fits the page to the terminal.
func NewList(sh *shared, pageSize int) *List {
	l := &List{sh: sh, search: NewSearchField(sh), fixedSize: pageSize, size: pageSize, pager: paginator.New(), follow: true}
	l.restyle()
	return l
}

// restyle takes new styles: the pager's dots and the cached frame.
func (l *List) restyle() tea.Cmd {
	l.pager.ActiveDot = l.sh.styles.PagerDot.Render("•")
	l.pager.InactiveDot = l.sh.styles.Pager.Render("·")
	l.touch()
	return nil
}

// SetSize sets the pane size (count line + headlines + paginator).
func (l *List) SetSize(w, h int) {
	l.width, l.height = w, h
	l.search.SetSize(w-1, 1)
	l.layout()
}

func (l *List) ShortHelp() []key.Binding {
	if l.search.Focused() {
		return l.search.ShortHelp()
	}
	return l.sh.keys.ShortHelp()
}

func (l *List) FullHelp() [][]key.Binding { return l.sh.keys.FullHelp() }

// Loading reports whether a page is on its way: keys for the list wait for
// it, so that they act on the page the user will see ("g enter" reads the
// newest headline, not the one selected before).
func (l *List) Loading() bool { return l.answered != l.seq }

// Capturing reports whether every key is text for the search field.
func (l *List) Capturing() bool { return l.search.Focused() }

// Page is the page on screen.
func (l *List) Page() feeds.Page { return l.page }

// Query is the active search, "" for the plain list.
func (l *List) Query() string { return l.view.Query }

// Index is the selection within the page.
func (l *List) Index() int { return l.sel }

// Selected is the selected article.
func (l *List) Selected() (feeds.Article, bool) {
	if l.sel < 0 || l.sel >= len(l.page.Items) {
		return feeds.Article{}, false
	}
	return l.page.Items[l.sel], true
}

// SelectedID is the selected article's id or "".
func (l *List) SelectedID() string {
	a, _ := l.Selected()
	return a.ID
}

// SetEmptyHint sets what an empty list says about why it is empty.
func (l *List) SetEmptyHint(h string) {
	if h != l.hint {
		l.hint = h
		l.touch()
	}
}

// Update handles the list's keys, its loads, the reader's steps and
// toggles, the feeds pane's choice and arrivals of new articles.
func (l *List) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if l.search.Focused() {
			return l, l.searchKey(msg)
		}
		l.settle()
		return l, l.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		l.settle()
		return l, l.mouse(msg.(tea.MouseMsg))
	case tea.WindowSizeMsg:
		return l, l.fit()
	case settingsMsg:
		l.apply(msg)
		return l, l.reload(1, "", 0)
	case feedsMsg:
		return l, l.knowFeeds(msg.feeds)
	case pageMsg:
		return l, l.onPage(msg)
	case stepMsg:
		if msg.unread {
			return l, l.nextUnread(msg.delta, true)
		}
		return l, l.step(msg.delta)
	case toggleMsg:
		return l, l.toggle(msg)
	case viewMsg:
		return l, l.show(msg)
	case nextUnreadMsg:
		return l, l.onNextUnread(msg)
	case markedAllMsg:
		return l, l.onMarkedAll(msg)
	case undoneMsg:
		return l, l.onUndone(msg)
	case arrivedMsg:
		if l.follow {
			return l, l.reload(1, "", 0)
		}
		if l.loaded && len(l.page.Items) == 0 {
			// An empty view has nothing to keep still: what came
			// shows (an empty store pins no snapshot to count from).
			return l, l.load(loadReq{page: 1, repin: true})
		}
		if msg.changed {
			// The page on screen shows the new read marks and counts;
			// the pin keeps its articles where they are.
			return l, tea.Batch(l.reload(l.page.Page, l.SelectedID(), l.sel), l.countArrivals())
		}
		return l, l.countArrivals()
	case arrivalsMsg:
		if msg.pin == l.pin && msg.err == nil && msg.n != l.arrived {
			l.arrived = msg.n
			l.touch()
		}
		return l, nil
	case roundDoneMsg:
		l.settle()
		return l, nil
	case clockTickMsg:
		l.layout()
		return l, nil
	}
	if l.search.Focused() { // paste, cursor
		l.search.Update(msg)
		l.touch()
	}
	return l, nil
}

// settle ends a fresh start's following: the view stays as it is.
func (l *List) settle() {
	if l.follow {
		l.follow = false
		l.pin = l.page.Snapshot
		if l.answered != l.seq {
			l.pin = 0 // the page on its way pins the view
		}
	}
}

// fit sets the page size to what the pane holds (at most page_size, when
// the config sets one) and reloads the page around the selection when it
// changed.
func (l *List) fit() tea.Cmd {
	first := !l.sized
	l.sized = true
	fit := l.pageSize()
	if fit == l.size && !first {
		return nil
	}
	l.size = fit
	return l.reload(max(1, l.page.Page), l.SelectedID(), l.sel)
}

func (l *List) key(msg tea.KeyPressMsg) tea.Cmd {
	k, io := l.sh.keys, l.sh.io
	p := l.page
	switch {
	case key.Matches(msg, k.Up):
		return l.walk(-1)
	case key.Matches(msg, k.Down):
		return l.walk(+1)
	case key.Matches(msg, k.PrevPage):
		if p.Page > 1 {
			return l.turn(-1, 0, false)
		}
	case key.Matches(msg, k.NextPage):
		if p.Page < p.Pages {
			return l.turn(+1, 0, false)
		}
	case key.Matches(msg, k.FirstPage):
		// The first page with everything that arrived since the pin.
		return l.load(loadReq{page: 1, repin: true})
	case key.Matches(msg, k.LastPage):
		return l.load(loadReq{page: max(1, p.Pages)})
	case key.Matches(msg, k.Read):
		return l.openSelected()
	case key.Matches(msg, k.OpenLink):
		a, _ := l.Selected()
		return io.openLink(a.Link)
	case key.Matches(msg, k.ToggleRead):
		return l.toggle(toggleMsg{id: l.SelectedID(), read: true})
	case key.Matches(msg, k.Star):
		return l.toggle(toggleMsg{id: l.SelectedID(), star: true})
	case key.Matches(msg, k.MarkAllRead):
		return l.markAll()
	case key.Matches(msg, k.Undo):
		return l.undoMarkAll()
	case key.Matches(msg, k.NextUnread):
		return l.nextUnread(+1, false)
	case key.Matches(msg, k.PrevUnread):
		return l.nextUnread(-1, false)
	case key.Matches(msg, k.UnreadOnly):
		v := l.view
		v.UnreadOnly = !v.UnreadOnly
		return tea.Batch(l.switchTo(v, l.viewName), l.remember("unread_only", strconv.FormatBool(v.UnreadOnly)))
	case key.Matches(msg, k.Feeds):
		return io.post(showFeedsMsg{})
	case key.Matches(msg, k.View):
		l.compact = !l.compact
		l.layout()
		return tea.Batch(l.fit(), l.remember("compact", strconv.FormatBool(l.compact)))
	case key.Matches(msg, k.Search):
		l.search.Start(l.view.Query)
		l.touch()
	case key.Matches(msg, k.Pause):
		return io.post(pauseMsg{})
	case key.Matches(msg, k.Back):
		// Back clears a search, then leaves a feed's view; from the plain
		// list any key of back but esc quits, as q does in newsboat.
		switch {
		case l.view.Query != "":
			v := l.view
			v.Query = ""
			return l.switchTo(v, l.viewName, l.SelectedID())
		case l.view.FeedID != 0 || l.view.Starred:
			return l.show(viewMsg{})
		case msg.Code != tea.KeyEscape:
			return tea.Quit
		}
	}
	return nil
}

func (l *List) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	defer l.touch()
	// Characters are text here, whatever they are bound to elsewhere.
	text := msg.Text != ""
	v := l.view
	switch {
	case text:
		l.search.Update(msg)
		return nil
	case key.Matches(msg, l.sh.keys.Submit):
		v.Query = l.search.Stop()
		l.settle()
	case key.Matches(msg, l.sh.keys.Back):
		l.search.Stop()
		v.Query = ""
	default:
		l.search.Update(msg)
		return nil
	}
	if v.Query == l.view.Query {
		return nil
	}
	return l.switchTo(v, l.viewName, l.SelectedID())
}

// walk moves the selection one headline up (-1) or down (+1), onto the
// neighbour page at the page's ends (j/k and the mouse wheel).
func (l *List) walk(d int) tea.Cmd {
	p := l.page
	switch {
	case !l.move(d):
		return nil
	case d < 0 && p.Page > 1:
		return l.load(loadReq{page: p.Page - 1, selIdx: -1})
	case d > 0 && p.Page < p.Pages:
		return l.load(loadReq{page: p.Page + 1})
	}
	return nil
}

// move moves the selection by d within the page; it reports whether the move
// left the page (the caller loads the neighbour page).
func (l *List) move(d int) (leftPage bool) {
	n := l.sel + d
	if n < 0 || n >= len(l.page.Items) {
		return true
	}
	l.sel = n
	l.touch()
	return false
}

// openSelected opens the selected article in the reader and marks it read.
func (l *List) openSelected() tea.Cmd {
	a, ok := l.Selected()
	if !ok {
		return nil
	}
	l.settle()
	cmd := l.setRead(a.ID, true)
	a.Read = true
	l.sh.io.post(openArticleMsg{a})
	return cmd
}

// turn goes to the next (+1) or previous (-1) page, selecting selIdx on
// it (-1: the last), and opens that headline for the reader when open. In
// the unread-only view, once headlines listed here have been read (they
// stay listed until the page changes), the pages after them have moved up
// by as many: the page to go to is then the one that now holds the nearest
// unread headline past this page's edge, selected, so that none is
// skipped.
func (l *List) turn(dir, selIdx int, open bool) tea.Cmd {
	p := l.page
	if l.view.UnreadOnly && slices.ContainsFunc(p.Items, func(a feeds.Article) bool { return a.Read }) {
		edge := p.Items[0].ID
		if dir > 0 {
			edge = p.Items[len(p.Items)-1].ID
		}
		return l.nextUnreadFrom(edge, dir, open)
	}
	return l.load(loadReq{page: p.Page + dir, selIdx: selIdx, open: open})
}

// step moves to the next/previous article for the reader, loading the
// neighbour page when it crosses a page boundary.
func (l *List) step(d int) tea.Cmd {
	p := l.page
	if !l.move(d) {
		return l.openSelected()
	}
	switch {
	case d > 0 && p.Page < p.Pages:
		return l.turn(+1, 0, true)
	case d < 0 && p.Page > 1:
		return l.turn(-1, -1, true)
	case d > 0:
		return l.sh.io.flash("last article")
	}
	return l.sh.io.flash("first article")
}
