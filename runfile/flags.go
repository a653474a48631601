package runfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// The command line can say what a run file says, one item per flag. These
// functions parse such flag values; their errors start with the quoted
// value, so that callers can prefix the flag name.

// ParsePairFlag splits a KEY=VALUE flag value at its first "=". The key
// must not be empty; the value may be. form names the expected shape in
// errors, e.g. "ROLE=PATH".
func ParsePairFlag(s, form string) (key, value string, err error) {
	key, value, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return "", "", fmt.Errorf("%q: want %s", s, form)
	}
	return key, value, nil
}

// ParseParamFlag parses a KEY=VALUE parameter. VALUE is typed like a JSON
// value when it is one (10, 0.5, true, null, [1,2], {"a":1}, "quoted"),
// with numbers as canonical json.Number; anything else is a string.
func ParseParamFlag(s string) (key string, value any, err error) {
	key, raw, err := ParsePairFlag(s, "KEY=VALUE")
	if err != nil {
		return "", nil, err
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || len(bytes.TrimSpace(remaining(dec, raw))) > 0 {
		return key, raw, nil
	}
	v, err = convert(v, path(key))
	if err != nil {
		return "", nil, fmt.Errorf("%q: %v", s, err)
	}
	return key, v, nil
}

// remaining returns the part of raw the decoder has not consumed.
func remaining(dec *json.Decoder, raw string) []byte {
	return []byte(raw[dec.InputOffset():])
}

// ParseMetricFlag parses a metric written as [SPLIT:]NAME[SLICE][@STEP]=VALUE,
// the form objects.Metric.Key prints: "accuracy=0.91",
// "accuracy[country=US]=0.88", "loss@3=0.21", "test:auc=0.8".
func ParseMetricFlag(s string) (objects.Metric, error) {
	bad := func(why string) (objects.Metric, error) {
		return objects.Metric{}, fmt.Errorf("%q: %s; want [SPLIT:]NAME[SLICE][@STEP]=VALUE", s, why)
	}
	eq := strings.LastIndexByte(s, '=')
	if eq < 0 {
		return bad("no value")
	}
	key, raw := s[:eq], strings.TrimSpace(s[eq+1:])
	value, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(value) || math.IsInf(value, 0) {
		return bad(fmt.Sprintf("value %q is not a finite number", raw))
	}
	var m objects.Metric
	m.Value = value
	// The split ends at the first ":" that comes before any "[".
	if c := strings.IndexByte(key, ':'); c >= 0 {
		if b := strings.IndexByte(key, '['); b < 0 || c < b {
			m.Split, key = key[:c], key[c+1:]
			if m.Split == "" {
				return bad("empty split")
			}
		}
	}
	// The step follows the last "@" after any slice.
	if at := strings.LastIndexByte(key, '@'); at >= 0 && at > strings.LastIndexByte(key, ']') {
		step, err := strconv.ParseInt(key[at+1:], 10, 64)
		if err != nil {
			return bad(fmt.Sprintf("step %q is not an integer", key[at+1:]))
		}
		m.Step = &step
		key = key[:at]
	}
	if b := strings.IndexByte(key, '['); b >= 0 {
		if !strings.HasSuffix(key, "]") {
			return bad(`slice has no closing "]"`)
		}
		m.Slice = key[b+1 : len(key)-1]
		key = key[:b]
		if m.Slice == "" {
			return bad("empty slice")
		}
	}
	if key == "" {
		return bad("no name")
	}
	m.Name = key
	return m, nil
}

// ParseArtifactFlag parses an artifact written as [NAME=]PATH. A value
// without "=", or with nothing before it, is a path.
func ParseArtifactFlag(s string) Artifact {
	if name, p, ok := strings.Cut(s, "="); ok && name != "" && p != "" {
		return Artifact{Path: p, Name: name}
	}
	return Artifact{Path: strings.TrimPrefix(s, "=")}
}

// Empty reports whether the spec records nothing about a model: no
// pipeline, parameters, metrics, datasets or artifacts.
func (s *Spec) Empty() bool {
	return len(s.Pipeline) == 0 && len(s.Params) == 0 && len(s.Metrics) == 0 &&
		len(s.Datasets) == 0 && len(s.Artifacts) == 0
}
