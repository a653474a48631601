package refs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidRevision is returned for revision strings that do not parse.
var ErrInvalidRevision = errors.New("invalid revision")

// Rev is a parsed revision: a base (an ID, ID prefix, or name) followed by
// ancestry steps.
type Rev struct {
	Base  string
	Steps []Step
}

// Step is one ancestry step: Parent=0 means "first parent, N times" (~N);
// Parent=k means "the k-th parent" (^k, where ^ alone is ^1).
type Step struct {
	Generations int // for ~N
	Parent      int // for ^N
}

// ParseRev parses "BASE", "BASE~N", "BASE^", "BASE^N" and any chain of those.
func ParseRev(s string) (Rev, error) {
	bad := func(why string) (Rev, error) { return Rev{}, fmt.Errorf("%w %q: %s", ErrInvalidRevision, s, why) }
	i := strings.IndexAny(s, "~^")
	if i < 0 {
		i = len(s)
	}
	r := Rev{Base: s[:i]}
	if r.Base == "" {
		return bad("empty revision name")
	}
	if err := ValidateShort(r.Base); err != nil {
		return Rev{}, fmt.Errorf("%w: %v", ErrInvalidRevision, err)
	}
	rest := s[i:]
	for rest != "" {
		op := rest[0]
		rest = rest[1:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n := 1
		if j > 0 {
			v, err := strconv.Atoi(rest[:j])
			if err != nil || v > 1_000_000 {
				return bad("number out of range")
			}
			n = v
		}
		rest = rest[j:]
		if op == '~' {
			r.Steps = append(r.Steps, Step{Generations: n})
		} else {
			r.Steps = append(r.Steps, Step{Parent: n})
		}
		if rest != "" && rest[0] != '~' && rest[0] != '^' {
			return bad(fmt.Sprintf("unexpected %q after %c", rest[0], op))
		}
	}
	return r, nil
}
