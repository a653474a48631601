package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/modeldb/modeldb/internal/gitsrc"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/rundir"
	"github.com/modeldb/modeldb/runfile"
	"github.com/modeldb/modeldb/ui"
)

// Exit statuses of a command that could not be run, as shells use them.
const (
	exitNotFound      = 127
	exitCannotExecute = 126
)

// runTimeFormat is RFC 3339 with milliseconds, so short runs show a duration.
const runTimeFormat = "2006-01-02T15:04:05.000Z07:00"

func runCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "run a training command and record it as a run",
		Description: "Runs CMD (any program: python, Rscript, a shell script) in the current directory, with\n" +
			"standard input and output passed through, then commits a run recording its command line,\n" +
			"exit status, start and finish times, git provenance, environment, and what it wrote to the\n" +
			"run directory. The commit line goes to standard error; --porcelain prints JSON on stdout.\n\n" +
			"CMD gets two environment variables:\n" +
			"  MODELDB_RUN_DIR    an empty directory (with an empty artifacts/) for its results\n" +
			"  MODELDB_RUN_NAME   the name the run will be recorded under\n\n" +
			"After CMD exits, modeldb reads from $MODELDB_RUN_DIR (every file optional):\n" +
			"  run.json | run.toml  a run file (docs/runfile.md); paths relative to $MODELDB_RUN_DIR\n" +
			"  metrics.jsonl        one metric per line: {\"name\": \"loss\", \"value\": 0.3, \"step\": 1,\n" +
			"                       \"slice\": \"country=US\", \"split\": \"test\"} (step, slice, split optional)\n" +
			"  params.json          a JSON object of parameters\n" +
			"  artifacts/           every file below it, stored as an artifact named by its path\n" +
			"                       relative to artifacts/ (a symlink stores the file it points to)\n" +
			"params.json and metrics.jsonl win over the run file, and flags win over everything.\n" +
			"The directory is removed afterwards (kept, and named, when recording fails).\n\n" +
			"The run is tagged status=succeeded or status=failed. A failed command (non-zero exit,\n" +
			"killed by a signal: status 128+N, or interrupted: Ctrl-C and SIGTERM are passed on to\n" +
			"CMD) is recorded as failed, or not at all with --no-record-failed. modeldb exits with\n" +
			"CMD's exit status; 127 (126) when CMD cannot be found (executed), recording nothing;\n" +
			"1 when CMD succeeded but the run could not be recorded.\n\n" +
			"Example: modeldb run --name lr-0.1 --param lr=0.1 -- python train.py --lr 0.1\n" +
			"docs/clients.md describes the run directory in full.",
		ArgsUsage:    "-- CMD [ARGS...]",
		OnUsageError: runUsageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "commit message"},
			&cli.StringFlag{Name: "name", Usage: "unique run `NAME` (default: generated, e.g. brave-otter-417)"},
			&cli.StringSliceFlag{Name: "param", Usage: "a parameter `KEY=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "metric", Usage: "a metric `[SPLIT:]NAME[SLICE][@STEP]=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "dataset", Usage: "a data file `ROLE=PATH` (repeatable), fingerprinted after CMD exits"},
			&cli.BoolFlag{Name: "store-data", Usage: "also store the bytes of every --dataset file"},
			&cli.StringSliceFlag{Name: "artifact", Usage: "a file CMD produced `[NAME=]PATH` (repeatable)"},
			&cli.StringSliceFlag{Name: "tag", Usage: "a run tag `KEY=VALUE` (repeatable)"},
			&cli.BoolFlag{Name: "no-source", Usage: "do not record git provenance of the current directory"},
			&cli.BoolFlag{Name: "no-record-failed", Usage: "record nothing when CMD fails"},
			&cli.BoolFlag{Name: "porcelain", Usage: "print the result as JSON on stdout (for scripts and clients)"},
		},
		Action: func(c *cli.Context) error { return runRun(e, c) },
	}
}

const runUsage = "usage: modeldb run [flags] -- CMD [ARGS...]"

func runUsageError(_ *cli.Context, err error, _ bool) error {
	return &usageError{fmt.Sprintf("run: %s (%s; flags of CMD go after --)", longFlags(err.Error()), runUsage)}
}

// runCommandLine returns CMD and its arguments: everything after "--".
// modeldb's argument reordering (args.go) moves flags in front of
// positional arguments but leaves everything after "--" alone; without
// "--" the reordering would take CMD's flags (python -m ...) for modeldb's,
// so "--" is required.
func runCommandLine(c *cli.Context) ([]string, error) {
	argv := c.Args().Slice()
	var parent []string
	if l := c.Lineage(); len(l) > 1 && l[1] != nil {
		parent = l[1].Args().Slice() // "run", its flags, "--", CMD...
	}
	n := len(argv)
	if n == 0 || len(parent) < n+1 || parent[len(parent)-n-1] != "--" {
		return nil, usagef("run: %s (give the command after --)", runUsage)
	}
	return argv, nil
}

// runOutcome is how the command ended.
type runOutcome struct {
	status      int       // exit status; 128+N when killed by signal N
	signal      string    // the signal that killed it, if any
	interrupted os.Signal // SIGINT or SIGTERM received by modeldb, if any
	started     time.Time
	finished    time.Time
}

func (o *runOutcome) failed() bool { return o.status != 0 || o.interrupted != nil }

func runRun(e *env, c *cli.Context) error {
	argv, err := runCommandLine(c)
	if err != nil {
		return err
	}
	// Check the flags before running anything: a typo must not cost a
	// training run.
	check := &runfile.Spec{}
	if err := runFlags(check, c, func(p string) string { return p }); err != nil {
		return err
	}
	if err := check.Validate(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	name := c.String("name")
	if c.IsSet("name") {
		if err := nameFree(r, name); err != nil {
			return fmt.Errorf("run: %w", err)
		}
	} else if name, err = freeName(r); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	workdir, err := filepath.Abs(e.dir)
	if err != nil {
		return err
	}
	// Provenance is taken before the command runs: the code that ran is the
	// code as it was when it started, before the command wrote any files.
	var source *objects.Source
	if !c.Bool("no-source") {
		info, err := gitsrc.Describe(workdir)
		if err != nil && !errors.Is(err, gitsrc.ErrNotRepository) {
			return fmt.Errorf("run: capture git provenance: %w", err)
		}
		if err == nil {
			source = &objects.Source{Commit: info.Commit, Branch: info.Branch, Dirty: info.Dirty, Remote: info.Remote}
		}
	}
	// The run directory lives in the repository's tmp directory, on the
	// same file system as the objects.
	dir, err := rundir.Create(filepath.Join(r.Dir, "tmp"))
	if err != nil {
		return fmt.Errorf("run: create the run directory: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(dir)
		}
	}()

	out, startErr := execute(e, argv, workdir, dir, name)
	if startErr != nil {
		fmt.Fprintf(e.err, "modeldb: run: %s\n", startErr.msg)
		return &silentError{startErr.code}
	}
	exitCode := func() error {
		if out.status == 0 {
			return nil
		}
		return &silentError{out.status}
	}
	if out.failed() && c.Bool("no-record-failed") {
		fmt.Fprintf(e.err, "modeldb: run: %s %s; not recorded (--no-record-failed)\n", argv[0], outcomeText(out))
		return exitCode()
	}
	res, spec, err := recordRun(e, c, r, dir, argv, name, source, out)
	if err != nil {
		keep = true
		code := out.status
		if code == 0 {
			code = exitFailure
		}
		fmt.Fprintf(e.err, "modeldb: run: %s\n", oneLine(err.Error()))
		fmt.Fprintf(e.err, "modeldb: run: %s %s but the run was not recorded; its run directory is kept in %s\n",
			argv[0], outcomeText(out), displayPath(dir))
		return &silentError{code}
	}
	if err := printRunResult(e, c, res, spec, out); err != nil {
		return err
	}
	return exitCode()
}

// runFlags applies the commit flags to spec, with their errors naming run.
func runFlags(spec *runfile.Spec, c *cli.Context, fix func(string) string) error {
	err := applyFlags(spec, c, fix)
	var ue *usageError
	if errors.As(err, &ue) && strings.HasPrefix(ue.msg, "commit: ") {
		return &usageError{"run: " + strings.TrimPrefix(ue.msg, "commit: ")}
	}
	return err
}

// nameFree checks that a run can be committed under name.
func nameFree(r *repo.Repo, name string) error {
	if err := refs.ValidateShort(name); err != nil {
		return fmt.Errorf("run name: %w", err)
	}
	for _, n := range []struct {
		what string
		ref  refs.Name
	}{{"run", refs.Run(name)}, {"branch", refs.Branch(name)}, {"tag", refs.Tag(name)}} {
		if ref, err := r.Store.Ref(n.ref); err == nil {
			if n.what == "run" {
				return fmt.Errorf("%w: %q names commit %s; choose another --name", repo.ErrNameTaken, name, ref.ID.Short())
			}
			return fmt.Errorf("%w: %q is already a %s name; choose another so revisions stay unambiguous", repo.ErrNameClash, name, n.what)
		}
	}
	return nil
}

// freeName generates a run name not yet taken.
func freeName(r *repo.Repo) (string, error) {
	for range 100 {
		if name := repo.GenerateName(); nameFree(r, name) == nil {
			return name, nil
		}
	}
	return "", errors.New("could not generate a free run name; give one with --name")
}

// startError is a command that could not be started, with the exit status
// shells use for it.
type startError struct {
	code int
	msg  string
}

// execute runs argv in workdir with the run directory and name in its
// environment, passing signals on, and reports how it ended.
func execute(e *env, argv []string, workdir, dir, name string) (*runOutcome, *startError) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = workdir
	cmd.Env = append(withoutVars(os.Environ(), rundir.DirEnv, rundir.NameEnv),
		rundir.DirEnv+"="+dir, rundir.NameEnv+"="+name)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = childStreams(e)
	// With in-process streams the output is copied; do not wait for ever
	// on a background process of the command that keeps them open.
	cmd.WaitDelay = 2 * time.Second
	if f, ok := e.out.(interface{ Flush() error }); ok {
		f.Flush()
	}
	if cmd.Err != nil {
		return nil, startFailure(argv[0], cmd.Err)
	}
	// Catch SIGINT and SIGTERM from before the start, so modeldb outlives
	// the command and records it.
	sigc := make(chan os.Signal, 4)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigc)
	out := &runOutcome{started: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, startFailure(argv[0], err)
	}
	done := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for {
			select {
			case sig := <-sigc:
				if out.interrupted == nil {
					out.interrupted = sig // read after <-forwarded
				}
				// Ctrl-C at a terminal reaches the whole foreground process
				// group, the command included: sending it again would
				// interrupt its clean-up.
				if sig == syscall.SIGINT && inForeground() {
					continue
				}
				cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	out.finished = time.Now()
	close(done)
	<-forwarded
	st := cmd.ProcessState
	if st == nil {
		// Not started after all: cannot happen after a successful Start.
		out.status = exitFailure
		return out, nil
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		out.status = 128 + int(ws.Signal())
		out.signal = unix.SignalName(ws.Signal())
		if out.signal == "" {
			out.signal = fmt.Sprintf("signal %d", int(ws.Signal()))
		}
	} else {
		out.status = st.ExitCode()
	}
	if out.status == 0 && err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		// Copying the command's output failed (only with in-process streams).
		out.status = exitFailure
	}
	return out, nil
}

func startFailure(name string, err error) *startError {
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		if strings.ContainsRune(name, '/') {
			return &startError{exitNotFound, name + ": no such file"}
		}
		return &startError{exitNotFound, name + ": command not found"}
	case errors.Is(err, fs.ErrPermission):
		return &startError{exitCannotExecute, name + ": permission denied"}
	case errors.Is(err, syscall.ENOEXEC):
		return &startError{exitCannotExecute, name + ": cannot execute: exec format error (a script needs a #! line)"}
	case errors.Is(err, syscall.EISDIR):
		return &startError{exitCannotExecute, name + ": is a directory"}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &startError{exitCannotExecute, name + ": " + err.Error()}
}

// withoutVars drops the variables named from environ.
func withoutVars(environ []string, names ...string) []string {
	out := environ[:0:0]
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// childStreams returns the command's standard streams. When modeldb runs
// on the process's own streams (as cmd/modeldb does), the command gets
// those very files: its output is neither buffered nor copied, and it sees
// the terminal when there is one. (Main buffers standard output, so the
// env does not hold the file itself; Main's standard error is the file.)
// Otherwise, as when Main is called in-process with other writers, the
// command's output is copied to the env's writers as it comes.
func childStreams(e *env) (io.Reader, io.Writer, io.Writer) {
	if f, ok := e.err.(*os.File); ok && f == os.Stderr {
		var in io.Reader = os.Stdin
		if e.in != io.Reader(os.Stdin) {
			in = e.in
		}
		return in, os.Stdout, os.Stderr
	}
	return e.in, flushWriter{e.out}, e.err
}

// flushWriter writes through a buffered writer at once.
type flushWriter struct{ w io.Writer }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if fl, ok := f.w.(interface{ Flush() error }); ok && err == nil {
		err = fl.Flush()
	}
	return n, err
}

// inForeground reports whether modeldb (and so the command, which shares
// its process group) is in the foreground of its controlling terminal.
func inForeground() bool {
	for _, fd := range []int{0, 1, 2} {
		if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
			return pgrp == unix.Getpgrp()
		}
	}
	return false
}

// outcomeText says how the command ended, e.g. "exited with status 3".
func outcomeText(o *runOutcome) string {
	switch {
	case o.signal != "":
		return fmt.Sprintf("was killed by %s (exit status %d)", o.signal, o.status)
	case o.interrupted != nil:
		return fmt.Sprintf("was interrupted (%s) and exited with status %d", signalName(o.interrupted), o.status)
	}
	return fmt.Sprintf("exited with status %d", o.status)
}

// failureText says briefly why a run failed, e.g. "exit status 3" or
// "killed by SIGKILL, exit status 137".
func failureText(o *runOutcome) string {
	switch {
	case o.signal != "":
		return fmt.Sprintf("killed by %s, exit status %d", o.signal, o.status)
	case o.interrupted != nil:
		return fmt.Sprintf("interrupted by %s, exit status %d", signalName(o.interrupted), o.status)
	}
	return fmt.Sprintf("exit status %d", o.status)
}

func signalName(s os.Signal) string {
	if ss, ok := s.(syscall.Signal); ok {
		if n := unix.SignalName(ss); n != "" {
			return n
		}
	}
	return s.String()
}

// recordRun builds the run from the run directory, the flags and the
// outcome, and commits it.
func recordRun(e *env, c *cli.Context, r *repo.Repo, dir string, argv []string, name string,
	source *objects.Source, out *runOutcome) (*repo.CommitResult, *runfile.Spec, error) {
	contents, err := rundir.Read(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range contents.Warnings {
		fmt.Fprintf(e.err, "modeldb: run: warning: %s\n", w)
	}
	spec := contents.Spec
	if err := runFlags(spec, c, flagPathFixer(e.dir, dir)); err != nil {
		return nil, nil, err
	}
	if spec.Name == "" {
		spec.Name = name
	}
	spec.Command = argv
	status := out.status
	spec.ExitStatus = &status
	spec.Started = out.started.UTC().Format(runTimeFormat)
	spec.Finished = out.finished.UTC().Format(runTimeFormat)
	if spec.Source == nil {
		spec.Source = source
	}
	if spec.Tags == nil {
		spec.Tags = map[string]string{}
	}
	spec.Tags["status"] = "succeeded"
	if out.failed() {
		spec.Tags["status"] = "failed"
	}
	if out.signal != "" {
		spec.Tags["signal"] = out.signal
	}
	if out.interrupted != nil {
		spec.Tags["interrupted"] = signalName(out.interrupted)
	}
	if err := spec.Validate(); err != nil {
		return nil, nil, err
	}
	run, err := r.BuildRun(spec, repo.BuildOptions{BaseDir: dir, NoSource: true})
	if err != nil {
		return nil, nil, err
	}
	message := spec.Message
	if c.IsSet("message") {
		message = c.String("message")
	}
	spec.Message = message
	res, err := r.Commit(run, repo.CommitOptions{Message: message})
	if err != nil {
		return nil, nil, err
	}
	return res, spec, nil
}

// printRunResult prints the commit line on standard error (standard
// output carries the command's own output), or JSON on standard output.
func printRunResult(e *env, c *cli.Context, res *repo.CommitResult, spec *runfile.Spec, out *runOutcome) error {
	status := "succeeded"
	if out.failed() {
		status = "failed"
	}
	if c.Bool("porcelain") {
		return e.printJSON(commitJSON(res, map[string]any{"exit_status": out.status, "status": status}))
	}
	s := e.styles
	if !isTerminal(e.err) {
		s = ui.NewStyles(e.err, false)
	}
	line := commitLine(s, res)
	if out.failed() {
		line += " (failed: " + failureText(out) + ")"
	}
	if spec.Message != "" {
		line += ": " + firstLine(spec.Message)
	}
	fmt.Fprintln(e.err, line)
	return nil
}

// displayPath shows p relative to the directory modeldb was started in
// when it is below it.
func displayPath(p string) string {
	abs, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(abs, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
