package filter

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCompile feeds any text to Compile and CompileSort. Each must either
// fail with a one-line *Error at a column inside the input, or produce SQL
// that holds no user text: only this package's words (checkSQL), none of
// the input's literals verbatim, one argument per '?', the same SQL
// whatever the literals say, and SQL that SQLite runs.
func FuzzCompile(f *testing.F) {
	for _, c := range fieldCases {
		f.Add(c.in)
	}
	for _, s := range []string{
		"metrics.accuracy > 0.9 and params.C >= 1",
		"stages.op = 'sklearn.preprocessing.OneHotEncoder'",
		"datasets.train.columns contains 'zip_code'",
		"-metrics.accuracy, name",
		"name = 'x'' OR 1=1 --'",
		`tags."a"" OR ""1" = 'b'`,
		"metrics.acc[') OR 1=1 --] > 0",
		"not (a or b",
		"time >= '2024-05-01T10:00:00.5+02:00'",
		"params.x in (1, 'a', true, false)",
	} {
		f.Add(s)
	}
	db := openDB(f)
	f.Fuzz(func(t *testing.T, in string) {
		sql, args, err := Compile(in)
		checkResult(t, "--where", in, sql, args, err)
		if err == nil {
			// The SQL must not depend on what the literals say.
			if in2 := markLiterals(in); in2 != in {
				sql2, _, err2 := Compile(in2)
				if err2 == nil && sql2 != sql {
					t.Fatalf("SQL changed with the literals' text:\n%q: %s\n%q: %s", in, sql, in2, sql2)
				}
			}
			if _, err := runNames(t, db, in, "", 3); err != nil {
				t.Fatalf("%q: SQLite: %v", in, err)
			}
		}
		sql, args, err = CompileSort(in)
		checkResult(t, "--sort", in, sql, args, err)
		if err == nil {
			if _, err := runNames(t, db, "", in, 3); err != nil {
				t.Fatalf("sort %q: SQLite: %v", in, err)
			}
		}
	})
}

func checkResult(t *testing.T, flag, in, sql string, args []any, err error) {
	t.Helper()
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("%s %q: error %T is not *Error: %v", flag, in, err, err)
		}
		if fe.Flag != flag || fe.Column < 1 || fe.Column > utf8.RuneCountInString(in)+1 ||
			fe.Msg == "" || strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("%s %q: bad error %#v", flag, in, fe)
		}
		if sql != "" || args != nil {
			t.Fatalf("%s %q: SQL %q with error %v", flag, in, sql, err)
		}
		return
	}
	checkSQL(t, in, sql, args)
	for _, lit := range literals(in) {
		// Text made only of characters SQL of this package has could be
		// a piece of it by chance; anything else must not be in it.
		if strings.Trim(lit, sqlAlphabet) != "" && strings.Contains(sql, lit) {
			t.Fatalf("%s %q: literal %q is in the SQL: %s", flag, in, lit, sql)
		}
	}
}

const sqlAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ (),.?<>="

// literals returns the text of the input's quoted strings and names and
// of its bracketed metric slices, as the lexer reads them.
func literals(in string) []string {
	var out []string
	for _, t := range lex(in) {
		switch t.kind {
		case tString:
			out = append(out, t.str, t.text)
		case tField:
			for _, pc := range t.pieces {
				if pc.kind == pQuoted || pc.kind == pBracket {
					out = append(out, pc.text)
				}
			}
		}
	}
	return out
}

// markLiterals adds a '§' at the end of every quoted string and quoted
// name of the input.
func markLiterals(in string) string {
	var at []int // offsets of closing quotes
	for _, t := range lex(in) {
		switch t.kind {
		case tString:
			at = append(at, t.end-1)
		case tField:
			for _, pc := range t.pieces {
				if pc.kind == pQuoted {
					if _, end, ok := readQuoted(in, pc.pos); ok {
						at = append(at, end-1)
					}
				}
			}
		}
	}
	for i := len(at) - 1; i >= 0; i-- {
		in = in[:at[i]] + "§" + in[at[i]:]
	}
	return in
}
