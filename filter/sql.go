package filter

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Compile turns a --where expression into a SQL boolean expression over
// the runs table aliased "r" (e.g. "EXISTS (SELECT 1 FROM latest_metrics m
// WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND
// m.value > ?)") and its arguments. The SQL is made only of text written in
// this package: every name and value from the expression is an argument.
// A blank expression compiles to "1" (true). Errors are *Error.
func Compile(where string) (sql string, args []any, err error) {
	defer catch(&err)
	if strings.TrimSpace(where) == "" {
		return "1", nil, nil
	}
	p := newParser("--where", where)
	n := p.parseWhere()
	var g gen
	g.node(n)
	return g.b.String(), g.args, nil
}

// CompileSort turns a --sort spec into an ORDER BY list over r (plus args):
// comma-separated fields, each ascending or, after '-', descending; runs
// without the field sort last. A blank spec compiles to "". Errors are
// *Error.
func CompileSort(sort string) (sql string, args []any, err error) {
	defer catch(&err)
	p := &parser{flag: "--sort", src: sort}
	var g gen
	i := 0
	for {
		for i < len(sort) && isSpace(sort[i]) {
			i++
		}
		if i == len(sort) && g.b.Len() == 0 {
			if strings.TrimSpace(sort) != "" {
				p.fail(i, "expected a field to sort by, got end of input")
			}
			return "", nil, nil
		}
		desc := false
		if i < len(sort) && (sort[i] == '-' || sort[i] == '+') {
			desc = sort[i] == '-'
			i++
			for i < len(sort) && isSpace(sort[i]) {
				i++
			}
		}
		t := lexOne(sort, i)
		if t.kind == tError {
			p.fail(t.pos, "%s", t.str)
		}
		if t.kind != tField {
			p.fail(t.pos, "expected a field to sort by, got %s", describe(t))
		}
		if g.b.Len() > 0 {
			g.sql(", ")
		}
		g.sortKey(p, p.resolve(t), desc)
		i = t.end
		for i < len(sort) && isSpace(sort[i]) {
			i++
		}
		if i == len(sort) {
			return g.b.String(), g.args, nil
		}
		if sort[i] != ',' {
			n := lexOne(sort, i)
			if n.kind == tError {
				p.fail(n.pos, "%s", n.str)
			}
			p.fail(i, "expected ',' or the end after %s, got %s", t.text, describe(n))
		}
		i++
		for i < len(sort) && isSpace(sort[i]) {
			i++
		}
		if i == len(sort) {
			p.fail(i, "expected a field to sort by after ',', got end of input")
		}
	}
}

// Query builds the full statement: SELECT r.id, r.commit_id FROM runs r
// WHERE <where> ORDER BY <sort>, r.time DESC (newest first when sort is
// blank), with LIMIT ? when limit >= 0. A blank where selects every run.
func Query(where, sort string, limit int) (sql string, args []any, err error) {
	var b strings.Builder
	b.WriteString("SELECT r.id, r.commit_id FROM runs r")
	if strings.TrimSpace(where) != "" {
		w, wargs, err := Compile(where)
		if err != nil {
			return "", nil, err
		}
		b.WriteString(" WHERE " + w)
		args = append(args, wargs...)
	}
	b.WriteString(" ORDER BY ")
	s, sargs, err := CompileSort(sort)
	if err != nil {
		return "", nil, err
	}
	if s != "" {
		b.WriteString(s + ", ")
		args = append(args, sargs...)
	}
	b.WriteString("r.time DESC")
	if limit >= 0 {
		b.WriteString(" LIMIT ?")
		args = append(args, int64(limit))
	}
	return b.String(), args, nil
}

// gen writes SQL and collects its arguments in the order of their '?'.
type gen struct {
	b    strings.Builder
	args []any
}

// sql writes SQL text; it is only ever given constants of this package.
func (g *gen) sql(s string) { g.b.WriteString(s) }

// arg writes a placeholder for v.
func (g *gen) arg(v any) {
	g.b.WriteByte('?')
	g.args = append(g.args, v)
}

func (g *gen) node(n node) {
	switch n := n.(type) {
	case *boolNode:
		g.sql("(")
		for i, x := range n.xs {
			if i > 0 {
				g.sql(" " + n.op + " ")
			}
			g.node(x)
		}
		g.sql(")")
	case *notNode:
		g.sql("NOT ")
		g.node(n.x)
	case *existsNode:
		g.exists(n.src, false)
	case *cmpNode:
		g.cmp(n)
	}
}

// exists writes whether the run has a value for s. With notNull, a
// parameter recorded as JSON null counts as having none.
func (g *gen) exists(s *source, notNull bool) {
	if s.col != "" {
		g.sql("(" + s.col + " IS NOT NULL")
		if s.typ == textType || s.typ == timeType {
			g.sql(" AND length(" + s.col + ") > 0")
		}
		g.sql(")")
		return
	}
	g.open(s)
	if s.nullable {
		g.sql(" AND ")
		if s.typ == textType {
			g.sql("length(" + s.value + ") > 0")
		} else {
			g.sql(s.value + " IS NOT NULL")
		}
	}
	if notNull && s.typ == jsonType {
		g.sql(" AND " + s.value + " <> ")
		g.arg("null")
	}
	g.sql(")")
}

// open starts the EXISTS subquery of a table source, up to its key
// conditions; the caller adds conditions and the closing parenthesis.
func (g *gen) open(s *source) {
	g.sql("EXISTS (SELECT 1 FROM " + s.from + " WHERE " + s.alias + ".run = r.id")
	for _, k := range s.keys {
		g.sql(" AND " + k.col + " = ")
		g.arg(k.val)
	}
}

func (g *gen) cmp(n *cmpNode) {
	s := n.src
	if len(n.vals) == 1 && n.vals[0].kind == litNull {
		if n.op == "=" {
			g.sql("NOT ")
		}
		g.exists(s, true)
		return
	}
	if n.negate {
		g.sql("NOT ")
	}
	if s.col != "" {
		g.sql("(" + s.col + " IS NOT NULL AND ")
		g.cond(n, s.col)
		g.sql(")")
		return
	}
	g.open(s)
	g.sql(" AND ")
	g.cond(n, s.value)
	g.sql(")")
}

var sqlOps = map[string]string{"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// cond writes the test of value expression v against n's values.
func (g *gen) cond(n *cmpNode, v string) {
	if n.op != "in" {
		g.cond1(n.src.typ, n.op, v, n.vals[0])
		return
	}
	if len(n.vals) == 1 {
		g.cond1(n.src.typ, "=", v, n.vals[0])
		return
	}
	if t := n.src.typ; t == numType || t == textType {
		g.sql(v + " IN (")
		for i, l := range n.vals {
			if i > 0 {
				g.sql(", ")
			}
			g.arg(value(l))
		}
		g.sql(")")
		return
	}
	g.sql("(")
	for i, l := range n.vals {
		if i > 0 {
			g.sql(" OR ")
		}
		g.cond1(n.src.typ, "=", v, l)
	}
	g.sql(")")
}

// cond1 writes the test "v op l" for a field of type t.
func (g *gen) cond1(t valueType, op, v string, l literal) {
	switch op {
	case "contains", "like", "~":
		if t == jsonType {
			// A parameter is compared as text only when it is a JSON string.
			g.sql("(json_type(" + v + ") = ")
			g.arg("text")
			g.sql(" AND ")
			g.textOp(op, "json_extract("+v+", ?)", l.str, "$")
			g.sql(")")
			return
		}
		if t == setType && op == "contains" {
			g.sql(v + " = ")
			g.arg(l.str)
			return
		}
		g.textOp(op, v, l.str)
		return
	}
	switch t {
	case timeType:
		switch op {
		case "=":
			g.sql("(" + v + " >= ")
			g.arg(l.lo)
			g.sql(" AND " + v + " < ")
			g.arg(l.hi)
			g.sql(")")
		case "!=":
			g.sql("(" + v + " < ")
			g.arg(l.lo)
			g.sql(" OR " + v + " >= ")
			g.arg(l.hi)
			g.sql(")")
		case "<":
			g.sql(v + " < ")
			g.arg(l.lo)
		case "<=":
			g.sql(v + " < ")
			g.arg(l.hi)
		case ">":
			g.sql(v + " >= ")
			g.arg(l.hi)
		case ">=":
			g.sql(v + " >= ")
			g.arg(l.lo)
		}
	case jsonType:
		switch {
		case l.kind == litNum && op == "!=":
			g.sql("(p.num IS NULL OR p.num <> ")
			g.arg(value(l))
			g.sql(")")
		case l.kind == litNum:
			g.sql("p.num " + sqlOps[op] + " ")
			g.arg(value(l))
		case op == "=" || op == "!=":
			g.sql(v + " " + sqlOps[op] + " ")
			g.arg(canonicalJSON(l))
		default: // a string, ordered
			g.sql("(json_type(" + v + ") = ")
			g.arg("text")
			g.sql(" AND json_extract(" + v + ", ")
			g.arg("$")
			g.sql(") " + sqlOps[op] + " ")
			g.arg(l.str)
			g.sql(")")
		}
	default:
		g.sql(v + " " + sqlOps[op] + " ")
		g.arg(value(l))
	}
}

// textOp writes a text test of v: contains, like or ~ (GLOB). pre are
// arguments of placeholders already in v.
func (g *gen) textOp(op, v, s string, pre ...any) {
	switch op {
	case "contains":
		g.sql("instr(" + v + ", ")
		g.args = append(g.args, pre...)
		g.arg(s)
		g.sql(") > 0")
	case "like":
		g.sql(v + " LIKE ")
		g.args = append(g.args, pre...)
		g.arg(s)
	case "~":
		g.sql(v + " GLOB ")
		g.args = append(g.args, pre...)
		g.arg(s)
	}
}

// sortKey writes one ORDER BY term for s.
func (g *gen) sortKey(p *parser, s *source, desc bool) {
	switch {
	case s.typ == roleType || s.typ == setType || s.many:
		p.fail(s.pos, "cannot sort by %s: a run may have several; sort by a field with one value per run (metrics.NAME, params.KEY, name, time, …)", s.name)
	case s.col != "":
		g.sql(s.col)
	default:
		v := s.value
		if s.typ == jsonType {
			v = "coalesce(p.num, p.value)"
		}
		g.sql("(SELECT " + v + " FROM " + s.from + " WHERE " + s.alias + ".run = r.id")
		for _, k := range s.keys {
			g.sql(" AND " + k.col + " = ")
			g.arg(k.val)
		}
		g.sql(" LIMIT 1)")
	}
	if desc {
		g.sql(" DESC NULLS LAST")
	} else {
		g.sql(" ASC NULLS LAST")
	}
}

// value is the SQL argument for a literal: int64 or float64 for numbers,
// 1 or 0 for booleans, the text for strings.
func value(l literal) any {
	switch l.kind {
	case litNum:
		if l.isInt {
			return l.i
		}
		return l.num
	case litBool:
		if l.b {
			return int64(1)
		}
		return int64(0)
	}
	return l.str
}

// canonicalJSON encodes a string or boolean literal as params.value holds
// it: canonical JSON, without HTML escaping (objects.Canonical).
func canonicalJSON(l literal) string {
	if l.kind == litBool {
		if l.b {
			return "true"
		}
		return "false"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(l.str) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}
