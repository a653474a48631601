package gitsrc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runGit runs the git binary in dir, isolated from the user's and the
// system's configuration, and returns its trimmed standard output.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
	)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return strings.TrimSpace(string(out))
}

// gitStatusDirty reports whether git itself sees tracked changes in dir.
// It refreshes the index, so call it only after Describe.
func gitStatusDirty(t *testing.T, dir string) bool {
	t.Helper()
	return runGit(t, dir, "status", "--porcelain", "--untracked-files=no", "--ignore-submodules=dirty") != ""
}

// gitRepo creates a repository on main with the git binary whose one commit
// holds a.txt ("aaaa\n") and sub/b.txt ("b\n"), and returns its directory
// and commit hash. Every file's mtime is set well before the index is
// written, so that the index's stat data is not racy.
func gitRepo(t *testing.T) (dir, commit string) {
	t.Helper()
	dir = t.TempDir()
	runGit(t, dir, "init", "-q", "-b", "main")
	writeFile(t, dir, "a.txt", "aaaa\n")
	writeFile(t, dir, "sub/b.txt", "b\n")
	backdate(t, filepath.Join(dir, "a.txt"), filepath.Join(dir, "sub", "b.txt"))
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "init")
	return dir, runGit(t, dir, "rev-parse", "HEAD")
}

// commitAll records every change in dir as a new commit, with backdated
// files, and returns its hash.
func commitAll(t *testing.T, dir string) string {
	t.Helper()
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "more")
	return runGit(t, dir, "rev-parse", "HEAD")
}

// oldTime is the modification time backdate gives to files.
var oldTime = time.Now().Add(-time.Hour).Truncate(time.Second)

// backdate sets the modification time of the named files to oldTime.
func backdate(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if err := os.Chtimes(name, oldTime, oldTime); err != nil {
			t.Fatal(err)
		}
	}
}
