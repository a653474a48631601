package repo

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// ErrUnknownRevision is returned when a revision names nothing.
var ErrUnknownRevision = errors.New("unknown revision")

// ErrNoCommits is returned when HEAD's branch has no commits yet.
var ErrNoCommits = errors.New("no commits yet")

// minPrefix is the shortest hex prefix that is looked up as an object ID.
const minPrefix = 4

// AmbiguousError is returned when a revision matches more than one object.
type AmbiguousError struct {
	Rev        string
	Candidates []string // "branch main → 3fa2c1d0e4", "commit 3fa2c1d0e4", …
	Prefix     bool     // the candidates are objects sharing an id prefix
}

func (e *AmbiguousError) Error() string {
	hint := fmt.Sprintf("name one with its full ref, e.g. refs/heads/%s or refs/runs/%s", e.Rev, e.Rev)
	if e.Prefix {
		hint = "give more digits of the id"
	}
	return fmt.Sprintf("revision %q is ambiguous: %s (%s)", e.Rev, strings.Join(e.Candidates, "; "), hint)
}

// Head returns the branch HEAD points at ("" when detached) and the commit
// it resolves to (zero when the branch has no commits yet).
func (r *Repo) Head() (refs.Name, objects.ID, error) {
	h, err := r.Store.Ref(refs.HEAD)
	if err != nil {
		return "", objects.ID{}, fmt.Errorf("read HEAD: %w", err)
	}
	if !h.IsSymbolic() {
		return "", h.ID, nil
	}
	b, err := r.Store.Ref(h.Target)
	if errors.Is(err, refs.ErrNotFound) {
		return h.Target, objects.ID{}, nil
	}
	if err != nil {
		return "", objects.ID{}, err
	}
	return h.Target, b.ID, nil
}

// Resolve turns a revision (full or prefix ID, HEAD, branch, tag, run name,
// remote/branch, followed by any ~N and ^N steps) into a commit ID.
func (r *Repo) Resolve(rev string) (objects.ID, error) {
	parsed, err := refs.ParseRev(rev)
	if err != nil {
		return objects.ID{}, err
	}
	id, err := r.resolveBase(parsed.Base)
	if err != nil {
		return objects.ID{}, err
	}
	for _, st := range parsed.Steps {
		id, err = r.step(rev, id, st)
		if err != nil {
			return objects.ID{}, err
		}
	}
	return id, nil
}

func (r *Repo) step(rev string, id objects.ID, st refs.Step) (objects.ID, error) {
	if st.Generations > 0 {
		for i := 0; i < st.Generations; i++ {
			c, err := r.ReadCommit(id)
			if err != nil {
				return objects.ID{}, err
			}
			if len(c.Parents) == 0 {
				return objects.ID{}, fmt.Errorf("%w %q: history has only %d commit(s) before it", ErrUnknownRevision, rev, i)
			}
			id = c.Parents[0]
		}
		return id, nil
	}
	if st.Parent == 0 {
		return id, nil
	}
	c, err := r.ReadCommit(id)
	if err != nil {
		return objects.ID{}, err
	}
	if st.Parent > len(c.Parents) {
		return objects.ID{}, fmt.Errorf("%w %q: commit %s has %d parent(s)", ErrUnknownRevision, rev, id.Short(), len(c.Parents))
	}
	return c.Parents[st.Parent-1], nil
}

type candidate struct {
	what string
	id   objects.ID
}

func (r *Repo) resolveBase(base string) (objects.ID, error) {
	if base == string(refs.HEAD) {
		branch, id, err := r.Head()
		if err != nil {
			return id, err
		}
		if id.IsZero() {
			return id, fmt.Errorf("HEAD: branch %s has %w", branch.Short(), ErrNoCommits)
		}
		return id, nil
	}
	var cands []candidate
	for _, n := range r.namesFor(base) {
		ref, err := r.Store.Ref(n.name)
		if errors.Is(err, refs.ErrNotFound) || errors.Is(err, refs.ErrInvalidName) {
			continue
		}
		if err != nil {
			return objects.ID{}, err
		}
		cands = append(cands, candidate{n.what + " " + base, ref.ID})
	}
	if len(cands) == 0 && objects.IsHex(base) && len(base) >= minPrefix {
		var err error
		cands, err = r.prefixCandidates(base)
		if err != nil {
			return objects.ID{}, err
		}
	}
	distinct := map[objects.ID]bool{}
	for _, c := range cands {
		distinct[c.id] = true
	}
	switch len(distinct) {
	case 0:
		return objects.ID{}, fmt.Errorf("%w %q: not a branch, tag, run name or commit id", ErrUnknownRevision, base)
	case 1:
		return cands[0].id, nil
	}
	amb := &AmbiguousError{Rev: base, Prefix: objects.IsHex(base) && cands[0].what == objects.KindCommit}
	for _, c := range cands {
		amb.Candidates = append(amb.Candidates, c.what+" → "+c.id.Short())
	}
	sort.Strings(amb.Candidates)
	return objects.ID{}, amb
}

type namedRef struct {
	what string
	name refs.Name
}

func (r *Repo) namesFor(base string) []namedRef {
	if strings.HasPrefix(base, "refs/") {
		return []namedRef{{"ref", refs.Name(base)}}
	}
	return []namedRef{
		{"branch", refs.Branch(base)},
		{"tag", refs.Tag(base)},
		{"run", refs.Run(base)},
		{"remote branch", refs.Name(refs.RemotesPrefix + base)},
	}
}

// prefixCandidates finds commits whose ID starts with prefix. Objects of
// other kinds are named in an ambiguity but never chosen.
func (r *Repo) prefixCandidates(prefix string) ([]candidate, error) {
	var cands []candidate
	err := r.Store.List(prefix, func(id objects.ID) error {
		data, err := r.Store.Get(id)
		if err != nil {
			return err
		}
		kind := objects.KindOf(data)
		cands = append(cands, candidate{kind, id})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var commits []candidate
	for _, c := range cands {
		if c.what == objects.KindCommit {
			commits = append(commits, c)
		}
	}
	if len(commits) == 0 && len(cands) > 0 {
		return nil, fmt.Errorf("%w %q: object %s is a %s, not a commit", ErrUnknownRevision, prefix, cands[0].id.Short(), cands[0].what)
	}
	return commits, nil
}

// ResolveObject turns a full or unique-prefix object ID into an ID of any
// kind; cat-object uses it.
func (r *Repo) ResolveObject(s string) (objects.ID, error) {
	if id, err := objects.ParseID(s); err == nil {
		return id, nil
	}
	if !objects.IsHex(s) || len(s) < minPrefix {
		return r.Resolve(s)
	}
	var ids []objects.ID
	if err := r.Store.List(s, func(id objects.ID) error { ids = append(ids, id); return nil }); err != nil {
		return objects.ID{}, err
	}
	switch len(ids) {
	case 0:
		return r.Resolve(s)
	case 1:
		return ids[0], nil
	}
	amb := &AmbiguousError{Rev: s, Prefix: true}
	for _, id := range ids {
		kind := "unreadable"
		if data, err := r.Store.Get(id); err == nil {
			kind = objects.KindOf(data)
		}
		amb.Candidates = append(amb.Candidates, kind+" "+id.Short())
	}
	sort.Strings(amb.Candidates)
	return objects.ID{}, amb
}
