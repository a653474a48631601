package mem

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/storage"
)

// Store keeps objects and references in maps.
type Store struct {
	mu     sync.Mutex
	objs   map[objects.ID][]byte
	refMap map[refs.Name]refs.Ref
	logs   map[refs.Name][]refs.LogEntry
}

var _ storage.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{objs: map[objects.ID][]byte{}, refMap: map[refs.Name]refs.Ref{}, logs: map[refs.Name][]refs.LogEntry{}}
}

// Has reports whether the object exists.
func (s *Store) Has(id objects.ID) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.objs[id]
	return ok, nil
}

// Get returns a copy of the object's bytes, verified against id.
func (s *Store) Get(id objects.ID) ([]byte, error) {
	s.mu.Lock()
	data, ok := s.objs[id]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("read object %s: %w", id, storage.ErrNotFound)
	}
	if objects.Hash(data) != id {
		return nil, &objects.CorruptError{ID: id, Reason: "content does not match its id"}
	}
	return append([]byte(nil), data...), nil
}

// Put stores a copy of data.
func (s *Store) Put(data []byte) (objects.ID, error) {
	id := objects.Hash(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.objs[id]; !ok {
		s.objs[id] = append([]byte(nil), data...)
	}
	return id, nil
}

// Corrupt replaces an object's bytes, for tests of corruption handling.
func (s *Store) Corrupt(id objects.ID, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objs[id] = data
}

// Sync does nothing: memory has no durability to wait for.
func (s *Store) Sync() error { return nil }

// List calls fn for every object whose hex ID starts with prefix.
func (s *Store) List(prefix string, fn func(objects.ID) error) error {
	s.mu.Lock()
	var ids []objects.ID
	for id := range s.objs {
		if strings.HasPrefix(id.String(), prefix) {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}

// Ref reads one reference.
func (s *Store) Ref(name refs.Name) (refs.Ref, error) {
	if err := name.Validate(); err != nil {
		return refs.Ref{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.refMap[name]
	if !ok {
		return refs.Ref{}, fmt.Errorf("%s: %w", name, refs.ErrNotFound)
	}
	return r, nil
}

// Refs lists references under prefix, sorted by name.
func (s *Store) Refs(prefix string) ([]refs.Ref, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []refs.Ref
	for n, r := range s.refMap {
		if n != refs.HEAD && strings.HasPrefix(string(n), prefix) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Update applies updates atomically.
func (s *Store) Update(who string, updates ...refs.Update) error {
	for _, u := range updates {
		if err := u.Name.Validate(); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range updates {
		cur := s.refMap[u.Name]
		if u.Old != nil && *u.Old != cur.ID {
			return &refs.ConflictError{Name: u.Name, Expected: *u.Old, Actual: cur.ID}
		}
	}
	now := time.Now()
	for _, u := range updates {
		old := s.refMap[u.Name].ID
		switch {
		case u.Target != "":
			s.refMap[u.Name] = refs.Ref{Name: u.Name, Target: u.Target}
			continue
		case u.New.IsZero():
			delete(s.refMap, u.Name)
		default:
			s.refMap[u.Name] = refs.Ref{Name: u.Name, ID: u.New}
		}
		if !strings.HasPrefix(string(u.Name), refs.RunsPrefix) {
			// Round-trip through the reflog line format so mem and fs agree.
			line := refs.LogEntry{Old: old, New: u.New, Who: who, Time: now, Message: u.Message}.Format()
			e, err := refs.ParseLogEntry(strings.TrimSuffix(line, "\n"))
			if err != nil {
				return err
			}
			s.logs[u.Name] = append(s.logs[u.Name], e)
		}
	}
	return nil
}

// Reflog returns a reference's reflog, oldest first.
func (s *Store) Reflog(name refs.Name) ([]refs.LogEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]refs.LogEntry(nil), s.logs[name]...), nil
}

// Close does nothing.
func (s *Store) Close() error { return nil }
