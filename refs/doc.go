// Package refs defines reference names (branches, tags, run names, HEAD),
// their validation, reference updates for compare-and-swap, reflog entries,
// and the revision syntax (REV~N, REV^) used everywhere a commit is named.
package refs
