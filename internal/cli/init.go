package cli

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/repo"
)

func initCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "init",
		Usage:        "create an empty repository (.modeldb) in DIR or the current directory",
		ArgsUsage:    "[DIR]",
		OnUsageError: commandUsageError("init"),
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"}},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 1, "[DIR]"); err != nil {
				return err
			}
			dir := e.dir
			if c.NArg() == 1 {
				dir = resolveArg(e, c.Args().First())
			}
			r, err := repo.Init(dir)
			if errors.Is(err, repo.ErrExists) {
				return err
			}
			if err != nil {
				return err
			}
			defer r.Close()
			if c.Bool("json") {
				return e.printJSON(map[string]string{"dir": r.Dir, "branch": "main"})
			}
			e.printf("Initialized empty modeldb repository in %s\n", r.Dir)
			return nil
		},
	}
}
