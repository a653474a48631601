package gitsrc

import (
	"errors"
	"fmt"
	"net/url"
	"sort"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
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

// describe reports the state of the opened repository repo.
func describe(repo *repository) (Info, error) {
	info := Info{Root: repo.root}
	commit, branch, err := head(repo)
	if err != nil {
		return Info{}, err
	}
	info.Branch = branch
	if !commit.IsZero() {
		info.Commit = commit.String()
	}
	if info.Dirty, err = dirty(repo, commit); err != nil {
		return Info{}, err
	}
	info.Remote = remoteURL(repo.config)
	return info, nil
}

// head returns the commit HEAD resolves to and the branch it names. In a
// repository without commits HEAD names an unborn branch: commit is the
// zero hash and branch is that branch's short name.
func head(repo *repository) (commit plumbing.Hash, branch string, err error) {
	ref, err := repo.storage.Reference(plumbing.HEAD)
	if err != nil {
		return plumbing.ZeroHash, "", fmt.Errorf("read HEAD: %w", err)
	}
	if ref.Type() == plumbing.SymbolicReference && ref.Target().IsBranch() {
		branch = ref.Target().Short()
	}
	resolved, err := storer.ResolveReference(repo.storage, plumbing.HEAD)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, branch, nil // unborn branch
	}
	if err != nil {
		return plumbing.ZeroHash, "", fmt.Errorf("resolve HEAD: %w", err)
	}
	return resolved.Hash(), branch, nil
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
