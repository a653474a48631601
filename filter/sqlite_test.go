package filter

import (
	"database/sql"
	"reflect"
	"testing"

	_ "modernc.org/sqlite"
)

// schema is the query index's schema as far as the filter language reads
// it: the contract with package index (docs/query.md).
const schema = `
CREATE TABLE runs (id TEXT PRIMARY KEY, commit_id TEXT UNIQUE, name TEXT UNIQUE, author TEXT, time TEXT,
	message TEXT, started TEXT, finished TEXT, exit_status INTEGER, source_commit TEXT, source_branch TEXT,
	source_dirty INTEGER, source_remote TEXT, command TEXT);
CREATE TABLE branch_runs (branch TEXT, run TEXT);
CREATE TABLE stages (run TEXT, path TEXT, parent_path TEXT, position INTEGER, name TEXT, op TEXT, artifact TEXT);
CREATE TABLE params (run TEXT, stage_path TEXT, stage_name TEXT, key TEXT, value TEXT, num REAL);
CREATE VIEW params_flat AS
	SELECT run, CASE WHEN stage_name = '' THEN key ELSE stage_name || '.' || key END AS key, value, num FROM params;
CREATE TABLE metrics (run TEXT, name TEXT, value REAL, slice TEXT NOT NULL DEFAULT '', split TEXT NOT NULL DEFAULT '', step INTEGER);
CREATE VIEW latest_metrics AS
	SELECT run, name, slice, split, value FROM metrics m WHERE NOT EXISTS (SELECT 1 FROM metrics n
		WHERE n.run = m.run AND n.name = m.name AND n.slice = m.slice AND n.split = m.split
		AND coalesce(n.step, -1) > coalesce(m.step, -1));
CREATE TABLE datasets (run TEXT, role TEXT, path TEXT, sha256 TEXT, size INTEGER, rows INTEGER, stored INTEGER);
CREATE TABLE dataset_columns (run TEXT, role TEXT, name TEXT, type TEXT);
CREATE TABLE artifacts (run TEXT, path TEXT, sha256 TEXT, size INTEGER);
CREATE TABLE tags (run TEXT, key TEXT, value TEXT);
CREATE TABLE environment (run TEXT, key TEXT, value TEXT);
`

// Four runs, oldest first:
//
//	baseline   2024-04-30  no author, no source, nothing recorded      branch main
//	logreg-c1  2024-05-01  accuracy 0.85, C=1, penalty l2, zip_code    branch main
//	logreg-c10 2024-05-02  accuracy 0.93, C=10, penalty l1, OneHot…    branches main, feature
//	rf         2024-05-03  accuracy 0.5→0.7→0.95, classifier.C=0.5     branch feature
const rows = `
INSERT INTO runs (id, commit_id, name, author, time, message, exit_status, source_commit, source_branch, source_dirty) VALUES
	('r4', 'c4', 'baseline', NULL, '2024-04-30T08:00:00.000000000Z', 'majority class', NULL, NULL, NULL, NULL),
	('r1', 'c1', 'logreg-c1', 'Dana <dana@example.com>', '2024-05-01T10:00:00.000000000Z', 'logistic regression, C=1', 0, 'abc123', 'main', 0),
	('r2', 'c2', 'logreg-c10', 'Dana <dana@example.com>', '2024-05-02T09:00:00.000000000Z', 'logistic regression, C=10', 0, 'abc124', 'main', 1),
	('r3', 'c3', 'rf', 'Lee <lee@example.com>', '2024-05-03T23:59:59.500000000Z', 'random forest', 1, 'def456', 'rf', 0);
INSERT INTO branch_runs VALUES ('main', 'r4'), ('main', 'r1'), ('main', 'r2'), ('feature', 'r2'), ('feature', 'r3');
INSERT INTO stages VALUES
	('r1', '1', '', 0, 'scaler', 'sklearn.preprocessing.StandardScaler', ''),
	('r1', '2', '', 1, 'clf', 'sklearn.linear_model.LogisticRegression', 'model/clf.pkl'),
	('r2', '1', '', 0, 'prep', 'sklearn.compose.ColumnTransformer', ''),
	('r2', '1.1', '1', 0, 'onehot', 'sklearn.preprocessing.OneHotEncoder', ''),
	('r2', '2', '', 1, 'clf', 'sklearn.linear_model.LogisticRegression', ''),
	('r3', '1', '', 0, 'classifier', 'sklearn.ensemble.RandomForestClassifier', '');
INSERT INTO params VALUES
	('r1', '', '', 'C', '1', 1), ('r1', '', '', 'penalty', '"l2"', NULL), ('r1', '2', 'clf', 'max_iter', '100', 100),
	('r2', '', '', 'C', '10', 10), ('r2', '', '', 'penalty', '"l1"', NULL), ('r2', '', '', 'fit_intercept', 'true', NULL),
	('r3', '1', 'classifier', 'C', '0.5', 0.5), ('r3', '', '', 'penalty', '"<none>"', NULL), ('r3', '', '', 'note', 'null', NULL),
	('r3', '', '', 'solver', '"it''s \"quoted\""', NULL);
INSERT INTO metrics (run, name, value, slice, split, step) VALUES
	('r1', 'accuracy', 0.85, '', '', NULL), ('r1', 'accuracy', 0.80, 'country=US', '', NULL),
	('r2', 'accuracy', 0.93, '', '', NULL), ('r2', 'accuracy', 0.90, '', 'test', NULL), ('r2', 'RMSE Score', 3.5, '', '', NULL),
	('r3', 'accuracy', 0.5, '', '', 1), ('r3', 'accuracy', 0.95, '', '', 3), ('r3', 'accuracy', 0.7, '', '', 2);
INSERT INTO datasets VALUES
	('r1', 'train', 'data/train.csv', 'aa11', 5000, 1000, 1),
	('r2', 'train', 'data/train2.csv', 'bb22', 6000, NULL, 0);
INSERT INTO dataset_columns VALUES
	('r1', 'train', 'age', 'int'), ('r1', 'train', 'zip_code', 'str'),
	('r2', 'train', 'age', 'int'), ('r2', 'train', 'income', 'float');
INSERT INTO artifacts VALUES ('r1', 'model/clf.pkl', 'cc33', 100), ('r3', 'model.pkl', 'dd44', 200);
INSERT INTO tags VALUES ('r1', 'team', 'growth'), ('r3', 'team', 'risk');
INSERT INTO environment VALUES ('r1', 'PYTHON_VERSION', '3.12.1'), ('r2', 'PYTHON_VERSION', '3.11.4');
`

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(schema + rows); err != nil {
		t.Fatal(err)
	}
	return db
}

// runNames runs Query and returns the names of the runs it selects, in
// its order.
func runNames(t testing.TB, db *sql.DB, where, sort string, limit int) ([]string, error) {
	t.Helper()
	q, args, err := Query(where, sort, limit)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{"r1": "logreg-c1", "r2": "logreg-c10", "r3": "rf", "r4": "baseline"}
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id, commit string
		if err := rows.Scan(&id, &commit); err != nil {
			return nil, err
		}
		out = append(out, byID[id])
	}
	return out, rows.Err()
}

func TestSQLite(t *testing.T) {
	db := openDB(t)
	all := []string{"rf", "logreg-c10", "logreg-c1", "baseline"}
	for _, c := range []struct {
		where string
		want  []string // newest first
	}{
		// The three examples of the issue.
		{"metrics.accuracy > 0.9 and params.C >= 1", []string{"logreg-c10"}},
		{"stages.op = 'sklearn.preprocessing.OneHotEncoder'", []string{"logreg-c10"}},
		{"datasets.train.columns contains 'zip_code'", []string{"logreg-c1"}},

		{"", all},
		// metrics: the latest value of a curve, slices and splits
		{"metrics.accuracy > 0.9", []string{"rf", "logreg-c10"}},
		{"metrics.accuracy < 0.6", []string{}},
		{"metrics.accuracy[country=US] >= 0.8", []string{"logreg-c1"}},
		{"metrics.test:accuracy = 0.9", []string{"logreg-c10"}},
		{`metrics."RMSE Score" > 3 and metrics.` + "`RMSE Score`" + ` < 4`, []string{"logreg-c10"}},
		{"not metrics.accuracy > 0.9", []string{"logreg-c1", "baseline"}},
		{"metrics.accuracy = null", []string{"baseline"}},
		{"exists metrics.accuracy[country=US]", []string{"logreg-c1"}},
		// params: numbers, canonical JSON strings, stage-level keys, null
		{"params.C = 1", []string{"logreg-c1"}},
		{"params.C = 1.0", []string{"logreg-c1"}},
		{"params.C != 1", []string{"logreg-c10"}},
		{"not params.C = 1", []string{"rf", "logreg-c10", "baseline"}},
		{"params.penalty = 'l2'", []string{"logreg-c1"}},
		{`params.penalty = "<none>"`, []string{"rf"}},
		{`params.solver = 'it''s "quoted"'`, []string{"rf"}},
		{`params.solver contains '"quoted'`, []string{"rf"}},
		{"params.penalty contains 'l'", []string{"logreg-c10", "logreg-c1"}},
		{"params.penalty > 'l1'", []string{"logreg-c1"}},
		{"params.penalty like 'L%'", []string{"logreg-c10", "logreg-c1"}},
		{"params.penalty ~ 'l[12]'", []string{"logreg-c10", "logreg-c1"}},
		{"params.penalty in ('l1', '<none>')", []string{"rf", "logreg-c10"}},
		{"params.C in (10, 0.5)", []string{"logreg-c10"}},
		{"params.classifier.C = 0.5", []string{"rf"}},
		{"params.clf.max_iter >= 100", []string{"logreg-c1"}},
		{"params.fit_intercept = true", []string{"logreg-c10"}},
		{"params.fit_intercept != true", []string{}},
		{"exists params.note", []string{"rf"}},
		{"params.note = null", all},
		{"params.note != null", []string{}},
		{"params.C < 'a'", []string{}}, // numbers are not text
		// stages: any stage, nested ones too
		{"stages.op ~ '*LogisticRegression'", []string{"logreg-c10", "logreg-c1"}},
		{"not stages.op = 'sklearn.preprocessing.OneHotEncoder'", []string{"rf", "logreg-c1", "baseline"}},
		{"stages.op not in ('sklearn.ensemble.RandomForestClassifier', 'sklearn.preprocessing.OneHotEncoder')", []string{"logreg-c1", "baseline"}},
		{"stages.op != 'sklearn.linear_model.LogisticRegression'", []string{"rf", "logreg-c10", "logreg-c1"}},
		{"stages.name = 'onehot'", []string{"logreg-c10"}},
		{"exists stages.op", []string{"rf", "logreg-c10", "logreg-c1"}},
		// datasets and artifacts
		{"datasets.train.columns not contains 'zip_code'", []string{"rf", "logreg-c10", "baseline"}},
		{"datasets.train.columns like 'ZIP%'", []string{"logreg-c1"}},
		{"datasets.train.rows > 500", []string{"logreg-c1"}},
		{"exists datasets.train.rows", []string{"logreg-c1"}},
		{"exists datasets.train", []string{"logreg-c10", "logreg-c1"}},
		{"datasets.train.sha256 = 'bb22'", []string{"logreg-c10"}},
		{"datasets.train.stored = true", []string{"logreg-c1"}},
		{"datasets.test.rows > 0", []string{}},
		{"artifacts.path ~ '*.pkl' and artifacts.size >= 200", []string{"rf"}},
		// tags, environment
		{"tags.team = 'growth'", []string{"logreg-c1"}},
		{"tags.team in ('growth', 'risk')", []string{"rf", "logreg-c1"}},
		{"env.PYTHON_VERSION ~ '3.12*'", []string{"logreg-c1"}},
		// run columns
		{"name ~ 'logreg-*' and not name = 'logreg-c1'", []string{"logreg-c10"}},
		{"author like '%DANA%'", []string{"logreg-c10", "logreg-c1"}},
		{"author = null", []string{"baseline"}},
		{"not author = 'Lee <lee@example.com>'", []string{"logreg-c10", "logreg-c1", "baseline"}},
		{"message contains 'C=1'", []string{"logreg-c10", "logreg-c1"}},
		{"exit_status != 0", []string{"rf"}},
		{"branch = 'feature'", []string{"rf", "logreg-c10"}},
		{"branch = 'main' and not branch = 'feature'", []string{"logreg-c1", "baseline"}},
		{"source.commit ~ 'abc*'", []string{"logreg-c10", "logreg-c1"}},
		{"source.branch = 'rf'", []string{"rf"}},
		{"source.dirty = true", []string{"logreg-c10"}},
		{"source.dirty = false", []string{"rf", "logreg-c1"}},
		{"exists source.commit", []string{"rf", "logreg-c10", "logreg-c1"}},
		// time: a literal covers the interval it names
		{"time = '2024-05-02'", []string{"logreg-c10"}},
		{"time = '2024-05'", []string{"rf", "logreg-c10", "logreg-c1"}},
		{"time < '2024-05-01'", []string{"baseline"}},
		{"time <= '2024-05-01'", []string{"logreg-c1", "baseline"}},
		{"time > '2024-05-01'", []string{"rf", "logreg-c10"}},
		{"time >= '2024-05-01T10:00'", []string{"rf", "logreg-c10", "logreg-c1"}},
		{"time = '2024-05-03T23:59:59'", []string{"rf"}},
		{"time = '2024-05-04T01:59:59.5+02:00'", []string{"rf"}},
		{"time != '2024-05-03'", []string{"logreg-c10", "logreg-c1", "baseline"}},
		{"time in ('2024-04-30', '2024-05-03')", []string{"rf", "baseline"}},
		// logic
		{"(metrics.accuracy > 0.9 or tags.team = 'growth') and not branch = 'feature'", []string{"logreg-c1"}},
		{"metrics.accuracy > 0.9 or tags.team = 'growth' and branch = 'feature'", []string{"rf", "logreg-c10"}},
	} {
		got, err := runNames(t, db, c.where, "", -1)
		if err != nil {
			t.Errorf("%q: %v", c.where, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.where, got, c.want)
		}
	}
}

func TestSQLiteSort(t *testing.T) {
	db := openDB(t)
	for _, c := range []struct {
		where, sort string
		limit       int
		want        []string
	}{
		{"", "-metrics.accuracy", -1, []string{"rf", "logreg-c10", "logreg-c1", "baseline"}},
		{"", "metrics.accuracy", -1, []string{"logreg-c1", "logreg-c10", "rf", "baseline"}},
		{"", "-metrics.accuracy", 2, []string{"rf", "logreg-c10"}},
		{"", "metrics.accuracy[country=US]", -1, []string{"logreg-c1", "rf", "logreg-c10", "baseline"}},
		// missing values last whichever the direction; ties newest first
		{"", "params.C", -1, []string{"logreg-c1", "logreg-c10", "rf", "baseline"}},
		{"", "-params.C", -1, []string{"logreg-c10", "logreg-c1", "rf", "baseline"}},
		{"", "params.penalty", -1, []string{"rf", "logreg-c10", "logreg-c1", "baseline"}},
		{"", "name", -1, []string{"baseline", "logreg-c1", "logreg-c10", "rf"}},
		{"", "-author, name", -1, []string{"rf", "logreg-c1", "logreg-c10", "baseline"}},
		{"", "author, -name", -1, []string{"logreg-c10", "logreg-c1", "rf", "baseline"}},
		{"", "time", -1, []string{"baseline", "logreg-c1", "logreg-c10", "rf"}},
		{"", "-datasets.train.rows", -1, []string{"logreg-c1", "rf", "logreg-c10", "baseline"}},
		{"", "tags.team", -1, []string{"logreg-c1", "rf", "logreg-c10", "baseline"}},
		{"", "source.dirty, -exit_status", -1, []string{"rf", "logreg-c1", "logreg-c10", "baseline"}},
		{"exists metrics.accuracy", "-metrics.accuracy", 0, []string{}},
		{"branch = 'main'", "metrics.accuracy", 10, []string{"logreg-c1", "logreg-c10", "baseline"}},
	} {
		got, err := runNames(t, db, c.where, c.sort, c.limit)
		if err != nil {
			t.Errorf("%q %q: %v", c.where, c.sort, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("where %q sort %q: %q, want %q", c.where, c.sort, got, c.want)
		}
	}
}

// TestSQLiteRunsEverything executes every expression of the other tests:
// the SQL is valid for SQLite whatever it compiles.
func TestSQLiteRunsEverything(t *testing.T) {
	db := openDB(t)
	for _, c := range fieldCases {
		if _, err := runNames(t, db, c.in, "", -1); err != nil {
			t.Errorf("%q: %v", c.in, err)
		}
	}
	for _, s := range []string{"-metrics.test:auc[a=1,b=2],datasets.train.rows", "params.C,-tags.team", "-env.X, source.commit, exit_status"} {
		if _, err := runNames(t, db, "", s, 3); err != nil {
			t.Errorf("sort %q: %v", s, err)
		}
	}
}
