package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/steppe-news/steppe/feeds"
)

// List is the headline pane: the count line (or the search field), a page
// of headlines and the paginator. It loads its pages from the store, keeps
// the selection, opens articles and answers the reader's next/previous.
type List struct {
	sh     *shared
	search *SearchField

	fixedSize int // Options.PageSize; 0 = fit the terminal
	size      int // headlines per page now
	seq       int // page requests; older answers are dropped

	page   feeds.Page
	items  []listItem
	sel    int
	loaded bool
	err    error
	hint   string // why the list is empty, from the sources' state

	compact bool  // one line a headline
	hits    []int // the headline of each laid-out line (-1: a gap), for the mouse
	top     int   // the first laid-out line on screen

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
	p := paginator.New()
	p.ActiveDot = sh.styles.PagerDot.Render("•")
	p.InactiveDot = sh.styles.Pager.Render("·")
	return &List{sh: sh, search: NewSearchField(sh), fixedSize: pageSize, size: pageSize, pager: p}
}

// Init loads the first page when its size does not wait for the terminal's.
func (l *List) Init() tea.Cmd {
	if l.size > 0 {
		return l.load(1, "", 0, false)
	}
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
	k := l.sh.keys
	return k.ShortHelp()
}

func (l *List) FullHelp() [][]key.Binding { return l.sh.keys.FullHelp() }

// Capturing reports whether every key is text for the search field.
func (l *List) Capturing() bool { return l.search.Focused() }

// Page is the page on screen.
func (l *List) Page() feeds.Page { return l.page }

// Query is the active search, "" for the plain list.
func (l *List) Query() string { return l.page.Query }

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

// countExtra follows the count line: the view's unread articles and the
// arrivals above the page.
func (l *List) countExtra() string { return "" }

// Update handles the list's keys, its page loads, the reader's steps and
// arrivals of new articles.
func (l *List) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if l.search.Focused() {
			return l, l.searchKey(msg)
		}
		return l, l.key(msg)
	case tea.WindowSizeMsg:
		return l, l.fit()
	case tea.MouseMsg:
		return l, l.mouse(msg)
	case pageMsg:
		return l, l.onPage(msg)
	case stepMsg:
		return l, l.step(msg.delta)
	case arrivedMsg:
		return l, l.load(max(1, l.page.Page), l.SelectedID(), l.sel, false)
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

// fit sets the page size to what the pane holds, when it is not fixed, and
// reloads the page around the selection when it changed.
func (l *List) fit() tea.Cmd {
	first := !l.sized
	l.sized = true
	if l.fixedSize > 0 {
		return nil
	}
	fit := l.perPage()
	if fit == l.size && !first {
		return nil
	}
	l.size = fit
	return l.load(max(1, l.page.Page), l.SelectedID(), l.sel, false)
}

func (l *List) key(msg tea.KeyMsg) tea.Cmd {
	k := l.sh.keys
	p := l.page
	switch {
	case key.Matches(msg, k.Up):
		if l.move(-1) && p.Page > 1 {
			return l.load(p.Page-1, "", -1, false)
		}
	case key.Matches(msg, k.Down):
		if l.move(1) && p.Page < p.Pages {
			return l.load(p.Page+1, "", 0, false)
		}
	case key.Matches(msg, k.PrevPage):
		if p.Page > 1 {
			return l.load(p.Page-1, "", 0, false)
		}
	case key.Matches(msg, k.NextPage):
		if p.Page < p.Pages {
			return l.load(p.Page+1, "", 0, false)
		}
	case key.Matches(msg, k.FirstPage):
		return l.load(1, "", 0, false)
	case key.Matches(msg, k.LastPage):
		return l.load(max(1, p.Pages), "", 0, false)
	case key.Matches(msg, k.Read):
		return l.openSelected()
	case key.Matches(msg, k.OpenLink):
		a, _ := l.Selected()
		return l.sh.io.openLink(a.Link)
	case key.Matches(msg, k.Search):
		l.search.Start(l.page.Query)
		l.touch()
	case key.Matches(msg, k.Pause):
		return l.sh.io.post(pauseMsg{})
	case key.Matches(msg, k.View):
		l.compact = !l.compact
		l.layout()
		return l.fit()
	case key.Matches(msg, k.Back):
		// Back clears a search; from the plain list any key of back but
		// esc quits, as q does in newsboat.
		switch {
		case l.page.Query != "":
			return l.query("", 1, l.SelectedID(), 0)
		case msg.Type != tea.KeyEsc:
			return tea.Quit
		}
	}
	return nil
}

func (l *List) searchKey(msg tea.KeyMsg) tea.Cmd {
	defer l.touch()
	// Characters are text here, whatever they are bound to elsewhere.
	text := msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace
	switch {
	case text:
		l.search.Update(msg)
		return nil
	case key.Matches(msg, l.sh.keys.Submit):
		if q := l.search.Stop(); q != "" {
			return l.query(q, 1, "", 0)
		}
	case key.Matches(msg, l.sh.keys.Back):
		l.search.Stop()
	default:
		l.search.Update(msg)
		return nil
	}
	if l.page.Query == "" {
		return nil
	}
	return l.query("", 1, l.SelectedID(), 0)
}

// mouse: the wheel moves the selection as j/k do; a click selects a
// headline, a click on the selected one opens it.
func (l *List) mouse(msg tea.MouseMsg) tea.Cmd {
	k := l.sh.keys
	switch {
	case msg.Action != tea.MouseActionPress:
		return nil
	case msg.Button == tea.MouseButtonWheelDown:
		return l.key(key2msg(k.Down))
	case msg.Button == tea.MouseButtonWheelUp:
		return l.key(key2msg(k.Up))
	case msg.Button != tea.MouseButtonLeft || l.search.Focused():
		return nil
	}
	i := l.at(msg.Y)
	if i < 0 {
		return nil
	}
	if i == l.sel {
		return l.openSelected()
	}
	l.sel = i
	l.touch()
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
	l.markRead(a.ID)
	l.sh.io.post(openArticleMsg{a})
	return l.sh.io.markRead(a.ID)
}

// markRead marks an article read in place.
func (l *List) markRead(id string) {
	for i := range l.page.Items {
		if l.page.Items[i].ID == id {
			l.page.Items[i].Read = true
		}
	}
	l.layout()
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
		return l.load(p.Page+1, "", 0, true)
	case d < 0 && p.Page > 1:
		return l.load(p.Page-1, "", -1, true)
	case d > 0:
		return l.sh.io.flash("last article")
	}
	return l.sh.io.flash("first article")
}

func (l *List) onPage(msg pageMsg) tea.Cmd {
	if msg.seq != l.seq {
		return nil // superseded
	}
	if msg.err != nil {
		l.err = msg.err
		l.touch()
		return nil
	}
	l.setPage(msg.page, msg.keepID, msg.selIdx)
	if msg.open {
		return l.openSelected()
	}
	return nil
}

// setPage shows a loaded (sanitised) page; keepID stays selected when it is
// on the page, otherwise selIdx (-1 = last) is used.
func (l *List) setPage(p feeds.Page, keepID string, selIdx int) {
	l.page, l.loaded, l.err = p, true, nil
	l.sel = -1
	if keepID != "" {
		for i, a := range p.Items {
			if a.ID == keepID {
				l.sel = i
				break
			}
		}
	}
	if l.sel < 0 {
		l.sel = selIdx
		if selIdx < 0 {
			l.sel = len(p.Items) - 1
		}
	}
	l.sel = max(0, min(l.sel, len(p.Items)-1))
	l.layout()
}

// load loads a page of the current view (plain list or search).
func (l *List) load(page int, keepID string, selIdx int, open bool) tea.Cmd {
	return l.query(l.page.Query, page, keepID, selIdx, open)
}

// query loads a page of a search ("" for the plain list); when keepID is
// not on it (new articles pushed it down), Rank finds the page it moved to.
func (l *List) query(q string, page int, keepID string, selIdx int, open ...bool) tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil || l.size <= 0 {
		return nil
	}
	l.seq++
	seq, size := l.seq, l.size
	opening := len(open) > 0 && open[0]
	return l.sh.io.store(func(ctx context.Context) tea.Msg {
		var p feeds.Page
		var err error
		if q != "" {
			p, err = st.Search(ctx, q, page, size)
		} else {
			p, err = st.Page(ctx, page, size)
		}
		if err == nil && keepID != "" && q == "" && !hasID(p, keepID) {
			if rank, rerr := st.Rank(ctx, keepID); rerr == nil && rank >= 0 {
				if p2, perr := st.Page(ctx, rank/size+1, size); perr == nil {
					p = p2
				}
			}
		}
		if err == nil {
			p.Query = q
			if p.Size == 0 {
				p.Size = size
			}
		}
		return pageMsg{seq: seq, page: sanitizePage(p), err: err, keepID: keepID, selIdx: selIdx, open: opening}
	})
}

func hasID(p feeds.Page, id string) bool {
	for _, a := range p.Items {
		if a.ID == id {
			return true
		}
	}
	return false
}
