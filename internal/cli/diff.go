package cli

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/internal/gitsrc"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

func diffCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "diff",
		Usage: "compare two runs: pipeline stage by stage, params, datasets, metrics, artifacts, source",
		Description: "Compares run A with run B (or, given one revision, A's parent with A). The pipelines are\n" +
			"aligned stage by stage: inserted, removed, replaced and moved stages, nested ones too. Metrics\n" +
			"are better or worse by the directions in modeldb.toml [metrics] (else guessed from the name).\n" +
			"docs/diff.md explains the output and the --json schema.",
		ArgsUsage:    "A [B]",
		OnUsageError: commandUsageError("diff"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "also show unchanged params, environment entries and tags, and whole lists"},
			&cli.BoolFlag{Name: "json", Usage: "print the diff as JSON (schema: docs/diff.md)"},
			&cli.BoolFlag{Name: "md", Usage: "print the diff as Markdown, e.g. for a pull-request comment"},
			&cli.BoolFlag{Name: "exit-code", Usage: "exit 1 if the runs differ in content (pipeline, params, data, metrics, artifacts)"},
			&cli.BoolFlag{Name: "code", Usage: "also show the source-code diff between the runs' git commits"},
			&cli.StringSliceFlag{Name: "path", Usage: "limit --code to files under `PATH` (relative to the git root; repeatable)"},
		},
		Action: func(c *cli.Context) error { return runDiff(e, c) },
	}
}

func runDiff(e *env, c *cli.Context) error {
	if err := argsBetween(c, 1, 2, "A [B]"); err != nil {
		return err
	}
	if c.Bool("json") && c.Bool("md") {
		return usagef("diff: give either --json or --md, not both")
	}
	if c.IsSet("path") && !c.Bool("code") {
		return usagef("diff: --path limits --code; give --code too")
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	a, b, err := diffSides(r, c.Args().Slice())
	if err != nil {
		return err
	}
	proj, err := r.Project()
	if err != nil {
		return err
	}
	dirs := map[string]diff.Direction{}
	for name, dir := range proj.Metrics {
		dirs[name] = diff.Direction(dir)
	}
	d := diff.Runs(a, b, diff.Options{Directions: dirs})
	var code *[]diff.FileDiff // computed first: its errors come before any output
	if c.Bool("code") {
		files, err := codeDiff(e, a, b, c.StringSlice("path"))
		if err != nil {
			return err
		}
		code = &files
	}
	opts := ui.RunDiffOptions{All: c.Bool("all")}
	switch {
	case c.Bool("json") && code == nil:
		err = e.printJSON(d)
	case c.Bool("json"):
		err = e.printJSON(struct {
			*diff.RunDiff
			Code *[]diff.FileDiff `json:"code,omitempty"`
		}{d, code})
	case c.Bool("md"):
		md := ui.RunDiffMarkdown(d, opts)
		if code != nil {
			md += ui.CodeSectionMarkdown(*code)
		}
		_, err = io.WriteString(e.out, md)
	default:
		err = e.styles.WriteRunDiff(e.out, d, opts)
		if err == nil && code != nil {
			err = e.styles.WriteCodeSection(e.out, *code)
		}
	}
	if err != nil {
		return err
	}
	if c.Bool("exit-code") && d.HasChanges() {
		return &silentError{code: exitFailure}
	}
	return nil
}

// diffSides reads the two runs to compare: A and B, or A's first parent and A.
func diffSides(r *repo.Repo, revs []string) (diff.Run, diff.Run, error) {
	var sides [2]diff.Run
	var commits [2]*objects.Commit
	for i, rev := range revs {
		id, err := r.Resolve(rev)
		if err != nil {
			return diff.Run{}, diff.Run{}, err
		}
		commit, run, err := r.ReadCommitRun(id)
		if err != nil {
			return diff.Run{}, diff.Run{}, err
		}
		sides[i], commits[i] = diff.Run{Commit: id, Run: run}, commit
	}
	if len(revs) == 2 {
		return sides[0], sides[1], nil
	}
	if len(commits[0].Parents) == 0 {
		return diff.Run{}, diff.Run{}, fmt.Errorf("diff: %s (commit %s) has no parent to compare with; give two revisions: modeldb diff A B",
			revs[0], sides[0].Commit.Short())
	}
	parent := commits[0].Parents[0]
	_, run, err := r.ReadCommitRun(parent)
	if err != nil {
		return diff.Run{}, diff.Run{}, err
	}
	return diff.Run{Commit: parent, Run: run}, sides[0], nil
}

// codeDiff diffs the source code between the git commits the runs record,
// in the git repository of the working directory.
func codeDiff(e *env, a, b diff.Run, paths []string) ([]diff.FileDiff, error) {
	for _, side := range []diff.Run{a, b} {
		if side.Run.Source == nil || side.Run.Source.Commit == "" {
			return nil, fmt.Errorf("diff: run %s has no git commit recorded; --code needs both", side.Run.Name)
		}
		if side.Run.Source.Dirty {
			fmt.Fprintf(e.err, "modeldb: warning: run %s was built from uncommitted changes, which --code cannot show\n", side.Run.Name)
		}
	}
	changes, err := gitsrc.Changes(e.dir, a.Run.Source.Commit, b.Run.Source.Commit, paths)
	if err != nil {
		return nil, err
	}
	files := make([]diff.FileDiff, len(changes))
	for i, ch := range changes {
		files[i] = diff.Unified(ch.Path, ch.Old, ch.New, ch.Status)
		files[i].Binary = files[i].Binary || ch.Binary
	}
	return files, nil
}
