// Command modeldb is version control for machine-learning models: it
// records every model build — pipeline, params, data, metrics, artifacts
// and source — as content-addressed objects in a .modeldb directory, with
// commits, branches and tags. main only hands the arguments to
// internal/cli; see docs/cli.md for the commands.
package main
