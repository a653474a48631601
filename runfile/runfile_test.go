package runfile

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

func parseString(t *testing.T, format Format, text string) (*Spec, error) {
	t.Helper()
	return Parse(strings.NewReader(text), format, "run."+format.String())
}

func mustParse(t *testing.T, format Format, text string) *Spec {
	t.Helper()
	s, err := parseString(t, format, text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func TestExamplesAgree(t *testing.T) {
	fromTOML, err := ParseFile("testdata/run.toml")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := ParseFile("testdata/run.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromTOML, fromJSON) {
		a, _ := json.MarshalIndent(fromTOML, "", "  ")
		b, _ := json.MarshalIndent(fromJSON, "", "  ")
		t.Fatalf("TOML and JSON examples differ:\nTOML: %s\nJSON: %s", a, b)
	}

	s := fromTOML
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", s.Name, "churn-logreg"},
		{"started", s.Started, "2025-03-14T09:26:53Z"},
		{"finished", s.Finished, "2025-03-14T09:31:07Z"},
		{"exit_status", s.ExitStatus, ptr(0)},
		{"params.test_size", s.Params["test_size"], json.Number("0.2")},
		{"params.random_state", s.Params["random_state"], json.Number("42")},
		{"params.stratify", s.Params["stratify"], true},
		{"params.target", s.Params["target"], "churned"},
		{"params.features", s.Params["features"], map[string]any{
			"numeric":     []any{"age", "tenure_months", "monthly_charges"},
			"categorical": []any{"country", "plan"},
		}},
		{"pipeline[0].op", s.Pipeline[0].Op, "sklearn.compose.ColumnTransformer"},
		{"pipeline[0].stages[0].op", s.Pipeline[0].Stages[0].Op, "sklearn.preprocessing.StandardScaler"},
		{"pipeline[0].stages[1].params.sparse_output", s.Pipeline[0].Stages[1].Params["sparse_output"], false},
		{"pipeline[0].sample.rows[0]", s.Pipeline[0].Sample.Rows[0], []any{
			json.Number("-0.41"), json.Number("1.27"), json.Number("0.08"), json.Number("0"), json.Number("1"), json.Number("1"),
		}},
		{"pipeline[1].params.C", s.Pipeline[1].Params["C"], json.Number("0.5")},
		{"pipeline[1].params.max_iter", s.Pipeline[1].Params["max_iter"], json.Number("1000")},
		{"metrics", s.Metrics, []objects.Metric{
			{Name: "accuracy", Value: 0.912, Split: "test"},
			{Name: "roc_auc", Value: 0.947, Split: "test"},
			{Name: "accuracy", Value: 0.884, Split: "test", Slice: "country=US"},
			{Name: "log_loss", Value: 0.318, Split: "train", Step: ptr(int64(1000))},
		}},
		{"datasets roles", []string{s.Datasets[0].Role, s.Datasets[1].Role, s.Datasets[2].Role}, []string{"holdout", "test", "train"}},
		{"datasets[2]", s.Datasets[2], Dataset{Role: "train", Path: "data/train.csv", Store: true}},
		{"datasets[0].rows", s.Datasets[0].Rows, ptr(int64(12000))},
		{"datasets[0].columns[2]", s.Datasets[0].Columns[2], objects.Column{Name: "monthly_charges", Type: "float"}},
		{"artifacts", s.Artifacts, []Artifact{
			{Path: "model.joblib"},
			{Path: "reports/confusion_matrix.png", Name: "confusion_matrix.png"},
		}},
		{"source", s.Source, &objects.Source{
			Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8",
			Branch: "main",
			Remote: "git@github.com:example/churn.git",
		}},
		{"environment.scikit-learn", s.Environment["scikit-learn"], "1.5.1"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
}

// TestDocsExamples keeps docs/examples and the examples in docs/runfile.md
// identical to the test data.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/runfile.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"run.toml", "run.json"} {
		want, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/examples/%s differs from runfile/testdata/%s", name, name)
		}
		if !bytes.Contains(doc, want) {
			t.Errorf("docs/runfile.md does not include testdata/%s verbatim", name)
		}
	}
}

func TestShorthands(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		text   string
		want   Spec
	}{
		{
			name:   "metrics table",
			format: FormatTOML,
			text:   "metrics = {loss = 0.2, accuracy = 0.91, epochs = 3}\n",
			want: Spec{Metrics: []objects.Metric{
				{Name: "accuracy", Value: 0.91}, {Name: "epochs", Value: 3}, {Name: "loss", Value: 0.2},
			}},
		},
		{
			name:   "metrics table as TOML section",
			format: FormatTOML,
			text:   "[metrics]\nloss = 0.2\naccuracy = 0.91\n",
			want:   Spec{Metrics: []objects.Metric{{Name: "accuracy", Value: 0.91}, {Name: "loss", Value: 0.2}}},
		},
		{
			name:   "metrics object",
			format: FormatJSON,
			text:   `{"metrics": {"loss": 0.2, "accuracy": 0.91}}`,
			want:   Spec{Metrics: []objects.Metric{{Name: "accuracy", Value: 0.91}, {Name: "loss", Value: 0.2}}},
		},
		{
			name:   "datasets role to path",
			format: FormatTOML,
			text:   "datasets = {train = \"data/train.csv\", test = \"data/test.csv\"}\n",
			want: Spec{Datasets: []Dataset{
				{Role: "test", Path: "data/test.csv"}, {Role: "train", Path: "data/train.csv"},
			}},
		},
		{
			name:   "datasets role to table",
			format: FormatTOML,
			text:   "[datasets.train]\npath = \"data/train.csv\"\nstore = true\n\n[datasets.eval]\nsha256 = \"" + strings.Repeat("ab", 32) + "\"\nsize = 10\nrows = 2\n",
			want: Spec{Datasets: []Dataset{
				{Role: "eval", SHA256: strings.Repeat("ab", 32), Size: 10, Rows: ptr(int64(2))},
				{Role: "train", Path: "data/train.csv", Store: true},
			}},
		},
		{
			name:   "datasets table with matching role",
			format: FormatTOML,
			text:   "[datasets.train]\nrole = \"train\"\npath = \"t.csv\"\n",
			want:   Spec{Datasets: []Dataset{{Role: "train", Path: "t.csv"}}},
		},
		{
			name:   "datasets object mixing paths and objects",
			format: FormatJSON,
			text:   `{"datasets": {"train": {"path": "data/train.csv", "store": true}, "test": "data/test.csv"}}`,
			want: Spec{Datasets: []Dataset{
				{Role: "test", Path: "data/test.csv"}, {Role: "train", Path: "data/train.csv", Store: true},
			}},
		},
		{
			name:   "artifacts as paths",
			format: FormatTOML,
			text:   "artifacts = [\"model.joblib\", \"report.html\"]\n",
			want:   Spec{Artifacts: []Artifact{{Path: "model.joblib"}, {Path: "report.html"}}},
		},
		{
			name:   "artifacts as paths in JSON",
			format: FormatJSON,
			text:   `{"artifacts": ["model.joblib", {"path": "out/report.html", "name": "report.html"}]}`,
			want:   Spec{Artifacts: []Artifact{{Path: "model.joblib"}, {Path: "out/report.html", Name: "report.html"}}},
		},
		{
			name:   "artifacts as array of tables",
			format: FormatTOML,
			text:   "[[artifacts]]\npath = \"out/model.pkl\"\nname = \"model.pkl\"\n",
			want:   Spec{Artifacts: []Artifact{{Path: "out/model.pkl", Name: "model.pkl"}}},
		},
		{
			name:   "param types survive TOML",
			format: FormatTOML,
			text: "[params]\nn = 3\nbig = 9007199254740993\nf = 0.25\nwhole = 2.0\nexp = 1e3\ns = \"x\"\nb = false\n" +
				"list = [1, \"two\", 3.5]\nnested = { a = { b = 1 } }\nday = 2025-03-14\nat = 2025-03-14T09:26:53+01:00\nlocal = 2025-03-14T09:26:53\n",
			want: Spec{Params: map[string]any{
				"n": json.Number("3"), "big": json.Number("9007199254740993"), "f": json.Number("0.25"),
				"whole": json.Number("2"), "exp": json.Number("1000"), "s": "x", "b": false,
				"list":   []any{json.Number("1"), "two", json.Number("3.5")},
				"nested": map[string]any{"a": map[string]any{"b": json.Number("1")}},
				"day":    "2025-03-14", "at": "2025-03-14T09:26:53+01:00", "local": "2025-03-14T09:26:53",
			}},
		},
		{
			name:   "param types survive JSON",
			format: FormatJSON,
			text: `{"params": {"n": 3, "big": 9007199254740993, "f": 0.250, "whole": 2.0, "exp": 1e3, "s": "x", "b": false,` +
				`"list": [1, "two", 3.5], "nested": {"a": {"b": 1}}, "none": null}}`,
			want: Spec{Params: map[string]any{
				"n": json.Number("3"), "big": json.Number("9007199254740993"), "f": json.Number("0.25"),
				"whole": json.Number("2"), "exp": json.Number("1000"), "s": "x", "b": false,
				"list":   []any{json.Number("1"), "two", json.Number("3.5")},
				"nested": map[string]any{"a": map[string]any{"b": json.Number("1")}},
				"none":   nil,
			}},
		},
		{
			name:   "empty lists and tables are absent",
			format: FormatJSON,
			text:   `{"params": {}, "pipeline": [{"name": "s", "op": "o", "params": {}, "inputs": [], "stages": []}], "metrics": [], "tags": {}, "command": []}`,
			want:   Spec{Pipeline: []objects.Stage{{Name: "s", Op: "o"}}},
		},
		{
			name:   "empty file",
			format: FormatTOML,
			text:   "",
			want:   Spec{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.format, tt.text)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", *got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	const sha = "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"
	tests := []struct {
		name   string
		format Format
		text   string
		want   string
	}{
		// Syntax.
		{"TOML syntax", FormatTOML, "name = \"a\"\n\nmessage\n", "run.toml: line 3: expected"},
		{"TOML duplicate key", FormatTOML, "name = \"a\"\nname = \"b\"\n", "run.toml: line 2: "},
		{"JSON syntax", FormatJSON, "{\n  \"name\": \"a\",\n  \"message\": }\n", "run.json: line 3, column 14: invalid character '}'"},
		{"JSON truncated", FormatJSON, "{\n  \"name\": \"a\"\n", "run.json: line 3, column 1: unexpected end of input"},
		{"JSON trailing data", FormatJSON, "{\"name\": \"a\"}\n{}", "run.json: line 2, column 1: unexpected data after the JSON object"},
		{"JSON not an object", FormatJSON, "[1, 2]", "run.json: want a JSON object at the top level, got a list"},
		{"JSON empty", FormatJSON, " \n", "run.json: empty file"},

		// Unknown fields.
		{"unknown field TOML", FormatTOML, "metircs = {a = 1}\n", `run.toml: unknown field "metircs" (did you mean "metrics"?)`},
		{"unknown field JSON", FormatJSON, `{"metircs": {"a": 1}}`, `run.json: unknown field "metircs"`},
		{"field names are case-sensitive", FormatJSON, `{"Name": "a"}`, `run.json: unknown field "Name" (did you mean "name"?)`},
		{"unknown stage field", FormatTOML, "[[pipeline]]\nname = \"a\"\nopp = \"x\"\n", `run.toml: pipeline[0]: unknown field "opp" (did you mean "op"?)`},
		{"unknown nested stage field", FormatJSON, `{"pipeline": [{"name": "a", "op": "b", "stages": [{"name": "c", "op": "d", "parms": {}}]}]}`, `run.json: pipeline[0].stages[0]: unknown field "parms" (did you mean "params"?)`},
		{"unknown dataset field", FormatTOML, "[datasets.train]\npth = \"x\"\n", `run.toml: datasets[0]: unknown field "pth" (did you mean "path"?)`},

		// Types.
		{"metric value string", FormatTOML, "[[metrics]]\nname = \"a\"\nvalue = 1\n[[metrics]]\nname = \"b\"\nvalue = 2\n[[metrics]]\nname = \"c\"\nvalue = \"high\"\n", `run.toml: metrics[2].value: want a number, got string "high"`},
		{"metric value string JSON", FormatJSON, `{"metrics": [{"name": "a", "value": "high"}]}`, `run.json: metrics[0].value: want a number, got string "high"`},
		{"metric shorthand string", FormatTOML, "metrics = {accuracy = \"high\"}\n", `run.toml: metrics.accuracy: want a number, got string "high"`},
		{"metric step float", FormatTOML, "[[metrics]]\nname = \"a\"\nvalue = 1\nstep = 1.5\n", "run.toml: metrics[0].step: want an integer, got number 1.5"},
		{"exit status string", FormatJSON, `{"exit_status": "0"}`, `run.json: exit_status: want an integer, got string "0"`},
		{"command not a list", FormatTOML, "command = \"python train.py\"\n", `run.toml: command: want a list, got string "python train.py"`},
		{"params not a table", FormatTOML, "params = [1]\n", "run.toml: params: want a table, got a list"},
		{"tags value not a string", FormatJSON, `{"tags": {"team": 7}}`, "run.json: tags.team: want a string, got number 7"},
		{"source dirty not bool", FormatTOML, "[source]\ndirty = \"yes\"\n", `run.toml: source.dirty: want true or false, got string "yes"`},
		{"datasets shorthand bad value", FormatTOML, "datasets = {train = 3}\n", "run.toml: datasets.train: want a path or a table, got number 3"},
		{"datasets shorthand role conflict", FormatJSON, `{"datasets": {"train": {"role": "test", "path": "x"}}}`, `run.json: datasets.train.role: "test" differs from the key "train"`},
		{"size out of range", FormatJSON, `{"datasets": [{"role": "r", "sha256": "` + sha + `", "size": 1e30}]}`, "run.json: datasets[0].size: want an integer, got number 1e+30"},
		{"JSON number out of range", FormatJSON, `{"params": {"lr": 1e400}}`, "run.json: params.lr: number 1e400 is out of range"},

		// Non-finite numbers, which TOML can write and JSON cannot.
		{"metric NaN", FormatTOML, "[[metrics]]\nname = \"loss\"\nvalue = nan\n", "run.toml: metrics[0].value: must be a finite number, got nan"},
		{"metric inf shorthand", FormatTOML, "metrics = {loss = inf}\n", "run.toml: metrics.loss: must be a finite number, got inf"},
		{"param -inf", FormatTOML, "[params]\nlow = -inf\n", "run.toml: params.low: must be a finite number, got -inf"},

		// Stages.
		{"stage op missing", FormatTOML, "[[pipeline]]\nname = \"a\"\nop = \"x\"\n[[pipeline]]\nname = \"b\"\nop = \"y\"\n[[pipeline.stages]]\nname = \"c\"\n", "run.toml: pipeline[1].stages[0].op: required field is missing"},
		{"stage name missing", FormatJSON, `{"pipeline": [{"op": "x"}]}`, "run.json: pipeline[0].name: required field is missing"},
		{"stage params empty key", FormatJSON, `{"pipeline": [{"name": "a", "op": "x", "params": {"": 1}}]}`, "run.json: pipeline[0].params: a parameter name is empty"},

		// Metrics.
		{"metric name missing", FormatJSON, `{"metrics": [{"value": 1}]}`, "run.json: metrics[0].name: required field is missing"},
		{"metric duplicate", FormatJSON, `{"metrics": [{"name": "a", "value": 1, "split": "test"}, {"name": "a", "value": 2, "split": "test"}]}`, "run.json: metrics[1]: test:a is also metrics[0]"},

		// Datasets.
		{"dataset role missing", FormatJSON, `{"datasets": [{"path": "x.csv"}]}`, "run.json: datasets[0].role: required field is missing"},
		{"dataset without path or sha256", FormatJSON, `{"datasets": [{"role": "train"}]}`, `run.json: datasets[0]: give "path" (a file to fingerprint) or "sha256"`},
		{"dataset sha256 upper case", FormatTOML, "[datasets.train]\nsha256 = \"" + strings.ToUpper(sha) + "\"\n", "run.toml: datasets[0].sha256: want 64 lowercase hex digits"},
		{"dataset sha256 short", FormatJSON, `{"datasets": [{"role": "r", "sha256": "abc"}]}`, `run.json: datasets[0].sha256: want 64 lowercase hex digits, got "abc"`},
		{"dataset store without path", FormatJSON, `{"datasets": [{"role": "r", "sha256": "` + sha + `", "store": true}]}`, `run.json: datasets[0].store: needs "path"`},
		{"dataset negative size", FormatJSON, `{"datasets": [{"role": "r", "sha256": "` + sha + `", "size": -1}]}`, "run.json: datasets[0].size: must not be negative"},
		{"dataset column name missing", FormatJSON, `{"datasets": [{"role": "r", "sha256": "` + sha + `", "columns": [{"type": "int"}]}]}`, "run.json: datasets[0].columns[0].name: required field is missing"},

		// Artifacts.
		{"artifact path missing", FormatJSON, `{"artifacts": [{"name": "m"}]}`, "run.json: artifacts[0].path: required field is missing"},
		{"artifact duplicate path", FormatTOML, "artifacts = [\"model.pkl\", \"model.pkl\"]\n", `run.toml: artifacts[1]: name "model.pkl" is already used by artifacts[0]`},
		{"artifact paths that clean alike", FormatTOML, "artifacts = [\"model.pkl\", \"./model.pkl\"]\n", `run.toml: artifacts[1]: name "model.pkl" is already used by artifacts[0]`},
		{"artifact name collides with path", FormatJSON, `{"artifacts": ["model.pkl", {"path": "out/m.pkl", "name": "model.pkl"}]}`, `run.json: artifacts[1]: name "model.pkl" is already used by artifacts[0]`},

		// Times.
		{"started not RFC 3339", FormatJSON, `{"started": "yesterday"}`, `run.json: started: "yesterday" is not an RFC 3339 time`},
		{"finished not RFC 3339", FormatJSON, `{"finished": "2025-03-14 09:00"}`, `run.json: finished: "2025-03-14 09:00" is not an RFC 3339 time`},
		{"started without offset", FormatTOML, "started = 2025-03-14T09:26:53\n", `run.toml: started: "2025-03-14T09:26:53" has no time zone offset`},
		{"started date only", FormatTOML, "started = 2025-03-14\n", `run.toml: started: "2025-03-14" is not an RFC 3339 time`},

		// Params.
		{"param key empty", FormatTOML, "[params]\n\"\" = 1\n", "run.toml: params: a parameter name is empty"},

		// Names.
		{"name with space", FormatTOML, "name = \"my run\"\n", `run.toml: name: "my run" must not contain whitespace`},
		{"name with slash", FormatTOML, "name = \"a/b\"\n", `run.toml: name: "a/b" must not contain "/"`},
		{"name with dot dot", FormatTOML, "name = \"a..b\"\n", `run.toml: name: "a..b" must not contain ".."`},
		{"name with control character", FormatJSON, `{"name": "a\u0007b"}`, `run.json: name: "a\ab" must not contain control characters`},
		{"name starting with dot", FormatTOML, "name = \".hidden\"\n", `run.toml: name: ".hidden" must not start with "."`},
		{"name starting with dash", FormatTOML, "name = \"-f\"\n", `run.toml: name: "-f" must not start with "-"`},
	}
	leaks := []string{"json:", "toml:", "map[", "[]interface", "float64", "int64", "objects.", "runfile.", "Go value", "struct"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseString(t, tt.format, tt.text)
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want error containing %q", s, tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q\ndoes not contain %q", msg, tt.want)
			}
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			detail := strings.TrimPrefix(msg, "run."+tt.format.String()+": ")
			for _, l := range leaks {
				if strings.Contains(detail, l) {
					t.Errorf("error %q mentions %q", msg, l)
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		spec *Spec
		want string // empty: valid
	}{
		{"empty", &Spec{}, ""},
		{"nil", nil, "no run spec"},
		{"NaN metric", &Spec{Metrics: []objects.Metric{{Name: "loss", Value: math.NaN()}}}, "metrics[0].value: must be a finite number, got nan"},
		{"infinite metric", &Spec{Metrics: []objects.Metric{{Name: "loss", Value: math.Inf(-1)}}}, "metrics[0].value: must be a finite number, got -inf"},
		{"same metric on other split", &Spec{Metrics: []objects.Metric{{Name: "a", Split: "train"}, {Name: "a", Split: "test"}}}, ""},
		{"same metric at other step", &Spec{Metrics: []objects.Metric{{Name: "a", Step: ptr(int64(1))}, {Name: "a", Step: ptr(int64(2))}}}, ""},
		{"deep stage", &Spec{Pipeline: []objects.Stage{{Name: "a", Op: "x", Stages: []objects.Stage{{Name: "b", Op: "y", Stages: []objects.Stage{{Op: "z"}}}}}}}, "pipeline[0].stages[0].stages[0].name: required field is missing"},
		{"invalid UTF-8 name", &Spec{Name: "a\xffb"}, "name: \"a\\xffb\" is not valid UTF-8"},
		{"tab in name", &Spec{Name: "a\tb"}, "must not contain whitespace"},
		{"good name", &Spec{Name: "churn-logreg_v2.1"}, ""},
		{"artifact name frees path", &Spec{Artifacts: []Artifact{{Path: "a/model.pkl", Name: "model.pkl"}, {Path: "b/model.pkl", Name: "model-b.pkl"}}}, ""},
		{"dataset path with expected sha256", &Spec{Datasets: []Dataset{{Role: "train", Path: "t.csv", SHA256: strings.Repeat("0f", 32)}}}, ""},
		{"dataset path with client rows", &Spec{Datasets: []Dataset{{Role: "train", Path: "t.parquet", Rows: ptr(int64(10)), Columns: []objects.Column{{Name: "a"}}}}}, ""},
		{"dataset path with bad sha256", &Spec{Datasets: []Dataset{{Role: "train", Path: "t.csv", SHA256: "x"}}}, `datasets[0].sha256: want 64 lowercase hex digits, got "x"`},
		{"negative rows", &Spec{Datasets: []Dataset{{Role: "r", SHA256: strings.Repeat("0f", 32), Rows: ptr(int64(-1))}}}, "datasets[0].rows: must not be negative, got -1"},
		{"fractional seconds", &Spec{Started: "2025-03-14T09:26:53.123456789+02:00"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("Validate succeeded, want error containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestFormatFor(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr string
	}{
		{"run.toml", FormatTOML, ""},
		{"dir.d/run.json", FormatJSON, ""},
		{"RUN.JSON", FormatJSON, ""},
		{"run.yaml", 0, `run.yaml: run file extension ".yaml" not supported; want .toml or .json`},
		{"run", 0, "run: run file has no extension; want .toml or .json"},
	}
	for _, tt := range tests {
		got, err := FormatFor(tt.path)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("FormatFor(%q) error = %v, want %q", tt.path, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("FormatFor(%q) = %v, %v; want %v", tt.path, got, err, tt.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "run.toml")
	if err := os.WriteFile(bad, []byte("[[metrics]]\nname = \"a\"\nvalue = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+": metrics[0].value: ") {
		t.Errorf("ParseFile(bad) error = %v, want it to start with the path", err)
	}
	if _, err := ParseFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("ParseFile(missing) succeeded")
	}
	if _, err := ParseFile(filepath.Join(dir, "run.yml")); err == nil || !strings.Contains(err.Error(), "want .toml or .json") {
		t.Errorf("ParseFile(run.yml) error = %v", err)
	}
	if _, err := Parse(strings.NewReader("{}"), Format(7), "x"); err == nil {
		t.Error("Parse with an unknown format succeeded")
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"run.toml", "run.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, strings.HasSuffix(name, ".json"))
	}
	f.Add([]byte("metrics = {a = 1}\ndatasets = {train = \"t.csv\"}\nartifacts = [\"m\"]\n"), false)
	f.Add([]byte(`{"metrics": {"a": 1}, "datasets": {"t": {"path": "x"}}, "artifacts": ["m"]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := FormatTOML
		if isJSON {
			format = FormatJSON
		}
		s, err := Parse(bytes.NewReader(data), format, "fuzz")
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal parsed spec: %v", err)
		}
		again, err := Parse(bytes.NewReader(raw), FormatJSON, "fuzz.json")
		if err != nil {
			t.Fatalf("re-parse %s: %v", raw, err)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("round trip changed the spec:\nfirst  %#v\nsecond %#v", s, again)
		}
	})
}

func TestParseParamFlag(t *testing.T) {
	tests := []struct {
		in      string
		key     string
		value   any
		wantErr string
	}{
		{"lr=0.10", "lr", json.Number("0.1"), ""},
		{"n=10", "n", json.Number("10"), ""},
		{"on=true", "on", true, ""},
		{"none=null", "none", nil, ""},
		{"l=[1, \"a\"]", "l", []any{json.Number("1"), "a"}, ""},
		{`m={"a":1}`, "m", map[string]any{"a": json.Number("1")}, ""},
		{`q="10"`, "q", "10", ""},
		{"s=lbfgs", "s", "lbfgs", ""},
		{"s=1 2", "s", "1 2", ""},
		{"e=", "e", "", ""},
		{"eq=a=b", "eq", "a=b", ""},
		{"nan=NaN", "nan", "NaN", ""},
		{"x=1e400", "", nil, `"x=1e400": x: number 1e400 is out of range`},
		{"novalue", "", nil, `"novalue": want KEY=VALUE`},
		{"=1", "", nil, `"=1": want KEY=VALUE`},
	}
	for _, tt := range tests {
		k, v, err := ParseParamFlag(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseParamFlag(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || k != tt.key || !reflect.DeepEqual(v, tt.value) {
			t.Errorf("ParseParamFlag(%q) = %q, %#v, %v; want %q, %#v", tt.in, k, v, err, tt.key, tt.value)
		}
	}
}

func TestParseMetricFlag(t *testing.T) {
	tests := []struct {
		in      string
		want    objects.Metric
		wantErr string
	}{
		{"accuracy=0.91", objects.Metric{Name: "accuracy", Value: 0.91}, ""},
		{"accuracy[country=US]=0.88", objects.Metric{Name: "accuracy", Slice: "country=US", Value: 0.88}, ""},
		{"loss@3=0.21", objects.Metric{Name: "loss", Step: ptr(int64(3)), Value: 0.21}, ""},
		{"test:auc=0.8", objects.Metric{Name: "auc", Split: "test", Value: 0.8}, ""},
		{"test:acc[age=18:30]@2=1", objects.Metric{Name: "acc", Split: "test", Slice: "age=18:30", Step: ptr(int64(2)), Value: 1}, ""},
		{"acc[t=a@b]=1", objects.Metric{Name: "acc", Slice: "t=a@b", Value: 1}, ""},
		{"acc", objects.Metric{}, `"acc": no value`},
		{"acc=high", objects.Metric{}, `"acc=high": value "high" is not a finite number`},
		{"acc=NaN", objects.Metric{}, `value "NaN" is not a finite number`},
		{"acc@x=1", objects.Metric{}, `step "x" is not an integer`},
		{"acc[x=1", objects.Metric{}, `slice has no closing "]"`},
		{"acc[]=1", objects.Metric{}, "empty slice"},
		{":acc=1", objects.Metric{}, "empty split"},
		{"test:=1", objects.Metric{}, "no name"},
	}
	for _, tt := range tests {
		got, err := ParseMetricFlag(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseMetricFlag(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseMetricFlag(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if back, err := ParseMetricFlag(got.Key() + "=" + tt.in[strings.LastIndexByte(tt.in, '=')+1:]); err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("ParseMetricFlag(Key() of %q) = %+v, %v", tt.in, back, err)
		}
	}
}

func TestParsePairAndArtifactFlags(t *testing.T) {
	if k, v, err := ParsePairFlag("train=data/a=b.csv", "ROLE=PATH"); err != nil || k != "train" || v != "data/a=b.csv" {
		t.Errorf("ParsePairFlag = %q, %q, %v", k, v, err)
	}
	if _, _, err := ParsePairFlag("data.csv", "ROLE=PATH"); err == nil || err.Error() != `"data.csv": want ROLE=PATH` {
		t.Errorf("ParsePairFlag without = : %v", err)
	}
	for in, want := range map[string]Artifact{
		"model.pkl":           {Path: "model.pkl"},
		"model.pkl=out/m.pkl": {Path: "out/m.pkl", Name: "model.pkl"},
		"=out/m.pkl":          {Path: "out/m.pkl"},
	} {
		if got := ParseArtifactFlag(in); got != want {
			t.Errorf("ParseArtifactFlag(%q) = %+v, want %+v", in, got, want)
		}
	}
	if (Artifact{Path: "out/m.pkl"}).StoredName() != "out/m.pkl" || (Artifact{Path: "out/m.pkl", Name: "m"}).StoredName() != "m" {
		t.Error("StoredName")
	}
}

func TestEmpty(t *testing.T) {
	if !(&Spec{Name: "x", Message: "m", Tags: map[string]string{"a": "b"}}).Empty() {
		t.Error("a spec with only a name, message and tags is not Empty")
	}
	if (&Spec{Metrics: []objects.Metric{{Name: "a"}}}).Empty() {
		t.Error("a spec with a metric is Empty")
	}
}

func FuzzMetricFlag(f *testing.F) {
	for _, s := range []string{"accuracy=0.91", "accuracy[country=US]=0.88", "loss@3=0.21", "test:auc[a]@1=0.8", "a[x]@3]=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMetricFlag(s)
		if err != nil {
			return
		}
		back, err := ParseMetricFlag(m.Key() + "=" + strconv.FormatFloat(m.Value, 'g', -1, 64))
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("%q parsed to %+v; its key %q parses to %+v, %v", s, m, m.Key(), back, err)
		}
	})
}
