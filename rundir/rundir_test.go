package rundir

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// write creates the files of a run directory: name → content.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func step(n int64) *int64 { return &n }

func TestCreate(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "tmp")
	a, err := Create(parent)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Create(parent)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || !filepath.IsAbs(a) || filepath.Dir(a) != parent {
		t.Fatalf("Create gave %q and %q, want two absolute directories in %s", a, b, parent)
	}
	entries, err := os.ReadDir(a)
	if err != nil || len(entries) != 1 || entries[0].Name() != ArtifactsDir || !entries[0].IsDir() {
		t.Fatalf("a new run directory holds %v (%v), want just an empty artifacts/", entries, err)
	}
}

func TestReadEmpty(t *testing.T) {
	c, err := Read(write(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Spec.Empty() || len(c.Warnings) != 0 {
		t.Fatalf("empty run directory read as %+v, warnings %v", c.Spec, c.Warnings)
	}
	// Even artifacts/ is optional.
	dir := t.TempDir()
	if c, err := Read(dir); err != nil || !c.Spec.Empty() {
		t.Fatalf("Read(directory without artifacts/) = %+v, %v", c, err)
	}
}

func TestReadAll(t *testing.T) {
	dir := write(t, map[string]string{
		RunTOML: `
name = "from-file"
params = { lr = 1, epochs = 3 }
metrics = { accuracy = 0.5 }
artifacts = [{ path = "artifacts/model.bin", name = "model.bin" }, { path = "extra.txt", name = "extra.txt" }]
[[pipeline]]
name = "clf"
op = "sklearn.linear_model.LogisticRegression"
artifact = "model.bin"
`,
		ParamsFile: `{"lr": 0.10, "layers": [64, 32.0], "opt": {"name": "adam", "beta": 9e-1}}`,
		MetricsFile: `{"name": "loss", "value": 0.9, "step": 1}

{"name": "loss", "value": 0.5, "step": 2}
{"name": "loss", "value": 0.4, "step": 2.0}
{"name": "accuracy", "value": 0.8, "slice": "country=US", "split": "test", "step": null}
{"name": "accuracy", "value": 1}
`,
		"extra.txt":                 "extra",
		"artifacts/model.bin":       "model",
		"artifacts/reports/a b.txt": "report",
	})
	c, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Spec
	if s.Name != "from-file" || len(s.Pipeline) != 1 {
		t.Errorf("run file not read: %+v", s)
	}
	params, _ := json.Marshal(s.Params)
	if want := `{"epochs":3,"layers":[64,32],"lr":0.1,"opt":{"beta":0.9,"name":"adam"}}`; string(params) != want {
		t.Errorf("params = %s, want %s", params, want)
	}
	want := []objects.Metric{
		{Name: "accuracy", Value: 1},
		{Name: "loss", Value: 0.9, Step: step(1)},
		{Name: "loss", Value: 0.4, Step: step(2)},
		{Name: "accuracy", Value: 0.8, Slice: "country=US", Split: "test"},
	}
	if got, w := metricKeys(s.Metrics), metricKeys(want); got != w {
		t.Errorf("metrics = %s, want %s", got, w)
	}
	wantArt := []runfile.Artifact{
		{Path: "artifacts/model.bin", Name: "model.bin"},
		{Path: "extra.txt", Name: "extra.txt"},
		{Path: "artifacts/reports/a b.txt", Name: "reports/a b.txt"},
	}
	if len(s.Artifacts) != len(wantArt) {
		t.Fatalf("artifacts = %+v, want %+v", s.Artifacts, wantArt)
	}
	for i, a := range s.Artifacts {
		if a != wantArt[i] {
			t.Errorf("artifacts[%d] = %+v, want %+v", i, a, wantArt[i])
		}
	}
}

func metricKeys(ms []objects.Metric) string {
	var keys []string
	for _, m := range ms {
		b, _ := json.Marshal(m)
		keys = append(keys, string(b))
	}
	return strings.Join(keys, " ")
}

func TestReadSymlinkArtifact(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(outside, []byte("big"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := write(t, nil)
	if err := os.Symlink(outside, filepath.Join(dir, ArtifactsDir, "big.bin")); err != nil {
		t.Fatal(err)
	}
	c, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Spec.Artifacts) != 1 || c.Spec.Artifacts[0].Name != "big.bin" {
		t.Fatalf("artifacts = %+v, want big.bin", c.Spec.Artifacts)
	}
	// A link to a directory is refused, and so is a dangling one.
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, ArtifactsDir, "d")); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "artifacts/d: a symbolic link to a directory") {
		t.Fatalf("link to a directory: err = %v", err)
	}
	os.Remove(filepath.Join(dir, ArtifactsDir, "d"))
	if err := os.Symlink("nowhere", filepath.Join(dir, ArtifactsDir, "e")); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "artifacts/e: broken symbolic link") {
		t.Fatalf("dangling link: err = %v", err)
	}
}

func TestReadTornLastLine(t *testing.T) {
	c, err := Read(write(t, map[string]string{
		MetricsFile: "{\"name\": \"loss\", \"value\": 1}\n{\"name\": \"loss\", \"val",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Spec.Metrics) != 1 || len(c.Warnings) != 1 ||
		!strings.HasPrefix(c.Warnings[0], "metrics.jsonl: line 2, column 22: incomplete last line") {
		t.Fatalf("metrics %+v, warnings %q", c.Spec.Metrics, c.Warnings)
	}
	// A complete last line without a newline is fine.
	c, err = Read(write(t, map[string]string{MetricsFile: `{"name": "loss", "value": 1}`}))
	if err != nil || len(c.Spec.Metrics) != 1 || len(c.Warnings) != 0 {
		t.Fatalf("Read = %+v, %v", c, err)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{RunJSON: "{}", RunTOML: ""}, "run.json and run.toml: write one run file, not both"},
		{map[string]string{RunJSON: `{"metircs": 1}`}, `run.json: unknown field "metircs" (did you mean "metrics"?)`},
		{map[string]string{RunTOML: "name = "}, "run.toml: line 1:"},
		{map[string]string{ParamsFile: ""}, "params.json: empty; want a JSON object"},
		{map[string]string{ParamsFile: "[1]"}, "params.json: want a JSON object of parameters, got an array"},
		{map[string]string{ParamsFile: "{\n\"a\": 1,\n}"}, "params.json: line 3, column 1: invalid character '}' looking for beginning of object key string"},
		{map[string]string{ParamsFile: `{"a": 1} {}`}, "params.json: line 1, column 10: unexpected data after the JSON object"},
		{map[string]string{ParamsFile: `{"a": {"b": [1e999]}}`}, "params.json: a.b[0]: number 1e999 is out of range"},
		{map[string]string{ParamsFile: `{"": 1}`}, "params.json: a parameter name is empty"},
		{map[string]string{ParamsFile: `{"a": NaN}`}, "params.json: line 1, column 7: invalid character 'N' looking for beginning of value (NaN and Infinity are not JSON numbers)"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": 1}\n[1]\n"}, "metrics.jsonl: line 2: want a JSON object such as"},
		{map[string]string{MetricsFile: "\n{\"name\": \"a\", \"value\": 1,}\n"}, "metrics.jsonl: line 2, column 26: invalid character '}' looking for beginning of object key string"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": Infinity}\n"}, "metrics.jsonl: line 1, column 24: invalid character 'I' looking for beginning of value (NaN and Infinity are not JSON numbers)"},
		{map[string]string{MetricsFile: "{\"name\": \"a\"}\n"}, "metrics.jsonl: line 1: value: required field is missing"},
		{map[string]string{MetricsFile: "{\"value\": 1}\n"}, "metrics.jsonl: line 1: name: required field is missing or empty"},
		{map[string]string{MetricsFile: "{\"name\": 1, \"value\": 1}\n"}, "metrics.jsonl: line 1: name: want a string, got a number"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": \"0.5\"}\n"}, "metrics.jsonl: line 1: value: want a number, got a string"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": 1e999}\n"}, "metrics.jsonl: line 1: value: 1e999 is out of range"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": 1, \"step\": 1.5}\n"}, "metrics.jsonl: line 1: step: want an integer, got 1.5"},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": 1, \"Split\": \"x\"}\n"}, `metrics.jsonl: line 1: unknown field "Split" (did you mean "split"?); want name, value, step, slice, split`},
		{map[string]string{MetricsFile: "{\"name\": \"a\", \"value\": 1, \"epoch\": 3}\n"}, `metrics.jsonl: line 1: unknown field "epoch"; want name, value, step, slice, split`},
		{map[string]string{RunJSON: `{"artifacts": [{"path": "x.bin", "name": "m.bin"}]}`, "x.bin": "x", "artifacts/m.bin": "m"},
			`artifacts/m.bin: artifact name "m.bin" is also used by the run file for another file`},
		{map[string]string{RunJSON: `{"metrics": [{"name": "a", "value": 1, "step": 1}]}`, "artifacts/x": ""}, ""},
	}
	for _, tt := range tests {
		_, err := Read(write(t, tt.files))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tt.files, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%v:\n got error %v\nwant %s", tt.files, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%v: error is not one line: %q", tt.files, err)
		}
	}
}

func TestArtifactsNotADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ArtifactsDir), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || err.Error() != "artifacts: want a directory of files, got a file" {
		t.Fatalf("err = %v", err)
	}
}

func TestParseMetricLine(t *testing.T) {
	m, err := ParseMetricLine([]byte(` {"split": "test", "step": -3, "value": 2, "name": "auc", "slice": "x=1"} `))
	if err != nil {
		t.Fatal(err)
	}
	if m.Key() != "test:auc[x=1]@-3" || m.Value != 2 {
		t.Fatalf("got %+v (%s)", m, m.Key())
	}
}
