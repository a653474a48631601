// Package fs is the storage.Store of a repository directory (.modeldb/):
// loose objects compressed with zstd and written temp file → fsync →
// link, references as small files updated under an flock(2) lock with
// temp file → fsync → rename, and an append-only reflog per reference.
//
// It is the only package that imports the zstd library.
package fs
