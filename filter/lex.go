package filter

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF     tokKind = iota
	tField           // a field path: metrics.accuracy, params."a b"
	tKeyword         // and or not in contains like exists true false null
	tNumber          // 0.9, -3, 1e-4
	tString          // 'x', "x" or `x`
	tOp              // = != < <= > >= ~
	tLParen          // (
	tRParen          // )
	tComma           // ,
	tError           // a lexical error; the parse stops when it reaches it
)

// keywords are recognised case-insensitively, and only as whole one-word
// fields: params.in is a parameter named "in".
var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "contains": true,
	"like": true, "exists": true, "true": true, "false": true, "null": true,
}

type token struct {
	kind   tokKind
	pos    int    // byte offset of the first character
	end    int    // byte offset just after the token
	text   string // the source text
	str    string // tString: the value; tKeyword: lower case; tOp: the operator; tError: the message
	num    float64
	isInt  bool // tNumber written without fraction or exponent, fitting int64
	i      int64
	pieces []piece // tField
}

type pieceKind int

const (
	pBare    pieceKind = iota // a run of letters, digits, _ - @
	pQuoted                   // "…" or `…`: taken literally
	pColon                    // :
	pBracket                  // […], text without the brackets
	pDot                      // .
)

// piece is one lexical part of a field path.
type piece struct {
	kind pieceKind
	text string
	pos  int
}

// lex splits src into tokens, ending with tEOF or, at the first lexical
// error, with a tError token.
func lex(src string) []token {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		t := lexOne(src, i)
		toks = append(toks, t)
		if t.kind == tEOF || t.kind == tError {
			return toks
		}
		i = t.end
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isBare(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '@'
}

func isFieldStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func runeAt(src string, i int) rune {
	if i >= len(src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return r
}

func errTok(pos int, msg string) token { return token{kind: tError, pos: pos, end: pos, str: msg} }

func lexOne(src string, i int) token {
	if i >= len(src) {
		return token{kind: tEOF, pos: len(src), end: len(src)}
	}
	c := src[i]
	simple := func(k tokKind, n int, s string) token {
		return token{kind: k, pos: i, end: i + n, text: src[i : i+n], str: s}
	}
	next := byte(0)
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch {
	case c == '(':
		return simple(tLParen, 1, "(")
	case c == ')':
		return simple(tRParen, 1, ")")
	case c == ',':
		return simple(tComma, 1, ",")
	case c == '~':
		return simple(tOp, 1, "~")
	case c == '=':
		if next == '=' {
			return errTok(i, "write = to compare (not ==)")
		}
		return simple(tOp, 1, "=")
	case c == '!':
		if next == '=' {
			return simple(tOp, 2, "!=")
		}
		return errTok(i, "unexpected '!' (write != for 'not equal', or the word not)")
	case c == '<' || c == '>':
		if c == '<' && next == '>' {
			return errTok(i, "write != for 'not equal' (not <>)")
		}
		if next == '=' {
			return simple(tOp, 2, src[i:i+2])
		}
		return simple(tOp, 1, src[i:i+1])
	case c == '\'' || c == '"' || c == '`':
		s, end, ok := readQuoted(src, i)
		if !ok {
			return errTok(i, "unterminated string: no closing "+string(c))
		}
		return token{kind: tString, pos: i, end: end, text: src[i:end], str: s}
	case isDigit(c) || c == '.' && isDigit(next) ||
		(c == '-' || c == '+') && (isDigit(next) || next == '.' && i+2 < len(src) && isDigit(src[i+2])):
		return lexNumber(src, i)
	}
	r := runeAt(src, i)
	if isFieldStart(r) {
		return lexField(src, i)
	}
	if r == utf8.RuneError {
		return errTok(i, "invalid UTF-8 in expression")
	}
	return errTok(i, "unexpected character "+strconv.QuoteRune(r))
}

// readQuoted reads a string quoted with src[i]; the quote character is
// written twice, as in SQL, to stand for itself. Backslashes are ordinary.
func readQuoted(src string, i int) (s string, end int, ok bool) {
	q := src[i]
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		if src[j] == q {
			if j+1 < len(src) && src[j+1] == q {
				b.WriteByte(q)
				j += 2
				continue
			}
			return b.String(), j + 1, true
		}
		b.WriteByte(src[j])
		j++
	}
	return "", len(src), false
}

func lexNumber(src string, i int) token {
	j := i
	if src[j] == '-' || src[j] == '+' {
		j++
	}
	digits := 0
	for j < len(src) && isDigit(src[j]) {
		j++
		digits++
	}
	frac := false
	if j < len(src) && src[j] == '.' {
		frac = true
		j++
		for j < len(src) && isDigit(src[j]) {
			j++
			digits++
		}
	}
	exp := false
	if digits > 0 && j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			exp = true
			for k < len(src) && isDigit(src[k]) {
				k++
			}
			j = k
		}
	}
	// A number runs up to a space, an operator or a bracket: "1abc",
	// "1.2.3" and "0.9and" are mistakes.
	bad := j
	for bad < len(src) {
		r, w := utf8.DecodeRuneInString(src[bad:])
		if !isBare(r) && r != '.' {
			break
		}
		bad += w
	}
	if digits == 0 || bad > j {
		return errTok(i, "malformed number "+strconv.Quote(src[i:bad]))
	}
	text := src[i:j]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return errTok(i, "number "+text+" is out of range")
	}
	t := token{kind: tNumber, pos: i, end: j, text: text, num: f}
	if !frac && !exp {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			t.isInt, t.i = true, n
		}
	}
	return t
}

// lexField reads a field path: pieces of bare words, quoted names
// ("RMSE Score" or `RMSE Score`, right after a '.' or ':'), ':' and
// bracketed text ([country=US]), joined by '.'. Which pieces mean what is
// decided when the field is resolved.
func lexField(src string, i int) token {
	start := i
	var ps []piece
	for i < len(src) {
		r, w := utf8.DecodeRuneInString(src[i:])
		var prev pieceKind = -1
		if len(ps) > 0 {
			prev = ps[len(ps)-1].kind
		}
		switch {
		case isBare(r) && prev != pQuoted:
			j := i + w
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if !isBare(r2) {
					break
				}
				j += w2
			}
			ps = append(ps, piece{pBare, src[i:j], i})
			i = j
			continue
		case r == '"' || r == '`':
			if prev != pDot && prev != pColon {
				break
			}
			s, end, ok := readQuoted(src, i)
			if !ok {
				return errTok(i, "unterminated quoted name: no closing "+string(r))
			}
			ps = append(ps, piece{pQuoted, s, i})
			i = end
			continue
		case r == ':':
			ps = append(ps, piece{pColon, ":", i})
			i++
			continue
		case r == '[':
			depth, j := 0, i
			for ; j < len(src); j++ {
				if src[j] == '[' {
					depth++
				} else if src[j] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j >= len(src) {
				return errTok(i, "unterminated '[': no closing ']'")
			}
			ps = append(ps, piece{pBracket, src[i+1 : j], i})
			i = j + 1
			continue
		case r == '.':
			n := runeAt(src, i+1)
			if !isBare(n) && n != '"' && n != '`' {
				return errTok(i+1, "expected a name after '"+src[start:i+1]+"'")
			}
			ps = append(ps, piece{pDot, ".", i})
			i++
			continue
		}
		break
	}
	t := token{kind: tField, pos: start, end: i, text: src[start:i], pieces: ps}
	if len(ps) == 1 && ps[0].kind == pBare && keywords[strings.ToLower(ps[0].text)] {
		t.kind, t.str = tKeyword, strings.ToLower(ps[0].text)
	}
	return t
}

// describe names a token for "got …" in error messages.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tKeyword, tOp, tLParen, tRParen, tComma:
		return "'" + t.text + "'"
	case tField:
		return strconv.Quote(t.text)
	}
	return t.text
}
