package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

// env is what every command gets: the IO streams, styles and the working
// directory.
type env struct {
	in       io.Reader
	out      io.Writer
	err      io.Writer
	styles   *ui.Styles
	dir      string
	notFound bool
	terminal bool // standard output is a terminal
}

func newEnv(in io.Reader, out, errw io.Writer) *env {
	return &env{in: in, out: out, err: errw, styles: ui.NewStyles(out, false), dir: "."}
}

// setup decides colour and the working directory once the global flags are parsed.
func (e *env) setup(color, dir string) error {
	var on bool
	switch color {
	case "always":
		on = true
	case "never":
		on = false
	case "auto":
		_, noColor := os.LookupEnv("NO_COLOR")
		on = !noColor && e.terminal && os.Getenv("TERM") != "dumb"
	default:
		return usagef("--color must be auto, always or never, not %q", color)
	}
	e.styles = ui.NewStyles(e.out, on)
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return usagef("-C %s: not a directory", dir)
		}
		e.dir = dir
	}
	return nil
}

// isTerminal reports whether w is a terminal (not merely a character
// device such as /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// openRepo opens the repository containing the working directory.
func (e *env) openRepo() (*repo.Repo, error) {
	return repo.Open(e.dir)
}

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (e *env) printf(format string, args ...any) {
	fmt.Fprintf(e.out, format, args...)
}
