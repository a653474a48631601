package check

import (
	"math"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/diff"
)

func TestParseGate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Gate
		str  string // String(), when it differs from in
	}{
		{in: "accuracy:max:0.005", want: Gate{Name: "accuracy", Direction: Max, Tolerance: Tolerance{Value: 0.005}}},
		{in: "latency_ms:min:10%", want: Gate{Name: "latency_ms", Direction: Min, Tolerance: Tolerance{Value: 10, Percent: true}}},
		{in: "accuracy:max", want: Gate{Name: "accuracy", Direction: Max}},
		{in: "accuracy:max:0", want: Gate{Name: "accuracy", Direction: Max}, str: "accuracy:max"},
		{in: "accuracy:max:0%", want: Gate{Name: "accuracy", Direction: Max, Tolerance: Tolerance{Percent: true}}, str: "accuracy:max"},
		{in: "accuracy", want: Gate{Name: "accuracy"}},
		{in: "  accuracy:max:1e-3 ", want: Gate{Name: "accuracy", Direction: Max, Tolerance: Tolerance{Value: 0.001}}, str: "accuracy:max:0.001"},
		{in: "accuracy:max:+2.50", want: Gate{Name: "accuracy", Direction: Max, Tolerance: Tolerance{Value: 2.5}}, str: "accuracy:max:2.5"},
		{in: "accuracy:max:-0", want: Gate{Name: "accuracy", Direction: Max}, str: "accuracy:max"},
		// Split and slice, as commit --metric reads them.
		{in: "test:auc:max:0.01", want: Gate{Name: "auc", Split: "test", Direction: Max, Tolerance: Tolerance{Value: 0.01}}},
		{in: "accuracy[country=US]:max:1%", want: Gate{Name: "accuracy", Slice: "country=US", Direction: Max, Tolerance: Tolerance{Value: 1, Percent: true}}},
		{in: "test:loss[a:b]:min", want: Gate{Name: "loss", Slice: "a:b", Split: "test", Direction: Min}},
		{in: "loss[x:max:1]", want: Gate{Name: "loss", Slice: "x:max:1"}},
		{in: "test:auc", want: Gate{Name: "auc", Split: "test"}},
		// A metric or split named max or min.
		{in: "max:max", want: Gate{Name: "max", Direction: Max}},
		{in: "test:min:max:2", want: Gate{Name: "min", Split: "test", Direction: Max, Tolerance: Tolerance{Value: 2}}},
		{in: "max:accuracy", want: Gate{Name: "accuracy", Split: "max"}},
		{in: "max", want: Gate{Name: "max"}},
	} {
		got, err := ParseGate(tc.in)
		if err != nil {
			t.Errorf("ParseGate(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseGate(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		str := tc.str
		if str == "" {
			str = tc.in
		}
		if got.String() != str {
			t.Errorf("ParseGate(%q).String() = %q, want %q", tc.in, got.String(), str)
		}
	}
}

func TestParseGateErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"  ", "empty"},
		{"accuracy:0.005", `tolerance "0.005" needs a direction before it (max or min)`},
		{"accuracy:5%", `tolerance "5%" needs a direction before it`},
		{"accuracy::0.005", "empty direction"},
		{"accuracy:max:", "empty tolerance"},
		{"accuracy:", "empty field between colons"},
		{":accuracy:max", "empty field between colons"},
		{"a::b", "empty field between colons"},
		{"accuracy:max:abc", `tolerance "abc" is not a number (0.005) or a percentage (10%)`},
		{"accuracy:max:%", `tolerance "%" is not a number`},
		{"accuracy:max:NaN", "is not a number"},
		{"accuracy:max:inf", "is not a number"},
		{"accuracy:max:1e400", "is not a number"},
		{"accuracy:max:-0.1", `tolerance "-0.1" is negative`},
		{"accuracy:min:-5%", "is negative"},
		{"accuracy:up:0.1", `direction "up": write max (higher is better) or min (lower is better)`},
		{"accuracy:MAX", `direction "MAX": write max`},
		{"loss:lower:10%", `direction "lower"`},
		{"auc:test:0.1", `tolerance "0.1" needs a direction`},
		{"loss@3:min", "a gate compares a curve's last value; leave out @3"},
		{"accuracy[country=US:max", `metric "accuracy[country=US:max": slice has no closing "]"`},
		{"accuracy[]:max", `metric "accuracy[]": empty slice`},
		{"[x]:max", `metric "[x]": no name`},
		{"loss@x:min", `step "x" is not an integer`},
	} {
		_, err := ParseGate(tc.in)
		if err == nil {
			t.Errorf("ParseGate(%q) = nil error, want %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseGate(%q) error = %q, want it to contain %q", tc.in, err, tc.want)
		}
		if !strings.Contains(err.Error(), "want "+Syntax) {
			t.Errorf("ParseGate(%q) error = %q does not show the syntax", tc.in, err)
		}
	}
}

func TestParseGatesRefusesTwoGatesOnOneMetric(t *testing.T) {
	_, err := ParseGates([]string{"accuracy:max", "loss:min", "accuracy:max:0.01"})
	if err == nil || !strings.Contains(err.Error(), `metric accuracy is gated twice ("accuracy:max" and "accuracy:max:0.01")`) {
		t.Fatalf("err = %v", err)
	}
	gs, err := ParseGates([]string{"accuracy:max", "accuracy[country=US]:max", "test:accuracy:max"})
	if err != nil || len(gs) != 3 {
		t.Fatalf("different slices and splits are different metrics: %v, %v", gs, err)
	}
}

func TestResolve(t *testing.T) {
	gates, err := ParseGates([]string{"accuracy", "val_loss", "churn_rate", "f1:min", "test:latency[x=1]"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(gates, nil)
	want := `gate churn_rate: direction unknown; write churn_rate:max (higher is better) or churn_rate:min (lower is better), ` +
		`or set [metrics] churn_rate = "up" or "down" in modeldb.toml`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	got, err := Resolve(gates, Directions(map[string]string{"churn_rate": "down", "accuracy": "down"}))
	if err != nil {
		t.Fatal(err)
	}
	var strs []string
	for _, g := range got {
		strs = append(strs, g.String())
	}
	// modeldb.toml wins over the guess from the name; a written direction
	// wins over both.
	if s := strings.Join(strs, " "); s != "accuracy:min val_loss:min churn_rate:min f1:min test:latency[x=1]:min" {
		t.Fatalf("resolved = %s", s)
	}
	if gates[0].Direction != "" {
		t.Fatal("Resolve changed its input")
	}
	_, err = Resolve([]Gate{{Name: "a b"}}, map[string]diff.Direction{})
	if err == nil || !strings.Contains(err.Error(), `[metrics] "a b" = "up"`) {
		t.Fatalf("err = %v", err)
	}
}

// FuzzParseGate checks that ParseGate never panics, that what it accepts
// is well formed, and that String writes it back to an equal gate.
func FuzzParseGate(f *testing.F) {
	for _, s := range []string{
		"accuracy:max:0.005", "latency_ms:min:10%", "accuracy", "test:auc:max", "accuracy[country=US]:max:1%",
		"test:loss[a:b]:min", "max:max", "loss@3:min", "a::b", "x[:]:min:0x1p-3", "a]b[c]:max", "[", "]:", "%:max:%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGate(s)
		if err != nil {
			if g != (Gate{}) {
				t.Fatalf("ParseGate(%q) returned %+v with error %v", s, g, err)
			}
			return
		}
		if g.Name == "" {
			t.Fatalf("ParseGate(%q) = %+v: no name", s, g)
		}
		if g.Direction != "" && g.Direction != Max && g.Direction != Min {
			t.Fatalf("ParseGate(%q): direction %q", s, g.Direction)
		}
		if v := g.Tolerance.Value; v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || math.Signbit(v) {
			t.Fatalf("ParseGate(%q): tolerance %v", s, v)
		}
		if g.Direction == "" && !g.Tolerance.IsZero() {
			t.Fatalf("ParseGate(%q): tolerance without direction", s)
		}
		back, err := ParseGate(g.String())
		if err != nil {
			t.Fatalf("ParseGate(%q) = %+v, but ParseGate(%q): %v", s, g, g.String(), err)
		}
		// A zero percentage is written as a zero tolerance.
		if g.Tolerance.IsZero() {
			g.Tolerance.Percent = false
		}
		if back != g {
			t.Fatalf("ParseGate(%q) = %+v; String %q reads back as %+v", s, g, g.String(), back)
		}
	})
}
