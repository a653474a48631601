package cli

import (
	"github.com/urfave/cli/v2"
)

func revParseCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "rev-parse",
		Usage:        "print the full commit id each revision names",
		Description:  "A revision is a full or unique-prefix id, HEAD, a branch, tag or run name, remote/branch,\nfollowed by any number of ~N (N-th first-parent ancestor) and ^N (N-th parent) steps.",
		ArgsUsage:    "REV...",
		OnUsageError: commandUsageError("rev-parse"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "short", Usage: "print abbreviated ids"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON object of revision → id"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 1, -1, "REV..."); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			out := map[string]string{}
			for _, rev := range c.Args().Slice() {
				id, err := r.Resolve(rev)
				if err != nil {
					return err
				}
				s := id.String()
				if c.Bool("short") {
					s = id.Short()
				}
				if c.Bool("json") {
					out[rev] = s
				} else {
					e.printf("%s\n", s)
				}
			}
			if c.Bool("json") {
				return e.printJSON(out)
			}
			return nil
		},
	}
}
