package cli

import (
	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/ui"
)

func showCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "show",
		Usage:        "show one run in full: pipeline, params, metrics, datasets, artifacts, source",
		ArgsUsage:    "[REV]",
		OnUsageError: commandUsageError("show"),
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the commit and run as JSON"}},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 1, "[REV]"); err != nil {
				return err
			}
			rev := "HEAD"
			if c.NArg() == 1 {
				rev = c.Args().First()
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			id, err := r.Resolve(rev)
			if err != nil {
				return err
			}
			commit, run, err := r.ReadCommitRun(id)
			if err != nil {
				return err
			}
			decos, err := r.Decorations()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				refs := decos[id]
				if refs == nil {
					refs = []string{}
				}
				return e.printJSON(struct {
					ID     objects.ID      `json:"id"`
					Commit *objects.Commit `json:"commit"`
					Run    *objects.Run    `json:"run"`
					Refs   []string        `json:"refs"`
				}{id, commit, run, refs})
			}
			return e.styles.WriteRun(e.out, ui.RunView{CommitID: id, Commit: commit, RunID: commit.Run, Run: run, Refs: decos[id]})
		},
	}
}
