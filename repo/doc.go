// Package repo is the facade over a modeldb repository: Init and Open,
// committing runs, resolving revisions, walking history, branches and tags,
// restoring artifacts, and fsck. Commands in internal/cli call it; it never
// prints and never exits.
package repo
