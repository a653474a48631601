package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/importers/mlflow"
)

// importMLflowCommand is `modeldb import mlflow DIR`.
func importMLflowCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "mlflow",
		Usage:     "import the experiments and runs of an MLflow file store (mlruns/)",
		ArgsUsage: "DIR",
		Description: "Reads the MLflow file store DIR (an mlruns/ directory, or a directory that contains one)\n" +
			"and commits every run: params, metric histories (one metric per step), tags, times, author,\n" +
			"git commit and artifacts. Each experiment goes on its own branch, PREFIX + its name\n" +
			"(mlflow/breast-cancer-dummy); runs are named after their MLflow name and id\n" +
			"(rogue-shrimp-446-ce15e9ef) and tagged mlflow.run_id, so importing again adds only new runs.\n" +
			"Everything is read and validated before the first commit: a malformed file imports nothing.\n" +
			"Deleted runs are skipped unless --include-deleted. See docs/clients.md.",
		OnUsageError: commandUsageError("import mlflow"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "branch-prefix", Value: mlflow.DefaultBranchPrefix, Usage: "put each experiment on branch `PREFIX` + its name"},
			&cli.StringFlag{Name: "branch", Usage: "put every run on branch `NAME` instead"},
			&cli.BoolFlag{Name: "include-deleted", Usage: "import deleted runs and experiments too (tagged mlflow.lifecycle_stage=deleted)"},
			&cli.BoolFlag{Name: "string-params", Usage: "keep every param as the string MLflow recorded (default: \"10\" → 10, \"None\" → null)"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "read and validate everything, report what would be imported, write nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: modeldb import mlflow [flags] DIR")
			}
			if c.IsSet("branch") && c.IsSet("branch-prefix") {
				return usagef("import mlflow: give --branch or --branch-prefix, not both")
			}
			return runImportMLflow(e, c)
		},
	}
}

func runImportMLflow(e *env, c *cli.Context) error {
	dir := resolveArg(e, c.Args().First())
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("import mlflow: %w", err)
	} else if !st.IsDir() {
		return fmt.Errorf("import mlflow: %s is not a directory", c.Args().First())
	}
	// A project directory holding mlruns/ names the store too.
	if _, err := os.Stat(filepath.Join(dir, "mlruns")); err == nil && !hasExperiment(dir) {
		dir = filepath.Join(dir, "mlruns")
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	opts := mlflow.Options{
		BranchPrefix:   c.String("branch-prefix"),
		NoBranchPrefix: c.IsSet("branch-prefix") && c.String("branch-prefix") == "",
		Branch:         c.String("branch"),
		IncludeDeleted: c.Bool("include-deleted"),
		StringParams:   c.Bool("string-params"),
		DryRun:         c.Bool("dry-run"),
	}
	sum, err := mlflow.Import(r, dir, opts)
	if sum != nil {
		sum.Store = c.Args().First()
		if c.Bool("json") {
			if jerr := e.printJSON(sum); jerr != nil && err == nil {
				err = jerr
			}
		} else {
			printMLflowSummary(e, sum)
		}
	}
	if err != nil {
		return fmt.Errorf("import mlflow: %w", err)
	}
	return nil
}

// hasExperiment reports whether dir has a <id>/meta.yaml.
func hasExperiment(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*", "meta.yaml"))
	return len(m) > 0
}

func printMLflowSummary(e *env, sum *mlflow.Summary) {
	imported := "imported"
	if sum.DryRun {
		imported = "to import"
	}
	for _, x := range sum.Experiments {
		var parts []string
		if x.Imported > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", x.Imported, imported))
		}
		if x.AlreadyImported > 0 {
			parts = append(parts, fmt.Sprintf("%d already imported", x.AlreadyImported))
		}
		if x.SkippedDeleted > 0 {
			parts = append(parts, fmt.Sprintf("%d deleted (skipped)", x.SkippedDeleted))
		}
		if x.Runs == 0 {
			parts = append(parts, "no runs")
		}
		branch := x.Branch
		if branch == "" {
			branch = "(no branch)"
		}
		deleted := ""
		if x.Deleted {
			deleted = " (deleted)"
		}
		e.printf("experiment %s %q%s → %s: %s\n", x.ID, x.Name, deleted, branch, strings.Join(parts, ", "))
	}
	verb := "imported"
	if sum.DryRun {
		verb = "would import"
	}
	e.printf("%s %d run(s) from %d experiment(s); %d already imported, %d deleted skipped\n",
		verb, sum.Imported, len(sum.Experiments), sum.AlreadyImported, sum.SkippedDeleted)
	for _, n := range sum.Notes {
		fmt.Fprintf(e.err, "note: %s\n", n)
	}
}
