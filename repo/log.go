package repo

import (
	"container/heap"
	"errors"

	"github.com/modeldb/modeldb/objects"
)

// ErrStopWalk may be returned by a Walk callback to end the walk early
// without error.
var ErrStopWalk = errors.New("stop walk")

// walkAhead is how many commits the reading goroutine of Walk may get
// ahead of the callback.
const walkAhead = 16

// Walk visits the commits reachable from starts, newest first (by commit
// time, ties broken by ID), each once. fn returning ErrStopWalk ends the
// walk without error.
//
// Reading and decoding commits runs on its own goroutine, a little ahead of
// fn, so that listing history uses both cores: one follows the parent
// chain through the object store while the other formats output.
func (r *Repo) Walk(starts []objects.ID, fn func(id objects.ID, c *objects.Commit) error) error {
	items := make(chan queued, walkAhead)
	done := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(items)
		errc <- r.walk(starts, func(id objects.ID, c *objects.Commit) error {
			select {
			case items <- queued{id, c}:
				return nil
			case <-done:
				return ErrStopWalk
			}
		})
	}()
	var err error
	for it := range items {
		if err = fn(it.id, it.c); err != nil {
			break
		}
	}
	close(done)
	for range items {
		// drain, so the reader can finish
	}
	if werr := <-errc; werr != nil && err == nil {
		err = werr
	}
	if errors.Is(err, ErrStopWalk) {
		return nil
	}
	return err
}

// walk is Walk on the calling goroutine.
func (r *Repo) walk(starts []objects.ID, fn func(id objects.ID, c *objects.Commit) error) error {
	seen := map[objects.ID]bool{}
	q := &commitQueue{}
	push := func(id objects.ID) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		c, err := r.ReadCommit(id)
		if err != nil {
			return err
		}
		heap.Push(q, queued{id, c})
		return nil
	}
	for _, id := range starts {
		if err := push(id); err != nil {
			return err
		}
	}
	for q.Len() > 0 {
		next := heap.Pop(q).(queued)
		if err := fn(next.id, next.c); err != nil {
			if errors.Is(err, ErrStopWalk) {
				return nil
			}
			return err
		}
		for _, p := range next.c.Parents {
			if err := push(p); err != nil {
				return err
			}
		}
	}
	return nil
}

type queued struct {
	id objects.ID
	c  *objects.Commit
}

type commitQueue []queued

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	if q[i].c.Time != q[j].c.Time {
		return q[i].c.Time > q[j].c.Time
	}
	return q[i].id.String() > q[j].id.String()
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *commitQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
