// Package files stores file contents in a repository as content-defined
// chunks plus a manifest (objects.File), and restores them as streams,
// verifying every chunk and the whole-file SHA-256.
//
// Chunk boundaries come from a rolling Rabin fingerprint (restic's
// chunker), so two versions of a model that share most of their bytes share
// most of their chunks, also when bytes were inserted. It is the only package
// that imports the chunker.
package files
