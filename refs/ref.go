package refs

import (
	"errors"
	"fmt"
	"time"

	"github.com/modeldb/modeldb/objects"
)

// ErrNotFound is returned when a reference does not exist.
var ErrNotFound = errors.New("reference not found")

// Ref is a reference: either direct (ID set) or symbolic (Target set, as
// HEAD is when a branch is checked out).
type Ref struct {
	Name   Name
	ID     objects.ID
	Target Name
}

// IsSymbolic reports whether r points at another reference.
func (r Ref) IsSymbolic() bool { return r.Target != "" }

// Update is one reference change within an atomic transaction. Old is the
// value the reference must have for the update to apply (compare-and-swap):
// nil skips the check (a forced update), a zero ID requires that the
// reference does not exist yet. A zero New deletes the reference unless
// Target is set, which makes it symbolic.
type Update struct {
	Name    Name
	Old     *objects.ID
	New     objects.ID
	Target  Name
	Message string
}

// Expect returns a pointer to id, for Update.Old.
func Expect(id objects.ID) *objects.ID { return &id }

// ConflictError is returned when a compare-and-swap finds a reference with
// another value than expected. Actual is zero if the reference is missing.
type ConflictError struct {
	Name     Name
	Expected objects.ID
	Actual   objects.ID
}

func (e *ConflictError) Error() string {
	switch {
	case e.Expected.IsZero():
		return fmt.Sprintf("%s already exists", e.Name.Short())
	case e.Actual.IsZero():
		return fmt.Sprintf("%s was deleted concurrently", e.Name.Short())
	}
	return fmt.Sprintf("%s moved concurrently to %s (expected %s)", e.Name.Short(), e.Actual.Short(), e.Expected.Short())
}

// LogEntry is one line of a reference's reflog.
type LogEntry struct {
	Old     objects.ID
	New     objects.ID
	Who     string
	Time    time.Time
	Message string
}

// DamagedError reports a reference file whose content does not parse.
type DamagedError struct {
	Name Name
	Err  error
}

func (e *DamagedError) Error() string { return fmt.Sprintf("ref %s is damaged: %v", e.Name, e.Err) }

// Unwrap returns the parse error.
func (e *DamagedError) Unwrap() error { return e.Err }
