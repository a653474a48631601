package diff

import "github.com/modeldb/modeldb/objects"

// Status says how one element differs between the two sides.
type Status string

// Statuses of compared elements.
const (
	Same     Status = "same"
	Changed  Status = "changed"
	Added    Status = "added"    // only in B
	Removed  Status = "removed"  // only in A
	Replaced Status = "replaced" // a stage whose operator changed in the same slot
	Moved    Status = "moved"    // a stage found at another position in B
)

// RunDiff is the difference between run A and run B.
type RunDiff struct {
	A         RunRef         `json:"a"`
	B         RunRef         `json:"b"`
	Stages    []StageDiff    `json:"stages"`
	Params    []ValueDiff    `json:"params"`
	Datasets  []DatasetDiff  `json:"datasets"`
	Metrics   []MetricDiff   `json:"metrics"`
	Artifacts []ArtifactDiff `json:"artifacts"`
	Source    *SourceDiff    `json:"source,omitempty"`
	Env       []ValueDiff    `json:"environment"`
	Tags      []ValueDiff    `json:"tags"`
}

// RunRef names one side of a diff.
type RunRef struct {
	Commit objects.ID `json:"commit"`
	Name   string     `json:"name"`
}

// StageDiff is one aligned pair of stages (or a stage on one side only).
type StageDiff struct {
	Status  Status      `json:"status"`
	Old     *StageRef   `json:"old,omitempty"`
	New     *StageRef   `json:"new,omitempty"`
	Params  []ValueDiff `json:"params,omitempty"`
	Inputs  *ListDiff   `json:"inputs,omitempty"`
	Outputs *ListDiff   `json:"outputs,omitempty"`
	Stages  []StageDiff `json:"stages,omitempty"`

	x, y *objects.Stage // the compared stages, for move detection
}

// StageRef identifies a stage on one side: its position (1-based, dotted
// for nested stages, e.g. "1.2"), name and operator.
type StageRef struct {
	Path string `json:"path"`
	Name string `json:"name"`
	Op   string `json:"op"`
}

// ValueDiff compares one named value (a parameter, an environment entry,
// a tag). For numbers Delta and Relative are set; for long strings and
// lists Text holds an inline diff.
type ValueDiff struct {
	Key      string   `json:"key"`
	Status   Status   `json:"status"`
	Old      any      `json:"old,omitempty"`
	New      any      `json:"new,omitempty"`
	Delta    *float64 `json:"delta,omitempty"`
	Relative *float64 `json:"relative,omitempty"`
	Text     []Edit   `json:"text,omitempty"`
}

// Edit is one piece of an inline text diff: Op is "=" (kept), "-" (only in
// the old text) or "+" (only in the new text).
type Edit struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// ListDiff compares two lists of names (stage inputs or outputs, dataset
// columns) as sets, keeping the order of first appearance.
type ListDiff struct {
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// DatasetDiff compares the datasets with one role.
type DatasetDiff struct {
	Role    string         `json:"role"`
	Status  Status         `json:"status"`
	Old     *DatasetSide   `json:"old,omitempty"`
	New     *DatasetSide   `json:"new,omitempty"`
	Columns *ListDiff      `json:"columns,omitempty"`
	Retyped []ColumnRetype `json:"retyped,omitempty"`
}

// DatasetSide is what a diff shows of one dataset.
type DatasetSide struct {
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size"`
	Rows   *int64 `json:"rows,omitempty"`
}

// ColumnRetype is a column whose inferred type changed.
type ColumnRetype struct {
	Column string `json:"column"`
	Old    string `json:"old"`
	New    string `json:"new"`
}

// MetricDiff compares one metric (by name, slice and split; a curve by its
// last step).
type MetricDiff struct {
	Name      string    `json:"name"`
	Slice     string    `json:"slice,omitempty"`
	Split     string    `json:"split,omitempty"`
	Status    Status    `json:"status"`
	Old       *float64  `json:"old,omitempty"`
	New       *float64  `json:"new,omitempty"`
	Delta     *float64  `json:"delta,omitempty"`
	Relative  *float64  `json:"relative,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Verdict   Verdict   `json:"verdict,omitempty"`
}

// Key returns the metric's display key, as objects.Metric.Key does.
func (m MetricDiff) Key() string {
	return objects.Metric{Name: m.Name, Slice: m.Slice, Split: m.Split}.Key()
}

// Direction says which way a metric improves.
type Direction string

// Directions.
const (
	Up   Direction = "up"   // higher is better (accuracy)
	Down Direction = "down" // lower is better (loss)
)

// Verdict says whether a changed metric got better or worse.
type Verdict string

// Verdicts.
const (
	Better Verdict = "better"
	Worse  Verdict = "worse"
)

// ArtifactDiff compares the artifacts stored at one path.
type ArtifactDiff struct {
	Path   string        `json:"path"`
	Status Status        `json:"status"`
	Old    *ArtifactSide `json:"old,omitempty"`
	New    *ArtifactSide `json:"new,omitempty"`
}

// ArtifactSide is what a diff shows of one artifact.
type ArtifactSide struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// SourceDiff compares the git provenance of the two runs.
type SourceDiff struct {
	Status Status          `json:"status"`
	Old    *objects.Source `json:"old,omitempty"`
	New    *objects.Source `json:"new,omitempty"`
}
