package repo

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// Problem is one inconsistency found by Fsck.
type Problem struct {
	Object objects.ID `json:"object,omitempty"`
	Ref    string     `json:"ref,omitempty"`
	What   string     `json:"problem"`
}

// MarshalJSON leaves out the object of a reference problem.
func (p Problem) MarshalJSON() ([]byte, error) {
	out := map[string]string{"problem": p.What}
	if p.Ref != "" {
		out["ref"] = p.Ref
	} else {
		out["object"] = p.Object.String()
	}
	return json.Marshal(out)
}

func (p Problem) String() string {
	if p.Ref != "" {
		return p.Ref + ": " + p.What
	}
	return "object " + p.Object.String() + ": " + p.What
}

// FsckReport is the result of Fsck.
type FsckReport struct {
	Objects  int            `json:"objects"`
	Kinds    map[string]int `json:"kinds"`
	Refs     int            `json:"refs"`
	Problems []Problem      `json:"problems"`
}

// Fsck verifies every object against its ID and its format, every
// reference and reflog entry, and that everything reachable from them
// exists: commits, their parents and runs, the runs' file manifests and the
// manifests' chunks.
func (r *Repo) Fsck() (*FsckReport, error) {
	rep := &FsckReport{Kinds: map[string]int{}, Problems: []Problem{}}
	kinds := map[objects.ID]string{}
	err := r.Store.List("", func(id objects.ID) error {
		rep.Objects++
		data, err := r.Store.Get(id)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{Object: id, What: problemText(err)})
			kinds[id] = "corrupt"
			rep.Kinds["corrupt"]++
			return nil
		}
		kind := objects.KindOf(data)
		if derr := decodeCheck(kind, data); derr != nil {
			rep.Problems = append(rep.Problems, Problem{Object: id, What: derr.Error()})
		}
		kinds[id] = kind
		rep.Kinds[kind]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list objects: %w", err)
	}
	roots, err := r.fsckRefs(rep, kinds)
	if err != nil {
		return nil, err
	}
	r.fsckReachable(rep, kinds, roots)
	sort.SliceStable(rep.Problems, func(i, j int) bool { return rep.Problems[i].String() < rep.Problems[j].String() })
	return rep, nil
}

func problemText(err error) string {
	var ce *objects.CorruptError
	if errors.As(err, &ce) {
		return "corrupt: " + ce.Reason
	}
	return err.Error()
}

func decodeCheck(kind string, data []byte) error {
	var err error
	switch kind {
	case objects.KindCommit:
		_, err = objects.DecodeCommit(data)
	case objects.KindRun:
		_, err = objects.DecodeRun(data)
	case objects.KindFile:
		_, err = objects.DecodeFile(data)
	}
	return err
}

// fsckRefs checks every reference and reflog and returns the commits they
// name, as roots of reachability.
func (r *Repo) fsckRefs(rep *FsckReport, kinds map[objects.ID]string) (map[objects.ID]string, error) {
	roots := map[objects.ID]string{}
	check := func(where string, id objects.ID) {
		switch kinds[id] {
		case "":
			rep.Problems = append(rep.Problems, Problem{Ref: where, What: "points to missing object " + id.String()})
		case objects.KindCommit, "corrupt":
			if _, ok := roots[id]; !ok {
				roots[id] = where
			}
		default:
			rep.Problems = append(rep.Problems, Problem{Ref: where, What: "points to a " + kinds[id] + " object, not a commit: " + id.String()})
		}
	}
	head, err := r.Store.Ref(refs.HEAD)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Ref: "HEAD", What: err.Error()})
	} else if !head.IsSymbolic() {
		check("HEAD", head.ID)
	}
	list, err := r.Store.Refs("refs/")
	if err != nil {
		for _, e := range unjoin(err) {
			var de *refs.DamagedError
			if errors.As(e, &de) {
				rep.Refs++
				rep.Problems = append(rep.Problems, Problem{Ref: string(de.Name), What: "damaged: " + de.Err.Error()})
			} else {
				rep.Problems = append(rep.Problems, Problem{Ref: "refs/", What: e.Error()})
			}
		}
	}
	for _, ref := range list {
		rep.Refs++
		check(string(ref.Name), ref.ID)
		log, err := r.Store.Reflog(ref.Name)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{Ref: "reflog of " + string(ref.Name), What: err.Error()})
			continue
		}
		for i, e := range log {
			if !e.New.IsZero() && kinds[e.New] == "" {
				rep.Problems = append(rep.Problems, Problem{Ref: fmt.Sprintf("reflog of %s, entry %d", ref.Name, i+1), What: "names missing object " + e.New.String()})
			}
		}
	}
	return roots, nil
}

// fsckReachable walks from the roots through parents, runs, manifests and
// chunks, reporting every missing or mistyped object once.
func (r *Repo) fsckReachable(rep *FsckReport, kinds map[objects.ID]string, roots map[objects.ID]string) {
	visited := map[objects.ID]bool{}
	type item struct {
		id   objects.ID
		want string
		from string
	}
	var stack []item
	for id, from := range roots {
		stack = append(stack, item{id, objects.KindCommit, from})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[it.id] {
			continue
		}
		visited[it.id] = true
		kind := kinds[it.id]
		switch {
		case kind == "":
			rep.Problems = append(rep.Problems, Problem{Object: it.id, What: "missing (needed by " + it.from + ")"})
			continue
		case kind == "corrupt":
			continue // already reported
		case kind != it.want && !(it.want == objects.KindChunk):
			rep.Problems = append(rep.Problems, Problem{Object: it.id, What: fmt.Sprintf("is a %s, but %s needs a %s", kind, it.from, it.want)})
			continue
		}
		if kind == objects.KindChunk || it.want == objects.KindChunk {
			continue
		}
		data, err := r.Store.Get(it.id)
		if err != nil {
			continue
		}
		from := kind + " " + it.id.Short()
		switch kind {
		case objects.KindCommit:
			c, err := objects.DecodeCommit(data)
			if err != nil {
				continue
			}
			stack = append(stack, item{c.Run, objects.KindRun, from})
			for _, p := range c.Parents {
				stack = append(stack, item{p, objects.KindCommit, from})
			}
		case objects.KindRun:
			run, err := objects.DecodeRun(data)
			if err != nil {
				continue
			}
			for _, f := range run.References() {
				stack = append(stack, item{f, objects.KindFile, from})
			}
		case objects.KindFile:
			f, err := objects.DecodeFile(data)
			if err != nil {
				continue
			}
			for _, ch := range f.Chunks {
				stack = append(stack, item{ch.ID, objects.KindChunk, from})
			}
		}
	}
}

// unjoin splits an errors.Join result into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
