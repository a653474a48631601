package objects

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// IDSize is the length of an ID in bytes.
const IDSize = sha256.Size

// ID names an object: the SHA-256 of its stored bytes.
type ID [IDSize]byte

// ErrInvalidID is returned when a string is not a 64-digit lowercase hex ID.
var ErrInvalidID = errors.New("invalid object id")

// Hash returns the ID of data.
func Hash(data []byte) ID { return ID(sha256.Sum256(data)) }

// ParseID parses a full 64-character hex ID.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*IDSize {
		return id, fmt.Errorf("%w: %q has %d characters, want %d", ErrInvalidID, s, len(s), 2*IDSize)
	}
	if !IsHex(s) {
		return id, fmt.Errorf("%w: %q is not lowercase hex", ErrInvalidID, s)
	}
	_, _ = hex.Decode(id[:], []byte(s))
	return id, nil
}

// IsHex reports whether s is non-empty and made only of lowercase hex digits.
func IsHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// String returns the full lowercase hex form of id.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Short returns the first 10 hex digits of id, for display.
func (id ID) Short() string { return id.String()[:10] }

// IsZero reports whether id is the zero ID, used to mean "no object".
func (id ID) IsZero() bool { return id == ID{} }

// MarshalText encodes id as hex, so IDs appear as strings in JSON.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText decodes a hex ID.
func (id *ID) UnmarshalText(b []byte) error {
	parsed, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = parsed
	return nil
}
