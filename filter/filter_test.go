package filter

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// shape prints a parsed expression as an S-expression, to test precedence
// and grouping without the SQL.
func shape(n node) string {
	switch n := n.(type) {
	case *boolNode:
		parts := []string{strings.ToLower(n.op)}
		for _, x := range n.xs {
			parts = append(parts, shape(x))
		}
		return "(" + strings.Join(parts, " ") + ")"
	case *notNode:
		return "(not " + shape(n.x) + ")"
	case *existsNode:
		return "(exists " + n.src.name + ")"
	case *cmpNode:
		op := n.op
		if n.negate {
			op = "not-" + op
		}
		var vals []string
		for _, v := range n.vals {
			vals = append(vals, v.text)
		}
		return n.src.name + op + strings.Join(vals, ",")
	}
	return fmt.Sprintf("?%T", n)
}

func parse(t *testing.T, where string) (n node, err error) {
	t.Helper()
	defer catch(&err)
	return newParser("--where", where).parseWhere(), nil
}

func TestPrecedence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"name = 'a'", "name='a'"},
		{"name = 'a' or name = 'b' and name = 'c'", "(or name='a' (and name='b' name='c'))"},
		{"name = 'a' and name = 'b' or name = 'c'", "(or (and name='a' name='b') name='c')"},
		{"(name = 'a' or name = 'b') and name = 'c'", "(and (or name='a' name='b') name='c')"},
		{"not name = 'a' and name = 'b'", "(and (not name='a') name='b')"},
		{"not (name = 'a' and name = 'b')", "(not (and name='a' name='b'))"},
		{"not not name = 'a'", "(not (not name='a'))"},
		{"name = 'a' or not name = 'b' or name = 'c'", "(or name='a' (not name='b') name='c')"},
		{"a.b", ""}, // unknown field: checked in TestErrors
		{"NOT name = 'a' AND name = 'b' Or name = 'c'", "(or (and (not name='a') name='b') name='c')"},
		{"((name = 'a'))", "name='a'"},
		{"exists params.C and not exists tags.x", "(and (exists params.C) (not (exists tags.x)))"},
		{"stages.op not in ('a', 'b') or stages.op not contains 'c'", "(or stages.opnot-in'a','b' stages.opnot-contains'c')"},
		{"name not like 'x%'", "name not-like'x%'"},
	} {
		if c.want == "" {
			continue
		}
		n, err := parse(t, c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := strings.ReplaceAll(shape(n), "name not-", "namenot-"); got != strings.ReplaceAll(c.want, "name not-", "namenot-") {
			t.Errorf("%q:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

type A = []any

// fieldCases are valid expressions with the SQL ("" to check only the
// arguments) and arguments they compile to: each kind of field, quoting,
// operators. sqlite_test.go runs them all.
var fieldCases = []struct {
	in   string
	sql  string
	args A
}{
	// metrics: latest value, [SPLIT:]NAME[SLICE]
	{"metrics.accuracy > 0.9",
		"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND m.value > ?)",
		A{"accuracy", "", "", 0.9}},
	{"metrics.accuracy[country=US] >= 1",
		"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND m.value >= ?)",
		A{"accuracy", "country=US", "", int64(1)}},
	{"metrics.test:accuracy < 1e-3", "", A{"accuracy", "", "test", 0.001}},
	{"metrics.test:loss[age<30, x=y] != 2", "", A{"loss", "age<30, x=y", "test", int64(2)}},
	{`metrics."RMSE Score" <= -0.5`, "", A{"RMSE Score", "", "", -0.5}},
	{"metrics.`RMSE Score` = 1", "", A{"RMSE Score", "", "", int64(1)}},
	{`metrics."a:b" = 1`, "", A{"a:b", "", "", int64(1)}},
	{`metrics.val:"a:b"[s] = 1`, "", A{"a:b", "s", "val", int64(1)}},
	{`metrics."x"".y" = 1`, "", A{`x".y`, "", "", int64(1)}},
	{"metrics.val.loss = 1", "", A{"val.loss", "", "", int64(1)}},
	{"metrics.a:b:c = 1", "", A{"b:c", "", "a", int64(1)}},
	{"metrics.acc in (1, 2.5)",
		"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND m.value IN (?, ?))",
		A{"acc", "", "", int64(1), 2.5}},
	// params: flattened keys, numbers via num, text via canonical JSON
	{"params.C >= 1",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.num >= ?)",
		A{"C", int64(1)}},
	{"params.classifier.C = 0.5",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.num = ?)",
		A{"classifier.C", 0.5}},
	{"params.penalty = 'l2'",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.value = ?)",
		A{"penalty", `"l2"`}},
	{`params.penalty != "a<b&""c"`,
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.value <> ?)",
		A{"penalty", `"a<b&\"c"`}},
	{"params.fit_intercept = true", "", A{"fit_intercept", "true"}},
	{"params.C != 1",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND (p.num IS NULL OR p.num <> ?))",
		A{"C", int64(1)}},
	{"params.solver contains 'lib'",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND (json_type(p.value) = ? AND instr(json_extract(p.value, ?), ?) > 0))",
		A{"solver", "text", "$", "lib"}},
	{"params.solver ~ 'lib*'",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND (json_type(p.value) = ? AND json_extract(p.value, ?) GLOB ?))",
		A{"solver", "text", "$", "lib*"}},
	{"params.solver < 'm'",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND (json_type(p.value) = ? AND json_extract(p.value, ?) < ?))",
		A{"solver", "text", "$", "m"}},
	{"params.C in (1, 'auto')",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND (p.num = ? OR p.value = ?))",
		A{"C", int64(1), `"auto"`}},
	{"params.x = null",
		"NOT EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.value <> ?)",
		A{"x", "null"}},
	{"params.x != null",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.value <> ?)",
		A{"x", "null"}},
	{"exists params.x",
		"EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ?)",
		A{"x"}},
	{`params."a b".c = 1`, "", A{"a b.c", int64(1)}},
	{"params.in = 1", "", A{"in", int64(1)}},
	// stages: any stage
	{"stages.op = 'sklearn.preprocessing.OneHotEncoder'",
		"EXISTS (SELECT 1 FROM stages s WHERE s.run = r.id AND s.op = ?)",
		A{"sklearn.preprocessing.OneHotEncoder"}},
	{"stages.name contains 'scale'",
		"EXISTS (SELECT 1 FROM stages s WHERE s.run = r.id AND instr(s.name, ?) > 0)",
		A{"scale"}},
	{"not stages.op like '%Encoder'",
		"NOT EXISTS (SELECT 1 FROM stages s WHERE s.run = r.id AND s.op LIKE ?)",
		A{"%Encoder"}},
	// datasets
	{"datasets.train.columns contains 'zip_code'",
		"EXISTS (SELECT 1 FROM dataset_columns c WHERE c.run = r.id AND c.role = ? AND c.name = ?)",
		A{"train", "zip_code"}},
	{"datasets.train.columns ~ 'zip*'",
		"EXISTS (SELECT 1 FROM dataset_columns c WHERE c.run = r.id AND c.role = ? AND c.name GLOB ?)",
		A{"train", "zip*"}},
	{"datasets.train.sha256 = 'ab12'",
		"EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ? AND d.sha256 = ?)",
		A{"train", "ab12"}},
	{"datasets.train.rows > 1000",
		"EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ? AND d.rows > ?)",
		A{"train", int64(1000)}},
	{"datasets.train.stored = true", "", A{"train", int64(1)}},
	{`datasets."my data".path ~ '*.csv'`, "", A{"my data", "*.csv"}},
	{"exists datasets.test",
		"EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ?)",
		A{"test"}},
	{"exists datasets.train.rows",
		"EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ? AND d.rows IS NOT NULL)",
		A{"train"}},
	{"exists datasets.train.sha256",
		"EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ? AND length(d.sha256) > 0)",
		A{"train"}},
	{"datasets.train.columns = null",
		"NOT EXISTS (SELECT 1 FROM dataset_columns c WHERE c.run = r.id AND c.role = ?)",
		A{"train"}},
	// artifacts
	{"artifacts.path contains 'model'",
		"EXISTS (SELECT 1 FROM artifacts a WHERE a.run = r.id AND instr(a.path, ?) > 0)",
		A{"model"}},
	// tags, env
	{"tags.team = 'growth'",
		"EXISTS (SELECT 1 FROM tags t WHERE t.run = r.id AND t.key = ? AND t.value = ?)",
		A{"team", "growth"}},
	{"env.PYTHON_VERSION ~ '3.12*'",
		"EXISTS (SELECT 1 FROM environment e WHERE e.run = r.id AND e.key = ? AND e.value GLOB ?)",
		A{"PYTHON_VERSION", "3.12*"}},
	{"tags.owner:team = 'x'", "", A{"owner:team", "x"}},
	{"tags.a[1] = 'x'", "", A{"a[1]", "x"}},
	// run columns
	{"name = 'logreg-c10'", "(r.name IS NOT NULL AND r.name = ?)", A{"logreg-c10"}},
	{"author like '%dana%'", "(r.author IS NOT NULL AND r.author LIKE ?)", A{"%dana%"}},
	{"message contains 'C=10'", "(r.message IS NOT NULL AND instr(r.message, ?) > 0)", A{"C=10"}},
	{"name in ('a', 'b')", "(r.name IS NOT NULL AND r.name IN (?, ?))", A{"a", "b"}},
	{"exit_status != 0", "(r.exit_status IS NOT NULL AND r.exit_status <> ?)", A{int64(0)}},
	{"exists author", "(r.author IS NOT NULL AND length(r.author) > 0)", nil},
	{"author = null", "NOT (r.author IS NOT NULL AND length(r.author) > 0)", nil},
	{"branch = 'main'",
		"EXISTS (SELECT 1 FROM branch_runs b WHERE b.run = r.id AND b.branch = ?)",
		A{"main"}},
	{"source.commit ~ 'abc*'", "(r.source_commit IS NOT NULL AND r.source_commit GLOB ?)", A{"abc*"}},
	{"source.branch = 'main'", "(r.source_branch IS NOT NULL AND r.source_branch = ?)", A{"main"}},
	{"source.dirty = false", "(r.source_dirty IS NOT NULL AND r.source_dirty = ?)", A{int64(0)}},
	{"exists source.dirty", "(r.source_dirty IS NOT NULL)", nil},
	// time: a literal covers an interval
	{"time = '2024-05-01'", "(r.time IS NOT NULL AND (r.time >= ? AND r.time < ?))",
		A{"2024-05-01T00:00:00.000000000Z", "2024-05-02T00:00:00.000000000Z"}},
	{"time != '2024-05'", "(r.time IS NOT NULL AND (r.time < ? OR r.time >= ?))",
		A{"2024-05-01T00:00:00.000000000Z", "2024-06-01T00:00:00.000000000Z"}},
	{"time < '2024'", "(r.time IS NOT NULL AND r.time < ?)", A{"2024-01-01T00:00:00.000000000Z"}},
	{"time <= '2024-05-01'", "(r.time IS NOT NULL AND r.time < ?)", A{"2024-05-02T00:00:00.000000000Z"}},
	{"time > '2024-05-01T12:30'", "(r.time IS NOT NULL AND r.time >= ?)", A{"2024-05-01T12:31:00.000000000Z"}},
	{"time >= '2024-05-01 12:30:05+02:00'", "(r.time IS NOT NULL AND r.time >= ?)", A{"2024-05-01T10:30:05.000000000Z"}},
	{"time ~ '2024-05-*'", "(r.time IS NOT NULL AND r.time GLOB ?)", A{"2024-05-*"}},
	// logic
	{"metrics.a > 1 and not (params.b = 'x' or name = 'y')",
		"(EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND m.value > ?) AND " +
			"NOT (EXISTS (SELECT 1 FROM params_flat p WHERE p.run = r.id AND p.key = ? AND p.value = ?) OR (r.name IS NOT NULL AND r.name = ?)))",
		A{"a", "", "", int64(1), "b", `"x"`, "y"}},
	// quoting
	{`exists datasets."columns"`, "EXISTS (SELECT 1 FROM datasets d WHERE d.run = r.id AND d.role = ?)", A{"columns"}},
	{"tags.`owner/team` = 'x'", "", A{"owner/team", "x"}},
	{`metrics.test:"RMSE Score"[country=US] > 1`, "", A{"RMSE Score", "country=US", "test", int64(1)}},
	{"name = 'it''s' or name = \"say \"\"hi\"\"\" or name = `a``b`", "", A{"it's", `say "hi"`, "a`b"}},
	{`name = 'C:\data'`, "", A{`C:\data`}},
	{"tags.not = 'x' AND params.in = 1 Or params.AND = 2", "", A{"not", "x", "in", int64(1), "AND", int64(2)}},
	{"stages.op not in ('a')", "NOT EXISTS (SELECT 1 FROM stages s WHERE s.run = r.id AND s.op = ?)", A{"a"}},
	{"  ", "1", nil},
}

// TestFields checks the SQL and arguments of each kind of field.
func TestFields(t *testing.T) {
	for _, c := range fieldCases {
		sql, args, err := Compile(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if c.sql != "" && sql != c.sql {
			t.Errorf("%q:\n got %s\nwant %s", c.in, sql, c.sql)
		}
		if !reflect.DeepEqual(args, c.args) {
			t.Errorf("%q: args %#v, want %#v", c.in, args, c.args)
		}
		checkSQL(t, c.in, sql, args)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"metrics.accuracy>", "--where: at column 18: expected a value after '>', got end of input"},
		{"metrics.accuracy > ", "--where: at column 20: expected a value after '>', got end of input"},
		{"metric.accuracy > 0.9", `--where: at column 1: unknown field "metric.accuracy" (did you mean "metrics.accuracy"?)`},
		{"name = 'x' and parms.C = 1", `--where: at column 16: unknown field "parms.C" (did you mean "params.C"?)`},
		{"Metrics.acc = 1", `--where: at column 1: unknown field "Metrics.acc" (did you mean "metrics.acc"?)`},
		{"environment.X = 'a'", `--where: at column 1: unknown field "environment.X" (did you mean "env.X"?)`},
		{"stages.opp = 'x'", `--where: at column 1: unknown field "stages.opp" (did you mean "stages.op"?)`},
		{"source.comit = 'x'", `--where: at column 1: unknown field "source.comit" (did you mean "source.commit"?)`},
		{"datasets.train.colums contains 'x'", `--where: at column 1: unknown field "datasets.train.colums" (did you mean "datasets.train.columns"?)`},
		{"zzz = 1", `--where: at column 1: unknown field "zzz" (fields: ` + fieldList + ")"},
		{"name.x = 'a'", `--where: at column 1: unknown field "name.x" (name has no parts)`},
		{"metrics = 1", "--where: at column 1: metrics needs a name after it: metrics.NAME, e.g. metrics.accuracy"},
		{"params = 1", "--where: at column 1: params needs a name after it: params.KEY, e.g. params.C or params.classifier.C"},
		{"datasets.rows > 1", "--where: at column 1: datasets.rows: write datasets.ROLE.rows, e.g. datasets.train.rows"},
		{"datasets.columns contains 'x'", "--where: at column 1: datasets.columns: write datasets.ROLE.columns, e.g. datasets.train.columns"},
		{"datasets.train = 'x'", "--where: at column 1: datasets.train is a dataset, not a value: test one of its parts (datasets.train.columns, .path, .sha256, .size, .rows, .stored), or write exists datasets.train"},
		{"metrics. > 1", "--where: at column 9: expected a name after 'metrics.'"},
		{"metrics.acc[] > 1", `--where: at column 12: empty slice in "metrics.acc[]"; want metrics.[SPLIT:]NAME[SLICE]`},
		{"metrics.:acc > 1", "--where: at column 9: expected a name after 'metrics.'"},
		{`metrics."":acc > 1`, `--where: at column 11: empty split in "metrics.\"\":acc"; want metrics.[SPLIT:]NAME[SLICE]`},
		{`metrics.test:"" > 1`, `--where: at column 1: empty metric name in "metrics.test:\"\""`},
		{"metrics.acc[x]y > 1", `--where: at column 15: nothing may follow a metric's [SLICE] in "metrics.acc[x]y"`},
		{"metrics.acc[x > 1", "--where: at column 12: unterminated '[': no closing ']'"},
		{"metrics.acc@3 > 1", `--where: at column 12: "metrics.acc@3": a filter looks at a metric's last value; leave out @STEP (quote a name that has an '@')`},
		{"metrics.acc > 'high'", "--where: at column 15: metrics.acc is a number, got 'high'"},
		{"metrics.acc > '0.9'", "--where: at column 15: metrics.acc is a number, got '0.9' (write numbers without quotes)"},
		{"metrics.acc contains 'x'", "--where: at column 13: metrics.acc is a number; contains works on text"},
		{"name = 5", "--where: at column 8: name is text; quote the value: '5'"},
		{"params.penalty = l2", "--where: at column 18: expected a value after '=', got l2 (quote text: 'l2')"},
		{"params.C", "--where: at column 9: expected an operator (= != < <= > >= ~ like contains in) after params.C, got end of input (to ask whether a run has it, write exists params.C)"},
		{"not params.C and name = 'x'", "--where: at column 14: expected an operator (= != < <= > >= ~ like contains in) after params.C, got 'and' (to ask whether a run has it, write exists params.C)"},
		{"name == 'x'", "--where: at column 6: write = to compare (not ==)"},
		{"name <> 'x'", "--where: at column 6: write != for 'not equal' (not <>)"},
		{"name ! 'x'", "--where: at column 6: unexpected '!' (write != for 'not equal', or the word not)"},
		{"name = 'x", "--where: at column 8: unterminated string: no closing '"},
		{`metrics."RMSE > 1`, "--where: at column 9: unterminated quoted name: no closing \""},
		{"(name = 'x'", "--where: at column 12: expected ')' to close the '(' at column 1, got end of input"},
		{"name = 'x')", "--where: at column 11: unexpected ')' (no '(' to close)"},
		{"name = 'x' name = 'y'", `--where: at column 12: expected 'and', 'or' or the end, got "name"`},
		{"name = 'x' and", "--where: at column 15: expected a field, 'not', 'exists' or '(' after 'and', got end of input"},
		{"()", "--where: at column 2: expected a field, 'not', 'exists' or '(', got ')'"},
		{"and", "--where: at column 1: expected a field, 'not', 'exists' or '(', got 'and'"},
		{"exists 'x'", "--where: at column 8: expected a field after 'exists', got 'x'"},
		{"name in 'x'", "--where: at column 9: expected '(' after 'in', got 'x'"},
		{"name in ('x' 'y')", "--where: at column 14: expected ',' or ')' in the list of 'in' at column 9, got 'y'"},
		{"name in ()", "--where: at column 10: expected a value after '(', got ')'"},
		{"name in ('a', null)", "--where: at column 15: null can only follow = or != (or write exists name, not exists name)"},
		{"metrics.a > null", "--where: at column 13: null can only follow = or != (or write exists metrics.a, not exists metrics.a)"},
		{"name like 5", "--where: at column 11: like takes a quoted string, got 5 (write '5')"},
		{"time > '2024-5-1'", "--where: at column 8: '2024-5-1' is not a time: write a UTC time like 2024, 2024-05, 2024-05-01, 2024-05-01T12:30, 2024-05-01T12:30:05 or with a zone, 2024-05-01T12:30:05+02:00"},
		{"time > 2024", "--where: at column 8: time is a time; quote it, e.g. '2024-05-01' or '2024-05-01T12:30:00Z'"},
		{"source.dirty = 1", "--where: at column 16: source.dirty is true or false, got 1"},
		{"source.dirty > true", "--where: at column 14: source.dirty is true or false; compare it with = or !="},
		{"params.x > true", "--where: at column 12: true and false have no order; compare params.x with = or !="},
		{"datasets.train.columns = 'x'", "--where: at column 24: datasets.train.columns is a set of column names: use contains, like or ~, e.g. datasets.train.columns contains 'zip_code'"},
		{"metrics.a > 1.2.3", `--where: at column 13: malformed number "1.2.3"`},
		{"metrics.a > 1e999", "--where: at column 13: number 1e999 is out of range"},
		{"metrics.a > 0.9and name = 'x'", `--where: at column 13: malformed number "0.9and"`},
		{"name = 'x' ; drop table runs", "--where: at column 12: unexpected character ';'"},
		{"name = 'é' and é", `--where: at column 16: unknown field "é" (fields: ` + fieldList + ")"},
		{"name = 'x' # y", "--where: at column 12: unexpected character '#'"},
		{"branch.x = 'a'", `--where: at column 1: unknown field "branch.x" (branch has no parts; for the branch of the code, write source.branch)`},
	} {
		_, _, err := Compile(c.in)
		if err == nil {
			t.Errorf("%q: no error, want %s", c.in, c.want)
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %T is not *Error", c.in, err)
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.in, err, c.want)
		}
	}
}

func TestSort(t *testing.T) {
	for _, c := range []struct {
		in   string
		sql  string
		args A
	}{
		{"", "", nil},
		{"-metrics.accuracy",
			"(SELECT m.value FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? LIMIT 1) DESC NULLS LAST",
			A{"accuracy", "", ""}},
		{" +name , - time", "r.name ASC NULLS LAST, r.time DESC NULLS LAST", nil},
		{"params.C,-tags.team",
			"(SELECT coalesce(p.num, p.value) FROM params_flat p WHERE p.run = r.id AND p.key = ? LIMIT 1) ASC NULLS LAST, " +
				"(SELECT t.value FROM tags t WHERE t.run = r.id AND t.key = ? LIMIT 1) DESC NULLS LAST",
			A{"C", "team"}},
		{"-metrics.test:auc[a=1,b=2],datasets.train.rows",
			"(SELECT m.value FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? LIMIT 1) DESC NULLS LAST, " +
				"(SELECT d.rows FROM datasets d WHERE d.run = r.id AND d.role = ? LIMIT 1) ASC NULLS LAST",
			A{"auc", "a=1,b=2", "test", "train"}},
		{`-metrics."RMSE, Score"`, "", A{"RMSE, Score", "", ""}},
		{"exit_status, source.dirty", "r.exit_status ASC NULLS LAST, r.source_dirty ASC NULLS LAST", nil},
	} {
		sql, args, err := CompileSort(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if c.sql != "" && sql != c.sql || c.sql == "" && c.in == "" && sql != "" {
			t.Errorf("%q:\n got %s\nwant %s", c.in, sql, c.sql)
		}
		if !reflect.DeepEqual(args, c.args) {
			t.Errorf("%q: args %#v, want %#v", c.in, args, c.args)
		}
		checkSQL(t, c.in, sql, args)
	}
	for _, c := range []struct{ in, want string }{
		{"stages.op", "--sort: at column 1: cannot sort by stages.op: a run may have several; sort by a field with one value per run (metrics.NAME, params.KEY, name, time, …)"},
		{"name,-branch", "--sort: at column 7: cannot sort by branch: a run may have several; sort by a field with one value per run (metrics.NAME, params.KEY, name, time, …)"},
		{"datasets.train.columns", "--sort: at column 1: cannot sort by datasets.train.columns: a run may have several; sort by a field with one value per run (metrics.NAME, params.KEY, name, time, …)"},
		{"name,", "--sort: at column 6: expected a field to sort by after ',', got end of input"},
		{",name", "--sort: at column 1: expected a field to sort by, got ','"},
		{"-", "--sort: at column 2: expected a field to sort by, got end of input"},
		{"name time", `--sort: at column 6: expected ',' or the end after name, got "time"`},
		{"metric.acc", `--sort: at column 1: unknown field "metric.acc" (did you mean "metrics.acc"?)`},
		{"-'x'", "--sort: at column 2: expected a field to sort by, got 'x'"},
		{"name, metrics.'a'", "--sort: at column 15: expected a name after 'metrics.'"},
		{"--name", "--sort: at column 2: unexpected character '-'"},
	} {
		_, _, err := CompileSort(c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
}

func TestQuery(t *testing.T) {
	sql, args, err := Query("", "", -1)
	if err != nil || sql != "SELECT r.id, r.commit_id FROM runs r ORDER BY r.time DESC" || args != nil {
		t.Errorf("Query(all) = %q, %v, %v", sql, args, err)
	}
	sql, args, err = Query("metrics.accuracy > 0.9", "-metrics.accuracy", 5)
	want := "SELECT r.id, r.commit_id FROM runs r WHERE EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? AND m.value > ?) " +
		"ORDER BY (SELECT m.value FROM latest_metrics m WHERE m.run = r.id AND m.name = ? AND m.slice = ? AND m.split = ? LIMIT 1) DESC NULLS LAST, r.time DESC LIMIT ?"
	if err != nil || sql != want || !reflect.DeepEqual(args, []any{"accuracy", "", "", 0.9, "accuracy", "", "", int64(5)}) {
		t.Errorf("Query = %q, %#v, %v", sql, args, err)
	}
	if _, _, err := Query("x", "", 0); err == nil || !strings.HasPrefix(err.Error(), "--where: ") {
		t.Errorf("bad where: %v", err)
	}
	if _, _, err := Query("", "x", 0); err == nil || !strings.HasPrefix(err.Error(), "--sort: ") {
		t.Errorf("bad sort: %v", err)
	}
}

// TestMetricKeySyntax checks that metrics.KEY reads KEY as `modeldb commit
// --metric` does.
func TestMetricKeySyntax(t *testing.T) {
	for _, key := range []string{
		"accuracy", "test:auc", "accuracy[country=US]", "test:loss[age<30]", "a:b:c",
		"val.loss", "x[a:b]", "f1-score", "split:name[s[1]]", "acc[x y, z=w]",
	} {
		m, err := runfile.ParseMetricFlag(key + "=1")
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		_, args, err := Compile("metrics." + key + " = 1")
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if got := []any{m.Name, m.Slice, m.Split}; !reflect.DeepEqual(args[:3], got) {
			t.Errorf("%s: filter reads %q, commit --metric reads %q", key, args[:3], got)
		}
	}
}

func TestCanonicalParams(t *testing.T) {
	for _, s := range []string{"l2", `a"b`, `back\slash`, "<&>", "tab\tnew\nline", "é ☃", "\u2028", "\x01"} {
		want, err := objects.Canonical(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalJSON(literal{kind: litStr, str: s}); got != string(want) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
	if timeFormat != objects.TimeFormat {
		t.Errorf("timeFormat %q, objects.TimeFormat %q", timeFormat, objects.TimeFormat)
	}
}

func TestTimeRange(t *testing.T) {
	for _, c := range []struct{ in, lo, hi string }{
		{"2024", "2024-01-01T00:00:00.000000000Z", "2025-01-01T00:00:00.000000000Z"},
		{"2024-12", "2024-12-01T00:00:00.000000000Z", "2025-01-01T00:00:00.000000000Z"},
		{"2024-02-29", "2024-02-29T00:00:00.000000000Z", "2024-03-01T00:00:00.000000000Z"},
		{"2024-05-01T23:59", "2024-05-01T23:59:00.000000000Z", "2024-05-02T00:00:00.000000000Z"},
		{"2024-05-01 10:00Z", "2024-05-01T10:00:00.000000000Z", "2024-05-01T10:01:00.000000000Z"},
		{"2024-05-01T10:00:00", "2024-05-01T10:00:00.000000000Z", "2024-05-01T10:00:01.000000000Z"},
		{"2024-05-01T10:00:00.5", "2024-05-01T10:00:00.500000000Z", "2024-05-01T10:00:00.600000000Z"},
		{"2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.123456790Z"},
		{"2024-05-01T01:00:00-02:30", "2024-05-01T03:30:00.000000000Z", "2024-05-01T03:30:01.000000000Z"},
		{"2024-05-01T01:00+01:00", "2024-05-01T00:00:00.000000000Z", "2024-05-01T00:01:00.000000000Z"},
	} {
		lo, hi, ok := timeRange(c.in)
		if !ok || lo != c.lo || hi != c.hi {
			t.Errorf("%q: [%s, %s) %v, want [%s, %s)", c.in, lo, hi, ok, c.lo, c.hi)
		}
	}
	for _, bad := range []string{"", "24", "2024-13", "2024-02-30", "2024-05-01T", "2024-05-01T1:00", "2024-05-01T10:00:00.", "2024-05-01T10:00:00.1234567890",
		"2024-05-01T10:00:00+2", "2024-05-01X10:00", "9999-12-31", "yesterday", "2024-05-01T10:00:00.5x"} {
		if lo, hi, ok := timeRange(bad); ok {
			t.Errorf("%q: [%s, %s), want an error", bad, lo, hi)
		}
	}
}

func TestErrorsOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"'\r'":            `--where: at column 1: expected a field, 'not', 'exists' or '(', got '\r'`,
		"name = 5\n and":  `--where: at column 8: name is text; quote the value: '5'`,
		"tags.x = 1 \x01": `--where: at column 10: tags.x is text; quote the value: '1'`,
		"name = '\xff' x": `--where: at column 12: expected 'and', 'or' or the end, got "x"`,
		"params.\"a\tb\"": `--where: at column 13: expected an operator (= != < <= > >= ~ like contains in) after params."a\tb", got end of input (to ask whether a run has it, write exists params."a\tb")`,
	} {
		_, _, err := Compile(in)
		if err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", in, err, want)
		}
	}
}
