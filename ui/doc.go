// Package ui renders modeldb's values (history, runs, fsck reports) as
// styled terminal text with lipgloss. Styles are built once per output
// stream; when the output is not a terminal, or NO_COLOR is set, the same
// renderers produce plain text. It is the only package that imports
// lipgloss.
package ui
