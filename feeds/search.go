package feeds

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// How a search is paged.
//
// Sorting the matches by date (and joining each to its read state to
// count the unread ones) costs a row lookup per match: 20 ms for 30,000
// matches at 100,000 articles. Reading the matches' seqs from the
// full-text index alone is several times cheaper, so a search with more
// than smallSearch matches reads them once into a bitmap (matchSet), and
// then:
//   - pages by walking the view it searches in (the same view without
//     the query: its own index, or articles_order for all feeds) from the
//     nearer end, in date order, keeping the entries in the set: the first
//     page walks about size*view/matches entries;
//   - counts: all feeds, the matches themselves; unread, the set against
//     the unread index, or nothing at all when every article (or none) is
//     unread; one feed, unread only or starred, the view's own index
//     against the set, or the join when the view is much larger than its
//     matches.
//
// A search with at most smallSearch matches sorts them (viewSQL's plain
// search plan). A variable: the tests set it to -1 to walk every search.
var smallSearch = 1000

// matchSet is the seqs a search matches, at most the view's snapshot.
type matchSet struct {
	list string   // the seqs, as group_concat gave them
	n    int      // members
	lo   int64    // the seq of bit 0
	bits []uint64 // bit i: seq lo+i
}

func (m *matchSet) has(seq int64) bool {
	i := seq - m.lo
	if i < 0 || i >= int64(len(m.bits))*64 {
		return false
	}
	return m.bits[i>>6]&(1<<(i&63)) != 0
}

// parseInts appends the integers of list (separated by anything that is
// not a digit or '-') to out: group_concat's output, parsed without the
// allocations of strings.Fields and strconv.
func parseInts(list string, out []int64) []int64 {
	var n int64
	neg, in := false, false
	for i := 0; i < len(list); i++ {
		c := list[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			in = true
		case c == '-' && !in:
			neg = true
		default:
			if in {
				if neg {
					n = -n
				}
				out = append(out, n)
			}
			n, neg, in = 0, false, false
		}
	}
	if in {
		if neg {
			n = -n
		}
		out = append(out, n)
	}
	return out
}

// intList runs a query whose one row is a group_concat of integers.
func (t stx) intList(query string, args ...any) ([]int64, error) {
	var list sql.NullString // the driver's string, not copied
	if err := t.queryRow(query, args...).Scan(&list); err != nil {
		return nil, err
	}
	return parseInts(list.String, make([]int64, 0, len(list.String)/4)), nil
}

// matches reads the seqs the view's search matches, at most its snapshot:
// one pass of the full-text index (in rowid order, FTS5's own), straight
// into the bitmap.
func (t stx) matches(q viewSQL) (*matchSet, error) {
	snap := q.v.Snapshot
	if snap <= 0 {
		snap = 1<<63 - 1
	}
	var list sql.NullString
	if err := t.queryRow(`SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH ? AND rowid <= ?`,
		q.match, snap).Scan(&list); err != nil {
		return nil, err
	}
	return newMatchSet(list.String)
}

// newMatchSet makes the set of the seqs in list (a group_concat), read
// as ascending (the first is the lowest, the last the highest) straight
// into the bitmap, else (slowMatches) in any order.
func newMatchSet(s string) (*matchSet, error) {
	m := &matchSet{list: s}
	if s == "" {
		return m, nil
	}
	first, last := s, s
	if i := strings.IndexByte(s, ','); i >= 0 {
		first = s[:i]
	}
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		last = s[i+1:]
	}
	lo, err1 := strconv.ParseInt(first, 10, 64)
	hi, err2 := strconv.ParseInt(last, 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("matches: %q...%q: %w", first, last, err)
	}
	if hi < lo {
		return slowMatches(s), nil
	}
	m.lo = lo
	m.bits = make([]uint64, (hi-lo)/64+1)
	var n int64
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ',' {
			n = n*10 + int64(s[i]-'0')
			continue
		}
		d := n - lo
		if d < 0 || d > hi-lo {
			return slowMatches(s), nil // not in rowid order after all
		}
		if m.bits[d>>6]&(1<<(d&63)) == 0 {
			m.n++
		}
		m.bits[d>>6] |= 1 << (d & 63)
		n = 0
	}
	return m, nil
}

// slowMatches is matches' set from a list in any order.
func slowMatches(list string) *matchSet {
	seqs := parseInts(list, nil)
	lo, hi := seqs[0], seqs[0]
	for _, s := range seqs {
		lo, hi = min(lo, s), max(hi, s)
	}
	m := &matchSet{list: list, lo: lo, bits: make([]uint64, (hi-lo)/64+1)}
	for _, s := range seqs {
		d := s - lo
		if m.bits[d>>6]&(1<<(d&63)) == 0 {
			m.n++
		}
		m.bits[d>>6] |= 1 << (d & 63)
	}
	return m
}

// base is the view a search searches in: q without its query and its
// snapshot (the match set holds only seqs up to the snapshot).
func (q viewSQL) base() viewSQL {
	v := q.v
	v.Query, v.Snapshot = "", 0
	return compileView(v)
}

// searchCounted is a search counted: its match set and counts, with the
// plan that pages it: rows (every match, newest first) when it has few
// matches or its view is much larger than them, else walk (with the base
// view's size).
type searchCounted struct {
	m             *matchSet
	b             viewSQL
	total, unread int
	walk          bool
	size          int
	rows          []arrival
}

// searchCount reads the search's matches and counts them in its view.
func (t stx) searchCount(q viewSQL) (searchCounted, error) {
	m, err := t.matches(q)
	if err != nil {
		return searchCounted{}, err
	}
	sc := searchCounted{m: m, b: q.base()}
	if m.n > smallSearch {
		if sc.total, sc.unread, sc.size, sc.walk, err = t.searchCounts(sc.b, m); err != nil || sc.walk {
			return sc, err
		}
	}
	if sc.rows, err = t.matchRows(sc.b, m); err != nil {
		return sc, err
	}
	sc.total, sc.unread = len(sc.rows), 0
	for _, r := range sc.rows {
		if r.unread {
			sc.unread++
		}
	}
	return sc, nil
}

// searchPageOf is pageOf for a search.
func (t stx) searchPageOf(q viewSQL, page int, p *Page) error {
	sc, err := t.searchCount(q)
	if err != nil {
		return err
	}
	var latest int64
	if err := t.queryRow(`SELECT coalesce(max(seq), 0) FROM articles`).Scan(&latest); err != nil {
		return err
	}
	p.Snapshot = q.v.Snapshot
	if p.Snapshot <= 0 {
		p.Snapshot = latest
	}
	p.Total, p.Unread = sc.total, sc.unread
	offset, count := p.place(page)
	if count == 0 {
		return nil
	}
	var seqs []int64
	if sc.walk {
		if seqs, err = t.walkMatches(sc.b, sc.m, sc.size, sc.total, offset, count); err != nil {
			return err
		}
	} else {
		for _, r := range sc.rows[offset : offset+count] {
			seqs = append(seqs, r.seq)
		}
	}
	keys, args := seqList(seqs)
	p.Items, err = t.pageRows(q.v.FeedID, keys, args...)
	return err
}

// matchRows returns the members of m in the base view b with their keys
// and read state, newest first: a lookup per match, then a sort.
func (t stx) matchRows(b viewSQL, m *matchSet) ([]arrival, error) {
	if m.n == 0 {
		return nil, nil
	}
	cond, args := b.filter("=")
	ns, err := t.intList(`SELECT group_concat(s.published || ' ' || s.seq || ' ' || (s.read = 0), ' ') FROM `+b.bySeq()+`
WHERE s.seq IN (SELECT value FROM json_each(?)) AND `+cond, append([]any{"[" + m.list + "]"}, args...)...)
	if err != nil {
		return nil, err
	}
	return decodeArrivals(ns, true), nil
}

// seqList is an IN list of seqs as SQL and arguments: a JSON array read by
// json_each, so that every page shares one statement.
func seqList(seqs []int64) (string, []any) {
	b := make([]byte, 0, 8*len(seqs)+2)
	b = append(b, '[')
	for i, s := range seqs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, s, 10)
	}
	b = append(b, ']')
	return `SELECT value FROM json_each(?)`, []any{string(b)}
}

// searchCounts counts the matches in the base view b and the unread ones
// among them, and returns the size of b. ok is false when the view is much
// larger than its matches: the plain plan (join and sort) is the cheaper
// one then.
func (t stx) searchCounts(b viewSQL, m *matchSet) (total, unread, viewTotal int, ok bool, err error) {
	var all, allUnread int
	tcol, _ := b.counterCols()
	err = t.queryRow(`SELECT st.total, coalesce(c0.unread, 0), coalesce(c.`+tcol+`, 0)
FROM article_stats st LEFT JOIN feed_counts c0 ON c0.feed_id = 0 LEFT JOIN feed_counts c ON c.feed_id = ?`, b.v.FeedID).
		Scan(&all, &allUnread, &viewTotal)
	if err != nil {
		return 0, 0, 0, false, err
	}
	if b.v.FeedID == 0 && !b.v.Starred {
		// Every article: the matches, and the unread ones from the
		// counters when every article or none is unread, else from the
		// unread index; unread only: the unread ones.
		switch {
		case allUnread >= all:
			unread = m.n
		case allUnread > 0:
			if unread, err = t.countUnread(m); err != nil {
				return 0, 0, 0, false, err
			}
		}
		if b.v.UnreadOnly {
			return unread, unread, allUnread, true, nil
		}
		return m.n, unread, all, true, nil
	}
	if viewTotal > 8*m.n {
		return 0, 0, 0, false, nil
	}
	// The view's own index, newest first, each seq negated when read.
	query, args := b.selectSQL("CASE s.read WHEN 0 THEN s.seq ELSE -s.seq END AS x", "", "")
	seqs, err := t.intList(`SELECT group_concat(x) FROM (`+query+`)`, args...)
	if err != nil {
		return 0, 0, 0, false, err
	}
	for _, s := range seqs {
		if s > 0 && m.has(s) {
			total++
			unread++
		} else if s < 0 && m.has(-s) {
			total++
		}
	}
	return total, unread, viewTotal, true, nil
}

// countUnread counts the unread members of m: the unread index walked
// (article_state_unread), each entry looked up in the set.
func (t stx) countUnread(m *matchSet) (int, error) {
	seqs, err := t.intList(`SELECT group_concat(seq) FROM article_state INDEXED BY article_state_unread WHERE read = 0`)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range seqs {
		if m.has(s) {
			n++
		}
	}
	return n, nil
}

// walkMatches returns the seqs of the matches at newest-first positions
// [offset, offset+count) of the base view b (viewSize articles, total
// matches in it): a walk of b's order from the nearer end, in batches
// sized by the matches' density, keeping the members of m.
func (t stx) walkMatches(b viewSQL, m *matchSet, viewSize, total, offset, count int) ([]int64, error) {
	order, skip := "DESC", offset
	if offset > total/2 {
		order, skip = "ASC", total-offset-count
	}
	var query string
	var args []any
	if b.anchored() {
		query = `SELECT seq FROM articles INDEXED BY articles_order ORDER BY published ` + order + `, seq ` + order
	} else {
		query, args = b.walkSQL("s.seq", order)
	}
	query = `SELECT group_concat(seq) FROM (` + query + ` LIMIT ? OFFSET ?)`
	need := skip + count
	batch := need*max(viewSize, 1)/max(total, 1) + need/4 + 64 // expected, and a margin
	var out []int64
	var buf []int64
	walked, seen := 0, 0
	for {
		var list []byte
		if err := t.queryRow(query, append(args, batch, walked)...).Scan(&list); err != nil {
			return nil, err
		}
		buf = parseInts(string(list), buf[:0])
		for _, s := range buf {
			if !m.has(s) {
				continue
			}
			if seen >= skip {
				out = append(out, s)
				if len(out) == count {
					return out, nil
				}
			}
			seen++
		}
		if len(buf) < batch {
			return out, nil // the end of the view
		}
		walked += len(buf)
		batch *= 2
	}
}

// searchRankIn is rankIn for a search: the matches newer than k and
// whether k is one, in one pass of the full-text index joined to the
// view's rows (a lookup per match: cheaper than walking the view to k,
// which reads several entries for each match).
func (t stx) searchRankIn(q viewSQL, k key) (rank int, in bool, err error) {
	snap := q.v.Snapshot
	if snap <= 0 {
		snap = 1<<63 - 1
	}
	b := q.base()
	cond, args := b.filter("=")
	// k and the matches newer: the row value bound costs less per row
	// than a sum of the comparison over every match.
	var n int
	err = t.queryRow(`SELECT count(*), coalesce(max(s.seq = ?2), 0)
FROM articles_fts m CROSS JOIN `+b.bySeq()+` ON s.seq = m.rowid
WHERE m.articles_fts MATCH ?3 AND m.rowid <= ?4 AND (s.published, s.seq) >= (?1, ?2) AND `+cond,
		append([]any{k.pub, k.seq, q.match, snap}, args...)...).Scan(&n, &in)
	if in {
		n--
	}
	return n, in, err
}
