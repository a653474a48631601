package fs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/modeldb/modeldb/storage"
)

// Store is a repository store in a directory.
type Store struct {
	*objectStore
	*refStore
	root string
}

var _ storage.Store = (*Store)(nil)

// ErrNotStore is returned by Open for a directory that is not a store.
var ErrNotStore = errors.New("not a modeldb store")

// Create makes the directory layout of a new store in root (which may
// exist but must not already hold a store) and opens it.
func Create(root string) (*Store, error) {
	if _, err := os.Stat(filepath.Join(root, "objects")); err == nil {
		return nil, fmt.Errorf("create store %s: already exists", root)
	}
	for _, d := range []string{"objects", "tmp", "refs/heads", "refs/tags", "refs/runs", "logs"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return nil, fmt.Errorf("create store %s: %w", root, err)
		}
	}
	return Open(root)
}

// Options change how a store is opened.
type Options struct {
	// NotDurable skips every fsync. Only for bulk generators of throw-away
	// repositories (benchmarks); a crash can then lose or tear writes.
	NotDurable bool
}

// Open opens the store in root.
func Open(root string) (*Store, error) { return OpenWith(root, Options{}) }

// OpenWith opens the store in root with options.
func OpenWith(root string, opts Options) (*Store, error) {
	for _, d := range []string{"objects", "refs"} {
		if st, err := os.Stat(filepath.Join(root, d)); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("%s: %w (missing %s/)", root, ErrNotStore, d)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o755); err != nil {
		return nil, err
	}
	objs, err := newObjectStore(root, !opts.NotDurable)
	if err != nil {
		return nil, err
	}
	return &Store{objectStore: objs, refStore: &refStore{root: root, durable: !opts.NotDurable}, root: root}, nil
}

// Root returns the store's directory.
func (s *Store) Root() string { return s.root }

// Close releases the store's compressors.
func (s *Store) Close() error {
	s.closeCodecs()
	s.closeFans()
	return nil
}
