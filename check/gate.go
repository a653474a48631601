package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// Direction says which way a gated metric improves.
type Direction string

// Directions of a gate.
const (
	Max Direction = "max" // higher is better: a regression is a drop
	Min Direction = "min" // lower is better: a regression is a rise
)

// Syntax is the gate syntax, for error messages and help.
const Syntax = "[SPLIT:]NAME[SLICE]:max|min[:TOL]"

// Tolerance is how much worse than the baseline a candidate may be: an
// absolute amount in the metric's units, or a percentage of the baseline.
type Tolerance struct {
	Value   float64 // finite and not negative
	Percent bool    // Value is a percentage of the baseline's magnitude
}

// String writes the tolerance as a gate takes it: "0.005", "10%".
func (t Tolerance) String() string {
	s := formatNumber(t.Value)
	if t.Percent {
		s += "%"
	}
	return s
}

// IsZero reports whether the tolerance allows nothing.
func (t Tolerance) IsZero() bool { return t.Value == 0 }

// Gate is one metric a candidate must not regress on.
type Gate struct {
	Name  string
	Slice string
	Split string
	// Direction is Max or Min; "" until resolved when the gate was written
	// as a bare metric key (see Resolve).
	Direction Direction
	Tolerance Tolerance
}

// Key returns the gated metric's key, as objects.Metric.Key writes it
// (without a step).
func (g Gate) Key() string {
	return objects.Metric{Name: g.Name, Slice: g.Slice, Split: g.Split}.Key()
}

// String writes the gate in the syntax ParseGate reads, leaving out a zero
// tolerance: "accuracy:max:0.005", "test:loss[country=US]:min:10%".
func (g Gate) String() string {
	s := g.Key()
	if g.Direction == "" {
		return s
	}
	s += ":" + string(g.Direction)
	if !g.Tolerance.IsZero() {
		s += ":" + g.Tolerance.String()
	}
	return s
}

// ParseGate reads a gate written [SPLIT:]NAME[SLICE]:max|min[:TOL], or a
// bare [SPLIT:]NAME[SLICE] whose direction is resolved later. The metric
// key is read exactly as `modeldb commit --metric` reads it; colons inside
// the [SLICE] brackets belong to the slice. A metric that is itself named
// "max" or "min" needs its direction written out: "max:max".
func ParseGate(s string) (Gate, error) {
	s = strings.TrimSpace(s)
	bad := func(format string, args ...any) (Gate, error) {
		return Gate{}, fmt.Errorf("gate %q: %s; want %s", s, fmt.Sprintf(format, args...), Syntax)
	}
	if s == "" {
		return bad("empty")
	}
	fields := splitOutsideBrackets(s)
	n := len(fields)
	var g Gate
	tol, hasTol := "", false
	switch {
	case n >= 2 && isDirection(fields[n-1]):
		g.Direction = Direction(fields[n-1])
		fields = fields[:n-1]
	case n >= 3 && isDirection(fields[n-2]):
		g.Direction = Direction(fields[n-2])
		tol, hasTol = fields[n-1], true
		fields = fields[:n-2]
	case n >= 2 && isDirectionTypo(fields[n-1]):
		return bad("direction %q: write max (higher is better) or min (lower is better)", fields[n-1])
	case n >= 3 && isDirectionTypo(fields[n-2]) && looksNumeric(fields[n-1]):
		return bad("direction %q: write max (higher is better) or min (lower is better)", fields[n-2])
	case n >= 3 && fields[n-2] == "" && looksNumeric(fields[n-1]):
		return bad("empty direction (write max or min before the tolerance)")
	case n >= 2 && looksNumeric(fields[n-1]):
		return bad("tolerance %q needs a direction before it (max or min)", fields[n-1])
	}
	for _, f := range fields {
		if f == "" {
			return bad("empty field between colons")
		}
	}
	key := strings.Join(fields, ":")
	m, err := runfile.ParseMetricFlag(key + "=0")
	if err != nil {
		why := strings.TrimPrefix(err.Error(), strconv.Quote(key+"=0")+": ")
		why, _, _ = strings.Cut(why, "; want")
		return bad("metric %q: %s", key, why)
	}
	if m.Step != nil {
		return bad("a gate compares a curve's last value; leave out @%d", *m.Step)
	}
	g.Name, g.Slice, g.Split = m.Name, m.Slice, m.Split
	if hasTol {
		t, err := parseTolerance(tol)
		if err != nil {
			return bad("%v", err)
		}
		g.Tolerance = t
	}
	return g, nil
}

// ParseGates reads gates and refuses two gates on one metric.
func ParseGates(specs []string) ([]Gate, error) {
	gates := make([]Gate, 0, len(specs))
	seen := map[string]string{}
	for _, s := range specs {
		g, err := ParseGate(s)
		if err != nil {
			return nil, err
		}
		k := g.Key()
		if prev, ok := seen[k]; ok {
			return nil, fmt.Errorf("metric %s is gated twice (%q and %q); keep one gate per metric", k, prev, strings.TrimSpace(s))
		}
		seen[k] = strings.TrimSpace(s)
		gates = append(gates, g)
	}
	return gates, nil
}

// Resolve fills in the direction of gates written without one: from
// directions (modeldb.toml's [metrics], by metric name), else from the
// metric's name (diff.DefaultDirection). A gate whose direction stays
// unknown is an error.
func Resolve(gates []Gate, directions map[string]diff.Direction) ([]Gate, error) {
	out := make([]Gate, len(gates))
	for i, g := range gates {
		if g.Direction == "" {
			d, ok := directions[g.Name]
			if !ok {
				d = diff.DefaultDirection(g.Name)
			}
			switch d {
			case diff.Up:
				g.Direction = Max
			case diff.Down:
				g.Direction = Min
			default:
				k := g.Key()
				return nil, fmt.Errorf("gate %s: direction unknown; write %s:max (higher is better) or %s:min (lower is better), "+
					"or set [metrics] %s = \"up\" or \"down\" in modeldb.toml", k, k, k, tomlKey(g.Name))
			}
		}
		out[i] = g
	}
	return out, nil
}

// Directions converts modeldb.toml's [metrics] table ("up"/"down" by
// metric name) for Resolve and diff.Options.
func Directions(metrics map[string]string) map[string]diff.Direction {
	out := make(map[string]diff.Direction, len(metrics))
	for name, d := range metrics {
		out[name] = diff.Direction(d)
	}
	return out
}

func isDirection(s string) bool { return s == string(Max) || s == string(Min) }

// isDirectionTypo reports whether s was meant as a direction but is not
// one: "up", "MAX", "lower".
func isDirectionTypo(s string) bool {
	if isDirection(s) {
		return false
	}
	switch strings.ToLower(s) {
	case "max", "min", "up", "down", "higher", "lower", "maximize", "minimize", "maximise", "minimise":
		return true
	}
	return false
}

// looksNumeric reports whether s reads as a tolerance rather than a name.
func looksNumeric(s string) bool {
	if strings.HasSuffix(s, "%") {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func parseTolerance(s string) (Tolerance, error) {
	var t Tolerance
	num := s
	if strings.HasSuffix(s, "%") {
		t.Percent, num = true, strings.TrimSuffix(s, "%")
	}
	v, err := strconv.ParseFloat(num, 64)
	switch {
	case s == "":
		return t, fmt.Errorf("empty tolerance")
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return t, fmt.Errorf("tolerance %q is not a number (0.005) or a percentage (10%%)", s)
	case v < 0:
		return t, fmt.Errorf("tolerance %q is negative; it says how much worse the candidate may be", s)
	}
	t.Value = v + 0 // no negative zero
	return t, nil
}

// splitOutsideBrackets splits s at the colons that are not inside [ ].
func splitOutsideBrackets(s string) []string {
	var fields []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case ':':
			if depth == 0 {
				fields = append(fields, s[start:i])
				start = i + 1
			}
		}
	}
	return append(fields, s[start:])
}

// tomlKey quotes a metric name for a TOML table when it is not a bare key.
func tomlKey(name string) string {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return strconv.Quote(name)
		}
	}
	if name == "" {
		return `""`
	}
	return name
}

// formatNumber writes f in its shortest round-trip form, without an
// exponent for ordinary magnitudes.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
