package storage

import (
	"errors"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// ErrNotFound is returned when an object does not exist in a store.
var ErrNotFound = errors.New("object not found")

// Objects stores immutable objects by the SHA-256 of their bytes.
type Objects interface {
	// Has reports whether the object exists.
	Has(id objects.ID) (bool, error)
	// Get returns the object's bytes after checking them against id. A
	// mismatch is an *objects.CorruptError; a missing object wraps ErrNotFound.
	Get(id objects.ID) ([]byte, error)
	// Put stores data and returns its ID. Storing an existing object is a
	// no-op. The object is durable once Sync returns.
	Put(data []byte) (objects.ID, error)
	// Sync makes every object stored so far durable. Callers sync before
	// they make an object reachable from a reference.
	Sync() error
	// List calls fn for every object whose hex ID starts with prefix
	// ("" lists all), in no particular order.
	List(prefix string, fn func(objects.ID) error) error
}

// Refs stores references and their reflogs.
type Refs interface {
	// Ref reads one reference without following symbolic ones; a missing
	// reference wraps refs.ErrNotFound.
	Ref(name refs.Name) (refs.Ref, error)
	// Refs lists the references whose names start with prefix, sorted by
	// name. Damaged references are left out of the list and reported as
	// *refs.DamagedError (joined with errors.Join) beside it.
	Refs(prefix string) ([]refs.Ref, error)
	// Update applies the updates atomically with respect to other callers:
	// under one lock, every Old is compared first (a mismatch is a
	// *refs.ConflictError and nothing changes), then each reference is
	// written and its reflog appended. who is recorded in the reflog.
	Update(who string, updates ...refs.Update) error
	// Reflog returns the reflog of a reference, oldest first.
	Reflog(name refs.Name) ([]refs.LogEntry, error)
}

// Store is a complete repository store.
type Store interface {
	Objects
	Refs
	// Close releases the store's resources.
	Close() error
}
