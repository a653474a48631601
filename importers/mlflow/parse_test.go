package mlflow

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParseMeta(t *testing.T) {
	type kv struct {
		kind valueKind
		text string
	}
	tests := []struct {
		name string
		in   string
		want map[string]kv
	}{
		{"mlflow 2 run", "artifact_uri: file:///E:/x/mlruns/1/abc/artifacts\nend_time: 1748277355524\nentry_point_name: ''\n" +
			"experiment_id: '965807661395077312'\nlifecycle_stage: active\nrun_name: rogue-shrimp-446\ntags: []\n",
			map[string]kv{
				"artifact_uri":     {kindPlain, "file:///E:/x/mlruns/1/abc/artifacts"},
				"end_time":         {kindPlain, "1748277355524"},
				"entry_point_name": {kindQuoted, ""},
				"experiment_id":    {kindQuoted, "965807661395077312"},
				"lifecycle_stage":  {kindPlain, "active"},
				"run_name":         {kindPlain, "rogue-shrimp-446"},
				"tags":             {kindList, ""},
			}},
		{"trailing space and commas", "name: 'model 5 layers, '\nother: model 5 layers, no normalization\n",
			map[string]kv{"name": {kindQuoted, "model 5 layers, "}, "other": {kindPlain, "model 5 layers, no normalization"}}},
		{"nulls and empty map", "a: null\nb: ~\nc:\nd: {}\ne: Null # comment\n",
			map[string]kv{"a": {kind: kindNull}, "b": {kind: kindNull}, "c": {kind: kindNull}, "d": {kind: kindMap}, "e": {kind: kindNull}}},
		{"quote escapes", `a: 'it''s'` + "\n" + `b: "tab\there \"q\" \u00e9\x41 back\\slash"` + "\n",
			map[string]kv{"a": {kindQuoted, "it's"}, "b": {kindQuoted, "tab\there \"q\" éA back\\slash"}}},
		{"folded plain", "name: a very long experiment name that PyYAML\n  folded onto the next line\nb: 1\n",
			map[string]kv{"name": {kindPlain, "a very long experiment name that PyYAML folded onto the next line"}, "b": {kindPlain, "1"}}},
		{"folded quoted with blank line", "name: 'first part\n  second part\n\n  third'\n",
			map[string]kv{"name": {kindQuoted, "first part second part\nthird"}}},
		{"escaped line break", "name: \"abc\\\n  def\"\n", map[string]kv{"name": {kindQuoted, "abcdef"}}},
		{"comments, document start, CRLF", "---\r\n# a comment\r\n\r\nname: x # trailing\r\nurl: a#b\r\n",
			map[string]kv{"name": {kindPlain, "x"}, "url": {kindPlain, "a#b"}}},
		{"negative and colon without space", "n: -1\nt: 12:30\n", map[string]kv{"n": {kindPlain, "-1"}, "t": {kindPlain, "12:30"}}},
		{"unicode", "name: expérience 実験\n", map[string]kv{"name": {kindPlain, "expérience 実験"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseMeta([]byte(tt.in), "meta.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if len(m.vals) != len(tt.want) {
				t.Errorf("got %d keys %v, want %d", len(m.vals), m.order, len(tt.want))
			}
			for k, w := range tt.want {
				got, ok := m.vals[k]
				if !ok {
					t.Errorf("key %q missing", k)
					continue
				}
				if got.kind != w.kind || got.text != w.text {
					t.Errorf("%s = %v %q, want %v %q", k, got.kind, got.text, w.kind, w.text)
				}
			}
		})
	}
}

func TestParseMetaErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
		msg  string
	}{
		{"", 1, "empty file"},
		{"name: Default", 1, "no newline"},
		{"a: 1\nname: 'unterminated\n", 2, "unterminated '-quoted string"},
		{"a: 1\nb: \"x\ny: 2\n", 2, "unterminated \"-quoted string"},
		{"a: 1\na: 2\n", 2, `key "a" is given twice (first at line 1)`},
		{"tags:\n- a\n- b\n", 2, "nested YAML block"},
		{"tags:\n  x: 1\n", 2, "nested YAML block"},
		{"a: 1\n  b: 2\n", 2, "nested mappings"},
		{"tags: [a, b]\n", 1, "only the empty collection []"},
		{"tags: {a: 1}\n", 1, "only the empty collection {}"},
		{"a: |\n  text\n", 1, "block scalars"},
		{"a: &x 1\n", 1, "anchors"},
		{"a: *x\n", 1, "anchors"},
		{"a: !!str 1\n", 1, "anchors"},
		{"a: b: c\n", 1, "nested mappings"},
		{"just text\n", 1, `expected "key: value"`},
		{"'quoted key': 1\n", 1, "unsupported key"},
		{"a:b\n", 1, "expected a space"},
		{"a: 'x' y\n", 1, "after the closing quote"},
		{"a: \"\\q\"\n", 1, "unknown escape"},
		{"a: \"\\u12\"\n", 1, "short escape"},
		{"a: 1\n  indented: 2\n", 2, "nested mappings"},
		{" a: 1\n", 1, "unexpected indentation"},
		{"- a\n", 1, "unexpected list item"},
		{"a: 1\nb: \xff\n", 2, "not valid UTF-8"},
		{"a: - x\n", 1, "nested YAML"},
		{"a: @x\n", 1, "cannot start with"},
	}
	for _, tt := range tests {
		_, err := parseMeta([]byte(tt.in), "dir/meta.yaml")
		var ye *yamlError
		if !errors.As(err, &ye) {
			t.Errorf("%q: error %v, want a yamlError", tt.in, err)
			continue
		}
		if ye.line != tt.line || !strings.Contains(ye.msg, tt.msg) {
			t.Errorf("%q: %v; want line %d and %q", tt.in, err, tt.line, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), "dir/meta.yaml:"+strconv.Itoa(tt.line)+": ") {
			t.Errorf("%q: %v does not start with file:line", tt.in, err)
		}
	}
}

func TestMetaAccessors(t *testing.T) {
	m, err := parseMeta([]byte("experiment_id: 0\nname: '12'\nstatus: 3\nbad: abc\nend_time: null\nl: []\n"), "meta.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s, ok, err := m.str("experiment_id"); s != "0" || !ok || err != nil {
		t.Errorf("legacy int experiment_id: %q %v %v", s, ok, err)
	}
	if s, ok, err := m.str("name"); s != "12" || !ok || err != nil {
		t.Errorf("quoted number: %q %v %v", s, ok, err)
	}
	if n, ok, err := m.int("status"); n != 3 || !ok || err != nil {
		t.Errorf("int: %d %v %v", n, ok, err)
	}
	if _, ok, err := m.int("end_time"); ok || err != nil {
		t.Errorf("null int: %v %v", ok, err)
	}
	if _, _, err := m.int("bad"); err == nil || !strings.Contains(err.Error(), "meta.yaml:4: bad: want an integer") {
		t.Errorf("bad int: %v", err)
	}
	if _, _, err := m.str("l"); err == nil || !strings.Contains(err.Error(), "meta.yaml:6: l: want a string, got []") {
		t.Errorf("list as string: %v", err)
	}
	if err := m.missing("user_id"); !strings.Contains(err.Error(), "meta.yaml:6: required key \"user_id\" is missing") {
		t.Errorf("missing: %v", err)
	}
}

func TestParseMetricLine(t *testing.T) {
	ok := []struct {
		in   string
		want Point
	}{
		{"1662816063867 0.4183310866355896 0", Point{1662816063867, 0.4183310866355896, 0, 0}},
		{"1662816066718 0.4154927134513855 2", Point{1662816066718, 0.4154927134513855, 2, 0}},
		{"1 -1e-05 -3", Point{1, -1e-05, -3, 0}},
		{"1 5 7\r", Point{1, 5, 7, 0}},
		{"1 0.5", Point{1, 0.5, 0, 0}}, // before MLflow 1.0: no step
		{"1750771751648 0.12 3 5371314d38a8413386c9b7958cc7127c", Point{1750771751648, 0.12, 3, 0}},
		{"1 1e999 0", Point{1, math.Inf(1), 0, 0}},
		{"1 -inf 0", Point{1, math.Inf(-1), 0, 0}},
	}
	for _, tt := range ok {
		got, err := ParseMetricLine(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMetricLine(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	if p, err := ParseMetricLine("1 nan 0"); err != nil || !math.IsNaN(p.Value) {
		t.Errorf("nan: %+v %v", p, err)
	}
	bad := map[string]string{
		"":                           "empty line",
		"1":                          "1 fields",
		"1 2 3 4 5":                  "5 fields",
		"1  2 3":                     "empty field",
		"1 2 3 zzz":                  "4th field",
		"x 0.5 0":                    "timestamp \"x\" is not an integer",
		"1.5 0.5 0":                  "timestamp",
		"1 abc 0":                    "value \"abc\" is not a number",
		"1 0x10 0":                   "value",
		"1 1_0 0":                    "value",
		"1 0.5 1.5":                  "step \"1.5\" is not an integer",
		"1 0.5 99999999999999999999": "step \"99999999999999999999\" is out of range",
		"1 0.5 0 ":                   "empty field",
		"\t1 0.5 0":                  "timestamp",
	}
	for in, want := range bad {
		_, err := ParseMetricLine(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMetricLine(%q) error %v, want %q", in, err, want)
		}
	}
}

func TestParseMetricFile(t *testing.T) {
	points, err := ParseMetricFile([]byte("1 0.5 0\n2 0.25 2\n3 0.125 4\n"), "metrics/loss")
	if err != nil || len(points) != 3 || points[2].Step != 4 || points[2].Line != 3 {
		t.Fatalf("%+v %v", points, err)
	}
	for in, want := range map[string]string{
		"":                            "metrics/loss:1: empty metric file",
		"1 0.5 0\n2 0.25 2\nbroken\n": "metrics/loss:3: 1 fields",
		"1 0.5 0\n2 0.2":              "metrics/loss:2: last line has no newline",
		"1 0.5 0\n\n":                 "metrics/loss:2: empty line",
	} {
		_, err := ParseMetricFile([]byte(in), "metrics/loss")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseMetricFile(%q) error %v, want prefix %q", in, err, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"Default":                                "Default",
		"breast cancer dummy":                    "breast-cancer-dummy",
		"model 5 layers, ":                       "model-5-layers",
		"model trained per week, min/max scaler": "model-trained-per-week-min-max-scaler",
		"model 5 layers, no normalization, 1 year feature, 0.5 year target": "model-5-layers-no-normalization-1-year-feature-0.5-year-target",
		"rogue-shrimp-446":           "rogue-shrimp-446",
		"  --a--b--  ":               "a-b",
		"..hidden..name..":           "hidden.name",
		"x.lock":                     "x-lock",
		"/Users/ann@example.com/exp": "Users-ann-example.com-exp",
		"a:b~c^d?e*f[g\\h@{i}":       "a-b-c-d-e-f-g-h-i",
		"expérience 実験":              "expérience-実験",
		"???":                        "",
		"":                           "",
		"tab\there\nnewline":         "tab-here-newline",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	long := Sanitize(strings.Repeat("é", 200))
	if len(long) > maxNameBytes || !strings.HasPrefix(strings.Repeat("é", 100), long) {
		t.Errorf("long name: %d bytes %q", len(long), long)
	}
}

func TestRunName(t *testing.T) {
	id := "ce15e9ef991943e7ab2b492d0e467940"
	for _, tt := range []struct {
		name string
		long bool
		want string
	}{
		{"rogue-shrimp-446", false, "rogue-shrimp-446-ce15e9ef"},
		{"rogue-shrimp-446", true, "rogue-shrimp-446-" + id},
		{"", false, "mlflow-ce15e9ef"},
		{"Lstm_model Base line", false, "Lstm_model-Base-line-ce15e9ef"},
		{"...", false, "mlflow-ce15e9ef"},
	} {
		if got := RunName(tt.name, id, tt.long); got != tt.want {
			t.Errorf("RunName(%q, %v) = %q, want %q", tt.name, tt.long, got, tt.want)
		}
	}
}

func TestParamValue(t *testing.T) {
	for in, want := range map[string]any{
		"10":                   json.Number("10"),
		"-3":                   json.Number("-3"),
		"0":                    json.Number("0"),
		"0.001":                json.Number("0.001"),
		"1e-05":                json.Number("0.00001"),
		"1e-07":                json.Number("1e-7"),
		"0.9":                  json.Number("0.9"),
		"-2.5":                 json.Number("-2.5"),
		"True":                 true,
		"False":                false,
		"None":                 nil,
		"1.0":                  "1.0", // integral float: canonical JSON would make it 1
		"0.0":                  "0.0",
		"200.0":                "200.0",
		"1e+16":                "1e+16",
		"010":                  "010",
		"+1":                   "+1",
		"1_000":                "1_000",
		"0.10":                 "0.10",
		"1E-05":                "1E-05",
		".5":                   ".5",
		"nan":                  "nan",
		"inf":                  "inf",
		"true":                 "true",
		"null":                 "null",
		"":                     "",
		" 1":                   " 1",
		"99999999999999999999": "99999999999999999999",
		"[1, 2]":               "[1, 2]",
		"RandomForestRegressor(max_depth=10, random_state=2)": "RandomForestRegressor(max_depth=10, random_state=2)",
		"0.1000000000000000055511151231257827":                "0.1000000000000000055511151231257827",
	} {
		got := ParamValue(in)
		if got != want {
			t.Errorf("ParamValue(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func TestPyRepr(t *testing.T) {
	for f, want := range map[float64]string{
		0.001: "0.001", 1e-05: "1e-05", 0.0001: "0.0001", 1.5e16: "1.5e+16", 1e16: "1e+16",
		123456789.5: "123456789.5", 1.0: "1.0", -2.5e-10: "-2.5e-10", 1e100: "1e+100", 0.1: "0.1",
	} {
		if got := pyRepr(f); got != want {
			t.Errorf("pyRepr(%v) = %q, want %q", f, got, want)
		}
	}
}

// FuzzParseMeta checks that the meta.yaml reader never panics, that its
// errors name the file and a line inside it, and that what it accepts it
// accepts again with the same values once re-written.
func FuzzParseMeta(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/mlruns/*/*/meta.yaml")
	more, _ := filepath.Glob("testdata/*/notebooks/mlruns/*/*/meta.yaml")
	exps, _ := filepath.Glob("testdata/*/mlruns/*/meta.yaml")
	for _, p := range append(append(seeds, more...), exps...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("name: 'a ''b'''\nx: \"\\u00e9\\\n  y\"\nz: ~\nl: []\n"))
	f.Add([]byte("name: long\n  folded\n\n  text\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseMeta(data, "meta.yaml")
		if err != nil {
			var ye *yamlError
			if !errors.As(err, &ye) {
				t.Fatalf("error %v is not a yamlError", err)
			}
			lines := strings.Count(string(data), "\n") + 1
			if ye.line < 1 || ye.line > lines {
				t.Fatalf("error line %d outside 1..%d: %v", ye.line, lines, err)
			}
			return
		}
		if len(m.order) == 0 {
			return
		}
		// Re-write what was read as double-quoted YAML and read it again.
		var b strings.Builder
		for _, k := range m.order {
			v := m.vals[k]
			if v.line < 1 || v.line > m.lines {
				t.Fatalf("key %s at line %d of %d", k, v.line, m.lines)
			}
			b.WriteString(k + ": ")
			switch v.kind {
			case kindNull:
				b.WriteString("null")
			case kindList:
				b.WriteString("[]")
			case kindMap:
				b.WriteString("{}")
			default:
				b.WriteString(yamlQuote(v.text))
			}
			b.WriteString("\n")
		}
		m2, err := parseMeta([]byte(b.String()), "again.yaml")
		if err != nil {
			t.Fatalf("re-reading %q: %v", b.String(), err)
		}
		for _, k := range m.order {
			v, w := m.vals[k], m2.vals[k]
			if v.text != w.text || (v.kind == kindNull) != (w.kind == kindNull) {
				t.Fatalf("%s: %v %q became %v %q", k, v.kind, v.text, w.kind, w.text)
			}
		}
	})
}

// yamlQuote writes s as a double-quoted YAML scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029:
			b.WriteString(`\u` + strconv.FormatInt(int64(r)+0x10000, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzParseMetricLine checks that the metric-line parser never panics and
// that an accepted line reads back the same once re-written.
func FuzzParseMetricLine(f *testing.F) {
	for _, s := range []string{"1662816063867 0.4183310866355896 0", "1 0.5", "1 nan 0", "1 -inf 2",
		"1750771751648 0.12 3 5371314d38a8413386c9b7958cc7127c", "1 2 3 4", "x", "1 1e999 0", "1 -0.0 -1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		p, err := ParseMetricLine(line)
		if err != nil {
			return
		}
		if strings.ContainsAny(strings.TrimSuffix(line, "\r"), "\n\t\r") {
			t.Fatalf("accepted %q with control characters", line)
		}
		again := strconv.FormatInt(p.Timestamp, 10) + " " + strconv.FormatFloat(p.Value, 'g', -1, 64) + " " + strconv.FormatInt(p.Step, 10)
		q, err := ParseMetricLine(again)
		if err != nil {
			t.Fatalf("re-reading %q (from %q): %v", again, line, err)
		}
		if q.Timestamp != p.Timestamp || q.Step != p.Step || !(q.Value == p.Value || (math.IsNaN(q.Value) && math.IsNaN(p.Value))) {
			t.Fatalf("%q → %+v → %q → %+v", line, p, again, q)
		}
	})
}
