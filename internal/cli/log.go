package cli

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

func logCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:         "log",
		Usage:        "show the history of runs, newest first",
		ArgsUsage:    "[REV...]",
		OnUsageError: commandUsageError("log"),
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "max-count", Aliases: []string{"n"}, Value: -1, Usage: "show at most `N` commits"},
			&cli.BoolFlag{Name: "oneline", Usage: "one line per commit: id, run name, message"},
			&cli.BoolFlag{Name: "all", Usage: "start from every branch and tag, not just HEAD"},
			&cli.BoolFlag{Name: "graph", Usage: "draw the history as a graph"},
			&cli.BoolFlag{Name: "json", Usage: "print the commits as a JSON array"},
			&cli.StringFlag{Name: "where", Usage: "only runs matching `EXPR` in the filter language (docs/query.md), e.g. \"metrics.accuracy > 0.9 and params.C >= 1\""},
			&cli.StringFlag{Name: "sort", Usage: "order by `FIELDS`, e.g. -metrics.accuracy (- for descending; comma-separated)"},
		},
		Action: func(c *cli.Context) error { return runLog(e, c) },
	}
}

type logJSON struct {
	ID      objects.ID       `json:"id"`
	Name    string           `json:"name"`
	Run     objects.ID       `json:"run"`
	Parents []objects.ID     `json:"parents"`
	Author  string           `json:"author"`
	Time    string           `json:"time"`
	Message string           `json:"message"`
	Refs    []string         `json:"refs"`
	Metrics []objects.Metric `json:"metrics,omitempty"`
}

func runLog(e *env, c *cli.Context) error {
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	if c.IsSet("where") || c.IsSet("sort") {
		if c.Bool("graph") {
			return usagef("log: --graph shows history; it does not combine with --where or --sort")
		}
		ids, err := filteredCommits(r, c)
		if err != nil {
			return err
		}
		return printCommits(e, r, c, ids)
	}
	starts, err := logStarts(r, c)
	if err != nil {
		return err
	}
	decos, err := r.Decorations()
	if err != nil {
		return err
	}
	limit, oneline, asJSON := c.Int("max-count"), c.Bool("oneline"), c.Bool("json")
	var graph *ui.Graph
	if c.Bool("graph") {
		graph = ui.NewGraph(e.styles)
	}
	out := []logJSON{}
	n := 0
	err = r.Walk(starts, func(id objects.ID, commit *objects.Commit) error {
		if limit >= 0 && n >= limit {
			return repo.ErrStopWalk
		}
		entry := ui.LogEntry{ID: id, Commit: commit, Refs: decos[id]}
		n++
		if asJSON {
			out = append(out, toLogJSON(entry))
			return nil
		}
		return e.styles.WriteLog(e.out, entry, oneline, graph, n == 1)
	})
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(out)
	}
	return nil
}

func logStarts(r *repo.Repo, c *cli.Context) ([]objects.ID, error) {
	var starts []objects.ID
	if c.Bool("all") {
		branches, err := r.Branches()
		if err != nil {
			return nil, err
		}
		for _, b := range branches {
			if !b.Commit.IsZero() {
				starts = append(starts, b.Commit)
			}
		}
		tags, err := r.Tags()
		if err != nil {
			return nil, err
		}
		for _, t := range tags {
			starts = append(starts, t.Commit)
		}
		if _, head, err := r.Head(); err == nil && !head.IsZero() {
			starts = append(starts, head)
		}
	}
	for _, rev := range c.Args().Slice() {
		id, err := r.Resolve(rev)
		if err != nil {
			return nil, err
		}
		starts = append(starts, id)
	}
	if len(starts) == 0 && c.NArg() == 0 && !c.Bool("all") {
		id, err := r.Resolve("HEAD")
		if errors.Is(err, repo.ErrNoCommits) {
			branch, _, _ := r.Head()
			return nil, errors.New("your current branch '" + branch.Short() + "' does not have any commits yet")
		}
		if err != nil {
			return nil, err
		}
		starts = append(starts, id)
	}
	return starts, nil
}

// printCommits prints the given commits, in order, as log does.
func printCommits(e *env, r *repo.Repo, c *cli.Context, ids []objects.ID) error {
	decos, err := r.Decorations()
	if err != nil {
		return err
	}
	out := []logJSON{}
	for i, id := range ids {
		commit, err := r.ReadCommit(id)
		if err != nil {
			return err
		}
		entry := ui.LogEntry{ID: id, Commit: commit, Refs: decos[id]}
		if c.Bool("json") {
			out = append(out, toLogJSON(entry))
			continue
		}
		if err := e.styles.WriteLog(e.out, entry, c.Bool("oneline"), nil, i == 0); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return e.printJSON(out)
	}
	return nil
}

func toLogJSON(entry ui.LogEntry) logJSON {
	c := entry.Commit
	j := logJSON{ID: entry.ID, Name: c.Name, Run: c.Run, Parents: c.Parents, Author: c.Author,
		Time: c.Time, Message: c.Message, Refs: entry.Refs, Metrics: c.Metrics}
	if j.Refs == nil {
		j.Refs = []string{}
	}
	return j
}
