package gitsrc

import (
	"errors"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5"
)

// ErrNotRepository is returned by Describe when dir is not inside a git work
// tree. Bare repositories have no work tree and also yield it.
var ErrNotRepository = errors.New("not a git repository")

// open opens the repository whose work tree contains dir, walking up the
// parent directories as git does. Linked work trees (git worktree add) are
// supported. A dir outside any work tree yields an error wrapping
// ErrNotRepository.
func open(dir string) (*git.Repository, error) {
	// go-git walks up from missing paths too; insist that dir exists so a
	// typo is reported as such rather than resolved to an enclosing repo.
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{
		DetectDotGit:          true,
		EnableDotGitCommonDir: true,
	})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, ErrNotRepository
	}
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	return repo, nil
}
