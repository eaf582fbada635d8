package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// View is what the list shows: a selection of the stored articles, newest
// first. The zero View is every article. The filters combine.
type View struct {
	FeedID     int64  // only the articles this feed carries; 0 = all feeds
	UnreadOnly bool   // only unread articles
	Starred    bool   // only starred articles
	Query      string // full-text search (any text, see PageOf); "" = none
	// Snapshot pins the view to the articles stored up to it (a
	// Page.Snapshot): articles stored later are left out of its pages,
	// counts and ranks, so arrivals never move what the user looks at, and
	// NewSince counts them. 0 = unpinned (everything stored).
	Snapshot int64
	// QueryFeed names a query feed (Store.SetRules): only the articles its
	// filter matches. "" = none.
	QueryFeed string
}

// ErrNotInView is returned by RankIn for an article that is stored but not
// in the view, together with the position it would take there.
var ErrNotInView = errors.New("feeds: article not in this view")

// defaultPageSize is the page size used when a caller passes size < 1.
const defaultPageSize = 20

// readOnly marks the transactions that only read: they begin DEFERRED even
// when the connection makes writing transactions begin IMMEDIATE, so reads
// never queue behind another process's write.
var readOnly = &sql.TxOptions{ReadOnly: true}

// articleFrom joins the tables that listCols and articleCols read: the
// article's feed is the one whose copy it shows. articleInFeed is
// articleFrom for one feed's view (its first argument): the article shows
// that feed's name.
const (
	articleFrom   = `FROM articles a JOIN article_state s ON s.seq = a.seq JOIN feeds f ON f.id = a.feed_id`
	articleInFeed = `FROM articles a JOIN article_state s ON s.seq = a.seq JOIN feeds f ON f.id = ?`
)

// seqOfID is the seq of the article with id ?1: its own id, or the id a
// feed carrying it has for it (articles_seen).
const seqOfID = `(SELECT seq FROM articles WHERE id = ?1
	UNION ALL SELECT seq FROM articles_seen WHERE id = ?1 AND seq IS NOT NULL LIMIT 1)`

// fromFeed returns articleFrom for a view of feed (0: all feeds) and
// args, the arguments of the query that follows it, with feed's.
func fromFeed(feed int64, args []any) (string, []any) {
	if feed == 0 {
		return articleFrom, args
	}
	return articleInFeed, append([]any{feed}, args...)
}

// viewSQL is a View compiled to SQL over the view's state table (alias
// s): article_state (one row per article) for the views of all feeds,
// article_feeds (one row per article and feed carrying it) for one feed's.
//
// How each kind of view is paged (n = articles in the view):
//   - all feeds: the anchors of articles_order (see updateAnchors): one
//     anchor lookup and a walk of fewer than anchorEvery+size index
//     entries, whatever the page; pinned, plus the arrivals since the
//     snapshot (a rowid range: few rows) to shift positions by.
//   - one feed, unread only, starred, and their combinations: a covering
//     walk of the view's own (partial) index from the nearer end (for one
//     feed, article_feeds' key or its partial indexes), so at most n/2
//     index entries, left open at its far end for a feed (walkSQL);
//     pinned, the same walk over count+arrivals entries, leaving the
//     arrivals out; counts come from feed_counts, less the arrivals.
//   - a search (search.go): its matches read once from the full-text
//     index into a bitmap; with more than smallSearch of them, the view
//     without the query walked from the nearer end keeping the matches,
//     counts from the bitmap (and the unread index); with fewer, each
//     match's row looked up and sorted.
type viewSQL struct {
	v     View
	match string // the FTS5 query when searching
	// table and index order the view: index is one of table's, or
	// pkIndex for article_feeds' own key; "" = anchors.
	table, index string
}

// pkIndex names article_feeds' primary key as a view's index.
const pkIndex = "PRIMARY KEY"

func compileView(v View) viewSQL {
	q := viewSQL{v: v, table: "article_state"}
	q.match, _ = ftsQuery(v.Query)
	if v.FeedID != 0 {
		q.table = "article_feeds"
		switch {
		case v.Starred:
			q.index = "article_feeds_starred"
		case v.UnreadOnly:
			q.index = "article_feeds_unread"
		default:
			q.index = pkIndex
		}
		return q
	}
	switch {
	case v.Starred:
		q.index = "article_state_starred"
	case v.UnreadOnly:
		q.index = "article_state_unread"
	}
	return q
}

// fromSQL is the view's table as s, walked by its index.
func (q viewSQL) fromSQL() string {
	if q.index == pkIndex {
		return q.table + " s NOT INDEXED" // a table WITHOUT ROWID: its key
	}
	return q.table + " s INDEXED BY " + q.index
}

// bySeq is the view's table as s, looked up by seq (article_state's rowid,
// article_feeds_seq).
func (q viewSQL) bySeq() string {
	if q.v.FeedID != 0 {
		return "article_feeds s INDEXED BY article_feeds_seq"
	}
	return "article_state s NOT INDEXED"
}

// filter returns the view's condition on article_state s, without the
// snapshot and the search, with its arguments. feedOp compares feed_id:
// "=", or "<=" / ">=" for an open walk (see walkSQL).
func (q viewSQL) filter(feedOp string) (string, []any) {
	conds := []string{"1"}
	var args []any
	if q.v.FeedID != 0 {
		conds = append(conds, "s.feed_id "+feedOp+" ?")
		args = append(args, q.v.FeedID)
	}
	if q.v.UnreadOnly {
		conds = append(conds, "s.read = 0")
	}
	if q.v.Starred {
		conds = append(conds, "s.starred = 1")
	}
	return strings.Join(conds, " AND "), args
}

// searching reports a view with a search; nothing reports one whose query
// holds no word, which matches nothing; anchored, the all-feeds view.
func (q viewSQL) searching() bool { return q.v.Query != "" }
func (q viewSQL) nothing() bool   { return q.searching() && q.match == "" }
func (q viewSQL) anchored() bool  { return !q.searching() && q.index == "" }

// unpinned is the view without its snapshot.
func (q viewSQL) unpinned() viewSQL {
	q.v.Snapshot = 0
	return q
}

// unread is the view restricted to unread articles.
func (q viewSQL) unread() viewSQL {
	v := q.v
	v.UnreadOnly = true
	return compileView(v)
}

// selectSQL returns a SELECT of cols (over article_state s, or
// article_feeds s for one feed: both have published, seq, read, starred) from the view's
// articles, and extra when not "", ordered by key in order ("DESC" newest
// first, "ASC", or "" unordered), with its arguments. It walks the view's
// own index (covering), or the full-text matches when searching. An
// anchored view has no index of its own: only its unread() form is walked.
func (q viewSQL) selectSQL(cols, extra, order string) (string, []any) {
	return q.selectFeed(cols, extra, order, "=")
}

// walkSQL is selectSQL for a walk with LIMIT and OFFSET inside the view
// (offset+limit at most its count). The walk of a feed's index is left
// open at its far end (feed_id <= f newest first, >= f oldest first): it
// ends inside the feed anyway, and checking the bound costs more per entry
// than the step itself.
func (q viewSQL) walkSQL(cols, order string) (string, []any) {
	if q.searching() || q.v.FeedID == 0 {
		return q.selectSQL(cols, "", order)
	}
	op := "<="
	if order == "ASC" {
		op = ">="
	}
	return q.selectFeed(cols, "", order, op)
}

// whereSQL returns the view's condition on article_state s, with the
// snapshot and extra, without the search.
func (q viewSQL) whereSQL(extra, feedOp string) (string, []any) {
	where, args := q.filter(feedOp)
	if q.v.Snapshot > 0 {
		where += " AND s.seq <= ?"
		args = append(args, q.v.Snapshot)
	}
	if extra != "" {
		where += " AND " + extra
	}
	return where, args
}

func (q viewSQL) selectFeed(cols, extra, order, feedOp string) (string, []any) {
	where, args := q.whereSQL(extra, feedOp)
	from := q.fromSQL()
	if q.searching() {
		from = "articles_fts m CROSS JOIN " + q.bySeq() + " ON s.seq = m.rowid"
		where = "m.articles_fts MATCH ? AND " + where
		args = append([]any{q.match}, args...)
	}
	query := "SELECT " + cols + " FROM " + from + " WHERE " + where
	switch {
	case order != "" && feedOp != "=":
		query += " ORDER BY s.feed_id " + order + ", s.published " + order + ", s.seq " + order
	case order != "":
		query += " ORDER BY s.published " + order + ", s.seq " + order
	}
	return query, args
}

// rowidSQL returns a SELECT of cols from the view's articles whose seq
// compares to seq by op (">": the arrivals since a snapshot, "=": one
// article), ignoring the snapshot: a rowid range, also for the full-text
// index.
func (q viewSQL) rowidSQL(cols, op string, seq int64) (string, []any) {
	cond, fargs := q.filter("=")
	args := append([]any{seq}, fargs...)
	if q.searching() {
		return "SELECT " + cols + " FROM articles_fts m CROSS JOIN " + q.bySeq() + " ON s.seq = m.rowid" +
			" WHERE m.articles_fts MATCH ? AND m.rowid " + op + " ? AND " + cond, append([]any{q.match}, args...)
	}
	return "SELECT " + cols + " FROM " + q.bySeq() + " WHERE s.seq " + op + " ? AND " + cond, args
}

// counterCols names the feed_counts columns holding the view's total and
// unread count.
func (q viewSQL) counterCols() (total, unread string) {
	switch {
	case q.v.Starred && q.v.UnreadOnly:
		return "starred_unread", "starred_unread"
	case q.v.Starred:
		return "starred", "starred_unread"
	case q.v.UnreadOnly:
		return "unread", "unread"
	}
	return "total", "unread"
}

// arrival is an article of a pinned view stored after its snapshot.
type arrival struct {
	key
	unread bool
}

// newerThan counts the arrivals (ascending) whose key is above k.
func newerThan(arr []arrival, k key) int {
	i, _ := slices.BinarySearchFunc(arr, k, func(a arrival, k key) int {
		if a.key.less(k) || a.key == k {
			return -1
		}
		return 1
	})
	return len(arr) - i
}

// olderThan counts the arrivals (ascending) whose key is below k.
func olderThan(arr []arrival, k key) int {
	i, _ := slices.BinarySearchFunc(arr, k, func(a arrival, k key) int {
		if a.key.less(k) {
			return -1
		}
		return 1
	})
	return i
}

// viewState is what a page needs besides its rows.
type viewState struct {
	total, unread int
	latest        int64     // the newest stored seq
	all           int       // article_stats.total: every article
	arr           []arrival // a pinned view's arrivals (not searching), oldest first
}

// state counts the view: from the counters less the arrivals of a pinned
// view, or from the matches of a search (search.go).
func (t stx) state(q viewSQL) (viewState, error) {
	var vs viewState
	if q.searching() {
		if err := t.queryRow(`SELECT coalesce(max(seq), 0) FROM articles`).Scan(&vs.latest); err != nil || q.nothing() {
			return vs, err
		}
		sc, err := t.searchCount(q)
		vs.total, vs.unread = sc.total, sc.unread
		return vs, err
	}
	tcol, ucol := q.counterCols()
	err := t.queryRow(`SELECT coalesce(c.`+tcol+`, 0), coalesce(c.`+ucol+`, 0), st.total,
	(SELECT coalesce(max(seq), 0) FROM articles)
FROM article_stats st LEFT JOIN feed_counts c ON c.feed_id = ?`, q.v.FeedID).Scan(&vs.total, &vs.unread, &vs.all, &vs.latest)
	if err != nil {
		return vs, err
	}
	if q.anchored() {
		vs.total = vs.all // the anchors count from article_stats; feed_counts row 0 agrees
	}
	if vs.arr, err = t.arrivals(q); err != nil {
		return vs, err
	}
	vs.total -= len(vs.arr)
	for _, a := range vs.arr {
		if a.unread {
			vs.unread--
		}
	}
	return vs, nil
}

// arrivals returns the view's articles stored after its snapshot, oldest
// first: a rowid range, cheap while they are few.
func (t stx) arrivals(q viewSQL) ([]arrival, error) {
	if q.v.Snapshot <= 0 || q.nothing() {
		return nil, nil
	}
	// In rowid order, sorted here: cheaper than SQLite's sorter.
	query, args := q.rowidSQL("group_concat(s.published || ' ' || s.seq || ' ' || (s.read = 0), ' ')", ">", q.v.Snapshot)
	ns, err := t.ints(query, args...)
	if err != nil {
		return nil, err
	}
	return decodeArrivals(ns, false), nil
}

// decodeArrivals reads the triples (published, seq, unread) of a
// group_concat into arrivals, oldest first, or newest first with desc.
func decodeArrivals(ns []int64, desc bool) []arrival {
	out := make([]arrival, len(ns)/3)
	for i := range out {
		out[i] = arrival{key{ns[3*i], ns[3*i+1]}, ns[3*i+2] != 0}
	}
	slices.SortFunc(out, func(a, b arrival) int {
		if a.key.less(b.key) != desc {
			return -1
		}
		return 1 // keys are unique (seq)
	})
	return out
}

// ints runs a query whose one row holds integers joined by spaces (a
// group_concat): one row costs less than many through database/sql, which
// matters for the thousands of arrivals a view pinned all day may have.
func (t stx) ints(query string, args ...any) ([]int64, error) {
	var list sql.NullString
	if err := t.queryRow(query, args...).Scan(&list); err != nil {
		return nil, err
	}
	fields := strings.Fields(list.String)
	out := make([]int64, len(fields))
	for i, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// pageRows reads the list rows of a view of feed (0: all feeds) whose
// seq the subquery keys selects, newest first.
func (t stx) pageRows(feed int64, keys string, args ...any) ([]Article, error) {
	from, args := fromFeed(feed, args)
	rows, err := t.query(`SELECT `+listCols+` `+from+`
WHERE a.seq IN (`+keys+`) ORDER BY a.published DESC, a.seq DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		a, err := scanArticleCols(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// walkRows reads the view's articles at newest-first positions
// [offset, offset+count), walking its index from the nearer end.
//
// A pinned view first walks the index as if unpinned to the entry at
// position offset (filtering every entry by seq would cost as much as the
// walk); the arrivals before that entry put the page's first article that
// many articles further, a short walk from there that leaves arrivals out.
func (t stx) walkRows(q viewSQL, vs viewState, offset, count int) ([]Article, error) {
	order, skip, cmp := "DESC", offset, "<="
	if offset > vs.total/2 {
		order, skip, cmp = "ASC", vs.total-offset-count, ">="
	}
	if len(vs.arr) == 0 {
		w := q // a search filters by seq: its full-text query costs more
		if !q.searching() {
			w = q.unpinned() // no arrivals: the same rows
		}
		query, args := w.walkSQL("s.seq", order)
		return t.pageRows(q.v.FeedID, query+" LIMIT ? OFFSET ?", append(args, count, skip)...)
	}
	query, args := q.unpinned().walkSQL("s.published, s.seq", order)
	var k key
	if err := t.queryRow(query+" LIMIT 1 OFFSET ?", append(args, skip)...).Scan(&k.pub, &k.seq); err != nil {
		return nil, err
	}
	ahead := newerThan(vs.arr, k)
	if order == "ASC" {
		ahead = olderThan(vs.arr, k)
	}
	query, args = q.selectSQL("s.seq", "(s.published, s.seq) "+cmp+" (?, ?)", order)
	return t.pageRows(q.v.FeedID, query+" LIMIT ? OFFSET ?", append(args, k.pub, k.seq, count, ahead)...)
}

// staleMark returns the anchors' stale mark (see markAnchors): the
// anchors at or above it may be out of date. noMark: none is.
func (t stx) staleMark() (key, error) {
	k := noMark
	err := t.queryRow(`SELECT published, seq FROM article_anchors WHERE n = -1`).Scan(&k.pub, &k.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return noMark, nil
	}
	return k, err
}

// anchorBelow finds the best anchor for the position lo (counted from the
// oldest) of the pinned view whose arrivals vs.arr holds: the highest at
// or below it, below the stale mark. It returns the anchor's position in
// the view and its key (no key and 0: walk from the oldest) and the stale
// mark.
func (t stx) anchorBelow(vs viewState, lo int) (pos int, from, mark key, err error) {
	mark, err = t.staleMark()
	if err != nil {
		return 0, key{}, key{}, err
	}
	// Newest first from the highest candidate: p(n) grows with n, so the
	// first at or below lo is the best.
	rows, err := t.query(`SELECT n, published, seq FROM article_anchors
WHERE n BETWEEN 0 AND ? AND (published, seq) < (?, ?) ORDER BY n DESC`, (lo+len(vs.arr))/anchorEvery, mark.pub, mark.seq)
	if err != nil {
		return 0, key{}, key{}, err
	}
	defer rows.Close()
	from = key{math.MinInt64, math.MinInt64} // none: from the oldest
	found := false
	for rows.Next() {
		var n int
		var k key
		if err := rows.Scan(&n, &k.pub, &k.seq); err != nil {
			return 0, key{}, key{}, err
		}
		if p := n*anchorEvery - olderThan(vs.arr, k); p <= lo {
			pos, from, found = p, k, true
			break
		}
	}
	if err := rows.Err(); err != nil {
		return 0, key{}, key{}, err
	}
	if !found && mark == noMark {
		return 0, key{}, key{}, fmt.Errorf("no anchor for position %d", lo)
	}
	return pos, from, mark, nil
}

// anchoredRows reads the all-feeds view's articles at newest-first
// positions [offset, offset+count). Positions count from the oldest: the
// anchor n holds the key of the article at position n*K of all the
// articles, so at n*K - olderThan(arrivals) of the pinned view; the best
// anchor is the highest at or below the target, at most len(arrivals)/K
// anchors above the plain one. Then a walk of the order index skips
// arrivals: fewer than K+count+len(arrivals) entries.
//
// Only the anchors below the stale mark are used: when the target lies
// above it (a refresh is storing, the anchors are rebuilt when it ends),
// the walk starts from the highest of them, or from the newest article
// when that is nearer.
func (t stx) anchoredRows(snapshot int64, vs viewState, offset, count int) ([]Article, error) {
	lo := vs.total - offset - count
	pos, from, mark, err := t.anchorBelow(vs, lo)
	if err != nil {
		return nil, err
	}
	seqCond := ""
	args := []any{}
	if snapshot > 0 {
		seqCond, args = ` AND seq <= ?`, []any{snapshot}
	}
	if mark != noMark && offset+len(vs.arr) < lo-pos {
		// Down from the newest: nearer than the last good anchor.
		return t.pageRows(0, `SELECT seq FROM articles INDEXED BY articles_order WHERE 1`+seqCond+`
ORDER BY published DESC, seq DESC LIMIT ? OFFSET ?`, append(args, count, offset)...)
	}
	return t.pageRows(0, `SELECT seq FROM articles INDEXED BY articles_order WHERE (published, seq) >= (?, ?)`+seqCond+`
ORDER BY published, seq LIMIT ? OFFSET ?`, append(append([]any{from.pub, from.seq}, args...), count, lo-pos)...)
}

func pageCount(total, size int) int {
	if total <= 0 {
		return 1
	}
	return (total + size - 1) / size
}

func clampPage(page, pages int) int {
	return max(1, min(page, pages))
}

// place sets p's Pages and Page (page clamped) from its Total and Size and
// returns where its items begin in the view, newest first, and how many
// there are: 0 for an empty view.
func (p *Page) place(page int) (offset, count int) {
	p.Pages = pageCount(p.Total, p.Size)
	p.Page = clampPage(page, p.Pages)
	if p.Total == 0 {
		return 0, 0
	}
	offset = (p.Page - 1) * p.Size
	return offset, min(p.Size, p.Total-offset)
}

// PageOf returns one page of the view, newest first (published, then the
// order of storing), with the view's total and unread count. page is
// clamped to [1, Pages]; size < 1 means 20. Items carry no Content.
//
// A Query is any text: every word is searched for as a prefix in title,
// summary and content, all words must match, and FTS5 operators are
// searched for as words.
//
// Cost at 100,000 articles: the all-feeds view does not depend on the
// page; the other views walk at most half of their own index; a search
// reads its matches from the full-text index once, then walks its view
// about size*view/matches entries for the first page (see viewSQL,
// search.go, BenchmarkViews and BenchmarkSearch).
func (s *Store) PageOf(ctx context.Context, v View, page, size int) (Page, error) {
	if size < 1 {
		size = defaultPageSize
	}
	if s.ruled(v) {
		p, err := s.rulePageOf(ctx, v, page, size) // rules.go
		if err != nil {
			return p, err
		}
		return p, s.pageEnclosures(ctx, &p)
	}
	p := Page{Size: size, Query: v.Query}
	err := s.readTx(ctx, func(t stx) error { return t.pageOf(compileView(v), page, &p) })
	if err != nil {
		return Page{}, fmt.Errorf("feeds: page: %w", err)
	}
	if err := s.highlightPage(ctx, &p); err != nil { // rules.go
		return p, err
	}
	return p, s.pageEnclosures(ctx, &p)
}

// readTx runs fn in one read transaction.
func (s *Store) readTx(ctx context.Context, fn func(stx) error) error {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(stx{ctx: ctx, s: s, tx: tx})
}

func (t stx) pageOf(q viewSQL, page int, p *Page) error {
	if q.searching() && !q.nothing() {
		return t.searchPageOf(q, page, p) // search.go
	}
	vs, err := t.state(q)
	if err != nil {
		return err
	}
	p.Total, p.Unread, p.Snapshot = vs.total, vs.unread, q.v.Snapshot
	if p.Snapshot <= 0 {
		p.Snapshot = vs.latest
	}
	offset, count := p.place(page)
	if count == 0 {
		return nil
	}
	if q.anchored() {
		p.Items, err = t.anchoredRows(q.v.Snapshot, vs, offset, count)
	} else {
		p.Items, err = t.walkRows(q, vs, offset, count)
	}
	return err
}

// Page returns one page of every article: PageOf the zero View.
func (s *Store) Page(ctx context.Context, page, size int) (Page, error) {
	return s.PageOf(ctx, View{}, page, size)
}

// Search returns one page of the articles matching query: PageOf a View
// holding only the query.
func (s *Store) Search(ctx context.Context, query string, page, size int) (Page, error) {
	return s.PageOf(ctx, View{Query: query}, page, size)
}

// NewSince returns how many articles of the view were stored after its
// snapshot (0 when it is not pinned): the "· 3 new" of the header.
func (s *Store) NewSince(ctx context.Context, v View) (int, error) {
	if s.ruled(v) {
		return s.ruleNewSince(ctx, v)
	}
	q := compileView(v)
	if v.Snapshot <= 0 || q.nothing() {
		return 0, nil
	}
	var n int
	err := s.readTx(ctx, func(t stx) error {
		query, args := q.rowidSQL("count(*)", ">", v.Snapshot)
		return t.queryRow(query, args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("feeds: new since: %w", err)
	}
	return n, nil
}

// ftsQuery turns user text into an FTS5 query that cannot be a syntax
// error. It understands FTS5's own operators and nothing else of its
// syntax: a plain word matches as a prefix (rail finds railway; a trailing
// * says the same), "a quoted phrase" matches those words in order (a *
// after the closing quote makes its last word a prefix), and OR, AND and
// NOT, in capitals, between two terms combine them (NOT binds tightest,
// then AND, then OR, as in FTS5; terms side by side are ANDed). Every term
// is written as a quoted string (quotes doubled), so parentheses, colons,
// carets and NEAR are only text; an operator word that does not stand
// between two terms (a leading NOT, a trailing OR, two in a row) is a plain
// word. ok is false when there is no term.
func ftsQuery(q string) (string, bool) {
	type tok struct {
		text string
		op   bool
	}
	var toks []tok
	s := strings.Join(strings.Fields(sanitize.Line(q)), " ")
	for s != "" {
		if s[0] == ' ' {
			s = s[1:]
			continue
		}
		if s[0] == '"' { // a phrase, to the next quote or the end
			body := s[1:]
			end := strings.IndexByte(body, '"')
			rest := ""
			if end >= 0 {
				body, rest = body[:end], body[end+1:]
			}
			star := strings.HasPrefix(rest, "*")
			rest = strings.TrimLeft(rest, "*")
			if words := strings.Fields(body); strings.ContainsFunc(body, isWordRune) {
				t := `"` + strings.Join(words, " ") + `"`
				if star {
					t += "*"
				}
				toks = append(toks, tok{text: t})
			}
			s = rest
			continue
		}
		end := strings.IndexAny(s, ` "`)
		if end < 0 {
			end = len(s)
		}
		w := s[:end]
		s = s[end:]
		switch {
		case w == "OR" || w == "AND" || w == "NOT":
			toks = append(toks, tok{text: w, op: true})
		case strings.ContainsFunc(w, isWordRune):
			toks = append(toks, tok{text: `"` + strings.TrimRight(w, "*") + `"*`})
		}
		// punctuation only: nothing the tokenizer would index
	}
	// An operator counts only between two terms; elsewhere it is a word.
	var parts []string
	for i, t := range toks {
		switch {
		case !t.op:
			parts = append(parts, t.text)
		case i > 0 && !toks[i-1].op && i+1 < len(toks) && !toks[i+1].op && len(parts) > 0:
			parts = append(parts, t.text)
		default:
			parts = append(parts, `"`+t.text+`"*`)
		}
	}
	return strings.Join(parts, " "), len(parts) > 0
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
}

// Article returns one stored article with its body, or ErrNotFound, or
// ErrIgnored for one an ignore rule hides.
func (s *Store) Article(ctx context.Context, id string) (Article, error) {
	a, err := scanArticle(stx{ctx: ctx, s: s}.queryRow(`SELECT `+articleCols+` `+articleFrom+` WHERE a.seq = `+seqOfID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, ErrNotFound
	}
	if err != nil {
		return Article{}, fmt.Errorf("feeds: article: %w", err)
	}
	if hidden, err := s.ignoredID(stx{ctx: ctx, s: s}, id); err != nil {
		return Article{}, fmt.Errorf("feeds: article: %w", err)
	} else if hidden {
		return Article{}, ErrIgnored
	}
	if a.FullText, err = s.FullTextOf(ctx, a.ID); err != nil && !errors.Is(err, ErrNotFound) {
		return Article{}, err
	}
	if a.hasEnclosures {
		m, err := stx{ctx: ctx, s: s}.enclosuresByID([]string{a.ID})
		if err != nil {
			return Article{}, fmt.Errorf("feeds: enclosures: %w", err)
		}
		a.Enclosures, a.hasEnclosures = m[a.ID], false
	}
	return a, nil
}

// articleKey returns the stored article's key, or ErrNotFound.
func (t stx) articleKey(id string) (key, error) {
	var k key
	err := t.queryRow(`SELECT published, seq FROM articles WHERE seq = `+seqOfID, id).Scan(&k.pub, &k.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	return k, err
}

// RankIn returns the 0-based position of the article in the view (page =
// rank/size + 1). An article stored but not in the view gets the position
// it would take and ErrNotInView; one not stored, ErrNotFound.
//
// The all-feeds view costs one anchor lookup and a walk of fewer than
// anchorEvery index entries (plus the arrivals when pinned); the others
// count their index from the nearer end (at most half of the view); a
// search reads its matches, then walks its view from the article to the
// nearer end (search.go).
func (s *Store) RankIn(ctx context.Context, v View, id string) (int, error) {
	if s.ruled(v) {
		return s.ruleRankIn(ctx, v, id)
	}
	var rank int
	var in bool
	err := s.readTx(ctx, func(t stx) error {
		k, err := t.articleKey(id)
		if err != nil {
			return err
		}
		rank, in, err = t.rankIn(compileView(v), k)
		return err
	})
	return rankResult(rank, in, err)
}

// rankResult is RankIn's answer from what it found: ErrNotFound as it is,
// another error in its words, ErrNotInView (with the rank the article
// would have) when it is not in the view.
func rankResult(rank int, in bool, err error) (int, error) {
	switch {
	case errors.Is(err, ErrNotFound):
		return 0, err
	case err != nil:
		return 0, fmt.Errorf("feeds: rank: %w", err)
	case !in:
		return rank, ErrNotInView
	}
	return rank, nil
}

// rankIn returns the number of the view's articles before key k (newest
// first) and whether k's article is in the view.
func (t stx) rankIn(q viewSQL, k key) (rank int, in bool, err error) {
	if q.nothing() {
		return 0, false, nil
	}
	if q.searching() {
		return t.searchRankIn(q, k) // search.go
	}
	query, args := q.rowidSQL("count(*)", "=", k.seq)
	if err := t.queryRow(query, args...).Scan(&in); err != nil {
		return 0, false, err
	}
	in = in && (q.v.Snapshot <= 0 || k.seq <= q.v.Snapshot)
	vs, err := t.state(q)
	if err != nil {
		return 0, false, err
	}
	asc, err := t.anchorPos(k, vs.all)
	if err != nil {
		return 0, false, err
	}
	if q.anchored() {
		// Newer than k: all of them less k itself, less the arrivals.
		return vs.all - 1 - asc - newerThan(vs.arr, k), in, nil
	}
	// Count the newer side, or the older one when it is smaller (judged
	// by k's place among all articles), on the unpinned index: a bound on
	// the key alone (plus its ties) is cheaper per entry than a row value
	// or a seq filter; the arrivals are taken off after.
	u := q.unpinned()
	cmp, tie := ">", "s.published = ? AND s.seq > ?"
	if asc < vs.all/2 {
		cmp, tie = "<", "s.published = ? AND s.seq < ?"
	}
	q1, a1 := u.selectSQL("count(*)", "s.published "+cmp+" ?", "")
	q2, a2 := u.selectSQL("count(*)", tie, "")
	args = append(append(a1, k.pub), append(a2, k.pub, k.seq)...)
	var n int
	if err := t.queryRow(`SELECT (`+q1+`) + (`+q2+`)`, args...).Scan(&n); err != nil {
		return 0, false, err
	}
	if cmp == ">" {
		return n - newerThan(vs.arr, k), in, nil
	}
	n -= olderThan(vs.arr, k)
	if in {
		return vs.total - 1 - n, in, nil
	}
	return vs.total - n, in, nil
}

// anchorPos returns the 0-based position of the stored key k among all
// (all) articles, oldest first: the nearest anchor at or below it, then the
// rows between them (fewer than anchorEvery). When k is at or above the
// anchors' stale mark, the nearest good anchor may be far below it: the
// rows above k are counted instead when they are fewer.
func (t stx) anchorPos(k key, all int) (int, error) {
	mark, err := t.staleMark()
	if err != nil {
		return 0, err
	}
	n, a := 0, key{math.MinInt64, math.MinInt64} // none: from the oldest
	err = t.queryRow(`SELECT n, published, seq FROM article_anchors
WHERE n >= 0 AND (published, seq) <= (?, ?) AND (published, seq) < (?, ?) ORDER BY n DESC LIMIT 1`,
		k.pub, k.seq, mark.pub, mark.seq).Scan(&n, &a.pub, &a.seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("anchor: %w", err)
	}
	if !k.less(mark) {
		// Count the rows above k, up to half of those above the anchor:
		// when there are fewer, k's place is what they leave.
		half := (all-n*anchorEvery)/2 + 1
		var above int
		if err := t.queryRow(`SELECT count(*) FROM (SELECT 1 FROM articles INDEXED BY articles_order
WHERE (published, seq) > (?, ?) LIMIT ?)`, k.pub, k.seq, half).Scan(&above); err != nil {
			return 0, err
		}
		if above < half {
			return all - 1 - above, nil
		}
	}
	var between int
	if err := t.queryRow(`SELECT count(*) FROM articles INDEXED BY articles_order
WHERE (published, seq) >= (?, ?) AND (published, seq) < (?, ?)`, a.pub, a.seq, k.pub, k.seq).Scan(&between); err != nil {
		return 0, err
	}
	return n*anchorEvery + between, nil
}

// Rank returns the 0-based position of the article among all articles,
// newest first, or ErrNotFound: RankIn the zero View.
func (s *Store) Rank(ctx context.Context, id string) (int, error) {
	return s.RankIn(ctx, View{}, id)
}

// Count returns the number of stored articles.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := (stx{ctx: ctx, s: s}).queryRow(`SELECT total FROM article_stats`).Scan(&n); err != nil {
		return 0, fmt.Errorf("feeds: count: %w", err)
	}
	return n, nil
}
