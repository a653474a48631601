package mlflow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Store is an MLflow file store (an mlruns/ directory), read in full except
// for the bytes of artifacts.
type Store struct {
	Dir         string
	Experiments []*Experiment // in id order
	// Notes are what reading left out and why: folders that are not
	// experiments or runs, MLflow 3 models/ folders.
	Notes []string
}

// Experiment is one MLflow experiment and its runs.
type Experiment struct {
	ID      string
	Name    string
	Deleted bool // lifecycle_stage deleted (or in .trash)
	Dir     string
	Runs    []*Run // by start time, parents before their children
	// Models counts the MLflow 3 logged models (models/m-*) of the
	// experiment, which are not runs and are not imported.
	Models int
}

// Run is one MLflow run.
type Run struct {
	ID           string
	ExperimentID string
	Name         string // the MLflow run name; "" when it has none
	User         string // user_id
	Status       string // RUNNING, SCHEDULED, FINISHED, FAILED or KILLED
	StartTime    *int64 // ms since the epoch
	EndTime      *int64
	Deleted      bool
	Params       map[string]string
	Tags         map[string]string
	Metrics      []Metric   // by key
	Artifacts    []Artifact // by path
	// Models are the ids of the MLflow 3 logged models the run produced
	// (outputs/m-*).
	Models []string
	Dir    string
}

// Metric is the history of one metric of a run, in logging order.
type Metric struct {
	Key    string
	Points []Point
	File   string
}

// Artifact is a file under a run's artifacts/ folder.
type Artifact struct {
	Path string // relative to artifacts/, with "/"
	File string // on disk
	Size int64
}

// ErrNotStore is returned when a directory holds no MLflow experiment.
var ErrNotStore = errors.New("not an MLflow file store")

// Folders of an experiment that are not runs (MLflow's
// RESERVED_EXPERIMENT_FOLDERS, plus MLflow 3's logged models).
var reservedExperimentFolders = map[string]bool{"tags": true, "datasets": true, "traces": true, "models": true}

const trashFolder = ".trash"

// statusNames are MLflow's RunStatus values as meta.yaml stores them.
var statusNames = map[int64]string{1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}

// ReadStore reads the MLflow file store in dir: every experiment's
// meta.yaml, every run's meta.yaml, params, tags and metric histories, and
// the list of its artifacts. Any malformed file is an error naming the
// file (and line); nothing is returned then.
func ReadStore(dir string) (*Store, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: %w (not a directory)", dir, ErrNotStore)
	}
	s := &Store{Dir: dir}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	found := false
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		switch {
		case !isDir(p):
			continue
		case name == trashFolder:
			found = true
			trashed, err := os.ReadDir(p)
			if err != nil {
				return nil, err
			}
			for _, t := range trashed {
				tp := filepath.Join(p, t.Name())
				if !isDir(tp) {
					continue
				}
				exp, err := s.readExperiment(tp, true)
				if err != nil {
					return nil, err
				}
				if exp != nil {
					s.Experiments = append(s.Experiments, exp)
				}
			}
			continue
		case name == "models":
			// The model registry (registered models and their versions).
			s.Notes = append(s.Notes, fmt.Sprintf("%s: the model registry is not imported", p))
			continue
		}
		exp, err := s.readExperiment(p, false)
		if err != nil {
			return nil, err
		}
		if exp != nil {
			found = true
			s.Experiments = append(s.Experiments, exp)
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: %w: no experiment folder (<id>/meta.yaml) in it", dir, ErrNotStore)
	}
	seen := map[string]string{}
	runs := map[string]string{}
	for _, exp := range s.Experiments {
		if prev, dup := seen[exp.ID]; dup {
			return nil, fmt.Errorf("experiment id %s is in both %s and %s", exp.ID, prev, exp.Dir)
		}
		seen[exp.ID] = exp.Dir
		for _, r := range exp.Runs {
			if prev, dup := runs[r.ID]; dup {
				return nil, fmt.Errorf("run id %s is in both %s and %s", r.ID, prev, r.Dir)
			}
			runs[r.ID] = r.Dir
		}
	}
	sort.SliceStable(s.Experiments, func(i, j int) bool { return idLess(s.Experiments[i].ID, s.Experiments[j].ID) })
	return s, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// idLess orders experiment ids numerically when both are numbers (MLflow's
// ids are "0", "1", … or random 18-digit numbers), else as strings.
func idLess(a, b string) bool {
	if intRE.MatchString(a) && intRE.MatchString(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) < len(b)
		}
	}
	return a < b
}

func readMeta(path string) (*metaFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseMeta(data, path)
}

// readExperiment reads the experiment in dir, or returns nil when dir is
// not an experiment (no meta.yaml).
func (s *Store) readExperiment(dir string, trashed bool) (*Experiment, error) {
	metaPath := filepath.Join(dir, "meta.yaml")
	if _, err := os.Stat(metaPath); errors.Is(err, fs.ErrNotExist) {
		s.Notes = append(s.Notes, fmt.Sprintf("%s: not an experiment (no meta.yaml), skipped", dir))
		return nil, nil
	}
	m, err := readMeta(metaPath)
	if err != nil {
		return nil, err
	}
	exp := &Experiment{Dir: dir, Deleted: trashed}
	id, ok, err := m.str("experiment_id")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, m.missing("experiment_id")
	}
	if id != filepath.Base(dir) {
		return nil, &yamlError{metaPath, m.vals["experiment_id"].line,
			fmt.Sprintf("experiment_id %q does not match the folder name %q", id, filepath.Base(dir))}
	}
	exp.ID = id
	name, ok, err := m.str("name")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, m.missing("name")
	}
	exp.Name = name
	deleted, err := lifecycle(m)
	if err != nil {
		return nil, err
	}
	exp.Deleted = exp.Deleted || deleted
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.Name() == "meta.yaml" || !isDir(p) {
			continue
		}
		if reservedExperimentFolders[e.Name()] {
			if e.Name() == "models" {
				models, _ := os.ReadDir(p)
				for _, md := range models {
					if md.IsDir() {
						exp.Models++
					}
				}
				s.Notes = append(s.Notes, fmt.Sprintf("%s: %d MLflow logged model(s), not runs; linked from their runs' mlflow.logged_model_ids tag", p, exp.Models))
			}
			continue
		}
		r, err := s.readRun(p, exp)
		if err != nil {
			return nil, err
		}
		if r != nil {
			exp.Runs = append(exp.Runs, r)
		}
	}
	exp.Runs = chronological(exp.Runs)
	return exp, nil
}

// lifecycle reads lifecycle_stage: active (the default) or deleted.
func lifecycle(m *metaFile) (deleted bool, err error) {
	stage, ok, err := m.str("lifecycle_stage")
	if err != nil || !ok {
		return false, err
	}
	switch stage {
	case "active":
		return false, nil
	case "deleted":
		return true, nil
	}
	return false, &yamlError{m.path, m.vals["lifecycle_stage"].line, fmt.Sprintf("lifecycle_stage %q is neither active nor deleted", clip(stage))}
}

// readRun reads the run in dir, or returns nil when dir has no meta.yaml
// (MLflow skips such folders too: artifacts may share the store).
func (s *Store) readRun(dir string, exp *Experiment) (*Run, error) {
	metaPath := filepath.Join(dir, "meta.yaml")
	if _, err := os.Stat(metaPath); errors.Is(err, fs.ErrNotExist) {
		s.Notes = append(s.Notes, fmt.Sprintf("%s: not a run (no meta.yaml), skipped", dir))
		return nil, nil
	}
	m, err := readMeta(metaPath)
	if err != nil {
		return nil, err
	}
	r := &Run{Dir: dir, ExperimentID: exp.ID}
	// MLflow's RunInfo needs these keys; PyYAML writes keys sorted, so a
	// truncated file loses the last ones.
	for _, k := range []string{"experiment_id", "start_time", "end_time", "user_id"} {
		if !m.has(k) {
			return nil, m.missing(k)
		}
	}
	id, ok, err := m.str("run_id")
	if err == nil && !ok {
		id, ok, err = m.str("run_uuid") // MLflow < 1.? wrote only run_uuid
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, m.missing("run_id")
	}
	idLine := m.vals["run_id"].line
	if idLine == 0 {
		idLine = m.vals["run_uuid"].line
	}
	if !runIDRE.MatchString(id) {
		return nil, &yamlError{metaPath, idLine, fmt.Sprintf("run id %q is not a valid MLflow run id", clip(id))}
	}
	if id != filepath.Base(dir) {
		return nil, &yamlError{metaPath, idLine, fmt.Sprintf("run id %q does not match the folder name %q", id, filepath.Base(dir))}
	}
	r.ID = id
	expID, _, err := m.str("experiment_id")
	if err != nil {
		return nil, err
	}
	if expID != exp.ID {
		return nil, &yamlError{metaPath, m.vals["experiment_id"].line,
			fmt.Sprintf("experiment_id %q is not the id of the experiment folder it is in (%q)", expID, exp.ID)}
	}
	for _, k := range []string{"run_name", "name"} {
		name, ok, err := m.str(k)
		if err != nil {
			return nil, err
		}
		if ok && name != "" {
			r.Name = name
			break
		}
	}
	if r.User, _, err = m.str("user_id"); err != nil {
		return nil, err
	}
	r.Status = "RUNNING" // MLflow's default when status is not recorded
	if v, present := m.vals["status"]; present && v.kind != kindNull {
		if n, ok, err := m.int("status"); err == nil && ok {
			name, known := statusNames[n]
			if !known {
				return nil, &yamlError{metaPath, v.line, fmt.Sprintf("status %d is not an MLflow run status (1-5)", n)}
			}
			r.Status = name
		} else if v.kind == kindQuoted || v.kind == kindPlain {
			if !isStatusName(v.text) {
				return nil, &yamlError{metaPath, v.line, fmt.Sprintf("status %q is not an MLflow run status", clip(v.text))}
			}
			r.Status = v.text
		} else {
			return nil, err
		}
	}
	for _, t := range []struct {
		key string
		dst **int64
	}{{"start_time", &r.StartTime}, {"end_time", &r.EndTime}} {
		n, ok, err := m.int(t.key)
		if err != nil {
			return nil, err
		}
		if ok {
			*t.dst = &n
		}
	}
	if r.Deleted, err = lifecycle(m); err != nil {
		return nil, err
	}
	if r.Params, err = readValues(filepath.Join(dir, "params")); err != nil {
		return nil, err
	}
	if r.Tags, err = readValues(filepath.Join(dir, "tags")); err != nil {
		return nil, err
	}
	if r.Name == "" {
		r.Name = r.Tags["mlflow.runName"]
	}
	if r.Metrics, err = readMetrics(filepath.Join(dir, "metrics")); err != nil {
		return nil, err
	}
	if r.Artifacts, err = s.listArtifacts(filepath.Join(dir, "artifacts")); err != nil {
		return nil, err
	}
	if r.Models, err = readOutputs(filepath.Join(dir, "outputs")); err != nil {
		return nil, err
	}
	return r, nil
}

func isStatusName(s string) bool {
	for _, n := range statusNames {
		if n == s {
			return true
		}
	}
	return false
}

// walkFiles calls fn for every file under root with its key: the path
// relative to root with "/" (MLflow keys may contain "/", which the file
// store turns into folders). A missing root is no files.
func walkFiles(root string, fn func(key, path string, d fs.DirEntry) error) error {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		if p == root {
			return fmt.Errorf("%s: not a folder", p)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), p, d)
	})
	return err
}

// readValues reads a params/ or tags/ folder: one file per key, the raw
// value as the content (MLflow writes no trailing newline; the bytes are
// kept exactly).
func readValues(root string) (map[string]string, error) {
	out := map[string]string{}
	err := walkFiles(root, func(key, p string, d fs.DirEntry) error {
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !utf8.Valid(data) {
			return fmt.Errorf("%s: the value is not valid UTF-8", p)
		}
		out[key] = string(data)
		return nil
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

// readMetrics reads a metrics/ folder: one file per metric key.
func readMetrics(root string) ([]Metric, error) {
	var out []Metric
	err := walkFiles(root, func(key, p string, d fs.DirEntry) error {
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		points, err := ParseMetricFile(data, p)
		if err != nil {
			return err
		}
		out = append(out, Metric{Key: key, Points: points, File: p})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// listArtifacts lists the files under a run's artifacts/ folder, following
// symbolic links to files (not to folders).
func (s *Store) listArtifacts(root string) ([]Artifact, error) {
	var out []Artifact
	err := walkFiles(root, func(key, p string, d fs.DirEntry) error {
		st, err := os.Stat(p) // follows a symbolic link
		if err != nil {
			return fmt.Errorf("artifact %s: %w", p, err)
		}
		if !st.Mode().IsRegular() {
			s.Notes = append(s.Notes, fmt.Sprintf("%s: not a regular file, not imported", p))
			return nil
		}
		out = append(out, Artifact{Path: key, File: p, Size: st.Size()})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

// readOutputs returns the ids of the logged models a run's outputs/
// folder links to (MLflow 3: outputs/m-<id>/meta.yaml).
func readOutputs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		metaPath := filepath.Join(root, e.Name(), "meta.yaml")
		if _, err := os.Stat(metaPath); err != nil {
			continue
		}
		m, err := readMeta(metaPath)
		if err != nil {
			return nil, err
		}
		id, ok, err := m.str("destination_id")
		if err != nil {
			return nil, err
		}
		if !ok {
			id = e.Name()
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}

// chronological orders runs by start time (runs without one last, ties by
// id), then moves every child after its parent.
func chronological(runs []*Run) []*Run {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		switch {
		case a.StartTime == nil || b.StartTime == nil:
			if (a.StartTime == nil) != (b.StartTime == nil) {
				return b.StartTime == nil
			}
		case *a.StartTime != *b.StartTime:
			return *a.StartTime < *b.StartTime
		}
		return a.ID < b.ID
	})
	byID := map[string]*Run{}
	for _, r := range runs {
		byID[r.ID] = r
	}
	out := make([]*Run, 0, len(runs))
	done := map[string]bool{}
	var visit func(r *Run, depth int)
	visit = func(r *Run, depth int) {
		if done[r.ID] {
			return
		}
		if p, ok := byID[r.Tags["mlflow.parentRunId"]]; ok && depth < len(runs) {
			visit(p, depth+1)
		}
		if !done[r.ID] {
			done[r.ID] = true
			out = append(out, r)
		}
	}
	for _, r := range runs {
		visit(r, 0)
	}
	return out
}
