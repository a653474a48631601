package cli

import (
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/importers/spark"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/runfile"
)

func importSparkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "spark",
		Usage:     "import a Spark ML Pipeline or PipelineModel saved with save()",
		ArgsUsage: "DIR",
		Description: "Reads DIR (metadata/part-00000, stages/<i>_<uid>/, nested saves such as RFormulaModel's\n" +
			"pipelineModel/ or CrossValidatorModel's bestModel/) and commits one run: a stage per Spark\n" +
			"stage (op = class, name = uid, params = defaults overlaid by the explicit params), tags\n" +
			"spark.explicit.<stage> listing the explicit params, environment spark = the Spark version.\n" +
			"Nothing is committed unless the whole save reads cleanly. docs/clients.md has the details.\n\n" +
			"--param, --metric and --tag add to the run as with 'modeldb commit'; --with-data also stores\n" +
			"the save's files (metadata and data/) as artifacts, named by their path inside DIR.",
		OnUsageError: commandUsageError("import spark"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "commit message (default: import spark <DIR name>)"},
			&cli.StringFlag{Name: "name", Usage: "unique run `NAME` (default: generated, e.g. brave-otter-417)"},
			&cli.StringSliceFlag{Name: "param", Usage: "a run parameter `KEY=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "metric", Usage: "a metric `[SPLIT:]NAME[SLICE][@STEP]=VALUE` (repeatable)"},
			&cli.StringSliceFlag{Name: "tag", Usage: "a run tag `KEY=VALUE` (repeatable)"},
			&cli.BoolFlag{Name: "with-data", Usage: "also store the save's files (metadata and data) as artifacts"},
			&cli.StringFlag{Name: "branch", Usage: "commit on branch `NAME` (created if missing) instead of HEAD's"},
			&cli.BoolFlag{Name: "no-source", Usage: "do not record git provenance of the current directory"},
			&cli.BoolFlag{Name: "porcelain", Usage: "print the result as JSON (for scripts and clients)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: modeldb import spark DIR [flags]")
			}
			return runImportSpark(e, c)
		},
	}
}

func runImportSpark(e *env, c *cli.Context) error {
	dir := resolveArg(e, c.Args().First())
	m, err := spark.Read(dir)
	if err != nil {
		return err
	}
	spec := m.Spec(spark.SpecOptions{WithData: c.Bool("with-data")})
	if err := applySparkFlags(spec, c); err != nil {
		return err
	}
	if err := spec.Validate(); err != nil {
		return err
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	src, _ := filepath.Abs(e.dir)
	keep := map[string]bool{}
	for k := range spec.Environment {
		keep[k] = true
	}
	run, err := r.BuildRun(spec, repo.BuildOptions{BaseDir: m.Dir, SourceDir: src, NoSource: c.Bool("no-source")})
	if err != nil {
		return err
	}
	// BuildRun records this machine's os and arch; the model was built on
	// another, which the save does not name.
	for k := range run.Environment {
		if !keep[k] {
			delete(run.Environment, k)
		}
	}
	message := spec.Message
	if c.IsSet("message") {
		message = c.String("message")
	}
	res, err := r.Commit(run, repo.CommitOptions{Message: message, Branch: c.String("branch")})
	if err != nil {
		return err
	}
	return printCommitResult(e, res, message, c.Bool("porcelain"), map[string]any{"stages": len(run.Pipeline)})
}

// applySparkFlags adds what --name, --param, --metric and --tag say to
// spec, as commit's flags do; flags win over what was imported.
func applySparkFlags(spec *runfile.Spec, c *cli.Context) error {
	const cmd = "import spark"
	if c.IsSet("name") {
		spec.Name = c.String("name")
	}
	for _, p := range c.StringSlice("param") {
		k, v, err := runfile.ParseParamFlag(p)
		if err != nil {
			return usagef("%s: --param %s", cmd, err)
		}
		if spec.Params == nil {
			spec.Params = map[string]any{}
		}
		spec.Params[k] = v
	}
	seen := map[string]bool{}
	for _, f := range c.StringSlice("metric") {
		m, err := runfile.ParseMetricFlag(f)
		if err != nil {
			return usagef("%s: --metric %s", cmd, err)
		}
		if seen[m.Key()] {
			return usagef("%s: --metric %s is given twice", cmd, m.Key())
		}
		seen[m.Key()] = true
		spec.SetMetric(m)
	}
	for _, t := range c.StringSlice("tag") {
		k, v, err := runfile.ParsePairFlag(t, "KEY=VALUE")
		if err != nil {
			return usagef("%s: --tag %s", cmd, err)
		}
		if spec.Tags == nil {
			spec.Tags = map[string]string{}
		}
		spec.Tags[k] = v
	}
	return nil
}
