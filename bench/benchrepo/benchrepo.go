package benchrepo

import (
	"github.com/modeldb/modeldb/repo"
	fsstore "github.com/modeldb/modeldb/storage/fs"
)

// Create initialises a repository in dir and reopens it with fsync
// skipped: fast to fill, and fine to lose, as generated data is.
func Create(dir string) (*repo.Repo, error) {
	r, err := repo.Init(dir)
	if err != nil {
		return nil, err
	}
	mdb := r.Dir
	if err := r.Close(); err != nil {
		return nil, err
	}
	return repo.OpenDirWith(mdb, fsstore.Options{NotDurable: true})
}
