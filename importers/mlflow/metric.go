package mlflow

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Point is one logged value of a metric: one line of a metric file.
type Point struct {
	Timestamp int64 // milliseconds since the epoch
	Value     float64
	Step      int64
	Line      int // 1-based line in the metric file
}

// lineError is an error at a line of a file of the store.
type lineError struct {
	path string
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.path, e.line, e.msg) }

var (
	intRE   = regexp.MustCompile(`^-?[0-9]+$`)
	floatRE = regexp.MustCompile(`(?i)^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$|^[+-]?(nan|inf|infinity)$`)
	runIDRE = regexp.MustCompile(`^[a-zA-Z0-9][\w\-]{0,255}$`)
	hex32RE = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// ParseMetricLine parses one line of a metric file (without its newline):
// "<timestamp_ms> <value> <step>", fields separated by single spaces.
// Stores written before MLflow 1.0 have no step ("<timestamp> <value>",
// step 0), and MLflow 3 may add the id of the run that logged the value as
// a fourth field; anything else is an error. The value may be nan or inf,
// as Python writes them.
func ParseMetricLine(line string) (Point, error) {
	line = strings.TrimSuffix(line, "\r")
	f := strings.Split(line, " ")
	switch {
	case line == "":
		return Point{}, fmt.Errorf("empty line; want \"timestamp value step\"")
	case strings.Contains(line, "  ") || strings.HasPrefix(line, " ") || strings.HasSuffix(line, " "):
		return Point{}, fmt.Errorf("empty field in %q (fields are separated by single spaces); want \"timestamp value step\"", clip(line))
	case len(f) < 2 || len(f) > 4:
		return Point{}, fmt.Errorf("%d fields in %q; want \"timestamp value step\"", len(f), clip(line))
	case len(f) == 4 && !hex32RE.MatchString(f[3]):
		return Point{}, fmt.Errorf("4th field %q of %q is not a run id; want \"timestamp value step\"", clip(f[3]), clip(line))
	}
	var p Point
	var err error
	if !intRE.MatchString(f[0]) {
		return Point{}, fmt.Errorf("timestamp %q is not an integer (in %q)", clip(f[0]), clip(line))
	}
	if p.Timestamp, err = strconv.ParseInt(f[0], 10, 64); err != nil {
		return Point{}, fmt.Errorf("timestamp %q is out of range", clip(f[0]))
	}
	if !floatRE.MatchString(f[1]) {
		return Point{}, fmt.Errorf("value %q is not a number (in %q)", clip(f[1]), clip(line))
	}
	if p.Value, err = strconv.ParseFloat(f[1], 64); err != nil && !isRangeError(err) {
		return Point{}, fmt.Errorf("value %q is not a number", clip(f[1]))
	}
	if len(f) >= 3 {
		if !intRE.MatchString(f[2]) {
			return Point{}, fmt.Errorf("step %q is not an integer (in %q)", clip(f[2]), clip(line))
		}
		if p.Step, err = strconv.ParseInt(f[2], 10, 64); err != nil {
			return Point{}, fmt.Errorf("step %q is out of range", clip(f[2]))
		}
	}
	return p, nil
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// ParseMetricFile parses the content of a metric file; path names it in
// errors, which carry the line number. A file must hold at least one line
// and end with a newline (MLflow appends whole lines).
func ParseMetricFile(data []byte, path string) ([]Point, error) {
	if len(data) == 0 {
		return nil, &lineError{path, 1, "empty metric file (no values logged)"}
	}
	n := bytes.Count(data, []byte("\n"))
	if data[len(data)-1] != '\n' {
		n++
	}
	points := make([]Point, 0, n)
	line := 0
	for len(data) > 0 {
		line++
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			return nil, &lineError{path, line, "last line has no newline (truncated file?)"}
		}
		p, err := ParseMetricLine(string(data[:end]))
		if err != nil {
			return nil, &lineError{path, line, err.Error()}
		}
		p.Line = line
		points = append(points, p)
		data = data[end+1:]
	}
	return points, nil
}
