package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/internal/suggest"
)

// Version is the modeldb version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks errors in how a command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// silentError carries an exit code for a failure whose explanation was
// already printed (fsck listing its problems).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs modeldb with args (without the program name) and returns the
// exit code. It never panics: an unexpected panic is reported as one line.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "modeldb: internal error: %v (please report this)\n", p)
			code = exitFailure
		}
	}()
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	e := newEnv(stdin, out, stderr)
	e.terminal = isTerminal(stdout)
	app := newApp(e)
	args, err := interspersed(app, args)
	if err == nil {
		err = app.Run(append([]string{"modeldb"}, args...))
	}
	if e.notFound {
		return exitUsage
	}
	if err == nil {
		return exitOK
	}
	out.Flush()
	var se *silentError
	if errors.As(err, &se) {
		return se.code
	}
	fmt.Fprintf(stderr, "modeldb: %s\n", oneLine(err.Error()))
	var ue *usageError
	if errors.As(err, &ue) || isFlagError(err) {
		return exitUsage
	}
	return exitFailure
}

func isFlagError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "flag provided but not defined") || strings.Contains(s, "Required flag") ||
		strings.HasPrefix(s, "invalid value") || strings.Contains(s, "flag needs an argument")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func newApp(e *env) *cli.App {
	return &cli.App{
		Name:    "modeldb",
		Usage:   "version control for machine-learning models",
		Version: Version,
		Description: "modeldb records every model build — pipeline, params, data, metrics, artifacts and source —\n" +
			"as content-addressed objects in a .modeldb directory, with commits, branches and tags.\n" +
			"Run 'modeldb COMMAND --help' for a command's options; docs/cli.md has the full reference.",
		Reader:    e.in,
		Writer:    e.out,
		ErrWriter: e.err,
		// "--param layers=[64,32]" is one value, not two.
		DisableSliceFlagSeparator: true,
		Suggest:                   true,
		ExitErrHandler:            func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &usageError{longFlags(err.Error()) + " (see 'modeldb --help')"}
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour output: auto, always or never (NO_COLOR is honoured)"},
			&cli.StringFlag{Name: "C", Usage: "run as if modeldb was started in `DIR`"},
		},
		Before: func(c *cli.Context) error { return e.setup(c.String("color"), c.String("C")) },
		Commands: []*cli.Command{
			initCommand(e), commitCommand(e), logCommand(e), showCommand(e),
			branchCommand(e), switchCommand(e), tagCommand(e), revParseCommand(e),
			restoreCommand(e), catObjectCommand(e), fsckCommand(e), reflogCommand(e),
			diffCommand(e),
			compareCommand(e),
			checkCommand(e), importCommand(e),
			runCommand(e),
			queryCommand(e), reindexCommand(e),
		},
		CommandNotFound: func(c *cli.Context, name string) {
			hint := "see 'modeldb --help'"
			var names []string
			for _, cmd := range c.App.VisibleCommands() {
				names = append(names, cmd.Name)
			}
			if s := suggest.Closest(name, names, 2); s != "" {
				hint = "did you mean '" + s + "'?"
			}
			fmt.Fprintf(e.err, "modeldb: '%s' is not a modeldb command (%s)\n", name, hint)
			e.notFound = true
		},
	}
}

// commandUsageError makes flag errors of a subcommand one clear line.
func commandUsageError(name string) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		return &usageError{fmt.Sprintf("%s: %s (see 'modeldb %s --help')", name, longFlags(err.Error()), name)}
	}
}

var singleDashLong = regexp.MustCompile(`(^|[ :])-([A-Za-z][A-Za-z-]+)`)

// longFlags rewrites "-bogus" in Go's flag errors to "--bogus", as typed.
func longFlags(msg string) string { return singleDashLong.ReplaceAllString(msg, "$1--$2") }

// exactArgs checks the number of positional arguments.
func argsBetween(c *cli.Context, min, max int, usage string) error {
	n := c.NArg()
	if n < min || (max >= 0 && n > max) {
		return usagef("usage: modeldb %s %s", c.Command.Name, usage)
	}
	return nil
}
