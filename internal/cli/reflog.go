package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

func reflogCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "reflog",
		Usage: "show how a branch or tag moved, newest first (for recovering lost commits)",
		Description: "REF is a branch (default: the current one), tags/NAME for a tag, or a full refs/… name.\n" +
			"The reflog survives deleting a branch, so its commits can be found and branched again.",
		ArgsUsage:    "[REF]",
		OnUsageError: commandUsageError("reflog"),
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "max-count", Aliases: []string{"n"}, Value: -1, Usage: "show at most `N` entries"},
			&cli.BoolFlag{Name: "json", Usage: "print the entries as JSON"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 1, "[REF]"); err != nil {
				return err
			}
			r, err := e.openRepo()
			if err != nil {
				return err
			}
			defer r.Close()
			name, _, err := r.Head()
			if err != nil {
				return err
			}
			if arg := c.Args().First(); arg != "" && arg != "HEAD" {
				name = reflogName(arg)
				if _, err := r.Store.Ref(name); err != nil && name.IsBranch() {
					if _, terr := r.Store.Ref(refs.Tag(arg)); terr == nil {
						name = refs.Tag(arg)
					}
				}
			}
			if name == "" {
				return usagef("reflog: HEAD is detached; name a branch")
			}
			entries, err := r.Store.Reflog(name)
			if err != nil {
				return err
			}
			if len(entries) == 0 {
				return fmt.Errorf("%s has no reflog (no such branch or tag?)", name)
			}
			type entryJSON struct {
				Old     any    `json:"old"`
				New     any    `json:"new"`
				Who     string `json:"who"`
				Time    string `json:"time"`
				Message string `json:"message"`
			}
			out := []entryJSON{}
			limit := c.Int("max-count")
			for i := len(entries) - 1; i >= 0 && (limit < 0 || len(entries)-1-i < limit); i-- {
				en := entries[i]
				if c.Bool("json") {
					out = append(out, entryJSON{nullID(en.Old), nullID(en.New), en.Who, en.Time.Format(objects.TimeFormat), en.Message})
					continue
				}
				id := "0000000000"
				if !en.New.IsZero() {
					id = en.New.Short()
				}
				e.printf("%s %s@{%d}: %s\n", e.styles.Commit.Render(id), name.Short(), len(entries)-1-i, en.Message)
			}
			if c.Bool("json") {
				return e.printJSON(out)
			}
			return nil
		},
	}
}

// reflogName turns "main", "tags/v1" or "refs/heads/main" into a ref name.
func reflogName(arg string) refs.Name {
	switch {
	case len(arg) > 5 && arg[:5] == "refs/":
		return refs.Name(arg)
	case len(arg) > 5 && arg[:5] == "tags/":
		return refs.Tag(arg[5:])
	}
	return refs.Branch(arg)
}
