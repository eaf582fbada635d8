package filter

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar, as participle reads it:
//
//	expr    = unary [ ("and" | "or") expr ]      right-nested, one level (newsboat's)
//	unary   = "not" unary | "(" expr ")" | compare
//	compare = ident op value
//	op      = "=" | "==" | "!=" | "=~" | "!~" | "<" | ">" | "<=" | ">=" | "#" | "!#" | "between"
//	value   = string | range | number
//
// Keywords are identifiers with a reserved spelling, so "and" or "or" that
// runs straight into an identifier ("42andy") lexes as one identifier and
// is refused, as newsboat refuses it, while "42and(" and `"x"or y` parse.

type gExpr struct {
	Left  *gUnary `parser:"@@"`
	Op    string  `parser:"( @('and' | 'or')"`
	Right *gExpr  `parser:"  @@ )?"`
}

type gUnary struct {
	Not   *gUnary   `parser:"  'not' @@"`
	Group *gExpr    `parser:"| '(' @@ ')'"`
	Cmp   *gCompare `parser:"| @@"`
}

type gCompare struct {
	Pos   lexer.Position
	Attr  string `parser:"@Ident"`
	Op    string `parser:"@(Op | 'between')"`
	Value gValue `parser:"@@"`
}

type gValue struct {
	Pos    lexer.Position
	String *string `parser:"  @String"`
	Range  *string `parser:"| @Range"`
	Number *string `parser:"| @Number"`
}

// Token rules, tried in this order at each position (the first that
// matches wins). Open catches a string with no closing quote and Other any
// stray character, so that lexing never fails and every fault reaches the
// parser as a token it can name.
var lexRules = []lexer.SimpleRule{
	{Name: "String", Pattern: `"(?:\\.|[^"\\])*"`},
	{Name: "Open", Pattern: `"(?:\\.|[^"\\])*\\?`},
	{Name: "Range", Pattern: `-?[0-9]+:-?[0-9]+`},
	{Name: "Number", Pattern: `-?[0-9]+`},
	{Name: "Ident", Pattern: `[-\pL\pN_.]+`},
	{Name: "Op", Pattern: `=~|==|!~|!=|!#|<=|>=|=|<|>|#`},
	{Name: "Paren", Pattern: `[()]`},
	{Name: "Space", Pattern: `[ \t\r\n]+`},
	{Name: "Other", Pattern: `.`},
}

// grammar is the lexer and the parser, built once per Parser.
type grammar struct {
	lex    *lexer.StatefulDefinition
	parser *participle.Parser[gExpr]
	types  map[lexer.TokenType]string // token type → rule name
}

func newGrammar() (*grammar, error) {
	def, err := lexer.NewSimple(lexRules)
	if err != nil {
		return nil, err
	}
	// No lookahead: once a branch has taken a token it is the branch, so
	// "b = 2 and )" is faulted at ")" (where the fault is), not at "and".
	p, err := participle.Build[gExpr](participle.Lexer(def), participle.Elide("Space"), participle.UseLookahead(0))
	if err != nil {
		return nil, err
	}
	types := map[lexer.TokenType]string{lexer.EOF: "EOF"}
	for name, t := range def.Symbols() {
		types[t] = name
	}
	return &grammar{lex: def, parser: p, types: types}, nil
}
