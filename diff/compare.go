package diff

import (
	"math"
	"sort"

	"github.com/modeldb/modeldb/objects"
)

// Comparison lines up N runs side by side: their pipelines aligned stage by
// stage across all of them, their parameters and their metrics, each as a
// row with one value per run (in the order of Runs).
type Comparison struct {
	Runs    []RunRef    `json:"runs"`
	Stages  []StageRow  `json:"stages"`
	Params  []ParamRow  `json:"params"` // run-level parameters, sorted by key
	Metrics []MetricRow `json:"metrics"`
}

// StageRow is one slot of the multiple alignment of the runs' pipelines.
// Path is the slot's position (1-based, dotted for nested stages: "1.2");
// it numbers the aligned slots, not the stages of any one run.
type StageRow struct {
	Path  string       `json:"path"`
	Cells []*StageCell `json:"cells"` // one per run; nil where the run has no stage here
	// Differs is true when the runs do not all have the same stage here:
	// one lacks it, or the operators, names or parameters differ. Nested
	// stages are judged in their own rows.
	Differs   bool       `json:"differs"`
	ParamRows []ParamRow `json:"param_rows"` // the stage's parameters, sorted by key
	Stages    []StageRow `json:"stages,omitempty"`
}

// StageCell is one run's stage in a StageRow.
type StageCell struct {
	Name   string         `json:"name"`
	Op     string         `json:"op"`
	Params map[string]any `json:"params,omitempty"`
}

// Name returns the row's stage name: that of its first run with the stage.
func (r StageRow) Name() string {
	for _, c := range r.Cells {
		if c != nil {
			return c.Name
		}
	}
	return ""
}

// ParamRow is one parameter across the runs.
type ParamRow struct {
	Key    string `json:"key"`
	Values []any  `json:"values"` // one per run; nil where the run lacks it (or has null)
	// Present says which runs have the parameter, telling a null value
	// from an absent one.
	Present []bool `json:"present"`
	// Differs is true unless every run has the parameter with the same
	// value (numbers compare by value: 10 and 10.0 are the same).
	Differs bool `json:"differs"`
}

// MetricRow is one metric (by name, slice and split; a curve by its last
// recorded value) across the runs.
type MetricRow struct {
	Name      string     `json:"name"`
	Slice     string     `json:"slice,omitempty"`
	Split     string     `json:"split,omitempty"`
	Values    []*float64 `json:"values"` // one per run; nil where the run lacks it
	Direction Direction  `json:"direction,omitempty"`
	// Best holds the indexes (into Runs) of the runs with the best value,
	// several on a tie; empty when the direction is unknown.
	Best []int `json:"best"`
}

// Key returns the metric's display key, as objects.Metric.Key does.
func (m MetricRow) Key() string {
	return objects.Metric{Name: m.Name, Slice: m.Slice, Split: m.Split}.Key()
}

// Compare lines up runs side by side. Their pipelines are aligned by a
// progressive multiple alignment: the first run's stages make the first
// rows, and each next run's stages are aligned (with the pairwise scoring
// of Stages) against the rows so far, each row represented by its first
// stage; a stage no row takes becomes a new row in its place. Nested
// stages are aligned the same way within their row.
func Compare(runs []Run, opts Options) *Comparison {
	c := &Comparison{Runs: make([]RunRef, len(runs))}
	pipelines := make([][]objects.Stage, len(runs))
	present := make([]bool, len(runs))
	params := make([]map[string]any, len(runs))
	for i, r := range runs {
		c.Runs[i] = RunRef{Commit: r.Commit, Name: r.Run.Name}
		pipelines[i], present[i], params[i] = r.Run.Pipeline, true, r.Run.Params
	}
	c.Stages = compareStages(pipelines, present, "")
	if c.Stages == nil {
		c.Stages = []StageRow{}
	}
	c.Params = compareParams(params, present)
	c.Metrics = compareMetrics(runs, opts)
	return c
}

// compareStages aligns the stage lists of the runs (those with present
// false take no part: their cells stay nil) and returns one row per slot.
func compareStages(lists [][]objects.Stage, present []bool, parent string) []StageRow {
	var cols [][]*objects.Stage // cols[slot][run]
	for k, stages := range lists {
		if !present[k] {
			continue
		}
		reps := make([]objects.Stage, len(cols))
		for i, col := range cols {
			reps[i] = *firstStage(col)
		}
		next := make([][]*objects.Stage, 0, max(len(cols), len(stages)))
		for _, p := range align(reps, stages) {
			var col []*objects.Stage
			if p.a >= 0 {
				col = cols[p.a]
			} else {
				col = make([]*objects.Stage, len(lists))
			}
			if p.b >= 0 {
				col[k] = &stages[p.b]
			}
			next = append(next, col)
		}
		cols = next
	}
	var rows []StageRow
	for i, col := range cols {
		rows = append(rows, stageRow(col, childPath(parent, i)))
	}
	return rows
}

func firstStage(col []*objects.Stage) *objects.Stage {
	for _, s := range col {
		if s != nil {
			return s
		}
	}
	panic("diff: empty alignment column")
}

// stageRow builds the row of one aligned slot, recursing into nested stages.
func stageRow(col []*objects.Stage, path string) StageRow {
	row := StageRow{Path: path, Cells: make([]*StageCell, len(col))}
	children := make([][]objects.Stage, len(col))
	present := make([]bool, len(col))
	params := make([]map[string]any, len(col))
	first := firstStage(col)
	for k, s := range col {
		if s == nil {
			row.Differs = true
			continue
		}
		row.Cells[k] = &StageCell{Name: s.Name, Op: s.Op, Params: s.Params}
		children[k], present[k], params[k] = s.Stages, true, s.Params
		if s.Op != first.Op || s.Name != first.Name {
			row.Differs = true
		}
	}
	row.ParamRows = compareParams(params, present)
	for _, p := range row.ParamRows {
		row.Differs = row.Differs || p.Differs
	}
	row.Stages = compareStages(children, present, path)
	return row
}

// compareParams compares maps of values key by key, sorted by key; a map
// whose run is not present (or that lacks a key) gives nil values.
func compareParams(maps []map[string]any, present []bool) []ParamRow {
	keys := map[string]bool{}
	for _, m := range maps {
		for k := range m {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	rows := make([]ParamRow, 0, len(sorted))
	for _, key := range sorted {
		row := ParamRow{Key: key, Values: make([]any, len(maps)), Present: make([]bool, len(maps))}
		for k, m := range maps {
			v, ok := m[key]
			if !ok || !present[k] {
				row.Differs = true
				continue
			}
			row.Values[k], row.Present[k] = v, true
			if k > 0 && !row.Differs && !sameValue(row.Values[0], v) {
				row.Differs = true
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// compareMetrics lines up metrics by name, slice and split in the order
// they first appear; a curve counts by its last recorded value.
func compareMetrics(runs []Run, opts Options) []MetricRow {
	index := map[string]int{}
	rows := []MetricRow{}
	for k, r := range runs {
		for _, m := range r.Run.Metrics {
			m.Step = nil
			key := m.Key()
			i, ok := index[key]
			if !ok {
				i = len(rows)
				index[key] = i
				rows = append(rows, MetricRow{Name: m.Name, Slice: m.Slice, Split: m.Split,
					Values: make([]*float64, len(runs)), Direction: opts.direction(m.Name)})
			}
			v := m.Value
			rows[i].Values[k] = &v
		}
	}
	for i := range rows {
		rows[i].Best = bestOf(rows[i].Values, rows[i].Direction)
	}
	return rows
}

// bestOf returns the indexes of the best values for the direction (all of
// them on a tie), or none when the direction is unknown.
func bestOf(values []*float64, dir Direction) []int {
	best := []int{}
	if dir != Up && dir != Down {
		return best
	}
	var top float64
	for i, v := range values {
		if v == nil || math.IsNaN(*v) {
			continue
		}
		switch {
		case len(best) == 0, dir == Up && *v > top, dir == Down && *v < top:
			top, best = *v, append(best[:0], i)
		case *v == top:
			best = append(best, i)
		}
	}
	return best
}
