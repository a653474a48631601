package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The parser is recursive descent over the grammar in doc.go; it stops at
// the first error by panicking with a failure, which the entry points
// recover.

type node interface{}

// boolNode is a chain of operands joined by one of AND, OR.
type boolNode struct {
	op string // "AND" or "OR"
	xs []node
}

type notNode struct{ x node }

type existsNode struct{ src *source }

// cmpNode tests a field against values: op is one of = != < <= > >= ~
// like contains in; negate is set by the infix "not" of "not in".
type cmpNode struct {
	src    *source
	op     string
	opPos  int
	vals   []literal
	negate bool
}

type litKind int

const (
	litNum litKind = iota
	litStr
	litBool
	litNull
)

type literal struct {
	kind  litKind
	pos   int
	text  string // as written
	num   float64
	isInt bool
	i     int64
	str   string
	b     bool
	// lo and hi bound a time literal: the instants it covers, in the
	// fixed-width UTC form of runs.time.
	lo, hi string
}

type parser struct {
	flag string
	src  string
	toks []token
	i    int
}

func newParser(flag, src string) *parser {
	return &parser{flag: flag, src: src, toks: lex(src)}
}

func (p *parser) fail(pos int, format string, args ...any) {
	fail(p.flag, p.src, pos, format, args...)
}

// peek returns the token n ahead of the current one, stopping the parse
// at a lexical error.
func (p *parser) peek(n int) token {
	j := min(p.i+n, len(p.toks)-1)
	for k := p.i; k <= j; k++ {
		if t := p.toks[k]; t.kind == tError {
			p.fail(t.pos, "%s", t.str)
		}
	}
	return p.toks[j]
}

func (p *parser) cur() token { return p.peek(0) }

func (p *parser) advance() token {
	t := p.cur()
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(t token, words ...string) bool {
	if t.kind != tKeyword {
		return false
	}
	for _, w := range words {
		if t.str == w {
			return true
		}
	}
	return false
}

// parseWhere parses a whole --where expression.
func (p *parser) parseWhere() node {
	n := p.parseOr()
	switch t := p.cur(); t.kind {
	case tEOF:
		return n
	case tRParen:
		p.fail(t.pos, "unexpected ')' (no '(' to close)")
	default:
		p.fail(t.pos, "expected 'and', 'or' or the end, got %s", describe(t))
	}
	return nil
}

func (p *parser) parseOr() node  { return p.parseChain("or", "OR", p.parseAnd) }
func (p *parser) parseAnd() node { return p.parseChain("and", "AND", p.parseUnary) }

func (p *parser) parseChain(word, op string, operand func() node) node {
	x := operand()
	if !p.isKeyword(p.cur(), word) {
		return x
	}
	b := &boolNode{op: op, xs: []node{x}}
	for p.isKeyword(p.cur(), word) {
		p.advance()
		b.xs = append(b.xs, operand())
	}
	return b
}

func (p *parser) parseUnary() node {
	if p.isKeyword(p.cur(), "not") {
		p.advance()
		return &notNode{p.parseUnary()}
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() node {
	t := p.cur()
	switch {
	case t.kind == tLParen:
		p.advance()
		x := p.parseOr()
		if c := p.cur(); c.kind != tRParen {
			p.fail(c.pos, "expected ')' to close the '(' at column %d, got %s", p.column(t.pos), describe(c))
		}
		p.advance()
		return x
	case p.isKeyword(t, "exists"):
		p.advance()
		f := p.cur()
		if f.kind != tField {
			p.fail(f.pos, "expected a field after 'exists', got %s", describe(f))
		}
		p.advance()
		return &existsNode{p.resolve(f)}
	case t.kind == tField:
		p.advance()
		return p.parseTest(t)
	case t.kind == tEOF:
		if p.i == 0 {
			p.fail(t.pos, "empty expression")
		}
		p.fail(t.pos, "expected a field, 'not', 'exists' or '(' after %s, got end of input", describe(p.toks[p.i-1]))
	}
	p.fail(t.pos, "expected a field, 'not', 'exists' or '(', got %s", describe(t))
	return nil
}

// parseTest reads what follows field token f.
func (p *parser) parseTest(f token) node {
	src := p.resolve(f)
	t := p.cur()
	negate := false
	if p.isKeyword(t, "not") && p.isKeyword(p.peek(1), "in", "contains", "like") {
		negate = true
		p.advance()
		t = p.cur()
	}
	n := &cmpNode{src: src, negate: negate, opPos: t.pos}
	switch {
	case t.kind == tOp && !negate:
		p.advance()
		n.op = t.str
		n.vals = []literal{p.parseValue(t)}
	case p.isKeyword(t, "contains", "like"):
		p.advance()
		n.op = t.str
		n.vals = []literal{p.parseValue(t)}
	case p.isKeyword(t, "in"):
		p.advance()
		n.op = "in"
		open := p.cur()
		if open.kind != tLParen {
			p.fail(open.pos, "expected '(' after 'in', got %s", describe(open))
		}
		p.advance()
		for {
			n.vals = append(n.vals, p.parseValue(p.toks[p.i-1]))
			c := p.cur()
			if c.kind == tRParen {
				p.advance()
				break
			}
			if c.kind != tComma {
				p.fail(c.pos, "expected ',' or ')' in the list of 'in' at column %d, got %s", p.column(open.pos), describe(c))
			}
			p.advance()
		}
	default:
		hint := ""
		if t.kind == tEOF || t.kind == tRParen || p.isKeyword(t, "and", "or") {
			hint = fmt.Sprintf(" (to ask whether a run has it, write exists %s)", f.text)
		}
		p.fail(t.pos, "expected an operator (= != < <= > >= ~ like contains in) after %s, got %s%s",
			f.text, describe(t), hint)
	}
	p.check(n)
	return n
}

// parseValue reads a literal after token after (an operator, '(' or ',').
func (p *parser) parseValue(after token) literal {
	t := p.cur()
	l := literal{pos: t.pos, text: t.text}
	switch {
	case t.kind == tNumber:
		l.kind, l.num, l.isInt, l.i = litNum, t.num, t.isInt, t.i
	case t.kind == tString:
		l.kind, l.str = litStr, t.str
	case p.isKeyword(t, "true", "false"):
		l.kind, l.b = litBool, t.str == "true"
	case p.isKeyword(t, "null"):
		l.kind = litNull
	case t.kind == tField:
		p.fail(t.pos, "expected a value after %s, got %s (quote text: %s)", describe(after), t.text, quoteString(t.text))
	default:
		p.fail(t.pos, "expected a value after %s, got %s", describe(after), describe(t))
	}
	p.advance()
	return l
}

// column converts a byte offset into a 1-based column for messages.
func (p *parser) column(pos int) int {
	return utf8.RuneCountInString(p.src[:pos]) + 1
}

// quoteString writes s as a single-quoted literal of the language.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
