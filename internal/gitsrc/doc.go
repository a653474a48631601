// Package gitsrc reports the git state of a directory (commit, branch,
// dirtiness, remote) and the committer identity git would use there.
//
// It is the only package in modeldb that depends on go-git; the rest of the
// project sees plain strings and booleans. Nothing here runs the git binary.
//
// Only go-git's storage, format and config subpackages are imported. The
// root package and plumbing/object pull in HTTP, TLS, SSH and OpenPGP code
// whose initialisation would slow the start-up of every modeldb command, so
// the tree walk and the work tree comparison are done here instead. Keep
// it that way: "go list -deps ./internal/gitsrc" must not list
// github.com/go-git/go-git/v5, plumbing/object or plumbing/transport.
package gitsrc
