package gitsrc

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestDirtyAgainstGit builds repositories with the git binary, changes them,
// and checks Describe's Dirty both against the expected value and against
// what "git status" says afterwards.
func TestDirtyAgainstGit(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		dirty  bool
	}{
		{"clean", func(t *testing.T, dir string) {}, false},
		{"clean after gc and pack-refs", func(t *testing.T, dir string) {
			runGit(t, dir, "gc", "-q")
		}, false},
		{"untracked file", func(t *testing.T, dir string) {
			writeFile(t, dir, "new.txt", "new\n")
		}, false},
		{"staged only", func(t *testing.T, dir string) {
			writeFile(t, dir, "a.txt", "staged\n")
			runGit(t, dir, "add", "a.txt")
		}, true},
		{"staged only, objects packed", func(t *testing.T, dir string) {
			runGit(t, dir, "gc", "-q")
			writeFile(t, dir, "sub/b.txt", "staged\n")
			runGit(t, dir, "add", "sub/b.txt")
		}, true},
		{"staged deletion", func(t *testing.T, dir string) {
			runGit(t, dir, "rm", "-q", "--cached", "a.txt")
		}, true},
		{"intent to add", func(t *testing.T, dir string) {
			writeFile(t, dir, "new.txt", "new\n")
			runGit(t, dir, "add", "-N", "new.txt")
		}, true},
		{"same size, mtime bumped", func(t *testing.T, dir string) {
			writeFile(t, dir, "a.txt", "bbbb\n")
			setMtime(t, filepath.Join(dir, "a.txt"), oldTime.Add(time.Second))
		}, true},
		{"same size and mtime, racy index", func(t *testing.T, dir string) {
			// The file changed in the same tick as the index was
			// written: stat data matches, so only hashing tells.
			writeFile(t, dir, "a.txt", "bbbb\n")
			setMtime(t, filepath.Join(dir, "a.txt"), oldTime)
			setMtime(t, filepath.Join(dir, ".git", "index"), oldTime)
		}, true},
		{"touched, same content, mtime in the past", func(t *testing.T, dir string) {
			setMtime(t, filepath.Join(dir, "a.txt"), oldTime.Add(-time.Hour))
		}, false},
		{"touched, same content, mtime now", func(t *testing.T, dir string) {
			setMtime(t, filepath.Join(dir, "a.txt"), time.Now())
		}, false},
		{"rewritten with same content", func(t *testing.T, dir string) {
			writeFile(t, dir, "sub/b.txt", "b\n")
		}, false},
		{"deleted", func(t *testing.T, dir string) {
			remove(t, filepath.Join(dir, "a.txt"))
		}, true},
		{"file replaced by directory", func(t *testing.T, dir string) {
			remove(t, filepath.Join(dir, "a.txt"))
			writeFile(t, dir, "a.txt/c.txt", "aaaa\n")
		}, true},
		{"directory replaced by file", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "sub", "b\n")
		}, true},
		{"directory replaced by symlink to a copy", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "sub"), filepath.Join(dir, "copy")); err != nil {
				t.Fatal(err)
			}
			symlink(t, "copy", filepath.Join(dir, "sub"))
		}, true},
		{"chmod +x", func(t *testing.T, dir string) {
			chmod(t, filepath.Join(dir, "a.txt"), 0o755)
		}, true},
		{"chmod +x with core.filemode false", func(t *testing.T, dir string) {
			runGit(t, dir, "config", "core.filemode", "false")
			chmod(t, filepath.Join(dir, "a.txt"), 0o755)
		}, false},
		{"chmod -x of executable", func(t *testing.T, dir string) {
			chmod(t, filepath.Join(dir, "a.txt"), 0o755)
			commitAll(t, dir)
			chmod(t, filepath.Join(dir, "a.txt"), 0o644)
		}, true},
		{"group write bit only", func(t *testing.T, dir string) {
			chmod(t, filepath.Join(dir, "a.txt"), 0o664)
		}, false},
		{"symlink retargeted", func(t *testing.T, dir string) {
			symlink(t, "a.txt", filepath.Join(dir, "link"))
			commitAll(t, dir)
			remove(t, filepath.Join(dir, "link"))
			symlink(t, "b.txt", filepath.Join(dir, "link"))
		}, true},
		{"symlink recreated with same target", func(t *testing.T, dir string) {
			symlink(t, "a.txt", filepath.Join(dir, "link"))
			commitAll(t, dir)
			remove(t, filepath.Join(dir, "link"))
			symlink(t, "a.txt", filepath.Join(dir, "link"))
		}, false},
		{"symlink replaced by file holding its target", func(t *testing.T, dir string) {
			symlink(t, "a.txt", filepath.Join(dir, "link"))
			commitAll(t, dir)
			remove(t, filepath.Join(dir, "link"))
			writeFile(t, dir, "link", "a.txt")
		}, true},
		{"skip-worktree file deleted", func(t *testing.T, dir string) {
			runGit(t, dir, "update-index", "--skip-worktree", "a.txt")
			remove(t, filepath.Join(dir, "a.txt"))
		}, false},
		{"submodule at recorded commit", func(t *testing.T, dir string) {
			addSubmodule(t, dir)
		}, false},
		{"submodule at another commit", func(t *testing.T, dir string) {
			addSubmodule(t, dir)
			writeFile(t, dir, "mod/a.txt", "moved on\n")
			commitAll(t, filepath.Join(dir, "mod"))
		}, true},
		{"submodule with uncommitted change", func(t *testing.T, dir string) {
			addSubmodule(t, dir)
			writeFile(t, dir, "mod/a.txt", "edited\n")
		}, false},
		{"submodule not checked out", func(t *testing.T, dir string) {
			addSubmodule(t, dir)
			runGit(t, dir, "submodule", "deinit", "-q", "mod")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := gitRepo(t)
			tt.change(t, dir)
			info, err := Describe(dir)
			if err != nil {
				t.Fatalf("Describe: %v", err)
			}
			if info.Dirty != tt.dirty {
				t.Errorf("Dirty = %v, want %v", info.Dirty, tt.dirty)
			}
			if git := gitStatusDirty(t, dir); git != tt.dirty {
				t.Errorf("git status says dirty = %v, test expects %v", git, tt.dirty)
			}
		})
	}
}

func TestDescribeGitLayouts(t *testing.T) {
	t.Run("packed-refs branch", func(t *testing.T) {
		dir, h := gitRepo(t)
		runGit(t, dir, "branch", "feature/packed")
		runGit(t, dir, "checkout", "-q", "feature/packed")
		runGit(t, dir, "pack-refs", "--all")
		if _, err := os.Stat(filepath.Join(dir, ".git", "refs", "heads", "feature", "packed")); !os.IsNotExist(err) {
			t.Fatalf("loose ref still present: %v", err)
		}
		checkDescribe(t, dir, Info{Commit: h, Branch: "feature/packed", Root: dir})
	})
	t.Run("linked worktree", func(t *testing.T) {
		dir, h := gitRepo(t)
		runGit(t, dir, "remote", "add", "origin", "https://token@example.com/r.git")
		wt := filepath.Join(t.TempDir(), "wt")
		runGit(t, dir, "worktree", "add", "-q", "-b", "side", wt)
		remote := "https://example.com/r.git"
		checkDescribe(t, wt, Info{Commit: h, Branch: "side", Remote: remote, Root: wt})

		writeFile(t, wt, "sub/b.txt", "changed in worktree\n")
		checkDescribe(t, filepath.Join(wt, "sub"), Info{Commit: h, Branch: "side", Dirty: true, Remote: remote, Root: wt})
		checkDescribe(t, dir, Info{Commit: h, Branch: "main", Remote: remote, Root: dir})

		h2 := commitAll(t, wt)
		checkDescribe(t, wt, Info{Commit: h2, Branch: "side", Remote: remote, Root: wt})
		runGit(t, dir, "pack-refs", "--all")
		checkDescribe(t, wt, Info{Commit: h2, Branch: "side", Remote: remote, Root: wt})
	})
	t.Run("separate git dir", func(t *testing.T) {
		dir, gitDir := t.TempDir(), filepath.Join(t.TempDir(), "repo.git")
		runGit(t, dir, "init", "-q", "-b", "main", "--separate-git-dir", gitDir)
		writeFile(t, dir, "a.txt", "a\n")
		h := commitAll(t, dir)
		checkDescribe(t, dir, Info{Commit: h, Branch: "main", Root: dir})
	})
	t.Run("file argument", func(t *testing.T) {
		dir, h := gitRepo(t)
		checkDescribe(t, filepath.Join(dir, "sub", "b.txt"), Info{Commit: h, Branch: "main", Root: dir})
	})
	t.Run("unsupported extension", func(t *testing.T) {
		dir, _ := gitRepo(t)
		runGit(t, dir, "config", "core.repositoryformatversion", "1")
		runGit(t, dir, "config", "extensions.objectformat", "sha1")
		if _, err := Describe(dir); err == nil {
			t.Error("Describe succeeded despite an unknown extension")
		}
	})
}

// checkDescribe fails the test unless Describe(dir) returns want.
func checkDescribe(t *testing.T, dir string, want Info) {
	t.Helper()
	got, err := Describe(dir)
	if err != nil {
		t.Fatalf("Describe(%s): %v", dir, err)
	}
	if got != want {
		t.Errorf("Describe(%s) =\n%+v\nwant\n%+v", dir, got, want)
	}
}

// addSubmodule commits, as "mod" in dir, a submodule cloned from a new
// repository.
func addSubmodule(t *testing.T, dir string) {
	t.Helper()
	upstream, _ := gitRepo(t)
	runGit(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream, "mod")
	commitAll(t, dir)
}

func setMtime(t *testing.T, name string, mtime time.Time) {
	t.Helper()
	if err := os.Chtimes(name, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, name string) {
	t.Helper()
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, name string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(name, mode); err != nil {
		t.Fatal(err)
	}
}

// TestIndexDiffersCacheTree checks that a git-written index's cache tree
// lets a clean index be recognised without reading trees, that staging
// invalidates it, and that the tree walk agrees.
func TestIndexDiffersCacheTree(t *testing.T) {
	dir, h := gitRepo(t)
	check := func(wantCache, wantDiffers bool) {
		t.Helper()
		repo, err := open(dir)
		if err != nil {
			t.Fatal(err)
		}
		idx, err := repo.storage.Index()
		if err != nil {
			t.Fatal(err)
		}
		head := plumbing.NewHash(h)
		tree, err := commitTree(repo.storage, head)
		if err != nil {
			t.Fatal(err)
		}
		if got := cacheTreeIs(idx, tree); got != wantCache {
			t.Errorf("cacheTreeIs = %v, want %v", got, wantCache)
		}
		idx.Cache = nil // force the tree walk
		if got, err := indexDiffers(repo.storage, head, idx); err != nil || got != wantDiffers {
			t.Errorf("indexDiffers without cache tree = %v, %v; want %v", got, err, wantDiffers)
		}
	}
	check(true, false)
	writeFile(t, dir, "sub/b.txt", "staged\n")
	runGit(t, dir, "add", "sub/b.txt")
	check(false, true)
}
