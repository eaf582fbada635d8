package feeds

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/filter"
)

// A query feed is materialised (migration 12): the articles matched by
// the conjuncts of its filter that read only what an article keeps from
// its arrival (its static part; staticAttrs), less the ignored articles
// when the ignore rules are static too, are rows of rule_articles under
// the rule's id, in the feeds' order, with their read state; rule_counts
// holds their counts. The rest of the filter (its dynamic part: unread,
// starred, age) is applied in SQL on that indexed set when the feed is
// paged, and, when it reads only unread and age, over rule_articles' own
// columns (a covering walk).
//
// The rows are brought up to date in the transaction of every save
// (syncRules): the articles stored or changed since (rule_dirty, filled
// by triggers) are matched once, in SQL. Read state follows by trigger.
// A rule whose row was built for another set of rules (the hash differs:
// another config), or at another feeds' generation (a feed renamed or
// regrouped), is rebuilt whole, by the next save or RebuildRules; until
// then, and while rule_dirty holds a row another writer left, readers
// take the rules' plain path (rulePageOf), which is right but O(articles).

// matRule is a query feed's materialised part.
type matRule struct {
	hash    string
	static  *filter.Filter   // the conjuncts reading only what an article keeps
	dynamic []*filter.Filter // the other conjuncts, applied on the join
	// baked: the ignore rules are left out of rule_articles already
	// (they are static); else they are applied on the join.
	baked bool
	// unread: the dynamic part is `unread = "yes"` alone, so the counts
	// are rule_counts' unread.
	unread bool
}

// matSchema is ruleSchema for the dynamic conjuncts over rule_articles r
// (what is not static is state or age, which r's columns hold).
var matSchema = filter.Schema{
	Columns: map[string]string{
		"unread": "r.read = 0", "published": "r.published", "starred": "r.starred = 1",
	},
	PublishedUnit: time.Nanosecond,
}

// newMatRule splits q's filter; nil when no part of it is static.
func newMatRule(q *filter.Filter, ignore []*filter.Filter) *matRule {
	var st, dyn []*filter.Filter
	for _, c := range q.Conjuncts() {
		if staticRules([]*filter.Filter{c}) {
			st = append(st, c)
		} else {
			dyn = append(dyn, c)
		}
	}
	if len(st) == 0 {
		return nil
	}
	m := &matRule{static: filter.And(st...), dynamic: dyn, baked: staticRules(ignore)}
	m.unread = len(dyn) == 1 && dyn[0].String() == `unread = "yes"`
	h := sha256.New()
	h.Write([]byte("query\x00" + m.static.String()))
	if m.baked {
		for _, f := range ignore {
			h.Write([]byte("\x00ignore\x00" + f.String()))
		}
	}
	m.hash = hex.EncodeToString(h.Sum(nil))
	return m
}

// cond is the condition, over ruleFrom, of the articles m materialises.
func (m *matRule) cond(rs *ruleSet, now time.Time) (string, []any, error) {
	w, args, err := m.static.SQL(ruleSchema, now)
	if err != nil {
		return "", nil, err
	}
	w = "(" + w + ")"
	if m.baked && len(rs.ignore) > 0 {
		ors, a, err := ruleOr(rs.ignore, now)
		if err != nil {
			return "", nil, err
		}
		w += " AND NOT (" + ors + ")"
		args = append(args, a...)
	}
	return w, args, nil
}

// distinctMats are rs's materialised rules, each once.
func (rs *ruleSet) distinctMats() []*matRule {
	var out []*matRule
	seen := map[string]bool{}
	for _, name := range rs.names {
		if m := rs.mats[strings.ToLower(name)]; m != nil && !seen[m.hash] {
			seen[m.hash] = true
			out = append(out, m)
		}
	}
	return out
}

// syncRules brings the materialised rules up to date in tx: the dirty
// articles matched again, a rule built for other rules or another feeds'
// generation rebuilt, the rows of rules no longer set dropped. Without
// rules set (SetRules never called) it leaves everything for a store
// that has them.
//
// It works under a savepoint: when it fails, the stored matches are as
// they were (rule_dirty still lists the articles, so readers keep off
// them) and the error is s.rulesErr's, not the save's: a save never fails
// for the query feeds.
func (s *Store) syncRules(ctx context.Context, tx *sql.Tx) error {
	rs := s.rules.Load()
	if rs == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT rules`); err != nil {
		return err
	}
	err := s.syncRulesIn(ctx, tx, rs)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO rules`); rerr != nil {
			return rerr
		}
		s.rulesErr.Store(&err)
	} else {
		s.rulesErr.Store(nil)
	}
	_, rerr := tx.ExecContext(ctx, `RELEASE rules`)
	return rerr
}

// RulesError is the last error bringing the query feeds' stored matches
// up to date met (nil: none): their pages take the plain path meanwhile.
func (s *Store) RulesError() error {
	if p := s.rulesErr.Load(); p != nil {
		return *p
	}
	return nil
}

func (s *Store) syncRulesIn(ctx context.Context, tx *sql.Tx, rs *ruleSet) error {
	now := time.Now()
	var gen int64
	var dirty bool
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT n FROM feeds_generation), EXISTS (SELECT 1 FROM rule_dirty)`).
		Scan(&gen, &dirty); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	keep := map[string]bool{}
	for _, m := range rs.distinctMats() {
		keep[m.hash] = true
		cond, args, err := m.cond(rs, now)
		if err != nil {
			return err
		}
		var id, built int64
		err = tx.QueryRowContext(ctx, `SELECT id, gen FROM rule_counts WHERE hash = ?`, m.hash).Scan(&id, &built)
		fill := ""
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `INSERT INTO rule_counts (hash, gen) VALUES (?, ?) RETURNING id`, m.hash, gen).Scan(&id); err != nil {
				return fmt.Errorf("rules: %w", err)
			}
			fill = cond
		case err != nil:
			return fmt.Errorf("rules: %w", err)
		case built != gen:
			if _, err := tx.ExecContext(ctx, `DELETE FROM rule_articles WHERE rule = ?`, id); err != nil {
				return fmt.Errorf("rules: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE rule_counts SET gen = ?, total = 0, unread = 0 WHERE id = ?`, gen, id); err != nil {
				return fmt.Errorf("rules: %w", err)
			}
			fill = cond
		case dirty:
			if _, err := tx.ExecContext(ctx, `DELETE FROM rule_articles WHERE rule = ? AND seq IN (SELECT seq FROM rule_dirty)`, id); err != nil {
				return fmt.Errorf("rules: %w", err)
			}
			fill = "s.seq IN (SELECT seq FROM rule_dirty) AND " + cond
		}
		if fill != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO rule_articles (rule, published, seq, read, starred)
SELECT ?, s.published, s.seq, s.read, s.starred FROM `+ruleFrom+` WHERE `+fill, append([]any{id}, args...)...); err != nil {
				return fmt.Errorf("rules: %w", err)
			}
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, hash FROM rule_counts`)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	var drop []int64
	for rows.Next() {
		var id int64
		var hash string
		if err := rows.Scan(&id, &hash); err != nil {
			rows.Close()
			return fmt.Errorf("rules: %w", err)
		}
		if !keep[hash] {
			drop = append(drop, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	for _, id := range drop {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rule_articles WHERE rule = ?`, id); err != nil {
			return fmt.Errorf("rules: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rule_counts WHERE id = ?`, id); err != nil {
			return fmt.Errorf("rules: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM rule_dirty`); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	return nil
}

// RulesStale reports whether the stored matches of the query feeds are
// not those of the rules set (another config built them, a feed was
// renamed or regrouped since, or articles were stored by a writer that
// did not bring them up to date): until RebuildRules or the next save,
// query feeds are paged by the plain path.
func (s *Store) RulesStale(ctx context.Context) (bool, error) {
	rs := s.rules.Load()
	if rs == nil {
		return false, nil
	}
	stale := false
	err := s.readTx(ctx, func(t stx) error {
		var dirty bool
		if err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM rule_dirty)`).Scan(&dirty); err != nil {
			return err
		}
		if dirty {
			stale = true
			return nil
		}
		var n int
		mats := rs.distinctMats()
		for _, m := range mats {
			if _, _, _, ok, err := t.matFresh(m); err != nil {
				return err
			} else if !ok {
				stale = true
				return nil
			}
		}
		// Rows of rules no longer set are dropped by a rebuild too.
		if err := t.queryRow(`SELECT count(*) FROM rule_counts`).Scan(&n); err != nil {
			return err
		}
		stale = n != len(mats)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("feeds: rules: %w", err)
	}
	return stale, nil
}

// RebuildRules brings the stored matches of the query feeds up to date
// when RulesStale says they are not (a dashboard opened without a
// refresh calls it in the background): one write transaction, O(articles)
// in SQL when a rule must be rebuilt whole.
func (s *Store) RebuildRules(ctx context.Context) error {
	stale, err := s.RulesStale(ctx)
	if err != nil || !stale {
		return err
	}
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		if err := s.syncRulesIn(ctx, tx, s.rules.Load()); err != nil {
			s.rulesErr.Store(&err)
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("feeds: rebuilding the query feeds: %w", err)
	}
	return nil
}

// matFresh returns m's id and counts when its stored rows are those of
// the rules set and up to date.
func (t stx) matFresh(m *matRule) (id int64, total, unread int, ok bool, err error) {
	err = t.queryRow(`SELECT c.id, c.total, c.unread FROM rule_counts c
WHERE c.hash = ? AND c.gen = (SELECT n FROM feeds_generation) AND NOT EXISTS (SELECT 1 FROM rule_dirty)`, m.hash).
		Scan(&id, &total, &unread)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, false, nil
	}
	return id, total, unread, err == nil, err
}

// matView is a materialised query feed's view compiled to SQL over
// rule_articles r (joined to ruleFrom's tables when the ignore rules are
// not stored with it).
type matView struct {
	from  string
	where string
	args  []any
	// counted: the view's counts are the rule's counts (total, or unread
	// for both when unread), less the arrivals after a snapshot.
	counted, unread bool
}

// matViewOf compiles v for m (its rows under id); ok is false when v is
// not one the materialised rows answer (one feed's, a search).
func (s *Store) matViewOf(ctx context.Context, rs *ruleSet, m *matRule, id int64, v View, now time.Time) (mv matView, ok bool, err error) {
	if v.FeedID != 0 || v.Query != "" {
		return matView{}, false, nil
	}
	mv.where = "r.rule = ?"
	mv.args = []any{id}
	schema := matSchema
	switch {
	case !m.baked && len(rs.ignore) > 0:
		// The ignore rules read the article and its feed.
		schema = ruleSchema
		mv.from = "rule_articles r CROSS JOIN article_state s ON s.seq = r.seq JOIN articles a ON a.seq = r.seq JOIN feeds rf ON rf.id = a.feed_id"
	default:
		mv.from = "rule_articles r"
	}
	if v.UnreadOnly {
		mv.where += " AND r.read = 0"
	}
	if v.Starred {
		mv.where += " AND r.starred = 1"
	}
	if v.Snapshot > 0 {
		mv.where += " AND r.seq <= ?"
		mv.args = append(mv.args, v.Snapshot)
	}
	for _, d := range m.dynamic {
		w, a, err := d.SQL(schema, now)
		if err != nil {
			return matView{}, false, err
		}
		mv.where += " AND (" + w + ")"
		mv.args = append(mv.args, a...)
	}
	if !m.baked && len(rs.ignore) > 0 {
		w, a, err := s.ignoreCond(ctx, rs, now)
		if err != nil {
			return matView{}, false, err
		}
		mv.where += " AND (" + w + ")"
		mv.args = append(mv.args, a...)
	}
	mv.counted = m.baked && !v.Starred && (len(m.dynamic) == 0 || m.unread)
	mv.unread = m.unread || v.UnreadOnly
	return mv, true, nil
}

// matPageOf is PageOf for a query feed whose matches are stored and up to
// date; ok is false when they are not (or v is not one they answer), and
// the caller takes the plain path.
func (s *Store) matPageOf(ctx context.Context, v View, page, size int) (p Page, ok bool, err error) {
	rs := s.rules.Load()
	if rs == nil || s.plainRules {
		return Page{}, false, nil
	}
	m := rs.mats[strings.ToLower(v.QueryFeed)]
	if m == nil {
		return Page{}, false, nil
	}
	p = Page{Size: size, Query: v.Query}
	now := time.Now()
	err = s.readTx(ctx, func(t stx) error {
		id, total, unread, fresh, err := t.matFresh(m)
		if err != nil || !fresh {
			return err
		}
		mv, usable, err := s.matViewOf(ctx, rs, m, id, v, now)
		if err != nil || !usable {
			return err
		}
		ok = true
		latest, err := snapshot(t, v, &p)
		if err != nil {
			return err
		}
		if mv.counted {
			p.Total, p.Unread = total, unread
			if mv.unread {
				p.Total = unread
			}
			if v.Snapshot > 0 && v.Snapshot < latest {
				// The rule's rows stored after the snapshot (few: a
				// walk of rule_articles_seq from it).
				var n, u int
				if err := t.queryRow(`SELECT count(*), coalesce(sum(read = 0), 0) FROM rule_articles
WHERE seq > ? AND rule = ?`, v.Snapshot, id).Scan(&n, &u); err != nil {
					return err
				}
				if mv.unread {
					n = u
				}
				p.Total, p.Unread = p.Total-n, p.Unread-u
			}
		} else if err := t.queryRow(`SELECT count(*), coalesce(sum(r.read = 0), 0) FROM `+mv.from+` WHERE `+mv.where, mv.args...).
			Scan(&p.Total, &p.Unread); err != nil {
			return err
		}
		p.Pages = pageCount(p.Total, p.Size)
		p.Page = clampPage(page, p.Pages)
		if p.Total == 0 {
			return nil
		}
		keys := `SELECT r.seq FROM ` + mv.from + ` WHERE ` + mv.where +
			` ORDER BY r.published DESC, r.seq DESC LIMIT ? OFFSET ?`
		p.Items, err = t.pageRows(0, keys, append(mv.args, p.Size, (p.Page-1)*p.Size)...)
		return err
	})
	if err != nil {
		return Page{}, false, fmt.Errorf("feeds: page: %w", err)
	}
	if !ok {
		return Page{}, false, nil
	}
	return p, true, s.highlightPage(ctx, &p)
}

// matCount is a query feed's counts from its stored matches; ok is false
// when they are not up to date.
func (s *Store) matCount(t stx, rs *ruleSet, name string, now time.Time) (c QueryCount, ok bool, err error) {
	m := rs.mats[strings.ToLower(name)]
	if m == nil || s.plainRules {
		return QueryCount{}, false, nil
	}
	id, total, unread, fresh, err := t.matFresh(m)
	if err != nil || !fresh {
		return QueryCount{}, false, err
	}
	mv, usable, err := s.matViewOf(t.ctx, rs, m, id, View{QueryFeed: name}, now)
	if err != nil || !usable {
		return QueryCount{}, false, err
	}
	c.Name = name
	switch {
	case mv.counted && mv.unread:
		c.Total, c.Unread = unread, unread
	case mv.counted:
		c.Total, c.Unread = total, unread
	default:
		if err := t.queryRow(`SELECT count(*), coalesce(sum(r.read = 0), 0) FROM `+mv.from+` WHERE `+mv.where, mv.args...).
			Scan(&c.Total, &c.Unread); err != nil {
			return QueryCount{}, false, err
		}
	}
	return c, true, nil
}
