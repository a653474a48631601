package index

import (
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// fakeRepo is an in-memory repository: commits, runs, references and HEAD,
// changed directly by the tests as modeldb commands would change them.
type fakeRepo struct {
	commits  map[objects.ID]*objects.Commit
	runs     map[objects.ID]*objects.Run
	refs     map[refs.Name]objects.ID // branches, tags, remotes
	head     refs.Name                // HEAD's branch, or "" when detached
	detached objects.ID
	clock    int
	reads    atomic.Int64 // runs read, to see that an up-to-date index reads nothing
}

func newFakeRepo() *fakeRepo {
	return &fakeRepo{commits: map[objects.ID]*objects.Commit{}, runs: map[objects.ID]*objects.Run{},
		refs: map[refs.Name]objects.ID{}, head: refs.Branch("main")}
}

// commit records run on branch (created if missing) and moves HEAD along
// when it is on that branch.
func (f *fakeRepo) commit(branch string, run *objects.Run) objects.ID {
	tip := f.refs[refs.Branch(branch)]
	id := f.commitOn(tip, run)
	f.refs[refs.Branch(branch)] = id
	return id
}

// commitOn records run on top of parent (zero: a root commit) without
// moving any reference.
func (f *fakeRepo) commitOn(parent objects.ID, run *objects.Run, more ...objects.ID) objects.ID {
	_, runID, err := objects.Encode(run)
	if err != nil {
		panic(err)
	}
	f.clock++
	c := &objects.Commit{Run: runID, Name: run.Name, Author: "Test <t@example.com>", Message: "commit " + run.Name,
		Time: time.Date(2025, 1, 1, 0, 0, f.clock, 0, time.UTC).Format(objects.TimeFormat)}
	if !parent.IsZero() {
		c.Parents = append([]objects.ID{parent}, more...)
	}
	_, id, err := objects.Encode(c)
	if err != nil {
		panic(err)
	}
	f.commits[id], f.runs[runID] = c, run
	return id
}

func (f *fakeRepo) Refs() ([]refs.Ref, error) {
	var out []refs.Ref
	for name, id := range f.refs {
		out = append(out, refs.Ref{Name: name, ID: id})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	switch {
	case f.head != "" && !f.refs[f.head].IsZero():
		out = append(out, refs.Ref{Name: refs.HEAD, ID: f.refs[f.head], Target: f.head})
	case f.head == "" && !f.detached.IsZero():
		out = append(out, refs.Ref{Name: refs.HEAD, ID: f.detached})
	}
	return out, nil
}

func (f *fakeRepo) ReadCommit(id objects.ID) (*objects.Commit, error) {
	if c, ok := f.commits[id]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("object %s not found", id.Short())
}

func (f *fakeRepo) ReadRun(id objects.ID) (*objects.Run, error) {
	if r, ok := f.runs[id]; ok {
		f.reads.Add(1)
		return r, nil
	}
	return nil, fmt.Errorf("object %s not found", id.Short())
}

// simpleRun is a small run named name with one param and one metric.
func simpleRun(name string, acc float64) *objects.Run {
	return &objects.Run{
		Name:    name,
		Params:  map[string]any{"C": acc * 10},
		Metrics: []objects.Metric{{Name: "accuracy", Value: acc}, {Name: "accuracy", Value: acc - 0.1, Slice: "country=US"}},
	}
}
