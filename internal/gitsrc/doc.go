// Package gitsrc reports the git state of a directory (commit, branch,
// dirtiness, remote) and the committer identity git would use there.
//
// It is the only package in modeldb that depends on go-git; the rest of the
// project sees plain strings and booleans. Nothing here runs the git binary.
package gitsrc
