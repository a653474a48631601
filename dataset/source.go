package dataset

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
)

// errRecordTooLong is returned by source.Read once more than the current
// limit has been read.
var errRecordTooLong = errors.New("record too long")

// source wraps the input: every byte it delivers is hashed, counted and
// written to copy. Errors from the input or from copy are sticky and kept in
// err so that callers can tell them apart from parse errors.
type source struct {
	r     io.Reader
	copy  io.Writer // nil for none
	hash  hash.Hash
	n     int64  // bytes delivered so far
	limit int64  // Read fails with errRecordTooLong once n exceeds limit; -1 for no limit
	err   error  // first read or copy error
	op    string // "read" or "copy": where err came from
}

// newSource returns a source reading r and copying to copy, if non-nil.
func newSource(r io.Reader, copy io.Writer) *source {
	return &source{r: r, copy: copy, hash: sha256.New(), limit: -1}
}

// Read implements io.Reader.
func (s *source) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.limit >= 0 {
		// Deliver up to one byte past the limit, so that input ending
		// exactly at the limit still reaches io.EOF.
		if s.n > s.limit {
			return 0, errRecordTooLong
		}
		p = p[:min(int64(len(p)), s.limit-s.n+1)]
	}
	n, err := s.r.Read(p)
	if n > 0 {
		s.hash.Write(p[:n])
		s.n += int64(n)
		if werr := s.write(p[:n]); werr != nil {
			s.err, s.op = werr, "copy"
			return n, werr
		}
	}
	if err != nil && err != io.EOF {
		s.err, s.op = err, "read"
	}
	return n, err
}

// write passes b on to copy, if any.
func (s *source) write(b []byte) error {
	if s.copy == nil {
		return nil
	}
	n, err := s.copy.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// drain reads the rest of the input without a limit.
func (s *source) drain() error {
	s.limit = -1
	buf := make([]byte, 64<<10)
	for {
		_, err := s.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// wrap returns the sticky error with context naming the input.
func (s *source) wrap(name string) error {
	return fmt.Errorf("profile %s: %s: %w", name, s.op, s.err)
}
