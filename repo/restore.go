package repo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/modeldb/modeldb/files"
	"github.com/modeldb/modeldb/objects"
)

// ErrNoSuchFile is returned when a run has no artifact or stored dataset
// with the requested path.
var ErrNoSuchFile = errors.New("no such artifact or stored dataset")

// StoredFile is a file recorded in a run that can be restored.
type StoredFile struct {
	Path   string
	File   objects.ID
	Size   int64
	SHA256 string
	Kind   string // "artifact" or "dataset"
}

// StoredFiles lists the files of a run that can be restored: its artifacts
// and the datasets whose bytes were stored.
func StoredFiles(run *objects.Run) []StoredFile {
	var out []StoredFile
	for _, a := range run.Artifacts {
		out = append(out, StoredFile{a.Path, a.File, a.Size, a.SHA256, "artifact"})
	}
	for _, d := range run.Datasets {
		if d.Data != nil {
			out = append(out, StoredFile{d.Path, *d.Data, d.Size, d.SHA256, "dataset"})
		}
	}
	return out
}

// FindFile finds the stored file at path in run.
func FindFile(run *objects.Run, path string) (StoredFile, error) {
	all := StoredFiles(run)
	for _, f := range all {
		if f.Path == path {
			return f, nil
		}
	}
	var names []string
	for _, f := range all {
		names = append(names, f.Path)
	}
	if len(names) == 0 {
		return StoredFile{}, fmt.Errorf("%w: %q (run %s stored no files)", ErrNoSuchFile, path, run.Name)
	}
	return StoredFile{}, fmt.Errorf("%w: %q in run %s (it has: %s)", ErrNoSuchFile, path, run.Name, strings.Join(names, ", "))
}

// RestoreTo writes the content of a stored file to w, verified.
func (r *Repo) RestoreTo(f StoredFile, w io.Writer) error {
	return files.Restore(r.Store, f.File, w)
}

// RestoreFile writes the content of a stored file to path atomically and
// verified: on any error, path is left as it was.
func (r *Repo) RestoreFile(f StoredFile, path string) error {
	return files.RestoreFile(r.Store, f.File, path, 0o644)
}

// ErrTargetExists is returned when a restore would overwrite a file.
var ErrTargetExists = errors.New("file exists")

// CheckTarget refuses to overwrite an existing path unless force is set.
// Only regular files are ever replaced; the directory must exist.
func CheckTarget(path string, force bool) error {
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("cannot restore to %s: directory %s does not exist", path, filepath.Dir(path))
	}
	st, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil
	case st.IsDir():
		return fmt.Errorf("cannot restore to %s: it is a directory", path)
	case !st.Mode().IsRegular():
		return fmt.Errorf("cannot restore to %s: it is not a regular file (use -o - to write to standard output)", path)
	case !force:
		return fmt.Errorf("%s: %w (use --force to overwrite, or -o to choose another path)", path, ErrTargetExists)
	}
	return nil
}
