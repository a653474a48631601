// Package repotest offers helpers for tests that need a real repository in
// a temporary directory.
package repotest
