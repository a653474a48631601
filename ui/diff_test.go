package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/diff"
)

func f64(f float64) *float64 { return &f }
func i64(i int64) *int64     { return &i }

// handDiff is a run diff built by hand: a moved stage with a nested branch
// added, an inserted stage, a replaced estimator; params with a number, a
// long string and a long list; a dataset with a column added; metrics
// better, worse and unchanged; a changed artifact, source and environment.
func handDiff() *diff.RunDiff {
	ref := func(path, name, op string) *diff.StageRef { return &diff.StageRef{Path: path, Name: name, Op: op} }
	long := func(n int, extra string) []any {
		var l []any
		for i := range n {
			l = append(l, "f"+string(rune('a'+i)))
		}
		if extra != "" {
			l = append(l[:10:10], append([]any{extra}, l[10:]...)...)
		}
		return l
	}
	sqlA := "SELECT id, age, plan FROM analytics.customers WHERE signup_date >= '2023-01-01' AND country = 'US'"
	sqlB := "SELECT id, age, plan FROM analytics.customers WHERE signup_date >= '2024-01-01' AND country = 'US'"
	return &diff.RunDiff{
		A: diff.RunRef{Commit: id("a"), Name: "churn-logreg"},
		B: diff.RunRef{Commit: id("b"), Name: "churn-hgb"},
		Stages: []diff.StageDiff{
			{Status: diff.Same, Old: ref("2", "impute", "sklearn.impute.SimpleImputer"), New: ref("1", "impute", "sklearn.impute.SimpleImputer"),
				Params: diff.Values(map[string]any{"strategy": "median"}, map[string]any{"strategy": "median"})},
			{Status: diff.Moved, Old: ref("1", "pre", "sklearn.compose.ColumnTransformer"), New: ref("2", "pre", "sklearn.compose.ColumnTransformer"),
				Params: diff.Values(map[string]any{"remainder": "drop"}, map[string]any{"remainder": "passthrough"}),
				Inputs: &diff.ListDiff{Added: []string{"tickets"}},
				Stages: []diff.StageDiff{
					{Status: diff.Same, Old: ref("1.1", "num", "sklearn.preprocessing.StandardScaler"), New: ref("2.1", "num", "sklearn.preprocessing.StandardScaler")},
					{Status: diff.Added, New: ref("2.2", "bins", "sklearn.preprocessing.KBinsDiscretizer"),
						Params: diff.Values(nil, map[string]any{"n_bins": 5.0})},
				}},
			{Status: diff.Added, New: ref("3", "select", "sklearn.feature_selection.SelectKBest"),
				Params: diff.Values(nil, map[string]any{"k": 20.0})},
			{Status: diff.Replaced, Old: ref("3", "clf", "sklearn.linear_model.LogisticRegression"), New: ref("4", "clf", "sklearn.ensemble.HistGradientBoostingClassifier"),
				Params: diff.Values(map[string]any{"C": 1.0, "class_weight": "balanced"}, map[string]any{"max_iter": 300.0, "class_weight": "balanced"})},
		},
		Params: diff.Values(
			map[string]any{"C": 1.0, "features": long(20, ""), "query": sqlA, "seed": 42.0, "penalty": "l2"},
			map[string]any{"C": 10.0, "features": long(20, "tickets"), "query": sqlB, "seed": 42.0, "calibration": "isotonic"}),
		Datasets: []diff.DatasetDiff{
			{Role: "test", Status: diff.Same, Old: &diff.DatasetSide{Path: "test.csv", SHA256: "106f9cfc8ff6991295", Size: 125, Rows: i64(2)},
				New: &diff.DatasetSide{Path: "test.csv", SHA256: "106f9cfc8ff6991295", Size: 125, Rows: i64(2)}},
			{Role: "train", Status: diff.Changed, Old: &diff.DatasetSide{Path: "train.csv", SHA256: "98abaf2f2a5fe12220", Size: 155, Rows: i64(3)},
				New:     &diff.DatasetSide{Path: "train.csv", SHA256: "c0542591ac64d8bd76", Size: 208, Rows: i64(4)},
				Columns: &diff.ListDiff{Added: []string{"tickets"}}, Retyped: []diff.ColumnRetype{{Column: "age", Old: "int", New: "float"}}},
		},
		Metrics: []diff.MetricDiff{
			{Name: "accuracy", Split: "test", Status: diff.Changed, Old: f64(0.912), New: f64(0.931), Delta: f64(0.931 - 0.912),
				Relative: f64((0.931 - 0.912) / 0.912), Direction: diff.Up, Verdict: diff.Better},
			{Name: "accuracy", Slice: "country=US", Split: "test", Status: diff.Changed, Old: f64(0.884), New: f64(0.871),
				Delta: f64(0.871 - 0.884), Relative: f64((0.871 - 0.884) / 0.884), Direction: diff.Up, Verdict: diff.Worse},
			{Name: "roc_auc", Split: "test", Status: diff.Same, Old: f64(0.947), New: f64(0.947), Direction: diff.Up},
			{Name: "f1", Split: "test", Status: diff.Added, New: f64(0.74), Direction: diff.Up},
		},
		Artifacts: []diff.ArtifactDiff{
			{Path: "model.joblib", Status: diff.Changed, Old: &diff.ArtifactSide{SHA256: "45969789cc0123", Size: 44}, New: &diff.ArtifactSide{SHA256: "6d39443b82abcd", Size: 56}},
		},
		Source: diff.Source(nil, nil),
		Env:    diff.Strings(map[string]string{"python": "3.12.2", "scikit-learn": "1.5.1"}, map[string]string{"python": "3.12.2", "scikit-learn": "1.5.2"}),
		Tags:   diff.Strings(map[string]string{"team": "retention"}, map[string]string{"team": "retention"}),
	}
}

func TestWriteRunDiffPlain(t *testing.T) {
	d := handDiff()
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteRunDiff(&buf, d, RunDiffOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "diff churn-logreg " + id("a").Short() + " → churn-hgb " + id("b").Short() + `
changed: pipeline (4 stages), params (5), datasets (1), metrics (1 better, 1 worse, 1 added), artifacts (1)

Pipeline
  same      2 → 1 impute  sklearn.impute.SimpleImputer
  moved     1 → 2 pre  sklearn.compose.ColumnTransformer
              ~ remainder  drop → passthrough
              ~ inputs  +tickets
  same        1.1 → 2.1 num  sklearn.preprocessing.StandardScaler
  added       2.2 bins  sklearn.preprocessing.KBinsDiscretizer
                + n_bins  5
  added     3 select  sklearn.feature_selection.SelectKBest
              + k  20
  replaced  3 → 4 clf  sklearn.linear_model.LogisticRegression → sklearn.ensemble.HistGradientBoostingClassifier
              - C         1
              + max_iter  300
                1 unchanged (--all shows them)

Params
  ~ C            1 → 10  (+900%)
  + calibration  isotonic
  ~ features     […, fi, fj, {+tickets+}, fk, fl, …]
  - penalty      l2
  ~ query        SELECT id, age, plan FROM analytics.customers WHERE signup_date >= '202[-3-]{+4+}-01-01' AND country = 'US'
    1 unchanged (--all shows them)

Datasets
    test   test.csv  sha256 106f9cfc8f  2 rows  125 B
  ~ train  train.csv
         sha256   98abaf2f2a → c0542591ac
         rows     3 → 4
         size     155 B → 208 B
         columns  +tickets
         retyped  age: int → float

Metrics
    metric                       old    new   delta    rel
  ~ test:accuracy              0.912  0.931  +0.019  +2.1%  better
  ~ test:accuracy[country=US]  0.884  0.871  -0.013  -1.5%  worse
    test:roc_auc               0.947  0.947
  + test:f1                            0.74

Artifacts
  ~ model.joblib  sha256 45969789cc → 6d39443b82  44 B → 56 B

Environment
  ~ scikit-learn  1.5.1 → 1.5.2
    1 unchanged (--all shows them)
`
	if got := buf.String(); got != want {
		t.Errorf("WriteRunDiff:\n%s\nwant:\n%s\n%s", got, want, firstDifference(got, want))
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("first difference at line %d:\n got  %q\n want %q", i+1, al[i], bl[i])
		}
	}
	return "one is a prefix of the other"
}

func TestWriteRunDiffAll(t *testing.T) {
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteRunDiff(&buf, handDiff(), RunDiffOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"\n                strategy  median\n",
		"\n                class_weight  balanced\n",
		"\n    seed         42\n",
		"\n  ~ features     [fa, fb, fc, fd, fe, ff, fg, fh, fi, fj, {+tickets+}, fk, fl, fm, fn, fo, fp, fq, fr, fs, ft]\n",
		"\n    python        3.12.2\n",
		"\nTags\n    team  retention\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("--all output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "unchanged") || strings.Contains(got, "…") {
		t.Errorf("--all output hides something:\n%s", got)
	}
}

func TestWriteRunDiffColour(t *testing.T) {
	var buf bytes.Buffer
	if err := NewStyles(&buf, true).WriteRunDiff(&buf, handDiff(), RunDiffOptions{}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.Contains(got, "\x1b[") || !strings.Contains(got, ";9m") {
		t.Errorf("coloured diff has no escapes or no strike-through:\n%q", got)
	}
	if strings.Contains(got, "[-") || strings.Contains(got, "{+") {
		t.Errorf("coloured diff still has plain inline markers:\n%s", got)
	}
}

func TestWriteRunDiffNoChanges(t *testing.T) {
	d := handDiff()
	d.Stages, d.Params, d.Datasets, d.Artifacts, d.Env = d.Stages[:1], nil, nil, nil, nil
	d.Metrics = d.Metrics[2:3]
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteRunDiff(&buf, d, RunDiffOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "diff churn-logreg " + id("a").Short() + " → churn-hgb " + id("b").Short() + `
no changes in content (pipeline, params, datasets, metrics, artifacts)

Pipeline
  same      2 → 1 impute  sklearn.impute.SimpleImputer

Metrics
    metric          old    new  delta  rel
    test:roc_auc  0.947  0.947
`
	if got := buf.String(); got != want {
		t.Errorf("WriteRunDiff:\n%s\nwant:\n%s", got, want)
	}
}

func TestRunDiffMarkdown(t *testing.T) {
	got := RunDiffMarkdown(handDiff(), RunDiffOptions{})
	for _, want := range []string{
		"### modeldb diff: `churn-logreg` → `churn-hgb`\n",
		"**Changed:** pipeline (4 stages), params (5), datasets (1), metrics (1 better, 1 worse, 1 added), artifacts (1).\n",
		"- **moved** `1` → `2` pre · `sklearn.compose.ColumnTransformer`\n  - `remainder`: `drop` → `passthrough`\n  - inputs: +`tickets`\n",
		"  - **added** `2.2` bins · `sklearn.preprocessing.KBinsDiscretizer`\n    - `n_bins`: *added* `5`\n",
		"- **replaced** `3` → `4` clf · `sklearn.linear_model.LogisticRegression` → `sklearn.ensemble.HistGradientBoostingClassifier`\n",
		"| param | change |\n|---|---|\n| `C` | `1` → `10` (+900%) |\n",
		"| `features` | […, fi, fj, <ins>tickets</ins>, fk, fl, …] |\n",
		"| `query` | SELECT id, age, plan FROM analytics.customers WHERE signup\\_date &gt;= '202<del>3</del><ins>4</ins>-01-01' AND country = 'US' |\n",
		"| `penalty` | *removed* `l2` |\n",
		"| metric | old | new | Δ | Δ% |  |\n|---|--:|--:|--:|--:|---|\n",
		"| `test:accuracy` | 0.912 | 0.931 | +0.019 | +2.1% | ✅ better |\n",
		"| `test:accuracy[country=US]` | 0.884 | 0.871 | -0.013 | -1.5% | ❌ worse |\n",
		"| `test:roc_auc` | 0.947 | 0.947 |  |  |  |\n",
		"| `test:f1` |  | 0.74 |  |  | added |\n",
		"| `train` | **changed** | sha256 98abaf2f2a → c0542591ac; rows 3 → 4; size 155 B → 208 B; columns +tickets; retyped age: int → float |\n",
		"| `model.joblib` | **changed** | sha256 45969789cc → 6d39443b82 · 44 B → 56 B |\n",
		"| `scikit-learn` | `1.5.1` → `1.5.2` |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") || strings.Contains(got, "seed") || strings.Contains(got, "#### Tags") {
		t.Errorf("Markdown has ANSI or unchanged entries:\n%s", got)
	}
}

func TestDiffNumbers(t *testing.T) {
	for _, tc := range []struct {
		old, new float64
		want     string
	}{
		{0.912, 0.931, "+0.019"}, {0.884, 0.871, "-0.013"}, {1, 10, "+9"}, {1.8, 3.1, "+1.3"}, {5, 5, "+0"}, {1e-7, 3e-7, "+2e-07"},
	} {
		if got := diffDelta(tc.old, tc.new); got != tc.want {
			t.Errorf("diffDelta(%v, %v) = %s, want %s", tc.old, tc.new, got, tc.want)
		}
	}
	for _, tc := range []struct {
		delta, rel *float64
		want       string
	}{
		{f64(9), f64(9), "+900%"}, {nil, f64(0.0208), "+2.1%"}, {nil, f64(-0.7), "-70.0%"}, {nil, f64(0.0025), "+0.25%"},
		{nil, f64(0.000001), "+0.0001%"}, {f64(5), nil, "+5"}, {nil, nil, ""},
	} {
		if got := diffRelative(tc.delta, tc.rel); got != tc.want {
			t.Errorf("diffRelative(%v, %v) = %s, want %s", tc.delta, tc.rel, got, tc.want)
		}
	}
}

func TestInlineMultiline(t *testing.T) {
	v := diff.Value("query", "SELECT a,\n  b\nFROM t\n", true, "SELECT a,\n  c\nFROM t\n", true)
	var buf bytes.Buffer
	s := NewStyles(&buf, false)
	got := strings.Join(s.diffValueLines([]diff.ValueDiff{v}, "", RunDiffOptions{}), "\n")
	want := "~ query\n    SELECT a,\n    [-  b-]\n    {+  c+}\n    FROM t"
	if got != want {
		t.Errorf("multi-line inline diff:\n%s\nwant:\n%s", got, want)
	}
	md := diffMDValueChange(v, RunDiffOptions{})
	if want := "SELECT a,<br><del>&nbsp;&nbsp;b</del><br><ins>&nbsp;&nbsp;c</ins><br>FROM t"; md != want {
		t.Errorf("Markdown multi-line inline diff:\n%s\nwant:\n%s", md, want)
	}
}
