package objects_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

func TestCanonicalizeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{` { "z" : [ 1.0 , 2.50, 1e3, -0.0 ] } `, `{"z":[1,2.5,1000,0]}`},
		{`{"x":1.0E-4}`, `{"x":0.0001}`},
		{`{"x":0.1}`, `{"x":0.1}`},
		{`{"big":12345678901234567890}`, `{"big":12345678901234567000}`},
		{`{"html":"<a&b>"}`, `{"html":"<a&b>"}`},
		{`{"n":{"d":1,"c":{"b":true,"a":null}}}`, `{"n":{"c":{"a":null,"b":true},"d":1}}`},
		{`"ünïcode"`, `"ünïcode"`},
	}
	for _, tc := range tests {
		got, err := objects.CanonicalizeJSON([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if string(got) != tc.want {
			t.Errorf("CanonicalizeJSON(%s) = %s, want %s", tc.in, got, tc.want)
		}
		again, _ := objects.CanonicalizeJSON(got)
		if string(again) != string(got) {
			t.Errorf("not idempotent: %s → %s", got, again)
		}
	}
	for _, bad := range []string{`{"a":1} x`, `{`, ``} {
		if _, err := objects.CanonicalizeJSON([]byte(bad)); err == nil {
			t.Errorf("CanonicalizeJSON(%q) succeeded", bad)
		}
	}
}

func TestSameContentSameID(t *testing.T) {
	mk := func(params map[string]any) *objects.Run {
		return &objects.Run{Name: "r", Params: params, Metrics: []objects.Metric{{Name: "acc", Value: 0.9}}}
	}
	// The same values reached by different routes (float vs json.Number,
	// different map insertion order) must hash the same.
	a := mk(map[string]any{"C": 10.0, "penalty": "l2", "alpha": 0.0001})
	b := mk(map[string]any{"alpha": json.Number("1.0E-4"), "penalty": "l2", "C": json.Number("10")})
	_, ida, err := objects.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	_, idb, _ := objects.Encode(b)
	if ida != idb {
		t.Fatalf("equal runs got different ids %s and %s", ida.Short(), idb.Short())
	}
	c := mk(map[string]any{"C": 11.0, "penalty": "l2", "alpha": 0.0001})
	if _, idc, _ := objects.Encode(c); idc == ida {
		t.Fatal("different runs got the same id")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	step := int64(3)
	run := &objects.Run{
		Name: "strong-c",
		Pipeline: []objects.Stage{{Name: "pre", Op: "sklearn.compose.ColumnTransformer", Stages: []objects.Stage{
			{Name: "num", Op: "sklearn.preprocessing.StandardScaler", Inputs: []string{"age"}},
		}}, {Name: "clf", Op: "sklearn.linear_model.LogisticRegression", Params: map[string]any{"C": 10.0}}},
		Metrics: []objects.Metric{{Name: "loss", Value: 0.21, Step: &step}, {Name: "accuracy", Value: 0.88, Slice: "country=US", Split: "test"}},
	}
	data, id, err := objects.Encode(run)
	if err != nil {
		t.Fatal(err)
	}
	if objects.Hash(data) != id || objects.KindOf(data) != objects.KindRun {
		t.Fatalf("id or kind wrong: %s %s", id.Short(), objects.KindOf(data))
	}
	back, err := objects.DecodeRun(data)
	if err != nil {
		t.Fatal(err)
	}
	data2, id2, _ := objects.Encode(back)
	if id2 != id {
		t.Fatalf("re-encoding changed the id:\n%s\n%s", data, data2)
	}
	if got := back.Metrics[1].Key(); got != "test:accuracy[country=US]" {
		t.Errorf("Key() = %q", got)
	}
	if got := back.Metrics[0].Key(); got != "loss@3" {
		t.Errorf("Key() = %q", got)
	}
	if _, err := objects.DecodeCommit(data); !errors.Is(err, objects.ErrWrongKind) {
		t.Errorf("DecodeCommit of a run: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, data string
		decode     func([]byte) error
		want       string
	}{
		{"newer version", `{"type":"commit","version":99}`, func(b []byte) error { _, err := objects.DecodeCommit(b); return err }, "upgrade modeldb"},
		{"file sizes", `{"type":"file","version":1,"size":10,"sha256":"` + strings.Repeat("a", 64) + `","chunks":[{"id":"` + strings.Repeat("b", 64) + `","size":5}]}`, func(b []byte) error { _, err := objects.DecodeFile(b); return err }, "add up"},
		{"bad id", `{"type":"commit","version":1,"run":"xyz"}`, func(b []byte) error { _, err := objects.DecodeCommit(b); return err }, "invalid object id"},
		{"not json", `garbage`, func(b []byte) error { _, err := objects.DecodeRun(b); return err }, "decode run"},
	}
	for _, tc := range tests {
		err := tc.decode([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestKindOf(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"run","version":1}`:   objects.KindRun,
		`{"type":"other","version":1}`: objects.KindChunk,
		`{"type":"run"}`:               objects.KindChunk,
		"\x00\x01binary":               objects.KindChunk,
		``:                             objects.KindChunk,
	} {
		if got := objects.KindOf([]byte(in)); got != want {
			t.Errorf("KindOf(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseID(t *testing.T) {
	id := objects.Hash([]byte("x"))
	back, err := objects.ParseID(id.String())
	if err != nil || back != id {
		t.Fatalf("ParseID round trip: %v", err)
	}
	for _, bad := range []string{"", "abc", strings.ToUpper(id.String()), id.String() + "0", "g" + id.String()[1:]} {
		if _, err := objects.ParseID(bad); !errors.Is(err, objects.ErrInvalidID) {
			t.Errorf("ParseID(%q): %v", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"commit","version":1,"run":"` + strings.Repeat("a", 64) + `","parents":[],"name":"x","author":"a","time":"t","message":"m"}`))
	f.Add([]byte(`{"type":"run","version":1,"name":"r","params":{"C":1},"metrics":[{"name":"a","value":1,"step":2}]}`))
	f.Add([]byte(`{"type":"file","version":1,"size":0,"sha256":"` + strings.Repeat("e", 64) + `","chunks":[]}`))
	f.Add([]byte(`[1,2,{"a":1e400}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		objects.KindOf(data)
		objects.DecodeCommit(data)
		objects.DecodeFile(data)
		if run, err := objects.DecodeRun(data); err == nil {
			if _, _, err := objects.Encode(run); err != nil && !errors.Is(err, objects.ErrNotCanonical) {
				// Runs that decode must re-encode (NaN cannot appear in JSON).
				t.Fatalf("decoded run does not encode: %v", err)
			}
		}
		if c, err := objects.CanonicalizeJSON(data); err == nil {
			again, err := objects.CanonicalizeJSON(c)
			if err != nil || string(again) != string(c) {
				t.Fatalf("canonical form not stable: %q → %q (%v)", c, again, err)
			}
		}
	})
}
