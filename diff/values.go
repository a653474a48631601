package diff

import (
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Values past these sizes get an inline text diff instead of two walls of
// text: strings longer than longText bytes, lists longer than longList.
const (
	longText = 80
	longList = 8
)

// Values compares two maps of values key by key, sorted by key.
func Values(a, b map[string]any) []ValueDiff {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	out := make([]ValueDiff, 0, len(sorted))
	for _, k := range sorted {
		av, aok := a[k]
		bv, bok := b[k]
		out = append(out, Value(k, av, aok, bv, bok))
	}
	return out
}

// Strings compares two maps of strings (environment, tags).
func Strings(a, b map[string]string) []ValueDiff {
	conv := func(m map[string]string) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	return Values(conv(a), conv(b))
}

// Value compares one value present on side A (aok) and/or side B (bok).
func Value(key string, a any, aok bool, b any, bok bool) ValueDiff {
	d := ValueDiff{Key: key, Old: a, New: b}
	switch {
	case !aok:
		d.Status = Added
	case !bok:
		d.Status = Removed
	case sameValue(a, b):
		d.Status = Same
	default:
		d.Status = Changed
		if x, ok := number(a); ok {
			if y, ok := number(b); ok {
				d.Delta, d.Relative = deltas(x, y)
			}
		}
		if long(a) || long(b) {
			d.Text = Text(textOf(a), textOf(b))
		}
	}
	return d
}

// sameValue compares JSON-like values, treating numbers by value (10 and
// 10.0 and json.Number("1e1") are the same).
func sameValue(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	return reflect.DeepEqual(normalize(a), normalize(b))
}

// normalize turns json.Numbers inside lists and tables into float64.
func normalize(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	}
	return v
}

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	}
	return 0, false
}

// deltas returns new−old and (new−old)/|old| (nil when old is 0), rounded
// to 12 significant digits so that 0.91−0.89 reads 0.02, not
// 0.020000000000000018.
func deltas(old, new float64) (*float64, *float64) {
	d := round12(new - old)
	if old == 0 || math.IsInf(d/math.Abs(old), 0) {
		return &d, nil
	}
	r := round12(d / math.Abs(old))
	return &d, &r
}

func round12(f float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if err != nil {
		return f
	}
	return r
}

func long(v any) bool {
	switch t := v.(type) {
	case string:
		return len(t) > longText || strings.Contains(t, "\n")
	case []any:
		return len(t) > longList
	}
	return false
}

// textOf renders a value for a text diff: strings as they are, lists one
// element per line, anything else as JSON.
func textOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		lines := make([]string, len(t))
		for i, e := range t {
			lines[i] = scalarText(e)
		}
		return strings.Join(lines, "\n") + "\n"
	}
	return scalarText(v)
}

func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Text returns an inline diff of two texts: by lines when either has
// several lines, else by characters, cleaned up to read as words.
func Text(a, b string) []Edit {
	dmp := diffmatchpatch.New()
	var diffs []diffmatchpatch.Diff
	if strings.Contains(a, "\n") || strings.Contains(b, "\n") {
		ra, rb, lines := dmp.DiffLinesToRunes(a, b)
		diffs = dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	} else {
		diffs = dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false))
	}
	out := make([]Edit, 0, len(diffs))
	for _, d := range diffs {
		op := "="
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		out = append(out, Edit{Op: op, Text: d.Text})
	}
	return out
}

// Lists compares two lists of names as sets; nil when they hold the same
// names.
func Lists(a, b []string) *ListDiff {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, s := range a {
		inA[s] = true
	}
	for _, s := range b {
		inB[s] = true
	}
	d := &ListDiff{}
	for _, s := range a {
		if !inB[s] {
			d.Removed = append(d.Removed, s)
			inB[s] = true // report once
		}
	}
	for _, s := range b {
		if !inA[s] {
			d.Added = append(d.Added, s)
			inA[s] = true
		}
	}
	if len(d.Added) == 0 && len(d.Removed) == 0 {
		return nil
	}
	return d
}
