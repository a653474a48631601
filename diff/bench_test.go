package diff

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

// benchOps are the operators of the benchmark pipelines.
var benchOps = []string{
	"sklearn.impute.SimpleImputer", "sklearn.preprocessing.StandardScaler",
	"sklearn.preprocessing.OneHotEncoder", "sklearn.preprocessing.PolynomialFeatures",
	"sklearn.decomposition.PCA", "sklearn.feature_selection.SelectKBest",
	"sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.preprocessing.MinMaxScaler",
	"sklearn.preprocessing.FunctionTransformer", "sklearn.compose.ColumnTransformer",
	"pandas.DataFrame.merge", "pandas.DataFrame.groupby", "featuretools.dfs",
	"sklearn.ensemble.RandomForestClassifier", "xgboost.XGBClassifier",
}

// benchStage returns a stage with 50 parameters: integers, floats,
// booleans, short strings, and a few long strings and lists (which get an
// inline text diff when they change).
func benchStage(r *rand.Rand, ops []string, i int) objects.Stage {
	s := objects.Stage{
		Name:    fmt.Sprintf("step_%03d", i),
		Op:      ops[r.Intn(len(ops))],
		Params:  map[string]any{},
		Inputs:  []string{fmt.Sprintf("col_%d", i), fmt.Sprintf("col_%d", i+1)},
		Outputs: []string{fmt.Sprintf("feat_%d", i)},
	}
	for k := range 50 {
		key := fmt.Sprintf("param_%02d", k)
		switch {
		case k < 20:
			s.Params[key] = float64(r.Intn(1000))
		case k < 35:
			s.Params[key] = r.Float64()
		case k < 38:
			s.Params[key] = r.Intn(2) == 0
		case k < 46:
			s.Params[key] = []string{"auto", "l1", "l2", "gini", "entropy", "mean", "median"}[r.Intn(7)]
		case k < 48: // a long string: a query, a regex, a docstring
			s.Params[key] = fmt.Sprintf("SELECT user_id, SUM(amount) AS total_%d FROM events WHERE kind = 'purchase' AND ts > now() - interval '%d days' GROUP BY user_id", i, r.Intn(90))
		default: // a list: feature names, grid values
			l := make([]any, 12)
			for j := range l {
				l[j] = fmt.Sprintf("feature_%d_%d", i, j)
			}
			s.Params[key] = l
		}
	}
	return s
}

// benchRuns returns two runs of 200 stages with 50 params each, decoded as
// modeldb stores them (numbers as json.Number). B is A with 3 stages
// removed, 3 inserted, 1 operator replaced, and 10 stages with 1–5 params
// set to new numbers and a short string, a long string and a list changed;
// the run param learning_rate changes too. Stage operators are drawn from
// ops.
func benchRuns(tb testing.TB, ops []string) (a, b Run) {
	r := rand.New(rand.NewSource(1))
	var pa []objects.Stage
	for i := range 200 {
		pa = append(pa, benchStage(r, ops, i))
	}
	clone := func(s objects.Stage) objects.Stage {
		c := s
		c.Params = map[string]any{}
		for k, v := range s.Params {
			c.Params[k] = v
		}
		return c
	}
	var pb []objects.Stage
	for i, s := range pa {
		switch {
		case i == 30 || i == 95 || i == 160: // removed
			continue
		case i == 50 || i == 120 || i == 180: // a new stage inserted before
			pb = append(pb, benchStage(r, ops, 1000+i))
		}
		c := clone(s)
		switch {
		case i == 70:
			c.Op = "lightgbm.LGBMClassifier" // replaced
		case i%20 == 5:
			for k := range 1 + r.Intn(5) {
				c.Params[fmt.Sprintf("param_%02d", k*11%50)] = float64(r.Intn(1000))
			}
			c.Params["param_40"] = "changed"
			c.Params["param_46"] = strings.Replace(c.Params["param_46"].(string), "purchase", "refund", 1)
			c.Params["param_49"] = append([]any{"feature_new"}, c.Params["param_49"].([]any)[1:]...)
		}
		pb = append(pb, c)
	}
	run := func(name string, pipeline []objects.Stage, lr float64) Run {
		params := map[string]any{}
		for k := range 50 {
			params[fmt.Sprintf("hp_%02d", k)] = float64(k)
		}
		params["learning_rate"] = lr
		run := &objects.Run{
			Name: name, Pipeline: pipeline, Params: params,
			Metrics: []objects.Metric{{Name: "accuracy", Value: 0.9 + lr}, {Name: "loss", Value: 0.3 - lr}},
			Source:  &objects.Source{Commit: strings.Repeat("ab", 20), Branch: "main"},
		}
		data, id, err := objects.Encode(run)
		if err != nil {
			tb.Fatal(err)
		}
		back, err := objects.DecodeRun(data)
		if err != nil {
			tb.Fatal(err)
		}
		return Run{Commit: id, Run: back}
	}
	return run("a", pa, 0.01), run("b", pb, 0.02)
}

// BenchmarkRuns200x50 diffs two 200-stage pipelines with 50 params per
// stage, whose operators are drawn from 15. The target: well under
// 50 ms.
func BenchmarkRuns200x50(b *testing.B) { benchmarkRuns(b, benchOps) }

// BenchmarkRuns200x50FewOps is the same with only 3 distinct operators, as
// in a feature-engineering pipeline of many similar transformers: the
// alignment compares the parameters of every pair of stages that share an
// operator, so this is about five times as many comparisons.
func BenchmarkRuns200x50FewOps(b *testing.B) { benchmarkRuns(b, benchOps[8:11]) }

func benchmarkRuns(b *testing.B, ops []string) {
	ra, rb := benchRuns(b, ops)
	d := Runs(ra, rb, Options{})
	counts := map[Status]int{}
	for _, s := range d.Stages {
		counts[s.Status]++
	}
	// The diff must find the edits, or the benchmark measures nothing.
	if counts[Added] != 3 || counts[Removed] != 3 || counts[Replaced] != 1 || counts[Changed] != 10 || counts[Same] != 186 {
		b.Fatalf("stage statuses: %v", counts)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Runs(ra, rb, Options{})
	}
}
