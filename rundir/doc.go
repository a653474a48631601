// Package rundir is the run-directory contract of "modeldb run": the
// directory a training command finds in $MODELDB_RUN_DIR and writes its
// results to, and the reader that collects them into a run spec once the
// command has exited.
//
// Every file is optional:
//
//   - run.json or run.toml: a run file (docs/runfile.md) with paths
//     relative to the run directory;
//   - metrics.jsonl: one metric per line, a JSON object with "name" and
//     "value" and optionally "step", "slice" and "split", so that any
//     language can stream metrics and curves while it trains;
//   - params.json: a JSON object of run-level parameters;
//   - artifacts/: every file below it is stored as an artifact named by its
//     path relative to artifacts/ (with "/" separators).
//
// params.json and metrics.jsonl add to the run file and win where both name
// the same parameter or metric (in metrics.jsonl the last line for a metric
// wins). Errors are single lines naming the file and, for metrics.jsonl
// and params.json, the line. See docs/clients.md.
package rundir
