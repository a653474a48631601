package gitsrc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// worktree compares index entries with the files of a work tree, like
// "git diff-files" after an index refresh. The index is never written.
type worktree struct {
	root     string
	indexMod time.Time       // modification time of the index file
	fileMode bool            // core.filemode: compare the executable bit
	symlinks bool            // core.symlinks: false if links are plain files
	realDirs map[string]bool // slash path → is a directory, not a symlink
}

func newWorktree(root string, idx *index.Index, cfg *config.Config) *worktree {
	return &worktree{
		root:     root,
		indexMod: idx.ModTime,
		fileMode: configBool(cfg, "core", "filemode", true),
		symlinks: configBool(cfg, "core", "symlinks", true),
		realDirs: map[string]bool{".": true},
	}
}

// changed reports whether the work tree file of index entry e differs from
// it. Entries git does not expect in the work tree (skip-worktree, as in a
// sparse checkout) or that carry no content yet (intent-to-add, already a
// difference from HEAD) are not compared.
func (w *worktree) changed(e *index.Entry) (bool, error) {
	if e.SkipWorktree || e.IntentToAdd {
		return false, nil
	}
	// A path below a symlink or a file is gone, as in git.
	inDir, err := w.realDir(path.Dir(e.Name))
	if err != nil || !inDir {
		return !inDir, err
	}
	name := filepath.Join(w.root, filepath.FromSlash(e.Name))
	if e.Mode == filemode.Submodule {
		return submoduleChanged(name, e.Hash)
	}
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("work tree: %w", err)
	}

	isLink := fi.Mode()&fs.ModeSymlink != 0
	wantLink := e.Mode == filemode.Symlink
	linkAsFile := wantLink && !w.symlinks && fi.Mode().IsRegular()
	switch {
	case isLink != wantLink && !linkAsFile:
		return true, nil // type changed
	case !isLink && !fi.Mode().IsRegular():
		return true, nil // a directory, fifo, device... where a file was
	case !wantLink && w.fileMode && (fi.Mode()&0o100 != 0) != (e.Mode == filemode.Executable):
		return true, nil // executable bit changed
	case w.statMatches(e, fi):
		return false, nil
	}

	var h plumbing.Hash
	if isLink {
		h, err = hashSymlink(name)
	} else {
		h, err = hashFile(name, fi.Size())
	}
	if err != nil {
		return false, fmt.Errorf("work tree: %w", err)
	}
	return h != e.Hash, nil
}

// statMatches reports whether fi has the size and modification time
// recorded in e, which then proves the content unchanged. A file modified
// no earlier than the index was written may have changed in the same clock
// tick after being indexed ("racy git"), so it does not match.
func (w *worktree) statMatches(e *index.Entry, fi fs.FileInfo) bool {
	mtime := fi.ModTime()
	return uint32(fi.Size()) == e.Size && mtime.Equal(e.ModifiedAt) &&
		!w.indexMod.IsZero() && mtime.Before(w.indexMod)
}

// realDir reports whether the slash-separated directory dir of the work
// tree, and every directory above it, is a real directory and not a
// symlink. Results are remembered.
func (w *worktree) realDir(dir string) (bool, error) {
	if ok, known := w.realDirs[dir]; known {
		return ok, nil
	}
	ok, err := w.realDir(path.Dir(dir))
	if err != nil || !ok {
		return false, err
	}
	fi, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(dir)))
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		ok = false
	case err != nil:
		return false, fmt.Errorf("work tree: %w", err)
	default:
		ok = fi.IsDir()
	}
	w.realDirs[dir] = ok
	return ok, nil
}

// hashFile returns the git blob hash of the file name, which had size
// bytes when it was examined, reading it in a stream. A file that no longer
// has size bytes gets the zero hash, which matches no blob.
func hashFile(name string, size int64) (plumbing.Hash, error) {
	f, err := os.Open(name)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer f.Close()
	h := plumbing.NewHasher(plumbing.BlobObject, size)
	n, err := io.Copy(h, io.LimitReader(f, size+1))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	if n != size {
		return plumbing.ZeroHash, nil
	}
	return h.Sum(), nil
}

// hashSymlink returns the git blob hash of the target of the symlink name.
func hashSymlink(name string) (plumbing.Hash, error) {
	target, err := os.Readlink(name)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.ComputeHash(plumbing.BlobObject, []byte(filepath.ToSlash(target))), nil
}

// submoduleChanged reports whether the submodule checked out at dir is at
// another commit than want. A submodule that is not checked out (an empty
// directory) is unchanged, as in git; one whose directory is gone is
// changed. Changes inside the submodule are not looked at.
func submoduleChanged(dir string, want plumbing.Hash) (bool, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("submodule: %w", err)
	}
	if !fi.IsDir() {
		return true, nil
	}
	dotGit, err := os.Stat(filepath.Join(dir, ".git"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("submodule: %w", err)
	}
	gitDir, err := dotGitPath(dir, dotGit)
	if err != nil {
		return false, fmt.Errorf("submodule: %w", err)
	}
	s, err := openStorage(gitDir)
	if errors.Is(err, ErrNotRepository) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("submodule %s: %w", dir, err)
	}
	ref, err := storer.ResolveReference(s, plumbing.HEAD)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("submodule %s: resolve HEAD: %w", dir, err)
	}
	return ref.Hash() != want, nil
}
