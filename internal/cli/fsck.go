package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func fsckCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "fsck",
		Usage: "verify every object and reference; exit 1 if anything is wrong",
		Description: "Reads every object and checks it against its id and its format, checks every reference and\n" +
			"reflog entry, and walks from them to check that every commit, run, file manifest and chunk\n" +
			"they need exists. Problems are listed one per line, naming the object or reference.",
		OnUsageError: commandUsageError("fsck"),
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"}},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 0, ""); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			rep, err := r.Fsck()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := e.printJSON(rep); err != nil {
					return err
				}
			} else {
				s := e.styles
				for _, p := range rep.Problems {
					e.printf("%s %s\n", s.Bad.Render("error:"), p.String())
				}
				summary := s.Good.Render("ok:")
				if len(rep.Problems) > 0 {
					summary = s.Bad.Render("FAILED:")
				}
				corrupt := ""
				if n := rep.Kinds["corrupt"]; n > 0 {
					corrupt = fmt.Sprintf(", %d unreadable", n)
				}
				e.printf("%s %d objects (%d commits, %d runs, %d files, %d chunks%s), %d refs, %s\n", summary,
					rep.Objects, rep.Kinds["commit"], rep.Kinds["run"], rep.Kinds["file"], rep.Kinds["chunk"], corrupt, rep.Refs,
					plural(len(rep.Problems), "problem"))
			}
			if len(rep.Problems) > 0 {
				return &silentError{code: exitFailure}
			}
			return nil
		},
	}
}
