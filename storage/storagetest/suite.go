package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/storage"
)

// Harness opens stores for the suite.
type Harness struct {
	// New returns an empty store; the suite closes it.
	New func(t *testing.T) storage.Store
	// Corrupt overwrites the stored form of an object with other bytes.
	Corrupt func(t *testing.T, s storage.Store, id objects.ID)
}

// Run runs the conformance suite against h.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"PutGet", testPutGet},
		{"Missing", testMissing},
		{"List", testList},
		{"Corrupt", testCorrupt},
		{"RefCreateAndCAS", testRefCAS},
		{"RefTransactionAtomic", testRefTransaction},
		{"SymbolicRef", testSymbolic},
		{"Reflog", testReflog},
		{"InvalidNames", testInvalidNames},
		{"ConcurrentCAS", testConcurrentCAS},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

func open(t *testing.T, h Harness) storage.Store {
	s := h.New(t)
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t *testing.T, s storage.Store, data string) objects.ID {
	t.Helper()
	id, err := s.Put([]byte(data))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if id != objects.Hash([]byte(data)) {
		t.Fatalf("Put returned %s, want hash of data", id)
	}
	return id
}

func testPutGet(t *testing.T, h Harness) {
	s := open(t, h)
	big := bytes.Repeat([]byte("modeldb "), 100_000)
	for _, data := range [][]byte{{}, []byte("x"), big, {0, 1, 2, 255}} {
		id := put(t, s, string(data))
		if _, err := s.Put(data); err != nil {
			t.Fatalf("second Put: %v", err)
		}
		got, err := s.Get(id)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("Get(%s) = %d bytes, %v; want %d bytes", id.Short(), len(got), err, len(data))
		}
		if ok, err := s.Has(id); !ok || err != nil {
			t.Fatalf("Has(%s) = %v, %v", id.Short(), ok, err)
		}
	}
	if err := s.Sync(); err != nil {
		t.Fatalf("Sync: %v", err)
	}
}

func testMissing(t *testing.T, h Harness) {
	s := open(t, h)
	id := objects.Hash([]byte("never stored"))
	if _, err := s.Get(id); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Get of missing object: %v, want ErrNotFound", err)
	}
	if ok, err := s.Has(id); ok || err != nil {
		t.Fatalf("Has of missing object = %v, %v", ok, err)
	}
	if _, err := s.Ref(refs.Branch("nope")); !errors.Is(err, refs.ErrNotFound) {
		t.Fatalf("Ref of missing ref: %v, want ErrNotFound", err)
	}
}

func testList(t *testing.T, h Harness) {
	s := open(t, h)
	want := map[objects.ID]bool{}
	for i := 0; i < 300; i++ {
		want[put(t, s, fmt.Sprint("object ", i))] = true
	}
	got := map[objects.ID]bool{}
	if err := s.List("", func(id objects.ID) error { got[id] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("List found %d objects, want %d", len(got), len(want))
	}
	var some objects.ID
	for id := range want {
		some = id
		break
	}
	for _, n := range []int{1, 2, 3, 64} {
		prefix := some.String()[:n]
		found := false
		err := s.List(prefix, func(id objects.ID) error {
			if id.String()[:n] != prefix {
				t.Errorf("List(%q) returned %s", prefix, id)
			}
			found = found || id == some
			return nil
		})
		if err != nil || !found {
			t.Fatalf("List(%q): found=%v err=%v", prefix, found, err)
		}
	}
}

func testCorrupt(t *testing.T, h Harness) {
	if h.Corrupt == nil {
		t.Skip("store offers no way to corrupt an object")
	}
	s := open(t, h)
	id := put(t, s, "precious model bytes, precious model bytes, precious model bytes, precious model bytes, precious model bytes, precious")
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	h.Corrupt(t, s, id)
	_, err := s.Get(id)
	var ce *objects.CorruptError
	if !errors.As(err, &ce) || ce.ID != id {
		t.Fatalf("Get of corrupt object: %v, want CorruptError naming %s", err, id.Short())
	}
}

func testRefCAS(t *testing.T, h Harness) {
	s := open(t, h)
	a, b := put(t, s, "a"), put(t, s, "b")
	main := refs.Branch("main")
	if err := s.Update("t", refs.Update{Name: main, Old: refs.Expect(objects.ID{}), New: a}); err != nil {
		t.Fatalf("create: %v", err)
	}
	err := s.Update("t", refs.Update{Name: main, Old: refs.Expect(objects.ID{}), New: b})
	var ce *refs.ConflictError
	if !errors.As(err, &ce) || ce.Actual != a {
		t.Fatalf("create over existing: %v, want ConflictError with actual %s", err, a.Short())
	}
	if err := s.Update("t", refs.Update{Name: main, Old: refs.Expect(b), New: b}); !errors.As(err, &ce) {
		t.Fatalf("CAS with wrong old: %v, want ConflictError", err)
	}
	if err := s.Update("t", refs.Update{Name: main, Old: refs.Expect(a), New: b}); err != nil {
		t.Fatalf("CAS: %v", err)
	}
	if r, err := s.Ref(main); err != nil || r.ID != b {
		t.Fatalf("after CAS: %v %v", r, err)
	}
	if err := s.Update("t", refs.Update{Name: main, New: a}); err != nil {
		t.Fatalf("forced update: %v", err)
	}
	if err := s.Update("t", refs.Update{Name: main, Old: refs.Expect(a)}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.Ref(main); !errors.Is(err, refs.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Update("t", refs.Update{Name: refs.Tag("v1"), New: a}, refs.Update{Name: refs.Branch("x/y"), New: b}); err != nil {
		t.Fatal(err)
	}
	list, err := s.Refs("refs/")
	if err != nil || len(list) != 2 || list[0].Name != refs.Branch("x/y") || list[1].Name != refs.Tag("v1") {
		t.Fatalf("Refs(refs/) = %v, %v", list, err)
	}
	if list, _ := s.Refs(refs.TagsPrefix); len(list) != 1 || list[0].ID != a {
		t.Fatalf("Refs(tags) = %v", list)
	}
}

func testRefTransaction(t *testing.T, h Harness) {
	s := open(t, h)
	a, b := put(t, s, "a"), put(t, s, "b")
	if err := s.Update("t", refs.Update{Name: refs.Run("taken"), New: a}); err != nil {
		t.Fatal(err)
	}
	err := s.Update("t",
		refs.Update{Name: refs.Branch("main"), Old: refs.Expect(objects.ID{}), New: b},
		refs.Update{Name: refs.Run("taken"), Old: refs.Expect(objects.ID{}), New: b})
	if err == nil {
		t.Fatal("transaction with a conflicting update succeeded")
	}
	if _, err := s.Ref(refs.Branch("main")); !errors.Is(err, refs.ErrNotFound) {
		t.Fatalf("a failed transaction changed refs/heads/main: %v", err)
	}
}

func testSymbolic(t *testing.T, h Harness) {
	s := open(t, h)
	if err := s.Update("t", refs.Update{Name: refs.HEAD, Target: refs.Branch("main")}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Ref(refs.HEAD)
	if err != nil || !r.IsSymbolic() || r.Target != refs.Branch("main") {
		t.Fatalf("HEAD = %+v, %v", r, err)
	}
	a := put(t, s, "a")
	if err := s.Update("t", refs.Update{Name: refs.HEAD, New: a}); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Ref(refs.HEAD); r.IsSymbolic() || r.ID != a {
		t.Fatalf("detached HEAD = %+v", r)
	}
}

func testReflog(t *testing.T, h Harness) {
	s := open(t, h)
	a, b := put(t, s, "a"), put(t, s, "b")
	main := refs.Branch("main")
	s.Update("alice", refs.Update{Name: main, New: a, Message: "commit: first"})
	s.Update("bob", refs.Update{Name: main, Old: refs.Expect(a), New: b, Message: "commit: second\twith tab"})
	log, err := s.Reflog(main)
	if err != nil || len(log) != 2 {
		t.Fatalf("Reflog = %v, %v", log, err)
	}
	if log[0].Old != (objects.ID{}) || log[0].New != a || log[0].Who != "alice" || log[0].Message != "commit: first" {
		t.Fatalf("first entry %+v", log[0])
	}
	if log[1].Old != a || log[1].New != b || log[1].Message != "commit: second with tab" {
		t.Fatalf("second entry %+v", log[1])
	}
	if log, _ := s.Reflog(refs.Branch("other")); len(log) != 0 {
		t.Fatalf("reflog of missing ref = %v", log)
	}
}

func testInvalidNames(t *testing.T, h Harness) {
	s := open(t, h)
	a := put(t, s, "a")
	for _, n := range []string{"refs/heads/../../x", "refs/heads/a..b", "refs/heads/", "refs/heads/.hidden", "heads/main", "refs/heads/a b", "refs/heads/x.lock", "refs/heads/a\x00b"} {
		if err := s.Update("t", refs.Update{Name: refs.Name(n), New: a}); !errors.Is(err, refs.ErrInvalidName) {
			t.Errorf("Update(%q): %v, want ErrInvalidName", n, err)
		}
	}
}

func testConcurrentCAS(t *testing.T, h Harness) {
	s := open(t, h)
	main := refs.Branch("main")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; {
				cur, err := s.Ref(main)
				if err != nil && !errors.Is(err, refs.ErrNotFound) {
					t.Error(err)
					return
				}
				next, _ := s.Put([]byte(fmt.Sprintf("%s %d %d", cur.ID, w, i)))
				err = s.Update("t", refs.Update{Name: main, Old: refs.Expect(cur.ID), New: next})
				var ce *refs.ConflictError
				if errors.As(err, &ce) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				applied++
				mu.Unlock()
				i++
			}
		}(w)
	}
	wg.Wait()
	log, err := s.Reflog(main)
	if err != nil || len(log) != workers*each || applied != workers*each {
		t.Fatalf("reflog has %d entries, %d applied; want %d", len(log), applied, workers*each)
	}
	for i := 1; i < len(log); i++ {
		if log[i].Old != log[i-1].New {
			t.Fatalf("reflog entry %d does not continue entry %d: a CAS was lost", i, i-1)
		}
	}
}
