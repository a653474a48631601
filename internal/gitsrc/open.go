package gitsrc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNotRepository is returned by Describe when dir is not inside a git work
// tree. Bare repositories have no work tree and also yield it.
var ErrNotRepository = errors.New("not a git repository")

// repository is an opened non-bare repository.
type repository struct {
	root    string              // absolute path of the work tree root
	storage *filesystem.Storage // objects, refs, config, HEAD and index
	config  *config.Config
}

// open opens the repository whose work tree contains dir, walking up the
// parent directories as git does. Linked work trees (git worktree add) and
// submodules (a .git file holding "gitdir: PATH") are supported. A dir
// outside any work tree yields an error wrapping ErrNotRepository.
func open(dir string) (*repository, error) {
	// Insist that dir exists so that a typo is reported as such rather
	// than resolved to an enclosing repository.
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	start, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		start = filepath.Dir(start)
	}
	root, gitDir, err := findGitDir(start)
	if err != nil {
		return nil, err
	}
	s, err := openStorage(gitDir)
	if err != nil {
		return nil, err
	}
	if _, err := s.Reference(plumbing.HEAD); errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, ErrNotRepository
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if err := checkFormat(cfg); err != nil {
		return nil, err
	}
	return &repository{root: root, storage: s, config: cfg}, nil
}

// findGitDir returns the nearest directory at or above start that holds a
// .git entry, and the git directory that entry designates.
func findGitDir(start string) (root, gitDir string, err error) {
	for root = start; ; {
		fi, err := os.Stat(filepath.Join(root, ".git"))
		if err == nil {
			gitDir, err = dotGitPath(root, fi)
			return root, gitDir, err
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", err
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", "", ErrNotRepository
		}
		root = parent
	}
}

// dotGitPath returns the git directory designated by root/.git, whose
// FileInfo is fi: the directory itself, or the path named by a
// "gitdir: PATH" file (relative to root unless absolute).
func dotGitPath(root string, fi os.FileInfo) (string, error) {
	dotGit := filepath.Join(root, ".git")
	if fi.IsDir() {
		return dotGit, nil
	}
	b, err := os.ReadFile(dotGit)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", dotGit, err)
	}
	const prefix = "gitdir: "
	line, _, _ := strings.Cut(string(b), "\n")
	if !strings.HasPrefix(line, prefix) {
		return "", fmt.Errorf("%s has no %q prefix", dotGit, prefix)
	}
	path := strings.TrimSpace(strings.TrimPrefix(line, prefix))
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	return path, nil
}

// openStorage opens the git directory gitDir. For a linked work tree, whose
// gitDir holds a commondir file, HEAD and the index are read from gitDir
// and everything else (objects, refs, config) from the common directory.
func openStorage(gitDir string) (*filesystem.Storage, error) {
	if _, err := os.Stat(gitDir); errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotRepository
	} else if err != nil {
		return nil, err
	}
	common, err := commonDir(gitDir)
	if err != nil {
		return nil, err
	}
	fs := dotgit.NewRepositoryFilesystem(osfs.New(gitDir), osfs.New(common))
	return filesystem.NewStorage(fs, cache.NewObjectLRUDefault()), nil
}

// commonDir returns the directory named by gitDir/commondir, or gitDir
// itself when there is no such file.
func commonDir(gitDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if errors.Is(err, os.ErrNotExist) {
		return gitDir, nil
	}
	if err != nil {
		return "", fmt.Errorf("read commondir: %w", err)
	}
	path := strings.TrimSpace(string(b))
	if path == "" {
		return gitDir, nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(gitDir, path)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("common directory of %s: %w", gitDir, err)
	}
	return path, nil
}

// checkFormat rejects repositories whose format version or extensions
// (e.g. objectFormat = sha256, refStorage = reftable) could make what is
// read here wrong. Like go-git, it accepts only the no-op extensions.
func checkFormat(cfg *config.Config) error {
	switch v := cfg.Core.RepositoryFormatVersion; v {
	case "", "0", "1":
	default:
		return fmt.Errorf("unsupported core.repositoryformatversion %q", v)
	}
	if !cfg.Raw.HasSection("extensions") {
		return nil
	}
	for _, opt := range cfg.Raw.Section("extensions").Options {
		name := strings.ToLower(opt.Key)
		if name != "noop" && (name != "noop-v1" || cfg.Core.RepositoryFormatVersion != "1") {
			return fmt.Errorf("unsupported repository extension %q", name)
		}
	}
	return nil
}
