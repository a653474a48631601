package gitsrc

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// Info describes the git state of a directory at the time a run is recorded.
type Info struct {
	Commit string // full hex SHA-1 of HEAD; "" if the repository has no commits yet
	Branch string // short branch name; "" when HEAD is detached
	Dirty  bool   // tracked files modified, staged, or deleted (untracked files do NOT count)
	Remote string // URL of remote "origin", else of the first remote by name; "" if none
	Root   string // absolute path of the work tree root
}

// Describe reports the git state of the work tree containing dir, looking in
// dir and then its parents for .git as git does. It never runs the git
// binary. If dir is not inside a work tree the error wraps ErrNotRepository.
//
// Credentials embedded in the remote URL (https://user:token@host/...) are
// removed so that Info is safe to record.
func Describe(dir string) (Info, error) {
	repo, err := open(dir)
	if err != nil {
		return Info{}, fmt.Errorf("describe %s: %w", dir, err)
	}
	info, err := describe(repo)
	if err != nil {
		return Info{}, fmt.Errorf("describe %s: %w", dir, err)
	}
	return info, nil
}

func describe(repo *git.Repository) (Info, error) {
	wt, err := repo.Worktree()
	if errors.Is(err, git.ErrIsBareRepository) {
		return Info{}, ErrNotRepository
	}
	if err != nil {
		return Info{}, fmt.Errorf("work tree: %w", err)
	}
	var info Info
	if info.Root, err = filepath.Abs(wt.Filesystem.Root()); err != nil {
		return Info{}, fmt.Errorf("work tree root: %w", err)
	}
	if info.Commit, info.Branch, err = head(repo); err != nil {
		return Info{}, err
	}
	if info.Dirty, err = dirty(wt); err != nil {
		return Info{}, err
	}
	cfg, err := repo.Config()
	if err != nil {
		return Info{}, fmt.Errorf("read config: %w", err)
	}
	info.Remote = remoteURL(cfg)
	return info, nil
}

// head returns the commit HEAD resolves to and the branch it names. In a
// repository without commits HEAD names an unborn branch: commit is "" and
// branch is that branch's short name.
func head(repo *git.Repository) (commit, branch string, err error) {
	ref, err := repo.Reference(plumbing.HEAD, false)
	if err != nil {
		return "", "", fmt.Errorf("read HEAD: %w", err)
	}
	if ref.Type() == plumbing.SymbolicReference && ref.Target().IsBranch() {
		branch = ref.Target().Short()
	}
	resolved, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", branch, nil // unborn branch
	}
	if err != nil {
		return "", "", fmt.Errorf("resolve HEAD: %w", err)
	}
	return resolved.Hash().String(), branch, nil
}

// dirty reports whether any tracked file differs from HEAD or the index.
// Untracked files do not count.
func dirty(wt *git.Worktree) (bool, error) {
	status, err := wt.Status()
	if err != nil {
		return false, fmt.Errorf("status: %w", err)
	}
	for _, s := range status {
		if s.Staging == git.Untracked && s.Worktree == git.Untracked {
			continue
		}
		if s.Staging != git.Unmodified || s.Worktree != git.Unmodified {
			return true, nil
		}
	}
	return false, nil
}

// remoteURL returns the first URL of remote "origin", or else of the remote
// whose name sorts first, with credentials removed; "" if there is none.
func remoteURL(cfg *config.Config) string {
	names := make([]string, 0, len(cfg.Remotes))
	for name, r := range cfg.Remotes {
		if len(r.URLs) > 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	name := names[0]
	if r, ok := cfg.Remotes["origin"]; ok && len(r.URLs) > 0 {
		name = "origin"
	}
	return redact(cfg.Remotes[name].URLs[0])
}

// redact removes secrets from a remote URL. For http(s) the whole user info
// is dropped, since tokens are often passed as the user name; for other
// schemes only a password is dropped (ssh://git@host keeps "git").
// Scp-like addresses (git@host:path) carry no secret and are kept as is.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	_, hasPassword := u.User.Password()
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		u.User = nil
	case hasPassword:
		u.User = url.User(u.User.Username())
	default:
		return raw
	}
	return u.String()
}
