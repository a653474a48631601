package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/check"
	"github.com/modeldb/modeldb/config"
	"github.com/modeldb/modeldb/diff"
	"github.com/modeldb/modeldb/internal/suggest"
	"github.com/modeldb/modeldb/repo"
	"github.com/modeldb/modeldb/ui"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "gate a candidate model on a baseline's metrics; exit 1 if one regressed (for CI)",
		Description: "Compares the candidate run (default HEAD) with the baseline run on each gated metric and\n" +
			"exits 0 when none regressed beyond its tolerance, 1 when one did, 2 when the check could\n" +
			"not be made (a bad gate, an unknown revision, a metric missing from a run).\n\n" +
			"--metric " + check.Syntax + "\n" +
			"    max: higher is better (a drop regresses); min: lower is better (a rise regresses).\n" +
			"    TOL is how much worse the candidate may be: absolute (0.005) or relative to the\n" +
			"    baseline (10%); 0 when left out. NAME alone takes its direction from modeldb.toml's\n" +
			"    [metrics] or from the name (accuracy: max, loss: min).\n" +
			"    e.g. --metric accuracy:max:0.005 --metric latency_ms:min:10% --metric test:auc:max\n\n" +
			"Defaults come from modeldb.toml beside .modeldb: [check] baseline, candidate and gates.\n" +
			"Flags override it; --metric replaces its gates. docs/ci.md has a GitHub Actions example.",
		ArgsUsage:    " ",
		OnUsageError: commandUsageError("check"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "baseline", Usage: "the run to compare against, `REV` (default: [check] baseline)"},
			&cli.StringFlag{Name: "candidate", Usage: "the run under test, `REV` (default: [check] candidate, else HEAD)"},
			&cli.StringSliceFlag{Name: "metric", Usage: "a gate `" + check.Syntax + "` (repeatable; replaces [check] gates)"},
			&cli.StringFlag{Name: "md", Usage: "also write a Markdown report for a pull request to `FILE` (- for stdout instead of the table)"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 0, 0, "[flags]"); err != nil {
				return err
			}
			err := runCheck(e, c)
			// Exit 1 means a gate failed and nothing else: every other
			// failure means the check could not be made, exit 2.
			var se *silentError
			var ue *usageError
			if err == nil || errors.As(err, &se) || errors.As(err, &ue) {
				return err
			}
			return &usageError{msg: "check: " + err.Error()}
		},
	}
}

func runCheck(e *env, c *cli.Context) error {
	md := c.String("md")
	if md == "-" && c.Bool("json") {
		return usagef("check: --json and --md - both write to standard output; write the report to a file")
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	proj, err := r.Project()
	if err != nil {
		return err
	}
	gates, err := checkGates(c, proj)
	if err != nil {
		return err
	}
	baseline, candidate := proj.Check.Baseline, proj.Check.Candidate
	if c.IsSet("baseline") {
		baseline = c.String("baseline")
	}
	if c.IsSet("candidate") {
		candidate = c.String("candidate")
	}
	if baseline == "" {
		return usagef("check: no baseline: give --baseline REV or set [check] baseline in %s", config.ProjectFile)
	}
	if candidate == "" {
		candidate = "HEAD"
	}
	base, err := checkSide(r, "baseline", baseline)
	if err != nil {
		return err
	}
	cand, err := checkSide(r, "candidate", candidate)
	if err != nil {
		return err
	}
	dirs := check.Directions(proj.Metrics)
	rep, err := check.Evaluate(base, cand, gates, diff.Options{Directions: dirs})
	if err != nil {
		return err
	}

	if md != "" && md != "-" {
		var buf bytes.Buffer
		if err := ui.WriteCheckMarkdown(&buf, rep); err != nil {
			return err
		}
		if err := os.WriteFile(resolveArg(e, md), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("--md: %w", err)
		}
	}
	switch {
	case c.Bool("json"):
		err = e.printJSON(rep)
	case md == "-":
		err = ui.WriteCheckMarkdown(e.out, rep)
	default:
		err = e.styles.WriteCheck(e.out, rep)
	}
	if err != nil {
		return err
	}
	if !rep.Passed {
		return &silentError{code: exitFailure}
	}
	return nil
}

// checkGates returns the gates of the command line, else of modeldb.toml,
// with their directions resolved.
func checkGates(c *cli.Context, proj *config.Project) ([]check.Gate, error) {
	specs, from := proj.Check.Gates, config.ProjectFile+" [check] gates"
	if c.IsSet("metric") {
		specs, from = c.StringSlice("metric"), "--metric"
	}
	if len(specs) == 0 {
		return nil, usagef("check: no gates: give --metric %s or set [check] gates in %s", check.Syntax, config.ProjectFile)
	}
	gates, err := check.ParseGates(specs)
	if err == nil {
		gates, err = check.Resolve(gates, check.Directions(proj.Metrics))
	}
	if err != nil {
		return nil, usagef("check: %s: %v", from, err)
	}
	return gates, nil
}

// checkSide resolves rev and reads its run.
func checkSide(r *repo.Repo, side, rev string) (check.Side, error) {
	id, err := r.Resolve(rev)
	if err != nil {
		hint := ""
		if errors.Is(err, repo.ErrUnknownRevision) {
			if s := checkSuggestRev(r, rev); s != "" {
				hint = " (did you mean " + s + "?)"
			}
		}
		return check.Side{}, usagef("check: %s: %v%s", side, err, hint)
	}
	_, run, err := r.ReadCommitRun(id)
	if err != nil {
		return check.Side{}, fmt.Errorf("%s %s: %w", side, rev, err)
	}
	return check.Side{Rev: rev, Commit: id, Run: run}, nil
}

// checkSuggestRev returns the branch or tag name closest to a mistyped
// revision, or "".
func checkSuggestRev(r *repo.Repo, rev string) string {
	var names []string
	if bs, err := r.Branches(); err == nil {
		for _, b := range bs {
			names = append(names, b.Name)
		}
	}
	if ts, err := r.Tags(); err == nil {
		for _, t := range ts {
			names = append(names, t.Name)
		}
	}
	return suggest.Closest(rev, names, 2)
}
