package runfile

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/modeldb/modeldb/objects"
)

// Validate checks a spec (called by Parse). The error names the first
// offending field by its path, e.g. pipeline[1].stages[0].op:
//
//   - name, if given, must not contain whitespace, "/", "..", control
//     characters or invalid UTF-8, nor start with "." or "-";
//   - parameter names (run-level and per stage) must not be empty;
//   - every stage, at any depth, needs op and name;
//   - every metric needs a name and a finite value, and no two metrics may
//     share name, slice, split and step;
//   - every dataset needs a role and a path (a file to fingerprint) or a
//     sha256 (64 lowercase hex digits: a fingerprint the client computed, or
//     with a path the digest the file must have); store needs a path; size
//     and rows must not be negative; every column needs a name;
//   - every artifact needs a path, and no two artifacts may share a stored
//     name (Name, or else Path cleaned: "./model.pkl" is "model.pkl");
//   - started and finished, when given, must be RFC 3339 times.
func (s *Spec) Validate() error {
	if s == nil {
		return errors.New("no run spec")
	}
	if s.Name != "" {
		if err := checkName(s.Name); err != nil {
			return fmt.Errorf("name: %q %v", s.Name, err)
		}
	}
	if err := checkParams(s.Params, "params"); err != nil {
		return err
	}
	for i, st := range s.Pipeline {
		if err := checkStage(st, path("pipeline").index(i)); err != nil {
			return err
		}
	}
	seen := make(map[string]int)
	for i, m := range s.Metrics {
		p := path("metrics").index(i)
		if m.Name == "" {
			return fmt.Errorf("%s: required field is missing", p.key("name"))
		}
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			return fmt.Errorf("%s: must be a finite number, got %s", p.key("value"), floatWord(m.Value))
		}
		k := m.Key()
		if j, ok := seen[k]; ok {
			return fmt.Errorf("%s: %s is also metrics[%d] (same name, slice, split and step)", p, k, j)
		}
		seen[k] = i
	}
	for i, d := range s.Datasets {
		if err := checkDataset(d, path("datasets").index(i)); err != nil {
			return err
		}
	}
	names := make(map[string]int)
	for i, a := range s.Artifacts {
		p := path("artifacts").index(i)
		if a.Path == "" {
			return fmt.Errorf("%s: required field is missing", p.key("path"))
		}
		n := a.Name
		if n == "" {
			n = filepath.ToSlash(filepath.Clean(a.Path))
		}
		if j, ok := names[n]; ok {
			return fmt.Errorf("%s: name %q is already used by artifacts[%d]", p, n, j)
		}
		names[n] = i
	}
	for _, f := range []struct {
		name, value string
	}{{"started", s.Started}, {"finished", s.Finished}} {
		if f.value == "" {
			continue
		}
		if _, err := time.Parse(time.RFC3339Nano, f.value); err != nil {
			if _, err := time.Parse("2006-01-02T15:04:05.999999999", f.value); err == nil {
				return fmt.Errorf("%s: %q has no time zone offset; append Z (UTC) or an offset such as +02:00", f.name, f.value)
			}
			return fmt.Errorf("%s: %q is not an RFC 3339 time such as 2006-01-02T15:04:05Z", f.name, f.value)
		}
	}
	return nil
}

// checkName applies the run-name rules; the error completes a sentence.
func checkName(name string) error {
	switch {
	case !utf8.ValidString(name):
		return errors.New("is not valid UTF-8")
	case strings.ContainsFunc(name, unicode.IsSpace):
		return errors.New("must not contain whitespace")
	case strings.ContainsFunc(name, unicode.IsControl):
		return errors.New("must not contain control characters")
	case strings.Contains(name, "/"):
		return errors.New(`must not contain "/"`)
	case strings.Contains(name, ".."):
		return errors.New(`must not contain ".."`)
	case strings.HasPrefix(name, "."):
		return errors.New(`must not start with "."`)
	case strings.HasPrefix(name, "-"):
		return errors.New(`must not start with "-"`)
	}
	return nil
}

func checkParams(params map[string]any, p path) error {
	if _, ok := params[""]; ok {
		return fmt.Errorf("%s: a parameter name is empty", p)
	}
	return nil
}

func checkStage(st objects.Stage, p path) error {
	if st.Op == "" {
		return fmt.Errorf("%s: required field is missing (the operator, e.g. sklearn.preprocessing.StandardScaler)", p.key("op"))
	}
	if st.Name == "" {
		return fmt.Errorf("%s: required field is missing", p.key("name"))
	}
	if err := checkParams(st.Params, p.key("params")); err != nil {
		return err
	}
	for i, sub := range st.Stages {
		if err := checkStage(sub, p.key("stages").index(i)); err != nil {
			return err
		}
	}
	return nil
}

func checkDataset(d Dataset, p path) error {
	if d.Role == "" {
		return fmt.Errorf("%s: required field is missing", p.key("role"))
	}
	if d.Path == "" && d.SHA256 == "" {
		return fmt.Errorf(`%s: give "path" (a file to fingerprint) or "sha256" (a fingerprint you computed)`, p)
	}
	if d.SHA256 != "" && !isSHA256(d.SHA256) {
		return fmt.Errorf("%s: want 64 lowercase hex digits, got %q", p.key("sha256"), d.SHA256)
	}
	if d.Store && d.Path == "" {
		return fmt.Errorf(`%s: needs "path"; there are no bytes to store for a fingerprint`, p.key("store"))
	}
	if d.Size < 0 {
		return fmt.Errorf("%s: must not be negative, got %d", p.key("size"), d.Size)
	}
	if d.Rows != nil && *d.Rows < 0 {
		return fmt.Errorf("%s: must not be negative, got %d", p.key("rows"), *d.Rows)
	}
	for i, c := range d.Columns {
		if c.Name == "" {
			return fmt.Errorf("%s: required field is missing", p.key("columns").index(i).key("name"))
		}
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// dropEmpty turns empty lists and tables into absent ones, so that a spec
// means the same whether a field was written empty or left out.
func (s *Spec) dropEmpty() {
	if len(s.Params) == 0 {
		s.Params = nil
	}
	if len(s.Pipeline) == 0 {
		s.Pipeline = nil
	}
	for i := range s.Pipeline {
		dropEmptyStage(&s.Pipeline[i])
	}
	if len(s.Metrics) == 0 {
		s.Metrics = nil
	}
	if len(s.Datasets) == 0 {
		s.Datasets = nil
	}
	for i := range s.Datasets {
		if len(s.Datasets[i].Columns) == 0 {
			s.Datasets[i].Columns = nil
		}
	}
	if len(s.Artifacts) == 0 {
		s.Artifacts = nil
	}
	if len(s.Environment) == 0 {
		s.Environment = nil
	}
	if len(s.Command) == 0 {
		s.Command = nil
	}
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
}

func dropEmptyStage(st *objects.Stage) {
	if len(st.Params) == 0 {
		st.Params = nil
	}
	if len(st.Inputs) == 0 {
		st.Inputs = nil
	}
	if len(st.Outputs) == 0 {
		st.Outputs = nil
	}
	if len(st.Stages) == 0 {
		st.Stages = nil
	}
	for i := range st.Stages {
		dropEmptyStage(&st.Stages[i])
	}
}
