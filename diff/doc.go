// Package diff compares runs: it aligns two pipelines stage by stage with a
// global sequence alignment (Needleman–Wunsch) whose score rewards the same
// operator, the same stage name and similar parameters, recursively for
// nested stages, and reports parameter, dataset, metric, artifact, source
// and environment differences. A diff is a value; renderers (package ui,
// --json) turn it into text. It is the only package that imports
// sergi/go-diff.
package diff
