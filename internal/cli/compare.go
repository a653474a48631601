package cli

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

const compareUsage = "REV REV [REV...] | --branch NAME [-n N]"

func compareCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "compare",
		Usage: "show several runs side by side: aligned pipelines, differing params, best metrics",
		Description: "Compares the runs of two or more revisions, or of the commits on a branch (first-parent\n" +
			"history, newest first). Stages are aligned across all the runs; only parameters that differ\n" +
			"are shown unless --all; the best value of each metric is marked (directions from the\n" +
			"[metrics] table of modeldb.toml, else guessed from the name). docs/compare.md has details.",
		ArgsUsage:    compareUsage,
		OnUsageError: commandUsageError("compare"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "branch", Usage: "compare the runs on branch `NAME` (first-parent history, newest first)"},
			&cli.IntFlag{Name: "max-count", Aliases: []string{"n"}, Value: -1, Usage: "with --branch, compare at most `N` runs"},
			&cli.BoolFlag{Name: "all", Usage: "show every parameter, not only those that differ"},
			&cli.BoolFlag{Name: "json", Usage: "print the comparison as JSON"},
			&cli.BoolFlag{Name: "md", Usage: "print the comparison as a Markdown table (for a pull-request comment)"},
		},
		Action: func(c *cli.Context) error { return runCompare(e, c) },
	}
}

func runCompare(e *env, c *cli.Context) error {
	branch, limit := c.String("branch"), c.Int("max-count")
	switch {
	case c.Bool("json") && c.Bool("md"):
		return usagef("compare: --json and --md cannot be used together")
	case c.IsSet("branch") && c.NArg() > 0:
		return usagef("compare: give revisions or --branch, not both")
	case !c.IsSet("branch") && c.IsSet("max-count"):
		return usagef("compare: -n only applies to --branch")
	case c.IsSet("branch") && c.IsSet("max-count") && limit < 2:
		return usagef("compare: -n must be at least 2")
	case !c.IsSet("branch") && c.NArg() < 2:
		return usagef("usage: modeldb compare %s (at least two runs)", compareUsage)
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	var runs []diff.Run
	if c.IsSet("branch") {
		runs, err = branchRuns(r, branch, limit)
	} else {
		runs, err = revisionRuns(r, c.Args().Slice())
	}
	if err != nil {
		return err
	}
	project, err := r.Project()
	if err != nil {
		return err
	}
	opts := diff.Options{Directions: map[string]diff.Direction{}}
	for name, dir := range project.Metrics {
		opts.Directions[name] = diff.Direction(dir)
	}
	cmp := diff.Compare(runs, opts)
	switch {
	case c.Bool("json"):
		return e.printJSON(cmp)
	case c.Bool("md"):
		return ui.WriteComparisonMarkdown(e.out, cmp, c.Bool("all"))
	}
	return e.styles.WriteComparison(e.out, cmp, c.Bool("all"))
}

// revisionRuns reads the run of each revision.
func revisionRuns(r *repo.Repo, revs []string) ([]diff.Run, error) {
	runs := make([]diff.Run, 0, len(revs))
	for _, rev := range revs {
		id, err := r.Resolve(rev)
		if err != nil {
			return nil, err
		}
		_, run, err := r.ReadCommitRun(id)
		if err != nil {
			return nil, err
		}
		runs = append(runs, diff.Run{Commit: id, Run: run})
	}
	return runs, nil
}

// branchRuns reads the runs on a branch's first-parent history, newest
// first, at most limit of them (all when limit < 0).
func branchRuns(r *repo.Repo, name string, limit int) ([]diff.Run, error) {
	ref, err := r.Store.Ref(refs.Branch(name))
	if errors.Is(err, refs.ErrNotFound) || errors.Is(err, refs.ErrInvalidName) {
		if cur, _, herr := r.Head(); herr == nil && cur == refs.Branch(name) {
			return nil, fmt.Errorf("branch '%s' does not have any commits yet", name)
		}
		return nil, fmt.Errorf("no branch named '%s'", name)
	}
	if err != nil {
		return nil, err
	}
	var runs []diff.Run
	for id := ref.ID; limit < 0 || len(runs) < limit; {
		commit, run, err := r.ReadCommitRun(id)
		if err != nil {
			return nil, err
		}
		runs = append(runs, diff.Run{Commit: id, Run: run})
		if len(commit.Parents) == 0 {
			break
		}
		id = commit.Parents[0]
	}
	if len(runs) < 2 {
		return nil, fmt.Errorf("branch '%s' has only one run; compare needs at least two", name)
	}
	return runs, nil
}
