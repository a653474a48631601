// Package storage declares where a repository's objects and references
// live: the Objects and Refs contracts that every store (a directory on
// disk, memory, and later remote stores) implements, and the errors they
// share. The conformance suite in storage/storagetest checks every
// implementation against the same contract.
package storage
