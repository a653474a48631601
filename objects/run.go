package objects

import (
	"fmt"
	"sort"
)

// Run is one model build: its pipeline, parameters, data, metrics,
// artifacts and the circumstances it was built in.
type Run struct {
	Header
	Name        string            `json:"name"`
	Pipeline    []Stage           `json:"pipeline,omitempty"`
	Params      map[string]any    `json:"params,omitempty"`
	Metrics     []Metric          `json:"metrics,omitempty"`
	Datasets    []Dataset         `json:"datasets,omitempty"`
	Artifacts   []Artifact        `json:"artifacts,omitempty"`
	Source      *Source           `json:"source,omitempty"`
	Environment map[string]string `json:"environment,omitempty"`
	Command     []string          `json:"command,omitempty"`
	ExitStatus  *int              `json:"exit_status,omitempty"`
	Started     string            `json:"started,omitempty"`  // RFC 3339
	Finished    string            `json:"finished,omitempty"` // RFC 3339
	Tags        map[string]string `json:"tags,omitempty"`
	Author      string            `json:"author,omitempty"`
}

// Stage is one step of a pipeline. Stages nest: a ColumnTransformer or a
// sub-pipeline holds its branches in Stages.
type Stage struct {
	Name     string         `json:"name"`
	Op       string         `json:"op"` // operator, e.g. sklearn.preprocessing.StandardScaler
	Params   map[string]any `json:"params,omitempty"`
	Inputs   []string       `json:"inputs,omitempty"`
	Outputs  []string       `json:"outputs,omitempty"`
	Stages   []Stage        `json:"stages,omitempty"`
	Artifact string         `json:"artifact,omitempty"` // path of the fitted stage among the run's artifacts
	Sample   *Sample        `json:"sample,omitempty"`
}

// Sample holds a few data rows as they leave a stage.
type Sample struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// Metric is one measured value. Slice names a subset of the data
// ("country=US"), Split the data split ("test"), Step a point on a curve.
type Metric struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Slice string  `json:"slice,omitempty"`
	Split string  `json:"split,omitempty"`
	Step  *int64  `json:"step,omitempty"`
}

// Key returns the metric's display key: name, [slice], :split and @step.
func (m Metric) Key() string {
	k := m.Name
	if m.Slice != "" {
		k += "[" + m.Slice + "]"
	}
	if m.Split != "" {
		k = m.Split + ":" + k
	}
	if m.Step != nil {
		k += fmt.Sprintf("@%d", *m.Step)
	}
	return k
}

// Dataset is the fingerprint of data a run used.
type Dataset struct {
	Role    string   `json:"role"`
	Path    string   `json:"path,omitempty"`
	SHA256  string   `json:"sha256,omitempty"`
	Size    int64    `json:"size"`
	Rows    *int64   `json:"rows,omitempty"`
	Columns []Column `json:"columns,omitempty"`
	Data    *ID      `json:"data,omitempty"` // file manifest of the stored bytes, when stored
}

// Column is a named, typed column of a dataset.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
}

// Artifact is a file the run produced, stored as a file manifest.
type Artifact struct {
	Path   string `json:"path"`
	File   ID     `json:"file"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Source is the provenance of the code that built the run.
type Source struct {
	Commit string `json:"commit,omitempty"`
	Branch string `json:"branch,omitempty"`
	Dirty  bool   `json:"dirty,omitempty"`
	Remote string `json:"remote,omitempty"`
}

// References returns the IDs a run points to: its artifacts' and stored
// datasets' file manifests.
func (r *Run) References() []ID {
	var ids []ID
	for _, a := range r.Artifacts {
		ids = append(ids, a.File)
	}
	for _, d := range r.Datasets {
		if d.Data != nil {
			ids = append(ids, *d.Data)
		}
	}
	return ids
}

// Artifact returns the artifact with the given path, or false.
func (r *Run) Artifact(path string) (Artifact, bool) {
	for _, a := range r.Artifacts {
		if a.Path == path {
			return a, true
		}
	}
	return Artifact{}, false
}

// ParamNames returns the run-level parameter names, sorted.
func (r *Run) ParamNames() []string {
	names := make([]string, 0, len(r.Params))
	for k := range r.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// KeyMetrics returns the metrics worth showing in one line of history: for
// each name, slice and split its last recorded value (curves reduce to
// their last step), at most max of them, in recorded order.
func (r *Run) KeyMetrics(max int) []Metric {
	last := map[string]int{}
	var order []string
	for i, m := range r.Metrics {
		m.Step = nil
		key := m.Key()
		if _, ok := last[key]; !ok {
			order = append(order, key)
		}
		last[key] = i
	}
	var out []Metric
	for _, key := range order {
		if len(out) == max {
			break
		}
		out = append(out, r.Metrics[last[key]])
	}
	return out
}
