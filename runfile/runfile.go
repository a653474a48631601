package runfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// Spec is a parsed run file.
type Spec struct {
	// Name is the run's name; when empty the committer generates one.
	Name string `json:"name,omitempty"`
	// Message describes the run, like a commit message.
	Message string `json:"message,omitempty"`
	// Params are the run-level parameters. Numbers are json.Number in
	// canonical form; strings, booleans, lists and tables keep their types.
	Params map[string]any `json:"params,omitempty"`
	// Pipeline is the model's stages, in order.
	Pipeline []objects.Stage `json:"pipeline,omitempty"`
	// Metrics are the measured values.
	Metrics []objects.Metric `json:"metrics,omitempty"`
	// Datasets is the data the run used.
	Datasets []Dataset `json:"datasets,omitempty"`
	// Artifacts are the files the run produced.
	Artifacts []Artifact `json:"artifacts,omitempty"`
	// Source is the provenance of the code; if nil, the committer captures
	// git provenance itself.
	Source *objects.Source `json:"source,omitempty"`
	// Environment records versions and settings, e.g. python = "3.12.2".
	Environment map[string]string `json:"environment,omitempty"`
	// Command is the command line that built the run.
	Command []string `json:"command,omitempty"`
	// ExitStatus is the command's exit status, when known.
	ExitStatus *int `json:"exit_status,omitempty"`
	// Started is when the build started, RFC 3339.
	Started string `json:"started,omitempty"`
	// Finished is when the build finished, RFC 3339.
	Finished string `json:"finished,omitempty"`
	// Tags are free-form labels.
	Tags map[string]string `json:"tags,omitempty"`
	// Author is who built the run; when empty the committer decides.
	Author string `json:"author,omitempty"`
}

// Dataset names data a run used: a file to fingerprint (Path), or a
// fingerprint computed by a client (SHA256, Size, Rows, Columns) with no
// file.
type Dataset struct {
	// Role is what the run used the data for, e.g. "train" or "test".
	Role string `json:"role"`
	// Path is the file to fingerprint, relative to the run file's directory.
	Path string `json:"path,omitempty"`
	// Store asks the committer to also store the bytes in the repository.
	Store bool `json:"store,omitempty"`
	// SHA256 is the SHA-256 of the data, 64 lowercase hex digits: computed by
	// a client when there is no Path, or the digest the file at Path must have.
	SHA256 string `json:"sha256,omitempty"`
	// Size is the size of the data in bytes; for a Path, the file's size
	// replaces it.
	Size int64 `json:"size,omitempty"`
	// Rows is the number of data rows, when known; for a CSV or TSV file at
	// Path, the counted rows replace it.
	Rows *int64 `json:"rows,omitempty"`
	// Columns are the typed columns, when known; for a CSV or TSV file at
	// Path, the columns found replace them.
	Columns []objects.Column `json:"columns,omitempty"`
}

// Artifact names a file the run produced. Name is how it is stored and
// restored (default: Path as written).
type Artifact struct {
	// Path is the file, relative to the run file's directory.
	Path string `json:"path"`
	// Name is the artifact's name in the run; empty means Path.
	Name string `json:"name,omitempty"`
}

// StoredName returns the name the artifact is stored and restored under:
// Name, or Path when Name is empty.
func (a Artifact) StoredName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Path
}

// Format of a run file.
type Format int

// The run file formats.
const (
	// FormatTOML is TOML 1.0.
	FormatTOML Format = iota
	// FormatJSON is JSON: one object, nothing after it.
	FormatJSON
)

// String returns "toml" or "json".
func (f Format) String() string {
	switch f {
	case FormatTOML:
		return "toml"
	case FormatJSON:
		return "json"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatFor picks the format by file extension: .json → JSON, .toml → TOML;
// anything else is an error saying which extensions are accepted.
func FormatFor(path string) (Format, error) {
	ext := filepath.Ext(path)
	switch strings.ToLower(ext) {
	case ".toml":
		return FormatTOML, nil
	case ".json":
		return FormatJSON, nil
	case "":
		return 0, fmt.Errorf("%s: run file has no extension; want .toml or .json", path)
	}
	return 0, fmt.Errorf("%s: run file extension %q not supported; want .toml or .json", path, ext)
}

// Parse reads a run file. name is used in error messages (e.g. "run.toml" or
// "stdin"). The spec is validated before it is returned; every error is a
// single line starting with name.
func Parse(r io.Reader, format Format, name string) (*Spec, error) {
	if name == "" {
		name = "run file"
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s, err := parse(data, format)
	if err != nil {
		return nil, fileError(name, err)
	}
	return s, nil
}

// ParseFile opens path and parses it by its extension.
func ParseFile(path string) (*Spec, error) {
	format, err := FormatFor(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, format, path)
}

// fileError prefixes err with the file name and makes it one line.
func fileError(name string, err error) error {
	msg := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(err.Error())
	return &parseError{msg: name + ": " + msg, err: err}
}

// parseError is a one-line error that still unwraps to its cause.
type parseError struct {
	msg string
	err error
}

func (e *parseError) Error() string { return e.msg }
func (e *parseError) Unwrap() error { return e.err }
