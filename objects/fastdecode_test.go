package objects

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFastCommitMatchesJSON(t *testing.T) {
	step := int64(3)
	c := &Commit{Run: Hash([]byte("r")), Parents: []ID{Hash([]byte("p"))}, Name: "strong-c", Author: "Ann <a@x>",
		Time: "2026-01-02T03:04:05.000000000Z", Message: "C=10",
		Metrics: []Metric{{Name: "accuracy", Value: 0.91, Slice: "country=US", Split: "test"}, {Name: "loss", Value: 1e-7, Step: &step}}}
	data, _, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := decodeCommitFast(data)
	if err != nil {
		t.Fatalf("the canonical form of a commit is not on the fast path: %v\n%s", err, data)
	}
	var slow Commit
	if err := json.Unmarshal(data, &slow); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, &slow) {
		t.Fatalf("fast %+v\nslow %+v", fast, &slow)
	}
	for _, odd := range []string{
		`{"author":"a\"b","message":"","name":"n","parents":[],"run":"` + c.Run.String() + `","time":"t","type":"commit","version":1}`,
		`{"extra":1,"parents":[]}`,
		`{"parents":[], "type":"commit"}`,
		`{"parents":[],"version":+1}`,
	} {
		if _, err := decodeCommitFast([]byte(odd)); err == nil {
			t.Errorf("fast path accepted %s", odd)
		}
	}
}

// FuzzFastCommit checks that whatever the fast decoder accepts,
// encoding/json accepts too, with the same result.
func FuzzFastCommit(f *testing.F) {
	data, _, _ := Encode(&Commit{Run: Hash(nil), Name: "n", Metrics: []Metric{{Name: "a", Value: 1.5}}})
	f.Add(data)
	f.Add([]byte(`{"parents":[],"version":1,"metrics":[{"name":"x","value":-0.0e+5,"step":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := decodeCommitFast(data)
		if err != nil {
			return
		}
		var slow Commit
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json rejects: %v", err)
		}
		if !reflect.DeepEqual(fast, &slow) {
			t.Fatalf("fast %+v\nslow %+v", fast, &slow)
		}
	})
}
