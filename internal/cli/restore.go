package cli

import (
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/repo"
)

func restoreCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "restore",
		Usage: "write an artifact (or stored dataset) of a run back to disk, verified",
		Description: "Restores PATH as recorded in run REV. Every chunk and the whole file are checked against\n" +
			"their SHA-256; the file is written to a temporary name and renamed into place, so a failed\n" +
			"restore never leaves a half-written file. Without -o the file goes to the base name of PATH\n" +
			"in the current directory; -o - writes to standard output.",
		ArgsUsage:    "REV PATH",
		OnUsageError: commandUsageError("restore"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (- for stdout)"},
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "overwrite an existing file"},
			&cli.BoolFlag{Name: "json", Usage: "print what was restored as JSON"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 2, 2, "REV PATH"); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			id, err := r.Resolve(c.Args().Get(0))
			if err != nil {
				return err
			}
			_, run, err := r.ReadCommitRun(id)
			if err != nil {
				return err
			}
			f, err := repo.FindFile(run, c.Args().Get(1))
			if err != nil {
				return err
			}
			out := c.String("output")
			if out == "-" {
				return r.RestoreTo(f, e.out)
			}
			if out == "" {
				out = filepath.Base(filepath.FromSlash(f.Path))
			}
			out = resolveArg(e, out)
			if err := repo.CheckTarget(out, c.Bool("force")); err != nil {
				return err
			}
			if err := r.RestoreFile(f, out); err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(map[string]any{"path": f.Path, "output": out, "size": f.Size, "sha256": f.SHA256, "run": run.Name})
			}
			e.printf("Restored %s of run %s to %s (%d bytes, sha256 %s)\n", f.Path, run.Name, out, f.Size, f.SHA256)
			return nil
		},
	}
}
