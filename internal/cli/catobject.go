package cli

import (
	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/objects"
)

func catObjectCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "cat-object",
		Usage:        "print an object's stored bytes (plumbing), verified against its id",
		Description:  "Metadata objects (commit, run, file) print as their canonical JSON; chunks as raw bytes.\n-t prints the kind, -s the size in bytes.",
		ArgsUsage:    "ID",
		OnUsageError: commandUsageError("cat-object"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "t", Usage: "print the object's kind (commit, run, file, chunk)"},
			&cli.BoolFlag{Name: "s", Usage: "print the object's size"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 1, 1, "ID"); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			id, err := r.ResolveObject(c.Args().First())
			if err != nil {
				return err
			}
			data, err := r.Store.Get(id)
			if err != nil {
				return err
			}
			switch {
			case c.Bool("t"):
				e.printf("%s\n", objects.KindOf(data))
			case c.Bool("s"):
				e.printf("%d\n", len(data))
			default:
				_, err = e.out.Write(data)
				if err == nil && objects.KindOf(data) != objects.KindChunk {
					e.printf("\n")
				}
			}
			return err
		},
	}
}
