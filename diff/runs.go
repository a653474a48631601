package diff

import (
	"sort"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// Options tune a diff.
type Options struct {
	// Directions says which way metrics improve, by metric name; names not
	// listed fall back to DefaultDirection.
	Directions map[string]Direction
}

// Run is one side of a diff: a commit's run.
type Run struct {
	Commit objects.ID
	Run    *objects.Run
}

// Runs compares run a with run b.
func Runs(a, b Run, opts Options) *RunDiff {
	ra, rb := a.Run, b.Run
	return &RunDiff{
		A:         RunRef{Commit: a.Commit, Name: ra.Name},
		B:         RunRef{Commit: b.Commit, Name: rb.Name},
		Stages:    nonNil(Stages(ra.Pipeline, rb.Pipeline)),
		Params:    Values(ra.Params, rb.Params),
		Datasets:  Datasets(ra.Datasets, rb.Datasets),
		Metrics:   Metrics(ra.Metrics, rb.Metrics, opts),
		Artifacts: Artifacts(ra.Artifacts, rb.Artifacts),
		Source:    Source(ra.Source, rb.Source),
		Env:       Strings(ra.Environment, rb.Environment),
		Tags:      Strings(ra.Tags, rb.Tags),
	}
}

func nonNil(ds []StageDiff) []StageDiff {
	if ds == nil {
		return []StageDiff{}
	}
	return ds
}

// HasChanges reports whether the runs differ in content: pipeline, params,
// datasets, metrics or artifacts. Names, messages, times, source and
// environment are not content (git diff --exit-code semantics).
func (d *RunDiff) HasChanges() bool {
	if changedStages(d.Stages) || changedValues(d.Params) {
		return true
	}
	for _, x := range d.Datasets {
		if x.Status != Same {
			return true
		}
	}
	for _, x := range d.Metrics {
		if x.Status != Same {
			return true
		}
	}
	for _, x := range d.Artifacts {
		if x.Status != Same {
			return true
		}
	}
	return false
}

// Datasets compares datasets by role.
func Datasets(a, b []objects.Dataset) []DatasetDiff {
	byRole := func(ds []objects.Dataset) map[string]*objects.Dataset {
		m := map[string]*objects.Dataset{}
		for i := range ds {
			m[ds[i].Role] = &ds[i]
		}
		return m
	}
	ma, mb := byRole(a), byRole(b)
	out := []DatasetDiff{}
	for _, role := range unionKeys(ma, mb) {
		x, y := ma[role], mb[role]
		d := DatasetDiff{Role: role, Old: datasetSide(x), New: datasetSide(y)}
		switch {
		case x == nil:
			d.Status = Added
		case y == nil:
			d.Status = Removed
		default:
			d.Columns = Lists(columnNames(x.Columns), columnNames(y.Columns))
			d.Retyped = retyped(x.Columns, y.Columns)
			d.Status = Same
			if x.SHA256 != y.SHA256 || x.Size != y.Size || !sameRows(x.Rows, y.Rows) || d.Columns != nil || d.Retyped != nil {
				d.Status = Changed
			}
		}
		out = append(out, d)
	}
	return out
}

func datasetSide(d *objects.Dataset) *DatasetSide {
	if d == nil {
		return nil
	}
	return &DatasetSide{Path: d.Path, SHA256: d.SHA256, Size: d.Size, Rows: d.Rows}
}

func sameRows(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func columnNames(cs []objects.Column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

func retyped(a, b []objects.Column) []ColumnRetype {
	types := map[string]string{}
	for _, c := range a {
		types[c.Name] = c.Type
	}
	var out []ColumnRetype
	for _, c := range b {
		if old, ok := types[c.Name]; ok && old != c.Type {
			out = append(out, ColumnRetype{Column: c.Name, Old: old, New: c.Type})
		}
	}
	return out
}

// Metrics compares metrics by name, slice and split; a curve (metrics with
// steps) is compared by its last recorded value.
func Metrics(a, b []objects.Metric, opts Options) []MetricDiff {
	last := func(ms []objects.Metric) (map[string]objects.Metric, []string) {
		m := map[string]objects.Metric{}
		var order []string
		for _, x := range ms {
			x.Step = nil
			k := x.Key()
			if _, ok := m[k]; !ok {
				order = append(order, k)
			}
			m[k] = x
		}
		return m, order
	}
	ma, orderA := last(a)
	mb, orderB := last(b)
	order := orderA
	for _, k := range orderB {
		if _, ok := ma[k]; !ok {
			order = append(order, k)
		}
	}
	out := []MetricDiff{}
	for _, k := range order {
		x, xok := ma[k]
		y, yok := mb[k]
		m := x
		if !xok {
			m = y
		}
		d := MetricDiff{Name: m.Name, Slice: m.Slice, Split: m.Split, Direction: opts.direction(m.Name)}
		switch {
		case !xok:
			d.Status, d.New = Added, &y.Value
		case !yok:
			d.Status, d.Old = Removed, &x.Value
		default:
			d.Old, d.New = &x.Value, &y.Value
			d.Status = Same
			if x.Value != y.Value {
				d.Status = Changed
				d.Delta, d.Relative = deltas(x.Value, y.Value)
				d.Verdict = verdict(d.Direction, *d.Delta)
			}
		}
		out = append(out, d)
	}
	return out
}

func verdict(dir Direction, delta float64) Verdict {
	switch {
	case dir == Up && delta > 0, dir == Down && delta < 0:
		return Better
	case dir == Up && delta < 0, dir == Down && delta > 0:
		return Worse
	}
	return ""
}

func (o Options) direction(name string) Direction {
	if d, ok := o.Directions[name]; ok {
		return d
	}
	return DefaultDirection(name)
}

// DefaultDirection guesses which way a metric improves from its name:
// losses, errors and latencies go down; accuracy-like scores go up. It
// returns "" when the name says nothing.
func DefaultDirection(name string) Direction {
	n := strings.ToLower(name)
	for _, w := range []string{"loss", "error", "err", "rmse", "mse", "mae", "mape", "latency", "time", "_ms", "perplexity", "fpr", "fnr"} {
		if strings.Contains(n, w) {
			return Down
		}
	}
	for _, w := range []string{"acc", "auc", "f1", "precision", "recall", "r2", "score", "ndcg", "map", "iou", "bleu", "rouge", "tpr", "throughput"} {
		if strings.Contains(n, w) {
			return Up
		}
	}
	return ""
}

// Artifacts compares artifacts by path.
func Artifacts(a, b []objects.Artifact) []ArtifactDiff {
	byPath := func(as []objects.Artifact) map[string]*objects.Artifact {
		m := map[string]*objects.Artifact{}
		for i := range as {
			m[as[i].Path] = &as[i]
		}
		return m
	}
	ma, mb := byPath(a), byPath(b)
	out := []ArtifactDiff{}
	for _, p := range unionKeys(ma, mb) {
		x, y := ma[p], mb[p]
		d := ArtifactDiff{Path: p}
		if x != nil {
			d.Old = &ArtifactSide{SHA256: x.SHA256, Size: x.Size}
		}
		if y != nil {
			d.New = &ArtifactSide{SHA256: y.SHA256, Size: y.Size}
		}
		switch {
		case x == nil:
			d.Status = Added
		case y == nil:
			d.Status = Removed
		case x.SHA256 != y.SHA256:
			d.Status = Changed
		default:
			d.Status = Same
		}
		out = append(out, d)
	}
	return out
}

// Source compares git provenance; nil when neither run has any.
func Source(a, b *objects.Source) *SourceDiff {
	if a == nil && b == nil {
		return nil
	}
	d := &SourceDiff{Old: a, New: b}
	switch {
	case a == nil:
		d.Status = Added
	case b == nil:
		d.Status = Removed
	case *a == *b:
		d.Status = Same
	default:
		d.Status = Changed
	}
	return d
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
