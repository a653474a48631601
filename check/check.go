package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/internal/suggest"
	"github.com/modeldb/modeldb/objects"
)

// Side is one of the two runs a check compares.
type Side struct {
	Rev    string // the revision as given: "main", "HEAD", a run name
	Commit objects.ID
	Run    *objects.Run
}

// RunRef names a compared run in a report.
type RunRef struct {
	Rev    string     `json:"rev"`
	Commit objects.ID `json:"commit"`
	Run    string     `json:"run"`
}

// String names the run for messages: "run keen-crane-678 (HEAD, 0f232c2ea7)".
func (r RunRef) String() string {
	if r.Rev == "" || r.Rev == r.Run {
		return fmt.Sprintf("run %s (%s)", r.Run, r.Commit.Short())
	}
	return fmt.Sprintf("run %s (%s, %s)", r.Run, r.Rev, r.Commit.Short())
}

// Result is the outcome of one gate.
type Result struct {
	Gate      string    `json:"gate"`   // the gate, direction resolved: "accuracy:max:0.005"
	Metric    string    `json:"metric"` // the metric's key: "test:accuracy[country=US]"
	Name      string    `json:"name"`
	Slice     string    `json:"slice,omitempty"`
	Split     string    `json:"split,omitempty"`
	Direction Direction `json:"direction"`
	Tolerance string    `json:"tolerance"` // as written: "0.005", "10%", "0"
	Baseline  float64   `json:"baseline"`
	Candidate float64   `json:"candidate"`
	// Delta is candidate − baseline.
	Delta float64 `json:"delta"`
	// Relative is Delta as a fraction of the baseline's magnitude; nil when
	// the baseline is 0.
	Relative *float64 `json:"relative,omitempty"`
	// Allowed is how much worse than the baseline the candidate may be, in
	// the metric's units (a percentage tolerance applied to the baseline).
	Allowed float64 `json:"allowed"`
	// Limit is the worst candidate value that passes: baseline − Allowed
	// for max, baseline + Allowed for min.
	Limit  float64 `json:"limit"`
	Passed bool    `json:"passed"`
}

// Report is the outcome of a check.
type Report struct {
	// Passed is true when no gate regressed beyond its tolerance.
	Passed    bool     `json:"passed"`
	Baseline  RunRef   `json:"baseline"`
	Candidate RunRef   `json:"candidate"`
	Gates     []Result `json:"gates"`
	// Others compares the metrics no gate covers, for reports; they do not
	// decide anything.
	Others []diff.MetricDiff `json:"-"`
}

// Failed returns the gates that did not hold.
func (r *Report) Failed() []Result {
	var out []Result
	for _, g := range r.Gates {
		if !g.Passed {
			out = append(out, g)
		}
	}
	return out
}

// DataError says the runs lack metrics the gates need.
type DataError struct {
	Missing []Missing
}

// Missing lists the gated metrics one run does not have.
type Missing struct {
	Side    string   // "baseline" or "candidate"
	Run     RunRef   // the run
	Metrics []string // the keys of the missing metrics
	Have    []string // the keys of the metrics it has, in recorded order
}

// maxListed bounds how many of a run's metrics an error message lists.
const maxListed = 12

func (m Missing) String() string {
	var b strings.Builder
	noun := "metric"
	if len(m.Metrics) > 1 {
		noun = "metrics"
	}
	fmt.Fprintf(&b, "%s %s has no %s %s", m.Side, m.Run, noun, strings.Join(m.Metrics, ", "))
	if len(m.Have) == 0 {
		b.WriteString(" (it has no metrics)")
		return b.String()
	}
	b.WriteString(" (")
	if len(m.Metrics) == 1 {
		if s := suggest.Closest(m.Metrics[0], m.Have, 2); s != "" {
			fmt.Fprintf(&b, "did you mean %s? ", s)
		}
	}
	have := m.Have
	more := ""
	if len(have) > maxListed {
		more = fmt.Sprintf(" and %d more", len(have)-maxListed)
		have = have[:maxListed]
	}
	fmt.Fprintf(&b, "it has %s%s)", strings.Join(have, ", "), more)
	return b.String()
}

func (e *DataError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		parts[i] = m.String()
	}
	return strings.Join(parts, "; ")
}

// Evaluate checks the candidate against the baseline on every gate. The
// gates' directions must be resolved (see Resolve). A gated metric missing
// from either run is a *DataError naming all of them. opts gives the
// directions of the ungated metrics compared in Report.Others.
func Evaluate(baseline, candidate Side, gates []Gate, opts diff.Options) (*Report, error) {
	rep := &Report{
		Passed:    true,
		Baseline:  RunRef{Rev: baseline.Rev, Commit: baseline.Commit, Run: baseline.Run.Name},
		Candidate: RunRef{Rev: candidate.Rev, Commit: candidate.Commit, Run: candidate.Run.Name},
		Gates:     []Result{},
	}
	bv, border := lastValues(baseline.Run.Metrics)
	cv, corder := lastValues(candidate.Run.Metrics)
	missB := Missing{Side: "baseline", Run: rep.Baseline, Have: border}
	missC := Missing{Side: "candidate", Run: rep.Candidate, Have: corder}
	gated := map[string]bool{}
	for _, g := range gates {
		if g.Direction != Max && g.Direction != Min {
			return nil, fmt.Errorf("gate %s: direction %q unresolved (want max or min)", g.Key(), g.Direction)
		}
		k := g.Key()
		gated[k] = true
		b, bok := bv[k]
		c, cok := cv[k]
		if !bok {
			missB.Metrics = append(missB.Metrics, k)
		}
		if !cok {
			missC.Metrics = append(missC.Metrics, k)
		}
		if !bok || !cok {
			continue
		}
		if !finite(b) || !finite(c) {
			return nil, fmt.Errorf("metric %s: baseline %v or candidate %v is not a finite number", k, b, c)
		}
		r := evaluate(g, b, c)
		rep.Passed = rep.Passed && r.Passed
		rep.Gates = append(rep.Gates, r)
	}
	var de DataError
	for _, m := range []Missing{missB, missC} {
		if len(m.Metrics) > 0 {
			de.Missing = append(de.Missing, m)
		}
	}
	if len(de.Missing) > 0 {
		return nil, &de
	}
	rep.Others = []diff.MetricDiff{}
	for _, d := range diff.Metrics(baseline.Run.Metrics, candidate.Run.Metrics, opts) {
		if !gated[d.Key()] {
			rep.Others = append(rep.Others, d)
		}
	}
	return rep, nil
}

// evaluate applies one gate to a baseline value b and a candidate value c.
// Differences are rounded to the decimal places of the numbers they come
// from, so that 0.905 against 0.91 is a drop of exactly 0.005 — a value
// exactly at the tolerance passes.
func evaluate(g Gate, b, c float64) Result {
	db := decimals(b)
	r := Result{
		Gate: g.String(), Metric: g.Key(), Name: g.Name, Slice: g.Slice, Split: g.Split,
		Direction: g.Direction, Tolerance: g.Tolerance.String(),
		Baseline: b, Candidate: c,
		Delta: Difference(b, c),
	}
	if b != 0 {
		rel := round(r.Delta/math.Abs(b), -1)
		r.Relative = &rel
	}
	r.Allowed = g.Tolerance.Value
	if g.Tolerance.Percent {
		places := -1 // a product has at most the decimals of its factors together
		if dt := decimals(g.Tolerance.Value); db >= 0 && dt >= 0 {
			places = db + dt + 2
		}
		r.Allowed = round(math.Abs(b)*g.Tolerance.Value/100, places)
	}
	da := decimals(r.Allowed)
	if g.Direction == Max {
		r.Limit = round(b-r.Allowed, max(db, da))
		r.Passed = c >= r.Limit
	} else {
		r.Limit = round(b+r.Allowed, max(db, da))
		r.Passed = c <= r.Limit
	}
	r.Delta, r.Allowed, r.Limit = clamp(r.Delta), clamp(r.Allowed), clamp(r.Limit)
	if r.Relative != nil {
		*r.Relative = clamp(*r.Relative)
	}
	return r
}

// Difference returns b − a rounded to the decimal places of a and b, so
// that 0.9 − 0.91 is -0.01 and not -0.010000000000000009.
func Difference(a, b float64) float64 {
	return round(b-a, max(decimals(a), decimals(b)))
}

// lastValues returns each metric's last recorded value by key (a curve's
// steps collapse to the last one), and the keys in first-recorded order —
// the values `modeldb diff` compares.
func lastValues(ms []objects.Metric) (map[string]float64, []string) {
	vals := map[string]float64{}
	order := []string{}
	for _, m := range ms {
		m.Step = nil
		k := m.Key()
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = m.Value
	}
	return vals, order
}

// decimals returns the number of decimal places of f's shortest decimal
// form ("0.905" has 3), or -1 when rounding to them would not help.
func decimals(f float64) int {
	if !finite(f) {
		return -1
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	if n := len(s) - i - 1; n <= 30 {
		return n
	}
	return -1
}

// round rounds f to places decimal places; with places < 0 it only drops
// the floating-point noise beyond 12 significant digits.
func round(f float64, places int) float64 {
	if !finite(f) {
		return f
	}
	var s string
	if places < 0 || places > 30 {
		s = strconv.FormatFloat(f, 'g', 12, 64)
	} else {
		s = strconv.FormatFloat(f, 'f', places, 64)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return f
	}
	return v + 0 // no negative zero
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// clamp keeps a result that overflowed JSON-encodable.
func clamp(f float64) float64 {
	switch {
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return f
}
