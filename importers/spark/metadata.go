package spark

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/modeldb/modeldb/objects"
)

// Error is a problem with a file of a save. Line and Column (counted from
// 1, columns in characters) say where, when the problem has a place in the
// file; they are 0 for a file that is missing or unreadable.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
	Err    error // the cause, if any
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d, column %d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return e.File + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// maxMetadataSize bounds a metadata file. Real ones are a few KiB (a stop
// word list, a grid of param maps).
const maxMetadataSize = 16 << 20

// The top-level keys every Spark save writes; any other key is extra
// metadata of the model.
var knownKeys = map[string]bool{
	"class": true, "timestamp": true, "sparkVersion": true, "uid": true,
	"paramMap": true, "defaultParamMap": true,
}

// metadata is one decoded metadata/part-00000 file.
type metadata struct {
	Class        string
	UID          string
	SparkVersion string
	Timestamp    int64 // ms since the epoch; 0 when absent
	ParamMap     map[string]any
	// DefaultParamMap is nil when the file has no defaultParamMap (Spark < 2.4).
	DefaultParamMap map[string]any
	Extra           map[string]any
	// StageUIDs is paramMap.stageUids of a pipeline; nil otherwise.
	StageUIDs []string
	// IsPipeline says paramMap has stageUids (possibly empty).
	IsPipeline bool
	// Language is paramMap.language of a PySpark pipeline ("Python").
	Language string

	data    []byte
	offsets map[string]int // value offsets: top-level keys, "paramMap.<k>", "stageUids[i]"
}

// pos returns the line and column of the value at key (see offsets), or
// of the start of the file.
func (m *metadata) pos(key string) (int, int) {
	return position(m.data, m.offsets[key])
}

// field is one member of a JSON object: its key, the offset of its value
// and the value's raw bytes.
type field struct {
	key string
	off int
	raw json.RawMessage
}

// parseMetadata decodes a metadata file. name is used in errors.
func parseMetadata(data []byte, name string) (*metadata, error) {
	fail := func(off int, format string, args ...any) error {
		line, col := position(data, off)
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, fail(off, "invalid UTF-8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: "empty file; want the JSON metadata of a Spark ML save"}
	}
	if err := syntaxError(data, name); err != nil {
		return nil, err
	}
	fields, end, err := objectFields(data, 0, name)
	if err != nil {
		return nil, err
	}
	m := &metadata{data: data, offsets: map[string]int{}}
	seen := map[string]bool{}
	var paramMap, defaults *field
	for i := range fields {
		f := &fields[i]
		if seen[f.key] {
			return nil, fail(f.off, "key %q appears twice", f.key)
		}
		seen[f.key] = true
		m.offsets[f.key] = f.off
		switch f.key {
		case "class", "uid", "sparkVersion":
			var s string
			if kind(f.raw) != "a string" || json.Unmarshal(f.raw, &s) != nil {
				return nil, fail(f.off, "%q must be a string, got %s", f.key, kind(f.raw))
			}
			if s == "" {
				return nil, fail(f.off, "%q is empty", f.key)
			}
			switch f.key {
			case "class":
				m.Class = s
			case "uid":
				m.UID = s
			default:
				m.SparkVersion = s
			}
		case "timestamp":
			var n json.Number
			if kind(f.raw) != "a number" || json.Unmarshal(f.raw, &n) != nil {
				return nil, fail(f.off, `"timestamp" must be a number (ms since the epoch), got %s`, kind(f.raw))
			}
			ts, err := n.Int64()
			if err != nil {
				return nil, fail(f.off, `"timestamp" must be an integer (ms since the epoch), got %s`, n)
			}
			m.Timestamp = ts
		case "paramMap":
			paramMap = f
		case "defaultParamMap":
			defaults = f
		default:
			v, err := value(f.raw)
			if err != nil {
				return nil, fail(f.off, "%q: %v", f.key, err)
			}
			if m.Extra == nil {
				m.Extra = map[string]any{}
			}
			m.Extra[f.key] = v
		}
	}
	for _, k := range []string{"class", "uid", "sparkVersion", "paramMap"} {
		if !seen[k] {
			return nil, fail(end, "no %q: not the metadata of a Spark ML save", k)
		}
	}
	if m.ParamMap, err = m.params(paramMap, name, true); err != nil {
		return nil, err
	}
	if defaults != nil {
		if m.DefaultParamMap, err = m.params(defaults, name, false); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// params decodes paramMap or defaultParamMap. For paramMap (top set), the
// pipeline structure is taken out: stageUids and, next to it, PySpark's
// language.
func (m *metadata) params(f *field, name string, top bool) (map[string]any, error) {
	fail := func(off int, format string, args ...any) error {
		line, col := position(m.data, off)
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	if kind(f.raw) != "an object" {
		return nil, fail(f.off, "%q must be an object, got %s", f.key, kind(f.raw))
	}
	fields, _, err := objectFields(m.data, f.off, name)
	if err != nil {
		return nil, err
	}
	pipeline := false
	for _, p := range fields {
		pipeline = pipeline || (top && p.key == "stageUids")
	}
	out := make(map[string]any, len(fields))
	for _, p := range fields {
		where := f.key + "." + p.key
		if p.key == "" {
			return nil, fail(p.off, "%s has a parameter with an empty name", f.key)
		}
		if _, dup := out[p.key]; dup {
			return nil, fail(p.off, "parameter %q appears twice in %s", p.key, f.key)
		}
		if top {
			m.offsets[where] = p.off
		}
		if pipeline {
			switch p.key {
			case "stageUids":
				if err := m.stageUIDs(p, name); err != nil {
					return nil, err
				}
				continue
			case "language":
				var s string
				if json.Unmarshal(p.raw, &s) == nil {
					m.Language = s
					continue
				}
			}
		}
		v, err := value(p.raw)
		if err != nil {
			return nil, fail(p.off, "%s: %v", where, err)
		}
		out[p.key] = v
	}
	return out, nil
}

// stageUIDs decodes paramMap.stageUids: a list of non-empty strings.
func (m *metadata) stageUIDs(p field, name string) error {
	line, col := position(m.data, p.off)
	bad := func(msg string) error { return &Error{File: name, Line: line, Column: col, Msg: msg} }
	var raw []json.RawMessage
	if json.Unmarshal(p.raw, &raw) != nil {
		return bad("paramMap.stageUids must be a list of stage uids, got " + kind(p.raw))
	}
	m.IsPipeline = true
	m.StageUIDs = make([]string, 0, len(raw))
	from := 0
	for i, r := range raw {
		var s string
		if json.Unmarshal(r, &s) != nil || s == "" {
			return bad(fmt.Sprintf("paramMap.stageUids[%d] must be a non-empty string, got %s", i, kind(r)))
		}
		m.StageUIDs = append(m.StageUIDs, s)
		// The element's place, for errors about its stage directory.
		if q, err := json.Marshal(s); err == nil {
			if j := bytes.Index(p.raw[from:], q); j >= 0 {
				from += j
			}
		}
		m.offsets[fmt.Sprintf("stageUids[%d]", i)] = p.off + from
	}
	return nil
}

// objectFields reads the JSON object that starts at data[start:] (after
// leading white space) and returns its members with their value offsets,
// and the offset just past the object.
func objectFields(data []byte, start int, name string) ([]field, int, error) {
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	dec.UseNumber()
	fail := func(err error) error { return jsonError(data, start, err, name) }
	tok, err := dec.Token()
	if err != nil {
		return nil, 0, fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		line, col := position(data, start+skipSpace(data[start:], 0))
		return nil, 0, &Error{File: name, Line: line, Column: col, Msg: "want a JSON object, got " + kind(data[start:])}
	}
	var fields []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, 0, fail(err)
		}
		key, _ := tok.(string)
		off := start + skipSpace(data[start:], int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, 0, fail(err)
		}
		fields = append(fields, field{key: key, off: off, raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, 0, fail(err)
	}
	return fields, start + int(dec.InputOffset()), nil
}

// skipSpace returns the offset of the first byte at or after off that is
// not white space or the ":" between a key and its value.
func skipSpace(data []byte, off int) int {
	for off < len(data) && strings.IndexByte(" \t\r\n:", data[off]) >= 0 {
		off++
	}
	return off
}

// syntaxError checks that data is one JSON value and returns an *Error at
// the first byte that is not, or nil. (The scanner behind json.Unmarshal
// counts offsets from the start of data; a Decoder's errors count them from
// different places.)
func syntaxError(data []byte, name string) error {
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	if err == nil {
		return nil
	}
	off, msg := len(data), strings.TrimPrefix(err.Error(), "json: ")
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset) - 1 // Offset counts the offending byte
		content := len(bytes.TrimRight(data, " \t\r\n"))
		switch {
		case strings.Contains(msg, "end of JSON input"), off >= content && !strings.Contains(msg, "after top-level value"):
			// The JSON stops short: at the end of the file, or at the
			// newline that ends it (in a string cut off by truncation).
			// Placed just after the last character, not on a line of its own.
			off = content
			msg = "unexpected end of JSON input (is the file truncated?)"
		case strings.Contains(msg, "after top-level value"):
			msg = "unexpected data after the JSON object"
		}
	}
	line, col := position(data, off)
	return &Error{File: name, Line: line, Column: col, Msg: msg, Err: err}
}

// jsonError turns an error of the decoder reading data[start:] into an
// *Error; data is known to be valid JSON, so this does not happen.
func jsonError(data []byte, start int, err error, name string) error {
	line, col := position(data, start)
	return &Error{File: name, Line: line, Column: col, Msg: strings.TrimPrefix(err.Error(), "json: "), Err: err}
}

// value decodes a JSON value keeping its types, with numbers as canonical
// json.Number (so the run stores 1e-06 for Spark's 1.0E-6 and 0 for 0.0).
func value(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return canonical(v)
}

func canonical(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			n, err := canonical(e)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	case []any:
		for i, e := range t {
			n, err := canonical(e)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	case json.Number:
		n, err := objects.CanonicalNumber(string(t))
		if err != nil {
			return nil, fmt.Errorf("number %s is out of range", t)
		}
		return n, nil
	}
	return v, nil
}

// kind names the JSON type of raw for error messages.
func kind(raw []byte) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// position formats byte offset off of data as a line and column, both
// counted from 1, columns in characters.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[start:])
}
