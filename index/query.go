package index

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Rows is the complete result of a query. Values hold int64, float64,
// string, []byte or nil, as SQLite returned them.
type Rows struct {
	Columns []string
	Values  [][]any
}

// ErrRefused is wrapped by every error of a statement that Query does not
// run because it would do more than read.
var ErrRefused = errors.New("refused")

// RefusedError reports a statement that Query does not run.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

// Unwrap returns ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }

const readOnlyHint = "the index is read-only: only SELECT, WITH, VALUES and EXPLAIN statements run"

// Query runs one read-only statement and returns all its rows. Before the
// statement reaches SQLite, CheckReadOnly refuses statements that write or
// administer, any naming ATTACH, DETACH, PRAGMA or VACUUM, and more than
// one statement. The statement then runs on a connection opened read-only
// (mode=ro, query_only) whose authorizer denies every action but reading,
// so that SQLite itself refuses whatever slipped through (WITH … DELETE).
// A refused statement gets an error wrapping ErrRefused; one SQLite cannot
// compile gets SQLite's message.
func (ix *Index) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	if err := CheckReadOnly(query); err != nil {
		return nil, err
	}
	db, err := ix.readDB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqlError(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, sqlError(err)
	}
	out := &Rows{Columns: cols, Values: [][]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, sqlError(err)
		}
		out.Values = append(out.Values, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlError(err)
	}
	return out, nil
}

var errCode = regexp.MustCompile(` \(\d+\)$`)

// sqlError turns a SQLite error into one line: SQLite's message without
// the numeric code, or a refusal when the authorizer stopped the statement.
func sqlError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_AUTH, sqlite3.SQLITE_READONLY:
		return &RefusedError{"statement refused: it does more than read (" + readOnlyHint + ")"}
	}
	return cleanError(err)
}

// cleanError returns a SQLite error as SQLite's message alone, without the
// numeric code the driver appends ("no such table: x", not "SQL logic
// error: no such table: x (1)"); other errors unchanged.
func cleanError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	msg := errCode.ReplaceAllString(se.Error(), "")
	msg = strings.TrimPrefix(msg, "SQL logic error: ")
	if se.Error() == err.Error() {
		return errors.New(msg)
	}
	return errors.New(strings.Replace(err.Error(), se.Error(), msg, 1))
}

// forbidden are keywords refused wherever they appear outside quotes and
// comments: they reach beyond the index or change how SQLite runs.
var forbidden = map[string]bool{"ATTACH": true, "DETACH": true, "PRAGMA": true, "VACUUM": true}

// writeStarts are the keywords of statements that are not read-only. Any
// other first word goes to SQLite, which reports a typo as a syntax error
// and whose authorizer refuses anything else.
var writeStarts = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "REPLACE": true, "UPSERT": true,
	"CREATE": true, "DROP": true, "ALTER": true, "REINDEX": true, "ANALYZE": true,
	"ATTACH": true, "DETACH": true, "PRAGMA": true, "VACUUM": true,
	"BEGIN": true, "COMMIT": true, "END": true, "ROLLBACK": true, "SAVEPOINT": true, "RELEASE": true,
}

// CheckReadOnly refuses, before SQLite sees it, a statement that starts
// with the keyword of one that writes or administers (writeStarts), one
// that names ATTACH, DETACH, PRAGMA or VACUUM outside strings, quoted names
// and comments, an empty one, and more than one statement. It is a first
// line only: Query also runs the statement where SQLite refuses writes.
func CheckReadOnly(query string) error {
	var toks []token
	for _, t := range tokens(query) {
		if len(toks) > 0 || t.text != ";" { // leading semicolons are empty statements
			toks = append(toks, t)
		}
	}
	if len(toks) == 0 {
		return &RefusedError{"empty query: give one SELECT statement"}
	}
	first := strings.ToUpper(toks[0].text)
	if toks[0].word && writeStarts[first] {
		return &RefusedError{fmt.Sprintf("%s statements are refused (%s)", first, readOnlyHint)}
	}
	for _, t := range toks {
		if t.word && forbidden[strings.ToUpper(t.text)] {
			return &RefusedError{fmt.Sprintf("%s is refused (%s)", strings.ToUpper(t.text), readOnlyHint)}
		}
	}
	for i, t := range toks {
		if t.text != ";" {
			continue
		}
		for _, rest := range toks[i+1:] {
			if rest.text != ";" {
				return &RefusedError{"only one statement per query: remove what follows ';'"}
			}
		}
	}
	return nil
}

type token struct {
	text string
	word bool // a bare word: keyword or unquoted identifier
}

// tokens splits SQL into tokens the way SQLite's tokenizer does as far as
// the checks need: comments and whitespace are dropped; string literals,
// quoted identifiers ("x", `x`, [x]) and bare words are single tokens, so a
// keyword inside a string or a quoted name is not mistaken for one.
func tokens(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return out
			}
			i += j + 1
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(s) {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			out = append(out, token{text: s[i:min(j+1, len(s))]})
			i = j + 1
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				j = len(s) - i - 1
			}
			out = append(out, token{text: s[i : i+j+1]})
			i += j + 1
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			out = append(out, token{text: s[i:j], word: !(c >= '0' && c <= '9')})
			i = j
		default:
			out = append(out, token{text: s[i : i+1]})
			i++
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}
