package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	want := &Config{Core: Core{Format: FormatVersion}, User: User{Name: "Ann", Email: "ann@example.com"}}
	if err := Save(p, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(p)
	if err != nil || *got != *want {
		t.Fatalf("Load = %+v, %v", got, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		content string
		want    string
		is      error
	}{
		"newer":   {"[core]\nformat = 99\n", "upgrade modeldb", ErrNewerFormat},
		"unknown": {"[core]\nformat = 1\nfromat = 2\n", `unknown setting "core.fromat"`, nil},
		"syntax":  {"[core\n", "expected", nil},
	} {
		p := filepath.Join(dir, name+".toml")
		os.WriteFile(p, []byte(tc.content), 0o644)
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.toml")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: %v", err)
	}
}
