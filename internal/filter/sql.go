package filter

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// Schema says where a query finds each attribute, for SQL. Every
// expression is the caller's own SQL (never user input), holds no "?"
// parameter, and must not yield NULL; wrap a nullable column:
//
//	IFNULL(a.author, '')
type Schema struct {
	// Columns maps an attribute's canonical name to an SQL expression over
	// the row being filtered:
	//
	//   - "title", "link", "author", "content", "feed", "feedurl", "group":
	//     its TEXT, compared with the BINARY collation (byte for byte, as
	//     Match compares);
	//   - "unread", "starred": a condition true when the article is unread
	//     or starred ("s.read = 0", "s.starred = 1");
	//   - "published": an INTEGER, the publication time as a count of
	//     PublishedUnit since the Unix epoch (age is computed from it).
	Columns map[string]string
	// Lists maps "enclosure" and "enclosure_type" (attributes with one
	// value per enclosure) to the rows that hold their values.
	Lists map[string]List
	// PublishedUnit is the unit of Columns["published"]: time.Nanosecond
	// (the default when 0), time.Microsecond, time.Millisecond or
	// time.Second. SQL then agrees with Match on an Item whose Published
	// is the stored value (Match sees what the store has kept).
	PublishedUnit time.Duration
}

// List names the values of a multi-valued attribute for a row, as the
// parts of a correlated subquery: SELECT … FROM From WHERE Where. For an
// enclosures table: List{From: "enclosures e", Where: "e.seq = a.seq",
// Value: "e.url"}; for a JSON array column: List{From:
// "json_each(a.enclosures)", Value: "json_extract(value, '$.url')"}.
type List struct {
	From  string // the FROM clause, without FROM
	Where string // the condition tying its rows to the row filtered; "" for none
	Value string // the TEXT expression of one value (never NULL)
}

// ErrNotInSQL is the error SQL returns (wrapped, naming the attribute)
// when the Schema does not say where an attribute the rule reads is; the
// caller then evaluates the rule with Match instead.
var ErrNotInSQL = errors.New("attribute not available in SQL")

// Names of the SQL functions SQL's expressions call; SQLFunctions returns
// their implementations for the caller to register.
const (
	// SQLRegexp is filter_regexp(pattern, text): 1 if the RE2 pattern
	// matches text (anywhere), else 0.
	SQLRegexp = "filter_regexp"
	// SQLNum is filter_num(text): the numeric prefix newsboat compares
	// with <, >, <=, >= and between (0 if none, clamped to 32 bits).
	SQLNum = "filter_num"
	// SQLAge is filter_age(published, now_ns, unit_ns): age in days.
	SQLAge = "filter_age"
)

// SQL translates the rule into an SQLite boolean expression over the
// Schema's columns, for a WHERE clause, with its parameters (values are
// never written into the SQL). now is the time age counts from. It fails
// with ErrNotInSQL when the Schema lacks an attribute the rule reads.
//
// age compares become ranges of the published column (which an index on
// it serves); =~ and # on text call the functions of SQLFunctions, which
// must be registered with the driver.
func (f *Filter) SQL(s Schema, now time.Time) (where string, args []any, err error) {
	unit := s.PublishedUnit
	switch unit {
	case 0:
		unit = time.Nanosecond
	case time.Nanosecond, time.Microsecond, time.Millisecond, time.Second:
	default:
		return "", nil, fmt.Errorf("filter: PublishedUnit %v is not one of 1ns, 1µs, 1ms, 1s", unit)
	}
	for _, name := range f.attrs {
		a := lookupAttribute(name)
		switch {
		case a.kind == kindList:
			if l, ok := s.Lists[name]; !ok || l.From == "" || l.Value == "" {
				return "", nil, fmt.Errorf("filter: %w: %s", ErrNotInSQL, name)
			}
		case a.kind == kindAge:
			if s.Columns["published"] == "" {
				return "", nil, fmt.Errorf("filter: %w: age (no published column)", ErrNotInSQL)
			}
		case s.Columns[name] == "":
			return "", nil, fmt.Errorf("filter: %w: %s", ErrNotInSQL, name)
		}
	}
	w := sqlWriter{s: s, now: now, unit: unit}
	return w.node(f.root), w.args, nil
}

type sqlWriter struct {
	s    Schema
	now  time.Time
	unit time.Duration
	args []any
}

// arg appends v to the parameters and returns its placeholder. Every
// expression is built left to right, so placeholders and arguments keep
// one order.
func (w *sqlWriter) arg(v any) string {
	w.args = append(w.args, v)
	return "?"
}

func (w *sqlWriter) node(n node) string {
	switch n := n.(type) {
	case *andNode:
		l := w.node(n.l)
		return "(" + l + " AND " + w.node(n.r) + ")"
	case *orNode:
		l := w.node(n.l)
		return "(" + l + " OR " + w.node(n.r) + ")"
	case *notNode:
		return w.negated(n.x)
	case *cmpNode:
		return w.compare(n, false)
	}
	return "0"
}

// negated is NOT n, the negation pushed down to the comparisons (De
// Morgan; no expression is NULL), so that a negated age compare is a
// bound on published too.
func (w *sqlWriter) negated(n node) string {
	switch n := n.(type) {
	case *andNode:
		l := w.negated(n.l)
		return orSQL(l, w.negated(n.r))
	case *orNode:
		l := w.negated(n.l)
		return andSQL(l, w.negated(n.r))
	case *notNode:
		return w.node(n.x)
	case *cmpNode:
		return w.compare(n, true)
	}
	return "1"
}

func andSQL(l, r string) string { return "(" + l + " AND " + r + ")" }
func orSQL(l, r string) string  { return "(" + l + " OR " + r + ")" }

// not negates an SQL condition, folding the constants.
func not(s string) string {
	switch s {
	case "0":
		return "1"
	case "1":
		return "0"
	}
	return "(NOT " + s + ")"
}

func constant(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// compare is n, negated when flip (a "not" around it): an age compare
// negated is the opposite bound on published, which an index serves as
// well, not NOT of the bound.
func (w *sqlWriter) compare(n *cmpNode, flip bool) string {
	p, neg := n.op.positive()
	neg = neg != flip
	var s string
	switch n.attr.kind {
	case kindBool:
		// Only two strings can be compared: decide for each now.
		yes, no := n.test(p, "yes") != neg, n.test(p, "no") != neg
		col := "(" + w.s.Columns[n.attr.name] + ")"
		switch {
		case yes && no:
			return "1"
		case yes:
			return col
		case no:
			return not(col)
		}
		return "0"
	case kindText:
		s = w.text(n, p, w.s.Columns[n.attr.name])
	case kindGroup:
		col := w.s.Columns[n.attr.name]
		if p == opHas {
			// col = want, or col starts with want + "/": the strings
			// from want+"/" up to (not including) want+"0", '0' being
			// the byte after '/'.
			s = fmt.Sprintf("(%s = %s OR (%s >= %s AND %s < %s))",
				col, w.arg(n.val), col, w.arg(n.val+"/"), col, w.arg(n.val+"0"))
		} else {
			s = w.text(n, p, col)
		}
	case kindAge:
		return w.age(n, p, neg)
	case kindList:
		s = w.list(n, p)
	}
	if neg {
		return not(s)
	}
	return s
}

// text is the positive operator p of n on the TEXT expression col.
func (w *sqlWriter) text(n *cmpNode, p op, col string) string {
	switch p {
	case opEq:
		return fmt.Sprintf("%s = %s", col, w.arg(n.val))
	case opMatch:
		return fmt.Sprintf("%s(%s, %s)", SQLRegexp, w.arg("(?i)"+n.raw), col)
	case opHas:
		if strings.Contains(n.val, " ") {
			return "0"
		}
		// A word between single spaces: look for " w " in " list ".
		return fmt.Sprintf("instr(' ' || %s || ' ', %s) > 0", col, w.arg(" "+n.val+" "))
	case opBetween:
		if !n.rangeOK {
			return "0"
		}
		return fmt.Sprintf("%s(%s) BETWEEN %s AND %s", SQLNum, col, w.arg(n.lo), w.arg(n.hi))
	}
	cmp := map[op]string{opLt: "<", opGt: ">", opLe: "<=", opGe: ">="}[p]
	return fmt.Sprintf("%s(%s) %s %s", SQLNum, col, cmp, w.arg(n.num))
}

// list is the positive operator p of n on any value of a list attribute;
// a row with no value has the one value "".
func (w *sqlWriter) list(n *cmpNode, p op) string {
	l := w.s.Lists[n.attr.name]
	where := ""
	if l.Where != "" {
		where = "(" + l.Where + ") AND "
	}
	pred := w.text(n, p, l.Value)
	some := "0"
	if pred != "0" {
		some = fmt.Sprintf("EXISTS (SELECT 1 FROM %s WHERE %s(%s))", l.From, where, pred)
	}
	if !n.test(p, "") {
		return some
	}
	none := fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s", l.From)
	if l.Where != "" {
		none += " WHERE " + l.Where
	}
	none += ")"
	if some == "0" {
		return none
	}
	return "(" + some + " OR " + none + ")"
}

// age is the positive operator p of n on age, negated when negate.
func (w *sqlWriter) age(n *cmpNode, p op, negate bool) string {
	pub := w.s.Columns["published"]
	switch p {
	case opEq, opHas:
		if !n.eqIntOK {
			return constant(negate)
		}
		return w.ageIn(n.eqInt, n.eqInt, negate)
	case opMatch:
		s := fmt.Sprintf("%s(%s, %s(%s, %s, %s))", SQLRegexp, w.arg("(?i)"+n.raw),
			SQLAge, pub, w.arg(w.now.UnixNano()), w.arg(int64(w.unit)))
		if negate {
			return not(s)
		}
		return s
	case opLt:
		return w.ageAtLeast(n.num, !negate)
	case opLe:
		return w.ageAtLeast(n.num+1, !negate)
	case opGt:
		return w.ageAtLeast(n.num+1, negate)
	case opGe:
		return w.ageAtLeast(n.num, negate)
	case opBetween:
		if !n.rangeOK {
			return constant(negate)
		}
		return w.ageIn(n.lo, n.hi, negate)
	}
	return constant(negate)
}

// ageIn is lo <= age <= hi, or when negate its opposite (age < lo or
// age > hi).
func (w *sqlWriter) ageIn(lo, hi int64, negate bool) string {
	a, b := w.ageAtLeast(lo, negate), w.ageAtLeast(hi+1, !negate)
	if negate {
		switch {
		case a == "1" || b == "1":
			return "1"
		case a == "0":
			return b
		case b == "0":
			return a
		}
		return "(" + a + " OR " + b + ")"
	}
	switch {
	case a == "0" || b == "0":
		return "0"
	case a == "1":
		return b
	case b == "1":
		return a
	}
	return "(" + a + " AND " + b + ")"
}

// ageAtLeast is age >= n (or, negated, age < n) as a bound on the
// published column. With d = now - published and age = trunc(d / Day):
// for n >= 1, age >= n exactly when d >= n days; for n <= 0, exactly when
// d > (n-1) days.
func (w *sqlWriter) ageAtLeast(n int64, negate bool) string {
	// Compared as newsboat does, through a 32-bit integer.
	if n <= math.MinInt32 {
		return constant(!negate)
	}
	if n > math.MaxInt32 {
		return constant(negate)
	}
	k, strict := n, false
	if n <= 0 {
		k, strict = n-1, true
	}
	// t = now - k days, in nanoseconds, then in the column's unit: the
	// bound on published is published <= t (strict: published < t).
	t := new(big.Int).Mul(big.NewInt(k), big.NewInt(int64(Day)))
	t.Sub(big.NewInt(w.now.UnixNano()), t)
	u := big.NewInt(int64(w.unit))
	var bound big.Int
	if strict {
		// published < t  ⇔  published < ceil(t / unit)
		bound.Add(t, new(big.Int).Sub(u, big.NewInt(1)))
		floorDiv(&bound, &bound, u)
	} else {
		// published <= t  ⇔  published <= floor(t / unit)
		floorDiv(&bound, t, u)
	}
	pub := w.s.Columns["published"]
	switch {
	case bound.Cmp(big.NewInt(math.MaxInt64)) > 0:
		return constant(!negate)
	case bound.Cmp(big.NewInt(math.MinInt64)) < 0, strict && bound.Cmp(big.NewInt(math.MinInt64)) == 0:
		return constant(negate)
	}
	op := map[[2]bool]string{{false, false}: "<=", {true, false}: "<", {false, true}: ">", {true, true}: ">="}[[2]bool{strict, negate}]
	return fmt.Sprintf("%s %s %s", pub, op, w.arg(bound.Int64()))
}

// floorDiv sets z to floor(x / y) for y > 0.
func floorDiv(z, x, y *big.Int) {
	var m big.Int
	z.DivMod(x, y, &m) // Euclidean: m >= 0, so z is the floor for y > 0
}
