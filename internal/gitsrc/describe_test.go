package gitsrc

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		// setup builds a repository and returns the dir to describe and
		// the expected result.
		setup func(t *testing.T) (string, Info)
	}{
		{"clean", func(t *testing.T) (string, Info) {
			_, dir, h := committedRepo(t)
			return dir, Info{Commit: h, Branch: "main", Root: dir}
		}},
		{"modified tracked file", func(t *testing.T) (string, Info) {
			_, dir, h := committedRepo(t)
			writeFile(t, dir, "a.txt", "changed\n")
			return dir, Info{Commit: h, Branch: "main", Dirty: true, Root: dir}
		}},
		{"deleted tracked file", func(t *testing.T) (string, Info) {
			_, dir, h := committedRepo(t)
			if err := os.Remove(filepath.Join(dir, "a.txt")); err != nil {
				t.Fatal(err)
			}
			return dir, Info{Commit: h, Branch: "main", Dirty: true, Root: dir}
		}},
		{"staged new file", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			writeFile(t, dir, "new.txt", "new\n")
			add(t, repo, "new.txt")
			return dir, Info{Commit: h, Branch: "main", Dirty: true, Root: dir}
		}},
		{"untracked file only", func(t *testing.T) (string, Info) {
			_, dir, h := committedRepo(t)
			writeFile(t, dir, "untracked.txt", "u\n")
			return dir, Info{Commit: h, Branch: "main", Root: dir}
		}},
		{"detached HEAD", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			wt, err := repo.Worktree()
			if err != nil {
				t.Fatal(err)
			}
			if err := wt.Checkout(&git.CheckoutOptions{Hash: plumbing.NewHash(h)}); err != nil {
				t.Fatal(err)
			}
			return dir, Info{Commit: h, Root: dir}
		}},
		{"branch with slash", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			wt, err := repo.Worktree()
			if err != nil {
				t.Fatal(err)
			}
			branch := plumbing.NewBranchReferenceName("feature/x")
			if err := wt.Checkout(&git.CheckoutOptions{Branch: branch, Create: true}); err != nil {
				t.Fatal(err)
			}
			return dir, Info{Commit: h, Branch: "feature/x", Root: dir}
		}},
		{"origin preferred", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			addRemote(t, repo, "aaa", "https://example.com/aaa.git")
			addRemote(t, repo, "origin", "git@example.com:me/origin.git")
			return dir, Info{Commit: h, Branch: "main", Remote: "git@example.com:me/origin.git", Root: dir}
		}},
		{"first remote by name", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			addRemote(t, repo, "zeta", "https://example.com/zeta.git")
			addRemote(t, repo, "alpha", "https://example.com/alpha.git")
			return dir, Info{Commit: h, Branch: "main", Remote: "https://example.com/alpha.git", Root: dir}
		}},
		{"remote credentials removed", func(t *testing.T) (string, Info) {
			repo, dir, h := committedRepo(t)
			addRemote(t, repo, "origin", "https://user:secret@example.com/r.git")
			return dir, Info{Commit: h, Branch: "main", Remote: "https://example.com/r.git", Root: dir}
		}},
		{"subdirectory", func(t *testing.T) (string, Info) {
			_, dir, h := committedRepo(t)
			return filepath.Join(dir, "sub"), Info{Commit: h, Branch: "main", Root: dir}
		}},
		{"empty repository", func(t *testing.T) (string, Info) {
			_, dir := initRepo(t)
			return dir, Info{Branch: "main", Root: dir}
		}},
		{"empty repository with untracked file", func(t *testing.T) (string, Info) {
			_, dir := initRepo(t)
			writeFile(t, dir, "a.txt", "a\n")
			return dir, Info{Branch: "main", Root: dir}
		}},
		{"empty repository with staged file", func(t *testing.T) (string, Info) {
			repo, dir := initRepo(t)
			writeFile(t, dir, "a.txt", "a\n")
			add(t, repo, "a.txt")
			return dir, Info{Branch: "main", Dirty: true, Root: dir}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, want := tt.setup(t)
			got, err := Describe(dir)
			if err != nil {
				t.Fatalf("Describe: %v", err)
			}
			if got != want {
				t.Errorf("Describe =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestDescribeErrors(t *testing.T) {
	tests := []struct {
		name    string
		dir     func(t *testing.T) string
		notRepo bool // error must wrap ErrNotRepository
	}{
		{"plain directory", func(t *testing.T) string { return t.TempDir() }, true},
		{"bare repository", func(t *testing.T) string {
			dir := t.TempDir()
			if _, err := git.PlainInit(dir, true); err != nil {
				t.Fatal(err)
			}
			return dir
		}, true},
		{"missing directory inside a repository", func(t *testing.T) string {
			_, dir, _ := committedRepo(t)
			return filepath.Join(dir, "missing")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Describe(tt.dir(t))
			if err == nil {
				t.Fatal("Describe succeeded, want error")
			}
			if got := errors.Is(err, ErrNotRepository); got != tt.notRepo {
				t.Errorf("errors.Is(%v, ErrNotRepository) = %v, want %v", err, got, tt.notRepo)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/r.git", "https://example.com/r.git"},
		{"https://user:secret@example.com/r.git", "https://example.com/r.git"},
		{"https://ghp_token@github.com/o/r.git", "https://github.com/o/r.git"},
		{"ssh://git@example.com/r.git", "ssh://git@example.com/r.git"},
		{"ssh://git:pw@example.com/r.git", "ssh://git@example.com/r.git"},
		{"git@example.com:o/r.git", "git@example.com:o/r.git"},
		{"/srv/git/r.git", "/srv/git/r.git"},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// addRemote configures a remote called name with the given URL.
func addRemote(t *testing.T, repo *git.Repository, name, url string) {
	t.Helper()
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: name, URLs: []string{url}}); err != nil {
		t.Fatal(err)
	}
}
