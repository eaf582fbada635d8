package ui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/internal/sanitize"
)

// Which articles the list shows: every feed, one feed, the starred ones,
// unread only or a search; switching between them, and remembering them.

// switchTo lists another view from its first page (or the page of keep),
// pinned afresh.
func (l *List) switchTo(v feeds.View, name string, keep ...string) tea.Cmd {
	l.view, l.viewName, l.pin, l.arrived = v, name, 0, 0
	req := loadReq{page: 1}
	if len(keep) > 0 {
		req.keepID = keep[0]
	}
	return l.load(req)
}

// show lists one feed, the starred articles, or everything (the feeds
// pane's choice, or back), and remembers it.
// Back in every feed, the headline selected when the list left it is
// selected again, on its page.
func (l *List) show(m viewMsg) tea.Cmd {
	v := feeds.View{FeedID: m.feedID, Starred: m.starred, QueryFeed: m.query, UnreadOnly: l.view.UnreadOnly}
	val := ""
	switch {
	case m.starred:
		val = "starred"
	case m.feedID != 0:
		val = strconv.FormatInt(m.feedID, 10)
	}
	var keep []string
	switch all := l.view.FeedID == 0 && !l.view.Starred && l.view.QueryFeed == ""; {
	case all && (m.feedID != 0 || m.starred || m.query != ""):
		l.allSel = l.SelectedID()
	case !all && m.feedID == 0 && !m.starred && m.query == "" && l.allSel != "":
		keep, l.allSel = []string{l.allSel}, ""
	}
	return tea.Batch(l.switchTo(v, m.name, keep...), l.remember("feed", val))
}

// apply takes the remembered view (before the first page loads).
func (l *List) apply(m settingsMsg) {
	l.ready = true
	l.compact = m.values["compact"] == "true"
	l.view.UnreadOnly = m.values["unread_only"] == "true"
	switch f := m.values["feed"]; {
	case f == "starred":
		l.view.Starred, l.viewName = true, "★ Starred"
	case f != "":
		// A feed removed since is forgotten (when the feeds are known
		// already; else knowFeeds finds it gone).
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && (l.feeds == nil || l.feedName(id) != "") {
			l.view.FeedID, l.viewName = id, l.feedName(id)
		}
	}
	if l.sized {
		l.size = l.pageSize()
	}
	l.layout()
}

// knowFeeds takes the stored feeds: the name of the feed viewed, and back to
// every feed when it was removed.
func (l *List) knowFeeds(fs []feeds.Feed) tea.Cmd {
	if fs == nil {
		return nil
	}
	l.feeds = fs
	if id := l.view.FeedID; id != 0 && l.ready {
		if l.viewName = l.feedName(id); l.viewName == "" {
			return l.show(viewMsg{}) // the feed is gone
		}
		l.touch()
	}
	return nil
}

// feedName is a stored feed's name, "" when it is not stored.
func (l *List) feedName(id int64) string {
	for _, f := range l.feeds {
		if f.ID == id {
			return sanitize.Text(f.Name, false)
		}
	}
	return ""
}

// remember keeps a setting for the next start.
func (l *List) remember(key, value string) tea.Cmd { return l.sh.io.remember(key, value) }

// viewLabel names the view before the count line: "Eurasianet, unread — ".
func (l *List) viewLabel() string {
	name := ""
	switch {
	case l.view.Starred:
		name = "★ Starred"
	case l.view.QueryFeed != "":
		name = l.viewName // "⌕ Money"; a query feed is not remembered
	case l.view.FeedID != 0:
		name = l.viewName
		if name == "" {
			name = "feed " + strconv.FormatInt(l.view.FeedID, 10)
		}
	}
	if l.view.UnreadOnly {
		if name == "" {
			name = "Unread"
		} else {
			name += ", unread"
		}
	}
	if name == "" {
		return ""
	}
	return name + " — "
}
