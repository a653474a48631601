package mlflow

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/repo/repotest"
)

func importStore(t *testing.T, r *repo.Repo, dir string, opts Options) *Summary {
	t.Helper()
	sum, err := Import(r, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// history returns the commits of branch, oldest first, with their runs.
func history(t *testing.T, r *repo.Repo, branch string) []*objects.Run {
	t.Helper()
	runs, times := branchRuns(t, r, branch)
	if !sort.StringsAreSorted(times) {
		t.Errorf("branch %s: commit times are not chronological: %v", branch, times)
	}
	return runs
}

// branchRuns returns the runs of branch's history and their commit times,
// oldest first.
func branchRuns(t *testing.T, r *repo.Repo, branch string) ([]*objects.Run, []string) {
	t.Helper()
	ref, err := r.Store.Ref(refs.Branch(branch))
	if err != nil {
		t.Fatalf("branch %s: %v", branch, err)
	}
	var runs []*objects.Run
	var times []string
	for id := ref.ID; !id.IsZero(); {
		c, run, err := r.ReadCommitRun(id)
		if err != nil {
			t.Fatal(err)
		}
		runs = append([]*objects.Run{run}, runs...)
		times = append([]string{c.Time}, times...)
		id = objects.ID{}
		if len(c.Parents) > 0 {
			id = c.Parents[0]
		}
	}
	return runs, times
}

// num returns a numeric param as read back from the repository.
func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case json.Number:
		f, _ := n.Float64()
		return f
	}
	return -1
}

// refList lists every reference with its value, to see that nothing moved.
func refList(t *testing.T, r *repo.Repo) string {
	t.Helper()
	list, err := r.Store.Refs("refs/")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ref := range list {
		b.WriteString(string(ref.Name) + " " + ref.ID.String() + "\n")
	}
	return b.String()
}

func objectCount(t *testing.T, r *repo.Repo) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(r.Dir, "objects"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func fsck(t *testing.T, r *repo.Repo) {
	t.Helper()
	rep, err := r.Fsck()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("fsck: %v", rep.Problems)
	}
}

func TestImport14ayush(t *testing.T) {
	r := repotest.New(t)
	start := time.Now()
	sum := importStore(t, r, ayush, Options{})
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("import took %v", d)
	} else {
		t.Logf("imported 43 runs in %v", d)
	}
	if sum.Imported != 43 || sum.SkippedDeleted != 3 || sum.AlreadyImported != 0 || len(sum.Runs) != 46 {
		t.Fatalf("summary: %d imported, %d deleted, %d already, %d runs", sum.Imported, sum.SkippedDeleted, sum.AlreadyImported, len(sum.Runs))
	}
	wantBranches := map[string]int{"mlflow/Default": 8, "mlflow/My-First-Experiment": 2, "mlflow/breast-cancer-dummy": 33}
	for i, e := range sum.Experiments {
		if wantBranches[e.Branch] == 0 || e.Imported != wantBranches[e.Branch] {
			t.Errorf("experiment %d: %+v", i, e)
		}
	}
	nested, withParent := 0, 0
	for b, n := range wantBranches {
		runs := history(t, r, b)
		if len(runs) != n {
			t.Errorf("branch %s has %d commits, want %d", b, len(runs), n)
		}
		seen := map[string]bool{}
		for _, run := range runs {
			seen[run.Name] = true
			if run.Tags[TagRunID] == "" || !strings.HasSuffix(run.Name, "-"+run.Tags[TagRunID][:8]) {
				t.Errorf("run %s: tag %s = %q", run.Name, TagRunID, run.Tags[TagRunID])
			}
			if run.Tags["mlflow.parentRunId"] != "" {
				nested++
			}
			if p := run.Tags[TagParent]; p != "" {
				withParent++
				if !seen[p] {
					t.Errorf("run %s comes before its parent %s", run.Name, p)
				}
			}
		}
	}
	// 32 nested runs: 30 children of rogue-shrimp-446 and one child of each
	// of two deleted parents, which are not imported (no parent tag).
	if nested != 32 || withParent != 30 {
		t.Errorf("%d nested runs, %d with a parent tag; want 32 and 30", nested, withParent)
	}

	// One run in detail.
	id, err := r.Resolve("rogue-shrimp-446-ce15e9ef")
	if err != nil {
		t.Fatal(err)
	}
	c, run, err := r.ReadCommitRun(id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Time != "2025-05-26T16:35:53.183000000Z" || c.Author != "aayus" || run.Author != "aayus" ||
		run.Started != "2025-05-26T16:35:53.183Z" || run.Finished != "2025-05-26T16:35:55.524Z" ||
		run.Source == nil || run.Source.Commit != "c662411a2d924fd61830b211446fef1f54f8e985" ||
		run.Tags[TagStatus] != "FINISHED" || run.Tags["mlflow.source.name"] != "src/hyperparameter.py" ||
		run.Tags[TagExperimentName] != "breast cancer dummy" || run.Tags[TagExperimentID] != "965807661395077312" ||
		!strings.Contains(c.Message, "ce15e9ef991943e7ab2b492d0e467940") {
		data, _ := json.Marshal(struct{ C, R any }{c, run})
		t.Errorf("rogue-shrimp-446: %s", data)
	}

	// Artifacts are stored with their paths (spaces included) and restore
	// byte for byte.
	var name string
	for _, rs := range sum.Runs {
		if rs.RunID == "70a8937b47ec48ec9fb71c79b3481dfe" {
			name = rs.Name
		}
	}
	id = mustResolve(t, r, name)
	_, run, err = r.ReadCommitRun(id)
	if err != nil {
		t.Fatal(err)
	}
	art, ok := run.Artifact("Random Forest Classification/MLmodel")
	if !ok {
		t.Fatalf("artifacts %+v", run.Artifacts)
	}
	src, _ := os.ReadFile(filepath.Join(ayush, "965571450743552747", "70a8937b47ec48ec9fb71c79b3481dfe", "artifacts", "Random Forest Classification", "MLmodel"))
	sha := sha256.Sum256(src)
	if art.SHA256 != hex.EncodeToString(sha[:]) || art.Size != int64(len(src)) {
		t.Errorf("artifact %+v", art)
	}
	out := filepath.Join(t.TempDir(), "MLmodel")
	f, _ := repo.FindFile(run, art.Path)
	if err := r.RestoreFile(f, out); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, src) {
		t.Errorf("restored artifact differs")
	}
	fsck(t, r)

	// Importing again adds nothing.
	before, objs := refList(t, r), objectCount(t, r)
	sum = importStore(t, r, ayush, Options{})
	if sum.Imported != 0 || sum.AlreadyImported != 43 || sum.SkippedDeleted != 3 {
		t.Errorf("re-import: %d imported, %d already, %d deleted", sum.Imported, sum.AlreadyImported, sum.SkippedDeleted)
	}
	if after := refList(t, r); after != before || objectCount(t, r) != objs {
		t.Errorf("re-import changed the repository")
	}

	// --include-deleted then adds the 3 deleted runs, tagged.
	sum = importStore(t, r, ayush, Options{IncludeDeleted: true})
	if sum.Imported != 3 || sum.AlreadyImported != 43 {
		t.Errorf("include deleted: %d imported, %d already", sum.Imported, sum.AlreadyImported)
	}
	for _, rs := range sum.Runs {
		if rs.Status == StatusImported {
			_, run, err := r.ReadCommitRun(mustResolve(t, r, rs.Name))
			if err != nil || run.Tags[TagLifecycle] != "deleted" {
				t.Errorf("deleted run %s: %v %v", rs.Name, run.Tags, err)
			}
		}
	}
	fsck(t, r)
}

func mustResolve(t *testing.T, r *repo.Repo, rev string) objects.ID {
	t.Helper()
	id, err := r.Resolve(rev)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestImportIncludeDeletedParents(t *testing.T) {
	r := repotest.New(t)
	sum := importStore(t, r, ayush, Options{IncludeDeleted: true})
	if sum.Imported != 46 {
		t.Fatalf("%d imported", sum.Imported)
	}
	withParent := 0
	for _, run := range history(t, r, "mlflow/breast-cancer-dummy") {
		if run.Tags[TagParent] != "" {
			withParent++
		}
	}
	if withParent != 32 {
		t.Errorf("%d runs with a parent tag, want 32", withParent)
	}
}

func TestImportAmanuel(t *testing.T) {
	r := repotest.New(t)
	sum := importStore(t, r, amanuel, Options{})
	if sum.Imported != 4 || len(sum.Experiments) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	runs := history(t, r, "mlflow/Rossman-Lstm_model")
	if len(runs) != 2 {
		t.Fatalf("%d runs", len(runs))
	}
	curves := map[string]int{}
	for _, run := range runs {
		steps := map[string][]int64{}
		for _, m := range run.Metrics {
			steps[m.Name] = append(steps[m.Name], *m.Step)
		}
		for name, s := range steps {
			curves[run.Name[len(run.Name)-8:]+" "+name] = len(s)
			if run.Tags[TagRunID] == "0dfeac5f805b4738bdf3a645b5755e77" && (s[0] != 0 || s[1] != 2 || s[99] != 198) {
				t.Errorf("%s steps %v", name, s[:3])
			}
		}
		if e := num(run.Params["epochs"]); e != 200 && e != 700 {
			t.Errorf("epochs %#v", run.Params["epochs"])
		}
	}
	want := map[string]int{"0dfeac5f loss": 100, "0dfeac5f val_loss": 100, "d930e6d2 loss": 350, "d930e6d2 mae": 350, "d930e6d2 mse": 350}
	for k, n := range want {
		if curves[k] != n {
			t.Errorf("%s: %d steps, want %d (all: %v)", k, curves[k], n, curves)
		}
	}
	// The sklearn runs: a metric logged twice at step 0 keeps the last value;
	// Python-printed params become JSON values, the rest stay strings.
	for _, run := range history(t, r, "mlflow/Default") {
		var rmse []objects.Metric
		for _, m := range run.Metrics {
			if m.Name == "RMSE Score" {
				rmse = append(rmse, m)
			}
		}
		if len(rmse) != 1 || rmse[0].Value != 0.5291735924398009 || *rmse[0].Step != 0 {
			t.Errorf("RMSE Score %+v", rmse)
		}
		p := run.Params
		if p["memory"] != nil || p["random_forest__bootstrap"] != true || num(p["random_forest__max_depth"]) != 10 ||
			p["random_forest__max_features"] != "1.0" || p["random_forest"] != "RandomForestRegressor(max_depth=10, random_state=2)" {
			t.Errorf("params %#v", p)
		}
		if _, ok := p["memory"]; !ok {
			t.Errorf("param memory (None) missing")
		}
	}
	if !strings.Contains(strings.Join(sum.Notes, "\n"), `metrics "MAE Score", "R2_Squared", "RMSE Score" logged different values at the same step`) {
		t.Errorf("notes %v", sum.Notes)
	}
	fsck(t, r)
}

func TestImport1MaxOn1(t *testing.T) {
	r := repotest.New(t)
	sum := importStore(t, r, maxon, Options{})
	if sum.Imported != 40 || len(sum.Experiments) != 4 {
		t.Fatalf("summary: %d imported, %d experiments", sum.Imported, len(sum.Experiments))
	}
	empty := sum.Experiments[2]
	if empty.Name != "model 5 layers, " || empty.Runs != 0 || empty.Branch != "" {
		t.Errorf("empty experiment %+v", empty)
	}
	branches, err := r.Branches()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range branches {
		names = append(names, b.Name)
	}
	want := "main mlflow/Default mlflow/model-5-layers-no-normalization-1-year-feature-0.5-year-target mlflow/model-trained-per-week-min-max-scaler"
	if strings.Join(names, " ") != want {
		t.Errorf("branches %v", names)
	}
	linked, running := 0, 0
	for _, run := range history(t, r, "mlflow/model-trained-per-week-min-max-scaler") {
		if run.Tags[TagModels] != "" {
			linked++
		}
		if run.Tags[TagStatus] == "RUNNING" {
			running++
		}
		if run.Tags[TagRunID] == "5371314d38a8413386c9b7958cc7127c" {
			var steps []int64
			for _, m := range run.Metrics {
				if m.Name == "MAE loss per step" {
					steps = append(steps, *m.Step)
				}
			}
			// 401 lines: step 0 logged again at the end.
			if len(steps) != 400 || steps[0] != 0 || steps[399] != 399 {
				t.Errorf("MAE loss per step: %d steps", len(steps))
			}
			if num(run.Params["learning_rate"]) != 1e-05 || run.Params["optimizer"] != "AdamW" {
				t.Errorf("params %#v", run.Params)
			}
		}
	}
	if linked != 2 || running == 0 {
		t.Errorf("%d runs link a model, %d running", linked, running)
	}
	fsck(t, r)
}

func TestImportDryRun(t *testing.T) {
	r := repotest.New(t)
	objs := objectCount(t, r)
	sum := importStore(t, r, ayush, Options{DryRun: true})
	if sum.Imported != 43 || !sum.DryRun {
		t.Fatalf("summary %+v", sum)
	}
	for _, rs := range sum.Runs {
		if rs.Status != StatusWouldImport && rs.Status != StatusDeleted {
			t.Errorf("run %+v", rs)
		}
	}
	if refList(t, r) != "" || objectCount(t, r) != objs {
		t.Errorf("a dry run wrote to the repository:\n%s", refList(t, r))
	}
}

func TestImportOneBranch(t *testing.T) {
	r := repotest.New(t)
	importStore(t, r, ayush, Options{Branch: "imports"})
	runs, _ := branchRuns(t, r, "imports")
	if len(runs) != 43 {
		t.Fatalf("%d runs on the branch", len(runs))
	}
	// Experiments in id order.
	if runs[0].Tags[TagExperimentID] != "0" || runs[42].Tags[TagExperimentID] != "965807661395077312" {
		t.Errorf("order: first %s, last %s", runs[0].Tags[TagExperimentID], runs[42].Tags[TagExperimentID])
	}
	if _, _, err := makePlan(r, readStore(t, ayush), Options{Branch: "bad name"}); err == nil {
		t.Errorf("a bad --branch was accepted")
	}
}

func TestImportStringParams(t *testing.T) {
	r := repotest.New(t)
	importStore(t, r, ayush, Options{StringParams: true})
	for _, run := range history(t, r, "mlflow/breast-cancer-dummy") {
		for k, v := range run.Params {
			if _, ok := v.(string); !ok {
				t.Fatalf("%s: %s = %#v", run.Name, k, v)
			}
		}
	}
}

func TestImportMalformed(t *testing.T) {
	rogue := filepath.Join("965807661395077312", "ce15e9ef991943e7ab2b492d0e467940")
	tests := []struct {
		name   string
		break_ func(dir string) error
		want   string
	}{
		{"run meta.yaml cut mid-line", func(dir string) error {
			return truncate(filepath.Join(dir, rogue, "meta.yaml"), "run_name: rogue-sh")
		}, rogue + "/meta.yaml:7: last line has no newline (truncated file?)"},
		{"run meta.yaml cut between lines", func(dir string) error {
			return truncate(filepath.Join(dir, rogue, "meta.yaml"), "source_name: ''\n")
		}, rogue + "/meta.yaml:9: required key \"start_time\" is missing (truncated file?)"},
		{"run meta.yaml cut in a quoted string", func(dir string) error {
			p := filepath.Join(dir, rogue, "meta.yaml")
			data, _ := os.ReadFile(p)
			i := bytes.Index(data, []byte("experiment_id: '9658"))
			return os.WriteFile(p, append(data[:i+len("experiment_id: '9658")], '\n'), 0o644)
		}, rogue + "/meta.yaml:4: unterminated '-quoted string (truncated file?)"},
		{"experiment meta.yaml cut", func(dir string) error {
			return truncate(filepath.Join(dir, "965571450743552747", "meta.yaml"), "experiment_id: '965571450743552747'\n")
		}, "965571450743552747/meta.yaml:3: required key \"name\" is missing"},
		{"bad metric line", func(dir string) error {
			p := filepath.Join(dir, "965807661395077312", "d7fa82528da54b61be63f13c183e3503", "metrics", "accuracy")
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, append(data, "1748277355500 0.97 one\n"...), 0o644)
		}, "d7fa82528da54b61be63f13c183e3503/metrics/accuracy:2: step \"one\" is not an integer"},
		{"metric line with two fields too many", func(dir string) error {
			p := filepath.Join(dir, "0", "17b0716ab63d4be0877c4af6939b5605", "metrics", "accuracy")
			return os.WriteFile(p, []byte("1 0.5 0\n2 0.6 1 x y\n"), 0o644)
		}, "17b0716ab63d4be0877c4af6939b5605/metrics/accuracy:2: 5 fields"},
		{"unknown status", func(dir string) error {
			p := filepath.Join(dir, rogue, "meta.yaml")
			data, _ := os.ReadFile(p)
			return os.WriteFile(p, bytes.Replace(data, []byte("status: 3\n"), []byte("status: 9\n"), 1), 0o644)
		}, rogue + "/meta.yaml:13: status 9 is not an MLflow run status"},
		{"run in the wrong folder", func(dir string) error {
			return os.Rename(filepath.Join(dir, rogue), filepath.Join(dir, "965807661395077312", "ce15e9ef991943e7ab2b492d0e467941"))
		}, "does not match the folder name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(ayush, "0", "17b0716ab63d4be0877c4af6939b5605", "metrics", "accuracy")); err != nil {
				t.Fatal(err)
			}
			dir := copyStore(t, ayush)
			must(t, tt.break_(dir))
			r := repotest.New(t)
			objs := objectCount(t, r)
			_, err := Import(r, dir, Options{})
			if err == nil || !strings.Contains(filepath.ToSlash(err.Error()), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), dir) {
				t.Errorf("error %q does not start with the file's path", err)
			}
			if refList(t, r) != "" || objectCount(t, r) != objs {
				t.Errorf("a failed import left:\n%s", refList(t, r))
			}
		})
	}
}

// truncate cuts the file at p just after the first occurrence of after.
func truncate(p, after string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	i := bytes.Index(data, []byte(after))
	if i < 0 {
		return errors.New("marker not found in " + p)
	}
	return os.WriteFile(p, data[:i+len(after)], 0o644)
}

// TestImportStopsCleanly makes a commit fail midway (an artifact vanishes
// after validation): the runs before it are complete, the failing run is
// not recorded at all, and importing again finishes the job.
func TestImportStopsCleanly(t *testing.T) {
	dir := copyStore(t, ayush)
	r := repotest.New(t)
	store := readStore(t, dir)
	plan, sum, err := makePlan(r, store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	victim := -1
	for i, p := range plan {
		if len(p.src.Artifacts) > 0 && i > 0 {
			victim = i
			break
		}
	}
	if victim < 0 {
		t.Fatal("no run with artifacts after the first")
	}
	vic := plan[victim]
	gone := vic.src.Artifacts[len(vic.src.Artifacts)-1].File
	data, _ := os.ReadFile(gone)
	must(t, os.Remove(gone))
	err = commitPlan(r, plan, sum)
	if err == nil || !strings.Contains(err.Error(), "import stopped at MLflow run "+vic.src.ID) {
		t.Fatalf("error %v", err)
	}
	imported := 0
	for _, e := range sum.Experiments {
		imported += e.Imported
	}
	if sum.Imported != victim || imported != victim || sum.Runs[vic.summary].Status != StatusNotImported {
		t.Errorf("summary says %d imported (%d by experiment), want %d; victim %+v", sum.Imported, imported, victim, sum.Runs[vic.summary])
	}
	for i, p := range plan {
		_, err := r.Store.Ref(refs.Run(p.run.Name))
		if (err == nil) != (i < victim) {
			t.Errorf("run %d (%s): ref error %v", i, p.run.Name, err)
		}
	}
	fsck(t, r)
	must(t, os.WriteFile(gone, data, 0o644))
	again := importStore(t, r, dir, Options{})
	if again.Imported != 43-victim || again.AlreadyImported != victim {
		t.Errorf("second import: %d imported, %d already", again.Imported, again.AlreadyImported)
	}
	fsck(t, r)
}

func TestImportNamesTaken(t *testing.T) {
	r := repotest.New(t)
	// A run of the user's has the name the importer would choose.
	repotest.Commit(t, r, "rogue-shrimp-446-ce15e9ef", 0.5)
	sum := importStore(t, r, ayush, Options{})
	for _, rs := range sum.Runs {
		if rs.RunID == "ce15e9ef991943e7ab2b492d0e467940" && rs.Name != "rogue-shrimp-446-ce15e9ef991943e7ab2b492d0e467940" {
			t.Errorf("name %s", rs.Name)
		}
		if rs.Parent != "" && rs.Parent != "rogue-shrimp-446-ce15e9ef991943e7ab2b492d0e467940" {
			t.Errorf("parent %s", rs.Parent)
		}
	}
	// Importing again recognises the run under its long name.
	sum = importStore(t, r, ayush, Options{})
	if sum.Imported != 0 {
		t.Errorf("re-import: %d imported", sum.Imported)
	}
}

func TestImportRenamedRun(t *testing.T) {
	dir := copyStore(t, ayush)
	r := repotest.New(t)
	importStore(t, r, dir, Options{})
	run := filepath.Join(dir, "965807661395077312", "ce15e9ef991943e7ab2b492d0e467940")
	data, _ := os.ReadFile(filepath.Join(run, "meta.yaml"))
	must(t, os.WriteFile(filepath.Join(run, "meta.yaml"), bytes.Replace(data, []byte("rogue-shrimp-446"), []byte("renamed"), 1), 0o644))
	must(t, os.WriteFile(filepath.Join(run, "tags", "mlflow.runName"), []byte("renamed"), 0o644))
	sum := importStore(t, r, dir, Options{})
	if sum.Imported != 0 || sum.AlreadyImported != 43 {
		t.Errorf("after a rename: %d imported, %d already", sum.Imported, sum.AlreadyImported)
	}
}

func TestImportBranchConflict(t *testing.T) {
	r := repotest.New(t)
	repotest.Commit(t, r, "first", 0.5)
	if _, err := r.CreateBranch("mlflow", "HEAD"); err != nil {
		t.Fatal(err)
	}
	before, objs := refList(t, r), objectCount(t, r)
	_, err := Import(r, ayush, Options{})
	if err == nil || !strings.Contains(err.Error(), `branch "mlflow" exists`) {
		t.Fatalf("error %v", err)
	}
	if refList(t, r) != before || objectCount(t, r) != objs {
		t.Errorf("the failed import changed the repository")
	}
	// Another prefix works.
	sum := importStore(t, r, ayush, Options{BranchPrefix: "from-mlflow/"})
	if sum.Experiments[0].Branch != "from-mlflow/Default" {
		t.Errorf("branch %s", sum.Experiments[0].Branch)
	}
}

func TestExperimentBranches(t *testing.T) {
	s := &Store{Experiments: []*Experiment{
		{ID: "1", Name: "a b"}, {ID: "2", Name: "a-b"}, {ID: "3", Name: "???"}, {ID: "4", Name: "Default"},
		{ID: "5", Name: "/Users/ann@example.com/churn"},
	}}
	got := experimentBranches(s, "mlflow/", "")
	want := map[string]string{"1": "mlflow/a-b-1", "2": "mlflow/a-b-2", "3": "mlflow/3", "4": "mlflow/Default", "5": "mlflow/Users-ann-example.com-churn"}
	for id, b := range want {
		if got[id] != b {
			t.Errorf("experiment %s: branch %q, want %q", id, got[id], b)
		}
	}
	if got := experimentBranches(s, "", "one"); got["1"] != "one" || got["5"] != "one" {
		t.Errorf("single branch: %v", got)
	}
}

func TestMetricPoints(t *testing.T) {
	m := Metric{Key: "loss", Points: []Point{
		{Timestamp: 1, Value: 0.5, Step: 0}, {Timestamp: 2, Value: 0.4, Step: 2}, {Timestamp: 3, Value: 0.3, Step: 1},
		{Timestamp: 4, Value: 0.45, Step: 0}, {Timestamp: 1, Value: 9, Step: 2}, // an older value for step 2 logged late
	}}
	points, dropped, differing := metricPoints(m)
	var got []float64
	for _, p := range points {
		got = append(got, p.Value)
	}
	if len(got) != 3 || got[0] != 0.45 || got[1] != 0.3 || got[2] != 0.4 || len(dropped) != 0 || !differing {
		t.Errorf("points %v dropped %v differing %v", got, dropped, differing)
	}
	// Non-finite values are set apart and named in a tag.
	inf, _ := ParseMetricLine("7 inf 3")
	nanP, _ := ParseMetricLine("8 nan 4")
	src := &Run{ID: "abcdef0123456789", Metrics: []Metric{{Key: "loss", Points: []Point{{Value: 1, Step: 0}, inf, nanP}}}, Status: "FAILED"}
	run, notes := buildRun(src, &Experiment{ID: "0", Name: "Default"}, "x-abcdef01", "", Options{})
	if len(run.Metrics) != 1 || run.Tags[TagNonFinite] != "loss@3=+Inf; loss@4=NaN" || len(notes) != 1 {
		t.Errorf("metrics %v tags %v notes %v", run.Metrics, run.Tags, notes)
	}
}

func TestBuildRunTagCollision(t *testing.T) {
	src := &Run{ID: "abcdef0123456789", Status: "FINISHED", Tags: map[string]string{"parent": "mine", TagStatus: "odd"}}
	run, _ := buildRun(src, &Experiment{ID: "0", Name: "Default"}, "x-abcdef01", "p-12345678", Options{})
	if run.Tags[TagParent] != "p-12345678" || run.Tags["mlflow.tag.parent"] != "mine" ||
		run.Tags[TagStatus] != "FINISHED" || run.Tags["mlflow.tag."+TagStatus] != "odd" {
		t.Errorf("tags %v", run.Tags)
	}
}
