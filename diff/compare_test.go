package diff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

// rowsSummary renders stage rows compactly: "path:cell,cell,cell" per row,
// each cell "name/Op" (the op's last part) or "-" when absent, "!" after
// differing rows, nested rows in brackets.
func rowsSummary(rows []StageRow) string {
	var parts []string
	for _, r := range rows {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = "-"
			if c != nil {
				cells[i] = c.Name
				if j := strings.LastIndex(c.Op, "."); j >= 0 {
					cells[i] += "/" + c.Op[j+1:]
				}
			}
		}
		s := r.Path + ":" + strings.Join(cells, ",")
		if r.Differs {
			s += "!"
		}
		if len(r.Stages) > 0 {
			s += "[" + rowsSummary(r.Stages) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func pipelines(ps ...[]objects.Stage) []Run {
	runs := make([]Run, len(ps))
	for i, p := range ps {
		runs[i] = Run{Commit: objects.Hash([]byte{byte(i)}), Run: &objects.Run{Name: string(rune('a' + i)), Pipeline: p}}
	}
	return runs
}

func TestCompareStages(t *testing.T) {
	ct := func(children ...objects.Stage) objects.Stage {
		s := st("pre", "sklearn.compose.ColumnTransformer", "remainder", "drop")
		s.Stages = children
		return s
	}
	num := st("num", "sklearn.preprocessing.StandardScaler")
	cat := st("cat", "sklearn.preprocessing.OneHotEncoder")
	txt := st("txt", "sklearn.feature_extraction.text.TfidfVectorizer")
	tests := []struct {
		name string
		runs [][]objects.Stage
		want string
	}{
		{"identical", [][]objects.Stage{{scale, pca, lr}, {scale, pca, lr}, {scale, pca, lr}},
			"1:scale/StandardScaler,scale/StandardScaler,scale/StandardScaler 2:pca/PCA,pca/PCA,pca/PCA " +
				"3:clf/LogisticRegression,clf/LogisticRegression,clf/LogisticRegression"},
		{"extra stage in the middle of one run", [][]objects.Stage{{scale, lr}, {scale, poly, lr}, {scale, lr10}},
			"1:scale/StandardScaler,scale/StandardScaler,scale/StandardScaler " +
				"2:-,poly/PolynomialFeatures,-! " +
				"3:clf/LogisticRegression,clf/LogisticRegression,clf/LogisticRegression!"},
		{"extra stage in the last run", [][]objects.Stage{{scale, lr}, {scale, lr}, {scale, pca, lr}},
			"1:scale/StandardScaler,scale/StandardScaler,scale/StandardScaler " +
				"2:-,-,pca/PCA! " +
				"3:clf/LogisticRegression,clf/LogisticRegression,clf/LogisticRegression"},
		{"replaced estimator", [][]objects.Stage{{scale, lr}, {scale, rf}, {scale, lr}},
			"1:scale/StandardScaler,scale/StandardScaler,scale/StandardScaler " +
				"2:clf/LogisticRegression,clf/RandomForestClassifier,clf/LogisticRegression!"},
		{"stage missing from the first run", [][]objects.Stage{{lr}, {scale, lr}, {scale, pca, lr}},
			"1:-,scale/StandardScaler,scale/StandardScaler! 2:-,-,pca/PCA! " +
				"3:clf/LogisticRegression,clf/LogisticRegression,clf/LogisticRegression"},
		{"nested ColumnTransformer", [][]objects.Stage{
			{ct(num, cat), lr},
			{ct(num, txt, cat), lr},
			{ct(num, cat), rf}},
			"1:pre/ColumnTransformer,pre/ColumnTransformer,pre/ColumnTransformer[" +
				"1.1:num/StandardScaler,num/StandardScaler,num/StandardScaler " +
				"1.2:-,txt/TfidfVectorizer,-! " +
				"1.3:cat/OneHotEncoder,cat/OneHotEncoder,cat/OneHotEncoder] " +
				"2:clf/LogisticRegression,clf/LogisticRegression,clf/RandomForestClassifier!"},
		{"nested stage only where the parent is", [][]objects.Stage{{ct(num), lr}, {lr}, {ct(num, cat), lr}},
			"1:pre/ColumnTransformer,-,pre/ColumnTransformer![" +
				"1.1:num/StandardScaler,-,num/StandardScaler! 1.2:-,-,cat/OneHotEncoder!] " +
				"2:clf/LogisticRegression,clf/LogisticRegression,clf/LogisticRegression"},
		{"two levels of nesting", [][]objects.Stage{
			{{Name: "outer", Op: "sklearn.pipeline.Pipeline", Stages: []objects.Stage{ct(num), lr}}},
			{{Name: "outer", Op: "sklearn.pipeline.Pipeline", Stages: []objects.Stage{ct(num, cat), lr}}}},
			"1:outer/Pipeline,outer/Pipeline[1.1:pre/ColumnTransformer,pre/ColumnTransformer[" +
				"1.1.1:num/StandardScaler,num/StandardScaler 1.1.2:-,cat/OneHotEncoder!] " +
				"1.2:clf/LogisticRegression,clf/LogisticRegression]"},
		{"empty pipelines", [][]objects.Stage{nil, nil, nil}, ""},
		{"one empty pipeline", [][]objects.Stage{{scale}, nil, {scale}},
			"1:scale/StandardScaler,-,scale/StandardScaler!"},
	}
	for _, tc := range tests {
		c := Compare(pipelines(tc.runs...), Options{})
		if got := rowsSummary(c.Stages); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
}

func TestCompareParamRows(t *testing.T) {
	c := Compare(pipelines([]objects.Stage{scale, lr}, []objects.Stage{scale, rf}, []objects.Stage{scale, lr10}), Options{})
	clf := c.Stages[1]
	got := map[string]ParamRow{}
	for _, p := range clf.ParamRows {
		got[p.Key] = p
	}
	if p := got["C"]; !p.Differs || p.Values[0] != 1.0 || p.Values[1] != nil || p.Values[2] != 10.0 {
		t.Errorf("C: %+v", p)
	}
	if p := got["n_estimators"]; !p.Differs || p.Values[0] != nil || p.Values[1] != 100.0 {
		t.Errorf("n_estimators: %+v", p)
	}
	if p := c.Stages[0].ParamRows[0]; p.Key != "with_mean" || p.Differs || c.Stages[0].Differs {
		t.Errorf("scale: %+v", c.Stages[0])
	}
	if c.Stages[1].Path != "2" || clf.Cells[1].Op != rf.Op {
		t.Errorf("clf row: %+v", clf)
	}
}

func TestCompareRunParams(t *testing.T) {
	runs := pipelines(nil, nil, nil)
	runs[0].Run.Params = map[string]any{"C": 1.0, "seed": 42.0, "solver": "lbfgs"}
	runs[1].Run.Params = map[string]any{"C": int64(1), "seed": 42.0, "solver": "saga"}
	runs[2].Run.Params = map[string]any{"C": json.Number("1e0"), "seed": 42.0}
	c := Compare(runs, Options{})
	var keys []string
	for _, p := range c.Params {
		keys = append(keys, p.Key)
		if want := p.Key == "solver"; p.Differs != want {
			t.Errorf("%s: differs %v, want %v", p.Key, p.Differs, want)
		}
	}
	if strings.Join(keys, " ") != "C seed solver" {
		t.Errorf("keys %v", keys)
	}
	if v := c.Params[2].Values; v[0] != "lbfgs" || v[1] != "saga" || v[2] != nil {
		t.Errorf("solver values %v", v)
	}
}

func TestCompareMetrics(t *testing.T) {
	step := func(n int64) *int64 { return &n }
	runs := pipelines(nil, nil, nil, nil)
	runs[0].Run.Metrics = []objects.Metric{
		{Name: "accuracy", Split: "test", Value: 0.90}, {Name: "log_loss", Value: 0.5, Step: step(1)},
		{Name: "log_loss", Value: 0.3, Step: step(2)}, {Name: "widgets", Value: 3}, {Name: "f1", Value: 0.8}}
	runs[1].Run.Metrics = []objects.Metric{
		{Name: "accuracy", Split: "test", Value: 0.93}, {Name: "log_loss", Value: 0.2}, {Name: "widgets", Value: 5},
		{Name: "f1", Value: 0.8}}
	runs[2].Run.Metrics = []objects.Metric{
		{Name: "accuracy", Split: "test", Value: 0.93}, {Name: "log_loss", Value: 0.4}, {Name: "widgets", Value: 4},
		{Name: "accuracy", Split: "test", Slice: "country=US", Value: 0.88}, {Name: "f1", Value: 0.8}}
	runs[3].Run.Metrics = []objects.Metric{{Name: "log_loss", Value: 0.25}, {Name: "f1", Value: 0.7}}
	c := Compare(runs, Options{Directions: map[string]Direction{"widgets": Down}})
	type want struct {
		key  string
		dir  Direction
		best []int
		vals []any // float64 or nil
	}
	wants := []want{
		{"test:accuracy", Up, []int{1, 2}, []any{0.90, 0.93, 0.93, nil}},        // a tie; run 3 lacks it
		{"log_loss", Down, []int{1}, []any{0.3, 0.2, 0.4, 0.25}},                // a curve counts by its last value
		{"widgets", Down, []int{0}, []any{3.0, 5.0, 4.0, nil}},                  // direction from the options
		{"f1", Up, []int{0, 1, 2}, []any{0.8, 0.8, 0.8, 0.7}},                   // a three-way tie
		{"test:accuracy[country=US]", Up, []int{2}, []any{nil, nil, 0.88, nil}}, // only one run has it
	}
	if len(c.Metrics) != len(wants) {
		t.Fatalf("%d metric rows, want %d: %+v", len(c.Metrics), len(wants), c.Metrics)
	}
	for i, w := range wants {
		m := c.Metrics[i]
		vals := make([]any, len(m.Values))
		for j, v := range m.Values {
			if v != nil {
				vals[j] = *v
			}
		}
		if m.Key() != w.key || m.Direction != w.dir || !reflect.DeepEqual(m.Best, w.best) || !reflect.DeepEqual(vals, w.vals) {
			t.Errorf("row %d: got %s %s best %v values %v; want %s %s best %v values %v",
				i, m.Key(), m.Direction, m.Best, vals, w.key, w.dir, w.best, w.vals)
		}
	}
	// Unknown direction: no best.
	runs = pipelines(nil, nil)
	runs[0].Run.Metrics = []objects.Metric{{Name: "widgets", Value: 1}}
	runs[1].Run.Metrics = []objects.Metric{{Name: "widgets", Value: 2}}
	c = Compare(runs, Options{})
	if m := c.Metrics[0]; m.Direction != "" || m.Best == nil || len(m.Best) != 0 {
		t.Errorf("unknown direction: %+v", m)
	}
	// Options override the default direction.
	c = Compare(runs, Options{Directions: map[string]Direction{"widgets": Up}})
	if m := c.Metrics[0]; !reflect.DeepEqual(m.Best, []int{1}) {
		t.Errorf("widgets up: %+v", m)
	}
}

func TestCompareJSON(t *testing.T) {
	runs := pipelines([]objects.Stage{scale, lr}, []objects.Stage{scale, poly, lr})
	runs[0].Run.Metrics = []objects.Metric{{Name: "accuracy", Value: 0.9}}
	c := Compare(runs, Options{})
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"runs":[{"commit":"`, `"name":"a"}`,
		`{"path":"2","cells":[null,{"name":"poly","op":"sklearn.preprocessing.PolynomialFeatures","params":{"degree":2}}],"differs":true,"param_rows":[{"key":"degree","values":[null,2],"present":[false,true],"differs":true}]}`,
		`"params":[]`,
		`"metrics":[{"name":"accuracy","values":[0.9,null],"direction":"up","best":[0]}]`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	if c := Compare(nil, Options{}); c.Stages == nil || c.Params == nil || c.Metrics == nil {
		t.Errorf("empty comparison has nil slices: %+v", c)
	}
}
