package feeds

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/steppe-news/steppe/internal/filter"
)

// A query feed is materialised (migration 12). Its filter is split
// (filter.Split) into parts, each the conjunction of a static rule, one
// reading only what an article keeps from its arrival (staticAttrs), and
// a dynamic condition on its read and starred state and its age, no two
// parts matching the same article: `unread = "no" or title =~ "x"` is
// {every article, unread = "no"} and {title =~ "x", unread = "yes"}. The
// articles each static rule matches, less the ignored articles when the
// ignore rules are static too, are rows of rule_articles under the rule's
// id, in the feeds' order, with their read state, starred and published;
// rule_counts holds their counts. A query feed is then paged by a walk of
// its parts' rows with their dynamic conditions on those columns (a
// covering walk of rule_articles' key, the parts merged in order), and
// counted from rule_counts when every part's condition reads only the
// read state. When the ignore rules are static, the all-feeds view is
// paged the same way, over the rows of the rule matching every article
// (the ignored left out), and the ignored articles are stored as a rule
// of their own, so that a rank in it (or in a query feed of every
// article, or every unread one) is the plain view's, by its anchors or
// index, less the ignored before it.
//
// A part restricted to unread or starred articles walks article_state's
// index of those (probing the rule's rows) when it holds fewer entries
// than the rule has rows; a part of age and read state holding most of
// its rule's rows is counted as the rows outside the age subtracted.
//
// The rows are brought up to date in the transaction of every save
// (syncRules): the articles stored or changed since (rule_dirty, filled
// by triggers) are matched once, in SQL. Read state follows by trigger.
// A rule whose row was built for another set of rules (the hash differs:
// another config), or at another feeds' generation (a feed renamed or
// regrouped), is rebuilt whole, by the next save or RebuildRules; until
// then, and while rule_dirty holds a row another writer left, readers
// take the rules' plain path (rulePageOf), which is right but O(articles).

// matRule is a static rule whose matches are stored.
type matRule struct {
	hash   string
	static *filter.Filter // nil: every article
	// baked: the ignore rules are left out of rule_articles already
	// (they are static); else they are applied on the join.
	baked bool
	// ignored: the rule is the ignore rules' (the articles they hide).
	ignored bool
}

// armKind says how a part's counts follow from its rule's.
type armKind int

const (
	armCounted armKind = iota // counted by walking its rows
	armAll                    // no condition: the rule's total and unread
	armUnread                 // unread = "yes": the rule's unread
	armRead                   // unread = "no": total less unread, none unread
)

// matArm is one part of a materialised view: a stored rule's rows and a
// condition on their columns.
type matArm struct {
	m    *matRule
	dyn  *filter.Filter // nil: none; reads only unread, starred and age
	kind armKind
	// dyn holds only for unread, read or starred articles: the walk
	// may take an index of those.
	unread, read, starred bool
	// age, when set, is dyn's age part: dyn is age and a condition of
	// kind ageKind on the read state, so the arm may be counted as the
	// rows of that condition less those outside age (a bound on
	// published, as is age: either is a range of the rule's rows).
	age     *filter.Filter
	ageKind armKind
}

// matPlan is a view answered from stored matches: the union of its
// arms' rows (which never overlap).
type matPlan struct {
	arms []matArm
	// ignored, in the all-feeds view's plan, stores the articles the
	// ignore rules match, so that a rank is the all-feeds view's (by its
	// anchors) less the ignored articles before it.
	ignored *matRule
}

// maxDynamicVars bounds the dynamic comparisons of a materialised query
// feed (its parts may be 2^n).
const maxDynamicVars = 4

// matSchema is ruleSchema for the dynamic conditions over rule_articles r
// (what is not static is state or age, which r's columns hold).
var matSchema = filter.Schema{
	Columns: map[string]string{
		"unread": "r.read = 0", "published": "r.published", "starred": "r.starred = 1",
	},
	PublishedUnit: time.Nanosecond,
}

// newMatRule is the stored rule of static (nil: every article).
func newMatRule(static *filter.Filter, ignore []*filter.Filter) *matRule {
	m := &matRule{static: static, baked: staticRules(ignore)}
	h := sha256.New()
	if static == nil {
		h.Write([]byte("all"))
	} else {
		h.Write([]byte("query\x00" + static.String()))
	}
	if m.baked {
		for _, f := range ignore {
			h.Write([]byte("\x00ignore\x00" + f.String()))
		}
	}
	m.hash = hex.EncodeToString(h.Sum(nil))
	return m
}

// newIgnoredRule is the stored rule of the articles the (static) ignore
// rules hide.
func newIgnoredRule(ignore []*filter.Filter) *matRule {
	m := &matRule{static: filter.Or(ignore...), ignored: true}
	h := sha256.New()
	h.Write([]byte("ignored\x00" + m.static.String()))
	m.hash = hex.EncodeToString(h.Sum(nil))
	return m
}

// newMatPlan splits q's filter into stored rules and their conditions;
// nil when it has too many dynamic comparisons.
func newMatPlan(q *filter.Filter, ignore []*filter.Filter) *matPlan {
	parts, ok := q.Split(func(a string) bool { return staticAttrs[a] }, maxDynamicVars)
	if !ok {
		return nil
	}
	p := &matPlan{arms: []matArm{}}
	for _, part := range parts {
		a := matArm{m: newMatRule(part.Static, ignore), dyn: part.Dynamic, kind: stateKind(part.Dynamic)}
		if a.kind != armCounted {
			// counted from its rule's counts
		} else if attrs := a.dyn.Attributes(); slices.Contains(attrs, "age") && !slices.Contains(attrs, "starred") {
			if ps, ok := a.dyn.Split(func(x string) bool { return x == "age" }, 1); ok && len(ps) == 1 && ps[0].Static != nil {
				if k := stateKind(ps[0].Dynamic); k != armCounted {
					a.age, a.ageKind = ps[0].Static, k
				}
			}
		}
		if a.dyn != nil {
			a.unread = implies(a.dyn, "unread", "yes")
			a.read = implies(a.dyn, "unread", "no")
			a.starred = implies(a.dyn, "starred", "yes")
		}
		p.arms = append(p.arms, a)
	}
	return p
}

// stateKind is the kind of an arm whose condition is dyn.
func stateKind(dyn *filter.Filter) armKind {
	switch {
	case dyn == nil:
		return armAll
	case dyn.String() == `unread = "yes"`:
		return armUnread
	case dyn.String() == `unread = "no"`:
		return armRead
	}
	return armCounted
}

// implies reports whether dyn holds only for articles whose attr (unread
// or starred) is want.
func implies(dyn *filter.Filter, attr, want string) bool {
	parts, ok := dyn.Split(func(a string) bool { return a != attr }, 1)
	if !ok || len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if p.Dynamic == nil || p.Dynamic.String() != attr+` = "`+want+`"` {
			return false
		}
	}
	return true
}

// cond is the condition, over ruleFrom, of the articles m materialises.
func (m *matRule) cond(rs *ruleSet, now time.Time) (string, []any, error) {
	w, args := "1", []any(nil)
	if m.static != nil {
		var err error
		if w, args, err = m.static.SQL(ruleSchema, now); err != nil {
			return "", nil, err
		}
	}
	w = "(" + w + ")"
	if m.baked && !m.ignored && len(rs.ignore) > 0 {
		ors, a, err := ruleOr(rs.ignore, now)
		if err != nil {
			return "", nil, err
		}
		w += " AND NOT (" + ors + ")"
		args = append(args, a...)
	}
	return w, args, nil
}

// distinctMats are rs's stored rules, each once.
func (rs *ruleSet) distinctMats() []*matRule {
	var out []*matRule
	seen := map[string]bool{}
	add := func(p *matPlan) {
		if p == nil {
			return
		}
		for _, a := range p.arms {
			if !seen[a.m.hash] {
				seen[a.m.hash] = true
				out = append(out, a.m)
			}
		}
		if m := p.ignored; m != nil && !seen[m.hash] {
			seen[m.hash] = true
			out = append(out, m)
		}
	}
	for _, name := range rs.names {
		add(rs.mats[strings.ToLower(name)])
	}
	add(rs.all)
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

// armView is one arm of a matView: its condition over rule_articles r
// (and the joins), without the view's snapshot; what its ordered walks
// read (driver); its rule's counts.
type armView struct {
	where         string
	args          []any
	kind          armKind
	total, unread int
	// The walk: from, with the condition cond (args) on its rows, alias
	// the table whose published, seq and read the walk reads: r, the
	// rule's rows by their key, or s, article_state by its unread or
	// starred index probing the rule's rows, when those are fewer.
	from, cond, alias string
	condArgs          []any
	// base is the rows of the arm's rule and state (its where without
	// its condition), ageIn and ageOut its age part and that part's
	// negation, when the arm may be counted by either (matArm.age).
	base, ageIn, ageOut       string
	baseArgs, inArgs, outArgs []any
	ageKind                   armKind
	// n is the arm's count when known (a counted view, or counted by
	// walking): an arm of none is not walked.
	n      int
	nKnown bool
}

// matView is a view answered by a matPlan, compiled to SQL over
// rule_articles r, joined to ruleFrom's tables when the ignore rules are
// not stored with it.
type matView struct {
	v     View
	joins string
	arms  []armView
	// counted: the view's counts follow from its rules' (less the
	// arrivals after a snapshot).
	counted bool
	outside func(samples, inside int) bool // ruleSet.outside
	// global: the view is every article of rankView (one of all feeds,
	// no rules) but the ignored ones, which are the rows of the stored
	// rule ignored (0: no ignore rule is set): its ranks are rankView's,
	// by the anchors or its own index, less the ignored before.
	global   bool
	rankView View
	ignored  int64
	nIgnored int // how many it holds
	// byAnchors decides to page by the anchors less the ignored
	// (ruleSet.byAnchors).
	byAnchors func(walk, ignored int) bool
}

// planFor is the plan answering v from stored matches, or nil: a query
// feed's, or with static ignore rules the all-feeds view's; never one
// feed's view or a search.
func (s *Store) planFor(rs *ruleSet, v View) *matPlan {
	if rs == nil || s.plainRules || v.FeedID != 0 || v.Query != "" {
		return nil
	}
	if v.QueryFeed != "" {
		return rs.mats[strings.ToLower(v.QueryFeed)]
	}
	return rs.all
}

// stateSchema is matSchema over article_state s.
var stateSchema = filter.Schema{
	Columns: map[string]string{
		"unread": "s.read = 0", "published": "s.published", "starred": "s.starred = 1",
	},
	PublishedUnit: time.Nanosecond,
}

// probeCost is how many steps of a plain walk one step of a walk that
// probes the rule's rows for each entry costs, about.
const probeCost = 4

// anchorsFaster decides, from the entries a page's walk of the stored
// rows would take and the ignored articles, to page the all-feeds view by
// its anchors instead (reading every ignored article's key).
func anchorsFaster(walk, ignored int) bool { return walk > 4*ignored+2*anchorEvery }

// outsideFewer decides, from the anchors sampled and those inside an
// arm's age part, to count the rows outside it.
func outsideFewer(samples, inside int) bool { return samples > 0 && 2*inside > samples }

// matViewOf compiles v for plan p; ok is false when a rule's stored
// matches are not up to date (the caller takes the plain path).
func (s *Store) matViewOf(t stx, rs *ruleSet, p *matPlan, v View, now time.Time) (mv matView, ok bool, err error) {
	mv = matView{v: v, counted: !v.Starred, outside: rs.outside, byAnchors: rs.byAnchors}
	schema := matSchema
	var ignore string
	var ignoreArgs []any
	var allUnread, allStarred int
	if err := t.queryRow(`SELECT unread, starred FROM feed_counts WHERE feed_id = 0`).Scan(&allUnread, &allStarred); err != nil {
		return matView{}, false, err
	}
	// A plan of every article, or of every unread one: global.
	ign := p.ignored
	if p != rs.all && len(p.arms) == 1 && p.arms[0].m.static == nil && (p.arms[0].kind == armAll || p.arms[0].kind == armUnread) {
		switch {
		case len(rs.ignore) == 0:
			mv.global = true
		case rs.all != nil:
			ign = rs.all.ignored
		}
	}
	if ign != nil {
		id, n, _, fresh, err := t.matFresh(ign)
		if err != nil || !fresh {
			return matView{}, false, err
		}
		mv.global, mv.ignored, mv.nIgnored = true, id, n
	}
	if mv.global {
		mv.rankView = View{UnreadOnly: v.UnreadOnly, Starred: v.Starred, Snapshot: v.Snapshot}
		if p != rs.all && p.arms[0].kind == armUnread {
			mv.rankView.UnreadOnly = true
		}
	}
	for i, a := range p.arms {
		id, total, unread, fresh, err := t.matFresh(a.m)
		if err != nil || !fresh {
			return matView{}, false, err
		}
		if i == 0 && !a.m.baked && len(rs.ignore) > 0 {
			// The ignore rules read the article, its state and its feed.
			schema = ruleSchema
			mv.joins = " CROSS JOIN article_state s ON s.seq = r.seq JOIN articles a ON a.seq = r.seq JOIN feeds rf ON rf.id = a.feed_id"
			if ignore, ignoreArgs, err = s.ignoreCond(t.ctx, rs, now); err != nil {
				return matView{}, false, err
			}
			mv.counted = false
		}
		av := armView{where: "r.rule = ?", args: []any{id}, kind: a.kind, total: total, unread: unread}
		unreadOnly, starred := v.UnreadOnly || a.unread, v.Starred || a.starred
		if v.UnreadOnly && a.read {
			continue // none of its articles is unread
		}
		state := ""
		if unreadOnly {
			state += " AND r.read = 0"
		} else if a.read {
			state += " AND r.read = 1"
		}
		if starred {
			state += " AND r.starred = 1"
		}
		av.where += state
		av.base, av.baseArgs = av.where, av.args
		if a.age != nil && mv.joins == "" && !starred {
			av.ageKind = a.ageKind
			if av.ageIn, av.inArgs, err = a.age.SQL(matSchema, now); err != nil {
				return matView{}, false, err
			}
			if av.ageOut, av.outArgs, err = filter.Not(a.age).SQL(matSchema, now); err != nil {
				return matView{}, false, err
			}
		}
		var dyn, sdyn string
		var dynArgs, sdynArgs []any
		if a.dyn != nil && a.kind != armUnread && a.kind != armRead { // those are the state's r.read
			if dyn, dynArgs, err = a.dyn.SQL(schema, now); err != nil {
				return matView{}, false, err
			}
			dyn = " AND (" + dyn + ")"
			if sdyn, sdynArgs, err = a.dyn.SQL(stateSchema, now); err != nil {
				return matView{}, false, err
			}
			sdyn = " AND (" + sdyn + ")"
		}
		av.where += dyn
		av.args = append(av.args, dynArgs...)
		if ignore != "" {
			av.where += " AND (" + ignore + ")"
			av.args = append(av.args, ignoreArgs...)
		}
		// The walk: the rule's rows, or the state index when it holds
		// fewer entries than the rule's rows by more than the probes cost.
		av.from, av.cond, av.condArgs, av.alias = mv.from("NOT INDEXED"), av.where, av.args, "r"
		index, entries := "", 0
		switch {
		case starred:
			index, entries = "article_state_starred", allStarred
		case unreadOnly:
			index, entries = "article_state_unread", allUnread
		}
		if index != "" && mv.joins == "" && entries*rs.probeCost < total {
			av.from, av.alias = "article_state s INDEXED BY "+index, "s"
			av.cond = "EXISTS (SELECT 1 FROM rule_articles x WHERE x.rule = ? AND x.published = s.published AND x.seq = s.seq)" +
				strings.ReplaceAll(state, "r.", "s.") + sdyn
			av.condArgs = append([]any{id}, sdynArgs...)
		}
		if a.kind == armCounted {
			mv.counted = false
		}
		mv.arms = append(mv.arms, av)
	}
	return mv, true, nil
}

// from is rule_articles r walked by index ("NOT INDEXED": its key), with
// the joins.
func (mv matView) from(index string) string {
	return "rule_articles r " + index + mv.joins
}

// cond is the view's condition over from: its arms ORed, with the
// snapshot when pinned, and extra.
func (mv matView) cond(pinned bool, extra string, extraArgs ...any) (string, []any) {
	var ors []string
	var args []any
	for _, a := range mv.arms {
		ors = append(ors, "("+a.where+")")
		args = append(args, a.args...)
	}
	if len(ors) == 0 {
		ors = []string{"0"}
	}
	w := "(" + strings.Join(ors, " OR ") + ")"
	if pinned && mv.v.Snapshot > 0 {
		w += " AND r.seq <= ?"
		args = append(args, mv.v.Snapshot)
	}
	if extra != "" {
		w += " AND " + extra
		args = append(args, extraArgs...)
	}
	return w, args
}

// walk selects the view's (published, seq) in order ("DESC" newest
// first, "ASC", "" unordered), each arm's walk merged with the others',
// the pinned view's snapshot and extra (on r: written for each walk's
// table) applied; "" when no arm holds any.
func (mv matView) walk(order, extra string, extraArgs ...any) (string, []any) {
	var sel []string
	var args []any
	for _, a := range mv.arms {
		if a.nKnown && a.n == 0 {
			continue
		}
		q := "SELECT " + a.alias + ".published, " + a.alias + ".seq FROM " + a.from + " WHERE " + a.cond
		if len(sel) == 0 {
			q = "SELECT " + a.alias + ".published AS published, " + a.alias + ".seq AS seq FROM " + a.from + " WHERE " + a.cond
		}
		args = append(args, a.condArgs...)
		if mv.v.Snapshot > 0 {
			q += " AND " + a.alias + ".seq <= ?"
			args = append(args, mv.v.Snapshot)
		}
		if extra != "" {
			q += " AND " + strings.ReplaceAll(extra, "r.", a.alias+".")
			args = append(args, extraArgs...)
		}
		sel = append(sel, q)
	}
	switch {
	case len(sel) == 0:
		return "", nil
	case order == "":
		return strings.Join(sel, " UNION ALL "), args
	}
	return strings.Join(sel, " UNION ALL ") + " ORDER BY published " + order + ", seq " + order, args
}

// matCounts sets the view's total and unread counts, and its arms': from
// its rules' counts when counted (less the arrivals after a pinned view's
// snapshot, a walk of rule_articles_seq from it), else by walking each
// arm.
func (t stx) matCounts(mv *matView, latest int64) (total, unread int, err error) {
	if !mv.counted {
		for i := range mv.arms {
			a := &mv.arms[i]
			u, done, err := t.ageCount(mv, a, latest)
			if err != nil {
				return 0, 0, err
			}
			if !done {
				q := `SELECT count(*), coalesce(sum(` + a.alias + `.read = 0), 0) FROM ` + a.from + ` WHERE ` + a.cond
				args := a.condArgs
				if mv.v.Snapshot > 0 {
					q += " AND " + a.alias + ".seq <= ?"
					args = append(slices.Clip(args), mv.v.Snapshot)
				}
				if err := t.queryRow(q, args...).Scan(&a.n, &u); err != nil {
					return 0, 0, err
				}
			}
			a.nKnown = true
			total, unread = total+a.n, unread+u
		}
		return total, unread, nil
	}
	for i := range mv.arms {
		a := &mv.arms[i]
		n, u := kindCounts(a.kind, mv.v.UnreadOnly, a.total, a.unread)
		a.n, a.nKnown = n, true // unpinned: none is none pinned too
		total, unread = total+n, unread+u
	}
	if mv.v.Snapshot > 0 && mv.v.Snapshot < latest && len(mv.arms) > 0 {
		w, args := mv.cond(false, "r.seq > ?", mv.v.Snapshot)
		var n, u int
		if err := t.queryRow(`SELECT count(*), coalesce(sum(r.read = 0), 0) FROM `+mv.from("INDEXED BY rule_articles_seq")+` WHERE `+w, args...).
			Scan(&n, &u); err != nil {
			return 0, 0, err
		}
		total, unread = total-n, unread-u
	}
	return total, unread, nil
}

// kindCounts are the counts of an arm of kind k whose rule counts total
// and unread (unreadOnly: of its unread rows only).
func kindCounts(k armKind, unreadOnly bool, total, unread int) (n, u int) {
	switch {
	case k == armUnread || unreadOnly && k == armAll:
		return unread, unread
	case k == armAll:
		return total, unread
	case k == armRead && !unreadOnly:
		return total - unread, 0
	}
	return 0, 0
}

// ageCount counts arm a (setting a.n) as its base's rows less those
// outside its age part, when that part holds most of the articles (judged
// on the anchors, a sample of every article's published): a walk of the
// rows outside, not of those inside. done is false when it did not.
func (t stx) ageCount(mv *matView, a *armView, latest int64) (unread int, done bool, err error) {
	if a.ageIn == "" || a.alias != "r" {
		return 0, false, nil
	}
	var samples, inside int
	if err := t.queryRow(`SELECT count(*), coalesce(sum(`+a.ageIn+`), 0) FROM article_anchors r WHERE r.n >= 0`, a.inArgs...).
		Scan(&samples, &inside); err != nil {
		return 0, false, err
	}
	if !mv.outside(samples, inside) {
		return 0, false, nil
	}
	n, u := kindCounts(a.ageKind, mv.v.UnreadOnly, a.total, a.unread)
	if mv.v.Snapshot > 0 && mv.v.Snapshot < latest {
		var an, au int
		if err := t.queryRow(`SELECT count(*), coalesce(sum(r.read = 0), 0) FROM rule_articles r INDEXED BY rule_articles_seq
WHERE r.seq > ? AND `+a.base, append([]any{mv.v.Snapshot}, a.baseArgs...)...).Scan(&an, &au); err != nil {
			return 0, false, err
		}
		n, u = n-an, u-au
	}
	q := `SELECT count(*), coalesce(sum(r.read = 0), 0) FROM rule_articles r NOT INDEXED WHERE ` + a.base + ` AND (` + a.ageOut + `)`
	args := append(slices.Clone(a.baseArgs), a.outArgs...)
	if mv.v.Snapshot > 0 {
		q += " AND r.seq <= ?"
		args = append(args, mv.v.Snapshot)
	}
	var on, ou int
	if err := t.queryRow(q, args...).Scan(&on, &ou); err != nil {
		return 0, false, err
	}
	a.n = n - on
	return u - ou, true, nil
}

// matRead runs fn on the view v compiled from its stored matches in one
// read transaction; ok is false when v has none up to date.
func (s *Store) matRead(ctx context.Context, v View, fn func(t stx, mv matView) error) (ok bool, err error) {
	rs := s.rules.Load()
	p := s.planFor(rs, v)
	if p == nil {
		return false, nil
	}
	err = s.readTx(ctx, func(t stx) error {
		mv, fresh, err := s.matViewOf(t, rs, p, v, time.Now())
		if err != nil || !fresh {
			return err
		}
		ok = true
		return fn(t, mv)
	})
	return ok, err
}

// matPageOf is PageOf for a view answered from stored matches (planFor);
// ok is false when they are not up to date, and the caller takes the
// plain path. The page is a walk of the view's rows from its nearer end.
func (s *Store) matPageOf(ctx context.Context, v View, page, size int) (p Page, ok bool, err error) {
	p = Page{Size: size, Query: v.Query}
	ok, err = s.matRead(ctx, v, func(t stx, mv matView) error {
		if q := compileView(mv.rankView); mv.global && mv.ignored != 0 && q.anchored() && len(mv.arms) == 1 {
			// By the anchors when the walk of the stored rows would
			// be longer than reading the ignored articles' keys.
			n, offset := mv.arms[0].total, (max(page, 1)-1)*size
			if mv.byAnchors(min(offset, n-offset), mv.nIgnored) {
				return t.anchoredLessIgnored(q, mv.ignored, page, &p)
			}
		}
		latest, err := snapshot(t, v, &p)
		if err != nil {
			return err
		}
		if p.Total, p.Unread, err = t.matCounts(&mv, latest); err != nil {
			return err
		}
		offset, count := p.place(page)
		if count == 0 {
			return nil
		}
		order, skip := "DESC", offset
		if offset > p.Total/2 {
			order, skip = "ASC", p.Total-offset-count
		}
		walk, args := mv.walk(order, "")
		p.Items, err = t.pageRows(0, `SELECT seq FROM (`+walk+` LIMIT ? OFFSET ?)`, append(args, count, skip)...)
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

// anchoredLessIgnored is a page of the all-feeds view q (anchored, see
// anchoredRows) less the articles of the stored rule ignored: its counts
// are q's less theirs, and its rows found as anchoredRows finds them with
// the ignored articles left out as the arrivals are, by position (they
// are sorted in with the arrivals) and in the walk. O(ignored) for
// reading their keys, and a walk of fewer than anchorEvery+size+ignored
// entries.
func (t stx) anchoredLessIgnored(q viewSQL, ignored int64, page int, p *Page) error {
	vs, err := t.state(q)
	if err != nil {
		return err
	}
	p.Snapshot = q.v.Snapshot
	if p.Snapshot <= 0 {
		p.Snapshot = vs.latest
	}
	// The ignored articles of the view (not its arrivals), oldest first
	// (rule_articles' key order).
	ns, err := t.ints(`SELECT group_concat(published || ' ' || seq || ' ' || (read = 0), ' ')
FROM rule_articles NOT INDEXED WHERE rule = ? AND seq <= ?`, ignored, p.Snapshot)
	if err != nil {
		return err
	}
	ign := make([]arrival, len(ns)/3)
	for i := range ign {
		ign[i] = arrival{key{ns[3*i], ns[3*i+1]}, ns[3*i+2] != 0}
		vs.total--
		if ign[i].unread {
			vs.unread--
		}
	}
	// Left out by position: the arrivals and the ignored, in key order.
	out := make([]arrival, 0, len(vs.arr)+len(ign))
	i, j := 0, 0
	for i < len(vs.arr) || j < len(ign) {
		if j == len(ign) || i < len(vs.arr) && vs.arr[i].key.less(ign[j].key) {
			out = append(out, vs.arr[i])
			i++
		} else {
			out = append(out, ign[j])
			j++
		}
	}
	vs.arr = out
	p.Total, p.Unread = vs.total, vs.unread
	offset, count := p.place(page)
	if count == 0 {
		return nil
	}
	p.Items, err = t.anchoredRowsExcept(q.v.Snapshot, ignored, vs, offset, count)
	return err
}

// anchoredRowsExcept is anchoredRows (views.go) with the rows of the
// stored rule except left out too, as vs.arr (which holds them, with the
// arrivals) says.
func (t stx) anchoredRowsExcept(snapshot, except int64, vs viewState, offset, count int) ([]Article, error) {
	lo := vs.total - offset - count
	pos, from, mark, err := t.anchorBelow(vs, lo)
	if err != nil {
		return nil, err
	}
	cond := ` AND seq NOT IN (SELECT seq FROM rule_articles NOT INDEXED WHERE rule = ?)`
	args := []any{except}
	if snapshot > 0 {
		cond += ` AND seq <= ?`
		args = append(args, snapshot)
	}
	if mark != noMark && offset+len(vs.arr) < lo-pos {
		return t.pageRows(0, `SELECT seq FROM articles INDEXED BY articles_order WHERE 1`+cond+`
ORDER BY published DESC, seq DESC LIMIT ? OFFSET ?`, append(args, count, offset)...)
	}
	return t.pageRows(0, `SELECT seq FROM articles INDEXED BY articles_order WHERE (published, seq) >= (?, ?)`+cond+`
ORDER BY published, seq LIMIT ? OFFSET ?`, append(append([]any{from.pub, from.seq}, args...), count, lo-pos)...)
}

// matCount is a query feed's counts from its stored matches; ok is false
// when they are not up to date.
func (s *Store) matCount(t stx, rs *ruleSet, name string, now time.Time) (c QueryCount, ok bool, err error) {
	v := View{QueryFeed: name}
	p := s.planFor(rs, v)
	if p == nil {
		return QueryCount{}, false, nil
	}
	mv, fresh, err := s.matViewOf(t, rs, p, v, now)
	if err != nil || !fresh {
		return QueryCount{}, false, err
	}
	c.Name = name
	if c.Total, c.Unread, err = t.matCounts(&mv, 0); err != nil {
		return QueryCount{}, false, err
	}
	return c, true, nil
}

// matNewSince is NewSince from stored matches: the view's rows stored
// after its snapshot, a walk of rule_articles_seq from it.
func (s *Store) matNewSince(ctx context.Context, v View) (n int, ok bool, err error) {
	ok, err = s.matRead(ctx, v, func(t stx, mv matView) error {
		if len(mv.arms) == 0 {
			return nil
		}
		w, args := mv.cond(false, "r.seq > ?", v.Snapshot)
		return t.queryRow(`SELECT count(*) FROM `+mv.from("INDEXED BY rule_articles_seq")+` WHERE `+w, args...).Scan(&n)
	})
	return n, ok, err
}

// matRank returns the number of the view's rows before key k (newest
// first) and whether k's article is one of them: the smaller side is
// counted when the view's counts are known (judged by k's place among
// all articles).
func (t stx) matRank(mv matView, k key) (rank int, in bool, err error) {
	if len(mv.arms) == 0 {
		return 0, false, nil
	}
	if mv.global {
		// Every article of rankView but the ignored: its rank by the
		// anchors (or its own index), less the ignored before k.
		v := mv.rankView
		rank, in, err := t.rankIn(compileView(v), k)
		if err != nil || mv.ignored == 0 {
			return rank, in, err
		}
		w := "r.rule = ? AND (r.published, r.seq) > (?, ?)"
		args := []any{mv.ignored, k.pub, k.seq}
		if v.UnreadOnly {
			w += " AND r.read = 0"
		}
		if v.Starred {
			w += " AND r.starred = 1"
		}
		if v.Snapshot > 0 {
			w += " AND r.seq <= ?"
			args = append(args, v.Snapshot)
		}
		var before int
		var hidden bool
		if err := t.queryRow(`SELECT (SELECT count(*) FROM rule_articles r NOT INDEXED WHERE `+w+`),
	EXISTS (SELECT 1 FROM rule_articles r WHERE r.rule = ? AND r.published = ? AND r.seq = ?)`,
			append(args, mv.ignored, k.pub, k.seq)...).Scan(&before, &hidden); err != nil {
			return 0, false, err
		}
		return rank - before, in && !hidden, nil
	}
	w, args := mv.cond(true, "r.seq = ?", k.seq)
	if err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM `+mv.from("INDEXED BY rule_articles_seq")+` WHERE `+w+`)`, args...).Scan(&in); err != nil {
		return 0, false, err
	}
	count := func(cmp string) (int, error) {
		var n int
		w, args := mv.walk("", "(r.published, r.seq) "+cmp+" (?, ?)", k.pub, k.seq)
		if w == "" {
			return 0, nil
		}
		err := t.queryRow(`SELECT count(*) FROM (`+w+`)`, args...).Scan(&n)
		return n, err
	}
	if mv.counted {
		// The counts (cheap here) also leave out the walks of the arms
		// that hold none.
		total, _, err := t.matCounts(&mv, math.MaxInt64)
		if err != nil {
			return 0, false, err
		}
		var all int
		if err := t.queryRow(`SELECT total FROM article_stats`).Scan(&all); err != nil {
			return 0, false, err
		}
		asc, err := t.anchorPos(k, all)
		if err != nil {
			return 0, false, err
		}
		if asc < all/2 {
			older, err := count("<")
			if err != nil {
				return 0, false, err
			}
			if in {
				return total - 1 - older, in, nil
			}
			return total - older, in, nil
		}
	}
	rank, err = count(">")
	return rank, in, err
}

// matRankIn is RankIn from stored matches.
func (s *Store) matRankIn(ctx context.Context, v View, id string) (rank int, in, ok bool, err error) {
	ok, err = s.matRead(ctx, v, func(t stx, mv matView) error {
		k, err := t.articleKey(id)
		if err != nil {
			return err
		}
		rank, in, err = t.matRank(mv, k)
		return err
	})
	return rank, in, ok, err
}

// matNextUnread is NextUnread from stored matches: the first unread row
// past fromID's key in the view's order, then its rank.
func (s *Store) matNextUnread(ctx context.Context, v View, fromID string, dir int) (a Article, rank int, found, ok bool, err error) {
	rs := s.rules.Load()
	p := s.planFor(rs, v)
	if p == nil {
		return Article{}, 0, false, false, nil
	}
	err = s.readTx(ctx, func(t stx) error {
		now := time.Now()
		mv, fresh, err := s.matViewOf(t, rs, p, v, now)
		if err != nil || !fresh {
			return err
		}
		u := v
		u.UnreadOnly = true
		uv, _, err := s.matViewOf(t, rs, p, u, now)
		if err != nil {
			return err
		}
		ok = true
		cmp, order := "<", "DESC"
		if dir < 0 {
			cmp, order = ">", "ASC"
		}
		extra, args := "", []any(nil)
		if fromID != "" {
			k, err := t.articleKey(fromID)
			if err != nil {
				return err
			}
			extra = "(r.published, r.seq) " + cmp + " (?, ?)"
			args = []any{k.pub, k.seq}
		}
		walk, wargs := uv.walk(order, extra, args...)
		if walk == "" {
			return nil
		}
		var k key
		err = t.queryRow(`SELECT published, seq FROM (`+walk+` LIMIT 1)`, wargs...).Scan(&k.pub, &k.seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if a, err = scanArticle(t.queryRow(`SELECT `+articleCols+` `+articleFrom+` WHERE a.seq = ?`, k.seq)); err != nil {
			return err
		}
		if rank, _, err = t.matRank(mv, k); err != nil {
			return err
		}
		found = true
		return nil
	})
	return a, rank, found, ok, err
}

// matMarkViewRead is MarkViewRead from stored matches: the view's unread
// rows, found by its arms' walks, marked read in one write transaction.
func (s *Store) matMarkViewRead(ctx context.Context, v View) (n int, ok bool, err error) {
	rs := s.rules.Load()
	p := s.planFor(rs, v)
	if p == nil {
		return 0, false, nil
	}
	v.UnreadOnly = true
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		t := stx{ctx, s, tx}
		mv, fresh, err := s.matViewOf(t, rs, p, v, time.Now())
		if err != nil || !fresh {
			return err
		}
		ok = true
		walk, args := mv.walk("", "")
		if walk == "" {
			return nil
		}
		res, err := t.exec(`UPDATE article_state SET read = 1 WHERE seq IN (SELECT seq FROM (`+walk+`))`, args...)
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		n = int(m)
		return err
	})
	return n, ok, err
}
