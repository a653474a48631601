// Command indexgen builds the repository the query-index benchmark runs
// on: N commits of runs the size the query index is specified for — a
// five-stage pipeline, 18 params (10 of the run, 8 of its stages), 10
// metrics of which 5 are slices (accuracy[country=US], …), and two
// datasets with 8 columns each (zip_code in two runs of three), plus tags,
// environment and git provenance.
//
//	go run ./bench/indexgen -n 100000 -modeldb DIR
//
// Like bench/gen it writes through the library — repo.Init, then
// repo.OpenDirWith(dir, fsstore.Options{NotDurable: true}) and repo.Commit
// per run — in the normal format, skipping only fsync. It does not build
// the query index: bench/indexgen/run.sh times 'modeldb reindex', one
// incremental commit and the paper's three questions on the result; see
// docs/benchmarks.md, "Query index".
package main
