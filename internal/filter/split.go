package filter

import (
	"math/bits"
	"slices"
	"strings"
)

// Part is one part of a rule written as Split writes it: the items both
// Static and Dynamic match.
type Part struct {
	Static  *Filter // reads only the static attributes; nil: every item
	Dynamic *Filter // reads only the others; nil: no condition
}

// Split writes f as a disjunction of parts: f matches an item exactly
// when one of the parts does. Each part's Static reads only attributes
// static reports true for, its Dynamic only the others; no two parts have
// the same Static (by String), and no item matches the Dynamic of two
// parts, so the parts' matches never overlap. A store can then keep each
// Static's matches and apply the Dynamic parts on them. A rule reading no
// dynamic attribute is one part, {f, nil}; one that can match nothing is
// no part.
//
// The dynamic comparisons are the variables: unread and starred one each
// (whatever their comparisons), every other comparison its own (age < 7
// and age > 30 are two). ok is false when f has more than maxVars of
// them (the parts could be 2^vars).
func (f *Filter) Split(static func(attr string) bool, maxVars int) (parts []Part, ok bool) {
	var vars []string
	index := map[string]int{}
	var atoms []*cmpNode // a variable's comparison (bool: any of its own)
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *andNode:
			walk(n.l)
			walk(n.r)
		case *orNode:
			walk(n.l)
			walk(n.r)
		case *notNode:
			walk(n.x)
		case *cmpNode:
			if static(n.attr.name) {
				return
			}
			k := varKey(n)
			if _, seen := index[k]; !seen {
				index[k] = len(vars)
				vars = append(vars, k)
				atoms = append(atoms, n)
			}
		}
	}
	walk(f.root)
	if len(vars) == 0 {
		return []Part{{Static: f}}, true
	}
	if len(vars) > maxVars {
		return nil, false
	}
	// Each assignment of the variables leaves a static rule (or a
	// constant); the assignments leaving the same one are one part.
	type group struct {
		static   node // nil: true
		minterms []uint
	}
	var groups []*group
	byKey := map[string]*group{}
	for m := uint(0); m < 1<<len(vars); m++ {
		r, c := substitute(f.root, static, func(n *cmpNode) bool { return m&(1<<index[varKey(n)]) != 0 })
		if c < 0 {
			continue
		}
		key := "\x00true"
		if c == 0 {
			var b strings.Builder
			writeNode(&b, r)
			key = b.String()
		}
		g := byKey[key]
		if g == nil {
			g = &group{static: r}
			if c > 0 {
				g.static = nil
			}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.minterms = append(g.minterms, m)
	}
	for _, g := range groups {
		p := Part{}
		if g.static != nil {
			p.Static = newFilter(g.static)
		}
		if d := cubesNode(primeCubes(g.minterms, len(vars)), atoms); d != nil {
			p.Dynamic = newFilter(d)
		}
		parts = append(parts, p)
	}
	return parts, true
}

// varKey names the variable a dynamic comparison reads.
func varKey(n *cmpNode) string {
	if n.attr.kind == kindBool {
		return n.attr.name
	}
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

// substitute folds n with the dynamic comparisons decided by val (for a
// bool attribute: whether it is "yes"): c > 0 true, c < 0 false, else the
// static rule r that is left.
func substitute(n node, static func(string) bool, val func(*cmpNode) bool) (r node, c int) {
	switch n := n.(type) {
	case *andNode:
		l, lc := substitute(n.l, static, val)
		if lc < 0 {
			return nil, -1
		}
		rr, rc := substitute(n.r, static, val)
		switch {
		case rc < 0:
			return nil, -1
		case lc > 0:
			return rr, rc
		case rc > 0:
			return l, 0
		}
		return &andNode{l: l, r: rr}, 0
	case *orNode:
		l, lc := substitute(n.l, static, val)
		if lc > 0 {
			return nil, 1
		}
		rr, rc := substitute(n.r, static, val)
		switch {
		case rc > 0:
			return nil, 1
		case lc < 0:
			return rr, rc
		case rc < 0:
			return l, 0
		}
		return &orNode{l: l, r: rr}, 0
	case *notNode:
		x, xc := substitute(n.x, static, val)
		if xc != 0 {
			return nil, -xc
		}
		return &notNode{x: x}, 0
	case *cmpNode:
		if static(n.attr.name) {
			return n, 0
		}
		v := val(n)
		if n.attr.kind == kindBool {
			p, neg := n.op.positive()
			v = n.test(p, yesNo(v)) != neg
		}
		if v {
			return nil, 1
		}
		return nil, -1
	}
	return nil, -1
}

// cube is a conjunction of variables: those in care, each as in val.
type cube struct{ care, val uint }

// primeCubes returns the prime implicants of the set of minterms over n
// variables: cubes whose union is exactly the set.
func primeCubes(minterms []uint, n int) []cube {
	all := uint(1)<<n - 1
	cur := make([]cube, len(minterms))
	for i, m := range minterms {
		cur[i] = cube{all, m}
	}
	var primes []cube
	for len(cur) > 0 {
		merged := make([]bool, len(cur))
		var next []cube
		for i := range cur {
			for j := i + 1; j < len(cur); j++ {
				a, b := cur[i], cur[j]
				d := a.val ^ b.val
				if a.care != b.care || bits.OnesCount(d) != 1 {
					continue
				}
				merged[i], merged[j] = true, true
				c := cube{a.care &^ d, a.val &^ d}
				if !slices.Contains(next, c) {
					next = append(next, c)
				}
			}
		}
		for i, c := range cur {
			if !merged[i] && !slices.Contains(primes, c) {
				primes = append(primes, c)
			}
		}
		cur = next
	}
	return primes
}

// cubesNode writes the cubes ORed, each the AND of its variables' atoms
// (a bool attribute's as `unread = "yes"` or `unread = "no"`, another
// comparison as itself or negated); nil when a cube cares for nothing.
func cubesNode(cs []cube, atoms []*cmpNode) node {
	var or node
	for _, c := range cs {
		if c.care == 0 {
			return nil
		}
		var and node
		for i, a := range atoms {
			if c.care&(1<<i) == 0 {
				continue
			}
			lit := literal(a, c.val&(1<<i) != 0)
			if and == nil {
				and = lit
			} else {
				and = &andNode{l: and, r: lit}
			}
		}
		if or == nil {
			or = and
		} else {
			or = &orNode{l: or, r: and}
		}
	}
	return or
}

// literal is atom's variable being v.
func literal(atom *cmpNode, v bool) node {
	if atom.attr.kind == kindBool {
		s := yesNo(v)
		return &cmpNode{attr: atom.attr, op: opEq, kind: litString, raw: s, val: s}
	}
	if v {
		return atom
	}
	return &notNode{x: atom}
}

// newFilter is the Filter of a node built here.
func newFilter(n node) *Filter {
	var b strings.Builder
	writeNode(&b, n)
	var attrs []string
	nodeAttrs(n, &attrs)
	slices.Sort(attrs)
	return &Filter{src: b.String(), root: n, attrs: slices.Compact(attrs)}
}
