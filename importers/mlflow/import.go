package mlflow

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
)

// DefaultBranchPrefix is put before an experiment's name to make its branch.
const DefaultBranchPrefix = "mlflow/"

// Options control an import.
type Options struct {
	// BranchPrefix is put before each experiment's sanitized name to make
	// its branch (default DefaultBranchPrefix; "" is allowed via
	// NoBranchPrefix).
	BranchPrefix   string
	NoBranchPrefix bool
	// Branch, when set, puts every run on this one branch.
	Branch string
	// IncludeDeleted imports deleted runs and experiments too, tagged
	// mlflow.lifecycle_stage=deleted.
	IncludeDeleted bool
	// StringParams keeps every parameter as the string MLflow recorded
	// instead of converting Python-printed numbers, booleans and None.
	StringParams bool
	// DryRun reads and validates everything and reports what would be
	// imported, without writing to the repository.
	DryRun bool
}

// Run outcomes in a Summary.
const (
	StatusImported        = "imported"
	StatusWouldImport     = "would-import"
	StatusAlreadyImported = "already-imported"
	StatusDeleted         = "skipped-deleted"
	StatusNotImported     = "not-imported" // the import stopped before the run
)

// Summary reports what an import did (or, for a dry run, would do).
type Summary struct {
	Store           string              `json:"store"`
	DryRun          bool                `json:"dry_run"`
	Experiments     []ExperimentSummary `json:"experiments"`
	Runs            []RunSummary        `json:"runs"`
	Imported        int                 `json:"imported"`
	AlreadyImported int                 `json:"already_imported"`
	SkippedDeleted  int                 `json:"skipped_deleted"`
	Notes           []string            `json:"notes"`
}

// ExperimentSummary is one experiment of a Summary. Branch is empty when
// no run of the experiment goes to a branch (an empty experiment).
type ExperimentSummary struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Branch          string `json:"branch"`
	Deleted         bool   `json:"deleted,omitempty"`
	Runs            int    `json:"runs"`
	Imported        int    `json:"imported"`
	AlreadyImported int    `json:"already_imported"`
	SkippedDeleted  int    `json:"skipped_deleted"`
	Models          int    `json:"models,omitempty"`
}

// RunSummary is one run of a Summary, in import order.
type RunSummary struct {
	RunID        string `json:"run_id"`
	ExperimentID string `json:"experiment_id"`
	Name         string `json:"name"` // the modeldb run name ("" for a skipped deleted run)
	Branch       string `json:"branch,omitempty"`
	Status       string `json:"status"`
	Commit       string `json:"commit,omitempty"`
	Parent       string `json:"parent,omitempty"` // the parent run's modeldb name
}

// planned is a run to commit.
type planned struct {
	src     *Run
	run     *objects.Run
	branch  string
	message string
	time    time.Time
	summary int // index in Summary.Runs
}

// Import reads the MLflow file store in dir, validates all of it, then
// commits each run that is not in the repository yet: experiments in id
// order, each on its branch, runs by start time with parents first. Every
// error found while reading comes before any commit, so a malformed store
// imports nothing. A failure while committing (a full disk) stops the
// import; the runs committed before it are complete, and importing again
// continues where it stopped.
func Import(r *repo.Repo, dir string, opts Options) (*Summary, error) {
	store, err := ReadStore(dir)
	if err != nil {
		return nil, err
	}
	plan, sum, err := makePlan(r, store, opts)
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		return sum, nil
	}
	return sum, commitPlan(r, plan, sum)
}

// makePlan decides names, branches and what to skip, and builds every run
// object (artifacts aside, which are stored when the run is committed).
func makePlan(r *repo.Repo, store *Store, opts Options) ([]*planned, *Summary, error) {
	prefix := opts.BranchPrefix
	if prefix == "" && !opts.NoBranchPrefix {
		prefix = DefaultBranchPrefix
	}
	if opts.Branch != "" {
		if err := refs.ValidateNew(opts.Branch); err != nil {
			return nil, nil, fmt.Errorf("--branch: %w", err)
		}
	}
	sum := &Summary{Store: store.Dir, DryRun: opts.DryRun, Experiments: []ExperimentSummary{}, Runs: []RunSummary{}, Notes: append([]string{}, store.Notes...)}
	ex, err := newExisting(r)
	if err != nil {
		return nil, nil, err
	}

	branches := experimentBranches(store, prefix, opts.Branch)
	// Decide every run's fate and name first: a child's parent tag needs
	// its parent's name, wherever the parent comes in the order.
	type decision struct {
		status string
		name   string
	}
	decided := map[string]decision{}
	taken := map[string]string{} // names chosen in this import → run id
	for _, exp := range store.Experiments {
		for _, run := range exp.Runs {
			if (run.Deleted || exp.Deleted) && !opts.IncludeDeleted {
				decided[run.ID] = decision{status: StatusDeleted}
				continue
			}
			if name, err := ex.imported(run.ID, RunName(run.Name, run.ID, false), RunName(run.Name, run.ID, true)); err != nil {
				return nil, nil, err
			} else if name != "" {
				decided[run.ID] = decision{StatusAlreadyImported, name}
				continue
			}
			name := ""
			for _, long := range []bool{false, true} {
				cand := RunName(run.Name, run.ID, long)
				if _, clash := taken[cand]; clash {
					continue
				}
				if err := refs.ValidateShort(cand); err != nil {
					return nil, nil, fmt.Errorf("run %s: cannot make a run name from %q: %w", run.Dir, run.Name, err)
				}
				if free, err := ex.free(cand); err != nil {
					return nil, nil, err
				} else if free {
					name = cand
					break
				}
			}
			if name == "" {
				return nil, nil, fmt.Errorf("run %s: the names %s and %s are both taken by other runs, branches or tags",
					run.Dir, RunName(run.Name, run.ID, false), RunName(run.Name, run.ID, true))
			}
			taken[name] = run.ID
			status := StatusImported
			if opts.DryRun {
				status = StatusWouldImport
			}
			decided[run.ID] = decision{status, name}
		}
	}

	var plan []*planned
	used := map[string]bool{} // branches that get commits
	for _, exp := range store.Experiments {
		es := ExperimentSummary{ID: exp.ID, Name: exp.Name, Deleted: exp.Deleted, Runs: len(exp.Runs), Models: exp.Models}
		for _, run := range exp.Runs {
			d := decided[run.ID]
			rs := RunSummary{RunID: run.ID, ExperimentID: exp.ID, Name: d.name, Status: d.status}
			if p := run.Tags["mlflow.parentRunId"]; p != "" {
				if pd, ok := decided[p]; ok && pd.name != "" {
					rs.Parent = pd.name
				} else if name, err := ex.imported(p); err != nil {
					return nil, nil, err
				} else {
					rs.Parent = name
				}
			}
			switch d.status {
			case StatusDeleted:
				es.SkippedDeleted++
				sum.SkippedDeleted++
			case StatusAlreadyImported:
				es.AlreadyImported++
				sum.AlreadyImported++
			default:
				es.Imported++
				sum.Imported++
				rs.Branch = branches[exp.ID]
				es.Branch = rs.Branch
				used[rs.Branch] = true
				obj, notes := buildRun(run, exp, d.name, rs.Parent, opts)
				sum.Notes = append(sum.Notes, notes...)
				plan = append(plan, &planned{
					src: run, run: obj, branch: rs.Branch,
					message: message(run, exp), time: commitTime(run), summary: len(sum.Runs),
				})
			}
			sum.Runs = append(sum.Runs, rs)
		}
		if es.Branch == "" && es.AlreadyImported > 0 {
			es.Branch = branches[exp.ID]
		}
		sum.Experiments = append(sum.Experiments, es)
	}
	for b := range used {
		if err := ex.checkBranch(b); err != nil {
			return nil, nil, err
		}
	}
	return plan, sum, nil
}

// experimentBranches maps each experiment id to its branch. Experiments
// whose names sanitize alike get their id appended, so none share a branch.
func experimentBranches(store *Store, prefix, single string) map[string]string {
	out := map[string]string{}
	count := map[string]int{}
	for _, exp := range store.Experiments {
		b := single
		if b == "" {
			b = branchName(prefix, exp)
			if refs.ValidateNew(b) != nil {
				b = prefix + exp.ID
			}
		}
		out[exp.ID] = b
		count[b]++
	}
	if single == "" {
		for _, exp := range store.Experiments {
			if b := out[exp.ID]; count[b] > 1 && b != prefix+exp.ID {
				out[exp.ID] = b + "-" + exp.ID
			}
		}
	}
	return out
}

// commitTime is when the run started (else ended; else now).
func commitTime(run *Run) time.Time {
	switch {
	case run.StartTime != nil:
		return time.UnixMilli(*run.StartTime)
	case run.EndTime != nil:
		return time.UnixMilli(*run.EndTime)
	}
	return time.Time{}
}

func rfc3339(ms *int64) string {
	if ms == nil {
		return ""
	}
	return time.UnixMilli(*ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// message is the commit message of an imported run: where it came from,
// and the run's MLflow description (mlflow.note.content) as the body.
func message(run *Run, exp *Experiment) string {
	m := fmt.Sprintf("MLflow run %s (%s) in %q", run.ID, run.Status, exp.Name)
	if note := strings.TrimSpace(run.Tags["mlflow.note.content"]); note != "" {
		m += "\n\n" + note
	}
	return m
}

// Tags the importer sets. An MLflow tag of the same name is kept under
// "mlflow.tag.<name>".
const (
	TagRunID          = "mlflow.run_id"
	TagExperimentID   = "mlflow.experiment_id"
	TagExperimentName = "mlflow.experiment_name"
	TagStatus         = "mlflow.status"
	TagLifecycle      = "mlflow.lifecycle_stage"
	TagModels         = "mlflow.logged_model_ids"
	TagNonFinite      = "mlflow.nonfinite_metrics"
	TagParent         = "parent"
)

// buildRun maps an MLflow run to a modeldb run (without artifacts).
func buildRun(src *Run, exp *Experiment, name, parent string, opts Options) (*objects.Run, []string) {
	var notes []string
	run := &objects.Run{Name: name, Started: rfc3339(src.StartTime), Finished: rfc3339(src.EndTime)}
	if len(src.Params) > 0 {
		run.Params = map[string]any{}
		for k, v := range src.Params {
			if opts.StringParams {
				run.Params[k] = v
			} else {
				run.Params[k] = ParamValue(v)
			}
		}
	}
	tags := map[string]string{}
	for k, v := range src.Tags {
		tags[k] = v
	}
	set := func(k, v string) {
		if old, ok := tags[k]; ok && old != v {
			tags["mlflow.tag."+k] = old
		}
		tags[k] = v
	}
	set(TagRunID, src.ID)
	set(TagExperimentID, exp.ID)
	set(TagExperimentName, exp.Name)
	set(TagStatus, src.Status)
	if src.Deleted || exp.Deleted {
		set(TagLifecycle, "deleted")
	}
	if len(src.Models) > 0 {
		set(TagModels, strings.Join(src.Models, ","))
	}
	if parent != "" {
		set(TagParent, parent)
	}
	var nonFinite []string
	var collapsed []string
	for _, m := range src.Metrics {
		points, dropped, differing := metricPoints(m)
		for _, p := range dropped {
			nonFinite = append(nonFinite, fmt.Sprintf("%s@%d=%s", m.Key, p.Step, strconv.FormatFloat(p.Value, 'g', -1, 64)))
		}
		if differing {
			collapsed = append(collapsed, strconv.Quote(m.Key))
		}
		for _, p := range points {
			step := p.Step
			run.Metrics = append(run.Metrics, objects.Metric{Name: m.Key, Value: p.Value, Step: &step})
		}
	}
	if len(nonFinite) > 0 {
		set(TagNonFinite, strings.Join(nonFinite, "; "))
		notes = append(notes, fmt.Sprintf("run %s: %d non-finite metric value(s) cannot be stored; listed in tag %s", name, len(nonFinite), TagNonFinite))
	}
	if len(collapsed) > 0 {
		notes = append(notes, fmt.Sprintf("run %s: %s logged different values at the same step; kept the value logged last", name, plural(len(collapsed), "metric", "metrics")+" "+strings.Join(collapsed, ", ")))
	}
	run.Tags = tags
	if c, b, u := src.Tags["mlflow.source.git.commit"], src.Tags["mlflow.source.git.branch"], src.Tags["mlflow.source.git.repoURL"]; c != "" || b != "" || u != "" {
		run.Source = &objects.Source{Commit: c, Branch: b, Remote: u}
	}
	run.Author = src.User
	if run.Author == "" {
		run.Author = src.Tags["mlflow.user"]
	}
	return run, notes
}

// metricPoints turns a metric history into one point per step, in step
// order: when a step was logged more than once, the value logged last
// (latest timestamp, then latest line) is kept, as MLflow shows it.
// Non-finite values (nan, inf), which modeldb cannot store, are returned
// apart. differing reports a step logged with different values.
func metricPoints(m Metric) (points, dropped []Point, differing bool) {
	byStep := map[int64]int{}
	for _, p := range m.Points {
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			dropped = append(dropped, p)
			continue
		}
		if i, ok := byStep[p.Step]; ok {
			q := points[i]
			if q.Value != p.Value {
				differing = true
			}
			if p.Timestamp >= q.Timestamp {
				points[i] = p
			}
			continue
		}
		byStep[p.Step] = len(points)
		points = append(points, p)
	}
	sort.SliceStable(points, func(i, j int) bool { return points[i].Step < points[j].Step })
	return points, dropped, differing
}

// commitPlan stores each planned run's artifacts and commits it.
func commitPlan(r *repo.Repo, plan []*planned, sum *Summary) error {
	for i, p := range plan {
		for _, a := range p.src.Artifacts {
			art, err := r.AddArtifact(a.File, a.Path)
			if err != nil {
				return importStopped(sum, i, p, err)
			}
			p.run.Artifacts = append(p.run.Artifacts, art)
		}
		res, err := r.Commit(p.run, repo.CommitOptions{Message: p.message, Branch: p.branch, Time: p.time, Author: p.run.Author})
		if err != nil {
			return importStopped(sum, i, p, err)
		}
		sum.Runs[p.summary].Commit = res.Commit.String()
	}
	return nil
}

// importStopped marks the runs from plan[i] on as not imported, corrects
// the counts, and explains where the import stopped.
func importStopped(sum *Summary, i int, p *planned, err error) error {
	sum.Imported = 0
	perExp := map[string]int{}
	for k := range sum.Runs {
		rs := &sum.Runs[k]
		if rs.Status != StatusImported {
			continue
		}
		if rs.Commit == "" {
			rs.Status = StatusNotImported
			continue
		}
		sum.Imported++
		perExp[rs.ExperimentID]++
	}
	for k := range sum.Experiments {
		sum.Experiments[k].Imported = perExp[sum.Experiments[k].ID]
	}
	return fmt.Errorf("import stopped at MLflow run %s (%s), after %d run(s) were committed; importing again continues from there: %w",
		p.src.ID, p.src.Dir, i, err)
}

// existing answers what the repository already holds.
type existing struct {
	r      *repo.Repo
	bySuff map[string][]string // run-id suffix of a run name → run names
	runs   map[string]bool
}

func newExisting(r *repo.Repo) (*existing, error) {
	list, err := r.Store.Refs(refs.RunsPrefix)
	if err != nil {
		return nil, fmt.Errorf("list run names: %w", err)
	}
	ex := &existing{r: r, bySuff: map[string][]string{}, runs: map[string]bool{}}
	for _, ref := range list {
		name := ref.Name.Short()
		ex.runs[name] = true
		if i := strings.LastIndexByte(name, '-'); i >= 0 {
			ex.bySuff[name[i+1:]] = append(ex.bySuff[name[i+1:]], name)
		}
	}
	return ex, nil
}

// imported returns the name of the run imported from MLflow run id, or "".
// It finds a run even if it was renamed in MLflow since: every run whose
// name ends in the run id's first 8 characters (or all of it), and every
// name given, is read and its mlflow.run_id tag compared.
func (ex *existing) imported(id string, names ...string) (string, error) {
	seen := map[string]bool{}
	for _, suffix := range []string{idSuffix(id, false), idSuffix(id, true)} {
		for _, name := range append(ex.bySuff[suffix], names...) {
			if !ex.runs[name] {
				continue
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			ref, err := ex.r.Store.Ref(refs.Run(name))
			if err != nil {
				return "", err
			}
			_, run, err := ex.r.ReadCommitRun(ref.ID)
			if err != nil {
				return "", fmt.Errorf("read run %s: %w", name, err)
			}
			if run.Tags[TagRunID] == id {
				return name, nil
			}
		}
	}
	return "", nil
}

// free reports whether name is no run, branch or tag yet.
func (ex *existing) free(name string) (bool, error) {
	if ex.runs[name] {
		return false, nil
	}
	for _, n := range []refs.Name{refs.Branch(name), refs.Tag(name)} {
		_, err := ex.r.Store.Ref(n)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, refs.ErrNotFound) {
			return false, err
		}
	}
	return true, nil
}

// checkBranch makes sure commits can go on branch b: it exists, or it can
// be created (no branch is a folder of it or inside it, no tag or run has
// its name).
func (ex *existing) checkBranch(b string) error {
	if err := refs.ValidateNew(b); err != nil {
		return fmt.Errorf("branch %q: %w", b, err)
	}
	if _, err := ex.r.Store.Ref(refs.Branch(b)); err == nil {
		return nil
	} else if !errors.Is(err, refs.ErrNotFound) {
		return err
	}
	parts := strings.Split(b, "/")
	for i := 1; i < len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		if _, err := ex.r.Store.Ref(refs.Branch(p)); err == nil {
			return fmt.Errorf("cannot create branch %q: branch %q exists (choose another --branch-prefix or --branch)", b, p)
		}
	}
	inside, err := ex.r.Store.Refs(refs.HeadsPrefix + b + "/")
	if err != nil {
		return err
	}
	if len(inside) > 0 {
		return fmt.Errorf("cannot create branch %q: branch %q exists (choose another --branch-prefix or --branch)", b, inside[0].Name.Short())
	}
	if _, err := ex.r.Store.Ref(refs.Tag(b)); err == nil {
		return fmt.Errorf("cannot create branch %q: it is already a tag name (choose another --branch-prefix or --branch)", b)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
