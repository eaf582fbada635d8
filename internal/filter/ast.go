package filter

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// op is a comparison operator.
type op int

const (
	opEq      op = iota // = and ==
	opNe                // !=
	opMatch             // =~
	opNoMatch           // !~
	opLt                // <
	opGt                // >
	opLe                // <=
	opGe                // >=
	opHas               // #
	opHasNot            // !#
	opBetween           // between
)

var opNames = map[string]op{
	"=": opEq, "==": opEq, "!=": opNe, "=~": opMatch, "!~": opNoMatch,
	"<": opLt, ">": opGt, "<=": opLe, ">=": opGe, "#": opHas, "!#": opHasNot,
	"between": opBetween,
}

func (o op) String() string {
	return [...]string{"=", "!=", "=~", "!~", "<", ">", "<=", ">=", "#", "!#", "between"}[o]
}

// positive returns the operator o negates and true (!= gives =), or o and
// false: every negated operator is exactly "not" of its positive one, in
// newsboat as here.
func (o op) positive() (op, bool) {
	switch o {
	case opNe:
		return opEq, true
	case opNoMatch:
		return opMatch, true
	case opHasNot:
		return opHas, true
	}
	return o, false
}

// litKind is how a value was written.
type litKind int

const (
	litString litKind = iota // "…"
	litNumber                // 42, -7
	litRange                 // 0:10
)

// node is one node of a compiled rule.
type node interface{ isNode() }

type andNode struct{ l, r node }
type orNode struct{ l, r node }
type notNode struct{ x node }

// cmpNode is one comparison, with everything Match and SQL need worked
// out once at Parse.
type cmpNode struct {
	attr *attribute
	op   op // as written (negated operators kept)
	kind litKind
	raw  string // the value as written, without the quotes of a string
	// val is the value operators other than =~ and !~ compare with: a
	// string's raw text with \" and \\ unescaped; a number's or range's text.
	val string
	re  *regexp.Regexp // =~ and !~: raw compiled case-insensitively
	// num is val's numeric prefix as newsboat reads it (for <, >, <=, >=).
	num int64
	// lo, hi are the ends of a between range (lo <= hi); rangeOK is false
	// when val is not two numbers around one colon (between is then false).
	lo, hi  int64
	rangeOK bool
	// eqInt is val as an integer when val is an integer's canonical
	// decimal form (for age = N in SQL); eqIntOK says whether it is.
	eqInt   int64
	eqIntOK bool
}

func (*andNode) isNode() {}
func (*orNode) isNode()  {}
func (*notNode) isNode() {}
func (*cmpNode) isNode() {}

// unescape turns \" into " and \\ into \ (other backslashes stay).
func unescape(raw string) string {
	if !strings.Contains(raw, `\`) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' && i+1 < len(raw) && (raw[i+1] == '"' || raw[i+1] == '\\') {
			i++
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}

// numPrefix is newsboat's string_to_num: the leading decimal integer of s
// (an optional '-' then ASCII digits), 0 if there is none, clamped to the
// range of a 32-bit integer.
func numPrefix(s string) int64 {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	start := i
	var n int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n <= math.MaxInt32+1 {
			n = n*10 + int64(s[i]-'0')
		}
	}
	if i == start {
		return 0
	}
	if neg {
		n = -n
	}
	return clamp32(n)
}

func clamp32(n int64) int64 {
	return min(max(n, math.MinInt32), math.MaxInt32)
}

// splitRange reads "A:B" as newsboat's between does: exactly two fields
// around one colon, each read by numPrefix, in either order.
func splitRange(s string) (lo, hi int64, ok bool) {
	a, b, found := strings.Cut(s, ":")
	if !found || strings.Contains(b, ":") {
		return 0, 0, false
	}
	x, y := numPrefix(a), numPrefix(b)
	return min(x, y), max(x, y), true
}

// canonicalInt reads s as an integer if s is exactly how strconv writes it.
func canonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// writeNode writes n in the canonical form String returns. The left side
// of and/or and the operand of not are parenthesised when they are an
// and/or, since the grammar nests to the right only; so is a right side
// of the other operator ("a and (b or c)"), which needs none but reads
// wrongly without.
func writeNode(b *strings.Builder, n node) {
	switch n := n.(type) {
	case *andNode:
		writeOperand(b, n.l)
		b.WriteString(" and ")
		if _, ok := n.r.(*orNode); ok {
			writeOperand(b, n.r)
		} else {
			writeNode(b, n.r)
		}
	case *orNode:
		writeOperand(b, n.l)
		b.WriteString(" or ")
		if _, ok := n.r.(*andNode); ok {
			writeOperand(b, n.r)
		} else {
			writeNode(b, n.r)
		}
	case *notNode:
		b.WriteString("not ")
		writeOperand(b, n.x)
	case *cmpNode:
		b.WriteString(n.attr.name)
		b.WriteByte(' ')
		b.WriteString(n.op.String())
		b.WriteByte(' ')
		if n.kind == litString {
			b.WriteByte('"')
			b.WriteString(n.raw)
			b.WriteByte('"')
		} else {
			b.WriteString(n.raw)
		}
	}
}

func writeOperand(b *strings.Builder, n node) {
	switch n.(type) {
	case *andNode, *orNode:
		b.WriteByte('(')
		writeNode(b, n)
		b.WriteByte(')')
	default:
		writeNode(b, n)
	}
}
