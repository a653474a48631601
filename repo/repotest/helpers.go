package repotest

import (
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
)

// New initialises a repository in a temporary directory and closes it when
// the test ends.
func New(t testing.TB) *repo.Repo {
	t.Helper()
	t.Setenv("MODELDB_AUTHOR", "Test <test@example.com>")
	r, err := repo.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// Commit commits a small run with the given name (generated when empty)
// and accuracy metric, and returns the result.
func Commit(t testing.TB, r *repo.Repo, name string, accuracy float64) *repo.CommitResult {
	t.Helper()
	run := &objects.Run{
		Name:    name,
		Params:  map[string]any{"C": accuracy * 10},
		Metrics: []objects.Metric{{Name: "accuracy", Value: accuracy}},
	}
	res, err := r.Commit(run, repo.CommitOptions{Message: "run " + name})
	if err != nil {
		t.Fatalf("commit %s: %v", name, err)
	}
	return res
}
