package runfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/modeldb/modeldb/internal/suggest"
	"github.com/modeldb/modeldb/objects"
)

// parse decodes data into a generic tree, applies the shorthands, checks
// the tree against Spec's shape and decodes it into a validated Spec.
func parse(data []byte, format Format) (*Spec, error) {
	var (
		tree map[string]any
		err  error
	)
	switch format {
	case FormatTOML:
		tree, err = decodeTOML(data)
	case FormatJSON:
		tree, err = decodeJSON(data)
	default:
		return nil, fmt.Errorf("unknown run file format %d", int(format))
	}
	if err != nil {
		return nil, err
	}
	conv, err := convert(tree, "")
	if err != nil {
		return nil, err
	}
	tree = conv.(map[string]any)
	if err := applyShorthands(tree, format); err != nil {
		return nil, err
	}
	if err := check(reflect.TypeFor[Spec](), tree, "", format); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	s := new(Spec)
	if err := dec.Decode(s); err != nil {
		return nil, decodeError(err, format)
	}
	s.dropEmpty()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeTOML decodes a TOML document into a generic tree.
func decodeTOML(data []byte) (map[string]any, error) {
	var tree map[string]any
	if _, err := toml.Decode(string(data), &tree); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("line %d: %s", pe.Position.Line, pe.Message)
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "toml: "))
	}
	if tree == nil {
		tree = map[string]any{}
	}
	return tree, nil
}

// decodeJSON decodes a JSON document, which must be one object, into a
// generic tree with numbers as json.Number.
func decodeJSON(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty file; want a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%s: unexpected end of input", position(data, len(data)))
		case errors.As(err, &se):
			off := int(se.Offset) - 1 // Offset counts the offending byte
			return nil, fmt.Errorf("%s: %s", position(data, off), se.Error())
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	off := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[off:], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%s: unexpected data after the JSON object", position(data, len(data)-len(rest)))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object at the top level, got %s", describe(v, FormatJSON))
	}
	return m, nil
}

// position formats byte offset off of data as "line L, column C", both
// counted from 1, columns in characters.
func position(data []byte, off int) string {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	start := bytes.LastIndexByte(before, '\n') + 1
	col := 1 + utf8.RuneCount(before[start:])
	return fmt.Sprintf("line %d, column %d", line, col)
}

// convert rewrites the leaves of a decoded tree into JSON's vocabulary:
// numbers become canonical json.Number, TOML datetimes become RFC 3339
// strings and TOML arrays of tables become plain lists. Numbers JSON cannot
// carry (NaN, infinities, out of range) are errors naming their place.
func convert(v any, p path) (any, error) {
	switch t := v.(type) {
	case nil, string, bool:
		return v, nil
	case map[string]any:
		for _, k := range sortedKeys(t) {
			n, err := convert(t[k], p.key(k))
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
		return t, nil
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			n, err := convert(e, p.index(i))
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case []any:
		for i, e := range t {
			n, err := convert(e, p.index(i))
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
		return t, nil
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("%s: must be a finite number, got %s", p, floatWord(t))
		}
		return objects.FormatFloat(t)
	case json.Number:
		n, err := objects.CanonicalNumber(string(t))
		if err != nil {
			return nil, fmt.Errorf("%s: number %s is out of range", p, t)
		}
		return n, nil
	case time.Time:
		return formatTime(t), nil
	}
	return nil, fmt.Errorf("%s: unsupported value", p)
}

// formatTime writes a TOML datetime as RFC 3339 text. Local datetimes,
// dates and times (which have no offset) keep their partial RFC 3339 forms.
func formatTime(t time.Time) string {
	switch t.Location().String() {
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05.999999999")
	case "date-local":
		return t.Format("2006-01-02")
	case "time-local":
		return t.Format("15:04:05.999999999")
	}
	return t.Format(time.RFC3339Nano)
}

// floatWord spells a non-finite float the way TOML does.
func floatWord(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// applyShorthands rewrites the shorthand forms of metrics, datasets and
// artifacts into their list forms.
func applyShorthands(tree map[string]any, format Format) error {
	if m, ok := tree["metrics"].(map[string]any); ok {
		list := make([]any, 0, len(m))
		for _, name := range sortedKeys(m) {
			v := m[name]
			if _, ok := v.(json.Number); !ok {
				return fmt.Errorf("%s: want a number, got %s", path("metrics").key(name), describe(v, format))
			}
			list = append(list, map[string]any{"name": name, "value": v})
		}
		tree["metrics"] = list
	}
	if m, ok := tree["datasets"].(map[string]any); ok {
		list := make([]any, 0, len(m))
		for _, role := range sortedKeys(m) {
			p := path("datasets").key(role)
			switch d := m[role].(type) {
			case string:
				list = append(list, map[string]any{"role": role, "path": d})
			case map[string]any:
				if r, ok := d["role"]; ok && r != role {
					got := describe(r, format)
					if s, ok := r.(string); ok {
						got = strconv.Quote(s)
					}
					return fmt.Errorf("%s: %s differs from the key %q; leave role out", p.key("role"), got, role)
				}
				e := make(map[string]any, len(d)+1)
				for k, v := range d {
					e[k] = v
				}
				e["role"] = role
				list = append(list, e)
			default:
				return fmt.Errorf("%s: want a path or %s, got %s", p, tableWord(format), describe(d, format))
			}
		}
		tree["datasets"] = list
	}
	if l, ok := tree["artifacts"].([]any); ok {
		for i, e := range l {
			if s, ok := e.(string); ok {
				l[i] = map[string]any{"path": s}
			}
		}
	}
	return nil
}

// check walks v, a converted tree, along the Go type t and reports the
// first place where v does not fit: an unknown field or a value of the
// wrong kind.
func check(t reflect.Type, v any, p path, format Format) error {
	if v == nil { // null: JSON leaves the zero value
		return nil
	}
	mismatch := func(want string) error {
		return fmt.Errorf("%s: want %s, got %s", p.orTop(), want, describe(v, format))
	}
	switch t.Kind() {
	case reflect.Pointer:
		return check(t.Elem(), v, p, format)
	case reflect.Interface:
		return nil
	case reflect.String:
		if _, ok := v.(string); !ok {
			return mismatch("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return mismatch("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return mismatch("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return fmt.Errorf("%s: integer %s is out of range", p, n)
			}
			return mismatch("an integer")
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			return mismatch("a number")
		}
	case reflect.Slice:
		l, ok := v.([]any)
		if !ok {
			return mismatch("a list")
		}
		for i, e := range l {
			if err := check(t.Elem(), e, p.index(i), format); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return mismatch(tableWord(format))
		}
		for _, k := range sortedKeys(m) {
			if err := check(t.Elem(), m[k], p.key(k), format); err != nil {
				return err
			}
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return mismatch(tableWord(format))
		}
		fields := fieldsOf(t)
		for _, k := range sortedKeys(m) {
			f, ok := fields[k]
			if !ok {
				return unknownField(p, k, fields)
			}
			if err := check(f, m[k], p.key(k), format); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: cannot be set from a run file", p.orTop())
	}
	return nil
}

// fieldsOf maps the JSON names of t's fields to their types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// unknownField reports key k at p, suggesting a close known field.
func unknownField(p path, k string, fields map[string]reflect.Type) error {
	msg := fmt.Sprintf("unknown field %q", k)
	if p != "" {
		msg = string(p) + ": " + msg
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	lower := strings.ToLower(k)
	if best := suggest.Closest(lower, names, 2); best != "" && suggest.Distance(lower, best) <= max(1, len(best)/3) {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return errors.New(msg)
}

// decodeError translates an error from decoding the checked tree into Spec.
// check catches these first, so this is a safety net.
func decodeError(err error, format Format) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: want %s, got %s", te.Field, kindWord(te.Type, format), te.Value)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// kindWord names the kind of value a Go type wants.
func kindWord(t reflect.Type, format Format) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return tableWord(format)
	}
	return "another kind of value"
}

// tableWord is what the format calls a table.
func tableWord(format Format) string {
	if format == FormatJSON {
		return "an object"
	}
	return "a table"
}

// describe names the kind of a converted value, with short scalars quoted.
func describe(v any, format Format) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		if utf8.RuneCountInString(t) > 40 {
			t = string([]rune(t)[:37]) + "..."
		}
		return "string " + strconv.Quote(t)
	case bool:
		return "boolean " + strconv.FormatBool(t)
	case json.Number:
		return "number " + string(t)
	case []any:
		return "a list"
	case map[string]any:
		return tableWord(format)
	}
	return "an unsupported value"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// path is the place of a value in a run file, like pipeline[1].stages[0].op.
type path string

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func (p path) key(k string) path {
	if !bareKey.MatchString(k) {
		return p + path("["+strconv.Quote(k)+"]")
	}
	if p == "" {
		return path(k)
	}
	return p + "." + path(k)
}

func (p path) index(i int) path {
	return p + path("["+strconv.Itoa(i)+"]")
}

// orTop names the top level when p is empty.
func (p path) orTop() string {
	if p == "" {
		return "top level"
	}
	return string(p)
}
