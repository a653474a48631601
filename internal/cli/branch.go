package cli

import (
	"github.com/urfave/cli/v2"
)

func branchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "branch",
		Usage: "list, create or delete branches",
		Description: "modeldb branch                 list branches (* marks the current one)\n" +
			"modeldb branch NAME [START]    create NAME at START (default HEAD)\n" +
			"modeldb branch -d NAME         delete NAME if it is reachable from HEAD (-D: even if not)",
		ArgsUsage:    "[NAME [START]]",
		OnUsageError: commandUsageError("branch"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "delete", Aliases: []string{"d"}, Usage: "delete the branch"},
			&cli.BoolFlag{Name: "force-delete", Aliases: []string{"D"}, Usage: "delete the branch even if it is not merged"},
			&cli.BoolFlag{Name: "json", Usage: "print the branch list as JSON"},
		},
		Action: func(c *cli.Context) error {
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			if c.Bool("delete") || c.Bool("force-delete") {
				if err := argsBetween(c, 1, 1, "-d NAME"); err != nil {
					return err
				}
				name := c.Args().First()
				id, err := r.DeleteBranch(name, c.Bool("force-delete"))
				if err != nil {
					return err
				}
				e.printf("Deleted branch %s (was %s).\n", name, id.Short())
				return nil
			}
			if c.NArg() > 0 {
				if err := argsBetween(c, 1, 2, "NAME [START]"); err != nil {
					return err
				}
				start := "HEAD"
				if c.NArg() == 2 {
					start = c.Args().Get(1)
				}
				_, err := r.CreateBranch(c.Args().First(), start)
				return err
			}
			branches, err := r.Branches()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				type branchJSON struct {
					Name    string `json:"name"`
					Commit  any    `json:"commit"`
					Current bool   `json:"current"`
				}
				out := []branchJSON{}
				for _, b := range branches {
					out = append(out, branchJSON{b.Name, nullID(b.Commit), b.Current})
				}
				return e.printJSON(out)
			}
			s := e.styles
			for _, b := range branches {
				mark, name := "  ", b.Name
				if b.Current {
					mark, name = "* ", s.Ref.Render(b.Name)
				}
				id := "(no commits yet)"
				if !b.Commit.IsZero() {
					id = b.Commit.Short()
				}
				e.printf("%s%s %s\n", mark, name, s.Commit.Render(id))
			}
			return nil
		},
	}
}

func switchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "switch",
		Usage:        "make a branch current (new commits go on it)",
		ArgsUsage:    "BRANCH | -c NEW [START]",
		OnUsageError: commandUsageError("switch"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "create", Aliases: []string{"c"}, Usage: "create the branch at START (default HEAD) first"},
		},
		Action: func(c *cli.Context) error {
			create := c.Bool("create")
			max := 1
			if create {
				max = 2
			}
			if err := argsBetween(c, 1, max, "BRANCH | -c NEW [START]"); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			name := c.Args().First()
			if err := r.Switch(name, create, c.Args().Get(1)); err != nil {
				return err
			}
			if create {
				e.printf("Switched to a new branch '%s'\n", name)
			} else {
				e.printf("Switched to branch '%s'\n", name)
			}
			return nil
		},
	}
}
