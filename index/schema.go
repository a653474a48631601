package index

// SchemaVersion is the version of the schema below, kept in meta under
// schema_version. An index with another version is rebuilt on Open. Bump it
// whenever a table, column, view, index or the meaning of a value changes.
const SchemaVersion = 1

// schemaTables creates the tables, without keys: the keys (schemaKeys)
// and the secondary indexes and views (schemaIndexes) are created after a
// full build has loaded the tables, which is several times faster than
// maintaining them row by row. A key is a unique index, which for reading
// is what the PRIMARY KEY or UNIQUE constraint of docs/query.md would be.
//
// docs/query.md documents every table and column; it is a contract with
// users and with the filter package, so columns may be added but never
// renamed or removed without a new SchemaVersion and a note there.
var schemaTables = []string{
	`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	`CREATE TABLE runs (
		id TEXT NOT NULL,
		commit_id TEXT NOT NULL,
		name TEXT NOT NULL,
		author TEXT,
		time TEXT,
		message TEXT,
		started TEXT,
		finished TEXT,
		exit_status INTEGER,
		source_commit TEXT,
		source_branch TEXT,
		source_dirty INTEGER,
		source_remote TEXT,
		command TEXT,
		run_author TEXT
	)`,
	`CREATE TABLE commits (
		id TEXT NOT NULL,
		run TEXT NOT NULL,
		parent TEXT,
		time TEXT NOT NULL,
		name TEXT NOT NULL,
		author TEXT NOT NULL,
		message TEXT NOT NULL
	)`,
	`CREATE TABLE commit_parents (
		commit_id TEXT NOT NULL,
		position INTEGER NOT NULL,
		parent TEXT NOT NULL
	)`,
	`CREATE TABLE refs (
		name TEXT NOT NULL,
		kind TEXT NOT NULL,
		short TEXT NOT NULL,
		commit_id TEXT NOT NULL,
		target TEXT
	)`,
	`CREATE TABLE branch_runs (branch TEXT NOT NULL, run TEXT NOT NULL)`,
	`CREATE TABLE stages (
		run TEXT NOT NULL,
		path TEXT NOT NULL,
		parent_path TEXT,
		position INTEGER NOT NULL,
		name TEXT NOT NULL,
		op TEXT NOT NULL,
		artifact TEXT,
		depth INTEGER NOT NULL,
		name_path TEXT NOT NULL
	)`,
	`CREATE TABLE stage_io (
		run TEXT NOT NULL,
		stage_path TEXT NOT NULL,
		direction TEXT NOT NULL,
		name TEXT NOT NULL,
		position INTEGER NOT NULL
	)`,
	`CREATE TABLE params (
		run TEXT NOT NULL,
		stage_path TEXT NOT NULL,
		stage_name TEXT NOT NULL,
		key TEXT NOT NULL,
		value TEXT NOT NULL,
		num REAL
	)`,
	`CREATE TABLE metrics (
		run TEXT NOT NULL,
		name TEXT NOT NULL,
		value REAL NOT NULL,
		slice TEXT NOT NULL DEFAULT '',
		split TEXT NOT NULL DEFAULT '',
		step INTEGER,
		seq INTEGER NOT NULL,
		latest INTEGER NOT NULL
	)`,
	`CREATE TABLE datasets (
		run TEXT NOT NULL,
		role TEXT NOT NULL,
		path TEXT,
		sha256 TEXT,
		size INTEGER,
		rows INTEGER,
		stored INTEGER NOT NULL,
		data TEXT,
		position INTEGER NOT NULL
	)`,
	`CREATE TABLE dataset_columns (
		run TEXT NOT NULL,
		role TEXT NOT NULL,
		name TEXT NOT NULL,
		type TEXT,
		position INTEGER NOT NULL,
		dataset INTEGER NOT NULL
	)`,
	`CREATE TABLE artifacts (
		run TEXT NOT NULL,
		path TEXT NOT NULL,
		sha256 TEXT NOT NULL,
		size INTEGER NOT NULL,
		file TEXT NOT NULL,
		position INTEGER NOT NULL
	)`,
	`CREATE TABLE tags (run TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL)`,
	`CREATE TABLE environment (run TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL)`,
}

// schemaKeys are the unique indexes: the primary keys and UNIQUE columns
// of docs/query.md. A full build creates them once the runs and commits
// are loaded (it skips duplicates itself meanwhile); incremental updates
// rely on them (INSERT OR IGNORE).
var schemaKeys = []string{
	`CREATE UNIQUE INDEX runs_id ON runs (id)`,
	`CREATE UNIQUE INDEX runs_commit_id ON runs (commit_id)`,
	`CREATE UNIQUE INDEX runs_name ON runs (name)`,
	`CREATE UNIQUE INDEX commits_id ON commits (id)`,
	`CREATE UNIQUE INDEX commit_parents_key ON commit_parents (commit_id, position)`,
	`CREATE UNIQUE INDEX refs_name ON refs (name)`,
	`CREATE UNIQUE INDEX branch_runs_key ON branch_runs (branch, run)`,
	`CREATE UNIQUE INDEX stages_key ON stages (run, path)`,
}

// schemaIndexes creates the secondary indexes and the views.
var schemaIndexes = []string{
	`CREATE INDEX metrics_name ON metrics (name, slice, split)`,
	// metrics_value answers "the best accuracy on country=US" by reading
	// the index backwards from the top value, and "accuracy > 0.9" as a
	// range.
	`CREATE INDEX metrics_value ON metrics (name, slice, value)`,
	`CREATE INDEX metrics_run ON metrics (run)`,
	`CREATE INDEX params_key ON params (key)`,
	`CREATE INDEX params_run ON params (run)`,
	`CREATE INDEX stages_op ON stages (op)`,
	// With the run, "the runs that used column X" is answered from the
	// index alone.
	`CREATE INDEX dataset_columns_name ON dataset_columns (name, run)`,
	`CREATE INDEX datasets_run ON datasets (run)`,
	`CREATE INDEX datasets_sha256 ON datasets (sha256)`,
	`CREATE INDEX tags_key ON tags (key, value)`,
	`CREATE INDEX tags_run ON tags (run)`,
	`CREATE INDEX branch_runs_run ON branch_runs (run)`,
	`CREATE INDEX commits_time ON commits (time)`,
	`CREATE INDEX runs_time ON runs (time)`,
	// Joins to runs for the name read the index alone.
	`CREATE INDEX runs_id_name ON runs (id, name)`,

	// params_flat names stage params STAGE.KEY (STAGE being the dotted name
	// path of nested stages) and run-level params KEY.
	`CREATE VIEW params_flat AS
		SELECT run, CASE WHEN stage_name = '' THEN key ELSE stage_name || '.' || key END AS key, value, num
		FROM params`,
	// latest_metrics: one row per run, name, slice and split — the value
	// without a step if there is one, else the one with the highest step
	// (the latest flag is computed when the run is indexed).
	`CREATE VIEW latest_metrics AS
		SELECT run, name, value, slice, split, step FROM metrics WHERE latest = 1`,
	// run_metrics: latest_metrics with the run's name and commit time.
	`CREATE VIEW run_metrics AS
		SELECT r.name AS run_name, m.name AS metric, m.value, m.slice, m.split, m.step, r.time, m.run
		FROM metrics m JOIN runs r ON r.id = m.run WHERE m.latest = 1`,
	// run_params: params_flat with the run's name.
	`CREATE VIEW run_params AS
		SELECT r.name AS run_name, p.key, p.value, p.num, r.time, p.run
		FROM params_flat p JOIN runs r ON r.id = p.run`,
	// run_columns: every column of every dataset, with the run's name.
	`CREATE VIEW run_columns AS
		SELECT r.name AS run_name, c.role, c.name AS column_name, c.type, r.time, c.run
		FROM dataset_columns c JOIN runs r ON r.id = c.run`,
	// current_runs: the runs reachable from HEAD's branch.
	`CREATE VIEW current_runs AS
		SELECT r.* FROM runs r JOIN branch_runs b ON b.run = r.id
		WHERE b.branch = (SELECT short FROM refs WHERE kind = 'branch' AND name = (SELECT target FROM refs WHERE name = 'HEAD'))`,
}
