package config

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/BurntSushi/toml"
)

// ProjectFile is the name of the project settings file: it sits beside
// .modeldb in the work tree and is meant to be committed with the code, so
// that CI and every teammate use the same metric directions and gates.
const ProjectFile = "modeldb.toml"

// Project is the content of modeldb.toml.
type Project struct {
	// Metrics maps a metric name to the direction in which it improves:
	// "up" (accuracy) or "down" (loss).
	Metrics map[string]string `toml:"metrics"`
	Check   Check             `toml:"check"`
}

// Check holds the defaults of modeldb check.
type Check struct {
	Baseline  string   `toml:"baseline"`
	Candidate string   `toml:"candidate"`
	Gates     []string `toml:"gates"` // "NAME:max|min[:TOLERANCE]" as for --metric
}

// LoadProject reads path. A missing file is an empty project, not an error.
func LoadProject(path string) (*Project, error) {
	var p Project
	md, err := toml.DecodeFile(path, &p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Project{}, nil
	}
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %q", path, und[0].String())
	}
	for name, dir := range p.Metrics {
		if dir != "up" && dir != "down" {
			return nil, fmt.Errorf("%s: metrics.%s = %q: want \"up\" or \"down\"", path, name, dir)
		}
	}
	return &p, nil
}
