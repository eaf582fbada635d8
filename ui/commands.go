package ui

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/steppe-news/steppe/feeds"
	"github.com/steppe-news/steppe/rates"
)

// This file holds every Cmd the root model issues. Each one derives its
// context from Options.Context with a timeout, so quitting cancels them.

// sleep waits d, then returns msg; it returns nil if the program ends first.
func (m *Model) sleep(d time.Duration, msg tea.Msg) tea.Cmd {
	if m.after != nil {
		return m.after(d, msg)
	}
	ctx := m.ctx
	return func() tea.Msg {
		if d <= 0 {
			return msg
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			return msg
		}
	}
}

func (m *Model) clockTick() tea.Cmd {
	m.clockVer++
	return m.sleep(time.Minute, clockTickMsg{version: m.clockVer})
}

func (m *Model) loadQuotes() tea.Cmd {
	if m.opt.Quotes == nil {
		return nil
	}
	ctx, get, d := m.ctx, m.opt.Quotes, m.opt.StoreTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		q, err := get(ctx)
		return quotesMsg{quotes: sanitizeQuotes(q), err: err}
	}
}

// loadSeries loads the history of every pair in the ticker for the rates pane.
func (m *Model) loadSeries() tea.Cmd {
	if m.opt.Series == nil {
		return nil
	}
	codes := make([]string, 0, len(m.ticker.quotes))
	for _, q := range m.ticker.quotes {
		codes = append(codes, q.Code)
	}
	ctx, get, d, since := m.ctx, m.opt.Series, m.opt.StoreTimeout, m.opt.Now().AddDate(0, 0, -sparkDays)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		out := make(map[string][]rates.Point, len(codes))
		for _, c := range codes {
			pts, err := get(ctx, c, since)
			if err != nil {
				return seriesMsg{series: out, err: err}
			}
			out[c] = pts
		}
		return seriesMsg{series: out}
	}
}

func (m *Model) loadFeeds() tea.Cmd {
	if m.opt.Articles == nil {
		return nil
	}
	ctx, st, d := m.ctx, m.opt.Articles, m.opt.StoreTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		fs, err := st.Feeds(ctx)
		return feedsMsg{feeds: fs, err: err}
	}
}

// loadPage loads a page of the current view (plain list or search).
func (m *Model) loadPage(page int, keepID string, selIdx int, open bool) tea.Cmd {
	return m.fetchPage(m.list.Query(), page, keepID, selIdx, open)
}

// loadQuery switches to a search (or back to the plain list with "").
func (m *Model) loadQuery(q string, page int, keepID string, selIdx int) tea.Cmd {
	return m.fetchPage(q, page, keepID, selIdx, false)
}

// fetchPage loads a page; when keepID is not on it (new articles pushed it
// down), Rank finds the page it moved to.
func (m *Model) fetchPage(query string, page int, keepID string, selIdx int, open bool) tea.Cmd {
	if m.opt.Articles == nil || m.pageSize <= 0 {
		return nil
	}
	m.pageSeq++
	seq, size, st, ctx, d := m.pageSeq, m.pageSize, m.opt.Articles, m.ctx, m.opt.StoreTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		var p feeds.Page
		var err error
		if query != "" {
			p, err = st.Search(ctx, query, page, size)
		} else {
			p, err = st.Page(ctx, page, size)
		}
		if err == nil && keepID != "" && query == "" && !hasID(p, keepID) {
			if rank, rerr := st.Rank(ctx, keepID); rerr == nil && rank >= 0 {
				if p2, perr := st.Page(ctx, rank/size+1, size); perr == nil {
					p = p2
				}
			}
		}
		if err == nil {
			p.Query = query
			if p.Size == 0 {
				p.Size = size
			}
		}
		return pageMsg{seq: seq, page: sanitizePage(p), err: err, keepID: keepID, selIdx: selIdx, open: open}
	}
}

func hasID(p feeds.Page, id string) bool {
	for _, a := range p.Items {
		if a.ID == id {
			return true
		}
	}
	return false
}

// loadArticle fetches the full article and renders it for the reader.
func (m *Model) loadArticle(seq int, fallback feeds.Article) tea.Cmd {
	st, ctx, d, style, w := m.opt.Articles, m.ctx, m.opt.StoreTimeout, m.opt.GlamourStyle, m.reader.BodyWidth()
	m.reader.renderW = w
	return func() tea.Msg {
		a := fallback
		var err error
		if st != nil {
			ctx, cancel := context.WithTimeout(ctx, d)
			full, ferr := st.Article(ctx, fallback.ID)
			cancel()
			if ferr == nil {
				a = sanitizeArticle(full)
			} else {
				err = ferr
			}
		}
		msg := articleMsg{seq: seq, article: a, width: w, rendered: renderMarkdown(body(a), w, glamourStyle(style))}
		if err != nil && a.Content == "" && a.Summary == "" {
			msg.err = err
		}
		return msg
	}
}

// body is what the reader renders: the content, else the summary.
func body(a feeds.Article) string {
	if strings.TrimSpace(a.Content) != "" {
		return a.Content
	}
	return a.Summary
}

func (m *Model) markRead(id string) tea.Cmd {
	if m.opt.Articles == nil {
		return nil
	}
	st, ctx, d := m.opt.Articles, m.ctx, m.opt.StoreTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return markedReadMsg{id: id, err: st.MarkRead(ctx, id)}
	}
}

// errRefused is the answer to a link that is not plain http(s).
var errRefused = errors.New("refusing to open a link that is not http(s)")

// safeURL accepts only absolute http/https URLs with a host, no leading '-'
// (it could be taken for an option by the opener) and no spaces or controls.
func safeURL(link string) (string, error) {
	if link == "" {
		return "", errors.New("no link")
	}
	if strings.HasPrefix(link, "-") || sanitize(link, false) != link || strings.ContainsAny(link, " \\") {
		return "", errRefused
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil {
		return "", errRefused
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", errRefused
	}
	return u.String(), nil
}

// openLink opens a link in the browser through Options.OpenURL, in a Cmd.
func (m *Model) openLink(link string) tea.Cmd {
	u, err := safeURL(link)
	if err != nil {
		m.status.Flash(err.Error())
		return nil
	}
	if m.opt.OpenURL == nil {
		m.status.Flash("no browser configured")
		return nil
	}
	open := m.opt.OpenURL
	return func() tea.Msg { return openedMsg{err: open(u)} }
}

// --- refresh loops -------------------------------------------------------

func feedKey(id int64) string { return "feed:" + strconv.FormatInt(id, 10) }

func (m *Model) onFeeds(msg feedsMsg) tea.Cmd {
	if msg.err != nil {
		m.status.Flash("feeds: " + msg.err.Error())
		return nil
	}
	m.status.feedsKnown = true
	now := m.opt.Now()
	var cmds []tea.Cmd
	for _, f := range msg.feeds {
		iv := f.Refresh
		if iv <= 0 {
			iv = m.opt.FeedInterval
		}
		src := m.status.Add(&source{key: feedKey(f.ID), name: sanitize(f.Name, false), feed: f, interval: iv})
		src.lastOK = f.LastOK
		if f.LastError != "" {
			src.fullErr = sanitize(f.LastError, false)
			src.lastErr = shortErr(src.fullErr)
		}
		if m.opt.RefreshFeed == nil || src.inFlight {
			continue
		}
		delay := time.Duration(0)
		if !f.LastFetch.IsZero() {
			delay = f.LastFetch.Add(iv).Sub(now)
		}
		if f.NextFetch.After(now.Add(delay)) {
			delay = f.NextFetch.Sub(now)
		}
		src.version++
		cmds = append(cmds, m.sleep(delay, sourceDueMsg{key: src.key, version: src.version}))
	}
	return tea.Batch(cmds...)
}

func (m *Model) onDue(msg sourceDueMsg) tea.Cmd {
	src := m.status.Source(msg.key)
	if src == nil || msg.version != src.version || src.inFlight {
		return nil // a superseded timer
	}
	return m.startFetch(src)
}

// startFetch runs one refresh of a source in a Cmd with FetchTimeout.
func (m *Model) startFetch(src *source) tea.Cmd {
	ctx, d, v, key := m.ctx, m.opt.FetchTimeout, src.version, src.key
	var run tea.Cmd
	switch {
	case key == ratesKey && m.opt.RefreshRates != nil:
		refresh, quotes, sd := m.opt.RefreshRates, m.opt.Quotes, m.opt.StoreTimeout
		run = func() tea.Msg {
			c, cancel := context.WithTimeout(ctx, d)
			rep, err := refresh(c)
			cancel()
			msg := ratesResultMsg{version: v, report: rep, err: err, quotes: rep.Quotes}
			if quotes != nil {
				c, cancel := context.WithTimeout(ctx, sd)
				if q, qerr := quotes(c); qerr == nil && len(q) > 0 {
					msg.quotes = q
				}
				cancel()
			}
			msg.quotes = sanitizeQuotes(msg.quotes)
			return msg
		}
	case key != ratesKey && m.opt.RefreshFeed != nil:
		refresh, f := m.opt.RefreshFeed, src.feed
		run = func() tea.Msg {
			c, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return feedResultMsg{key: key, version: v, result: refresh(c, f)}
		}
	default:
		return nil
	}
	src.inFlight = true
	return tea.Batch(run, m.status.StartSpinner())
}

// refreshAll refreshes every source now; `r` bumps versions so the pending
// timers die and exactly one loop per source survives.
func (m *Model) refreshAll() tea.Cmd {
	if m.opt.Offline {
		m.status.Flash("offline: nothing to refresh")
		return nil
	}
	var cmds []tea.Cmd
	for _, src := range m.status.sources {
		if src.inFlight {
			continue // its result reschedules
		}
		src.version++
		cmds = append(cmds, m.startFetch(src))
	}
	return tea.Batch(cmds...)
}

func (m *Model) setErr(src *source, err error) {
	if err == nil {
		src.lastErr, src.fullErr = "", ""
		return
	}
	src.fullErr = sanitize(err.Error(), false)
	src.lastErr = shortErr(src.fullErr)
}

func (m *Model) onFeedResult(msg feedResultMsg) tea.Cmd {
	src := m.status.Source(msg.key)
	if src == nil {
		return nil
	}
	res := msg.result
	src.inFlight = false
	if res.Feed.ID != 0 {
		src.feed = res.Feed
		if n := sanitize(res.Feed.Name, false); n != "" {
			src.name = n
		}
	}
	m.setErr(src, res.Err)
	if res.Err == nil {
		src.lastOK = m.opt.Now()
		switch {
		case res.Skipped:
			src.note = "skipped (Retry-After)"
		case res.NotModified:
			src.note = "not modified"
		default:
			src.note = strconv.Itoa(res.New) + " new"
		}
	}
	var cmds []tea.Cmd
	if msg.version == src.version {
		delay := src.interval
		if nf := res.Feed.NextFetch; !nf.IsZero() {
			delay = max(delay, nf.Sub(m.opt.Now()))
		}
		cmds = append(cmds, m.sleep(delay, sourceDueMsg{key: src.key, version: src.version}))
	}
	if res.Err == nil && res.New > 0 {
		cmds = append(cmds, m.reloadKeeping())
	}
	return tea.Batch(cmds...)
}

func (m *Model) onRatesResult(msg ratesResultMsg) tea.Cmd {
	src := m.status.Source(ratesKey)
	if src == nil {
		return nil
	}
	src.inFlight = false
	err := msg.err
	if err == nil && len(msg.report.Quotes) == 0 && len(msg.report.Errors) > 0 {
		err = errors.New(msg.report.ErrorsText())
	}
	m.setErr(src, err)
	if err == nil {
		src.lastOK = m.opt.Now()
		src.note = ""
		if len(msg.report.Missing) > 0 {
			src.note = "missing " + sanitize(strings.Join(msg.report.Missing, ", "), false)
		}
		src.detail = ""
		if errs := msg.report.ErrorsText(); errs != "" {
			src.detail = "sources that failed (others answered): " + sanitize(errs, false)
		}
		for _, rj := range msg.report.Rejected {
			src.detail = strings.TrimSpace(src.detail + " rejected: " + sanitize(rj.Reason, false) + ".")
		}
	}
	var cmds []tea.Cmd
	if msg.version == src.version {
		cmds = append(cmds, m.sleep(src.interval, sourceDueMsg{key: ratesKey, version: src.version}))
	}
	if len(msg.quotes) > 0 {
		cmds = append(cmds, m.setQuotes(msg.quotes))
	}
	return tea.Batch(cmds...)
}

// reloadKeeping reloads the page on screen, keeping the selection by id.
func (m *Model) reloadKeeping() tea.Cmd {
	return m.loadPage(max(1, m.list.Page().Page), m.list.SelectedID(), m.list.Index(), false)
}

// --- sanitising, once, when data arrives --------------------------------

func sanitizeArticle(a feeds.Article) feeds.Article {
	a.ID = sanitize(a.ID, false)
	a.FeedName = sanitize(a.FeedName, false)
	a.Title = sanitize(a.Title, false)
	if sanitize(a.Link, false) != a.Link {
		a.Link = "" // a link with controls in it is not a link
	}
	a.Author = sanitize(a.Author, false)
	a.Summary = sanitize(a.Summary, false)
	a.Content = sanitize(a.Content, true)
	return a
}

func sanitizePage(p feeds.Page) feeds.Page {
	items := make([]feeds.Article, len(p.Items))
	for i, a := range p.Items {
		items[i] = sanitizeArticle(a)
	}
	p.Items = items
	p.Query = sanitize(p.Query, false)
	return p
}

func sanitizeQuotes(q []rates.Quote) []rates.Quote {
	out := make([]rates.Quote, len(q))
	for i, x := range q {
		x.Code = sanitize(x.Code, false)
		x.Base = sanitize(x.Base, false)
		x.Source = sanitize(x.Source, false)
		out[i] = x
	}
	return out
}
