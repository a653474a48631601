package index

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/modeldb/modeldb/objects"
)

// entry is one indexed commit and its run, turned into table rows. Workers
// build entries in parallel; one writer inserts them.
type entry struct {
	commitID objects.ID
	commit   *objects.Commit
	runID    string
	run      *objects.Run

	command  any // JSON array text, or nil
	stages   []stageRow
	stageIO  []stageIORow
	params   []paramRow
	metrics  []metricRow
	datasets []datasetRow
	columns  []columnRow
}

type stageRow struct {
	path, parentPath, name, op, artifact, namePath string
	position, depth                                int
}

type stageIORow struct {
	stagePath, direction, name string
	position                   int
}

type paramRow struct {
	stagePath, stageName, key, value string
	num                              any // float64 or nil
}

type metricRow struct {
	name, slice, split string
	value              float64
	step               any // int64 or nil
	latest             bool
}

type datasetRow struct {
	role         string
	path, sha256 any // string or nil
	size, rows   any // int64 or nil
	stored       bool
	data         any // the manifest id of stored bytes, or nil
}

type columnRow struct {
	role, name        string
	typ               any
	position, dataset int
}

// buildEntry turns a commit and its run into rows.
func buildEntry(id objects.ID, c *objects.Commit, run *objects.Run) (*entry, error) {
	e := &entry{commitID: id, commit: c, runID: c.Run.String(), run: run}
	if len(run.Command) > 0 {
		b, err := objects.Canonical(run.Command)
		if err != nil {
			return nil, fmt.Errorf("run %s: command: %w", run.Name, err)
		}
		e.command = string(b)
	}
	for _, k := range run.ParamNames() {
		p, err := paramOf("", "", k, run.Params[k])
		if err != nil {
			return nil, fmt.Errorf("run %s: param %s: %w", run.Name, k, err)
		}
		e.params = append(e.params, p)
	}
	if err := e.addStages(run.Pipeline, "", "", 1); err != nil {
		return nil, fmt.Errorf("run %s: %w", run.Name, err)
	}
	e.addMetrics(run.Metrics)
	for di, d := range run.Datasets {
		row := datasetRow{role: d.Role, path: nullString(d.Path), sha256: nullString(d.SHA256), size: d.Size, stored: d.Data != nil}
		if d.Rows != nil {
			row.rows = *d.Rows
		}
		if d.Data != nil {
			row.data = d.Data.String()
		}
		e.datasets = append(e.datasets, row)
		for i, col := range d.Columns {
			e.columns = append(e.columns, columnRow{role: d.Role, name: col.Name, typ: nullString(col.Type), position: i + 1, dataset: di + 1})
		}
	}
	return e, nil
}

// addStages adds the stages, their inputs, outputs and params. Paths number
// stages from 1 as modeldb show does: "2", then "2.1" for the first stage
// nested in it. Stage params carry the dotted path of stage names
// ("preprocess.num.imputer"), which is the stage's name at the top level.
func (e *entry) addStages(stages []objects.Stage, prefix, namePrefix string, depth int) error {
	for i, st := range stages {
		path := prefix + strconv.Itoa(i+1)
		namePath := namePrefix + st.Name
		row := stageRow{path: path, name: st.Name, op: st.Op, artifact: st.Artifact, namePath: namePath, position: i + 1, depth: depth}
		if prefix != "" {
			row.parentPath = prefix[:len(prefix)-1]
		}
		e.stages = append(e.stages, row)
		for j, in := range st.Inputs {
			e.stageIO = append(e.stageIO, stageIORow{path, "in", in, j + 1})
		}
		for j, out := range st.Outputs {
			e.stageIO = append(e.stageIO, stageIORow{path, "out", out, j + 1})
		}
		for _, k := range sortedKeys(st.Params) {
			p, err := paramOf(path, namePath, k, st.Params[k])
			if err != nil {
				return fmt.Errorf("stage %s (%s): param %s: %w", path, st.Name, k, err)
			}
			e.params = append(e.params, p)
		}
		if err := e.addStages(st.Stages, path+".", namePath+".", depth+1); err != nil {
			return err
		}
	}
	return nil
}

// addMetrics adds the metrics and marks, for each name, slice and split,
// the row latest_metrics shows: the last one recorded without a step if
// any, else the last one with the highest step.
func (e *entry) addMetrics(ms []objects.Metric) {
	type key struct{ name, slice, split string }
	best := map[key]int{}
	for i, m := range ms {
		row := metricRow{name: m.Name, slice: m.Slice, split: m.Split, value: m.Value}
		if m.Step != nil {
			row.step = *m.Step
		}
		e.metrics = append(e.metrics, row)
		k := key{m.Name, m.Slice, m.Split}
		j, ok := best[k]
		if !ok || laterMetric(m, ms[j]) {
			best[k] = i
		}
	}
	for _, i := range best {
		e.metrics[i].latest = true
	}
}

// laterMetric reports whether m (recorded after prev) supersedes prev as
// the latest value of its key.
func laterMetric(m, prev objects.Metric) bool {
	switch {
	case m.Step == nil:
		return true
	case prev.Step == nil:
		return false
	}
	return *m.Step >= *prev.Step
}

// paramOf makes a param row: value is the canonical JSON of v, num the
// number when v is a JSON number.
func paramOf(stagePath, stageName, key string, v any) (paramRow, error) {
	text, num, err := canonicalValue(v)
	if err != nil {
		return paramRow{}, err
	}
	return paramRow{stagePath: stagePath, stageName: stageName, key: key, value: text, num: num}, nil
}

// canonicalValue returns the canonical JSON of a decoded value and, for a
// number, its float64 value. The common cases avoid objects.Canonical's
// encode-decode round trip; the result is the same.
func canonicalValue(v any) (string, any, error) {
	switch t := v.(type) {
	case nil:
		return "null", nil, nil
	case bool:
		if t {
			return "true", nil, nil
		}
		return "false", nil, nil
	case json.Number:
		s, err := objects.CanonicalNumber(string(t))
		if err != nil {
			return "", nil, err
		}
		f, err := strconv.ParseFloat(string(s), 64)
		if err != nil {
			return string(s), nil, nil // beyond float64: no num
		}
		return string(s), f, nil
	case string:
		if plainString(t) {
			return `"` + t + `"`, nil, nil
		}
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return "", nil, objects.ErrNotCanonical
		}
	}
	b, err := objects.Canonical(v)
	if err != nil {
		return "", nil, err
	}
	var num any
	switch reflect.ValueOf(v).Kind() {
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f, err := strconv.ParseFloat(string(b), 64)
		if err == nil {
			num = f
		}
	}
	return string(b), num, nil
}

// plainString reports whether s needs no escaping in JSON.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
