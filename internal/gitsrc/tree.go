package gitsrc

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// treeFile is a non-directory entry of a tree: a blob, symlink or gitlink.
type treeFile struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

// commitTree returns the hash of the root tree of commit h.
func commitTree(s storer.EncodedObjectStorer, h plumbing.Hash) (plumbing.Hash, error) {
	data, err := readObject(s, plumbing.CommitObject, h)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	// A commit starts with "tree <hex>\n".
	line, _, _ := bytes.Cut(data, []byte("\n"))
	hex, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !plumbing.IsHash(string(hex)) {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: malformed tree line", h)
	}
	return plumbing.NewHash(string(hex)), nil
}

// flattenTree adds to files every non-directory entry of tree h and its
// subtrees, keyed by slash-separated path prefixed with prefix.
func flattenTree(s storer.EncodedObjectStorer, h plumbing.Hash, prefix string, files map[string]treeFile) error {
	data, err := readObject(s, plumbing.TreeObject, h)
	if err != nil {
		return err
	}
	// Each entry is "<octal mode> <name>\x00<binary hash>".
	const hashLen = len(plumbing.ZeroHash)
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+1+hashLen {
			return fmt.Errorf("tree %s: malformed entry", h)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return fmt.Errorf("tree %s: malformed mode: %w", h, err)
		}
		path := prefix + string(data[sp+1:nul])
		var hash plumbing.Hash
		copy(hash[:], data[nul+1:])
		data = data[nul+1+hashLen:]

		if filemode.FileMode(mode) == filemode.Dir {
			if err := flattenTree(s, hash, path+"/", files); err != nil {
				return err
			}
			continue
		}
		files[path] = treeFile{mode: canonMode(filemode.FileMode(mode)), hash: hash}
	}
	return nil
}

// canonMode maps the legacy regular-file modes some old trees hold (such as
// 100664) to 100644 or 100755 by their owner execute bit, as git does.
func canonMode(m filemode.FileMode) filemode.FileMode {
	const typeMask, regular, ownerExec = 0o170000, 0o100000, 0o100
	if m&typeMask != regular {
		return m
	}
	if m&ownerExec != 0 {
		return filemode.Executable
	}
	return filemode.Regular
}

// readObject returns the content of object h, which must be of type t.
func readObject(s storer.EncodedObjectStorer, t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	obj, err := s.EncodedObject(t, h)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	return data, nil
}
