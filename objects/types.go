package objects

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Object kinds, the value of the "type" field of every metadata object.
const (
	KindRun    = "run"
	KindCommit = "commit"
	KindFile   = "file"
	// KindChunk is the kind given to raw data chunks, which carry no type field.
	KindChunk = "chunk"
)

// FormatVersion is the format version written into every metadata object.
const FormatVersion = 1

// ErrUnsupportedVersion is returned when an object was written by a newer
// format version than this program understands.
var ErrUnsupportedVersion = errors.New("object format version not supported")

// ErrWrongKind is returned when an object decodes to a different kind than
// the caller asked for.
var ErrWrongKind = errors.New("object is of another kind")

// Header is the part every metadata object starts with.
type Header struct {
	Type    string `json:"type"`
	Version int    `json:"version"`
}

// Commit places a run in history.
type Commit struct {
	Header
	Run     ID     `json:"run"`
	Parents []ID   `json:"parents"`
	Name    string `json:"name"` // the run's name, repeated here so history can be listed without reading runs
	Author  string `json:"author"`
	Time    string `json:"time"` // RFC 3339 with nanoseconds, UTC
	Message string `json:"message"`
	// Metrics repeats the run's key metrics (Run.KeyMetrics) so that history
	// with metrics can be listed without reading runs.
	Metrics []Metric `json:"metrics,omitempty"`
}

// CommitMetrics is how many key metrics a commit repeats from its run.
const CommitMetrics = 8

// File is the manifest of a stored file: its chunks in order and the
// SHA-256 of the whole content.
type File struct {
	Header
	Size   int64   `json:"size"`
	SHA256 string  `json:"sha256"`
	Chunks []Chunk `json:"chunks"`
}

// Chunk is one piece of a stored file.
type Chunk struct {
	ID   ID    `json:"id"`
	Size int64 `json:"size"`
}

// KindOf returns the kind of the object whose stored bytes are data: the
// "type" field of a metadata object, or KindChunk for anything else.
func KindOf(data []byte) string {
	if !bytes.HasPrefix(data, []byte("{")) {
		return KindChunk
	}
	var h struct {
		Type    *string `json:"type"`
		Version *int    `json:"version"`
	}
	if json.Unmarshal(data, &h) != nil || h.Type == nil || h.Version == nil {
		return KindChunk
	}
	switch *h.Type {
	case KindRun, KindCommit, KindFile:
		return *h.Type
	}
	return KindChunk
}

// Encode returns the canonical bytes and ID of a metadata object. It sets
// the header's type and version.
func Encode(v any) ([]byte, ID, error) {
	switch o := v.(type) {
	case *Run:
		o.Header = Header{Type: KindRun, Version: FormatVersion}
	case *Commit:
		o.Header = Header{Type: KindCommit, Version: FormatVersion}
		if o.Parents == nil {
			o.Parents = []ID{}
		}
	case *File:
		o.Header = Header{Type: KindFile, Version: FormatVersion}
		if o.Chunks == nil {
			o.Chunks = []Chunk{}
		}
	default:
		return nil, ID{}, fmt.Errorf("encode %T: not an object type", v)
	}
	data, err := Canonical(v)
	if err != nil {
		return nil, ID{}, err
	}
	return data, Hash(data), nil
}

// DecodeCommit decodes a commit object.
func DecodeCommit(data []byte) (*Commit, error) {
	if c, err := decodeCommitFast(data); err == nil {
		if err := checkHeader(&c.Header, KindCommit); err != nil {
			return nil, err
		}
		return c, nil
	}
	var c Commit
	if err := decode(data, KindCommit, &c, &c.Header); err != nil {
		return nil, err
	}
	return &c, nil
}

// DecodeRun decodes a run object.
func DecodeRun(data []byte) (*Run, error) {
	var r Run
	if err := decode(data, KindRun, &r, &r.Header); err != nil {
		return nil, err
	}
	return &r, nil
}

// DecodeFile decodes a file manifest and checks that its chunk sizes add up.
func DecodeFile(data []byte) (*File, error) {
	var f File
	if err := decode(data, KindFile, &f, &f.Header); err != nil {
		return nil, err
	}
	var total int64
	for _, c := range f.Chunks {
		if c.Size <= 0 {
			return nil, fmt.Errorf("decode file: chunk %s has size %d", c.ID.Short(), c.Size)
		}
		total += c.Size
	}
	if total != f.Size {
		return nil, fmt.Errorf("decode file: chunks add up to %d bytes, manifest says %d", total, f.Size)
	}
	if len(f.SHA256) != 64 || !IsHex(f.SHA256) {
		return nil, fmt.Errorf("decode file: sha256 %q is not 64 hex digits", f.SHA256)
	}
	return &f, nil
}

// decode decodes a metadata object. Numbers inside free-form values
// (params, samples) stay json.Number, so a 64-bit seed keeps every digit.
func decode(data []byte, kind string, v any, h *Header) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode %s: %w", kind, err)
	}
	if dec.More() {
		return fmt.Errorf("decode %s: trailing data after the object", kind)
	}
	return checkHeader(h, kind)
}

func checkHeader(h *Header, kind string) error {
	if h.Type != kind {
		return fmt.Errorf("%w: want %s, got %q", ErrWrongKind, kind, h.Type)
	}
	if h.Version < 1 || h.Version > FormatVersion {
		return fmt.Errorf("%w: %s version %d (this modeldb reads up to %d; upgrade modeldb)", ErrUnsupportedVersion, kind, h.Version, FormatVersion)
	}
	return nil
}

// CorruptError reports an object whose stored bytes do not match its ID or
// cannot be decoded.
type CorruptError struct {
	ID     ID
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("object %s is corrupt: %s", e.ID, e.Reason)
}

// TimeFormat is the fixed-width UTC layout of commit times, so that times
// compare correctly as strings.
const TimeFormat = "2006-01-02T15:04:05.000000000Z"
