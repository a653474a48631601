package check

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/objects"
)

func mustGate(t *testing.T, s string) Gate {
	t.Helper()
	g, err := ParseGate(s)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := Resolve([]Gate{g}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return gs[0]
}

func TestEvaluateGate(t *testing.T) {
	for _, tc := range []struct {
		gate         string
		base, cand   float64
		pass         bool
		delta, limit float64
	}{
		// max: higher is better, a drop is a regression.
		{"accuracy:max", 0.91, 0.91, true, 0, 0.91},
		{"accuracy:max", 0.91, 0.92, true, 0.01, 0.91},
		{"accuracy:max", 0.91, 0.9099, false, -0.0001, 0.91},
		{"accuracy:max:0.005", 0.91, 0.905, true, -0.005, 0.905}, // exactly at the boundary
		{"accuracy:max:0.005", 0.91, 0.9049, false, -0.0051, 0.905},
		{"accuracy:max:0.01", 0.3, 0.29, true, -0.01, 0.29},
		{"accuracy:max:0.1", 0.7, 0.6, true, -0.1, 0.6},
		{"accuracy:max:1%", 0.9, 0.891, true, -0.009, 0.891}, // 1% of 0.9 is 0.009, exactly
		{"accuracy:max:1%", 0.9, 0.8909, false, -0.0091, 0.891},
		// min: lower is better, a rise is a regression.
		{"latency_ms:min", 120, 119, true, -1, 120},
		{"latency_ms:min", 120, 121, false, 1, 120},
		{"latency_ms:min:10%", 120, 132, true, 12, 132}, // exactly 10% more
		{"latency_ms:min:10%", 120, 132.01, false, 12.01, 132},
		{"latency_ms:min:10%", 120, 60, true, -60, 132},
		{"loss:min:0.02", 0.21, 0.23, true, 0.02, 0.23},
		{"loss:min:0.02", 0.21, 0.2301, false, 0.0201, 0.23},
		{"loss:min:10%", 0.3, 0.33, true, 0.03, 0.33},
		{"loss:min:0.1", 0.2, 0.3, true, 0.1, 0.3},
		// Negative values: a relative tolerance is of the baseline's magnitude.
		{"r2:max:10%", -0.5, -0.55, true, -0.05, -0.55},
		{"r2:max:10%", -0.5, -0.56, false, -0.06, -0.55},
		// A zero baseline gives a relative tolerance nothing to work with.
		{"errors:min:50%", 0, 0, true, 0, 0},
		{"errors:min:50%", 0, 1, false, 1, 0},
		{"errors:min:2", 0, 2, true, 2, 2},
		// Large magnitudes.
		{"throughput:max:1", 1000000.1, 999999.1, true, -1, 999999.1},
	} {
		g := mustGate(t, tc.gate)
		r := evaluate(g, tc.base, tc.cand)
		if r.Passed != tc.pass || r.Delta != tc.delta || r.Limit != tc.limit {
			t.Errorf("%s with baseline %v, candidate %v: passed %v, delta %v, limit %v; want %v, %v, %v",
				tc.gate, tc.base, tc.cand, r.Passed, r.Delta, r.Limit, tc.pass, tc.delta, tc.limit)
		}
		if tc.base == 0 && r.Relative != nil {
			t.Errorf("%s: relative %v with a zero baseline", tc.gate, *r.Relative)
		}
		if tc.base != 0 && (r.Relative == nil || math.IsNaN(*r.Relative)) {
			t.Errorf("%s: relative %v", tc.gate, r.Relative)
		}
		if r.Gate != g.String() || r.Metric != g.Key() || r.Tolerance != g.Tolerance.String() {
			t.Errorf("%s: result names %q %q %q", tc.gate, r.Gate, r.Metric, r.Tolerance)
		}
	}
}

// TestBoundaryPasses sweeps values exactly at the tolerance: every one
// passes, and the next representable decimal beyond it fails.
func TestBoundaryPasses(t *testing.T) {
	for i := 1; i < 1000; i++ {
		base := float64(i) / 1000 // 0.001 … 0.999
		for _, tol := range []string{"0.001", "0.005", "0.01", "0.1"} {
			g := mustGate(t, "accuracy:max:"+tol)
			cand := round(base-g.Tolerance.Value, 3)
			if r := evaluate(g, base, cand); !r.Passed {
				t.Fatalf("accuracy:max:%s: %v → %v (delta %v, limit %v) failed at the boundary", tol, base, cand, r.Delta, r.Limit)
			}
			if r := evaluate(g, base, round(cand-0.0001, 4)); r.Passed {
				t.Fatalf("accuracy:max:%s: %v → %v passed beyond the boundary", tol, base, cand-0.0001)
			}
			g = mustGate(t, "loss:min:"+tol)
			cand = round(base+g.Tolerance.Value, 3)
			if r := evaluate(g, base, cand); !r.Passed {
				t.Fatalf("loss:min:%s: %v → %v failed at the boundary", tol, base, cand)
			}
		}
		for _, pct := range []string{"1%", "5%", "10%", "12.5%"} {
			g := mustGate(t, "loss:min:"+pct)
			allowed := round(base*g.Tolerance.Value/100, 8)
			if r := evaluate(g, base, round(base+allowed, 8)); !r.Passed {
				t.Fatalf("loss:min:%s: %v → %v (limit %v) failed at the boundary", pct, base, base+allowed, r.Limit)
			}
		}
	}
}

func run(name string, ms ...objects.Metric) Side {
	return Side{Rev: name, Commit: objects.Hash([]byte(name)), Run: &objects.Run{Name: name + "-run", Metrics: ms}}
}

func step(n int64) *int64 { return &n }

func TestEvaluate(t *testing.T) {
	base := run("main",
		objects.Metric{Name: "accuracy", Value: 0.91},
		objects.Metric{Name: "accuracy", Slice: "country=US", Value: 0.88},
		objects.Metric{Name: "loss", Value: 0.5, Step: step(1)},
		objects.Metric{Name: "loss", Value: 0.21, Step: step(2)},
		objects.Metric{Name: "auc", Split: "test", Value: 0.8},
		objects.Metric{Name: "f1", Value: 0.7},
	)
	cand := run("HEAD",
		objects.Metric{Name: "accuracy", Value: 0.9},
		objects.Metric{Name: "accuracy", Slice: "country=US", Value: 0.89},
		objects.Metric{Name: "loss", Value: 0.4, Step: step(1)},
		objects.Metric{Name: "loss", Value: 0.22, Step: step(2)},
		objects.Metric{Name: "auc", Split: "test", Value: 0.8},
		objects.Metric{Name: "precision", Value: 0.5},
	)
	gates := []Gate{mustGate(t, "accuracy:max:0.005"), mustGate(t, "accuracy[country=US]"), mustGate(t, "loss:min:5%")}
	rep, err := Evaluate(base, cand, gates, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed || len(rep.Gates) != 3 {
		t.Fatalf("report = %+v", rep)
	}
	if f := rep.Failed(); len(f) != 1 || f[0].Metric != "accuracy" {
		t.Fatalf("failed = %+v", f)
	}
	// The curve counts by its last step: 0.21 → 0.22 is within 5%.
	if g := rep.Gates[2]; g.Baseline != 0.21 || g.Candidate != 0.22 || !g.Passed || g.Allowed != 0.0105 || g.Limit != 0.2205 {
		t.Fatalf("loss gate = %+v", g)
	}
	if g := rep.Gates[1]; g.Gate != "accuracy[country=US]:max" || !g.Passed {
		t.Fatalf("sliced gate = %+v", g)
	}
	// The other metrics, side by side: test:auc unchanged, f1 only in the
	// baseline, precision only in the candidate.
	var others []string
	for _, o := range rep.Others {
		others = append(others, o.Key()+"="+string(o.Status))
	}
	if s := strings.Join(others, " "); s != "test:auc=same f1=removed precision=added" {
		t.Fatalf("others = %s", s)
	}
	if rep.Baseline != (RunRef{Rev: "main", Commit: base.Commit, Run: "main-run"}) {
		t.Fatalf("baseline = %+v", rep.Baseline)
	}

	// Within tolerance everywhere: passed.
	rep, err = Evaluate(base, cand, []Gate{mustGate(t, "accuracy:max:0.01"), mustGate(t, "test:auc:max")}, diff.Options{})
	if err != nil || !rep.Passed {
		t.Fatalf("report = %+v, %v", rep, err)
	}
	// No gates at all pass trivially (the CLI refuses them earlier).
	rep, err = Evaluate(base, cand, nil, diff.Options{})
	if err != nil || !rep.Passed || rep.Gates == nil {
		t.Fatalf("report = %+v, %v", rep, err)
	}
}

func TestEvaluateMissing(t *testing.T) {
	base := run("main", objects.Metric{Name: "accuracy", Value: 0.91}, objects.Metric{Name: "f1", Value: 0.7})
	cand := run("HEAD", objects.Metric{Name: "accuracy", Value: 0.9})
	_, err := Evaluate(base, cand, []Gate{mustGate(t, "f1:max"), mustGate(t, "acuracy:max"), mustGate(t, "accuracy:max")}, diff.Options{})
	var de *DataError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want a *DataError", err)
	}
	want := "baseline run main-run (main, " + base.Commit.Short() + ") has no metric acuracy (did you mean accuracy? it has accuracy, f1); " +
		"candidate run HEAD-run (HEAD, " + cand.Commit.Short() + ") has no metrics f1, acuracy (it has accuracy)"
	if err.Error() != want {
		t.Fatalf("err = %s\nwant  %s", err, want)
	}
	_, err = Evaluate(base, run("x"), []Gate{mustGate(t, "accuracy:max")}, diff.Options{})
	if err == nil || !strings.HasSuffix(err.Error(), "has no metric accuracy (it has no metrics)") {
		t.Fatalf("err = %v", err)
	}
	// Long lists are cut.
	var many []objects.Metric
	for _, c := range "abcdefghijklmnopqrstuvwxyz" {
		many = append(many, objects.Metric{Name: "metric_" + string(c), Value: 1})
	}
	_, err = Evaluate(run("big", many...), cand, []Gate{mustGate(t, "accuracy:max")}, diff.Options{})
	if err == nil || !strings.Contains(err.Error(), "metric_l and 14 more)") {
		t.Fatalf("err = %v", err)
	}
}

func TestEvaluateRefusesUnresolvedGates(t *testing.T) {
	base := run("main", objects.Metric{Name: "x", Value: 1})
	_, err := Evaluate(base, base, []Gate{{Name: "x"}}, diff.Options{})
	if err == nil || !strings.Contains(err.Error(), "unresolved") {
		t.Fatalf("err = %v", err)
	}
}

// TestReportJSON pins the --json shape: it is for scripts.
func TestReportJSON(t *testing.T) {
	base := run("main", objects.Metric{Name: "accuracy", Value: 0.91})
	cand := run("HEAD", objects.Metric{Name: "accuracy", Value: 0.9})
	rep, err := Evaluate(base, cand, []Gate{mustGate(t, "accuracy:max:0.005")}, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"passed":false,` +
		`"baseline":{"rev":"main","commit":"` + base.Commit.String() + `","run":"main-run"},` +
		`"candidate":{"rev":"HEAD","commit":"` + cand.Commit.String() + `","run":"HEAD-run"},` +
		`"gates":[{"gate":"accuracy:max:0.005","metric":"accuracy","name":"accuracy","direction":"max","tolerance":"0.005",` +
		`"baseline":0.91,"candidate":0.9,"delta":-0.01,"relative":-0.010989010989,"allowed":0.005,"limit":0.905,"passed":false}]}`
	if string(b) != want {
		t.Fatalf("JSON:\n%s\nwant\n%s", b, want)
	}
}

func TestOverflowStaysEncodable(t *testing.T) {
	g := mustGate(t, "x:max:10%")
	r := evaluate(g, -math.MaxFloat64, math.MaxFloat64)
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	if !r.Passed {
		t.Fatalf("a huge rise on a max gate failed: %+v", r)
	}
}
