package dataset

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Column is one column of a tabular data file with its inferred type.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // one of "int", "float", "bool", "string", "empty" (no non-empty value seen)
}

// Profile is the fingerprint of one data file.
type Profile struct {
	SHA256  string   // lowercase hex SHA-256 of the whole file's bytes (what `sha256sum` prints)
	Size    int64    // bytes
	Format  string   // "csv", "tsv", or "" when the file is not recognised as tabular
	Rows    int64    // data rows excluding the header; -1 when unknown (non-tabular or unparsable)
	Columns []Column // nil when unknown
	Warning string   // non-empty when the file looked tabular but could not be parsed, e.g. "line 7: wrong number of fields"; Rows is then -1 and Columns nil
}

// maxRecordBytes bounds the input one CSV record may span. A longer record,
// typically an unterminated quote swallowing the rest of the file, yields a
// Warning instead of unbounded memory use.
const maxRecordBytes = 16 << 20

// ProfileReader reads r to the end exactly once, streaming, and returns its
// profile. name only selects the format by extension, ignoring case: .csv is
// CSV, .tsv and .tab are TSV, anything else is hashed and measured only.
//
// A tabular file that cannot be parsed is not an error: its Profile carries
// a Warning. If copy is non-nil every byte read is also written to copy, in
// order; an error from copy or from r aborts the profile and is returned
// wrapped.
func ProfileReader(r io.Reader, name string, copy io.Writer) (Profile, error) {
	return profile(r, name, copy, maxRecordBytes)
}

// ProfileFile opens the file at path and returns ProfileReader's profile of
// it, using path to select the format.
func ProfileFile(path string, copy io.Writer) (Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	defer f.Close()
	return ProfileReader(f, path, copy)
}

// profile is ProfileReader with the record size limit as a parameter.
func profile(r io.Reader, name string, copy io.Writer, maxRecord int64) (Profile, error) {
	src := newSource(r, copy)
	p := Profile{Format: formatOf(name), Rows: -1}
	if p.Format != "" {
		t := readTable(src, p.Format, maxRecord)
		if src.err != nil {
			return Profile{}, src.wrap(name)
		}
		p.Rows, p.Columns, p.Warning = t.rows, t.columns, t.warning
	}
	if err := src.drain(); err != nil {
		return Profile{}, src.wrap(name)
	}
	p.SHA256 = hex.EncodeToString(src.hash.Sum(nil))
	p.Size = src.n
	return p, nil
}

// formatOf returns the tabular format implied by name's extension, or "".
func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return "csv"
	case ".tsv", ".tab":
		return "tsv"
	}
	return ""
}
