package objects

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrNotCanonical is returned by Canonical for values that have no canonical
// form, such as NaN or infinite numbers.
var ErrNotCanonical = errors.New("value has no canonical JSON form")

// Canonical returns the canonical JSON encoding of v: object keys sorted
// bytewise, no insignificant whitespace, no HTML escaping, integers written
// as integers and other numbers in their shortest round-trip form. Equal
// content always yields equal bytes and so an equal ID.
func Canonical(v any) ([]byte, error) {
	raw, err := marshalNoEscape(v)
	if err != nil {
		return nil, err
	}
	return CanonicalizeJSON(raw)
}

// CanonicalizeJSON re-encodes a JSON document in canonical form.
func CanonicalizeJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	tree, err := normalize(tree)
	if err != nil {
		return nil, err
	}
	return marshalNoEscape(tree)
}

// normalize rewrites every json.Number in a decoded tree to its canonical text.
func normalize(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	case []any:
		for i, e := range t {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	case json.Number:
		return CanonicalNumber(string(t))
	}
	return v, nil
}

// CanonicalNumber returns the canonical spelling of a JSON number: an
// integer that fits in 64 bits is written in decimal without exponent, any
// other number as the shortest float64 text that round-trips.
func CanonicalNumber(s string) (json.Number, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "", fmt.Errorf("%w: number %q", ErrNotCanonical, s)
	}
	return FormatFloat(f)
}

// FormatFloat returns the canonical spelling of f. Floats with an integral
// value within ±2^53 are written as integers.
func FormatFloat(f float64) (json.Number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("%w: %v", ErrNotCanonical, f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return json.Number(strconv.FormatInt(int64(f), 10)), nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	return json.Number(b), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
