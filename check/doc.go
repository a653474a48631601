// Package check decides whether a candidate model may replace a baseline:
// it compares gated metrics of two runs against tolerances and reports
// which gates held. It is what `modeldb check` runs in CI.
//
// A gate is written [SPLIT:]NAME[SLICE]:max|min[:TOL] — the metric key of
// `modeldb commit --metric` followed by the direction in which the metric
// improves (max: higher is better, so a regression is a drop; min: lower
// is better) and how much worse the candidate may be: an absolute amount
// ("0.005") or a percentage of the baseline value ("10%"); 0 when left
// out. A gate may be just NAME when the direction is known from
// modeldb.toml's [metrics] table or from the metric's name (see
// diff.DefaultDirection).
//
// Each run's metric is its last recorded value for that name, slice and
// split (a curve counts by its last step), as in `modeldb diff`. The
// package returns values and errors; rendering belongs to package ui. A
// metric missing from either run is a *DataError.
package check
