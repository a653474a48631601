package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/objects"
)

func compareFixture() *diff.Comparison {
	stage := func(name, op string, params ...any) objects.Stage {
		s := objects.Stage{Name: name, Op: op, Params: map[string]any{}}
		for i := 0; i+1 < len(params); i += 2 {
			s.Params[params[i].(string)] = params[i+1]
		}
		return s
	}
	run := func(name string, pipeline []objects.Stage, metrics ...objects.Metric) diff.Run {
		return diff.Run{Commit: id(name), Run: &objects.Run{Name: name, Pipeline: pipeline, Metrics: metrics,
			Params: map[string]any{"seed": 42.0, "note": strings.Repeat("x", 60)}}}
	}
	return diff.Compare([]diff.Run{
		run("基线", []objects.Stage{stage("scale", "sklearn.preprocessing.StandardScaler"), stage("clf", "sklearn.linear_model.Ridge", "alpha", 1.0)},
			objects.Metric{Name: "rmse", Value: 3.5}, objects.Metric{Name: "r2", Value: 0.8}),
		run("b|c", []objects.Stage{stage("scaler", "sklearn.preprocessing.StandardScaler"), stage("clf", "mylib.Ridge", "alpha", 1.0)},
			objects.Metric{Name: "rmse", Value: 3.1}, objects.Metric{Name: "r2", Value: 0.8}),
	}, diff.Options{})
}

func TestWriteComparison(t *testing.T) {
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteComparison(&buf, compareFixture(), false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, want := range []string{
		// Names differ in the row: each cell names its stage.
		"  1 scale  StandardScaler (scale)      StandardScaler (scaler)",
		// Two operators with the same last part: shown whole.
		"  2 clf    sklearn.linear_model.Ridge  mylib.Ridge",
		// The best rmse is marked; r2 ties, so nothing is.
		"  rmse ↓   3.5                         3.1 *",
		"  r2 ↑     0.8                         0.8",
		"  3 params, each equal in every run (--all shows them)",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Columns line up by display width: the wide run name takes 4 columns.
	col := func(line, s string) int { return lipgloss.Width(line[:strings.Index(line, s)]) }
	if col(lines[0], "基线") != col(lines[1], id("基线").Short()) || col(lines[0], "b|c") != col(lines[1], id("b|c").Short()) {
		t.Errorf("header misaligned:\n%s\n%s", lines[0], lines[1])
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space in %q", l)
		}
	}

	buf.Reset()
	if err := NewStyles(&buf, false).WriteComparison(&buf, compareFixture(), true); err != nil {
		t.Fatal(err)
	}
	// --all: the long value is cut to compareCellMax columns.
	cut := strings.Repeat("x", compareCellMax-1) + "…"
	if !strings.Contains(buf.String(), "  note       "+cut+"  "+cut+"\n") {
		t.Errorf("long value not cut:\n%s", buf.String())
	}

	// In colour the best value is bold green; layout is unchanged.
	buf.Reset()
	if err := NewStyles(&buf, true).WriteComparison(&buf, compareFixture(), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\x1b[1;32m3.1 *\x1b[0m") {
		t.Errorf("best value not bold green: %q", buf.String())
	}
}

func TestWriteComparisonMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteComparisonMarkdown(&buf, compareFixture(), false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### Comparing 2 runs\n\n",
		"| | 基线 | b\\|c |\n|---|---|---|\n",
		"| commit | `" + id("基线").Short() + "` | `" + id("b|c").Short() + "` |\n",
		"| 1 scale | `StandardScaler` (scale) | `StandardScaler` (scaler) |\n",
		"| 2 clf | `sklearn.linear_model.Ridge` | `mylib.Ridge` |\n",
		"| **Metrics** | | |\n",
		"| rmse ↓ | 3.5 | **3.1** |\n",
		"| r2 ↑ | 0.8 | 0.8 |\n",
		"\n3 params, each equal in every run, not shown. Best value in **bold**",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "**Params**") {
		t.Errorf("empty Params section:\n%s", out)
	}
	if got := cmpMDCode("a|b"); got != "`a\\|b`" {
		t.Errorf("cmpMDCode = %s", got)
	}
	if got := cmpMDText("x_<y>*`z`"); got != "x\\_&lt;y&gt;\\*\\`z\\`" {
		t.Errorf("cmpMDText = %s", got)
	}
}
