package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

func openIndex(t *testing.T, path string, src Source) *Index {
	t.Helper()
	ix, err := Open(path, src)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// query returns the rows of q, each as "v1|v2|…".
func query(t *testing.T, ix *Index, q string, args ...any) []string {
	t.Helper()
	rows, err := ix.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("Query(%s): %v", q, err)
	}
	var out []string
	for _, vals := range rows.Values {
		cells := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				cells[i] = "NULL"
			case []byte:
				cells[i] = string(v)
			default:
				cells[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func wantRows(t *testing.T, ix *Index, q string, want ...string) {
	t.Helper()
	got := query(t, ix, q)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %q\nwant %q", q, got, want)
	}
}

var dataTables = []string{"runs", "commits", "commit_parents", "refs", "branch_runs", "stages", "stage_io", "params",
	"metrics", "datasets", "dataset_columns", "artifacts", "tags", "environment"}

// dump is the content of every table, sorted, and the references digest:
// what an index built from scratch and one kept up to date must agree on.
func dump(t *testing.T, ix *Index) string {
	t.Helper()
	var b strings.Builder
	for _, table := range dataTables {
		rows := query(t, ix, "SELECT * FROM "+table)
		slices.Sort(rows)
		fmt.Fprintf(&b, "%s (%d)\n  %s\n", table, len(rows), strings.Join(rows, "\n  "))
	}
	b.WriteString(strings.Join(query(t, ix, `SELECT key, value FROM meta WHERE key IN ('schema_version', 'refs_state') ORDER BY key`), "\n"))
	return b.String()
}

func step(n int64) *int64 { return &n }

func TestSchemaPopulation(t *testing.T) {
	f := newFakeRepo()
	rows := int64(1000)
	exit := 0
	run := &objects.Run{
		Name: "churn-1",
		Pipeline: []objects.Stage{
			{Name: "prep", Op: "sklearn.compose.ColumnTransformer", Stages: []objects.Stage{
				{Name: "num", Op: "sklearn.pipeline.Pipeline", Stages: []objects.Stage{
					{Name: "imputer", Op: "sklearn.impute.SimpleImputer", Params: map[string]any{"strategy": "median"}, Inputs: []string{"age", "income"}},
					{Name: "scaler", Op: "sklearn.preprocessing.StandardScaler", Params: map[string]any{"with_mean": true}},
				}},
				{Name: "cat", Op: "sklearn.preprocessing.OneHotEncoder", Params: map[string]any{"categories": []any{"a", "b"}}, Inputs: []string{"zip_code"}},
			}},
			{Name: "clf", Op: "sklearn.linear_model.LogisticRegression", Artifact: "clf.pkl", Outputs: []string{"churned"},
				Params: map[string]any{"C": json.Number("0.5"), "max_iter": json.Number("200"), "penalty": nil}},
		},
		Params: map[string]any{"seed": json.Number("9007199254740993"), "lr": json.Number("1e-3"), "tag": "v1\"x", "early": false},
		Metrics: []objects.Metric{
			{Name: "loss", Value: 0.9, Split: "train", Step: step(1)},
			{Name: "loss", Value: 0.5, Split: "train", Step: step(3)},
			{Name: "loss", Value: 0.7, Split: "train", Step: step(2)},
			{Name: "accuracy", Value: 0.91, Split: "test"},
			{Name: "accuracy", Value: 0.88, Slice: "country=US", Split: "test"},
			{Name: "auc", Value: 0.7, Step: step(5)},
			{Name: "auc", Value: 0.8}, // recorded without a step: the final value
			{Name: "auc", Value: 0.75, Step: step(9)},
		},
		Datasets: []objects.Dataset{
			{Role: "train", Path: "data/train.csv", SHA256: strings.Repeat("a", 64), Size: 123, Rows: &rows,
				Columns: []objects.Column{{Name: "age", Type: "int"}, {Name: "zip_code", Type: "str"}, {Name: "note"}}},
			{Role: "test", Size: 7},
		},
		Artifacts:   []objects.Artifact{{Path: "clf.pkl", File: objects.Hash([]byte("f")), Size: 42, SHA256: strings.Repeat("b", 64)}},
		Source:      &objects.Source{Commit: "abc123", Branch: "main", Dirty: true},
		Environment: map[string]string{"python": "3.11", "os": "linux"},
		Command:     []string{"python", "train.py"},
		ExitStatus:  &exit,
		Started:     "2025-01-01T00:00:00Z",
		Tags:        map[string]string{"team": "growth"},
		Author:      "Runner <r@example.com>",
	}
	cid := f.commit("main", run)
	ix := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
	_, runID, _ := objects.Encode(run)
	rid := runID.String()

	wantRows(t, ix, `SELECT id = '`+rid+`', commit_id = '`+cid.String()+`', name, author, message, started, finished, exit_status,
		source_commit, source_branch, source_dirty, source_remote, command, run_author FROM runs`,
		`1|1|churn-1|Test <t@example.com>|commit churn-1|2025-01-01T00:00:00Z|NULL|0|abc123|main|1|NULL|["python","train.py"]|Runner <r@example.com>`)
	wantRows(t, ix, `SELECT path, ifnull(parent_path, '-'), position, depth, name, name_path, op, ifnull(artifact, '-') FROM stages ORDER BY path`,
		"1|-|1|1|prep|prep|sklearn.compose.ColumnTransformer|-",
		"1.1|1|1|2|num|prep.num|sklearn.pipeline.Pipeline|-",
		"1.1.1|1.1|1|3|imputer|prep.num.imputer|sklearn.impute.SimpleImputer|-",
		"1.1.2|1.1|2|3|scaler|prep.num.scaler|sklearn.preprocessing.StandardScaler|-",
		"1.2|1|2|2|cat|prep.cat|sklearn.preprocessing.OneHotEncoder|-",
		"2|-|2|1|clf|clf|sklearn.linear_model.LogisticRegression|clf.pkl")
	wantRows(t, ix, `SELECT stage_path, direction, name, position FROM stage_io ORDER BY stage_path, direction, position`,
		"1.1.1|in|age|1", "1.1.1|in|income|2", "1.2|in|zip_code|1", "2|out|churned|1")
	wantRows(t, ix, `SELECT stage_path, stage_name, key, value, typeof(num), num FROM params ORDER BY stage_path, key`,
		"||early|false|null|NULL",
		"||lr|0.001|real|0.001",
		"||seed|9007199254740993|real|9.007199254740992e+15",
		`||tag|"v1\"x"|null|NULL`,
		`1.1.1|prep.num.imputer|strategy|"median"|null|NULL`,
		"1.1.2|prep.num.scaler|with_mean|true|null|NULL",
		`1.2|prep.cat|categories|["a","b"]|null|NULL`,
		"2|clf|C|0.5|real|0.5",
		"2|clf|max_iter|200|real|200",
		"2|clf|penalty|null|null|NULL")
	wantRows(t, ix, `SELECT key, value FROM params_flat ORDER BY key`,
		"clf.C|0.5", "clf.max_iter|200", "clf.penalty|null", "early|false", "lr|0.001",
		`prep.cat.categories|["a","b"]`, `prep.num.imputer.strategy|"median"`, "prep.num.scaler.with_mean|true",
		"seed|9007199254740993", `tag|"v1\"x"`)
	wantRows(t, ix, `SELECT name, slice, split, value, ifnull(step, '-') FROM latest_metrics ORDER BY name, slice, split`,
		"accuracy||test|0.91|-", "accuracy|country=US|test|0.88|-", "auc|||0.8|-", "loss||train|0.5|3")
	wantRows(t, ix, `SELECT count(*), sum(latest) FROM metrics`, "8|4")
	wantRows(t, ix, `SELECT role, ifnull(path, '-'), ifnull(sha256, '-'), size, ifnull(rows, '-'), stored FROM datasets ORDER BY role`,
		"test|-|-|7|-|0", "train|data/train.csv|"+strings.Repeat("a", 64)+"|123|1000|0")
	wantRows(t, ix, `SELECT role, name, ifnull(type, '-'), position FROM dataset_columns ORDER BY position`,
		"train|age|int|1", "train|zip_code|str|2", "train|note|-|3")
	wantRows(t, ix, `SELECT path, size FROM artifacts`, "clf.pkl|42")
	wantRows(t, ix, `SELECT key, value FROM environment ORDER BY key`, "os|linux", "python|3.11")
	wantRows(t, ix, `SELECT key, value FROM tags`, "team|growth")
	wantRows(t, ix, `SELECT name, kind, short, ifnull(target, '-') FROM refs ORDER BY name`,
		"HEAD|head|HEAD|refs/heads/main", "refs/heads/main|branch|main|-")
	wantRows(t, ix, `SELECT run_name, column_name FROM run_columns WHERE column_name = 'zip_code'`, "churn-1|zip_code")
	wantRows(t, ix, `SELECT run_name, metric, slice, value FROM run_metrics WHERE metric = 'accuracy' ORDER BY value DESC`,
		"churn-1|accuracy||0.91", "churn-1|accuracy|country=US|0.88")
	wantRows(t, ix, `SELECT run_name, key, num FROM run_params WHERE key = 'clf.C'`, "churn-1|clf.C|0.5")
	wantRows(t, ix, `SELECT name FROM current_runs`, "churn-1")
}

func TestBranchRuns(t *testing.T) {
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("m1", 0.1))
	m2 := f.commit("main", simpleRun("m2", 0.2))
	f.commit("main", simpleRun("m3", 0.3))
	f.refs[refs.Branch("exp")] = m2
	f.commit("exp", simpleRun("e1", 0.4))
	f.commit("exp", simpleRun("e2", 0.5))
	branchRuns := `SELECT b.branch, group_concat(r.name, ',') FROM (SELECT * FROM branch_runs ORDER BY run) b
		JOIN runs r ON r.id = b.run GROUP BY b.branch ORDER BY b.branch`
	sorted := func(t *testing.T, ix *Index) []string {
		var out []string
		for _, row := range query(t, ix, branchRuns) {
			branch, names, _ := strings.Cut(row, "|")
			list := strings.Split(names, ",")
			slices.Sort(list)
			out = append(out, branch+"|"+strings.Join(list, ","))
		}
		return out
	}
	check := func(t *testing.T, want ...string) {
		t.Helper()
		ix := openIndex(t, path, f)
		if got := sorted(t, ix); !slices.Equal(got, want) {
			t.Errorf("branch_runs:\ngot  %q\nwant %q", got, want)
		}
		fresh := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
		if a, b := dump(t, ix), dump(t, fresh); a != b {
			t.Errorf("the updated index differs from one built from scratch:\n%s\n---\n%s", a, b)
		}
	}
	check(t, "exp|e1,e2,m1,m2", "main|m1,m2,m3")

	f.commit("main", simpleRun("m4", 0.6)) // fast-forward
	check(t, "exp|e1,e2,m1,m2", "main|m1,m2,m3,m4")

	f.refs[refs.Branch("exp")] = f.refs[refs.Branch("main")] // moved elsewhere: e1 and e2 are unreachable
	check(t, "exp|m1,m2,m3,m4", "main|m1,m2,m3,m4")

	f.commit("exp", simpleRun("e3", 0.7))
	f.refs[refs.Branch("old")] = m2 // a new branch
	check(t, "exp|e3,m1,m2,m3,m4", "main|m1,m2,m3,m4", "old|m1,m2")

	delete(f.refs, refs.Branch("exp"))
	check(t, "main|m1,m2,m3,m4", "old|m1,m2")
}

// TestIncrementalMatchesRebuild makes random changes — commits, merges,
// branches created, moved and deleted, tags, a detached HEAD — and checks
// after each that the index kept up to date holds exactly what one built
// from scratch holds.
func TestIncrementalMatchesRebuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("r0", 0.5))
	n := 1
	pick := func(prefix string) (refs.Name, bool) {
		var names []refs.Name
		for name := range f.refs {
			if strings.HasPrefix(string(name), prefix) {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			return "", false
		}
		slices.Sort(names)
		return names[rng.IntN(len(names))], true
	}
	anyCommit := func() objects.ID {
		ids := make([]objects.ID, 0, len(f.commits))
		for id := range f.commits {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b objects.ID) int { return strings.Compare(a.String(), b.String()) })
		return ids[rng.IntN(len(ids))]
	}
	for i := 0; i < 60; i++ {
		var what string
		switch op := rng.IntN(10); {
		case op < 4:
			b, _ := pick(refs.HeadsPrefix)
			f.commit(b.Short(), simpleRun(fmt.Sprintf("r%d", n), rng.Float64()))
			what = "commit on " + b.Short()
			n++
		case op == 4:
			name := refs.Branch(fmt.Sprintf("b%d", rng.IntN(4)))
			f.refs[name] = anyCommit()
			what = "move or create " + name.Short()
		case op == 5:
			if b, ok := pick(refs.HeadsPrefix); ok && b != f.head {
				delete(f.refs, b)
				what = "delete " + b.Short()
			}
		case op == 6:
			f.refs[refs.Tag(fmt.Sprintf("t%d", rng.IntN(3)))] = anyCommit()
			what = "tag"
		case op == 7:
			if tag, ok := pick(refs.TagsPrefix); ok {
				delete(f.refs, tag)
				what = "delete tag"
			}
		case op == 8:
			// A merge commit on main of main and another branch.
			b, _ := pick(refs.HeadsPrefix)
			main := refs.Branch("main")
			f.refs[main] = f.commitOn(f.refs[main], simpleRun(fmt.Sprintf("r%d", n), 0.5), f.refs[b])
			what = "merge " + b.Short()
			n++
		case op == 9:
			if f.head == "" {
				f.head = refs.Branch("main")
			} else {
				f.head, f.detached = "", anyCommit()
			}
			what = "switch HEAD"
		}
		ix, err := Open(path, f)
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, what, err)
		}
		fresh := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
		if a, b := dump(t, ix), dump(t, fresh); a != b {
			t.Fatalf("step %d (%s): the updated index differs from one built from scratch:\n%s\n---\n%s", i, what, a, b)
		}
		ix.Close()
	}
}

func TestCatchUp(t *testing.T) {
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("a", 0.5))
	ix := openIndex(t, path, f)
	if st := ix.Updated(); !st.Rebuilt || st.Reason != "missing" || st.Runs != 1 {
		t.Errorf("first Open: %+v, want a build of 1 run", st)
	}
	ix.Close()

	// Commits made without updating the index (another process, an older
	// modeldb) are found by the next Open.
	f.commit("main", simpleRun("b", 0.6))
	f.commit("main", simpleRun("c", 0.7))
	reads := f.reads.Load()
	ix = openIndex(t, path, f)
	if st := ix.Updated(); st.Rebuilt || st.Runs != 2 || st.Commits != 2 {
		t.Errorf("Open after two commits: %+v, want 2 runs added", st)
	}
	if f.reads.Load()-reads != 2 {
		t.Errorf("Open read %d runs, want only the 2 new ones", f.reads.Load()-reads)
	}
	wantRows(t, ix, `SELECT name FROM runs ORDER BY time`, "a", "b", "c")
	ix.Close()

	// Nothing changed: nothing is read.
	reads = f.reads.Load()
	ix = openIndex(t, path, f)
	if st := ix.Updated(); st.Runs != 0 || st.Rebuilt || f.reads.Load() != reads {
		t.Errorf("Open of a current index: %+v and %d runs read, want nothing done", st, f.reads.Load()-reads)
	}
	before := dump(t, ix)
	ix.Close()

	// Deleted: rebuilt, with the same content.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	ix = openIndex(t, path, f)
	if st := ix.Updated(); !st.Rebuilt {
		t.Errorf("Open after the file was deleted: %+v, want a rebuild", st)
	}
	if after := dump(t, ix); after != before {
		t.Errorf("rebuilt index differs:\n%s\n---\n%s", after, before)
	}

	// An explicit rebuild gives the same content again.
	st, err := ix.Rebuild()
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != 3 || !st.Rebuilt {
		t.Errorf("Rebuild: %+v, want 3 runs", st)
	}
	if after := dump(t, ix); after != before {
		t.Errorf("Rebuild differs:\n%s\n---\n%s", after, before)
	}
}

// setMetaValue changes one meta entry behind the index's back.
func setMetaValue(t *testing.T, ix *Index, key, value string) {
	t.Helper()
	if err := ix.rw.exec(`UPDATE meta SET value = ? WHERE key = ?`, value, key); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaVersionMismatch(t *testing.T) {
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("a", 0.5))
	ix := openIndex(t, path, f)
	before := dump(t, ix)
	setMetaValue(t, ix, "schema_version", "0")
	ix.Close()
	ix = openIndex(t, path, f)
	if st := ix.Updated(); !st.Rebuilt || !strings.Contains(st.Reason, `schema version "0"`) {
		t.Errorf("Open of an index of schema version 0: %+v, want a rebuild", st)
	}
	if after := dump(t, ix); after != before {
		t.Errorf("rebuilt index differs:\n%s\n---\n%s", after, before)
	}
}

func TestDamagedFile(t *testing.T) {
	f := newFakeRepo()
	f.commit("main", simpleRun("a", 0.5))
	f.commit("main", simpleRun("b", 0.6))
	want := dump(t, openIndex(t, filepath.Join(t.TempDir(), FileName), f))
	for _, tc := range []struct {
		name    string
		content func(good []byte) []byte
	}{
		{"garbage", func([]byte) []byte { return []byte("this is not a database, just some text\n") }},
		{"empty", func([]byte) []byte { return nil }},
		{"foreign database", func([]byte) []byte { return foreignDatabase(t) }},
		{"truncated", func(good []byte) []byte { return good[:len(good)/3] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			ix := openIndex(t, path, f)
			ix.Close()
			good, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.content(good), 0o644); err != nil {
				t.Fatal(err)
			}
			ix = openIndex(t, path, f)
			if st := ix.Updated(); !st.Rebuilt {
				t.Errorf("Open: %+v, want a rebuild", st)
			}
			if got := dump(t, ix); got != want {
				t.Errorf("rebuilt index differs:\n%s\n---\n%s", got, want)
			}
		})
	}
}

// foreignDatabase returns a valid SQLite database that is not an index.
func foreignDatabase(t *testing.T) []byte {
	p := filepath.Join(t.TempDir(), "other.sqlite")
	db, err := openRaw(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE notes (text TEXT)`, `INSERT INTO notes VALUES ('hello')`} {
		if err := db.exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestQuickCheckAfterReboot: an index last written before a reboot is
// checked once; one that fails the check is rebuilt.
func TestQuickCheckAfterReboot(t *testing.T) {
	if bootID() == "" {
		t.Skip("no boot id on this system")
	}
	f := newFakeRepo()
	for i := 0; i < 200; i++ {
		f.commit("main", simpleRun(fmt.Sprintf("r%d", i), 0.5))
	}
	path := filepath.Join(t.TempDir(), FileName)
	ix := openIndex(t, path, f)
	want := dump(t, ix)

	// A clean file from an earlier boot: checked, kept.
	setMetaValue(t, ix, "boot_id", "an-earlier-boot")
	ix.Close()
	ix = openIndex(t, path, f)
	if st := ix.Updated(); st.Rebuilt {
		t.Errorf("Open of a sound index from an earlier boot: %+v, want it kept", st)
	}
	wantRows(t, ix, `SELECT value = '`+bootID()+`' FROM meta WHERE key = 'boot_id'`, "1")

	// Pages lost in a crash: the file fails quick_check and is rebuilt.
	setMetaValue(t, ix, "boot_id", "an-earlier-boot")
	ix.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) / 2; i < len(data); i++ {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ix = openIndex(t, path, f)
	if st := ix.Updated(); !st.Rebuilt || !strings.HasPrefix(st.Reason, "damaged") {
		t.Errorf("Open of a damaged index from an earlier boot: %+v, want a rebuild", st)
	}
	if got := dump(t, ix); got != want {
		t.Errorf("rebuilt index differs")
	}
}

func TestQueryRefusesWrites(t *testing.T) {
	f := newFakeRepo()
	f.commit("main", simpleRun("a", 0.5))
	ix := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
	for _, tc := range []struct{ sql, msg string }{
		{"INSERT INTO runs (id) VALUES ('x')", "INSERT statements are refused (the index is read-only: only SELECT, WITH, VALUES and EXPLAIN statements run)"},
		{"update runs set name = 'x'", "UPDATE statements are refused"},
		{"DELETE FROM runs", "DELETE statements are refused"},
		{"  -- a comment\n  DROP TABLE runs", "DROP statements are refused"},
		{"CREATE TABLE x (a)", "CREATE statements are refused"},
		{"REPLACE INTO tags VALUES ('a', 'b', 'c')", "REPLACE statements are refused"},
		{"ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH statements are refused"},
		{"SELECT * FROM runs; ATTACH '/tmp/x' AS x", "ATTACH is refused"},
		{"PRAGMA query_only = 0", "PRAGMA statements are refused"},
		{"SELECT 1 /* */ ; PRAGMA writable_schema = 1", "PRAGMA is refused"},
		{"VACUUM", "VACUUM statements are refused"},
		{"SELECT 1; DELETE FROM runs", "only one statement per query: remove what follows ';'"},
		{"SELECT 1; SELECT 2", "only one statement per query"},
		{"BEGIN", "BEGIN statements are refused"},
		// Past the first checks, SQLite's authorizer refuses.
		{"WITH x AS (SELECT 1) DELETE FROM runs", "statement refused: it does more than read"},
		{"WITH x AS (SELECT 1) INSERT INTO tags SELECT 'a', 'b', 'c' FROM x", "statement refused: it does more than read"},
		{"", "empty query"},
		{" -- nothing\n ; ", "empty query"},
	} {
		_, err := ix.Query(context.Background(), tc.sql)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Query(%q) = %v, want refused: %q", tc.sql, err, tc.msg)
		}
	}
	// Nothing was changed.
	wantRows(t, ix, `SELECT count(*) FROM runs`, "1")
	wantRows(t, ix, `SELECT count(*) FROM tags`, "0")

	// Keywords inside strings, quoted names and comments are just text;
	// read-only statements of every kind run.
	for _, q := range []string{
		"SELECT 'ATTACH; DELETE' AS \"PRAGMA\" -- VACUUM\n;",
		"select [DROP] from (select 1 as [DROP]);",
		"VALUES (1), (2)",
		"EXPLAIN QUERY PLAN SELECT * FROM metrics WHERE name = 'accuracy'",
		"WITH t AS (SELECT name FROM runs) SELECT * FROM t",
		"SELECT name, type FROM pragma_table_info('runs')",
		"SELECT replace(name, 'a', 'b') FROM runs",
	} {
		if _, err := ix.Query(context.Background(), q); err != nil {
			t.Errorf("Query(%q): %v", q, err)
		}
	}

	// The handle given to other packages cannot write either.
	if _, err := ix.DB().Exec(`DELETE FROM runs`); err == nil {
		t.Errorf("DB().Exec(DELETE) succeeded")
	}
	if _, err := ix.DB().Exec(`PRAGMA query_only = 0`); err == nil {
		t.Errorf("DB().Exec(PRAGMA query_only = 0) succeeded")
	}
	wantRows(t, ix, `SELECT count(*) FROM runs`, "1")
}

func TestQueryErrors(t *testing.T) {
	f := newFakeRepo()
	f.commit("main", simpleRun("a", 0.5))
	ix := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
	for _, tc := range []struct{ sql, msg string }{
		{"SELEC name FROM runs", `near "SELEC": syntax error`},
		{"SELECT name FROM nosuch", "no such table: nosuch"},
		{"SELECT nosuch FROM runs", "no such column: nosuch"},
		{"SELECT name FROM runs WHERE", "incomplete input"},
	} {
		_, err := ix.Query(context.Background(), tc.sql)
		if err == nil || errors.Is(err, ErrRefused) || err.Error() != tc.msg {
			t.Errorf("Query(%q) = %v, want %q", tc.sql, err, tc.msg)
		}
	}
}

func TestQueryValues(t *testing.T) {
	f := newFakeRepo()
	f.commit("main", simpleRun("a", 0.5))
	ix := openIndex(t, filepath.Join(t.TempDir(), FileName), f)
	rows, err := ix.Query(context.Background(), `SELECT name, 1, 2.5, NULL, x'00ff', ? FROM runs`, "arg")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"name", "1", "2.5", "NULL", "x'00ff'", "?"}; !slices.Equal(rows.Columns, want) {
		t.Errorf("columns %q, want %q", rows.Columns, want)
	}
	want := []any{"a", int64(1), 2.5, nil, []byte{0, 0xff}, "arg"}
	if len(rows.Values) != 1 || fmt.Sprintf("%#v", rows.Values[0]) != fmt.Sprintf("%#v", want) {
		t.Errorf("values %#v, want %#v", rows.Values, want)
	}
}

// TestRebuildWhileOpen: with the index open elsewhere, Rebuild copies the
// new build into the live file; the other user keeps working and sees it.
func TestRebuildWhileOpen(t *testing.T) {
	defer func(d time.Duration) { rebuildLockWait = d }(rebuildLockWait)
	rebuildLockWait = 50 * time.Millisecond
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("a", 0.5))
	f.commit("main", simpleRun("b", 0.6))
	ix := openIndex(t, path, f)
	other := openIndex(t, path, f)
	want := dump(t, other)
	if _, err := os.Stat(path + ".lock"); err != nil {
		t.Fatal(err)
	}
	st, err := ix.Rebuild()
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs != 2 || !st.Rebuilt {
		t.Errorf("Rebuild: %+v", st)
	}
	if got := dump(t, other); got != want {
		t.Errorf("after Rebuild, the other user reads:\n%s\nwant\n%s", got, want)
	}
	if got := dump(t, ix); got != want {
		t.Errorf("after Rebuild:\n%s\nwant\n%s", got, want)
	}
	// Alone, Rebuild replaces the file.
	other.Close()
	if st, err = ix.Rebuild(); err != nil || st.Reason != "rebuild" {
		t.Fatalf("Rebuild alone: %+v, %v", st, err)
	}
	if got := dump(t, ix); got != want {
		t.Errorf("after Rebuild alone:\n%s\nwant\n%s", got, want)
	}
}

// TestConcurrentBuild: processes that find no index at once build it
// once; the others wait and use it.
func TestConcurrentBuild(t *testing.T) {
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	for i := 0; i < 30; i++ {
		f.commit("main", simpleRun(fmt.Sprintf("r%d", i), 0.5))
	}
	type result struct {
		st  Stats
		err error
	}
	results := make(chan result, 4)
	for i := 0; i < 4; i++ {
		go func() {
			ix, err := Open(path, f)
			if err != nil {
				results <- result{err: err}
				return
			}
			results <- result{st: ix.Updated(), err: ix.Close()}
		}()
	}
	builds := 0
	for i := 0; i < 4; i++ {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.st.Rebuilt {
			builds++
		}
	}
	if builds != 1 {
		t.Errorf("%d builds, want 1", builds)
	}
	wantRows(t, openIndex(t, path, f), `SELECT count(*) FROM runs`, "30")
}

// TestConcurrentOpen: two processes catching up at once take turns, and
// both see the result.
func TestConcurrentOpen(t *testing.T) {
	f := newFakeRepo()
	path := filepath.Join(t.TempDir(), FileName)
	f.commit("main", simpleRun("a", 0.5))
	openIndex(t, path, f).Close()
	for i := 0; i < 50; i++ {
		f.commit("main", simpleRun(fmt.Sprintf("r%d", i), 0.5))
	}
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			ix, err := Open(path, f)
			if err == nil {
				err = ix.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	wantRows(t, openIndex(t, path, f), `SELECT count(*) FROM runs`, "51")
}
