package gitsrc

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIdentity(t *testing.T) {
	const (
		homeCfg   = "[user]\n\tname = Home Name\n\temail = home@example.com\n"
		xdgCfg    = "[user]\n\tname = XDG Name\n\temail = xdg@example.com\n"
		localName = "[user]\n\tname = Local Name\n"
	)
	tests := []struct {
		name       string
		home       string // content of ~/.gitconfig; "" for none
		xdg        string // content of $XDG_CONFIG_HOME/git/config; "" for none
		dotConfig  string // content of ~/.config/git/config; "" for none
		xdgUnset   bool   // leave XDG_CONFIG_HOME empty
		inRepo     bool   // call Identity inside a repository
		local      string // appended to the repository's .git/config
		wantName   string
		wantEmail  string
		wantErrors bool
	}{
		{name: "nothing set"},
		{name: "nothing set in repo", inRepo: true},
		{name: "home only", home: homeCfg, wantName: "Home Name", wantEmail: "home@example.com"},
		{name: "xdg only", xdg: xdgCfg, wantName: "XDG Name", wantEmail: "xdg@example.com"},
		{name: "home overrides xdg", home: homeCfg, xdg: xdgCfg, wantName: "Home Name", wantEmail: "home@example.com"},
		{name: "home overrides xdg per key", home: "[user]\n\temail = home@example.com\n", xdg: xdgCfg,
			wantName: "XDG Name", wantEmail: "home@example.com"},
		{name: "default xdg path", dotConfig: xdgCfg, xdgUnset: true, wantName: "XDG Name", wantEmail: "xdg@example.com"},
		{name: "default xdg path ignored when XDG_CONFIG_HOME set", dotConfig: xdgCfg},
		{name: "local overrides global per key", home: homeCfg, inRepo: true, local: localName,
			wantName: "Local Name", wantEmail: "home@example.com"},
		{name: "local ignored outside repo", home: homeCfg, local: localName,
			wantName: "Home Name", wantEmail: "home@example.com"},
		{name: "case-insensitive keys", home: "[User]\n\tNAME = Upper\n", wantName: "Upper"},
		{name: "malformed global config", home: "[user\n", wantErrors: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, xdg := t.TempDir(), t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("USERPROFILE", home)
			t.Setenv("XDG_CONFIG_HOME", xdg)
			if tt.xdgUnset {
				t.Setenv("XDG_CONFIG_HOME", "")
			}
			writeIfSet(t, filepath.Join(home, ".gitconfig"), tt.home)
			writeIfSet(t, filepath.Join(xdg, "git", "config"), tt.xdg)
			writeIfSet(t, filepath.Join(home, ".config", "git", "config"), tt.dotConfig)

			_, repoDir := initRepo(t)
			appendFile(t, filepath.Join(repoDir, ".git", "config"), tt.local)
			dir := t.TempDir()
			if tt.inRepo {
				dir = repoDir
			}

			name, email, err := Identity(dir)
			if (err != nil) != tt.wantErrors {
				t.Fatalf("Identity error = %v, want error %v", err, tt.wantErrors)
			}
			if name != tt.wantName || email != tt.wantEmail {
				t.Errorf("Identity = %q, %q; want %q, %q", name, email, tt.wantName, tt.wantEmail)
			}
		})
	}
}

// writeIfSet writes content to path, creating parent directories, unless
// content is empty.
func writeIfSet(t *testing.T, path, content string) {
	t.Helper()
	if content == "" {
		return
	}
	writeFile(t, filepath.Dir(path), filepath.Base(path), content)
}

// appendFile appends content to the existing file at path.
func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}
