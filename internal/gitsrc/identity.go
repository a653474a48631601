package gitsrc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing/format/config"
)

// Identity returns the user.name and user.email git would use for dir: the
// repository's local config first, then the global config. Each key is
// resolved on its own, so a local user.email combines with a global
// user.name. Both are "" with a nil error when nothing is set.
//
// The global config is $XDG_CONFIG_HOME/git/config (or ~/.config/git/config
// when XDG_CONFIG_HOME is unset) overridden by ~/.gitconfig, as in git.
// Outside a repository only the global config is used; ErrNotRepository is
// never returned. The system config and include directives are not read.
func Identity(dir string) (name, email string, err error) {
	local, err := localConfig(dir)
	if err != nil {
		return "", "", fmt.Errorf("identity %s: %w", dir, err)
	}
	global, err := globalConfig()
	if err != nil {
		return "", "", fmt.Errorf("identity %s: %w", dir, err)
	}
	for _, cfg := range append([]*config.Config{local}, global...) {
		user := cfg.Section("user")
		if name == "" {
			name = user.Option("name")
		}
		if email == "" {
			email = user.Option("email")
		}
	}
	return name, email, nil
}

// localConfig returns the config of the repository containing dir, or an
// empty config when dir is not inside a repository.
func localConfig(dir string) (*config.Config, error) {
	repo, err := open(dir)
	if errors.Is(err, ErrNotRepository) {
		return config.New(), nil
	}
	if err != nil {
		return nil, err
	}
	return repo.config.Raw, nil
}

// globalConfig returns the global config files that exist, highest
// precedence first.
func globalConfig() ([]*config.Config, error) {
	var paths []string
	if home, err := os.UserHomeDir(); err == nil {
		paths = append(paths, filepath.Join(home, ".gitconfig"))
	}
	if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
		paths = append(paths, filepath.Join(xdg, "git", "config"))
	} else if home, err := os.UserHomeDir(); err == nil {
		paths = append(paths, filepath.Join(home, ".config", "git", "config"))
	}
	var cfgs []*config.Config
	for _, path := range paths {
		cfg, err := readConfig(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		cfgs = append(cfgs, cfg)
	}
	return cfgs, nil
}

// readConfig parses the git config file at path.
func readConfig(path string) (*config.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg := config.New()
	if err := config.NewDecoder(f).Decode(cfg); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return cfg, nil
}
