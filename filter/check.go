package filter

import (
	"strconv"
	"strings"
)

// check makes sure a comparison means something for its field — the
// operator suits the field's type and each value suits both — and works
// out the bounds of time literals.
func (p *parser) check(n *cmpNode) {
	s := n.src
	switch s.typ {
	case roleType:
		p.fail(s.pos, "%s is a dataset, not a value: test one of its parts (%s.columns, .path, .sha256, .size, .rows, .stored), or write exists %s",
			s.name, s.name, s.name)
	case setType:
		if n.op != "contains" && n.op != "like" && n.op != "~" && !(len(n.vals) == 1 && n.vals[0].kind == litNull) {
			p.fail(n.opPos, "%s is a set of column names: use contains, like or ~, e.g. %s contains 'zip_code'", s.name, s.name)
		}
	case numType, boolType:
		if n.op == "contains" || n.op == "like" || n.op == "~" {
			p.fail(n.opPos, "%s is %s; %s works on text", s.name, typeName(s.typ), n.op)
		}
		if s.typ == boolType && n.op != "=" && n.op != "!=" && n.op != "in" {
			p.fail(n.opPos, "%s is true or false; compare it with = or !=", s.name)
		}
	}
	for i := range n.vals {
		p.checkValue(n, &n.vals[i])
	}
}

func (p *parser) checkValue(n *cmpNode, v *literal) {
	s := n.src
	if v.kind == litNull {
		if n.op != "=" && n.op != "!=" {
			p.fail(v.pos, "null can only follow = or != (or write exists %s, not exists %s)", s.name, s.name)
		}
		return
	}
	if n.op == "contains" || n.op == "like" || n.op == "~" {
		if v.kind != litStr {
			p.fail(v.pos, "%s takes a quoted string, got %s (write %s)", n.op, v.text, quoteString(v.text))
		}
		return
	}
	ordered := n.op != "=" && n.op != "!=" && n.op != "in"
	switch s.typ {
	case numType:
		if v.kind != litNum {
			hint := ""
			if _, err := strconv.ParseFloat(strings.TrimSpace(v.str), 64); v.kind == litStr && err == nil {
				hint = " (write numbers without quotes)"
			}
			p.fail(v.pos, "%s is a number, got %s%s", s.name, v.text, hint)
		}
	case textType:
		if v.kind != litStr {
			p.fail(v.pos, "%s is text; quote the value: %s", s.name, quoteString(v.text))
		}
	case timeType:
		if v.kind != litStr {
			p.fail(v.pos, "%s is a time; quote it, e.g. '2024-05-01' or '2024-05-01T12:30:00Z'", s.name)
		}
		lo, hi, ok := timeRange(v.str)
		if !ok {
			p.fail(v.pos, "%s is not a time: write a UTC time like 2024, 2024-05, 2024-05-01, 2024-05-01T12:30, 2024-05-01T12:30:05 or with a zone, 2024-05-01T12:30:05+02:00", v.text)
		}
		v.lo, v.hi = lo, hi
	case boolType:
		if v.kind != litBool {
			p.fail(v.pos, "%s is true or false, got %s", s.name, v.text)
		}
	case jsonType:
		if v.kind == litBool && ordered {
			p.fail(v.pos, "true and false have no order; compare %s with = or !=", s.name)
		}
	}
}

func typeName(t valueType) string {
	switch t {
	case numType:
		return "a number"
	case boolType:
		return "true or false"
	}
	return "text"
}
