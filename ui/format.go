package ui

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// FormatValue renders a parameter value compactly: numbers in their
// shortest form, strings as they are, lists and tables as JSON.
func FormatValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		if looksTyped(t) {
			return strconv.Quote(t) // the string "10", not the number 10
		}
		return t
	case float64:
		return FormatNumber(t)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// FormatNumber renders a float in its shortest round-trip form.
func FormatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// FormatSize renders a byte count with a binary unit.
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// SortedKeys returns the keys of m in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MetricsLine renders metrics as "name=value" pairs.
func (s *Styles) MetricsLine(ms []objects.Metric) string {
	parts := make([]string, 0, len(ms))
	for _, m := range ms {
		parts = append(parts, s.Metric.Render(m.Key())+"="+s.Value.Render(FormatNumber(m.Value)))
	}
	return strings.Join(parts, "  ")
}

// looksTyped reports whether a string would read as a number, bool, null
// or JSON value when printed bare.
func looksTyped(s string) bool {
	switch s {
	case "", "true", "false", "null":
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	return strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") || strings.HasPrefix(s, `"`)
}
