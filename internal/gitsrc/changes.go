package gitsrc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// FileChange is one file that differs between two commits.
type FileChange struct {
	Path     string // path in the new commit (or the old one for deletions), slash-separated
	Status   string // "added", "deleted", "modified"
	Old, New []byte // contents (nil for the absent side); not loaded when Binary
	Binary   bool   // either side looks binary (NUL byte in the first 8000 bytes), like git
}

// Statuses of a FileChange.
const (
	fileAdded    = "added"
	fileDeleted  = "deleted"
	fileModified = "modified"
)

// Git's rules for calling a blob binary: a NUL byte among the first
// binaryPeek bytes (buffer_is_binary), or a size above core.bigFileThreshold
// (512 MiB by default), which git does not diff either.
const (
	binaryPeek       = 8000
	bigFileThreshold = 512 << 20
)

// Changes lists the files that differ between commits from and to (full
// hex SHA-1s) of the git repository containing dir, sorted by path, limited
// to paths under any of the given path prefixes (directory or file,
// slash-separated, relative to the repository root; empty = all). It reads
// trees and blobs through go-git's storage (loose and packed objects), never
// the git binary. An unknown commit gives an error naming it (e.g. "commit
// 1a2b3c4 is not in the git repository at DIR (fetch it?)").
//
// A file is compared by blob hash alone: a change of mode only (chmod +x)
// is not listed. Renames are not detected: a moved file is a deletion and
// an addition, as with git diff --no-renames. Submodules (gitlinks) are
// skipped. A symbolic link is listed like a file whose content is its
// target, as git diff shows it. A blob larger than 512 MiB is reported as
// Binary without being read, as git's core.bigFileThreshold does.
func Changes(dir, from, to string, paths []string) ([]FileChange, error) {
	prefixes, err := cleanPrefixes(paths)
	if err != nil {
		return nil, err
	}
	repo, err := open(dir)
	if err != nil {
		return nil, fmt.Errorf("changes in %s: %w", dir, err)
	}
	s := repo.storage
	fromTree, err := resolveTree(s, from, repo.root)
	if err != nil {
		return nil, err
	}
	toTree, err := resolveTree(s, to, repo.root)
	if err != nil {
		return nil, err
	}
	if fromTree == toTree {
		return nil, nil
	}
	oldFiles, newFiles := map[string]treeFile{}, map[string]treeFile{}
	if err := flattenTree(s, fromTree, "", oldFiles); err != nil {
		return nil, err
	}
	if err := flattenTree(s, toTree, "", newFiles); err != nil {
		return nil, err
	}

	dropSubmodules(oldFiles)
	dropSubmodules(newFiles)

	var changed []string
	for p, o := range oldFiles {
		if n, ok := newFiles[p]; !ok || n.hash != o.hash {
			changed = append(changed, p)
		}
	}
	for p := range newFiles {
		if _, ok := oldFiles[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)

	var out []FileChange
	for _, p := range changed {
		if !underAny(p, prefixes) {
			continue
		}
		o, inOld := oldFiles[p]
		n, inNew := newFiles[p]
		c := FileChange{Path: p, Status: fileModified}
		switch {
		case !inOld:
			c.Status = fileAdded
		case !inNew:
			c.Status = fileDeleted
		}
		if inOld {
			if c.Old, c.Binary, err = readBlob(s, o.hash); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
		}
		if inNew && !c.Binary {
			if c.New, c.Binary, err = readBlob(s, n.hash); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
		}
		if c.Binary {
			c.Old, c.New = nil, nil
		}
		out = append(out, c)
	}
	return out, nil
}

// resolveTree returns the root tree of commit hex in s, whose work tree is
// at root (for messages).
func resolveTree(s storer.EncodedObjectStorer, hex, root string) (plumbing.Hash, error) {
	if !plumbing.IsHash(hex) {
		return plumbing.ZeroHash, fmt.Errorf("commit %q is not a full hex SHA-1", hex)
	}
	h := plumbing.NewHash(hex)
	tree, err := commitTree(s, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		short := h.String()[:7]
		if obj, err := s.EncodedObject(plumbing.AnyObject, h); err == nil {
			return plumbing.ZeroHash, fmt.Errorf("%s is a %s, not a commit", short, obj.Type())
		}
		return plumbing.ZeroHash, fmt.Errorf("commit %s is not in the git repository at %s (fetch it?)", short, root)
	}
	return tree, err
}

// dropSubmodules removes the gitlinks (submodule commits) from files.
func dropSubmodules(files map[string]treeFile) {
	for p, f := range files {
		if f.mode == filemode.Submodule {
			delete(files, p)
		}
	}
}

// readBlob returns the content of blob h, or binary true (and no content)
// when git would call it binary.
func readBlob(s storer.EncodedObjectStorer, h plumbing.Hash) (data []byte, binary bool, err error) {
	obj, err := s.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", h, err)
	}
	size := obj.Size()
	if size > bigFileThreshold {
		return nil, true, nil
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	data = make([]byte, size)
	peek := min(size, binaryPeek)
	if _, err := io.ReadFull(r, data[:peek]); err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", h, err)
	}
	if bytes.IndexByte(data[:peek], 0) >= 0 {
		return nil, true, nil
	}
	if _, err := io.ReadFull(r, data[peek:]); err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", h, err)
	}
	return data, false, nil
}

// cleanPrefixes turns path filters into clean slash-separated paths relative
// to the repository root; nil means every path ("" and "." are the whole
// repository). Absolute paths and paths above the root are refused.
func cleanPrefixes(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		c := path.Clean(p)
		if path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
			return nil, fmt.Errorf("path %q is not relative to the repository root", p)
		}
		if c == "." {
			return nil, nil // the whole repository
		}
		out = append(out, c)
	}
	return out, nil
}

// underAny reports whether p is one of prefixes or lies below one of them;
// true when there are none.
func underAny(p string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, pre := range prefixes {
		if p == pre || strings.HasPrefix(p, pre) && p[len(pre)] == '/' {
			return true
		}
	}
	return false
}
