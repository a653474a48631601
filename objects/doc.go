// Package objects defines modeldb's content-addressed objects: the ID type,
// the canonical JSON encoding that makes equal content hash to equal IDs, and
// the object types (run, commit, file manifest) stored in a repository.
//
// The package depends only on the standard library. See docs/format.md for
// the byte-level specification.
package objects
