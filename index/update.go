package index

import (
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// updater applies one update to the index inside a write transaction of
// c: an incremental update of the live index, or a full build (empty).
type updater struct {
	c     *rawConn
	src   Source
	empty bool // the tables are empty and have no keys yet (a full build): no lookups needed

	batches map[string]*batch
	queries map[[2]any]string // (table, rows) → INSERT of that many rows
	// newCommits holds the commits this update indexes.
	newCommits map[objects.ID]*objects.Commit
	// seen holds, in a full build (before the keys exist), the run ids
	// and names inserted, to skip a duplicate as the keys would.
	seen map[string]bool
}

const (
	insertRun     = `INSERT OR IGNORE INTO runs (` + runColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	runColumns    = `id, commit_id, name, author, time, message, started, finished, exit_status, source_commit, source_branch, source_dirty, source_remote, command, run_author`
	insertRef     = `INSERT INTO refs (name, kind, short, commit_id, target) VALUES (?, ?, ?, ?, ?)`
	insertBranchR = `INSERT OR IGNORE INTO branch_runs (branch, run) VALUES (?, ?)`
)

// Lookups of incremental updates.
const (
	hasCommit = `SELECT 1 FROM commits WHERE id = ?`
	commitRun = `SELECT run FROM commits WHERE id = ?`
	parentsOf = `SELECT parent FROM commit_parents WHERE commit_id = ? ORDER BY position`
	inBranch  = `SELECT 1 FROM branch_runs WHERE branch = ? AND run = ?`
)

// batchColumns are the columns of the tables whose rows are inserted in
// batches: one INSERT of up to batchRows rows costs little more than one
// of a single row.
var batchColumns = map[string][]string{
	"runs":            strings.Split(runColumns, ", "), // full builds only
	"commits":         {"id", "run", "parent", "time", "name", "author", "message"},
	"commit_parents":  {"commit_id", "position", "parent"},
	"stages":          {"run", "path", "parent_path", "position", "name", "op", "artifact", "depth", "name_path"},
	"stage_io":        {"run", "stage_path", "direction", "name", "position"},
	"params":          {"run", "stage_path", "stage_name", "key", "value", "num"},
	"metrics":         {"run", "name", "value", "slice", "split", "step", "seq", "latest"},
	"datasets":        {"run", "role", "path", "sha256", "size", "rows", "stored", "data", "position"},
	"dataset_columns": {"run", "role", "name", "type", "position", "dataset"},
	"artifacts":       {"run", "path", "sha256", "size", "file", "position"},
	"tags":            {"run", "key", "value"},
	"environment":     {"run", "key", "value"},
}

// batchRows is the most rows one batched INSERT holds.
const batchRows = 64

// batch collects rows of one table until they are inserted.
type batch struct {
	table string
	cols  int
	rows  int
	args  []any
}

// runTables are the tables with one row set per run, which garbage
// collection prunes.
var runTables = []string{"stages", "stage_io", "params", "metrics", "datasets", "dataset_columns", "artifacts", "tags", "environment", "branch_runs"}

// newUpdater returns an updater writing through c; empty says that the
// tables are empty and have no keys yet (a full build).
func newUpdater(c *rawConn, src Source, empty bool) *updater {
	u := &updater{c: c, src: src, empty: empty, newCommits: map[objects.ID]*objects.Commit{},
		batches: map[string]*batch{}, queries: map[[2]any]string{}, seen: map[string]bool{}}
	for t, cols := range batchColumns {
		u.batches[t] = &batch{table: t, cols: len(cols)}
	}
	return u
}

// add queues a row for table, inserting the batch when it is full.
func (u *updater) add(table string, vals ...any) error {
	b := u.batches[table]
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == batchRows {
		return u.flush(b)
	}
	return nil
}

// flush inserts the rows queued for b.
func (u *updater) flush(b *batch) error {
	if b.rows == 0 {
		return nil
	}
	key := [2]any{b.table, b.rows}
	q, ok := u.queries[key]
	if !ok {
		row := "(?" + strings.Repeat(", ?", b.cols-1) + ")"
		q = "INSERT INTO " + b.table + " (" + strings.Join(batchColumns[b.table], ", ") + ") VALUES " +
			row + strings.Repeat(", "+row, b.rows-1)
		u.queries[key] = q
	}
	if err := u.c.exec(q, b.args...); err != nil {
		return fmt.Errorf("index %s: %w", b.table, err)
	}
	clear(b.args)
	b.args, b.rows = b.args[:0], 0
	return nil
}

// flushAll inserts every queued row.
func (u *updater) flushAll() error {
	for _, t := range sortedKeys(batchColumns) {
		if err := u.flush(u.batches[t]); err != nil {
			return err
		}
	}
	return nil
}

// update brings the tables in line with the references in refList.
func (u *updater) update(refList []refs.Ref) (Stats, error) {
	var st Stats
	oldRefs, err := u.loadRefs()
	if err != nil {
		return st, err
	}
	var tips []objects.ID
	for _, r := range refList {
		if !r.ID.IsZero() && refKind(r.Name) != "" {
			tips = append(tips, r.ID)
		}
	}
	// 1. Find the commits the index has not seen: everything reachable from
	// a tip down to the first indexed commits (the indexed commits are
	// closed under ancestry, so nothing below them can be new).
	order, reached, err := u.discover(tips)
	if err != nil {
		return st, err
	}
	// 2. Index them, oldest first, so that an index built in one go and
	// one updated commit by commit store rows in the same order.
	tracef("discover %d commits", len(order))
	n, err := u.indexCommits(order)
	if err != nil {
		return st, err
	}
	tracef("indexed %d runs", n)
	st.Commits, st.Runs = len(order), n
	if u.empty {
		// A full build: the keys go on now that the bulk is loaded, before
		// the references and branches are looked up through them.
		for _, q := range schemaKeys {
			if err := u.c.exec(q); err != nil {
				return st, fmt.Errorf("create schema: %w", err)
			}
		}
		tracef("keys")
	}
	// 3. References.
	if err := u.c.exec(`DELETE FROM refs`); err != nil {
		return st, err
	}
	newRefs := map[refs.Name]objects.ID{}
	for _, r := range refList {
		kind := refKind(r.Name)
		if r.ID.IsZero() || kind == "" {
			continue
		}
		newRefs[r.Name] = r.ID
		var target any
		if r.Target != "" {
			target = string(r.Target)
		}
		if err := u.c.exec(insertRef, string(r.Name), kind, r.Name.Short(), r.ID.String(), target); err != nil {
			return st, err
		}
	}
	// 4. Runs per branch.
	if err := u.updateBranches(oldRefs, newRefs, reached); err != nil {
		return st, err
	}
	// 5. Forget what is no longer reachable, if a reference was deleted or
	// moved to a commit that does not descend from its old one.
	for name, old := range oldRefs {
		if newRefs[name] != old && !reached[old] {
			return st, u.collect()
		}
	}
	return st, nil
}

func (u *updater) loadRefs() (map[refs.Name]objects.ID, error) {
	out := map[refs.Name]objects.ID{}
	if u.empty {
		return out, nil
	}
	rows, err := u.c.query(`SELECT name, commit_id FROM refs`)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		name, _ := row[0].(string)
		id, _ := row[1].(string)
		if oid, err := objects.ParseID(id); err == nil {
			out[refs.Name(name)] = oid
		}
	}
	return out, nil
}

// discover returns the unindexed commits reachable from tips, oldest first
// (by time, then id), and the set of already indexed commits it ran into,
// which are therefore reachable from the new references.
func (u *updater) discover(tips []objects.ID) ([]objects.ID, map[objects.ID]bool, error) {
	reached := map[objects.ID]bool{}
	seen := map[objects.ID]bool{}
	stack := append([]objects.ID(nil), tips...)
	var order []objects.ID
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		if !u.empty {
			ok, err := u.hasCommit(id)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				reached[id] = true
				continue
			}
		}
		c, err := u.src.ReadCommit(id)
		if err != nil {
			return nil, nil, err
		}
		c.Metrics = nil // not indexed from the commit (the run has them all); frees memory
		u.newCommits[id] = c
		order = append(order, id)
		stack = append(stack, c.Parents...)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := u.newCommits[order[i]], u.newCommits[order[j]]
		if a.Time != b.Time {
			return a.Time < b.Time
		}
		return order[i].String() < order[j].String()
	})
	for _, id := range order {
		reached[id] = true
	}
	return order, reached, nil
}

func (u *updater) hasCommit(id objects.ID) (bool, error) {
	var one int
	err := u.c.queryRow(hasCommit, []any{id.String()}, &one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// readAhead bounds how many runs the readers may have decoded ahead of
// the writer.
const readAhead = 256

// indexCommits reads the runs of the commits in order, on several
// goroutines, and inserts commits and runs in that order on this one. It
// returns the number of runs added.
func (u *updater) indexCommits(order []objects.ID) (int, error) {
	if len(order) == 0 {
		return 0, nil
	}
	type slot struct {
		e    *entry
		err  error
		done chan struct{}
	}
	slots := make([]slot, len(order))
	for i := range slots {
		slots[i].done = make(chan struct{})
	}
	stop := make(chan struct{})
	window := make(chan struct{}, readAhead)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range order {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	workers := min(max(runtime.GOMAXPROCS(0), 1), 8)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := order[i]
				c := u.newCommits[id]
				run, err := u.src.ReadRun(c.Run)
				if err == nil {
					slots[i].e, err = buildEntry(id, c, run)
				} else {
					err = fmt.Errorf("commit %s: run %s: %w", id.Short(), c.Run.Short(), err)
				}
				slots[i].err = err
				close(slots[i].done)
			}
		}()
	}
	defer wg.Wait()
	defer close(stop)
	added := 0
	var waited time.Duration
	defer func() { tracef("writer waited %v for readers", waited) }()
	for i := range slots {
		t := time.Now()
		<-slots[i].done
		waited += time.Since(t)
		<-window
		if slots[i].err != nil {
			return added, slots[i].err
		}
		ok, err := u.insert(slots[i].e)
		if err != nil {
			return added, err
		}
		if ok {
			added++
		}
		slots[i].e = nil
	}
	return added, u.flushAll()
}

// insert stores one commit and its run. A run already indexed (recorded
// by another commit, or another run of the same name) is not added again.
func (u *updater) insert(e *entry) (bool, error) {
	c, r, cid := e.commit, e.run, e.commitID.String()
	var parent any
	if len(c.Parents) > 0 {
		parent = c.Parents[0].String()
	}
	if err := u.add("commits", cid, e.runID, parent, c.Time, c.Name, c.Author, c.Message); err != nil {
		return false, err
	}
	for i, p := range c.Parents {
		if err := u.add("commit_parents", cid, i+1, p.String()); err != nil {
			return false, err
		}
	}
	var srcCommit, srcBranch, srcDirty, srcRemote, exit any
	if s := r.Source; s != nil {
		srcCommit, srcBranch, srcRemote = nullString(s.Commit), nullString(s.Branch), nullString(s.Remote)
		srcDirty = 0
		if s.Dirty {
			srcDirty = 1
		}
	}
	if r.ExitStatus != nil {
		exit = *r.ExitStatus
	}
	runArgs := []any{e.runID, cid, r.Name, c.Author, c.Time, c.Message, nullString(r.Started),
		nullString(r.Finished), exit, srcCommit, srcBranch, srcDirty, srcRemote, e.command, nullString(r.Author)}
	if u.empty {
		// No keys yet: skip a run recorded before, or a name taken, by hand.
		if u.seen["r"+e.runID] || u.seen["n"+r.Name] {
			return false, nil
		}
		u.seen["r"+e.runID], u.seen["n"+r.Name] = true, true
		if err := u.add("runs", runArgs...); err != nil {
			return false, err
		}
	} else {
		if err := u.c.exec(insertRun, runArgs...); err != nil {
			return false, fmt.Errorf("index runs: %w", err)
		}
		if u.c.changes() == 0 {
			return false, nil // recorded already by another commit, or the name is taken
		}
	}
	run := e.runID
	for _, s := range e.stages {
		var parentPath any
		if s.parentPath != "" {
			parentPath = s.parentPath
		}
		if err := u.add("stages", run, s.path, parentPath, s.position, s.name, s.op, nullString(s.artifact), s.depth, s.namePath); err != nil {
			return false, err
		}
	}
	for _, s := range e.stageIO {
		if err := u.add("stage_io", run, s.stagePath, s.direction, s.name, s.position); err != nil {
			return false, err
		}
	}
	for _, p := range e.params {
		if err := u.add("params", run, p.stagePath, p.stageName, p.key, p.value, p.num); err != nil {
			return false, err
		}
	}
	for i, m := range e.metrics {
		if err := u.add("metrics", run, m.name, m.value, m.slice, m.split, m.step, i+1, m.latest); err != nil {
			return false, err
		}
	}
	for i, d := range e.datasets {
		if err := u.add("datasets", run, d.role, d.path, d.sha256, d.size, d.rows, d.stored, d.data, i+1); err != nil {
			return false, err
		}
	}
	for _, col := range e.columns {
		if err := u.add("dataset_columns", run, col.role, col.name, col.typ, col.position, col.dataset); err != nil {
			return false, err
		}
	}
	for i, a := range r.Artifacts {
		if err := u.add("artifacts", run, a.Path, a.SHA256, a.Size, a.File.String(), i+1); err != nil {
			return false, err
		}
	}
	for _, k := range sortedKeys(r.Tags) {
		if err := u.add("tags", run, k, r.Tags[k]); err != nil {
			return false, err
		}
	}
	for _, k := range sortedKeys(r.Environment) {
		if err := u.add("environment", run, k, r.Environment[k]); err != nil {
			return false, err
		}
	}
	return true, nil
}

// updateBranches keeps branch_runs equal to the runs reachable from each
// branch. A branch that moved forward gains the runs between its old and
// new tip; a new branch, or one that moved anywhere else, is recomputed.
func (u *updater) updateBranches(oldRefs, newRefs map[refs.Name]objects.ID, reached map[objects.ID]bool) error {
	for name := range oldRefs {
		if _, ok := newRefs[name]; !ok && refKind(name) == "branch" {
			if err := u.c.exec(`DELETE FROM branch_runs WHERE branch = ?`, name.Short()); err != nil {
				return err
			}
		}
	}
	names := make([]refs.Name, 0, len(newRefs))
	for name := range newRefs {
		if refKind(name) == "branch" {
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	done := map[objects.ID]string{} // tip → a branch recomputed at it in this update
	for _, name := range names {
		tip, short := newRefs[name], name.Short()
		old, had := oldRefs[name]
		if had && old == tip {
			continue
		}
		if had {
			ok, err := u.fastForward(short, old, tip)
			if err != nil {
				return err
			}
			if ok {
				reached[old] = true
				continue
			}
			if err := u.c.exec(`DELETE FROM branch_runs WHERE branch = ?`, short); err != nil {
				return err
			}
		}
		var err error
		if other, ok := done[tip]; ok {
			err = u.c.exec(`INSERT OR IGNORE INTO branch_runs (branch, run) SELECT ?, run FROM branch_runs WHERE branch = ?`, short, other)
		} else {
			err = u.c.exec(`WITH RECURSIVE r(id) AS (
					SELECT ?2 UNION SELECT p.parent FROM commit_parents p JOIN r ON p.commit_id = r.id)
				INSERT OR IGNORE INTO branch_runs (branch, run) SELECT ?1, c.run FROM r JOIN commits c ON c.id = r.id`,
				short, tip.String())
		}
		if err != nil {
			return fmt.Errorf("index branch %s: %w", short, err)
		}
		done[tip] = short
	}
	return nil
}

// fastForward adds to branch the runs of the commits reachable from tip
// that are not yet in it, if old is among their ancestors; otherwise it
// changes nothing and returns false.
func (u *updater) fastForward(branch string, old, tip objects.ID) (bool, error) {
	seen := map[objects.ID]bool{}
	stack := []objects.ID{tip}
	var runs []string
	found := false
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		if id == old {
			found = true
			continue
		}
		run, parents, err := u.commitInfo(id)
		if err != nil {
			return false, err
		}
		var one int
		err = u.c.queryRow(inBranch, []any{branch, run}, &one)
		if err == nil {
			continue // in the branch already, and so is everything below
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
		runs = append(runs, run)
		stack = append(stack, parents...)
	}
	if !found {
		return false, nil
	}
	for _, run := range runs {
		if err := u.c.exec(insertBranchR, branch, run); err != nil {
			return false, err
		}
	}
	return true, nil
}

// commitInfo returns an indexed commit's run and parents.
func (u *updater) commitInfo(id objects.ID) (string, []objects.ID, error) {
	if c, ok := u.newCommits[id]; ok {
		return c.Run.String(), c.Parents, nil
	}
	var run string
	if err := u.c.queryRow(commitRun, []any{id.String()}, &run); err != nil {
		return "", nil, fmt.Errorf("index: commit %s: %w", id.Short(), err)
	}
	rows, err := u.c.query(parentsOf, id.String())
	if err != nil {
		return "", nil, err
	}
	var parents []objects.ID
	for _, row := range rows {
		p, _ := row[0].(string)
		pid, err := objects.ParseID(p)
		if err != nil {
			return "", nil, err
		}
		parents = append(parents, pid)
	}
	return run, parents, nil
}

// collect removes the commits no reference reaches any more, with their
// runs, so that the index holds exactly what a rebuild would.
func (u *updater) collect() error {
	stmts := []string{
		`DROP TABLE IF EXISTS temp.live`,
		`CREATE TEMP TABLE live (id TEXT PRIMARY KEY)`,
		`WITH RECURSIVE r(id) AS (SELECT commit_id FROM refs UNION SELECT p.parent FROM commit_parents p JOIN r ON p.commit_id = r.id)
			INSERT INTO temp.live SELECT id FROM r`,
		`DELETE FROM commits WHERE id NOT IN (SELECT id FROM temp.live)`,
	}
	for _, s := range stmts {
		if err := u.c.exec(s); err != nil {
			return fmt.Errorf("index: collect: %w", err)
		}
	}
	stmts = []string{
		`DELETE FROM commit_parents WHERE commit_id NOT IN (SELECT id FROM commits)`,
		`DELETE FROM runs WHERE commit_id NOT IN (SELECT id FROM commits)`,
	}
	for _, t := range runTables {
		stmts = append(stmts, `DELETE FROM `+t+` WHERE run NOT IN (SELECT id FROM runs)`)
	}
	stmts = append(stmts, `DROP TABLE temp.live`)
	for _, s := range stmts {
		if err := u.c.exec(s); err != nil {
			return fmt.Errorf("index: collect: %w", err)
		}
	}
	return nil
}
