package refs_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

func TestValidateShort(t *testing.T) {
	good := []string{"main", "feature/x", "v1.0", "brave-otter-417", "a_b", "ünï", "x@y"}
	bad := []string{"", "a..b", "../x", "a/../b", "a b", "a\tb", "a\x00b", "a~1", "a^", "a:b", "a?", "a*", "a[", `a\b`,
		"a/", "/a", "a//b", ".hidden", "x/.y", "a.lock", "x/y.lock", "a.", "@", "a@{1}", strings.Repeat("x", 201), "a\x7fb"}
	for _, s := range good {
		if err := refs.ValidateShort(s); err != nil {
			t.Errorf("ValidateShort(%q) = %v, want ok", s, err)
		}
	}
	for _, s := range bad {
		err := refs.ValidateShort(s)
		if !errors.Is(err, refs.ErrInvalidName) {
			t.Errorf("ValidateShort(%q) = %v, want ErrInvalidName", s, err)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("error for %q spans lines", s)
		}
	}
}

func TestNameValidate(t *testing.T) {
	for name, ok := range map[refs.Name]bool{"HEAD": true, "refs/heads/main": true, "refs/runs/a-b-1": true, "heads/main": false, "refs/": false, "refs/heads/../x": false, "HEAD/x": false} {
		if err := name.Validate(); (err == nil) != ok {
			t.Errorf("%q.Validate() = %v, want ok=%v", name, err, ok)
		}
	}
	if got := refs.Branch("x/y").Short(); got != "x/y" {
		t.Errorf("Short = %q", got)
	}
}

func TestParseRev(t *testing.T) {
	tests := []struct {
		in   string
		want refs.Rev
	}{
		{"HEAD", refs.Rev{Base: "HEAD"}},
		{"main~3", refs.Rev{Base: "main", Steps: []refs.Step{{Generations: 3}}}},
		{"main~", refs.Rev{Base: "main", Steps: []refs.Step{{Generations: 1}}}},
		{"v1^", refs.Rev{Base: "v1", Steps: []refs.Step{{Parent: 1}}}},
		{"v1^2~1^0", refs.Rev{Base: "v1", Steps: []refs.Step{{Parent: 2}, {Generations: 1}, {}}}},
		{"3fa2c1", refs.Rev{Base: "3fa2c1"}},
		{"origin/main~2", refs.Rev{Base: "origin/main", Steps: []refs.Step{{Generations: 2}}}},
	}
	for _, tc := range tests {
		got, err := refs.ParseRev(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseRev(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "~1", "^", "a~x", "a..b", "a~99999999999", "a b"} {
		if _, err := refs.ParseRev(bad); !errors.Is(err, refs.ErrInvalidRevision) {
			t.Errorf("ParseRev(%q) = %v, want ErrInvalidRevision", bad, err)
		}
	}
}

func TestLogEntryRoundTrip(t *testing.T) {
	e := refs.LogEntry{Old: objects.Hash([]byte("a")), New: objects.Hash([]byte("b")), Who: "Ann <a@x>", Time: time.Unix(1700000000, 123).UTC(), Message: "commit: x"}
	back, err := refs.ParseLogEntry(strings.TrimSuffix(e.Format(), "\n"))
	if err != nil || back != e {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	for _, bad := range []string{"", "a b c\tx\ty", "x\ty"} {
		if _, err := refs.ParseLogEntry(bad); err == nil {
			t.Errorf("ParseLogEntry(%q) succeeded", bad)
		}
	}
}

func FuzzParseRev(f *testing.F) {
	for _, s := range []string{"HEAD~2", "main^2~1", "3fa2c1", "a..b", "x@{1}", "feature/x~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := refs.ParseRev(s)
		if err != nil {
			return
		}
		if refs.ValidateShort(r.Base) != nil {
			t.Fatalf("ParseRev(%q) accepted invalid base %q", s, r.Base)
		}
		for _, st := range r.Steps {
			if st.Generations < 0 || st.Parent < 0 {
				t.Fatalf("negative step in %q", s)
			}
		}
	})
}

func FuzzParseLogEntry(f *testing.F) {
	e := refs.LogEntry{Old: objects.Hash([]byte("a")), New: objects.Hash([]byte("b")), Who: "w", Time: time.Unix(1, 0), Message: "m"}
	f.Add(strings.TrimSuffix(e.Format(), "\n"))
	f.Fuzz(func(t *testing.T, line string) {
		got, err := refs.ParseLogEntry(line)
		if err != nil {
			return
		}
		again, err := refs.ParseLogEntry(strings.TrimSuffix(got.Format(), "\n"))
		if err != nil || again.Old != got.Old || again.New != got.New {
			t.Fatalf("reformatted entry does not parse back: %v", err)
		}
	})
}
