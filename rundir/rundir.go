package rundir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/modeldb/modeldb/internal/suggest"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/runfile"
)

// The environment variables a command run by "modeldb run" gets.
const (
	// DirEnv names the run directory (an absolute path).
	DirEnv = "MODELDB_RUN_DIR"
	// NameEnv is the name the run will be recorded under, unless the run
	// file names it otherwise.
	NameEnv = "MODELDB_RUN_NAME"
)

// The files of a run directory.
const (
	RunJSON      = "run.json"
	RunTOML      = "run.toml"
	MetricsFile  = "metrics.jsonl"
	ParamsFile   = "params.json"
	ArtifactsDir = "artifacts"
)

// Create makes a fresh run directory inside parent (which is created if
// missing), with an empty artifacts/ in it, and returns its absolute path.
func Create(parent string) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(parent, "run-")
	if err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := os.Mkdir(filepath.Join(dir, ArtifactsDir), 0o755); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// Contents is what a command left in its run directory.
type Contents struct {
	// Spec holds the run file, parameters, metrics and artifacts found.
	// Its relative paths are relative to the run directory.
	Spec *runfile.Spec
	// Warnings are problems that did not stop reading, e.g. an incomplete
	// last line of metrics.jsonl (a write cut off when the command was
	// killed), which is ignored.
	Warnings []string
}

// Read collects what a command wrote to the run directory dir. A missing
// file is not an error; malformed content is, as one line that names the
// file and, where there is one, the line.
func Read(dir string) (*Contents, error) {
	c := &Contents{Spec: &runfile.Spec{}}
	if err := c.readRunFile(dir); err != nil {
		return nil, err
	}
	if err := c.readParams(filepath.Join(dir, ParamsFile)); err != nil {
		return nil, err
	}
	if err := c.readMetrics(filepath.Join(dir, MetricsFile)); err != nil {
		return nil, err
	}
	if err := c.readArtifacts(dir); err != nil {
		return nil, err
	}
	if err := c.Spec.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Contents) readRunFile(dir string) error {
	var found []string
	for _, name := range []string{RunJSON, RunTOML} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			found = append(found, name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	switch len(found) {
	case 0:
		return nil
	case 2:
		return fmt.Errorf("%s and %s: write one run file, not both", RunJSON, RunTOML)
	}
	name := found[0]
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	format := runfile.FormatJSON
	if name == RunTOML {
		format = runfile.FormatTOML
	}
	spec, err := runfile.Parse(f, format, name)
	if err != nil {
		return err
	}
	c.Spec = spec
	return nil
}

// readParams reads params.json: one JSON object of parameters, whose keys
// replace the run file's.
func (c *Contents) readParams(file string) error {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", ParamsFile, err)
	}
	v, err := decodeOne(data)
	if err != nil {
		return fmt.Errorf("%s: %w", ParamsFile, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want a JSON object of parameters, got %s", ParamsFile, jsonKind(v))
	}
	for k, val := range obj {
		if k == "" {
			return fmt.Errorf("%s: a parameter name is empty", ParamsFile)
		}
		conv, err := canonical(val, k)
		if err != nil {
			return fmt.Errorf("%s: %w", ParamsFile, err)
		}
		if c.Spec.Params == nil {
			c.Spec.Params = map[string]any{}
		}
		c.Spec.Params[k] = conv
	}
	return nil
}

// decodeOne decodes data as exactly one JSON value with numbers as
// json.Number. Syntax errors name the line and column.
func decodeOne(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty; want a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%s: unexpected end of input", position(data, len(data)))
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s: %s%s", position(data, int(se.Offset)-1), se.Error(), nanHint(data))
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	off := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[off:], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%s: unexpected data after the JSON object", position(data, len(data)-len(rest)))
	}
	return v, nil
}

// nanHint explains the most common reason for invalid JSON from a training
// script: Python's json module writes NaN and Infinity, which JSON has not.
func nanHint(data []byte) string {
	if bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Infinity")) {
		return " (NaN and Infinity are not JSON numbers)"
	}
	return ""
}

// position formats byte offset off of data as "line L, column C".
func position(data []byte, off int) string {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	start := bytes.LastIndexByte(before, '\n') + 1
	return fmt.Sprintf("line %d, column %d", line, 1+utf8.RuneCount(before[start:]))
}

// canonical puts the numbers of a decoded JSON value in canonical form.
func canonical(v any, where string) (any, error) {
	switch t := v.(type) {
	case json.Number:
		n, err := objects.CanonicalNumber(string(t))
		if err != nil {
			return nil, fmt.Errorf("%s: number %s is out of range", where, t)
		}
		return n, nil
	case map[string]any:
		for k, e := range t {
			n, err := canonical(e, where+"."+k)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	case []any:
		for i, e := range t {
			n, err := canonical(e, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	}
	return v, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// metricFields are the fields of a metrics.jsonl line.
var metricFields = []string{"name", "value", "step", "slice", "split"}

// readMetrics reads metrics.jsonl, one metric per line; blank lines are
// skipped. A metric replaces an earlier one (or the run file's) with the
// same name, slice, split and step. A last line without a newline that is
// not valid is a write cut short: it is ignored with a warning.
func (c *Contents) readMetrics(file string) error {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", MetricsFile, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, rerr := r.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("%s: line %d: %w", MetricsFile, n, rerr)
		}
		complete := rerr == nil
		if len(bytes.TrimSpace(line)) > 0 {
			m, err := ParseMetricLine(line)
			switch {
			case err != nil && !complete:
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: incomplete last line (no newline at the end) ignored: %s", lineRef(n, err), lineMsg(err)))
			case err != nil:
				return fmt.Errorf("%s: %s", lineRef(n, err), lineMsg(err))
			default:
				c.Spec.SetMetric(m)
			}
		}
		if !complete {
			return nil
		}
	}
}

// lineRef names line n of metrics.jsonl, and the column when err starts
// with one ("metrics.jsonl: line 3, column 14").
func lineRef(n int, err error) string {
	ref := fmt.Sprintf("%s: line %d", MetricsFile, n)
	if col, _, ok := strings.Cut(err.Error(), ": "); ok && strings.HasPrefix(col, "column ") {
		ref += ", " + col
	}
	return ref
}

// lineMsg is err without a leading column, which lineRef shows.
func lineMsg(err error) string {
	if col, msg, ok := strings.Cut(err.Error(), ": "); ok && strings.HasPrefix(col, "column ") {
		return msg
	}
	return err.Error()
}

// ParseMetricLine parses one line of metrics.jsonl: a JSON object with
// "name" (a non-empty string) and "value" (a finite number), and optionally
// "step" (an integer), "slice" and "split" (strings). Unknown fields are
// errors. The error does not name the file or line; a syntax error starts
// with the column ("column 14: invalid character ...").
func ParseMetricLine(line []byte) (objects.Metric, error) {
	var m objects.Metric
	v, err := decodeOne(line)
	if err != nil {
		// A line is a line: its column is what matters.
		return m, errors.New(strings.TrimPrefix(err.Error(), "line 1, "))
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return m, fmt.Errorf(`want a JSON object such as {"name": "loss", "value": 0.3, "step": 1}, got %s`, jsonKind(v))
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var hasValue bool
	for _, k := range keys {
		val := obj[k]
		switch k {
		case "name", "slice", "split":
			s, ok := val.(string)
			if !ok {
				return m, fmt.Errorf("%s: want a string, got %s", k, jsonKind(val))
			}
			switch k {
			case "name":
				m.Name = s
			case "slice":
				m.Slice = s
			case "split":
				m.Split = s
			}
		case "value":
			num, ok := val.(json.Number)
			if !ok {
				return m, fmt.Errorf("value: want a number, got %s", jsonKind(val))
			}
			f, err := strconv.ParseFloat(string(num), 64)
			if err != nil || math.IsInf(f, 0) {
				return m, fmt.Errorf("value: %s is out of range", num)
			}
			m.Value, hasValue = f, true
		case "step":
			if val == nil {
				continue
			}
			num, ok := val.(json.Number)
			if !ok {
				return m, fmt.Errorf("step: want an integer, got %s", jsonKind(val))
			}
			step, err := strconv.ParseInt(string(num), 10, 64)
			if err != nil {
				// 3.0 is an integer written as a float (JavaScript, R).
				f, ferr := strconv.ParseFloat(string(num), 64)
				if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
					return m, fmt.Errorf("step: want an integer, got %s", num)
				}
				step = int64(f)
			}
			m.Step = &step
		default:
			msg := fmt.Sprintf("unknown field %q", k)
			if best := suggest.Closest(strings.ToLower(k), metricFields, 2); best != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", best)
			}
			return m, errors.New(msg + "; want name, value, step, slice, split")
		}
	}
	if m.Name == "" {
		return m, errors.New(`name: required field is missing or empty`)
	}
	if !hasValue {
		return m, errors.New(`value: required field is missing`)
	}
	return m, nil
}

// readArtifacts adds every file below artifacts/ as an artifact named by
// its path relative to artifacts/. A symbolic link to a file stores the
// file it points to (so large files need not be copied); empty
// directories are ignored.
func (c *Contents) readArtifacts(dir string) error {
	root := filepath.Join(dir, ArtifactsDir)
	st, err := os.Stat(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: want a directory of files, got a file", ArtifactsDir)
	}
	// Names the run file already uses, and for which path.
	byName := map[string]string{}
	for _, a := range c.Spec.Artifacts {
		byName[path.Clean(filepath.ToSlash(a.StoredName()))] = resolve(dir, a.Path)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", ArtifactsDir, err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			target, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("%s: broken symbolic link: %w", rel, err)
			}
			if target.IsDir() {
				return fmt.Errorf("%s: a symbolic link to a directory; link (or copy) its files one by one", rel)
			}
			mode = target.Mode().Type()
		}
		if !mode.IsRegular() {
			return fmt.Errorf("%s: not a regular file", rel)
		}
		name := strings.TrimPrefix(rel, ArtifactsDir+"/")
		if prev, ok := byName[name]; ok {
			if prev == resolve(dir, filepath.FromSlash(rel)) {
				return nil // the run file lists this very file
			}
			return fmt.Errorf("%s: artifact name %q is also used by the run file for another file", rel, name)
		}
		byName[name] = resolve(dir, filepath.FromSlash(rel))
		c.Spec.SetArtifact(runfile.Artifact{Path: rel, Name: name})
		return nil
	})
}

func resolve(dir, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}
