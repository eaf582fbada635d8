package ui

import (
	"context"
	"errors"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// loadReq is a page to load: which, what to select on it (keepID when it
// is there, else selIdx, -1 = the last), whether to open the selection in
// the reader, and whether to pin the view afresh (the first-page key).
type loadReq struct {
	page   int
	keepID string
	selIdx int
	open   bool
	repin  bool
}

// query is the view as the store is asked for it: pinned to the snapshot,
// unless a fresh start follows the arrivals or the view is pinned afresh.
func (l *List) query(repin bool) feeds.View {
	v := l.view
	if !l.follow && !repin {
		v.Snapshot = l.pin
	}
	return v
}

// reload loads a page of the current view, keeping the selection.
func (l *List) reload(page int, keepID string, selIdx int) tea.Cmd {
	return l.load(loadReq{page: page, keepID: keepID, selIdx: selIdx})
}

// load loads a page in a Cmd; when keepID is not on it, RankIn finds the
// page it is on.
func (l *List) load(r loadReq) tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil || l.size <= 0 || !l.ready {
		return nil
	}
	l.seq++
	seq, size, v := l.seq, l.size, l.query(r.repin)
	return l.sh.io.store(func(ctx context.Context) tea.Msg {
		p, err := st.PageOf(ctx, v, r.page, size)
		if err == nil && r.keepID != "" && !hasID(p, r.keepID) {
			if rank, rerr := st.RankIn(ctx, v, r.keepID); rerr == nil {
				if p2, perr := st.PageOf(ctx, v, rank/size+1, size); perr == nil {
					p = p2
				}
			}
		}
		if err == nil && p.Size == 0 {
			p.Size = size
		}
		return pageMsg{seq: seq, page: sanitizePage(p), err: err, req: r}
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

func (l *List) onPage(msg pageMsg) tea.Cmd {
	if msg.seq != l.seq {
		return nil // superseded
	}
	l.answered = msg.seq
	if msg.err != nil {
		l.err = msg.err
		l.touch()
		return nil
	}
	p := msg.page
	if !l.follow && (l.pin == 0 || msg.req.repin) {
		l.pin, l.arrived = p.Snapshot, 0
	}
	l.page, l.loaded, l.err = p, true, nil
	l.sel = -1
	if id := msg.req.keepID; id != "" {
		for i, a := range p.Items {
			if a.ID == id {
				l.sel = i
				break
			}
		}
	}
	if l.sel < 0 {
		l.sel = msg.req.selIdx
		if l.sel < 0 {
			l.sel = len(p.Items) - 1
		}
	}
	l.sel = max(0, min(l.sel, len(p.Items)-1))
	l.layout()
	if msg.req.open {
		return l.openSelected()
	}
	return nil
}

// countArrivals asks how many articles of the view arrived since the pin.
func (l *List) countArrivals() tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil || l.pin == 0 {
		return nil
	}
	v, pin := l.query(false), l.pin
	return l.sh.io.store(func(ctx context.Context) tea.Msg {
		n, err := st.NewSince(ctx, v)
		return arrivalsMsg{pin: pin, n: n, err: err}
	})
}

// setRead marks an article read or unread, here at once and in the store
// in a Cmd; the count line's unread count follows.
func (l *List) setRead(id string, read bool) tea.Cmd {
	st := l.sh.io.opt.Articles
	if id == "" || st == nil {
		return nil
	}
	if l.sh.io.refused("not marked read") {
		return nil
	}
	for i := range l.page.Items {
		if a := &l.page.Items[i]; a.ID == id && a.Read != read {
			a.Read = read
			if read {
				l.page.Unread--
			} else {
				l.page.Unread++
			}
		}
	}
	l.layout()
	return l.sh.io.write(func(ctx context.Context) error { return st.SetRead(ctx, id, read) },
		func(err error) tea.Msg { return markedReadMsg{id: id, err: err} })
}

// toggle flips the read state or the star of an article (N and s, in the
// list or the reader) and tells the reader.
func (l *List) toggle(m toggleMsg) tea.Cmd {
	st := l.sh.io.opt.Articles
	if m.id == "" || st == nil {
		return nil
	}
	if l.sh.io.refused(m.refusal()) {
		return nil
	}
	a, err := l.article(m.id, m.cur)
	if err != nil {
		return l.sh.io.flash(err.Error())
	}
	var cmd tea.Cmd
	switch {
	case m.read:
		a.Read = !a.Read
		cmd = l.setRead(a.ID, a.Read)
	case m.star:
		a.Starred = !a.Starred
		for i := range l.page.Items {
			if l.page.Items[i].ID == a.ID {
				l.page.Items[i].Starred = a.Starred
			}
		}
		l.layout()
		id, on := a.ID, a.Starred
		cmd = l.sh.io.write(func(ctx context.Context) error { return st.SetStarred(ctx, id, on) },
			func(err error) tea.Msg {
				if err != nil {
					return flashMsg("star: " + err.Error())
				}
				return nil
			})
	}
	l.sh.io.post(readStateMsg{id: a.ID, read: a.Read, starred: a.Starred})
	return cmd
}

// article is the page's copy of an article, else the reader's (cur).
func (l *List) article(id string, cur *feeds.Article) (feeds.Article, error) {
	for _, a := range l.page.Items {
		if a.ID == id {
			return a, nil
		}
	}
	if cur != nil && cur.ID == id {
		return *cur, nil
	}
	return feeds.Article{}, errors.New("that article is not on this page")
}

// markAll marks every article of the view read (A): at once on screen, in
// the store in a Cmd that says how many, and which, for undo. The unread
// articles are listed first, in the view pinned to one snapshot, and that
// same view is marked: an article that arrives meanwhile is neither marked
// nor, on undo, touched.
func (l *List) markAll() tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil {
		return nil
	}
	if l.sh.io.refused("not marked read") {
		return nil
	}
	for i := range l.page.Items {
		l.page.Items[i].Read = true
	}
	l.page.Unread = 0
	l.layout()
	v := l.query(false)
	var ids []string
	n := 0
	return l.sh.io.write(func(ctx context.Context) (err error) {
		ids, v.Snapshot, err = unreadIDs(ctx, st, v)
		if err != nil {
			return err
		}
		n, err = st.MarkViewRead(ctx, v)
		return err
	}, func(err error) tea.Msg { return markedAllMsg{n: n, ids: ids, err: err} })
}

// unreadChunk is how many unread articles a page of unreadIDs lists.
const unreadChunk = 1000

// unreadIDs lists the unread articles of v, pinned to its snapshot (to
// the newest stored when v is not pinned), and returns that snapshot.
func unreadIDs(ctx context.Context, st ArticleStore, v feeds.View) ([]string, int64, error) {
	v.UnreadOnly = true
	var ids []string
	for page := 1; ; page++ {
		p, err := st.PageOf(ctx, v, page, unreadChunk)
		if err != nil {
			return nil, 0, err
		}
		v.Snapshot = p.Snapshot
		for _, a := range p.Items {
			ids = append(ids, a.ID)
		}
		if page >= p.Pages || len(p.Items) == 0 {
			return ids, v.Snapshot, nil
		}
	}
}

func (l *List) onMarkedAll(m markedAllMsg) tea.Cmd {
	if m.err != nil {
		return l.sh.io.flash("mark all read: " + m.err.Error())
	}
	msg := "marked " + textfmt.Plural(m.n, "article", "articles") + " read"
	if len(m.ids) > 0 {
		l.undo = m.ids
		if k := l.sh.keys.Undo.Help().Key; k != "" {
			msg += " · " + k + " to undo"
		}
	}
	l.sh.io.flash(msg)
	// An unread-only view empties; the counts are the store's.
	return l.reload(l.page.Page, l.SelectedID(), l.sel)
}

// undoMarkAll makes the articles the last mark all read changed unread
// again (z), exactly those: at once on screen, in the store in a Cmd.
func (l *List) undoMarkAll() tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil || len(l.undo) == 0 {
		return l.sh.io.flash("nothing to undo")
	}
	if l.sh.io.refused("not undone") {
		return nil
	}
	ids := l.undo
	l.undo = nil
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	for i := range l.page.Items {
		if a := &l.page.Items[i]; set[a.ID] && a.Read {
			a.Read = false
			l.page.Unread++
		}
	}
	l.layout()
	n := 0
	return l.sh.io.write(func(ctx context.Context) error {
		n = 0
		for _, id := range ids {
			err := st.SetRead(ctx, id, false)
			switch {
			case errors.Is(err, feeds.ErrNotFound):
				// pruned or removed since: nothing to restore
			case err != nil:
				return err
			default:
				n++
			}
		}
		return nil
	}, func(err error) tea.Msg { return undoneMsg{n: n, err: err} })
}

func (l *List) onUndone(m undoneMsg) tea.Cmd {
	if m.err != nil {
		l.sh.io.flash("undo: " + m.err.Error() + " (" + textfmt.Plural(m.n, "article is", "articles are") + " unread again)")
	} else {
		l.sh.io.flash("undone: " + textfmt.Plural(m.n, "article", "articles") + " unread again")
	}
	return l.reload(l.page.Page, l.SelectedID(), l.sel)
}

// nextUnread finds the next (+1) or previous (-1) unread article of the
// view from the selection, on any page, and selects it (and opens it for
// the reader).
func (l *List) nextUnread(dir int, open bool) tea.Cmd {
	return l.nextUnreadFrom(l.SelectedID(), dir, open)
}

// nextUnreadFrom is nextUnread from the headline from.
func (l *List) nextUnreadFrom(from string, dir int, open bool) tea.Cmd {
	st := l.sh.io.opt.Articles
	if st == nil {
		return nil
	}
	v := l.query(false)
	return l.sh.io.store(func(ctx context.Context) tea.Msg {
		a, rank, ok, err := st.NextUnread(ctx, v, from, dir)
		return nextUnreadMsg{article: a, rank: rank, ok: ok, err: err, dir: dir, open: open}
	})
}

func (l *List) onNextUnread(m nextUnreadMsg) tea.Cmd {
	switch {
	case m.err != nil:
		return l.sh.io.flash("next unread: " + m.err.Error())
	case !m.ok && m.dir > 0:
		return l.sh.io.flash("no unread article below")
	case !m.ok:
		return l.sh.io.flash("no unread article above")
	}
	return l.load(loadReq{page: m.rank/max(1, l.size) + 1, keepID: m.article.ID, selIdx: m.rank % max(1, l.size), open: m.open})
}

// mouse: the wheel moves the selection as j/k do; a click selects a
// headline, a click on the selected one opens it.
func (l *List) mouse(msg tea.MouseMsg) tea.Cmd {
	m := msg.Mouse()
	_, click := msg.(tea.MouseClickMsg)
	switch {
	case m.Button == tea.MouseWheelDown:
		return l.walk(+1)
	case m.Button == tea.MouseWheelUp:
		return l.walk(-1)
	case !click || m.Button != tea.MouseLeft || l.search.Focused():
		return nil
	}
	i := l.at(m.Y)
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

// countExtra follows the count line: the view's unread articles and the
// arrivals since the pin.
func (l *List) countExtra() string {
	s := ""
	if l.page.Total > 0 {
		s += " · " + strconv.Itoa(l.page.Unread) + " unread"
	}
	if l.arrived > 0 {
		s += " · " + strconv.Itoa(l.arrived) + " new"
	}
	return s
}
