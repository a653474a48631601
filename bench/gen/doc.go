// Command gen builds the benchmark repositories: a modeldb repository with
// N commits of small, realistic runs, and a git repository with an equal
// history (one small file changed per commit, the same messages, authors and
// times), built with git fast-import.
//
//	go run ./bench/gen -n 100000 -modeldb DIR -git DIR
//
// The modeldb repository is written through the library (repo.Init, then
// repo.Commit per run), in the normal on-disk format; only fsync is skipped
// (fsstore.Options{NotDurable: true}), as the repository is throw-away.
// The git repository is packed and gets a commit-graph (git gc), the state
// a long-lived git repository is normally in.
package main
