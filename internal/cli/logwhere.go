package cli

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/filter"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
)

// filteredCommits selects commits through the query index with the filter
// language: the runs of the current branch (every branch with --all) that
// match --where, in --sort order (newest first by default), at most -n.
func filteredCommits(r *repo.Repo, c *cli.Context) ([]objects.ID, error) {
	if c.NArg() > 0 {
		return nil, usagef("log: --where and --sort select from the current branch, or every branch with --all; they take no revisions")
	}
	where, args, err := filter.Compile(c.String("where"))
	if err != nil {
		return nil, usageErr(err)
	}
	q := "SELECT r.commit_id FROM runs r WHERE (" + where + ")"
	if !c.Bool("all") {
		branch, _, err := r.Head()
		if err != nil {
			return nil, err
		}
		if branch == "" {
			return nil, usagef("log: HEAD is detached; use --all with --where or --sort")
		}
		q += " AND r.id IN (SELECT run FROM branch_runs WHERE branch = ?)"
		args = append(args, branch.Short())
	}
	order, sortArgs, err := filter.CompileSort(c.String("sort"))
	if err != nil {
		return nil, usageErr(err)
	}
	q += " ORDER BY "
	if order != "" {
		q += order + ", "
		args = append(args, sortArgs...)
	}
	q += "r.time DESC, r.commit_id"
	if n := c.Int("max-count"); n >= 0 {
		q += " LIMIT ?"
		args = append(args, n)
	}
	ix, err := openIndex(r)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	rows, err := ix.Query(context.Background(), q, args...)
	if err != nil {
		return nil, fmt.Errorf("log --where: %w", err)
	}
	ids := make([]objects.ID, 0, len(rows.Values))
	for _, row := range rows.Values {
		s, _ := row[0].(string)
		id, err := objects.ParseID(s)
		if err != nil {
			return nil, fmt.Errorf("query index: bad commit id %q; run 'modeldb reindex'", s)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// usageErr makes an error in how a flag was written a usage error (exit 2).
func usageErr(err error) error { return &usageError{err.Error()} }
