package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// FormatVersion is the repository format this program writes and reads.
const FormatVersion = 1

// Config is the content of config.toml.
type Config struct {
	Core Core `toml:"core"`
	User User `toml:"user"`
}

// Core holds repository-level settings.
type Core struct {
	Format int `toml:"format"`
}

// User is the identity recorded as the author of commits.
type User struct {
	Name  string `toml:"name,omitempty"`
	Email string `toml:"email,omitempty"`
}

// ErrNewerFormat is returned when a repository was written by a newer modeldb.
var ErrNewerFormat = errors.New("repository format is newer than this modeldb")

// Load reads path. A missing file is an error.
func Load(path string) (*Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: missing", path)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %q", path, und[0].String())
	}
	if c.Core.Format > FormatVersion {
		return nil, fmt.Errorf("%s: %w (format %d; this modeldb reads up to %d): upgrade modeldb", path, ErrNewerFormat, c.Core.Format, FormatVersion)
	}
	return &c, nil
}

// Save writes c to path atomically (temp file, fsync, rename).
func Save(path string, c *Config) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
