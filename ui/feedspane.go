package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/textfmt"
)

// FeedsPane (`F`) lists every feed with its unread and total articles, when
// it last updated and whether it is failing, under its group (OPML
// folder), with every feed and ★ Starred at the top. enter shows only the
// chosen one in the list; esc there returns to every feed.
type FeedsPane struct {
	scroller
	rows    []feedRow
	sel     int
	loading bool
	err     error
	help    []key.Binding // the hint line's keys, enter as "show"
}

// feedRow is one line of the pane: a choice, or a group's heading.
type feedRow struct {
	heading string // a group's name; the row is not a choice
	view    viewMsg
	label   string
	unread  int
	total   int
	feed    *feeds.Feed
	indent  bool // under a heading
}

// noGroup is the heading of the feeds of no group, when others have one.
const noGroup = "(no group)"

// NewFeedsPane builds the pane.
func NewFeedsPane(sh *shared) *FeedsPane {
	k := sh.keys
	return &FeedsPane{scroller: scroller{sh: sh, title: " Feeds", hint: "(enter shows one; F or esc to close)"},
		help: []key.Binding{k.ScrollDown, k.ScrollUp, relabel(k.Read, "show"), k.Back}}
}

func (p *FeedsPane) ShortHelp() []key.Binding { return p.help }

// Shown loads the counts: the store keeps them per feed, so this reads one
// row a feed, whatever the number of articles.
func (p *FeedsPane) Shown() tea.Cmd {
	st := p.sh.io.opt.Articles
	if st == nil {
		return nil
	}
	p.loading = true
	return p.sh.io.store(func(ctx context.Context) tea.Msg {
		counts, err := st.FeedCounts(ctx)
		if err != nil {
			return feedCountsMsg{err: err}
		}
		u, t, err := st.StarredCount(ctx)
		if err != nil {
			return feedCountsMsg{err: err}
		}
		qs, err := queryCounts(ctx, st)
		return feedCountsMsg{counts: counts, starredUnread: u, starredTotal: t, queries: qs, err: err}
	})
}

// Update takes the counts, moves the selection and shows a feed.
func (p *FeedsPane) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case feedCountsMsg:
		p.loading, p.err = false, msg.err
		if msg.err == nil {
			p.build(msg)
		}
		return p, nil
	case tea.KeyPressMsg:
		k := p.sh.keys
		if key.Matches(msg, k.Feeds) {
			return p, p.sh.io.post(closeMsg{})
		}
		if chosen, ok := p.pick(msg, p.move); ok {
			if chosen && p.sel < len(p.rows) && p.rows[p.sel].heading == "" {
				return p, p.sh.io.post(p.rows[p.sel].view)
			}
			return p, nil
		}
	}
	cmd, _ := p.scrollKey(msg)
	return p, cmd
}

// move moves the selection d rows, to the nearest choice (not a heading)
// in that direction, else the nearest before it; it stops at either end.
func (p *FeedsPane) move(d int) {
	if len(p.rows) == 0 || d == 0 {
		return
	}
	step := 1
	if d < 0 {
		step = -1
	}
	to := max(0, min(len(p.rows)-1, p.sel+d))
	for _, dir := range []int{step, -step} {
		for i := to; i >= 0 && i < len(p.rows); i += dir {
			if p.rows[i].heading == "" {
				p.sel = i
				p.scrollTo(p.sel + 1)
				return
			}
		}
	}
}

// build lays the rows out: every feed, starred, then the feeds by group
// (in the store's order, groups in the order they first appear), and
// last, under a heading of their own, the feeds of no group: not after a
// group's feeds as if they were in it. With no groups at all the feeds
// are one list without headings.
func (p *FeedsPane) build(m feedCountsMsg) {
	all := feedRow{view: viewMsg{}, label: "All feeds"}
	for _, c := range m.counts {
		all.unread += c.Unread
		all.total += c.Total
	}
	rows := []feedRow{all, {view: viewMsg{starred: true, name: "★ Starred"}, label: "★ Starred", unread: m.starredUnread, total: m.starredTotal}}
	rows = append(rows, queryRows(m.queries)...)
	var groups []string
	byGroup := map[string][]feedRow{}
	for i := range m.counts {
		c := &m.counts[i]
		g := sanitize.Text(c.Feed.Group, false)
		if _, ok := byGroup[g]; !ok {
			groups = append(groups, g)
		}
		name := sanitize.Text(c.Feed.Name, false)
		byGroup[g] = append(byGroup[g], feedRow{view: viewMsg{feedID: c.Feed.ID, name: name}, label: name, unread: c.Unread, total: c.Total, feed: &c.Feed})
	}
	grouped := len(groups) > 1 || (len(groups) == 1 && groups[0] != "")
	if i := slices.Index(groups, ""); i >= 0 {
		groups = append(slices.Delete(groups, i, i+1), "") // no group last
	}
	for _, g := range groups {
		switch {
		case g != "":
			rows = append(rows, feedRow{heading: g})
		case grouped:
			rows = append(rows, feedRow{heading: noGroup})
		}
		for _, r := range byGroup[g] {
			r.indent = grouped
			rows = append(rows, r)
		}
	}
	p.rows = rows
	p.sel = min(p.sel, len(rows)-1)
	if p.rows[p.sel].heading != "" {
		p.move(1)
	}
}

// View draws the rows: mark, name, unread/total, and the feed's state.
func (p *FeedsPane) View() string {
	st := p.sh.styles
	body := []string{""}
	switch {
	case p.err != nil:
		body = append(body, st.Error.Render(" "+sanitize.Text(p.err.Error(), false)))
	case p.loading && len(p.rows) == 0:
		body = append(body, st.Muted.Render(" loading…"))
	}
	nameW := 0
	for _, r := range p.rows {
		w := ansi.StringWidth(r.label)
		if r.indent {
			w += 2 // indented under its heading
		}
		nameW = max(nameW, w)
	}
	nameW = min(nameW, max(10, p.width/2))
	countW := 0
	for _, r := range p.rows {
		countW = max(countW, len(strconv.Itoa(r.unread)+"/"+strconv.Itoa(r.total)))
	}
	now := p.sh.now()
	for i, r := range p.rows {
		if r.heading != "" {
			body = append(body, " "+st.PaneTitle.Render(r.heading))
			continue
		}
		bar := "  "
		if i == p.sel {
			bar = st.Selected.Render("▌ ")
		}
		indent := ""
		if r.indent {
			indent = "  "
		}
		name := clip(r.label, nameW-len(indent))
		counts := strconv.Itoa(r.unread) + "/" + strconv.Itoa(r.total)
		counts = strings.Repeat(" ", countW-len(counts)) + counts
		line := bar + indent + name + strings.Repeat(" ", max(0, nameW-len(indent)-ansi.StringWidth(name))) + "  " + counts
		if r.unread > 0 {
			line = bar + indent + st.Title.Render(name) + strings.Repeat(" ", max(0, nameW-len(indent)-ansi.StringWidth(name))) + "  " + st.Unread.Render(counts)
		}
		if f := r.feed; f != nil {
			state := "never updated"
			switch {
			case f.LastError != "":
				state = st.Error.Render("✗ " + shortErr(storedError(*f)))
			case !f.LastOK.IsZero():
				s := "updated " + textfmt.Age(now, f.LastOK)
				if f.Note != "" {
					s += " · " + f.Note // "kept the newest 5000 of 200000 items"
				}
				state = st.Muted.Render(s)
			}
			line += "  " + state
		}
		body = append(body, line)
	}
	sel := -1
	if p.sel < len(p.rows) {
		sel = p.sel + 1
	}
	return p.frameAt(body, sel)
}
