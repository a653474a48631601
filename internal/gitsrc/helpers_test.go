package gitsrc

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// sig is the fixed author and committer of every test commit.
var sig = &object.Signature{
	Name:  "Test",
	Email: "test@example.com",
	When:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
}

// initRepo creates an empty non-bare repository on branch main.
func initRepo(t *testing.T) (*git.Repository, string) {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return repo, dir
}

// writeFile writes content to dir/name, creating parent directories.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// add stages name in repo's work tree.
func add(t *testing.T, repo *git.Repository, name string) {
	t.Helper()
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add(name); err != nil {
		t.Fatal(err)
	}
}

// commit records the index as a new commit and returns its hash.
func commit(t *testing.T, repo *git.Repository) string {
	t.Helper()
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	h, err := wt.Commit("test", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// committedRepo creates a repository on main whose one commit holds a.txt
// and sub/b.txt, and returns it with its directory and commit hash.
func committedRepo(t *testing.T) (*git.Repository, string, string) {
	t.Helper()
	repo, dir := initRepo(t)
	writeFile(t, dir, "a.txt", "a\n")
	writeFile(t, dir, "sub/b.txt", "b\n")
	add(t, repo, "a.txt")
	add(t, repo, "sub/b.txt")
	return repo, dir, commit(t, repo)
}
