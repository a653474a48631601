package gitsrc

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// changesRepo builds, with the git binary, a repository with two commits
// and returns its directory and both hashes. The second commit modifies,
// adds and deletes files at several depths, including a binary file.
func changesRepo(t *testing.T) (dir, from, to string) {
	t.Helper()
	dir, _ = gitRepo(t) // a.txt, sub/b.txt
	writeFile(t, dir, "src/model/train.py", "import x\n\ndef train():\n    return 1\n")
	writeFile(t, dir, "src/model/eval.py", "def eval():\n    pass\n")
	writeFile(t, dir, "src/util.py", "U = 1\n")
	writeFile(t, dir, "src.txt", "not under src/\n")
	writeFile(t, dir, "srcx/y.txt", "not under src/ either\n")
	writeFile(t, dir, "data.bin", "head\x00tail\n")
	writeFile(t, dir, "keep.txt", "unchanged\n")
	from = commitAll(t, dir)

	writeFile(t, dir, "a.txt", "aaaa\nbbbb\n")                                          // modified
	writeFile(t, dir, "src/model/train.py", "import x\n\ndef train():\n    return 2\n") // modified, nested
	if err := os.Remove(filepath.Join(dir, "src", "model", "eval.py")); err != nil {    // deleted
		t.Fatal(err)
	}
	writeFile(t, dir, "src/model/deep/layer.py", "class Layer: pass\n") // added, new directory
	writeFile(t, dir, "src.txt", "still not under src/\n")
	writeFile(t, dir, "srcx/y.txt", "changed\n")
	writeFile(t, dir, "data.bin", "head\x00tail2\n") // binary, modified
	to = commitAll(t, dir)
	return dir, from, to
}

// summarize renders changes as "status path" lines, with the contents.
func summarize(cs []FileChange) []string {
	var out []string
	for _, c := range cs {
		s := c.Status + " " + c.Path
		if c.Binary {
			s += " binary"
		}
		if c.Old != nil {
			s += " old=" + string(c.Old)
		}
		if c.New != nil {
			s += " new=" + string(c.New)
		}
		out = append(out, s)
	}
	return out
}

func TestChanges(t *testing.T) {
	dir, from, to := changesRepo(t)
	got, err := Changes(dir, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"modified a.txt old=aaaa\n new=aaaa\nbbbb\n",
		"modified data.bin binary",
		"modified src.txt old=not under src/\n new=still not under src/\n",
		"added src/model/deep/layer.py new=class Layer: pass\n",
		"deleted src/model/eval.py old=def eval():\n    pass\n",
		"modified src/model/train.py old=import x\n\ndef train():\n    return 1\n new=import x\n\ndef train():\n    return 2\n",
		"modified srcx/y.txt old=not under src/ either\n new=changed\n",
	}
	if s := summarize(got); !reflect.DeepEqual(s, want) {
		t.Fatalf("Changes:\n%q\nwant\n%q", s, want)
	}

	// The same paths, statuses and order as git's own tree diff.
	fromGit := strings.Split(runGit(t, dir, "diff", "--no-renames", "--name-status", from, to), "\n")
	var ours []string
	for _, c := range got {
		ours = append(ours, map[string]string{"added": "A", "deleted": "D", "modified": "M"}[c.Status]+"\t"+c.Path)
	}
	if !reflect.DeepEqual(ours, fromGit) {
		t.Errorf("name-status:\n%q\ngit:\n%q", ours, fromGit)
	}

	// Reversed, additions become deletions; a sub-directory finds the
	// repository.
	back, err := Changes(filepath.Join(dir, "src", "model"), to, from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(got) {
		t.Fatalf("reversed: %d changes, want %d", len(back), len(got))
	}
	for i := range back {
		g, b := got[i], back[i]
		wantStatus := map[string]string{"added": "deleted", "deleted": "added", "modified": "modified"}[g.Status]
		if b.Path != g.Path || b.Status != wantStatus || string(b.Old) != string(g.New) || string(b.New) != string(g.Old) {
			t.Errorf("reversed %d: %+v, want the reverse of %+v", i, b, g)
		}
	}

	// Nothing differs between a commit and itself.
	if same, err := Changes(dir, to, to, nil); err != nil || len(same) != 0 {
		t.Errorf("Changes(to, to) = %v, %v", same, err)
	}
}

func TestChangesPathFilter(t *testing.T) {
	dir, from, to := changesRepo(t)
	for _, tc := range []struct {
		paths []string
		want  []string // paths
	}{
		{nil, []string{"a.txt", "data.bin", "src.txt", "src/model/deep/layer.py", "src/model/eval.py", "src/model/train.py", "srcx/y.txt"}},
		{[]string{"."}, []string{"a.txt", "data.bin", "src.txt", "src/model/deep/layer.py", "src/model/eval.py", "src/model/train.py", "srcx/y.txt"}},
		{[]string{"src"}, []string{"src/model/deep/layer.py", "src/model/eval.py", "src/model/train.py"}},
		{[]string{"src/"}, []string{"src/model/deep/layer.py", "src/model/eval.py", "src/model/train.py"}},
		{[]string{"./src/model/deep"}, []string{"src/model/deep/layer.py"}},
		{[]string{"src/model/train.py"}, []string{"src/model/train.py"}},
		{[]string{"a.txt", "srcx"}, []string{"a.txt", "srcx/y.txt"}},
		{[]string{"src/util.py"}, nil},     // unchanged
		{[]string{"no/such/dir"}, nil},     // absent
		{[]string{"src/mod"}, nil},         // a prefix of a name is not a directory
		{[]string{"src/model/train"}, nil}, // nor of a file name
	} {
		got, err := Changes(dir, from, to, tc.paths)
		if err != nil {
			t.Fatalf("%q: %v", tc.paths, err)
		}
		var paths []string
		for _, c := range got {
			paths = append(paths, c.Path)
		}
		if !reflect.DeepEqual(paths, tc.want) {
			t.Errorf("paths %q: got %q, want %q", tc.paths, paths, tc.want)
		}
	}
	for _, bad := range []string{"/src", "..", "../x", "src/../../x"} {
		if _, err := Changes(dir, from, to, []string{bad}); err == nil || !strings.Contains(err.Error(), "not relative to the repository root") {
			t.Errorf("path %q: err = %v", bad, err)
		}
	}
}

func TestChangesBinary(t *testing.T) {
	dir, _ := gitRepo(t)
	big := strings.Repeat("x", binaryPeek) // a NUL past the first 8000 bytes does not count
	writeFile(t, dir, "late-nul.txt", big+"\x00\n")
	writeFile(t, dir, "turns-binary", "text\n")
	from := commitAll(t, dir)
	writeFile(t, dir, "late-nul.txt", big+"\x00\nmore\n")
	writeFile(t, dir, "turns-binary", "\x00\x01\x02")
	writeFile(t, dir, "new.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	writeFile(t, dir, "empty", "")
	to := commitAll(t, dir)

	got, err := Changes(dir, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []FileChange{
		{Path: "empty", Status: "added", New: []byte{}},
		{Path: "late-nul.txt", Status: "modified", Old: []byte(big + "\x00\n"), New: []byte(big + "\x00\nmore\n")},
		{Path: "new.png", Status: "added", Binary: true},
		{Path: "turns-binary", Status: "modified", Binary: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Changes:\n%q\nwant\n%q", summarize(got), summarize(want))
	}
	// Git agrees on which files are binary: numstat prints "-" for them.
	numstat := runGit(t, dir, "diff", "--numstat", from, to)
	for _, line := range strings.Split(numstat, "\n") {
		f := strings.Fields(line)
		binary := f[0] == "-"
		for _, c := range got {
			if c.Path == f[2] && c.Binary != binary {
				t.Errorf("%s: Binary = %v, git numstat says %q", c.Path, c.Binary, line)
			}
		}
	}
}

// TestChangesPacked reads trees and blobs from a pack, with deltas, once
// git gc has removed every loose object.
func TestChangesPacked(t *testing.T) {
	dir, from, _ := changesRepo(t)
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "line %d of a file long enough for git to store as a delta\n", i)
	}
	long := b.String()
	long2 := strings.Replace(long, "line 150 ", "LINE 150 ", 1)
	writeFile(t, dir, "long.txt", long)
	mid := commitAll(t, dir)
	writeFile(t, dir, "long.txt", long2)
	to := commitAll(t, dir)
	loose, err := Changes(dir, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}

	runGit(t, dir, "gc", "-q", "--prune=now")
	dirs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "[0-9a-f][0-9a-f]"))
	for _, d := range dirs {
		if entries, _ := os.ReadDir(d); len(entries) > 0 {
			t.Fatalf("loose objects left in %s after git gc", d)
		}
	}
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(packs) != 1 {
		t.Fatalf("git gc wrote %d packs", len(packs))
	}
	// verify-pack -v lists a deltified object with its depth and base.
	deltas := 0
	for _, line := range strings.Split(runGit(t, dir, "verify-pack", "-v", packs[0]), "\n") {
		if f := strings.Fields(line); len(f) == 7 && plumbing.IsHash(f[0]) {
			deltas++
		}
	}
	if deltas == 0 {
		t.Fatal("the pack holds no delta")
	}

	packed, err := Changes(dir, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(packed, loose) {
		t.Fatalf("packed:\n%q\nloose:\n%q", summarize(packed), summarize(loose))
	}
	got, err := Changes(dir, mid, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []FileChange{{Path: "long.txt", Status: "modified", Old: []byte(long), New: []byte(long2)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("packed long.txt: got %d changes, contents equal: %v", len(got), len(got) == 1 && reflect.DeepEqual(got[0], want[0]))
	}
}

func TestChangesSkipsSubmodules(t *testing.T) {
	dir, from := gitRepo(t)
	// A gitlink entry, as "git submodule add" records it.
	runGit(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+from+",vendor/lib")
	writeFile(t, dir, "a.txt", "changed\n")
	runGit(t, dir, "add", "a.txt")
	runGit(t, dir, "commit", "-q", "-m", "submodule")
	to := runGit(t, dir, "rev-parse", "HEAD")
	got, err := Changes(dir, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := summarize(got); !reflect.DeepEqual(s, []string{"modified a.txt old=aaaa\n new=changed\n"}) {
		t.Fatalf("Changes = %q", s)
	}
}

func TestChangesUnknownCommit(t *testing.T) {
	dir, head := gitRepo(t)
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	missing := "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
	for _, args := range [][2]string{{missing, head}, {head, missing}} {
		_, err := Changes(root, args[0], args[1], nil)
		want := "commit 1a2b3c4 is not in the git repository at " + root + " (fetch it?)"
		if err == nil || err.Error() != want {
			t.Errorf("Changes(%s, %s): err = %v, want %q", args[0][:7], args[1][:7], err, want)
		}
	}

	// A blob is not a commit.
	blob := runGit(t, dir, "rev-parse", "HEAD:a.txt")
	if _, err := Changes(dir, blob, head, nil); err == nil || !strings.Contains(err.Error(), "is a blob, not a commit") {
		t.Errorf("blob as commit: err = %v", err)
	}
	// Abbreviated hashes are refused rather than resolved.
	if _, err := Changes(dir, head[:7], head, nil); err == nil || !strings.Contains(err.Error(), "not a full hex SHA-1") {
		t.Errorf("short hash: err = %v", err)
	}
	// Outside a repository.
	if _, err := Changes(t.TempDir(), head, head, nil); err == nil || !strings.Contains(err.Error(), ErrNotRepository.Error()) {
		t.Errorf("outside a repository: err = %v", err)
	}
}
