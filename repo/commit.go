package repo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// ErrNameTaken is returned when a run name is already used by another run.
var ErrNameTaken = errors.New("run name already exists")

// maxCommitAttempts bounds the compare-and-swap retries of one commit.
const maxCommitAttempts = 1000

// CommitOptions are the commit-level facts of a commit.
type CommitOptions struct {
	Message string
	Author  string    // default: the configured identity
	Time    time.Time // default: now
	// Branch, when set, is the branch to commit on (created by the first
	// commit if it does not exist) instead of HEAD's. Importers use it to
	// put each imported experiment on its own branch.
	Branch string
}

// CommitResult describes a commit that was made.
type CommitResult struct {
	Commit objects.ID
	Run    objects.ID
	Name   string
	Branch refs.Name // "" when HEAD was detached
	Parent objects.ID
}

// Commit stores run and places it on top of HEAD's branch (or the detached
// HEAD). When run.Name is empty a unique name is generated. Concurrent
// commits to the same branch never lose each other: the branch moves by
// compare-and-swap and a commit that lost the race is rebuilt on the new
// tip and tried again.
func (r *Repo) Commit(run *objects.Run, opts CommitOptions) (*CommitResult, error) {
	generated := run.Name == ""
	if opts.Branch != "" {
		if err := refs.ValidateNew(opts.Branch); err != nil {
			return nil, fmt.Errorf("branch name: %w", err)
		}
	}
	if !generated {
		if err := refs.ValidateShort(run.Name); err != nil {
			return nil, fmt.Errorf("run name: %w", err)
		}
		if err := r.checkNameFree(run.Name, refs.Run(run.Name)); err != nil {
			return nil, err
		}
	}
	if opts.Author == "" {
		opts.Author = r.Author()
	}
	if run.Author == "" {
		run.Author = opts.Author
	}
	if opts.Time.IsZero() {
		opts.Time = time.Now()
	}
	for attempt := 0; attempt < maxCommitAttempts; attempt++ {
		if generated {
			run.Name = generateName()
		}
		res, err := r.tryCommit(run, opts)
		var ce *refs.ConflictError
		if !errors.As(err, &ce) {
			return res, err
		}
		if ce.Name == refs.Run(run.Name) && !generated {
			return nil, fmt.Errorf("%w: %q names commit %s; choose another --name", ErrNameTaken, run.Name, ce.Actual.Short())
		}
		// Someone else moved the branch (or took the generated name): retry.
		time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
	}
	return nil, fmt.Errorf("commit: gave up after %d attempts: the branch keeps moving", maxCommitAttempts)
}

func (r *Repo) tryCommit(run *objects.Run, opts CommitOptions) (*CommitResult, error) {
	if r.nameTaken(run.Name) || r.checkNameFree(run.Name, refs.Run(run.Name)) != nil {
		return nil, &refs.ConflictError{Name: refs.Run(run.Name), Actual: r.runRefID(run.Name)}
	}
	runData, runID, err := objects.Encode(run)
	if err != nil {
		return nil, fmt.Errorf("encode run: %w", err)
	}
	if _, err := r.Store.Put(runData); err != nil {
		return nil, err
	}
	branch, tip, err := r.commitTarget(opts.Branch)
	if err != nil {
		return nil, err
	}
	c := &objects.Commit{
		Run: runID, Name: run.Name, Author: opts.Author, Message: opts.Message,
		Time:    opts.Time.UTC().Format(objects.TimeFormat),
		Metrics: run.KeyMetrics(objects.CommitMetrics),
	}
	if !tip.IsZero() {
		c.Parents = []objects.ID{tip}
	}
	commitData, commitID, err := objects.Encode(c)
	if err != nil {
		return nil, fmt.Errorf("encode commit: %w", err)
	}
	if _, err := r.Store.Put(commitData); err != nil {
		return nil, err
	}
	// Every object must be durable before a reference makes it reachable.
	if err := r.Store.Sync(); err != nil {
		return nil, err
	}
	target := branch
	if target == "" {
		target = refs.HEAD
	}
	msg := "commit: " + firstLine(opts.Message)
	if tip.IsZero() {
		msg = "commit (initial): " + firstLine(opts.Message)
	}
	err = r.Store.Update(opts.Author,
		refs.Update{Name: refs.Run(run.Name), Old: refs.Expect(objects.ID{}), New: commitID, Message: msg},
		refs.Update{Name: target, Old: refs.Expect(tip), New: commitID, Message: msg},
	)
	if err != nil {
		return nil, err
	}
	return &CommitResult{Commit: commitID, Run: runID, Name: run.Name, Branch: branch, Parent: tip}, nil
}

// commitTarget returns the branch a commit goes on and its current tip:
// the named branch, or HEAD's.
func (r *Repo) commitTarget(branch string) (refs.Name, objects.ID, error) {
	if branch == "" {
		return r.Head()
	}
	name := refs.Branch(branch)
	ref, err := r.Store.Ref(name)
	if errors.Is(err, refs.ErrNotFound) {
		return name, objects.ID{}, nil
	}
	return name, ref.ID, err
}

func (r *Repo) nameTaken(name string) bool {
	_, err := r.Store.Ref(refs.Run(name))
	return err == nil
}

// ErrNameClash is returned when a new run, branch or tag name is already
// the name of another kind of reference, which would make it ambiguous.
var ErrNameClash = errors.New("name already used")

// checkNameFree refuses a new name that a branch, tag or run already has
// (other than the kind being created).
func (r *Repo) checkNameFree(name string, except refs.Name) error {
	for _, n := range []struct {
		what string
		ref  refs.Name
	}{{"branch", refs.Branch(name)}, {"tag", refs.Tag(name)}, {"run", refs.Run(name)}} {
		if n.ref == except {
			continue
		}
		if _, err := r.Store.Ref(n.ref); err == nil {
			return fmt.Errorf("%w: %q is already a %s name; choose another so revisions stay unambiguous", ErrNameClash, name, n.what)
		}
	}
	return nil
}

func (r *Repo) runRefID(name string) objects.ID {
	ref, _ := r.Store.Ref(refs.Run(name))
	return ref.ID
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
