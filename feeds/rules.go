package feeds

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/steppe-news/steppe/internal/filter"
)

// Rules are the reader's rules the store applies, in newsboat's filter
// language: Ignore keeps the articles any of them matches out of every
// view, count and search (they stay stored: without the rule they are
// back); Queries are query feeds, views of the articles their filter
// matches (View.QueryFeed names one).
type Rules struct {
	Ignore    []*filter.Filter
	Highlight []*filter.Filter // the articles of a page they match have Highlight set
	Queries   []QueryFeed
}

// QueryFeed is a named query feed.
type QueryFeed struct {
	Name   string
	Filter *filter.Filter
}

// ErrIgnored is returned by Article for a stored article an ignore rule
// hides (it is in no view: without the rule it is back), and by SetRead
// and SetStarred when the change would leave it hidden (one that brings
// it back, as marking it unread may under a rule on read state, is made).
var ErrIgnored = errors.New("feeds: the article is hidden by an ignore rule")

// ignoredID reports whether an ignore rule hides the article with id.
func (s *Store) ignoredID(t stx, id string) (bool, error) {
	rs := s.rules.Load()
	if rs == nil || len(rs.ignore) == 0 {
		return false, nil
	}
	ors, args, err := ruleOr(rs.ignore, time.Now())
	if err != nil {
		return false, err
	}
	// seqOfID's ?1 comes first: the rules' parameters number from 2.
	var hit bool
	err = t.queryRow(`SELECT EXISTS (SELECT 1 FROM `+ruleFrom+` WHERE s.seq = `+seqOfID+` AND (`+ors+`))`,
		append([]any{id}, args...)...).Scan(&hit)
	return hit, err
}

// ErrNoQueryFeed is returned for a View whose QueryFeed the rules do not
// hold.
var ErrNoQueryFeed = errors.New("feeds: no such query feed")

// ruleSchema is where a rule finds each attribute: the article a, its
// state s, and rf, the feed the article was first stored from (the same
// in every view, so an article is ignored everywhere or nowhere).
// enclosure and enclosure_type have a value per row of
// article_enclosures (none: the value "").
var ruleSchema = filter.Schema{
	Columns: map[string]string{
		"title": "a.title", "link": "a.link", "author": "a.author", "content": "steppe_content(a.packed)",
		"feed": "rf.name", "feedurl": "rf.url", "group": "rf.grp",
		"unread": "s.read = 0", "starred": "s.starred = 1", "published": "a.published",
	},
	Lists: map[string]filter.List{
		"enclosure":      {From: "article_enclosures e", Where: "e.seq = a.seq", Value: "e.url"},
		"enclosure_type": {From: "article_enclosures e", Where: "e.seq = a.seq", Value: "e.type"},
	},
	PublishedUnit: time.Nanosecond,
}

// init registers the filter's SQL functions with the driver: the driver
// keeps them for the process, and a connection has the functions
// registered before it opened, so this must come before any sql.Open.
func init() {
	for _, f := range filter.SQLFunctions() {
		sqlite.MustRegisterDeterministicScalarFunction(f.Name, int32(f.NArgs),
			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) { return f.Func(args) })
	}
}

// ruleSet is the store's compiled rules.
type ruleSet struct {
	ignored   *ignoreCache // nil when an ignore rule reads state or age
	ignore    []*filter.Filter
	highlight []*filter.Filter
	queries   map[string]*filter.Filter // by lower-cased name
	names     []string                  // in the order given
	mats      map[string]*matPlan       // the materialised query feeds, by lower-cased name (rulemat.go)
	all       *matPlan                  // the all-feeds view from stored matches: static ignore rules only
	// How the stored matches are walked and counted (probeCost and
	// outsideFewer; the tests try the other ways).
	probeCost int
	outside   func(samples, inside int) bool
	byAnchors func(walk, ignored int) bool // anchorsFaster
}

// SetRules makes the store apply r from now on (nil or empty: none). Each
// rule must be expressible in SQL; an error names the one that is not.
func (s *Store) SetRules(r Rules) error {
	rs := &ruleSet{queries: map[string]*filter.Filter{}, mats: map[string]*matPlan{},
		probeCost: probeCost, outside: outsideFewer, byAnchors: anchorsFaster}
	now := time.Now()
	for _, f := range r.Ignore {
		if _, _, err := f.SQL(ruleSchema, now); err != nil {
			return fmt.Errorf("feeds: ignore rule %s: %w", f.Source(), err)
		}
		rs.ignore = append(rs.ignore, f)
	}
	for _, f := range r.Highlight {
		if _, _, err := f.SQL(ruleSchema, now); err != nil {
			return fmt.Errorf("feeds: highlight rule %s: %w", f.Source(), err)
		}
		rs.highlight = append(rs.highlight, f)
	}
	for _, q := range r.Queries {
		if _, _, err := q.Filter.SQL(ruleSchema, now); err != nil {
			return fmt.Errorf("feeds: query feed %q: %w", q.Name, err)
		}
		key := strings.ToLower(q.Name)
		if _, dup := rs.queries[key]; dup {
			return fmt.Errorf("feeds: query feed %q given twice", q.Name)
		}
		rs.queries[key] = q.Filter
		rs.names = append(rs.names, q.Name)
	}
	if len(rs.ignore) > 0 && staticRules(rs.ignore) {
		rs.ignored = &ignoreCache{}
	}
	for _, name := range rs.names {
		key := strings.ToLower(name)
		if p := newMatPlan(rs.queries[key], rs.ignore); p != nil {
			rs.mats[key] = p
		}
	}
	if rs.ignored != nil {
		rs.all = &matPlan{arms: []matArm{{m: newMatRule(nil, rs.ignore), kind: armAll}}, ignored: newIgnoredRule(rs.ignore)}
	}
	s.rules.Store(rs)
	return nil
}

// staticAttrs are the attributes an article keeps from its arrival on
// (its feed's name, URL and group change only with the feeds' generation).
var staticAttrs = map[string]bool{"title": true, "link": true, "author": true, "content": true,
	"feed": true, "feedurl": true, "group": true, "enclosure": true, "enclosure_type": true}

func staticRules(fs []*filter.Filter) bool {
	for _, f := range fs {
		for _, a := range f.Attributes() {
			if !staticAttrs[a] {
				return false
			}
		}
	}
	return true
}

// ignoreCache holds the seqs of the articles the ignore rules match, when
// every rule reads only what an article keeps from its arrival: each
// article is evaluated once, when first seen after it is stored, and all
// again when the feeds' generation changes (a feed renamed or regrouped).
// An article whose text a later fetch rewrites keeps its first verdict
// until then.
type ignoreCache struct {
	mu   sync.Mutex
	gen  int64   // the feeds' generation it was computed at
	upto int64   // every seq up to it is evaluated
	seqs []int64 // ascending
	json string  // seqs as a JSON array, for json_each
}

// ignoredUpTo brings the cache up to the stored articles and returns the
// ignored seqs as a JSON array, and the seq up to which they are complete.
func (s *Store) ignoredUpTo(ctx context.Context, rs *ruleSet, now time.Time) (string, int64, error) {
	c := rs.ignored
	c.mu.Lock()
	defer c.mu.Unlock()
	var latest, gen int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(seq), 0) FROM articles), (SELECT n FROM feeds_generation)`).
		Scan(&latest, &gen); err != nil {
		return "", 0, fmt.Errorf("ignore rules: %w", err)
	}
	if gen != c.gen {
		c.gen, c.upto, c.seqs, c.json = gen, 0, nil, "[]"
	}
	if latest > c.upto || c.json == "" {
		ors, args, err := ruleOr(rs.ignore, now)
		if err != nil {
			return "", 0, err
		}
		rows, err := s.db.QueryContext(ctx, `SELECT s.seq FROM `+ruleFrom+` WHERE s.seq > ? AND s.seq <= ? AND (`+ors+`) ORDER BY s.seq`,
			append([]any{c.upto, latest}, args...)...)
		if err != nil {
			return "", 0, fmt.Errorf("ignore rules: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				return "", 0, fmt.Errorf("ignore rules: %w", err)
			}
			c.seqs = append(c.seqs, seq)
		}
		if err := rows.Err(); err != nil {
			return "", 0, fmt.Errorf("ignore rules: %w", err)
		}
		b, err := json.Marshal(c.seqs)
		if err != nil {
			return "", 0, err
		}
		if c.seqs == nil {
			b = []byte("[]")
		}
		c.upto, c.json = latest, string(b)
	}
	return c.json, c.upto, nil
}

// ruleOr is the rules ORed, in SQL, with their arguments.
func ruleOr(fs []*filter.Filter, now time.Time) (string, []any, error) {
	var ors []string
	var args []any
	for _, f := range fs {
		w, a, err := f.SQL(ruleSchema, now)
		if err != nil {
			return "", nil, err
		}
		ors = append(ors, "("+w+")")
		args = append(args, a...)
	}
	return strings.Join(ors, " OR "), args, nil
}

// ignoreCond is the condition keeping ignored articles out, over ruleFrom:
// the cached seqs, and the rules themselves for articles stored since.
func (s *Store) ignoreCond(ctx context.Context, rs *ruleSet, now time.Time) (string, []any, error) {
	ors, args, err := ruleOr(rs.ignore, now)
	if err != nil || rs.ignored == nil {
		return "NOT (" + ors + ")", args, err
	}
	list, upto, err := s.ignoredUpTo(ctx, rs, now)
	if err != nil {
		return "", nil, err
	}
	return "s.seq NOT IN (SELECT value FROM json_each(?)) AND (s.seq <= ? OR NOT (" + ors + "))",
		append([]any{list, upto}, args...), nil
}

// QueryFeeds returns the names of the query feeds, in the order given.
func (s *Store) QueryFeeds() []string {
	rs := s.rules.Load()
	if rs == nil {
		return nil
	}
	return append([]string(nil), rs.names...)
}

// ruled reports whether v must be answered by the rules' path: some
// ignore rule is set, or v is a query feed.
func (s *Store) ruled(v View) bool {
	rs := s.rules.Load()
	return v.QueryFeed != "" || rs != nil && len(rs.ignore) > 0
}

// ruleFrom joins what a rule reads: the article's state s, the article a
// and the feed it was stored from rf.
const ruleFrom = `article_state s JOIN articles a ON a.seq = s.seq JOIN feeds rf ON rf.id = a.feed_id`

// ruleWhere is the condition of view v with the rules, over ruleFrom,
// with its arguments; nothing reports a view that holds no article (a
// search with no word).
func (s *Store) ruleWhere(ctx context.Context, v View, now time.Time) (where string, args []any, nothing bool, err error) {
	conds, args, nothing := viewConds(v)
	if nothing {
		return "", nil, true, nil
	}
	rs := s.rules.Load()
	if rs == nil {
		rs = &ruleSet{}
	}
	if v.QueryFeed != "" {
		f, ok := rs.queries[strings.ToLower(v.QueryFeed)]
		if !ok {
			return "", nil, false, fmt.Errorf("%w: %q", ErrNoQueryFeed, v.QueryFeed)
		}
		w, a, err := f.SQL(ruleSchema, now)
		if err != nil {
			return "", nil, false, err
		}
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	if len(rs.ignore) > 0 {
		w, a, err := s.ignoreCond(ctx, rs, now)
		if err != nil {
			return "", nil, false, err
		}
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	return strings.Join(conds, " AND "), args, false, nil
}

// viewConds are the conditions of v itself (no rules) over ruleFrom;
// nothing reports a search with no word.
func viewConds(v View) (conds []string, args []any, nothing bool) {
	conds = []string{"1"}
	if v.FeedID != 0 {
		conds = append(conds, "s.seq IN (SELECT seq FROM article_feeds WHERE feed_id = ?)")
		args = append(args, v.FeedID)
	}
	if v.UnreadOnly {
		conds = append(conds, "s.read = 0")
	}
	if v.Starred {
		conds = append(conds, "s.starred = 1")
	}
	if v.Snapshot > 0 {
		conds = append(conds, "s.seq <= ?")
		args = append(args, v.Snapshot)
	}
	if v.Query != "" {
		m, ok := ftsQuery(v.Query)
		if !ok {
			return nil, nil, true
		}
		conds = append(conds, "s.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
		args = append(args, m)
	}
	return conds, args, false
}

// cachedCounts counts a view of every article but the ignored ones when
// the ignore rules are cached: the view's own counters (as PageOf without
// rules has them) less its ignored articles, O(ignored). ok is false when
// the rules are not cached or v is a query feed.
func (s *Store) cachedCounts(t stx, v View, now time.Time) (total, unread int, ok bool, err error) {
	rs := s.rules.Load()
	if rs == nil || rs.ignored == nil || v.QueryFeed != "" {
		return 0, 0, false, nil
	}
	conds, cargs, nothing := viewConds(v)
	if nothing {
		return 0, 0, true, nil
	}
	vs, err := t.state(compileView(v))
	if err != nil {
		return 0, 0, false, err
	}
	list, upto, err := s.ignoredUpTo(t.ctx, rs, now)
	if err != nil {
		return 0, 0, false, err
	}
	ors, rargs, err := ruleOr(rs.ignore, now)
	if err != nil {
		return 0, 0, false, err
	}
	args := append(append([]any{list, upto}, rargs...), cargs...)
	var n, u int
	err = t.queryRow(`SELECT count(*), coalesce(sum(s.read = 0), 0) FROM (
	SELECT value AS seq FROM json_each(?)
	UNION SELECT s.seq FROM `+ruleFrom+` WHERE s.seq > ? AND (`+ors+`)) i
CROSS JOIN article_state s ON s.seq = i.seq JOIN articles a ON a.seq = s.seq JOIN feeds rf ON rf.id = a.feed_id
WHERE `+strings.Join(conds, " AND "), args...).Scan(&n, &u)
	if err != nil {
		return 0, 0, false, err
	}
	return vs.total - n, vs.unread - u, true, nil
}

// rulePageOf is PageOf for a ruled view: from the stored matches when
// they answer it (a query feed, or the all-feeds view under static ignore
// rules: matPageOf), else the view's articles newest first, counted and
// paged by SQL over the rules (O(articles) for the counts; the page walks
// the order index until it has its rows).
func (s *Store) rulePageOf(ctx context.Context, v View, page, size int) (Page, error) {
	if p, ok, err := s.matPageOf(ctx, v, page, size); err != nil || ok {
		return p, err
	}
	p := Page{Size: size, Query: v.Query}
	err := s.readTx(ctx, func(t stx) error {
		where, args, nothing, err := s.ruleWhere(ctx, v, time.Now())
		if err != nil {
			return err
		}
		if _, err := snapshot(t, v, &p); err != nil {
			return err
		}
		total, unread, cached, err := s.cachedCounts(t, v, time.Now())
		switch {
		case err != nil:
			return err
		case cached:
			p.Total, p.Unread = total, unread
		case !nothing:
			if err := t.queryRow(`SELECT count(*), coalesce(sum(s.read = 0), 0) FROM `+ruleFrom+` WHERE `+where, args...).
				Scan(&p.Total, &p.Unread); err != nil {
				return err
			}
		}
		p.Pages = pageCount(p.Total, p.Size)
		p.Page = clampPage(page, p.Pages)
		if p.Total == 0 {
			return nil
		}
		keys := `SELECT a.seq FROM articles a INDEXED BY articles_order JOIN article_state s ON s.seq = a.seq
JOIN feeds rf ON rf.id = a.feed_id WHERE ` + where + ` ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?`
		p.Items, err = t.pageRows(v.FeedID, keys, append(args, p.Size, (p.Page-1)*p.Size)...)
		return err
	})
	if err != nil {
		return Page{}, fmt.Errorf("feeds: page: %w", err)
	}
	return p, s.highlightPage(ctx, &p)
}

// ruleCount counts the articles of a ruled view matching extra (when not
// ""), with its arguments after the view's.
func (s *Store) ruleCount(t stx, v View, extra string, extraArgs ...any) (int, error) {
	where, args, nothing, err := s.ruleWhere(t.ctx, v, time.Now())
	if err != nil || nothing {
		return 0, err
	}
	if extra != "" {
		where += " AND " + extra
		args = append(args, extraArgs...)
	}
	var n int
	err = t.queryRow(`SELECT count(*) FROM `+ruleFrom+` WHERE `+where, args...).Scan(&n)
	return n, err
}

// ruleNewSince is NewSince for a ruled view (from the stored matches
// when they answer it, as are RankIn, MarkViewRead and NextUnread below).
func (s *Store) ruleNewSince(ctx context.Context, v View) (int, error) {
	if v.Snapshot <= 0 {
		return 0, nil
	}
	if n, ok, err := s.matNewSince(ctx, v); err != nil || ok {
		if err != nil {
			err = fmt.Errorf("feeds: new since: %w", err)
		}
		return n, err
	}
	snap := v.Snapshot
	v.Snapshot = 0
	var n int
	err := s.readTx(ctx, func(t stx) error {
		var err error
		n, err = s.ruleCount(t, v, "s.seq > ?", snap)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: new since: %w", err)
	}
	return n, nil
}

// ruleRankIn is RankIn for a ruled view.
func (s *Store) ruleRankIn(ctx context.Context, v View, id string) (int, error) {
	var rank, in int
	var err error
	if r, found, ok, merr := s.matRankIn(ctx, v, id); merr != nil || ok {
		rank, err = r, merr
		if found {
			in = 1
		}
	} else {
		err = s.readTx(ctx, func(t stx) error {
			k, err := t.articleKey(id)
			if err != nil {
				return err
			}
			if rank, err = s.ruleCount(t, v, "(s.published, s.seq) > (?, ?)", k.pub, k.seq); err != nil {
				return err
			}
			in, err = s.ruleCount(t, v, "s.seq = ?", k.seq)
			return err
		})
	}
	return rankResult(rank, in > 0, err)
}

// ruleMarkViewRead is MarkViewRead for a ruled view.
func (s *Store) ruleMarkViewRead(ctx context.Context, v View) (int, error) {
	if n, ok, err := s.matMarkViewRead(ctx, v); err != nil || ok {
		if err != nil {
			return 0, fmt.Errorf("feeds: mark view read: %w", err)
		}
		return n, nil
	}
	v.UnreadOnly = true
	where, args, nothing, err := s.ruleWhere(ctx, v, time.Now())
	if err != nil {
		return 0, fmt.Errorf("feeds: mark view read: %w", err)
	}
	if nothing {
		return 0, nil
	}
	return s.markViewRead(ctx, `UPDATE article_state SET read = 1 WHERE seq IN (SELECT s.seq FROM `+ruleFrom+` WHERE `+where+`)`, args)
}

// ruleNextUnread is NextUnread for a ruled view.
func (s *Store) ruleNextUnread(ctx context.Context, v View, fromID string, dir int) (Article, int, bool, error) {
	if a, rank, found, ok, err := s.matNextUnread(ctx, v, fromID, dir); err != nil || ok {
		if err != nil && !errors.Is(err, ErrNotFound) {
			err = fmt.Errorf("feeds: next unread: %w", err)
		}
		return a, rank, found, err
	}
	var a Article
	var rank int
	var ok bool
	err := s.readTx(ctx, func(t stx) error {
		u := v
		u.UnreadOnly = true
		where, args, nothing, err := s.ruleWhere(ctx, u, time.Now())
		if err != nil || nothing {
			return err
		}
		cmp, order := "<", "DESC"
		if dir < 0 {
			cmp, order = ">", "ASC"
		}
		if fromID != "" {
			k, err := t.articleKey(fromID)
			if err != nil {
				return err
			}
			where += " AND (s.published, s.seq) " + cmp + " (?, ?)"
			args = append(args, k.pub, k.seq)
		}
		var k key
		err = t.queryRow(`SELECT s.published, s.seq FROM `+ruleFrom+` WHERE `+where+
			` ORDER BY s.published `+order+`, s.seq `+order+` LIMIT 1`, args...).Scan(&k.pub, &k.seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		from, fargs := fromFeed(v.FeedID, []any{k.seq})
		if a, err = scanArticle(t.queryRow(`SELECT `+articleCols+` `+from+` WHERE a.seq = ?`, fargs...)); err != nil {
			return err
		}
		if rank, err = s.ruleCount(t, v, "(s.published, s.seq) > (?, ?)", k.pub, k.seq); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("feeds: next unread: %w", err)
	}
	return a, rank, ok, err
}

// ignoredCounts returns, per feed (0: all feeds), the ignored articles'
// total, unread, starred and starred-unread counts, to take off the
// counters; nil when no ignore rule is set.
func (s *Store) ignoredCounts(ctx context.Context) (map[int64][4]int, error) {
	rs := s.rules.Load()
	if rs == nil || len(rs.ignore) == 0 {
		return nil, nil
	}
	now := time.Now()
	ors, args, err := ruleOr(rs.ignore, now)
	if err != nil {
		return nil, err
	}
	ign := `SELECT s.seq, s.read, s.starred FROM ` + ruleFrom + ` WHERE ` + ors
	if rs.ignored != nil {
		// The cached seqs, and the rules on the articles stored since.
		list, upto, err := s.ignoredUpTo(ctx, rs, now)
		if err != nil {
			return nil, err
		}
		ign = `SELECT s.seq, s.read, s.starred FROM json_each(?) j CROSS JOIN article_state s ON s.seq = j.value
UNION ALL SELECT s.seq, s.read, s.starred FROM ` + ruleFrom + ` WHERE s.seq > ? AND (` + ors + `)`
		args = append([]any{list, upto}, args...)
	}
	rows, err := stx{ctx: ctx, s: s}.query(`WITH ign AS (`+ign+`)
SELECT 0, count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0), coalesce(sum(starred AND read = 0), 0) FROM ign
UNION ALL
SELECT af.feed_id, count(*), coalesce(sum(ign.read = 0), 0), 0, 0 FROM ign JOIN article_feeds af ON af.seq = ign.seq GROUP BY af.feed_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("feeds: ignored counts: %w", err)
	}
	defer rows.Close()
	out := map[int64][4]int{}
	for rows.Next() {
		var id int64
		var c [4]int
		if err := rows.Scan(&id, &c[0], &c[1], &c[2], &c[3]); err != nil {
			return nil, fmt.Errorf("feeds: ignored counts: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// QueryCount is a query feed with its unread and total article counts.
type QueryCount struct {
	Name          string
	Unread, Total int
}

// QueryCounts returns every query feed with its counts (ignored articles
// left out), in the order of the rules: from their stored matches when
// those are up to date (most from rule_counts alone, see rulemat.go),
// else each by a pass over the articles its filter cannot rule out by
// index.
func (s *Store) QueryCounts(ctx context.Context) ([]QueryCount, error) {
	names := s.QueryFeeds()
	out := make([]QueryCount, 0, len(names))
	rs := s.rules.Load()
	err := s.readTx(ctx, func(t stx) error {
		for _, name := range names {
			if c, ok, err := s.matCount(t, rs, name, time.Now()); err != nil {
				return err
			} else if ok {
				out = append(out, c)
				continue
			}
			where, args, _, err := s.ruleWhere(ctx, View{QueryFeed: name}, time.Now())
			if err != nil {
				return err
			}
			c := QueryCount{Name: name}
			if err := t.queryRow(`SELECT count(*), coalesce(sum(s.read = 0), 0) FROM `+ruleFrom+` WHERE `+where, args...).
				Scan(&c.Total, &c.Unread); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: query counts: %w", err)
	}
	return out, nil
}

// highlightPage sets Highlight on the items of p a highlight rule
// matches: one query over the page's articles (a page, not the store).
func (s *Store) highlightPage(ctx context.Context, p *Page) error {
	rs := s.rules.Load()
	if rs == nil || len(rs.highlight) == 0 || len(p.Items) == 0 {
		return nil
	}
	now := time.Now()
	var ors []string
	var args []any
	for _, f := range rs.highlight {
		w, a, err := f.SQL(ruleSchema, now)
		if err != nil {
			return err
		}
		ors = append(ors, "("+w+")")
		args = append(args, a...)
	}
	ids := make([]string, len(p.Items))
	for i, a := range p.Items {
		ids[i] = "?"
		args = append(args, a.ID)
	}
	// A page's items carry their articles' own ids (a.id, articles' unique
	// index finds them).
	rows, err := s.db.QueryContext(ctx, `SELECT a.id FROM `+ruleFrom+`
WHERE (`+strings.Join(ors, " OR ")+`) AND a.id IN (`+strings.Join(ids, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("feeds: highlight: %w", err)
	}
	defer rows.Close()
	hit := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("feeds: highlight: %w", err)
		}
		hit[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feeds: highlight: %w", err)
	}
	for i := range p.Items {
		p.Items[i].Highlight = hit[p.Items[i].ID]
	}
	return nil
}

// snapshot reads the newest article's seq and fixes the page's snapshot at
// it unless the view brings its own; it returns the newest seq.
func snapshot(t stx, v View, p *Page) (int64, error) {
	var latest int64
	if err := t.queryRow(`SELECT coalesce(max(seq), 0) FROM articles`).Scan(&latest); err != nil {
		return 0, err
	}
	p.Snapshot = v.Snapshot
	if p.Snapshot <= 0 {
		p.Snapshot = latest
	}
	return latest, nil
}
