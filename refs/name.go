package refs

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Name is a full reference name such as "refs/heads/main" or "HEAD".
type Name string

// Prefixes of the reference namespaces.
const (
	HEAD          Name = "HEAD"
	HeadsPrefix        = "refs/heads/"
	TagsPrefix         = "refs/tags/"
	RunsPrefix         = "refs/runs/"
	RemotesPrefix      = "refs/remotes/"
)

// ErrInvalidName is returned for reference names that break the naming rules.
var ErrInvalidName = errors.New("invalid name")

// Branch returns the reference name of branch b.
func Branch(b string) Name { return Name(HeadsPrefix + b) }

// Tag returns the reference name of tag t.
func Tag(t string) Name { return Name(TagsPrefix + t) }

// Run returns the reference name of run name r.
func Run(r string) Name { return Name(RunsPrefix + r) }

// Short returns n without its namespace prefix ("main" for refs/heads/main).
func (n Name) Short() string {
	s := string(n)
	for _, p := range []string{HeadsPrefix, TagsPrefix, RunsPrefix, RemotesPrefix} {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return s
}

// IsBranch reports whether n is under refs/heads/.
func (n Name) IsBranch() bool { return strings.HasPrefix(string(n), HeadsPrefix) }

// Validate checks a full reference name.
func (n Name) Validate() error {
	if n == HEAD {
		return nil
	}
	s := string(n)
	if !strings.HasPrefix(s, "refs/") {
		return fmt.Errorf("%w %q: must be HEAD or start with refs/", ErrInvalidName, s)
	}
	return ValidateShort(s[len("refs/"):])
}

// ValidateShort checks a short name (a branch, tag or run name, which may
// contain "/"). The rules follow git check-ref-format: no "..", no control
// characters, space or any of ~^:?*[\, no component that is empty, starts
// with "." or ends with ".lock", no "@{", and not the single name "@".
func ValidateShort(s string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrInvalidName, s, why) }
	switch {
	case s == "":
		return bad("empty")
	case len(s) > 200:
		return bad("longer than 200 bytes")
	case s == "@":
		return bad(`"@" is reserved`)
	case strings.Contains(s, ".."):
		return bad(`contains ".."`)
	case strings.Contains(s, "@{"):
		return bad(`contains "@{"`)
	case strings.HasSuffix(s, "."):
		return bad(`ends with "."`)
	case !utf8.ValidString(s):
		return bad("is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return bad("contains a control character")
		}
		if strings.ContainsRune(" ~^:?*[\\", r) {
			return bad(fmt.Sprintf("contains %q", r))
		}
	}
	for _, part := range strings.Split(s, "/") {
		switch {
		case part == "":
			return bad("has an empty path component")
		case strings.HasPrefix(part, "."):
			return bad(`has a component starting with "."`)
		case strings.HasSuffix(part, ".lock"):
			return bad(`has a component ending with ".lock"`)
		}
	}
	return nil
}

// ValidateNew checks a name for a new branch or tag: ValidateShort, and
// not a name that revisions read otherwise ("HEAD", "refs/…").
func ValidateNew(s string) error {
	if s == string(HEAD) || strings.HasPrefix(s, "refs/") {
		return fmt.Errorf("%w %q: reserved (it would not resolve as a branch or tag)", ErrInvalidName, s)
	}
	return ValidateShort(s)
}
