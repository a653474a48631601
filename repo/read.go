package repo

import (
	"fmt"

	"github.com/modeldb/modeldb/objects"
)

// ReadCommit reads and decodes commit id.
func (r *Repo) ReadCommit(id objects.ID) (*objects.Commit, error) {
	data, err := r.Store.Get(id)
	if err != nil {
		return nil, err
	}
	c, err := objects.DecodeCommit(data)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", id.Short(), err)
	}
	return c, nil
}

// ReadRun reads and decodes run id.
func (r *Repo) ReadRun(id objects.ID) (*objects.Run, error) {
	data, err := r.Store.Get(id)
	if err != nil {
		return nil, err
	}
	run, err := objects.DecodeRun(data)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", id.Short(), err)
	}
	return run, nil
}

// ReadCommitRun reads a commit and its run.
func (r *Repo) ReadCommitRun(id objects.ID) (*objects.Commit, *objects.Run, error) {
	c, err := r.ReadCommit(id)
	if err != nil {
		return nil, nil, err
	}
	run, err := r.ReadRun(c.Run)
	if err != nil {
		return nil, nil, err
	}
	return c, run, nil
}
