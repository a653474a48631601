package repo_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/repo/repotest"
	"github.com/modeldb/modeldb/runfile"
)

func TestInitAndOpen(t *testing.T) {
	r := repotest.New(t)
	if _, err := repo.Init(r.WorkDir); !errors.Is(err, repo.ErrExists) {
		t.Fatalf("second Init: %v", err)
	}
	sub := filepath.Join(r.WorkDir, "a", "b")
	os.MkdirAll(sub, 0o755)
	r2, err := repo.Open(sub)
	if err != nil || r2.Dir != r.Dir {
		t.Fatalf("Open from subdirectory: %v", err)
	}
	r2.Close()
	if _, err := repo.Open(t.TempDir()); !errors.Is(err, repo.ErrNotRepository) {
		t.Fatalf("Open outside a repository: %v", err)
	}
	entries, _ := os.ReadDir(r.WorkDir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".modeldb-init") {
			t.Fatalf("Init left %s behind", e.Name())
		}
	}
}

func TestCommitAndResolve(t *testing.T) {
	r := repotest.New(t)
	if _, err := r.Resolve("HEAD"); !errors.Is(err, repo.ErrNoCommits) {
		t.Fatalf("Resolve HEAD in empty repo: %v", err)
	}
	a := repotest.Commit(t, r, "first", 0.8)
	b := repotest.Commit(t, r, "second", 0.85)
	c := repotest.Commit(t, r, "", 0.9)
	if c.Name == "" || c.Parent != b.Commit || b.Parent != a.Commit || !a.Parent.IsZero() {
		t.Fatalf("history wrong: %+v %+v %+v", a, b, c)
	}
	if _, err := r.CreateTag("v1", "first", false); err != nil {
		t.Fatal(err)
	}
	for rev, want := range map[string]objects.ID{
		"HEAD": c.Commit, "HEAD~1": b.Commit, "HEAD~2": a.Commit, "HEAD^": b.Commit, "HEAD^^": a.Commit,
		"second": b.Commit, "first~0": a.Commit, "v1": a.Commit, "main": c.Commit, "main~2": a.Commit,
		c.Name: c.Commit, b.Commit.String(): b.Commit, b.Commit.String()[:12]: b.Commit, "refs/heads/main": c.Commit,
	} {
		got, err := r.Resolve(rev)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %s, %v; want %s", rev, got.Short(), err, want.Short())
		}
	}
	for _, rev := range []string{"HEAD~3", "nosuch", "first^2", "deadbeef"} {
		if _, err := r.Resolve(rev); !errors.Is(err, repo.ErrUnknownRevision) {
			t.Errorf("Resolve(%q) = %v, want ErrUnknownRevision", rev, err)
		}
	}
	// A run ID prefix is not a commit.
	if _, err := r.Resolve(a.Run.String()[:16]); err == nil || !strings.Contains(err.Error(), "not a commit") {
		t.Errorf("Resolve(run id prefix) = %v", err)
	}
}

func TestAmbiguousNames(t *testing.T) {
	r := repotest.New(t)
	a := repotest.Commit(t, r, "x", 0.5)
	y := repotest.Commit(t, r, "y", 0.6)
	// modeldb refuses to create the clash itself...
	if _, err := r.CreateBranch("x", "y"); !errors.Is(err, repo.ErrNameClash) {
		t.Fatalf("branch named like a run: %v", err)
	}
	if _, err := r.Commit(&objects.Run{Name: "main"}, repo.CommitOptions{}); !errors.Is(err, repo.ErrNameClash) {
		t.Fatalf("run named like a branch: %v", err)
	}
	// ...but one can arrive from elsewhere (a remote, an older version).
	if err := r.Store.Update("t", refs.Update{Name: refs.Branch("x"), New: y.Commit}); err != nil {
		t.Fatal(err)
	}
	_, err := r.Resolve("x")
	var amb *repo.AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
		t.Fatalf("branch and run both named x: %v", err)
	}
	if !strings.Contains(err.Error(), "branch x") || !strings.Contains(err.Error(), "run x → "+a.Commit.Short()) {
		t.Fatalf("ambiguity does not list candidates: %v", err)
	}
}

func TestAmbiguousPrefix(t *testing.T) {
	r := repotest.New(t)
	// Make commits until two share a 4-digit prefix.
	seen := map[string]objects.ID{}
	for i := 0; i < 2000; i++ {
		c := repotest.Commit(t, r, "", float64(i)/2000)
		p := c.Commit.String()[:4]
		if prev, ok := seen[p]; ok {
			_, err := r.Resolve(p)
			var amb *repo.AmbiguousError
			if !errors.As(err, &amb) || !strings.Contains(err.Error(), prev.Short()) || !strings.Contains(err.Error(), c.Commit.Short()) {
				t.Fatalf("Resolve(%q) with two matching commits: %v", p, err)
			}
			return
		}
		seen[p] = c.Commit
	}
	t.Fatal("no shared prefix found")
}

func TestNameTaken(t *testing.T) {
	r := repotest.New(t)
	first := repotest.Commit(t, r, "dup", 0.5)
	_, err := r.Commit(&objects.Run{Name: "dup"}, repo.CommitOptions{})
	if !errors.Is(err, repo.ErrNameTaken) {
		t.Fatalf("duplicate name: %v", err)
	}
	if head, _ := r.Resolve("HEAD"); head != first.Commit {
		t.Fatal("a refused commit moved HEAD")
	}
	if _, err := r.Commit(&objects.Run{Name: "bad name"}, repo.CommitOptions{}); !errors.Is(err, refs.ErrInvalidName) {
		t.Fatalf("invalid name: %v", err)
	}
}

func TestCommitOnNamedBranch(t *testing.T) {
	r := repotest.New(t)
	base := repotest.Commit(t, r, "base", 0.5)
	res, err := r.Commit(&objects.Run{Name: "imported"}, repo.CommitOptions{Branch: "mlflow/exp-1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Branch != refs.Branch("mlflow/exp-1") || !res.Parent.IsZero() {
		t.Fatalf("first commit on a new branch: %+v", res)
	}
	if head, _ := r.Resolve("HEAD"); head != base.Commit {
		t.Fatal("committing on another branch moved HEAD")
	}
	second, _ := r.Commit(&objects.Run{Name: "imported-2"}, repo.CommitOptions{Branch: "mlflow/exp-1"})
	if second.Parent != res.Commit {
		t.Fatalf("second commit's parent %s, want %s", second.Parent.Short(), res.Commit.Short())
	}
}

func TestBranchesAndSwitch(t *testing.T) {
	r := repotest.New(t)
	base := repotest.Commit(t, r, "base", 0.5)
	if err := r.Switch("tuning", true, ""); err != nil {
		t.Fatal(err)
	}
	tuned := repotest.Commit(t, r, "tuned", 0.7)
	if tuned.Branch != refs.Branch("tuning") || tuned.Parent != base.Commit {
		t.Fatalf("commit on tuning: %+v", tuned)
	}
	if err := r.Switch("main", false, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeleteBranch("tuning", false); !errors.Is(err, repo.ErrNotMerged) {
		t.Fatalf("delete unmerged: %v", err)
	}
	if _, err := r.DeleteBranch("main", true); !errors.Is(err, repo.ErrCurrentBranch) {
		t.Fatalf("delete current: %v", err)
	}
	if _, err := r.DeleteBranch("tuning", true); err != nil {
		t.Fatalf("force delete: %v", err)
	}
	// The run name still resolves after its branch is gone.
	if id, err := r.Resolve("tuned"); err != nil || id != tuned.Commit {
		t.Fatalf("run name after branch deletion: %v", err)
	}
	if err := r.Switch("nosuch", false, ""); err == nil || !strings.Contains(err.Error(), "switch -c") {
		t.Fatalf("switch to missing branch: %v", err)
	}
	if _, err := r.CreateBranch("a..b", "HEAD"); !errors.Is(err, refs.ErrInvalidName) {
		t.Fatalf("invalid branch name: %v", err)
	}
}

func TestBuildRunAndRestore(t *testing.T) {
	r := repotest.New(t)
	dir := t.TempDir()
	model := make([]byte, 5<<20)
	rand.Read(model)
	os.WriteFile(filepath.Join(dir, "model.pkl"), model, 0o644)
	os.WriteFile(filepath.Join(dir, "train.csv"), []byte("age,zip_code,churn\n31,10115,true\n45,80331,false\n"), 0o644)
	spec := &runfile.Spec{
		Name:      "with-files",
		Datasets:  []runfile.Dataset{{Role: "train", Path: "train.csv", Store: true}},
		Artifacts: []runfile.Artifact{{Path: "model.pkl"}},
	}
	run, err := r.BuildRun(spec, repo.BuildOptions{BaseDir: dir, SourceDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ds := run.Datasets[0]
	if ds.Rows == nil || *ds.Rows != 2 || len(ds.Columns) != 3 || ds.Columns[1] != (objects.Column{Name: "zip_code", Type: "int"}) || ds.Data == nil {
		t.Fatalf("dataset fingerprint: %+v", ds)
	}
	res, err := r.Commit(run, repo.CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, back, err := r.ReadCommitRun(res.Commit)
	if err != nil {
		t.Fatal(err)
	}
	f, err := repo.FindFile(back, "model.pkl")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.RestoreTo(f, &buf); err != nil || !bytes.Equal(buf.Bytes(), model) {
		t.Fatalf("restore: %v, equal=%v", err, bytes.Equal(buf.Bytes(), model))
	}
	data, err := repo.FindFile(back, "train.csv")
	if err != nil || data.Kind != "dataset" {
		t.Fatalf("stored dataset: %+v %v", data, err)
	}
	if _, err := repo.FindFile(back, "nope"); !errors.Is(err, repo.ErrNoSuchFile) || !strings.Contains(err.Error(), "model.pkl") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestFsckFindsDamage(t *testing.T) {
	r := repotest.New(t)
	res := repotest.Commit(t, r, "a", 0.5)
	repotest.Commit(t, r, "b", 0.6)
	rep, err := r.Fsck()
	if err != nil || len(rep.Problems) != 0 || rep.Kinds["commit"] != 2 || rep.Kinds["run"] != 2 {
		t.Fatalf("clean fsck: %+v %v", rep, err)
	}
	objPath := func(id objects.ID) string {
		return filepath.Join(r.Dir, "objects", id.String()[:2], id.String()[2:])
	}
	// Flip one bit of the first run.
	p := objPath(res.Run)
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0x10
	os.WriteFile(p, b, 0o644)
	rep, _ = r.Fsck()
	if len(rep.Problems) != 1 || rep.Problems[0].Object != res.Run {
		t.Fatalf("fsck after a flipped bit: %+v", rep.Problems)
	}
	var ce *objects.CorruptError
	if _, _, err := r.ReadCommitRun(res.Commit); !errors.As(err, &ce) || ce.ID != res.Run {
		t.Fatalf("reading the damaged run: %v", err)
	}
	// Remove the first commit: the second's parent is then missing.
	os.Remove(objPath(res.Commit))
	rep, _ = r.Fsck()
	found := false
	for _, p := range rep.Problems {
		found = found || (p.Object == res.Commit && strings.Contains(p.What, "missing"))
	}
	if !found {
		t.Fatalf("fsck does not report the missing commit: %+v", rep.Problems)
	}
}
