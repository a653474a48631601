package repo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/modeldb/modeldb/config"
	"github.com/modeldb/modeldb/refs"
	fsstore "github.com/modeldb/modeldb/storage/fs"
)

// DirName is the name of the repository directory.
const DirName = ".modeldb"

// ErrNotRepository is returned by Open when no repository is found.
var ErrNotRepository = errors.New("not a modeldb repository (or any parent up to /): run 'modeldb init' first")

// ErrExists is returned by Init when a repository already exists.
var ErrExists = errors.New("a modeldb repository already exists here")

// Repo is an open repository.
type Repo struct {
	// WorkDir is the directory that contains .modeldb.
	WorkDir string
	// Dir is the .modeldb directory.
	Dir    string
	Store  *fsstore.Store
	Config *config.Config
}

// Init creates a repository in dir/.modeldb with HEAD on branch main.
func Init(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	mdb := filepath.Join(abs, DirName)
	if _, err := os.Stat(mdb); err == nil {
		return nil, fmt.Errorf("%s: %w", mdb, ErrExists)
	}
	// Build the layout in a temporary directory and rename it into place, so a
	// crash never leaves a half-made repository under .modeldb.
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(abs, ".modeldb-init-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := config.Save(filepath.Join(tmp, "config.toml"), &config.Config{Core: config.Core{Format: config.FormatVersion}}); err != nil {
		return nil, err
	}
	st, err := fsstore.Create(tmp)
	if err != nil {
		return nil, err
	}
	err = st.Update("init", refs.Update{Name: refs.HEAD, Target: refs.Branch("main")})
	st.Close()
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, mdb); err != nil {
		if _, serr := os.Stat(mdb); serr == nil {
			return nil, fmt.Errorf("%s: %w", mdb, ErrExists)
		}
		return nil, err
	}
	return OpenDir(mdb)
}

// Open finds the repository containing start (walking up through parent
// directories, like git) and opens it. The environment variable
// MODELDB_DIR, when set, names the .modeldb directory directly.
func Open(start string) (*Repo, error) {
	if d := os.Getenv("MODELDB_DIR"); d != "" {
		if st, err := os.Stat(filepath.Join(d, DirName)); err == nil && st.IsDir() {
			d = filepath.Join(d, DirName) // the work directory was named
		}
		if _, err := os.Stat(filepath.Join(d, "config.toml")); err != nil {
			return nil, fmt.Errorf("MODELDB_DIR=%s is not a modeldb repository (.modeldb) directory", d)
		}
		return OpenDir(d)
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return nil, err
	}
	for {
		p := filepath.Join(dir, DirName)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return OpenDir(p)
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, ErrNotRepository
		}
		dir = parent
	}
}

// OpenDir opens the repository whose .modeldb directory is mdb.
func OpenDir(mdb string) (*Repo, error) { return OpenDirWith(mdb, fsstore.Options{}) }

// OpenDirWith opens the repository whose .modeldb directory is mdb with
// store options (fsstore.Options{NotDurable: true} for bulk generators of
// throw-away repositories).
func OpenDirWith(mdb string, opts fsstore.Options) (*Repo, error) {
	abs, err := filepath.Abs(mdb)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(filepath.Join(abs, "config.toml"))
	if err != nil {
		return nil, err
	}
	st, err := fsstore.OpenWith(abs, opts)
	if err != nil {
		return nil, err
	}
	return &Repo{WorkDir: filepath.Dir(abs), Dir: abs, Store: st, Config: cfg}, nil
}

// Close releases the repository.
func (r *Repo) Close() error { return r.Store.Close() }

// Project reads the project settings (modeldb.toml beside .modeldb); a
// missing file gives empty settings.
func (r *Repo) Project() (*config.Project, error) {
	return config.LoadProject(filepath.Join(r.WorkDir, config.ProjectFile))
}
