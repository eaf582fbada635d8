package filter

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// dump writes a node's whole structure, for comparing two parses.
func dump(n node) string {
	var b strings.Builder
	var walk func(node)
	walk = func(n node) {
		switch n := n.(type) {
		case *andNode:
			b.WriteString("and(")
			walk(n.l)
			b.WriteString(",")
			walk(n.r)
			b.WriteString(")")
		case *orNode:
			b.WriteString("or(")
			walk(n.l)
			b.WriteString(",")
			walk(n.r)
			b.WriteString(")")
		case *notNode:
			b.WriteString("not(")
			walk(n.x)
			b.WriteString(")")
		case *cmpNode:
			b.WriteString(n.attr.name + " " + n.op.String() + " ")
			b.WriteString([]string{"s", "n", "r"}[n.kind] + "[" + n.raw + "]")
		}
	}
	walk(n)
	return b.String()
}

func mustParse(t testing.TB, src string) *Filter {
	t.Helper()
	f, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return f
}

func TestParseAcceptsNewsboatQueries(t *testing.T) {
	// filterparser.cpp's valid queries, with its placeholder attributes
	// renamed to real ones (steppe refuses unknown attributes at Parse).
	for _, src := range []string{
		`title = "b"`,
		`(title="b")`,
		`((title="b"))`,
		`title != "b"`,
		`title =~ "b"`,
		`title !~ "b"`,
		`( title = "b") and ( author = "c" ) or ( ( link != "d" ) and ( link !~ "asdf" )) or link != "xx"`,
		`title == "abc"`,
		`title==""`,
		`title between 0:-1`,
		`title between "impossible"`,
		`group # "name"`,
		`title !# 42`,
		`author =~ "\\s*Doe$"`,
		`age between -100:-1`,
		`age between 123:-10`,
		// Whitespace does not matter, before and after and/or either.
		`group # "bar"`, `   group # "bar"`, `group   # "bar"`, `group #   "bar"`,
		`group # "bar"     `, `group#  "bar"  `, `     group         #         "bar"      `,
		`age = 42and link=0`, `age = "42"and link=0`, `age = "42"or link=42`,
		`age=42and(link=0)`, `(age=42)and(link=0)`, `age=42and link=0`,
		`age=42or(link=0)`, `(age=42)or(link=0)`, `age=42or link=0`,
		// get_referenced_attributes' rule: "5or le" parses.
		`title = 1 or title == 2 or title != 3 or title =~ "abc" or title !~ "abc" or age < 4 or age > 5or age <= 6 or age >= 7 or age between 8:9 or group # "abc" or group !# "abc"`,
		// The documentation's examples (those with article attributes).
		`age between 0:10`,
		`( author =~ "Frank" or author =~ "John" ) and ( title =~ "Linux" or title =~ "FreeBSD" )`,
		`unread = "yes"`,
		`tags # "tag1"`,
		`tags # "news"`,
		`author =~ "Andreas Krennmair"`,
		`title =~ "Gentoo"`,
		`title =~ "^RT by"`,
		`unread = "yes" and age between 0:7`,
		// steppe's additions.
		`not title = "x"`, `not(title = "x")`, `not not starred = "yes"`,
		"title = \"x\"\n\tand age < 3",
		`enclosure_type =~ "^audio/" and enclosure_url =~ "\.mp3$"`,
	} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

func TestParseTree(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		// and/or: one precedence, nested to the right (newsboat's
		// t_parses_complex_queries).
		{`title = "b" and author = "c" or link = "d"`, `and(title = s[b],or(author = s[c],link = s[d]))`},
		{`title = "b" or author = "c" and link = "d"`, `or(title = s[b],and(author = s[c],link = s[d]))`},
		{`(title = "b" or author = "c") and link = "d"`, `and(or(title = s[b],author = s[c]),link = s[d])`},
		{`title = 1 and author = 2 and link = 3`, `and(title = n[1],and(author = n[2],link = n[3]))`},
		// not binds to the term after it.
		{`not title = 1 and author = 2`, `and(not(title = n[1]),author = n[2])`},
		{`not (title = 1 and author = 2)`, `not(and(title = n[1],author = n[2]))`},
		{`title = 1 or not not author = 2`, `or(title = n[1],not(not(author = n[2])))`},
		// == is =; aliases become steppe's names.
		{`feedtitle == "x"`, `feed = s[x]`},
		{`rssurl = "x"`, `feedurl = s[x]`},
		{`tags # "x"`, `group # s[x]`},
		{`enclosure_url = "x"`, `enclosure = s[x]`},
		// Values.
		{`age between 0:-1`, `age between r[0:-1]`},
		{`title = -7`, `title = n[-7]`},
		{`title = 007`, `title = n[007]`},
		{`title = ""`, `title = s[]`},
		{`title = "a\"b"`, `title = s[a\"b]`},
		{`title = "a and b"`, `title = s[a and b]`},
		{`title=42and(author=0)`, `and(title = n[42],author = n[0])`},
	} {
		if got := dump(mustParse(t, c.src).root); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.src, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	opAlts := opExpected
	for _, c := range []struct {
		src      string
		column   int
		found    string
		expected []string
		after    string
		msg      string // the whole message, when given
	}{
		// filterparser.rs's positions (0-based there) and expectations.
		{src: `title =¯ "foo"`, column: 8, found: "¯", expected: valueExpected, after: "="},
		{src: `a = b`, column: 5, found: "b", expected: valueExpected, after: "=",
			msg: `column 5: expected a quoted string or number after "=", found b`},
		{src: `a = "b"`, column: 1, msg: `column 1: unknown attribute "a" (steppe knows title, link, author, content, feed, feedurl, group, age, unread, starred, enclosure, enclosure_type)`},
		{src: `age > 1 and titel = "b"`, column: 13, msg: `column 13: unknown attribute "titel" (did you mean title?)`},
		{src: `title = b`, column: 9, found: "b", expected: valueExpected, after: "=",
			msg: `column 9: expected a quoted string or number after "=", found b`},
		{src: `title = "b`, column: 9, found: `"b`, expected: valueExpected, after: "=",
			msg: `column 9: this string has no closing quote (")`},
		{src: `title !! "b"`, column: 7, found: "!", expected: opAlts, after: "title"},
		{src: `((title="b")))`, column: 14, found: ")", expected: endExpected, after: ")",
			msg: `column 14: expected "and", "or" or the end of the rule after ")", found )`},
		{src: `age between 0:15:30`, column: 17, found: ":", expected: endExpected, after: "0:15"},
		{src: `age = 42andy=0`, column: 9, found: "andy", expected: endExpected, after: "42"},
		{src: `age = 42 andy=0`, column: 10, found: "andy", expected: endExpected, after: "42"},
		{src: `age=42andy=0`, column: 7, found: "andy", expected: endExpected},
		{src: `(age=42)andy=0`, column: 9, found: "andy", expected: endExpected},
		{src: `age=42ory=0`, column: 7, found: "ory", expected: endExpected},
		{src: `(age=42)ory=0`, column: 9, found: "ory", expected: endExpected},
		{src: `=!`, column: 1, found: "=", expected: termExpected},
		// Only faults newsboat has for tabs are gone (white space is
		// free); a CR LF after the rule is white space too.
		// Others.
		{src: `title = 1 and`, column: 14, found: endOfRule, expected: termExpected, after: "and"},
		{src: `(title = 1`, column: 11, found: endOfRule, expected: closeExpected, after: "1"},
		{src: `title = 1 or (title = 2 and )`, column: 29, found: ")", expected: termExpected, after: "and"},
		{src: `title`, column: 6, found: endOfRule, expected: opAlts, after: "title"},
		{src: `title = 1 author = 2`, column: 11, found: "author", expected: endExpected},
		{src: `age between x`, column: 13, found: "x", expected: rangeExpected, after: "between",
			msg: `column 13: expected a range such as 0:7 after "between", found x`},
		{src: `not = "x"`, column: 5, found: "=", expected: termExpected, after: "not"},
		{src: `title = 1 and and = 2`, column: 15, msg: `column 15: unknown attribute "and" (steppe knows title, link, author, content, feed, feedurl, group, age, unread, starred, enclosure, enclosure_type)`},
		{src: `título = "x"`, column: 1, found: "título"},
		{src: `title = "x" )`, column: 13, found: ")", expected: endExpected},
		{src: `title = 'x'`, column: 9, found: "'", expected: valueExpected},
		{src: `title ~= "x"`, column: 7, found: "~", expected: opAlts},
		{src: `title = "x" and ()`, column: 18, found: ")", expected: termExpected, after: "("},
		{src: "title = \x01", column: 9, found: `\x01`, expected: valueExpected},
		{src: "title = \"x\" AND age = 1", column: 13, found: "AND", expected: endExpected},
		// Unknown and newsboat-only attributes, bad regular expressions.
		{src: `Title = "x"`, column: 1, found: "Title", msg: `column 1: unknown attribute "Title" (did you mean title?)`},
		{src: `age = 1 or unread_count > 0`, column: 12, found: "unread_count"},
		{src: `title =~ "[["`, column: 10, found: "[[", msg: "column 10: invalid regular expression: missing closing ]: [["},
		{src: `title !~ "(a"`, column: 10, found: "(a"},
		{src: `title =~ 1 and author =~ "a{2000}"`, column: 26, found: "a{2000}"},
		{src: "", column: 1, found: endOfRule, expected: termExpected, msg: "column 1: the rule is empty"},
		{src: "   ", column: 1, msg: "column 1: the rule is empty"},
		{src: "title = \"\xff\"", column: 10, msg: "column 10: the rule is not valid UTF-8 here"},
	} {
		_, err := Parse(c.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want an *Error", c.src, err)
			continue
		}
		if e.Column != c.column {
			t.Errorf("Parse(%q): column %d, want %d (%v)", c.src, e.Column, c.column, err)
		}
		if c.found != "" && e.Found != c.found {
			t.Errorf("Parse(%q): found %q, want %q (%v)", c.src, e.Found, c.found, err)
		}
		if c.expected != nil && !reflect.DeepEqual(e.Expected, c.expected) {
			t.Errorf("Parse(%q): expected %q, want %q (%v)", c.src, e.Expected, c.expected, err)
		}
		if c.after != "" && e.After != c.after {
			t.Errorf("Parse(%q): after %q, want %q (%v)", c.src, e.After, c.after, err)
		}
		if c.msg != "" && err.Error() != c.msg {
			t.Errorf("Parse(%q):\n got %s\nwant %s", c.src, err, c.msg)
		}
		if e.Reason == "" && len(e.Expected) == 0 {
			t.Errorf("Parse(%q): %v says neither what was expected nor why", c.src, err)
		}
	}
}

func TestParseErrorColumnCountsCharacters(t *testing.T) {
	// "ä" is two bytes, one character; the column counts characters, the
	// offset bytes. A newline does not restart the count.
	src := "title = \"ä\"\nand x" // 17 characters, 18 bytes
	_, err := Parse(src)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: %v", err)
	}
	if e.Column != 18 || e.Offset != 18 || e.Found != endOfRule {
		t.Errorf("column %d, offset %d, found %q; want 18, 18, end (%v)", e.Column, e.Offset, e.Found, err)
	}
	src = "title = \"ä\" x"
	_, err = Parse(src)
	errors.As(err, &e)
	if e.Column != 13 || e.Offset != 13 || src[e.Offset:] != "x" {
		t.Errorf("column %d, offset %d; want 13, 13 (%v)", e.Column, e.Offset, err)
	}
}

func TestParseErrorShowsNoControlCharacters(t *testing.T) {
	_, err := Parse("title = \x1b[31mred")
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) {
		t.Fatalf("error %q holds an escape", err)
	}
	_, err = Parse("title = \"x\" " + strings.Repeat("y", 500))
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error not cut: %q", err)
	}
}

func TestParseLimits(t *testing.T) {
	long := `title = "` + strings.Repeat("x", MaxRuleBytes) + `"`
	if _, err := Parse(long); err == nil || !strings.Contains(err.Error(), "bytes long") {
		t.Errorf("a %d-byte rule: %v", len(long), err)
	}
	deep := strings.Repeat("(", MaxParens+1) + `title = "x"` + strings.Repeat(")", MaxParens+1)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Errorf("parentheses %d deep: %v", MaxParens+1, err)
	}
	ok := strings.Repeat("(", MaxParens) + `title = "x"` + strings.Repeat(")", MaxParens)
	mustParse(t, ok)
	chain := strings.TrimSuffix(strings.Repeat(`title = "x" or `, MaxOperators+2), " or ")
	if _, err := Parse(chain); err == nil || !strings.Contains(err.Error(), "more than 500") {
		t.Errorf("%d operators: %v", MaxOperators+1, err)
	}
	nots := strings.Repeat("not ", MaxOperators+1) + `title = "x"`
	if _, err := Parse(nots); err == nil {
		t.Errorf("%d nots parsed", MaxOperators+1)
	}
}

func TestStringIsCanonicalAndReparses(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`title=="x"`, `title = "x"`},
		{`  feedtitle   =~"a\"b"  `, `feed =~ "a\"b"`},
		{`title = 1 and author = 2 or link = 3`, `title = 1 and (author = 2 or link = 3)`},
		{`(title = 1 and author = 2) or link = 3`, `(title = 1 and author = 2) or link = 3`},
		{`title = 1 and author = 2 and link = 3`, `title = 1 and author = 2 and link = 3`},
		{`not(title = 1)`, `not title = 1`},
		{`not (title = 1 or author = 2)`, `not (title = 1 or author = 2)`},
		{`((age between 1:2))`, `age between 1:2`},
		{`tags#"News"and(unread="yes")`, `group # "News" and unread = "yes"`},
	} {
		f := mustParse(t, c.src)
		if got := f.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.src, got, c.want)
		}
		if f.Source() != c.src {
			t.Errorf("Source() = %q, want %q", f.Source(), c.src)
		}
		if g := mustParse(t, f.String()); dump(g.root) != dump(f.root) {
			t.Errorf("%q re-parses as %s, not %s", f.String(), dump(g.root), dump(f.root))
		}
	}
}

func TestAttributes(t *testing.T) {
	f := mustParse(t, `tags # "x" and (age < 3 or group = "y" or title =~ "z" or not unread = "yes")`)
	if got, want := f.Attributes(), []string{"age", "group", "title", "unread"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Attributes() = %q, want %q", got, want)
	}
	names := AttributeNames()
	for _, n := range []string{"title", "enclosure_type", "feedtitle", "rssurl", "tags", "enclosure_url"} {
		if !strings.Contains(strings.Join(names, " "), n) {
			t.Errorf("AttributeNames() lacks %s: %q", n, names)
		}
	}
}

// TestConjunctsAndAnd: a rule splits at its top-level "and"s into rules
// with their own attributes, and And joins them back into one that
// matches what the original does.
func TestConjunctsAndAnd(t *testing.T) {
	f, err := Parse(`unread = "yes" and (title =~ "tenge" or group # "Finance") and not age > 3`)
	if err != nil {
		t.Fatal(err)
	}
	parts := f.Conjuncts()
	var srcs [][]string
	for _, p := range parts {
		srcs = append(srcs, append([]string{p.String()}, p.Attributes()...))
	}
	want := [][]string{{`unread = "yes"`, "unread"}, {`title =~ "tenge" or group # "Finance"`, "group", "title"}, {`not age > 3`, "age"}}
	if fmt.Sprint(srcs) != fmt.Sprint(want) {
		t.Errorf("Conjuncts = %q, want %q", srcs, want)
	}
	if one := mustParse(t, `title = "a" or feed = "b"`).Conjuncts(); len(one) != 1 || one[0].String() != `title = "a" or feed = "b"` {
		t.Errorf("an or is one conjunct: %v", one)
	}
	back := And(parts...)
	if got := back.Attributes(); fmt.Sprint(got) != "[age group title unread]" {
		t.Errorf("And's attributes %v", got)
	}
	if _, err := Parse(back.String()); err != nil {
		t.Errorf("And's String %q does not parse: %v", back.String(), err)
	}
	at := time.Now()
	for _, it := range []Item{
		{Title: "Tenge up", Unread: true, Published: at},
		{Title: "Tenge up", Unread: false, Published: at},
		{Title: "Som", Group: "Finance", Unread: true, Published: at.Add(-5 * Day)},
		{Title: "Som", Group: "Finance", Unread: true, Published: at},
	} {
		if f.Match(&it, at) != back.Match(&it, at) {
			t.Errorf("%+v: the rule says %v, And of its conjuncts %v", it, f.Match(&it, at), back.Match(&it, at))
		}
	}
	if And() != nil {
		t.Error("And() is not nil")
	}
}
