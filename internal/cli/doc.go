// Package cli is modeldb's command line: urfave/cli wiring, one file per
// command. It is the only package that prints and picks exit codes; every
// command gathers values from the library packages and hands them to a
// renderer (styled text, --json).
package cli
