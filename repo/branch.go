package repo

import (
	"errors"
	"fmt"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// ErrBranchExists is returned when creating a branch that exists.
var ErrBranchExists = errors.New("branch already exists")

// ErrNotMerged is returned when deleting a branch whose commits are not
// reachable from HEAD without force.
var ErrNotMerged = errors.New("branch is not fully merged")

// ErrCurrentBranch is returned when deleting the branch HEAD is on.
var ErrCurrentBranch = errors.New("cannot delete the branch HEAD is on")

// Branch is a branch and the commit it points to.
type Branch struct {
	Name    string
	Commit  objects.ID
	Current bool
}

// Branches lists the branches, sorted by name. The current branch is
// listed even when it has no commits yet.
func (r *Repo) Branches() ([]Branch, error) {
	list, err := r.Store.Refs(refs.HeadsPrefix)
	if err != nil {
		return nil, err
	}
	cur, _, err := r.Head()
	if err != nil {
		return nil, err
	}
	var out []Branch
	found := false
	for _, ref := range list {
		b := Branch{Name: ref.Name.Short(), Commit: ref.ID, Current: ref.Name == cur}
		found = found || b.Current
		out = append(out, b)
	}
	if cur != "" && !found {
		out = append([]Branch{{Name: cur.Short(), Current: true}}, out...)
	}
	return out, nil
}

// CreateBranch creates branch name at the commit rev resolves to.
func (r *Repo) CreateBranch(name, rev string) (objects.ID, error) {
	if err := refs.ValidateNew(name); err != nil {
		return objects.ID{}, fmt.Errorf("branch name: %w", err)
	}
	if err := r.checkNameFree(name, refs.Branch(name)); err != nil {
		return objects.ID{}, err
	}
	id, err := r.Resolve(rev)
	if err != nil {
		return id, err
	}
	err = r.Store.Update(r.Author(), refs.Update{Name: refs.Branch(name), Old: refs.Expect(objects.ID{}), New: id, Message: "branch: created from " + rev})
	var ce *refs.ConflictError
	if errors.As(err, &ce) {
		return id, fmt.Errorf("%w: %s", ErrBranchExists, name)
	}
	return id, err
}

// DeleteBranch deletes a branch. Without force it refuses a branch whose
// tip is not reachable from HEAD, as git branch -d does.
func (r *Repo) DeleteBranch(name string, force bool) (objects.ID, error) {
	ref, err := r.Store.Ref(refs.Branch(name))
	if errors.Is(err, refs.ErrNotFound) {
		return objects.ID{}, fmt.Errorf("no branch named %q (see 'modeldb branch')", name)
	}
	if err != nil {
		return objects.ID{}, err
	}
	cur, head, err := r.Head()
	if err != nil {
		return ref.ID, err
	}
	if cur == refs.Branch(name) {
		return ref.ID, fmt.Errorf("%w: %s (switch to another branch first)", ErrCurrentBranch, name)
	}
	if !force {
		ok, err := r.IsAncestor(ref.ID, head)
		if err != nil {
			return ref.ID, err
		}
		if !ok {
			return ref.ID, fmt.Errorf("%w: %s (use -D to delete it anyway)", ErrNotMerged, name)
		}
	}
	return ref.ID, r.Store.Update(r.Author(), refs.Update{Name: refs.Branch(name), Old: refs.Expect(ref.ID), Message: "branch: deleted"})
}

// IsAncestor reports whether commit a is reachable from commit b.
func (r *Repo) IsAncestor(a, b objects.ID) (bool, error) {
	if b.IsZero() {
		return false, nil
	}
	found := false
	err := r.Walk([]objects.ID{b}, func(id objects.ID, c *objects.Commit) error {
		if id == a {
			found = true
			return ErrStopWalk
		}
		return nil
	})
	return found, err
}

// Switch points HEAD at branch name. With create, the branch is first
// created at start (HEAD when empty). Switching to a branch of an empty
// repository is allowed, as the first commit will create it.
func (r *Repo) Switch(name string, create bool, start string) error {
	if err := refs.ValidateNew(name); err != nil {
		return fmt.Errorf("branch name: %w", err)
	}
	cur, head, err := r.Head()
	if err != nil {
		return err
	}
	unborn := head.IsZero() && (start == "" || start == "HEAD")
	switch {
	case create && unborn:
		// No commits yet: the new branch is created by the first commit.
		if _, err := r.Store.Ref(refs.Branch(name)); err == nil || cur == refs.Branch(name) {
			return fmt.Errorf("%w: %s", ErrBranchExists, name)
		}
		if err := r.checkNameFree(name, refs.Branch(name)); err != nil {
			return err
		}
	case create:
		if start == "" {
			start = "HEAD"
		}
		if _, err := r.CreateBranch(name, start); err != nil {
			return err
		}
	case cur == refs.Branch(name):
		// Already there (perhaps a branch without commits yet).
	default:
		if _, err := r.Store.Ref(refs.Branch(name)); err != nil {
			return fmt.Errorf("branch %q: %w (use 'modeldb switch -c %s' to create it)", name, err, name)
		}
	}
	return r.Store.Update(r.Author(), refs.Update{Name: refs.HEAD, Target: refs.Branch(name)})
}

// Tag is a tag and the commit it names.
type Tag struct {
	Name   string
	Commit objects.ID
}

// Tags lists the tags, sorted by name.
func (r *Repo) Tags() ([]Tag, error) {
	list, err := r.Store.Refs(refs.TagsPrefix)
	if err != nil {
		return nil, err
	}
	out := make([]Tag, 0, len(list))
	for _, ref := range list {
		out = append(out, Tag{Name: ref.Name.Short(), Commit: ref.ID})
	}
	return out, nil
}

// ErrTagExists is returned when creating a tag that exists without force.
var ErrTagExists = errors.New("tag already exists")

// CreateTag creates (or with force, moves) tag name to rev's commit.
func (r *Repo) CreateTag(name, rev string, force bool) (objects.ID, error) {
	if err := refs.ValidateNew(name); err != nil {
		return objects.ID{}, fmt.Errorf("tag name: %w", err)
	}
	if err := r.checkNameFree(name, refs.Tag(name)); err != nil {
		return objects.ID{}, err
	}
	id, err := r.Resolve(rev)
	if err != nil {
		return id, err
	}
	u := refs.Update{Name: refs.Tag(name), New: id, Message: "tag: " + rev}
	if !force {
		u.Old = refs.Expect(objects.ID{})
	}
	err = r.Store.Update(r.Author(), u)
	var ce *refs.ConflictError
	if errors.As(err, &ce) {
		return id, fmt.Errorf("%w: %s (use --force to move it)", ErrTagExists, name)
	}
	return id, err
}

// DeleteTag deletes a tag.
func (r *Repo) DeleteTag(name string) (objects.ID, error) {
	ref, err := r.Store.Ref(refs.Tag(name))
	if errors.Is(err, refs.ErrNotFound) {
		return objects.ID{}, fmt.Errorf("no tag named %q (see 'modeldb tag')", name)
	}
	if err != nil {
		return objects.ID{}, err
	}
	return ref.ID, r.Store.Update(r.Author(), refs.Update{Name: refs.Tag(name), Old: refs.Expect(ref.ID), Message: "tag: deleted"})
}

// Decorations maps commits to the branch and tag names pointing at them,
// for log output ("HEAD -> main", "tag: v1"). Run names are not included.
func (r *Repo) Decorations() (map[objects.ID][]string, error) {
	out := map[objects.ID][]string{}
	cur, head, err := r.Head()
	if err != nil {
		return nil, err
	}
	for _, prefix := range []string{refs.HeadsPrefix, refs.RemotesPrefix, refs.TagsPrefix} {
		list, err := r.Store.Refs(prefix)
		if err != nil {
			return nil, err
		}
		for _, ref := range list {
			label := ref.Name.Short()
			switch {
			case ref.Name == cur:
				label = "HEAD -> " + label
			case prefix == refs.TagsPrefix:
				label = "tag: " + label
			}
			out[ref.ID] = append(out[ref.ID], label)
		}
	}
	if cur == "" && !head.IsZero() {
		out[head] = append([]string{"HEAD"}, out[head]...)
	}
	return out, nil
}
