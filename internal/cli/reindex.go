package cli

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"
)

func reindexCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "reindex",
		Usage: "rebuild the query index (.modeldb/index.sqlite) from the repository",
		Description: "The query index is a cache, built on first use and kept up to date by every commit;\n" +
			"it repairs itself when it finds it is stale. reindex throws it away and indexes every\n" +
			"commit reachable from a branch, tag, remote-tracking branch or HEAD again.",
		ArgsUsage:    " ",
		OnUsageError: commandUsageError("reindex"),
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 0, ""); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			ix, err := openIndex(r)
			if err != nil {
				return err
			}
			defer ix.Close()
			st := ix.Updated()
			if !st.Rebuilt {
				if st, err = ix.Rebuild(); err != nil {
					return err
				}
			}
			rate := ""
			if st.Runs > 0 && st.Duration > 0 {
				rate = fmt.Sprintf(" (%.0f runs/s)", float64(st.Runs)/st.Duration.Seconds())
			}
			e.printf("indexed %d runs (%d commits) in %s%s\n", st.Runs, st.Commits, st.Duration.Round(time.Millisecond), rate)
			return nil
		},
	}
}
