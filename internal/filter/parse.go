package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/steppe-news/steppe/internal/suggest"
)

// Limits on one rule. They keep a hostile or mistaken rule from costing
// much to parse, and its SQL within SQLite's expression depth (1,000).
const (
	// MaxRuleBytes is the longest rule Parse takes.
	MaxRuleBytes = 64 << 10
	// MaxOperators is the most and/or/not a rule may hold.
	MaxOperators = 500
	// MaxParens is the deepest nesting of parentheses a rule may hold.
	MaxParens = 100
)

// Filter is a compiled rule. It is immutable and safe for concurrent use.
type Filter struct {
	src   string
	root  node
	attrs []string
}

// theGrammar is built once; it is never changed after.
var theGrammar = sync.OnceValues(newGrammar)

// Parse compiles a rule in newsboat's filter language (see the package
// documentation). Every fault is an *Error naming its column.
func Parse(src string) (*Filter, error) {
	g, err := theGrammar()
	if err != nil {
		return nil, fmt.Errorf("filter: building the grammar: %w", err)
	}
	if len(src) > MaxRuleBytes {
		e := errorAt(src, 0)
		e.Reason = fmt.Sprintf("the rule is %d bytes long; at most %d are allowed", len(src), MaxRuleBytes)
		return nil, e
	}
	if !utf8.ValidString(src) {
		off := 0
		for off < len(src) {
			r, n := utf8.DecodeRuneInString(src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		e := errorAt(src, off)
		e.Reason = "the rule is not valid UTF-8 here"
		return nil, e
	}
	if strings.Trim(src, " \t\r\n") == "" {
		e := errorAt(src, 0)
		e.Found, e.Expected, e.Reason = endOfRule, termExpected, "the rule is empty"
		return nil, e
	}
	toks, err := g.tokens(src)
	if err != nil {
		return nil, err
	}
	if err := checkLimits(src, toks); err != nil {
		return nil, err
	}
	pl, err := lexer.Upgrade(&sliceLexer{toks: toks})
	if err != nil {
		return nil, fmt.Errorf("filter: %w", err)
	}
	tree, err := g.parser.ParseFromLexer(pl)
	if err != nil {
		return nil, g.syntaxError(src, toks, err)
	}
	b := builder{src: src}
	root, err := b.expr(tree)
	if err != nil {
		return nil, err
	}
	slices.Sort(b.attrs)
	return &Filter{src: src, root: root, attrs: slices.Compact(b.attrs)}, nil
}

// String returns the rule in canonical form: steppe's attribute names,
// single spaces, "=" for "==", and only the parentheses the grammar needs.
// Parse(f.String()) is the same rule as f.
func (f *Filter) String() string {
	var b strings.Builder
	writeNode(&b, f.root)
	return b.String()
}

// Source returns the rule as it was given to Parse.
func (f *Filter) Source() string { return f.src }

// Attributes returns the canonical names of the attributes the rule reads,
// sorted, each once. A rule that reads "age" depends on the time it is
// evaluated at; one that reads "content" needs the article's body.
func (f *Filter) Attributes() []string { return slices.Clone(f.attrs) }

// tokens lexes src, leaving out white space, ending with the EOF token.
func (g *grammar) tokens(src string) ([]lexer.Token, error) {
	lx, err := g.lex.LexString("", src)
	if err != nil {
		return nil, fmt.Errorf("filter: %w", err)
	}
	space := g.lex.Symbols()["Space"]
	toks := make([]lexer.Token, 0, 16)
	for {
		t, err := lx.Next()
		if err != nil {
			// The rules match every character, so this is not the user's
			// fault; still, say where.
			e := errorAt(src, t.Pos.Offset)
			e.Reason = err.Error()
			return nil, e
		}
		if t.Type == space {
			continue
		}
		toks = append(toks, t)
		if t.EOF() {
			return toks, nil
		}
	}
}

// checkLimits refuses rules past MaxOperators or MaxParens before the
// parser, which recurses once per level, sees them.
func checkLimits(src string, toks []lexer.Token) error {
	ops, depth := 0, 0
	for _, t := range toks {
		switch t.Value {
		case "and", "or", "not":
			if ops++; ops > MaxOperators {
				e := errorAt(src, t.Pos.Offset)
				e.Reason = fmt.Sprintf("the rule has more than %d and/or/not; use a regular expression with | for long alternatives", MaxOperators)
				return e
			}
		case "(":
			if depth++; depth > MaxParens {
				e := errorAt(src, t.Pos.Offset)
				e.Reason = fmt.Sprintf("parentheses nest deeper than %d", MaxParens)
				return e
			}
		case ")":
			depth--
		}
	}
	return nil
}

// sliceLexer hands the parser tokens lexed once.
type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	if s.i >= len(s.toks) {
		return s.toks[len(s.toks)-1], nil
	}
	t := s.toks[s.i]
	s.i++
	return t, nil
}

// What each place in the grammar accepts, for messages.
var (
	termExpected  = []string{"an attribute name", `"("`, `"not"`}
	opExpected    = []string{"an operator (=, ==, !=, =~, !~, <, >, <=, >=, #, !#, between)"}
	valueExpected = []string{"a quoted string", "number"}
	rangeExpected = []string{"a range such as 0:7"}
	closeExpected = []string{`"and"`, `"or"`, `")"`}
	endExpected   = []string{`"and"`, `"or"`, endOfRule}
)

// syntaxError turns participle's error into an *Error. participle says
// where the fault is (the first token no branch could take); what was
// expected there follows from the tokens before it, which walk the
// grammar's four places: a term, an operator, a value, after a value.
func (g *grammar) syntaxError(src string, toks []lexer.Token, perr error) error {
	var pe participle.Error
	if !errors.As(perr, &pe) {
		return fmt.Errorf("filter: %w", perr)
	}
	off := pe.Position().Offset
	var ut *participle.UnexpectedTokenError
	if errors.As(perr, &ut) {
		off = ut.Unexpected.Pos.Offset
	}
	i := slices.IndexFunc(toks, func(t lexer.Token) bool { return t.Pos.Offset >= off })
	if i < 0 {
		i = len(toks) - 1
	}
	t := toks[i]
	e := errorAt(src, t.Pos.Offset)
	if t.EOF() {
		e.Found = endOfRule
	} else {
		e.Found = shown(t.Value)
	}
	if i > 0 {
		e.After = shown(toks[i-1].Value)
	}

	const (
		term = iota
		operator
		value
		after
	)
	place, depth := term, 0
	for _, p := range toks[:i] {
		typ := g.types[p.Type]
		switch {
		case place == term && p.Value == "not" && typ == "Ident":
		case place == term && p.Value == "(":
			depth++
		case place == term && typ == "Ident":
			place = operator
		case place == operator && (typ == "Op" || p.Value == "between" && typ == "Ident"):
			place = value
		case place == value && (typ == "String" || typ == "Range" || typ == "Number"):
			place = after
		case place == after && (p.Value == "and" || p.Value == "or") && typ == "Ident":
			place = term
		case place == after && p.Value == ")" && depth > 0:
			depth--
		default:
			// The walk and participle disagree: say only what was found.
			e.Reason = fmt.Sprintf("unexpected %s", e.Found)
			return e
		}
	}
	switch place {
	case term:
		e.Expected = termExpected
	case operator:
		e.Expected = opExpected
	case value:
		e.Expected = valueExpected
		if toks[i-1].Value == "between" {
			e.Expected = rangeExpected
		}
	case after:
		e.Expected = endExpected
		if depth > 0 {
			e.Expected = closeExpected
		}
	}
	if g.types[t.Type] == "Open" {
		e.Reason = `this string has no closing quote (")`
	}
	return e
}

// builder turns participle's tree into nodes, checking what the grammar
// cannot: attribute names and regular expressions.
type builder struct {
	src   string
	attrs []string
}

func (b *builder) expr(x *gExpr) (node, error) {
	l, err := b.unary(x.Left)
	if err != nil || x.Right == nil {
		return l, err
	}
	r, err := b.expr(x.Right)
	if err != nil {
		return nil, err
	}
	if x.Op == "and" {
		return &andNode{l, r}, nil
	}
	return &orNode{l, r}, nil
}

func (b *builder) unary(u *gUnary) (node, error) {
	switch {
	case u.Not != nil:
		x, err := b.unary(u.Not)
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	case u.Group != nil:
		return b.expr(u.Group)
	default:
		return b.compare(u.Cmp)
	}
}

func (b *builder) compare(c *gCompare) (node, error) {
	a := lookupAttribute(c.Attr)
	if a == nil {
		e := errorAt(b.src, c.Pos.Offset)
		e.Found = shown(c.Attr)
		if slices.Contains(newsboatOnly, c.Attr) {
			e.Reason = fmt.Sprintf("newsboat's attribute %q has no equivalent in steppe (it knows %s)", c.Attr, canonicalList())
		} else if near := suggest.Nearest(c.Attr, AttributeNames()); near != "" {
			e.Reason = fmt.Sprintf("unknown attribute %q (did you mean %s?)", shown(c.Attr), near)
		} else {
			e.Reason = fmt.Sprintf("unknown attribute %q (steppe knows %s)", shown(c.Attr), canonicalList())
		}
		return nil, e
	}
	b.attrs = append(b.attrs, a.name)
	n := &cmpNode{attr: a, op: opNames[c.Op]}
	switch v := c.Value; {
	case v.String != nil:
		n.kind, n.raw = litString, (*v.String)[1:len(*v.String)-1]
		n.val = unescape(n.raw)
	case v.Range != nil:
		n.kind, n.raw, n.val = litRange, *v.Range, *v.Range
	default:
		n.kind, n.raw, n.val = litNumber, *v.Number, *v.Number
	}
	n.num = numPrefix(n.val)
	n.lo, n.hi, n.rangeOK = splitRange(n.val)
	n.eqInt, n.eqIntOK = canonicalInt(n.val)
	if p, _ := n.op.positive(); p == opMatch {
		re, err := regexp.Compile("(?i)" + n.raw)
		if err != nil {
			e := errorAt(b.src, c.Value.Pos.Offset)
			e.Found = shown(n.raw)
			var se *syntax.Error
			if errors.As(err, &se) {
				e.Reason = fmt.Sprintf("invalid regular expression: %s: %s", se.Code, shown(se.Expr))
			} else {
				e.Reason = "invalid regular expression: " + shown(err.Error())
			}
			return nil, e
		}
		n.re = re
	}
	return n, nil
}

// Conjuncts returns the rule split at its top-level "and"s: rules whose
// conjunction is f, in order (f itself, alone, when it has no top-level
// "and"). A caller can keep the parts that read only what an article
// keeps apart from those that read its state or age.
func (f *Filter) Conjuncts() []*Filter {
	var parts []node
	var split func(n node)
	split = func(n node) {
		if a, ok := n.(*andNode); ok {
			split(a.l)
			split(a.r)
			return
		}
		parts = append(parts, n)
	}
	split(f.root)
	if len(parts) == 1 {
		return []*Filter{f}
	}
	out := make([]*Filter, len(parts))
	for i, n := range parts {
		var b strings.Builder
		writeNode(&b, n)
		var attrs []string
		nodeAttrs(n, &attrs)
		slices.Sort(attrs)
		out[i] = &Filter{src: b.String(), root: n, attrs: slices.Compact(attrs)}
	}
	return out
}

// And returns the conjunction of fs (nil for none): a rule matching what
// every one of them matches.
func And(fs ...*Filter) *Filter {
	if len(fs) == 0 {
		return nil
	}
	f := fs[0]
	for _, g := range fs[1:] {
		root := &andNode{l: f.root, r: g.root}
		var b strings.Builder
		writeNode(&b, root)
		attrs := append(slices.Clone(f.attrs), g.attrs...)
		slices.Sort(attrs)
		f = &Filter{src: b.String(), root: root, attrs: slices.Compact(attrs)}
	}
	return f
}

// Or returns the disjunction of fs (nil for none): a rule matching what
// any of them matches.
func Or(fs ...*Filter) *Filter {
	if len(fs) == 0 {
		return nil
	}
	n := fs[0].root
	for _, g := range fs[1:] {
		n = &orNode{l: n, r: g.root}
	}
	return newFilter(n)
}

// Not returns the negation of f: a rule matching what f does not.
func Not(f *Filter) *Filter { return newFilter(&notNode{x: f.root}) }

// nodeAttrs appends the names of the attributes n reads.
func nodeAttrs(n node, out *[]string) {
	switch n := n.(type) {
	case *andNode:
		nodeAttrs(n.l, out)
		nodeAttrs(n.r, out)
	case *orNode:
		nodeAttrs(n.l, out)
		nodeAttrs(n.r, out)
	case *notNode:
		nodeAttrs(n.x, out)
	case *cmpNode:
		*out = append(*out, n.attr.name)
	}
}
