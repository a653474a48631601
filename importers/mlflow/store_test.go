package mlflow

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The fixture stores (byte-exact copies of ../shared/fixtures/mlflow; see
// testdata/README.md).
const (
	ayush   = "testdata/14ayush-MlFlow-Pipeline/mlruns"
	amanuel = "testdata/Amanuel3065-pharmaceutical_sales_prediction/notebooks/mlruns"
	maxon   = "testdata/1MaxOn1-Artic-project/mlruns"
)

func readStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := ReadStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type storeCounts struct {
	experiments, runs, nested, deleted       int
	params, metrics, tags, artifacts, models int
	statuses                                 []string
}

func countStore(s *Store) storeCounts {
	var c storeCounts
	statuses := map[string]bool{}
	c.experiments = len(s.Experiments)
	for _, e := range s.Experiments {
		c.models += e.Models
		for _, r := range e.Runs {
			c.runs++
			if r.Tags["mlflow.parentRunId"] != "" {
				c.nested++
			}
			if r.Deleted {
				c.deleted++
			}
			c.params += len(r.Params)
			c.metrics += len(r.Metrics)
			c.tags += len(r.Tags)
			c.artifacts += len(r.Artifacts)
			statuses[r.Status] = true
		}
	}
	for st := range statuses {
		c.statuses = append(c.statuses, st)
	}
	sort.Strings(c.statuses)
	return c
}

func TestReadStoreCounts(t *testing.T) {
	// The numbers of ../shared/fixtures/README.md. File counts leave out
	// MLflow 3's models/ folders, which are not runs.
	for _, tt := range []struct {
		dir  string
		want storeCounts
	}{
		{ayush, storeCounts{3, 46, 32, 3, 78, 36, 268, 8, 0, []string{"FAILED", "FINISHED"}}},
		{amanuel, storeCounts{2, 4, 0, 0, 84, 37, 22, 26, 0, []string{"FINISHED"}}},
		{maxon, storeCounts{4, 40, 0, 0, 186, 19, 160, 23, 3, []string{"FAILED", "FINISHED", "RUNNING"}}},
	} {
		t.Run(filepath.Base(filepath.Dir(tt.dir)), func(t *testing.T) {
			got := countStore(readStore(t, tt.dir))
			if strings.Join(got.statuses, ",") != strings.Join(tt.want.statuses, ",") {
				t.Errorf("statuses %v, want %v", got.statuses, tt.want.statuses)
			}
			got.statuses, tt.want.statuses = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("counts\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadStore14ayush(t *testing.T) {
	s := readStore(t, ayush)
	var ids, names []string
	for _, e := range s.Experiments {
		ids = append(ids, e.ID)
		names = append(names, e.Name)
	}
	if got := strings.Join(ids, " "); got != "0 965571450743552747 965807661395077312" {
		t.Errorf("experiment order %s", got)
	}
	if got := strings.Join(names, "|"); got != "Default|My First Experiment|breast cancer dummy" {
		t.Errorf("names %s", got)
	}
	bc := s.Experiments[2]
	children := map[string]int{}
	pos := map[string]int{}
	for i, r := range bc.Runs {
		pos[r.ID] = i
		if p := r.Tags["mlflow.parentRunId"]; p != "" {
			children[p]++
		}
	}
	if children["ce15e9ef991943e7ab2b492d0e467940"] != 30 || len(children) != 3 {
		t.Errorf("children per parent: %v", children)
	}
	// Parents come before their children; otherwise runs are by start time.
	for i, r := range bc.Runs {
		if p, ok := pos[r.Tags["mlflow.parentRunId"]]; ok && p > i {
			t.Errorf("run %s comes before its parent", r.ID)
		}
		if i > 0 && *bc.Runs[i-1].StartTime > *r.StartTime && bc.Runs[i-1].ID != r.Tags["mlflow.parentRunId"] {
			t.Errorf("runs %s and %s are not in start order", bc.Runs[i-1].ID, r.ID)
		}
	}
	var deleted []string
	for _, r := range bc.Runs {
		if r.Deleted {
			deleted = append(deleted, r.ID[:8])
		}
	}
	sort.Strings(deleted)
	if len(deleted) != 3 || !strings.Contains(strings.Join(deleted, " "), "7ecab8e7") || !strings.Contains(strings.Join(deleted, " "), "fd980ab7") {
		t.Errorf("deleted runs %v", deleted)
	}
	rogue := bc.Runs[pos["ce15e9ef991943e7ab2b492d0e467940"]]
	if rogue.Name != "rogue-shrimp-446" || rogue.User != "aayus" || rogue.Status != "FINISHED" ||
		*rogue.StartTime != 1748277353183 || *rogue.EndTime != 1748277355524 {
		t.Errorf("rogue-shrimp-446: %+v", rogue)
	}
	first := s.Experiments[1]
	for _, r := range first.Runs {
		if r.Tags["Author"] == "" || r.Tags["Project"] == "" {
			t.Errorf("run %s lacks the custom tags: %v", r.ID, r.Tags)
		}
		var paths []string
		for _, a := range r.Artifacts {
			paths = append(paths, a.Path)
		}
		if !strings.Contains(strings.Join(paths, "|"), "Random Forest Classification/MLmodel") {
			t.Errorf("artifacts %v", paths)
		}
	}
}

// TestValuesExact compares every param and tag read with the bytes of its
// file: no newline handling, keys with spaces, JSON values.
func TestValuesExact(t *testing.T) {
	for _, dir := range []string{ayush, amanuel, maxon} {
		s := readStore(t, dir)
		n := 0
		for _, e := range s.Experiments {
			for _, r := range e.Runs {
				for kind, vals := range map[string]map[string]string{"params": r.Params, "tags": r.Tags} {
					files := 0
					filepath.WalkDir(filepath.Join(r.Dir, kind), func(p string, d fs.DirEntry, err error) error {
						if err != nil || d.IsDir() {
							return nil
						}
						files++
						rel, _ := filepath.Rel(filepath.Join(r.Dir, kind), p)
						data, _ := os.ReadFile(p)
						if got, ok := vals[filepath.ToSlash(rel)]; !ok || got != string(data) {
							t.Errorf("%s: read %q, file has %q", p, got, data)
						}
						n++
						return nil
					})
					if files != len(vals) {
						t.Errorf("%s/%s: %d files, %d values", r.Dir, kind, files, len(vals))
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no values checked", dir)
		}
	}
}

func TestReadStoreAmanuel(t *testing.T) {
	s := readStore(t, amanuel)
	named := 0
	for _, e := range s.Experiments {
		for _, r := range e.Runs {
			if r.Name != "" {
				named++
			}
			if len(r.Params) != 21 {
				t.Errorf("run %s: %d params", r.ID, len(r.Params))
			}
		}
	}
	if named != 1 {
		t.Errorf("%d named runs, want 1 (name: '' and one mlflow.runName tag)", named)
	}
	lengths := map[string][]int{}
	twoLines := 0
	for _, r := range s.Experiments[1].Runs {
		for _, m := range r.Metrics {
			lengths[r.ID[:8]] = append(lengths[r.ID[:8]], len(m.Points))
			if r.ID[:8] == "0dfeac5f" {
				for i, p := range m.Points {
					if p.Step != int64(2*i) {
						t.Fatalf("%s step %d at line %d, want %d", m.Key, p.Step, i+1, 2*i)
					}
				}
			}
		}
	}
	if got := lengths["0dfeac5f"]; len(got) != 2 || got[0] != 100 || got[1] != 100 {
		t.Errorf("0dfeac5f metric lengths %v", got)
	}
	if got := lengths["d930e6d2"]; len(got) != 3 || got[0] != 350 || got[1] != 350 || got[2] != 350 {
		t.Errorf("d930e6d2 metric lengths %v", got)
	}
	var keys []string
	for _, r := range s.Experiments[0].Runs {
		for _, m := range r.Metrics {
			if len(m.Points) == 2 {
				twoLines++
			}
			keys = append(keys, m.Key)
		}
	}
	if twoLines != 6 || !strings.Contains(strings.Join(keys, "|"), "RMSE Score|") {
		t.Errorf("%d two-line metric files; keys %v", twoLines, keys)
	}
}

func TestReadStore1MaxOn1(t *testing.T) {
	s := readStore(t, maxon)
	empty := s.Experiments[2]
	if empty.ID != "197988100719066675" || empty.Name != "model 5 layers, " || len(empty.Runs) != 0 {
		t.Errorf("empty experiment: %+v", empty)
	}
	if s.Experiments[1].Name != "model 5 layers, no normalization, 1 year feature, 0.5 year target" {
		t.Errorf("name with commas: %q", s.Experiments[1].Name)
	}
	linked, repeated := 0, 0
	for _, e := range s.Experiments {
		for _, r := range e.Runs {
			if len(r.Models) > 0 {
				linked++
				if !strings.HasPrefix(r.Models[0], "m-") {
					t.Errorf("model id %q", r.Models[0])
				}
			}
			for _, m := range r.Metrics {
				n := len(m.Points)
				if n > 1 && m.Points[0] == (Point{m.Points[n-1].Timestamp, m.Points[n-1].Value, m.Points[n-1].Step, 1}) {
					repeated++
				}
			}
		}
	}
	if linked != 3 || repeated != 6 {
		t.Errorf("%d runs link a model (want 3), %d metric files repeat their first line (want 6)", linked, repeated)
	}
	notes := strings.Join(s.Notes, "\n")
	if strings.Count(notes, "logged model(s), not runs") != 2 {
		t.Errorf("notes:\n%s", notes)
	}
}

// copyStore copies a fixture store into a temporary directory.
func copyStore(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "mlruns")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestReadStoreLayouts(t *testing.T) {
	dir := copyStore(t, amanuel)
	run := filepath.Join(dir, "1", "0dfeac5f805b4738bdf3a645b5755e77")
	// Keys with "/" are folders in the file store.
	must(t, os.MkdirAll(filepath.Join(run, "metrics", "train"), 0o755))
	must(t, os.WriteFile(filepath.Join(run, "metrics", "train", "acc"), []byte("1 0.5 0\n"), 0o644))
	must(t, os.MkdirAll(filepath.Join(run, "params", "opt"), 0o755))
	must(t, os.WriteFile(filepath.Join(run, "params", "opt", "lr"), []byte("0.1"), 0o644))
	// Reserved folders, a folder without meta.yaml, the registry, .trash.
	for _, d := range []string{"1/tags", "1/datasets/abc", "1/traces/tr-1", "1/not-a-run", "models/reg/version-1", ".trash"} {
		must(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(t, os.WriteFile(filepath.Join(dir, "1", "tags", "mlflow.note.content"), []byte("x"), 0o644))
	s := readStore(t, dir)
	var r *Run
	for _, x := range s.Experiments[1].Runs {
		if x.ID == "0dfeac5f805b4738bdf3a645b5755e77" {
			r = x
		}
	}
	if r == nil || r.Params["opt/lr"] != "0.1" || len(s.Experiments[1].Runs) != 2 {
		t.Fatalf("run %+v", r)
	}
	found := false
	for _, m := range r.Metrics {
		found = found || m.Key == "train/acc"
	}
	if !found {
		t.Errorf("metric train/acc not read")
	}
	notes := strings.Join(s.Notes, "\n")
	for _, want := range []string{"not-a-run: not a run (no meta.yaml)", "model registry is not imported"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}

	// A deleted experiment in .trash.
	must(t, os.Rename(filepath.Join(dir, "1"), filepath.Join(dir, ".trash", "1")))
	s = readStore(t, dir)
	if len(s.Experiments) != 2 || !s.Experiments[1].Deleted || s.Experiments[1].ID != "1" {
		t.Errorf("trashed experiment: %+v", s.Experiments[1])
	}

	// Not a store.
	if _, err := ReadStore(t.TempDir()); !errors.Is(err, ErrNotStore) {
		t.Errorf("empty directory: %v", err)
	}
}

func TestChronological(t *testing.T) {
	ms := func(n int64) *int64 { return &n }
	runs := []*Run{
		{ID: "c", StartTime: ms(1), Tags: map[string]string{"mlflow.parentRunId": "p"}}, // clock skew: child first
		{ID: "p", StartTime: ms(2)},
		{ID: "a", StartTime: ms(0)},
		{ID: "n"}, // no start time: last
		{ID: "x", StartTime: ms(3), Tags: map[string]string{"mlflow.parentRunId": "y"}},
		{ID: "y", StartTime: ms(4), Tags: map[string]string{"mlflow.parentRunId": "x"}}, // a cycle
	}
	var got []string
	for _, r := range chronological(runs) {
		got = append(got, r.ID)
	}
	if strings.Join(got, "") != "apcxyn" {
		t.Errorf("order %v", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
