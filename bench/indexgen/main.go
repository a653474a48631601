package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/modeldb/modeldb/bench/benchrepo"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
)

const author = "Bench <bench@example.com>"

// base is the time of the first commit; commit i is i seconds later.
var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	n := flag.Int("n", 100000, "number of commits")
	dir := flag.String("modeldb", "", "create the repository in `DIR` (DIR/.modeldb)")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: indexgen [-n N] -modeldb DIR")
		os.Exit(2)
	}
	if err := generate(*dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, "indexgen:", err)
		os.Exit(1)
	}
}

func generate(dir string, n int) error {
	start := time.Now()
	r, err := benchrepo.Create(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	last := start
	for i := 0; i < n; i++ {
		run := Run(i)
		_, err := r.Commit(run, repo.CommitOptions{Message: fmt.Sprintf("train %s", run.Name), Author: author,
			Time: base.Add(time.Duration(i) * time.Second)})
		if err != nil {
			return fmt.Errorf("commit %d: %w", i, err)
		}
		if (i+1)%10000 == 0 {
			now := time.Now()
			fmt.Fprintf(os.Stderr, "indexgen: %d commits (last 10000 in %.1fs)\n", i+1, now.Sub(last).Seconds())
			last = now
		}
	}
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "indexgen: %d commits in %.1fs (%.0f commits/s)\n", n, el.Seconds(), float64(n)/el.Seconds())
	return nil
}

var (
	models    = []string{"sklearn.linear_model.LogisticRegression", "sklearn.ensemble.RandomForestClassifier", "sklearn.ensemble.GradientBoostingClassifier"}
	countries = []string{"US", "DE", "FR", "JP"}
	optims    = []string{"lbfgs", "saga", "liblinear"}
)

// Run returns run i: deterministic, varied, the size the benchmark
// specifies.
func Run(i int) *objects.Run {
	h := uint64(i)*0x9e3779b97f4a7c15 + 1
	rnd := func() float64 { // a small deterministic generator (xorshift)
		h ^= h << 13
		h ^= h >> 7
		h ^= h << 17
		return float64(h>>11) / float64(1<<53)
	}
	acc := 0.70 + 0.25*rnd()
	model := models[i%len(models)]
	var clfParams map[string]any
	switch i % len(models) {
	case 0:
		clfParams = map[string]any{"C": 0.001 * float64(1+i%1000), "max_iter": 100 + i%5*100, "solver": optims[i%3]}
	default:
		clfParams = map[string]any{"n_estimators": 50 + i%10*50, "max_depth": 3 + i%8, "min_samples_leaf": 1 + i%4}
	}
	columns := []objects.Column{{Name: "age", Type: "int"}, {Name: "income", Type: "float"}, {Name: "country", Type: "str"},
		{Name: "tenure", Type: "int"}, {Name: "plan", Type: "str"}, {Name: "usage", Type: "float"}, {Name: "churned", Type: "int"}}
	if i%3 != 0 {
		columns = append(columns, objects.Column{Name: "zip_code", Type: "str"})
	} else {
		columns = append(columns, objects.Column{Name: "region", Type: "str"})
	}
	rows := int64(100000 + i%7*1000)
	testRows := rows / 4
	dataVersion := i / 1000
	m := func(name string, v float64, slice, split string) objects.Metric {
		v = min(max(v, 0), 1)
		return objects.Metric{Name: name, Value: float64(int64(v*1e6)) / 1e6, Slice: slice, Split: split}
	}
	return &objects.Run{
		Name: fmt.Sprintf("run-%06d", i),
		Pipeline: []objects.Stage{
			{Name: "imputer", Op: "sklearn.impute.SimpleImputer", Params: map[string]any{"strategy": []string{"mean", "median"}[i%2]},
				Inputs: []string{"age", "income", "tenure", "usage"}},
			{Name: "scaler", Op: "sklearn.preprocessing.StandardScaler", Params: map[string]any{"with_mean": true, "with_std": i%4 != 0}},
			{Name: "encoder", Op: "sklearn.preprocessing.OneHotEncoder", Params: map[string]any{"handle_unknown": "ignore"},
				Inputs: []string{"country", "plan"}},
			{Name: "select", Op: "sklearn.feature_selection.SelectKBest", Params: map[string]any{"k": 5 + i%10}},
			{Name: "clf", Op: model, Params: clfParams, Outputs: []string{"churned"}},
		},
		Params: map[string]any{
			"seed": i % 97, "test_size": 0.25, "cv_folds": 5, "target": "churned", "class_weight": []string{"balanced", "none"}[i%2],
			"feature_set": fmt.Sprintf("v%d", dataVersion%5), "max_features": 8, "learning_rate": 0.01 * float64(1+i%10),
			"early_stopping": i%2 == 0, "experiment": fmt.Sprintf("exp-%d", i/500),
		},
		Metrics: []objects.Metric{
			m("accuracy", acc, "", "test"),
			m("f1", acc-0.03*rnd(), "", "test"),
			m("auc", acc+0.02*rnd(), "", "test"),
			m("precision", acc-0.05*rnd(), "", "test"),
			m("loss", 1-acc+0.05*rnd(), "", "train"),
			m("accuracy", acc-0.1+0.2*rnd(), "country="+countries[0], "test"),
			m("accuracy", acc-0.1+0.2*rnd(), "country="+countries[1], "test"),
			m("accuracy", acc-0.1+0.2*rnd(), "country="+countries[2], "test"),
			m("accuracy", acc-0.1+0.2*rnd(), "country="+countries[3], "test"),
			m("f1", acc-0.1+0.2*rnd(), "country="+countries[0], "test"),
		},
		Datasets: []objects.Dataset{
			{Role: "train", Path: "data/train.csv", SHA256: fmt.Sprintf("%064x", 2*dataVersion+1), Size: rows * 64, Rows: &rows, Columns: columns},
			{Role: "test", Path: "data/test.csv", SHA256: fmt.Sprintf("%064x", 2*dataVersion+2), Size: testRows * 64, Rows: &testRows, Columns: columns},
		},
		Source:      &objects.Source{Commit: fmt.Sprintf("%040x", i/10+1), Branch: "main", Remote: "git@example.com:churn.git"},
		Environment: map[string]string{"os": "linux", "arch": "amd64", "python": "3.11.9", "sklearn": "1.5.2"},
		Tags:        map[string]string{"team": []string{"growth", "risk"}[i%2], "purpose": "benchmark"},
		Command:     []string{"python", "train.py", "--seed", fmt.Sprint(i % 97)},
		Started:     base.Add(time.Duration(i)*time.Second - 50*time.Second).Format(time.RFC3339),
		Finished:    base.Add(time.Duration(i)*time.Second - time.Second).Format(time.RFC3339),
		Author:      author,
	}
}
