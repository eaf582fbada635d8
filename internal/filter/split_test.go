package filter

import (
	"math/rand/v2"
	"strings"
	"testing"
)

var splitStatic = func(a string) bool { return a != "unread" && a != "starred" && a != "age" }

// TestSplitAgreesWithMatch: on random rules and items, a rule matches an
// item exactly when one of its parts does, never two; the parts' static
// rules read no dynamic attribute and their dynamic ones no static one;
// no two parts have the same static rule.
func TestSplitAgreesWithMatch(t *testing.T) {
	at := now
	r := rand.New(rand.NewPCG(7, 24))
	items := make([]Item, 200)
	for i := range items {
		items[i] = randomItem(r, at)
	}
	n := 3000
	if testing.Short() || raceOn {
		n = 300
	}
	split := 0
	for range n {
		src := randomRule(r, 4)
		f, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		parts, ok := f.Split(splitStatic, 4)
		if !ok {
			continue
		}
		split++
		seen := map[string]bool{}
		for _, p := range parts {
			key := "<all>"
			if p.Static != nil {
				key = p.Static.String()
				for _, a := range p.Static.Attributes() {
					if !splitStatic(a) {
						t.Fatalf("%q: static part %q reads %s", src, key, a)
					}
				}
				if _, err := Parse(key); err != nil {
					t.Fatalf("%q: static part %q does not parse: %v", src, key, err)
				}
			}
			if seen[key] {
				t.Fatalf("%q: static part %q twice", src, key)
			}
			seen[key] = true
			if p.Dynamic != nil {
				for _, a := range p.Dynamic.Attributes() {
					if splitStatic(a) {
						t.Fatalf("%q: dynamic part %q reads %s", src, p.Dynamic, a)
					}
				}
				if _, err := Parse(p.Dynamic.String()); err != nil {
					t.Fatalf("%q: dynamic part %q does not parse: %v", src, p.Dynamic, err)
				}
			}
		}
		for i := range items {
			it := &items[i]
			hits := 0
			for _, p := range parts {
				if (p.Static == nil || p.Static.Match(it, at)) && (p.Dynamic == nil || p.Dynamic.Match(it, at)) {
					hits++
				}
			}
			if want := f.Match(it, at); hits > 1 || (hits == 1) != want {
				t.Fatalf("%q on %+v: %d parts match, the rule %v; parts %v", src, it, hits, want, parts)
			}
		}
	}
	if split < n/2 {
		t.Errorf("only %d of %d rules split", split, n)
	}
}

func TestSplitShapes(t *testing.T) {
	for _, c := range []struct {
		rule string
		want []string // static | dynamic, "" for nil
	}{
		{`title =~ "x"`, []string{`title =~ "x" | `}},
		{`unread = "yes"`, []string{` | unread = "yes"`}},
		{`unread = "yes" and title =~ "x"`, []string{`title =~ "x" | unread = "yes"`}},
		{`unread = "no" or title =~ "x"`, []string{` | unread = "no"`, `title =~ "x" | unread = "yes"`}},
		{`unread = "yes" and unread = "no"`, nil},
		{`unread = "yes" or unread = "no"`, []string{` | `}},
		{`title =~ "x" and age < 7`, []string{`title =~ "x" | age < 7`}},
		{`starred = "yes" or (unread = "yes" and feed = "A")`, []string{
			` | starred = "yes"`, `feed = "A" | starred = "no" and unread = "yes"`}},
	} {
		f := mustParse(t, c.rule)
		parts, ok := f.Split(splitStatic, 4)
		if !ok {
			t.Fatalf("%s: not split", c.rule)
		}
		var got []string
		for _, p := range parts {
			s, d := "", ""
			if p.Static != nil {
				s = p.Static.String()
			}
			if p.Dynamic != nil {
				d = p.Dynamic.String()
			}
			got = append(got, s+" | "+d)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: parts %q, want %q", c.rule, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: parts %q, want %q", c.rule, got, c.want)
				break
			}
		}
	}
	if _, ok := mustParse(t, `age < 1 or age < 2 or age < 3 or age < 4 or age < 5`).Split(splitStatic, 4); ok {
		t.Error("five age comparisons split with at most four variables")
	}
}

// TestSQLNegatedAgeIsABound: "not" of an age comparison is the opposite
// bound on published (an index range), not NOT of the bound, and Not
// negates.
func TestSQLNegatedAgeIsABound(t *testing.T) {
	s := Schema{Columns: map[string]string{"published": "p"}}
	for _, src := range []string{`not age < 7`, `not (age >= 3)`, `not age between 2:5`, `not age = 4`, `not (age < 3 or age > 9)`} {
		f := mustParse(t, src)
		w, _, err := f.SQL(s, now)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(w, "NOT") {
			t.Errorf("%s: SQL %s holds a NOT", src, w)
		}
		n := Not(f)
		w, _, err = n.SQL(s, now)
		if err != nil || strings.Contains(w, "NOT") {
			t.Errorf("Not(%s): SQL %s, %v", src, w, err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 200 {
			it := randomItem(r, now)
			if n.Match(&it, now) == f.Match(&it, now) {
				t.Fatalf("Not(%s) matches %v as the rule does", src, it.Published)
			}
		}
	}
}

func TestOr(t *testing.T) {
	f, g := mustParse(t, `title = "a"`), mustParse(t, `unread = "yes" and age < 3`)
	o := Or(f, g)
	if o.String() != `title = "a" or (unread = "yes" and age < 3)` {
		t.Errorf("Or: %s", o)
	}
	if Or() != nil {
		t.Error("Or() is not nil")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		it := randomItem(r, now)
		if o.Match(&it, now) != (f.Match(&it, now) || g.Match(&it, now)) {
			t.Fatalf("Or on %+v", it)
		}
	}
}
