package spark

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

// FuzzReadMetadata feeds the metadata decoder arbitrary bytes, seeded with
// every metadata file of the test saves and some broken ones. It must never
// panic; an error must be an *Error naming the file, placed inside it; a
// success must have the required fields and params that encode canonically.
func FuzzReadMetadata(f *testing.F) {
	filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "part-") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
				f.Add(data[:len(data)/2])
			}
		}
		return nil
	})
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"class":"c"}`, "{\n\"class\":\n",
		`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"stageUids":["a","a"],"language":"Python"}}`,
		`{"class":"c","uid":"u","sparkVersion":"3","paramMap":{"x":1e999},"defaultParamMap":{"y":[1,{"z":-0.0}]}}`,
		`{"class":"c","uid":"u","sparkVersion":"3","timestamp":-1,"paramMap":{},"extra":{"a":null}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := parseMetadata(data, "part-00000")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "part-00000" || e.Msg == "" {
				t.Fatalf("error %T %v", err, err)
			}
			if e.Line > 0 && (e.Line > strings.Count(string(data), "\n")+1 || e.Column < 1) {
				t.Fatalf("error placed outside the file: %v", e)
			}
			return
		}
		if md.Class == "" || md.UID == "" || md.SparkVersion == "" || md.ParamMap == nil {
			t.Fatalf("decoded without required fields: %+v", md)
		}
		for _, uid := range md.StageUIDs {
			if uid == "" {
				t.Fatal("empty stage uid")
			}
		}
		s := Stage{Class: md.Class, UID: md.UID, Params: md.ParamMap, Defaults: md.DefaultParamMap, Extra: md.Extra}
		if _, err := objects.Canonical(s.Effective()); err != nil {
			t.Fatalf("params do not encode: %v", err)
		}
		if _, err := objects.Canonical(md.Extra); err != nil {
			t.Fatalf("extra does not encode: %v", err)
		}
	})
}
