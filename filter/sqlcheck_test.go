package filter

import (
	"regexp"
	"strings"
	"testing"
)

// sqlWords is every word the generated SQL may contain: keywords, tables,
// columns, aliases and functions written in this package. Nothing the user
// types can add to it.
var sqlWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		SELECT FROM WHERE AND OR NOT EXISTS IN IS NULL LIKE GLOB LIMIT ASC DESC NULLS LAST ORDER BY
		r m p s c d a t e b 1 0
		runs latest_metrics params_flat stages dataset_columns datasets artifacts tags environment branch_runs
		id commit_id run name slice split value num key op role path sha256 size rows stored branch
		author message time exit_status source_commit source_branch source_remote source_dirty
		instr length json_type json_extract coalesce`) {
		sqlWords[w] = true
	}
}

var sqlWordRE = regexp.MustCompile(`[A-Za-z_0-9]+`)

// checkSQL asserts what must hold of any SQL this package writes: no quote
// characters (so no literal), only known words, balanced parentheses, and
// one argument per placeholder.
func checkSQL(t testing.TB, in, sql string, args []any) {
	t.Helper()
	if strings.ContainsAny(sql, "'\"`;\\") || strings.Contains(sql, "--") || strings.Contains(sql, "/*") {
		t.Fatalf("%q: SQL has a quote, ';', backslash or comment: %s", in, sql)
	}
	for _, w := range sqlWordRE.FindAllString(sql, -1) {
		if !sqlWords[w] {
			t.Fatalf("%q: SQL has the word %q, not one of this package's: %s", in, w, sql)
		}
	}
	depth := 0
	for _, c := range sql {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				t.Fatalf("%q: unbalanced parentheses: %s", in, sql)
			}
		}
	}
	if depth != 0 {
		t.Fatalf("%q: unbalanced parentheses: %s", in, sql)
	}
	if n := strings.Count(sql, "?"); n != len(args) {
		t.Fatalf("%q: %d placeholders but %d args: %s", in, n, len(args), sql)
	}
	for _, a := range args {
		switch a.(type) {
		case string, int64, float64:
		default:
			t.Fatalf("%q: argument %#v of type %T", in, a, a)
		}
	}
}
