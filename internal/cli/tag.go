package cli

import (
	"github.com/urfave/cli/v2"
)

func tagCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "tag",
		Usage: "list, create or delete tags",
		Description: "modeldb tag                list tags\n" +
			"modeldb tag NAME [REV]     tag REV (default HEAD) as NAME (--force moves an existing tag)\n" +
			"modeldb tag -d NAME        delete a tag",
		ArgsUsage:    "[NAME [REV]]",
		OnUsageError: commandUsageError("tag"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "delete", Aliases: []string{"d"}, Usage: "delete the tag"},
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "move the tag if it exists"},
			&cli.BoolFlag{Name: "json", Usage: "print the tag list as JSON"},
		},
		Action: func(c *cli.Context) error {
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			if c.Bool("delete") {
				if err := argsBetween(c, 1, 1, "-d NAME"); err != nil {
					return err
				}
				id, err := r.DeleteTag(c.Args().First())
				if err != nil {
					return err
				}
				e.printf("Deleted tag '%s' (was %s)\n", c.Args().First(), id.Short())
				return nil
			}
			if c.NArg() > 0 {
				if err := argsBetween(c, 1, 2, "NAME [REV]"); err != nil {
					return err
				}
				rev := "HEAD"
				if c.NArg() == 2 {
					rev = c.Args().Get(1)
				}
				_, err := r.CreateTag(c.Args().First(), rev, c.Bool("force"))
				return err
			}
			tags, err := r.Tags()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				type tagJSON struct {
					Name   string `json:"name"`
					Commit string `json:"commit"`
				}
				out := []tagJSON{}
				for _, t := range tags {
					out = append(out, tagJSON{t.Name, t.Commit.String()})
				}
				return e.printJSON(out)
			}
			for _, t := range tags {
				e.printf("%s %s\n", t.Name, e.styles.Commit.Render(t.Commit.Short()))
			}
			return nil
		},
	}
}
