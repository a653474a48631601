package mlflow

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/modeldb/modeldb/objects"
)

// maxNameBytes bounds the sanitized part of a run or branch name, leaving
// room for a prefix and the run-id suffix within the 200-byte ref limit.
const maxNameBytes = 120

// Sanitize turns an MLflow name into one that is valid both as a modeldb
// run name and as a branch-name component: letters, digits, ".", "_" and
// "-" are kept, every other run of characters (spaces, commas, "/", ":" …)
// becomes one "-"; ".." becomes "."; leading and trailing "-" and "." are
// dropped; the result is at most 120 bytes. It may be empty.
func Sanitize(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := b.String()
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	if len(s) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	s = strings.Trim(s, "-.")
	if strings.HasSuffix(s, ".lock") {
		s = strings.TrimSuffix(s, ".lock") + "-lock"
	}
	return s
}

// RunName is the modeldb name of an MLflow run: its sanitized name and the
// first 8 characters of its id ("rogue-shrimp-446-ce15e9ef"), or
// "mlflow-<8>" for a run without a name. long gives the whole id instead,
// the fallback when the short name is taken.
func RunName(mlflowName, runID string, long bool) string {
	base := Sanitize(mlflowName)
	if base == "" {
		base = "mlflow"
	}
	return base + "-" + idSuffix(runID, long)
}

// idSuffix is the part of a run id that ends the run's modeldb name: its
// first 8 characters, or all of them.
func idSuffix(runID string, long bool) string {
	id := Sanitize(runID)
	if !long && len(id) > 8 {
		id = strings.Trim(id[:8], "-.")
	}
	return id
}

// branchName is the branch of an experiment: prefix + its sanitized name,
// or prefix + its id when the name sanitizes to nothing.
func branchName(prefix string, exp *Experiment) string {
	if s := Sanitize(exp.Name); s != "" {
		return prefix + s
	}
	return prefix + exp.ID
}

var (
	pyIntRE   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	pyFloatRE = regexp.MustCompile(`^-?([0-9]+\.[0-9]+|[0-9](\.[0-9]+)?e[+-][0-9]{2,})$`)
)

// ParamValue converts an MLflow parameter (always a string) to the value
// modeldb records. A string is converted only when it is exactly how
// Python prints the value, so nothing that was meant as text changes:
//
//	"10" → 10, "-3" → -3            (str of an int that fits 64 bits)
//	"0.001" → 0.001, "1e-05" → 1e-05 (repr of a finite, non-integral float)
//	"True"/"False" → true/false, "None" → null
//
// Everything else stays a string: "010", "1_000", "nan", "0.10", "[1, 2]",
// "" — and integral floats such as "1.0", which modeldb's canonical JSON
// would store as the integer 1 (scikit-learn's max_features=1.0 means all
// features, 1 means one).
func ParamValue(s string) any {
	switch s {
	case "True":
		return true
	case "False":
		return false
	case "None":
		return nil
	}
	if pyIntRE.MatchString(s) {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return json.Number(s)
		}
		return s
	}
	if pyFloatRE.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		// An integral float ("1.0") stays a string: modeldb's canonical JSON
		// would write it as the integer 1, and the difference can matter
		// (scikit-learn reads max_features=1.0 as all features, 1 as one).
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f == math.Trunc(f) || pyRepr(f) != s {
			return s
		}
		n, err := objects.FormatFloat(f)
		if err != nil {
			return s
		}
		return n
	}
	return s
}

// pyRepr returns Python's repr of a finite float: the shortest digits that
// read back as f, in fixed notation with at least one decimal when the
// decimal exponent is in [-4, 16), else as d.ddde±XX.
func pyRepr(f float64) string {
	e := strconv.FormatFloat(f, 'e', -1, 64) // -1.2345e-05
	mant, expPart, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expPart)
	if exp >= -4 && exp < 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	es := strconv.Itoa(exp)
	if len(es) < 2 {
		es = "0" + es
	}
	return mant + "e" + sign + es
}
