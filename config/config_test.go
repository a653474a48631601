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

func TestLoadProject(t *testing.T) {
	dir := t.TempDir()
	p, err := LoadProject(filepath.Join(dir, ProjectFile))
	if err != nil || len(p.Metrics) != 0 {
		t.Fatalf("missing project file: %+v, %v", p, err)
	}
	path := filepath.Join(dir, ProjectFile)
	os.WriteFile(path, []byte("[metrics]\naccuracy = \"up\"\nlatency_ms = \"down\"\n[check]\nbaseline = \"main\"\ngates = [\"accuracy:max:0.005\"]\n"), 0o644)
	p, err = LoadProject(path)
	if err != nil || p.Metrics["latency_ms"] != "down" || p.Check.Baseline != "main" || len(p.Check.Gates) != 1 {
		t.Fatalf("project: %+v, %v", p, err)
	}
	os.WriteFile(path, []byte("[metrics]\nloss = \"sideways\"\n"), 0o644)
	if _, err := LoadProject(path); err == nil || !strings.Contains(err.Error(), `want "up" or "down"`) {
		t.Fatalf("bad direction: %v", err)
	}
}
