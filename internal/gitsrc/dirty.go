package gitsrc

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// dirty reports whether any tracked file differs between commit head (zero
// for an unborn branch), the index and the work tree, as
// "git status --untracked-files=no" would show it. Untracked files do not
// count.
func dirty(repo *repository, head plumbing.Hash) (bool, error) {
	idx, err := repo.storage.Index()
	if err != nil {
		return false, fmt.Errorf("read index: %w", err)
	}
	staged, err := indexDiffers(repo.storage, head, idx)
	if err != nil || staged {
		return staged, err
	}
	wt := newWorktree(repo.root, idx, repo.config)
	for _, e := range idx.Entries {
		changed, err := wt.changed(e)
		if err != nil || changed {
			return changed, err
		}
	}
	return false, nil
}

// indexDiffers reports whether the index records other paths, modes or
// blobs than the tree of commit head, like "git diff-index --cached". An
// unmerged path counts as a difference.
func indexDiffers(s storer.EncodedObjectStorer, head plumbing.Hash, idx *index.Index) (bool, error) {
	if head.IsZero() {
		return len(idx.Entries) > 0, nil
	}
	for _, e := range idx.Entries {
		if e.Stage != 0 {
			return true, nil
		}
	}
	tree, err := commitTree(s, head)
	if err != nil {
		return false, err
	}
	if cacheTreeIs(idx, tree) {
		return false, nil
	}
	files := make(map[string]treeFile, len(idx.Entries))
	if err := flattenTree(s, tree, "", files); err != nil {
		return false, err
	}
	if len(files) != len(idx.Entries) {
		return true, nil
	}
	// Index paths are unique, so equal sizes and every entry found in files
	// mean both hold the same paths.
	for _, e := range idx.Entries {
		f, ok := files[e.Name]
		if !ok || f.hash != e.Hash || f.mode != canonMode(e.Mode) {
			return true, nil
		}
	}
	return false, nil
}

// cacheTreeIs reports whether the index's cache-tree extension, kept up to
// date by git, says that the whole index hashes to tree. It lets a clean
// index be recognised without reading any tree object. Git invalidates the
// root entry on any change to the index (and for intent-to-add entries), and
// go-git drops invalid entries when decoding, so a root entry (path "") that
// covers every index entry is current.
func cacheTreeIs(idx *index.Index, tree plumbing.Hash) bool {
	if idx.Cache == nil || len(idx.Cache.Entries) == 0 {
		return false
	}
	root := idx.Cache.Entries[0]
	return root.Path == "" && root.Entries == len(idx.Entries) && root.Hash == tree
}

// configBool returns the boolean value of section.key in cfg, or def when
// it is not set. As in git, a key without a value is true.
func configBool(cfg *config.Config, section, key string, def bool) bool {
	if cfg == nil || cfg.Raw == nil || !cfg.Raw.HasSection(section) {
		return def
	}
	sec := cfg.Raw.Section(section)
	if !sec.HasOption(key) {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(sec.Option(key))) {
	case "false", "no", "off", "0":
		return false
	}
	return true
}
