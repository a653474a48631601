package cli

import (
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/runfile"
)

func commitCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "commit",
		Usage: "record a run and commit it on the current branch",
		Description: "The run comes from a run file (-f run.toml or run.json; docs/runfile.md), from JSON on\n" +
			"stdin (--json -), from flags, or from a file plus flags (flags win).\n\n" +
			"--param KEY=VALUE          VALUE is typed: 10, 0.5, true, null, [1,2], {\"a\":1}, else a string\n" +
			"--metric [SPLIT:]NAME[SLICE][@STEP]=VALUE   e.g. accuracy=0.91, \"accuracy[country=US]=0.88\",\n" +
			"                           loss@3=0.21, test:auc=0.8\n" +
			"--dataset ROLE=PATH        fingerprint a data file (SHA-256, size; rows and columns for CSV)\n" +
			"--artifact [NAME=]PATH     store a file the run produced (streamed, chunked, deduplicated)",
		ArgsUsage:    " ",
		OnUsageError: commandUsageError("commit"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "commit message"},
			&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "read the run from run file `PATH` (.toml or .json)"},
			&cli.StringFlag{Name: "json", Usage: "read the run as JSON from `PATH` (- for stdin)"},
			&cli.StringFlag{Name: "name", Usage: "unique run `NAME` (default: generated, e.g. brave-otter-417)"},
			&cli.StringSliceFlag{Name: "param", Usage: "a parameter `KEY=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "metric", Usage: "a metric `[SPLIT:]NAME[SLICE][@STEP]=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "dataset", Usage: "a data file `ROLE=PATH` (repeatable)"},
			&cli.BoolFlag{Name: "store-data", Usage: "also store the bytes of every --dataset file"},
			&cli.StringSliceFlag{Name: "artifact", Usage: "a produced file `[NAME=]PATH` (repeatable)"},
			&cli.StringSliceFlag{Name: "tag", Usage: "a run tag `KEY=VALUE` (repeatable)"},
			&cli.BoolFlag{Name: "no-source", Usage: "do not record git provenance of the current directory"},
			&cli.BoolFlag{Name: "porcelain", Usage: "print the result as JSON (for scripts and clients)"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 0, "[flags]"); err != nil {
				return err
			}
			return runCommit(e, c)
		},
	}
}

func runCommit(e *env, c *cli.Context) error {
	spec, base, err := readSpec(e, c)
	if err != nil {
		return err
	}
	if err := applyFlags(spec, c, flagPathFixer(e.dir, base)); err != nil {
		return err
	}
	if err := spec.Validate(); err != nil {
		return err
	}
	if spec.Empty() {
		return usagef("commit: nothing to record: give -f FILE, --json PATH, or --param/--metric/--dataset/--artifact flags")
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	src, _ := filepath.Abs(e.dir)
	run, err := r.BuildRun(spec, repo.BuildOptions{BaseDir: base, SourceDir: src, NoSource: c.Bool("no-source")})
	if err != nil {
		return err
	}
	message := spec.Message
	if c.IsSet("message") {
		message = c.String("message")
	}
	res, err := r.Commit(run, repo.CommitOptions{Message: message})
	if err != nil {
		return err
	}
	updateIndex(e, r) // best effort: the commit has succeeded
	return printCommitResult(e, res, message, c.Bool("porcelain"), nil)
}

// readSpec reads the run file or JSON input, if any, and returns it with
// the directory its relative paths are resolved against.
func readSpec(e *env, c *cli.Context) (*runfile.Spec, string, error) {
	file, js := c.String("file"), c.String("json")
	switch {
	case file != "" && js != "":
		return nil, "", usagef("commit: give either -f or --json, not both")
	case file != "":
		p := resolveArg(e, file)
		spec, err := runfile.ParseFile(p)
		return spec, filepath.Dir(p), err
	case js == "-":
		spec, err := runfile.Parse(e.in, runfile.FormatJSON, "stdin")
		return spec, e.dir, err
	case js != "":
		p := resolveArg(e, js)
		f, err := os.Open(p)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		spec, err := runfile.Parse(f, runfile.FormatJSON, js)
		return spec, filepath.Dir(p), err
	}
	return &runfile.Spec{}, e.dir, nil
}

func resolveArg(e *env, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.dir, p)
}

// applyFlags adds what the flags say to spec; flags win over the file.
func applyFlags(spec *runfile.Spec, c *cli.Context, fix func(string) string) error {
	if c.IsSet("name") {
		spec.Name = c.String("name")
	}
	for _, p := range c.StringSlice("param") {
		k, v, err := runfile.ParseParamFlag(p)
		if err != nil {
			return usagef("commit: --param %s", err)
		}
		if spec.Params == nil {
			spec.Params = map[string]any{}
		}
		spec.Params[k] = v
	}
	seen := map[string]bool{}
	once := func(flag, key string) error {
		if seen[flag+"\x00"+key] {
			return usagef("commit: %s %s is given twice", flag, key)
		}
		seen[flag+"\x00"+key] = true
		return nil
	}
	for _, m := range c.StringSlice("metric") {
		metric, err := runfile.ParseMetricFlag(m)
		if err != nil {
			return usagef("commit: --metric %s", err)
		}
		if err := once("--metric", metric.Key()); err != nil {
			return err
		}
		spec.SetMetric(metric)
	}
	for _, d := range c.StringSlice("dataset") {
		role, path, err := runfile.ParsePairFlag(d, "ROLE=PATH")
		if err != nil {
			return usagef("commit: --dataset %s", err)
		}
		if err := once("--dataset", role); err != nil {
			return err
		}
		spec.SetDataset(runfile.Dataset{Role: role, Path: fix(path), Store: c.Bool("store-data")})
	}
	for _, a := range c.StringSlice("artifact") {
		art := runfile.ParseArtifactFlag(a)
		art.Name = art.StoredName()
		art.Path = fix(art.Path)
		if err := once("--artifact", art.Name); err != nil {
			return err
		}
		spec.SetArtifact(art)
	}
	for _, t := range c.StringSlice("tag") {
		k, v, err := runfile.ParsePairFlag(t, "KEY=VALUE")
		if err != nil {
			return usagef("commit: --tag %s", err)
		}
		if spec.Tags == nil {
			spec.Tags = map[string]string{}
		}
		spec.Tags[k] = v
	}
	return nil
}

// flagPathFixer returns a function that makes a path given on the command
// line (relative to the working directory) relative to base, the directory
// the run's paths are resolved against.
func flagPathFixer(workdir, base string) func(string) string {
	return func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		abs, err1 := filepath.Abs(filepath.Join(workdir, p))
		absBase, err2 := filepath.Abs(base)
		if err1 != nil || err2 != nil {
			return p
		}
		if rel, err := filepath.Rel(absBase, abs); err == nil {
			return rel
		}
		return abs
	}
}
