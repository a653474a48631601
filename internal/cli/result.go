package cli

import (
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

// commitJSON is the --porcelain form of a commit's result, with extra
// fields a command adds.
func commitJSON(res *repo.CommitResult, extra map[string]any) map[string]any {
	out := map[string]any{
		"commit": res.Commit, "run": res.Run, "name": res.Name,
		"branch": res.Branch.Short(), "parent": nullID(res.Parent),
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// commitLine is git's one-line summary of a commit, without the message:
// "[main (root-commit) 3fa2c1d0e4] strong-c".
func commitLine(s *ui.Styles, res *repo.CommitResult) string {
	where := res.Branch.Short()
	if where == "" {
		where = "detached HEAD"
	}
	if res.Parent.IsZero() {
		where += " (root-commit)"
	}
	return "[" + where + " " + s.Commit.Render(res.Commit.Short()) + "] " + s.RunName.Render(res.Name)
}

// printCommitResult prints a commit's result as commit and the importers
// do: JSON with --porcelain, else the one-line summary and the message.
func printCommitResult(e *env, res *repo.CommitResult, message string, porcelain bool, extra map[string]any) error {
	if porcelain {
		return e.printJSON(commitJSON(res, extra))
	}
	line := commitLine(e.styles, res)
	if message != "" {
		line += ": " + firstLine(message)
	}
	e.printf("%s\n", line)
	return nil
}
