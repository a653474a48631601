package repo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/modeldb/modeldb/dataset"
	"github.com/modeldb/modeldb/files"
	"github.com/modeldb/modeldb/internal/gitsrc"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// BuildOptions say where a run file's relative paths and git provenance
// are taken from.
type BuildOptions struct {
	// BaseDir resolves relative dataset and artifact paths.
	BaseDir string
	// SourceDir is where git provenance is captured when the spec has none.
	SourceDir string
	// NoSource skips capturing git provenance.
	NoSource bool
}

// BuildRun turns a run spec into a run object, storing its artifacts (and
// datasets marked for storing) as chunked files and fingerprinting its
// datasets. Files are streamed: memory use does not grow with their size.
func (r *Repo) BuildRun(spec *runfile.Spec, opts BuildOptions) (*objects.Run, error) {
	run := &objects.Run{
		Name: spec.Name, Pipeline: spec.Pipeline, Params: spec.Params, Metrics: spec.Metrics,
		Source: spec.Source, Environment: spec.Environment, Command: spec.Command,
		ExitStatus: spec.ExitStatus, Started: spec.Started, Finished: spec.Finished,
		Tags: spec.Tags, Author: spec.Author,
	}
	for _, d := range spec.Datasets {
		ds, err := r.addDataset(d, opts.BaseDir)
		if err != nil {
			return nil, err
		}
		run.Datasets = append(run.Datasets, ds)
	}
	for _, a := range spec.Artifacts {
		art, err := r.AddArtifact(resolvePath(opts.BaseDir, a.Path), artifactName(a))
		if err != nil {
			return nil, err
		}
		run.Artifacts = append(run.Artifacts, art)
	}
	if run.Source == nil && !opts.NoSource {
		info, err := gitsrc.Describe(opts.SourceDir)
		if err != nil && !errors.Is(err, gitsrc.ErrNotRepository) {
			return nil, fmt.Errorf("capture git provenance: %w", err)
		}
		if err == nil {
			run.Source = &objects.Source{Commit: info.Commit, Branch: info.Branch, Dirty: info.Dirty, Remote: info.Remote}
		}
	}
	if run.Environment == nil {
		run.Environment = map[string]string{}
	}
	for k, v := range map[string]string{"os": runtime.GOOS, "arch": runtime.GOARCH} {
		if _, ok := run.Environment[k]; !ok {
			run.Environment[k] = v
		}
	}
	return run, nil
}

func artifactName(a runfile.Artifact) string {
	if a.Name != "" {
		return a.Name
	}
	return filepath.ToSlash(filepath.Clean(a.Path))
}

func resolvePath(base, p string) string {
	if filepath.IsAbs(p) || base == "" {
		return p
	}
	return filepath.Join(base, p)
}

// AddArtifact stores the file at path and returns the artifact entry that
// names it name.
func (r *Repo) AddArtifact(path, name string) (objects.Artifact, error) {
	f, err := os.Open(path)
	if err != nil {
		return objects.Artifact{}, fmt.Errorf("artifact: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return objects.Artifact{}, fmt.Errorf("artifact %s is a directory: name its files one by one", path)
	}
	id, m, err := files.Store(r.Store, f)
	if err != nil {
		return objects.Artifact{}, fmt.Errorf("store artifact %s: %w", path, err)
	}
	return objects.Artifact{Path: name, File: id, Size: m.Size, SHA256: m.SHA256}, nil
}

func (r *Repo) addDataset(d runfile.Dataset, base string) (objects.Dataset, error) {
	ds := objects.Dataset{Role: d.Role, Path: d.Path, SHA256: d.SHA256, Size: d.Size, Rows: d.Rows, Columns: d.Columns}
	if d.Path == "" {
		return ds, nil
	}
	path := resolvePath(base, d.Path)
	prof, data, err := r.profileDataset(path, d.Store)
	if err != nil {
		return ds, fmt.Errorf("dataset %s: %w", d.Role, err)
	}
	if d.SHA256 != "" && d.SHA256 != prof.SHA256 {
		return ds, fmt.Errorf("dataset %s: %s has sha256 %s, the run file says %s", d.Role, d.Path, prof.SHA256, d.SHA256)
	}
	ds.Path = filepath.ToSlash(d.Path)
	ds.SHA256, ds.Size, ds.Data = prof.SHA256, prof.Size, data
	if prof.Rows >= 0 {
		rows := prof.Rows
		ds.Rows = &rows
		ds.Columns = nil
		for _, c := range prof.Columns {
			ds.Columns = append(ds.Columns, objects.Column{Name: c.Name, Type: c.Type})
		}
	}
	return ds, nil
}

// profileDataset fingerprints the file at path and, when store is set,
// stores its bytes in the same pass: the profiler feeds a pipe that the
// chunker reads on another goroutine.
func (r *Repo) profileDataset(path string, store bool) (dataset.Profile, *objects.ID, error) {
	if !store {
		p, err := dataset.ProfileFile(path, nil)
		return p, nil, err
	}
	pr, pw := io.Pipe()
	type stored struct {
		id  objects.ID
		err error
	}
	done := make(chan stored, 1)
	go func() {
		id, _, err := files.Store(r.Store, pr)
		pr.CloseWithError(err)
		done <- stored{id, err}
	}()
	p, err := dataset.ProfileFile(path, pw)
	pw.CloseWithError(err)
	s := <-done
	if err != nil {
		return p, nil, err
	}
	if s.err != nil {
		return p, nil, s.err
	}
	return p, &s.id, nil
}
