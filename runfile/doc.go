// Package runfile parses run files: TOML or JSON documents that describe one
// model build, as read by "modeldb commit -f run.toml" and
// "modeldb commit --json -".
//
// A run file names the run, its pipeline of stages, parameters, metrics, the
// datasets it used and the artifacts it produced. The two formats are
// equivalent and use the same field names; Parse turns either into a Spec.
// A few shorthands are accepted in both formats: metrics as a table of
// name = number, datasets as a table keyed by role, and artifacts as a list
// of paths.
//
// Errors are single lines that name the file, the place (a line, or a field
// path such as pipeline[1].stages[0].op) and what is wrong.
//
// See docs/runfile.md for the reference.
package runfile
