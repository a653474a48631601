package index

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// FileName is the name of the index file inside the .modeldb directory.
const FileName = "index.sqlite"

// Source is what the index reads from a repository. The cli package adapts
// repo.Repo to it; index does not import repo, so that repo may one day
// update the index itself.
type Source interface {
	// Refs returns the references whose history is indexed: branches
	// (refs/heads/…), tags (refs/tags/…) and remote-tracking branches
	// (refs/remotes/…), all direct, and HEAD with ID set to the commit it
	// resolves to (Target naming its branch when it is symbolic; HEAD is
	// left out while its branch has no commits). Run-name references
	// (refs/runs/…) are not included.
	Refs() ([]refs.Ref, error)
	ReadCommit(id objects.ID) (*objects.Commit, error)
	ReadRun(id objects.ID) (*objects.Run, error)
}

// Stats describes an update of the index.
type Stats struct {
	Runs     int           // runs added
	Commits  int           // commits added
	Duration time.Duration // wall time of the update
	Rebuilt  bool          // the index was built from scratch
	Reason   string        // why it was rebuilt ("" when it was not)
}

// Index is an open query index.
type Index struct {
	path    string
	src     Source
	rw      *rawConn // the connection that writes
	roOnce  sync.Once
	ro      *sql.DB // read-only connections, for Query and DB
	roErr   error
	updated Stats
	lock    *fileLock   // held shared while open (lock.go)
	file    os.FileInfo // the index file rw has open
}

// busyTimeout is how long a connection waits for another process's write
// (a commit's update, a rebuild) before it gives up.
const busyTimeout = 30 * time.Second

// rebuildLockWait is how long Rebuild waits for other processes to close
// the index before it rebuilds without replacing the file.
var rebuildLockWait = 3 * time.Second

// Open opens the index at path (normally .modeldb/index.sqlite), creating
// it when missing, and brings it up to date with src before returning:
//
//   - a missing file is built from scratch;
//   - a file that is not a readable index of this schema version (garbage,
//     a damaged database, an older or newer schema) is rebuilt;
//   - after a reboot, the first Open runs SQLite's quick_check, and rebuilds
//     a database that fails it (see doc.go for why that is enough);
//   - otherwise the index catches up incrementally: the commits reachable
//     from the references that it has not seen are indexed, and what is no
//     longer reachable is removed. When the references are exactly those
//     recorded at the last update (meta refs_state) nothing is read at all.
func Open(path string, src Source) (*Index, error) {
	ix, err := open(path, src)
	if err != nil {
		return nil, fmt.Errorf("query index: %w", cleanError(err))
	}
	return ix, nil
}

func open(path string, src Source) (*Index, error) {
	start := time.Now()
	ix := &Index{path: path, src: src}
	var err error
	if ix.lock, err = openLock(path); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			ix.Close()
		}
	}()
	if err := ix.lock.shared(busyTimeout); err != nil {
		return nil, err
	}
	reason, err := ix.openExisting()
	if err != nil {
		return nil, err
	}
	if reason != "" {
		// Replace the file with a new build, alone: take the lock
		// exclusively, and look again, as another process may have built
		// it while this one waited.
		if err := ix.lock.exclusive(busyTimeout); err != nil {
			return nil, err
		}
		if reason, err = ix.openExisting(); err != nil {
			return nil, err
		}
		if reason != "" {
			tracef("build from scratch: %s", reason)
			if err := ix.buildFresh(reason); err != nil {
				return nil, err
			}
		}
		if err := ix.share(); err != nil {
			return nil, err
		}
	}
	if reason == "" {
		if ix.updated, err = ix.catchUp(); err != nil {
			return nil, err
		}
	}
	ix.updated.Duration = time.Since(start)
	ok = true
	return ix, nil
}

// Updated reports what Open did to bring the index up to date.
func (ix *Index) Updated() Stats { return ix.updated }

// Path returns the index file's path.
func (ix *Index) Path() string { return ix.path }

// Close closes the index.
func (ix *Index) Close() error {
	errs := []error{ix.closeDBs()}
	if ix.lock != nil {
		errs = append(errs, ix.lock.close())
		ix.lock = nil
	}
	return errors.Join(errs...)
}

// closeDBs closes the connections.
func (ix *Index) closeDBs() error {
	var errs []error
	if ix.ro != nil {
		errs = append(errs, ix.ro.Close())
		ix.ro, ix.roErr, ix.roOnce = nil, nil, sync.Once{}
	}
	if ix.rw != nil {
		errs = append(errs, ix.rw.close())
		ix.rw, ix.file = nil, nil
	}
	return errors.Join(errs...)
}

// share takes the lock shared again after an exclusive hold or an attempt
// at one. flock(2) gives up the old hold before it takes the new one, so
// another process may have replaced the file in between; then the
// connections, which are on the old file, are reopened on the new one.
func (ix *Index) share() error {
	if err := ix.lock.shared(busyTimeout); err != nil {
		return err
	}
	fi, err := os.Stat(ix.path)
	if err == nil && ix.file != nil && os.SameFile(fi, ix.file) {
		return nil
	}
	tracef("the index file was replaced meanwhile: reopening it")
	if err := ix.closeDBs(); err != nil {
		return err
	}
	reason, err := ix.openExisting()
	if err == nil && reason != "" {
		err = errors.New("the index was replaced by another process with an unusable file: " + reason)
	}
	return err
}

// dsn returns the SQLite URI of path with query parameters.
func dsn(path string, params ...string) string {
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path)}
	return u.String() + "?" + strings.Join(params, "&")
}

var busyParam = "_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")"

// openRW opens the write connection to path, an existing database. It is
// the only kind of connection that writes:
//
//   - WAL, so that readers never block it nor it them;
//   - synchronous=NORMAL, under which a WAL database is never corrupted by
//     a crash (the last updates may be lost, which the next Open redoes);
//   - writes go in BEGIN IMMEDIATE transactions (catchUp), so that two
//     processes updating at once take turns instead of deadlocking.
//
// The last connection to close checkpoints the WAL into the database and
// removes the -wal and -shm files. (Skipping that, with
// SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, makes it worse: every modeldb process
// is the first to open the database, and the first connection reads the
// whole WAL to rebuild its index.)
func openRW(path string) (*rawConn, error) {
	c, err := openRawFlags(path, sqlite3.SQLITE_OPEN_READWRITE)
	if err != nil {
		return nil, err
	}
	err = c.setBusyTimeout(busyTimeout)
	for _, p := range []string{"journal_mode = WAL", "synchronous = NORMAL", "temp_store = MEMORY", "cache_size = -65536"} {
		if err == nil {
			err = c.exec("PRAGMA " + p)
		}
	}
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// openExisting opens the index file if it exists and is usable; otherwise
// it returns why it must be built from scratch.
func (ix *Index) openExisting() (string, error) {
	if _, err := os.Stat(ix.path); errors.Is(err, fs.ErrNotExist) {
		return "missing", nil
	} else if err != nil {
		return "", err
	}
	c, err := openRW(ix.path)
	if err != nil {
		if damaged(err) {
			return "damaged: " + err.Error(), nil
		}
		return "", err
	}
	reason, err := checkUsable(c)
	if err != nil || reason != "" {
		c.close()
		return reason, err
	}
	ix.rw = c
	ix.file, err = os.Stat(ix.path)
	return "", err
}

// checkUsable returns why db cannot be used as it is ("" when it can), or
// an error that is not the database's fault (such as a lock held too long).
func checkUsable(c *rawConn) (string, error) {
	m, err := readMeta(c)
	if err != nil {
		if damaged(err) {
			return "damaged: " + err.Error(), nil
		}
		return "", err
	}
	if m["schema_version"] != strconv.Itoa(SchemaVersion) {
		return fmt.Sprintf("schema version %q, this modeldb uses %d", m["schema_version"], SchemaVersion), nil
	}
	if boot := bootID(); boot != "" && m["boot_id"] != boot {
		// Last written before a reboot: the file may have lost writes in
		// an OS crash. Check its structure once per boot.
		var res string
		if err := c.queryRow(`PRAGMA quick_check(1)`, nil, &res); err != nil {
			if damaged(err) {
				return "damaged: " + err.Error(), nil
			}
			return "", err
		}
		if res != "ok" {
			return "damaged: quick_check: " + res, nil
		}
		if err := c.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('boot_id', ?)`, boot); err != nil {
			return "", err
		}
	}
	return "", nil
}

func readMeta(c *rawConn) (map[string]string, error) {
	rows, err := c.query(`SELECT key, value FROM meta`)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, row := range rows {
		k, _ := row[0].(string)
		v, _ := row[1].(string)
		m[k] = v
	}
	return m, nil
}

// damaged reports whether err says the database file is not a usable index.
func damaged(err error) bool {
	var se interface {
		error
		Code() int
	}
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT:
			return true
		case sqlite3.SQLITE_ERROR:
			// "no such table: meta", "no such column": not our schema.
			return strings.Contains(se.Error(), "no such ")
		}
	}
	return false
}

// bootID identifies the running system boot ("" where unknown).
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// buildFresh builds the index from scratch in a private temporary file and
// links it into place, for a missing or unusable index file or a Rebuild.
// The caller holds the lock exclusively.
func (ix *Index) buildFresh(reason string) error {
	start := time.Now()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(ix.path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	// Temporary files of builds that never finished (a process killed
	// meanwhile): with the lock held exclusively, no build is running.
	if stale, err := filepath.Glob(ix.path + ".tmp-*"); err == nil {
		for _, p := range stale {
			os.Remove(p)
		}
	}
	tmp, st, err := buildTemp(ix.path, ix.src)
	defer removeDB(tmp)
	if err != nil {
		return err
	}
	// Link fails if another process has built the index meanwhile: use theirs.
	if err := os.Link(tmp, ix.path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if ix.rw, err = openRW(ix.path); err != nil {
		return err
	}
	if ix.file, err = os.Stat(ix.path); err != nil {
		return err
	}
	st.Rebuilt, st.Reason, st.Duration = true, reason, time.Since(start)
	ix.updated = st
	return nil
}

// buildTemp builds a complete index of src in a new temporary file beside
// path and returns the file's name (to be removed by the caller, also on
// error). Nothing else sees the file while it is built, so it is written
// as fast as SQLite can: no journal, no fsync, a large cache, the file
// mapped, two threads for sorting. A build lost in an OS crash is caught by
// the quick_check after the reboot (see doc.go); where the boot cannot be
// identified the file is fsynced instead. The Go garbage collector runs
// less often meanwhile (GOGC 400): the build allocates much and keeps
// little.
func buildTemp(path string, src Source) (string, Stats, error) {
	var buf [8]byte
	_, _ = rand.Read(buf[:])
	tmp := path + ".tmp-" + hex.EncodeToString(buf[:])
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	c, err := openRaw(tmp)
	if err != nil {
		return tmp, Stats{}, err
	}
	for _, p := range []string{"journal_mode = OFF", "synchronous = OFF", "temp_store = MEMORY",
		"cache_size = -262144", "threads = 2", "mmap_size = 4294967296"} {
		if err := c.exec("PRAGMA " + p); err != nil {
			c.close()
			return tmp, Stats{}, err
		}
	}
	st, err := rebuildInto(c, src)
	if err == nil {
		// Readers and incremental updates use WAL; the mode is recorded in
		// the file.
		err = c.exec(`PRAGMA journal_mode = WAL`)
	}
	if cerr := c.close(); err == nil {
		err = cerr
	}
	if err == nil && bootID() == "" {
		err = syncFile(tmp)
	}
	return tmp, st, err
}

// removeDB removes a database file and its WAL files.
func removeDB(p string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(p + suffix)
	}
}

func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Rebuild indexes all reachable commits again, from scratch. When no
// other modeldb process has the index open (it can take the lock
// exclusively), it builds a new file and puts it in place of the old one.
// Otherwise — another process is reading or updating the index, and still
// is after busyTimeout — it builds the new index in a temporary file and
// copies it over the current one with SQLite's backup API, in one write
// transaction of the live database, so that the other processes are never
// disturbed: they see the old index, or wait, then see the new one. That
// is slower (every page goes through the WAL). Commits made during the
// rebuild are picked up by the next Open, as refs_state tells.
func (ix *Index) Rebuild() (Stats, error) {
	start := time.Now()
	if err := ix.lock.exclusive(rebuildLockWait); err == nil {
		err := ix.closeDBs()
		if err == nil {
			err = ix.buildFresh("rebuild")
		}
		if lerr := ix.share(); err == nil {
			err = lerr
		}
		if err != nil {
			return Stats{}, fmt.Errorf("query index: %w", cleanError(err))
		}
		return ix.updated, nil
	} else if !errors.Is(err, errInUse) {
		return Stats{}, err
	}
	// The failed attempt may have given up the shared hold.
	if err := ix.share(); err != nil {
		return Stats{}, fmt.Errorf("query index: %w", cleanError(err))
	}
	tracef("rebuild: the index is in use, copying the new build into it")
	tmp, st, err := buildTemp(ix.path, ix.src)
	defer removeDB(tmp)
	if err != nil {
		return st, err
	}
	if err := ix.rw.backupFrom(tmp); err != nil {
		return st, fmt.Errorf("query index: replace the index with the rebuilt one: %w", err)
	}
	// Move the new pages from the WAL into the file and shrink the WAL;
	// if readers are still on the old pages this is left to later.
	_ = ix.rw.exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	st.Rebuilt, st.Reason, st.Duration = true, "rebuild", time.Since(start)
	return st, nil
}

// rebuildInto creates the schema in the empty database of c and indexes
// everything, in one transaction.
func rebuildInto(c *rawConn, src Source) (Stats, error) {
	refList, err := src.Refs()
	if err != nil {
		return Stats{}, err
	}
	t0 := time.Now()
	defer func() { tracef("total %v", time.Since(t0)) }()
	if err := c.exec(`BEGIN`); err != nil {
		return Stats{}, err
	}
	for _, s := range schemaTables {
		if err := c.exec(s); err != nil {
			return Stats{}, fmt.Errorf("create schema: %w", err)
		}
	}
	// The indexes that sort slowly are kept up to date while the rows go
	// in, which costs less (see earlyIndexes).
	for _, s := range schemaIndexes {
		if earlyIndex(s) {
			if err := c.exec(s); err != nil {
				return Stats{}, fmt.Errorf("create schema: %w", err)
			}
		}
	}
	u := newUpdater(c, src, true)
	st, err := u.update(refList)
	if err != nil {
		return st, err
	}
	tracef("update %v", time.Since(t0))
	for _, s := range schemaIndexes {
		if earlyIndex(s) {
			continue
		}
		t := time.Now()
		if err := c.exec(s); err != nil {
			return st, fmt.Errorf("create schema: %w", err)
		}
		tracef("  %v %.40s", time.Since(t), s)
	}
	tracef("indexes %v", time.Since(t0))
	for k, v := range map[string]string{
		"schema_version": strconv.Itoa(SchemaVersion),
		"refs_state":     refsState(refList),
		"boot_id":        bootID(),
		"built":          time.Now().UTC().Format(objects.TimeFormat),
	} {
		if err := c.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return st, err
		}
	}
	// Statistics for the query planner, from a sample of each index.
	for _, q := range []string{`PRAGMA analysis_limit = 1000`, `ANALYZE`, `COMMIT`} {
		if err := c.exec(q); err != nil {
			return st, err
		}
	}
	tracef("analyze %v", time.Since(t0))
	return st, nil
}

// earlyIndexes are the indexes a full build creates before the rows go in
// rather than after. CREATE INDEX sorts; an index whose first column has
// few distinct values (a column name, of which a repository has a few
// dozen) makes SQLite compare the rest of every entry, the 64-digit run id,
// in almost every step of the sort, which takes three times as long as
// adding the entries one by one while the writer waits for the readers
// anyway.
var earlyIndexes = []string{"dataset_columns_name"}

func earlyIndex(stmt string) bool {
	for _, name := range earlyIndexes {
		if strings.HasPrefix(stmt, "CREATE INDEX "+name+" ") {
			return true
		}
	}
	return false
}

// catchUp indexes what the references reach that the index has not seen.
func (ix *Index) catchUp() (Stats, error) {
	refList, err := ix.src.Refs()
	if err != nil {
		return Stats{}, err
	}
	state := refsState(refList)
	var cur string
	const getState = `SELECT value FROM meta WHERE key = 'refs_state'`
	if err := ix.rw.queryRow(getState, nil, &cur); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Stats{}, err
	}
	if cur == state {
		tracef("up to date")
		return Stats{}, nil
	}
	tracef("catching up")
	// BEGIN IMMEDIATE: one updater at a time, the others wait.
	if err := ix.rw.exec(`BEGIN IMMEDIATE`); err != nil {
		return Stats{}, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = ix.rw.exec(`ROLLBACK`)
		}
	}()
	// Another process may have done the work while this one waited.
	if err := ix.rw.queryRow(getState, nil, &cur); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Stats{}, err
	}
	if cur == state {
		return Stats{}, nil
	}
	st, err := newUpdater(ix.rw, ix.src, false).update(refList)
	if err != nil {
		return st, err
	}
	for k, v := range map[string]string{"refs_state": state, "boot_id": bootID()} {
		if err := ix.rw.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return st, err
		}
	}
	if err := ix.rw.exec(`COMMIT`); err != nil {
		return st, err
	}
	committed = true
	return st, nil
}

// refsState is the digest of a reference set, stored in meta: when the
// references are unchanged the index is current and nothing is read.
func refsState(list []refs.Ref) string {
	lines := make([]string, 0, len(list))
	for _, r := range list {
		lines = append(lines, string(r.Name)+" "+r.ID.String()+" "+string(r.Target))
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// refKind classifies a reference name for the refs table.
func refKind(n refs.Name) string {
	s := string(n)
	switch {
	case n == refs.HEAD:
		return "head"
	case strings.HasPrefix(s, refs.HeadsPrefix):
		return "branch"
	case strings.HasPrefix(s, refs.TagsPrefix):
		return "tag"
	case strings.HasPrefix(s, refs.RemotesPrefix):
		return "remote"
	}
	return ""
}

// DB returns the read-only database handle, for queries built by other
// packages (the filter language). Its connections refuse writes.
func (ix *Index) DB() *sql.DB {
	db, _ := ix.readDB()
	return db
}

// readDB opens the read-only connection pool on first use.
func (ix *Index) readDB() (*sql.DB, error) {
	ix.roOnce.Do(func() {
		c := &roConnector{dsn: dsn(ix.path, "mode=ro", busyParam, "_pragma=query_only(1)", "_pragma=mmap_size(4294967296)", "_pragma=cache_size(-32768)")}
		ix.ro = sql.OpenDB(c)
		ix.roErr = ix.ro.Ping()
	})
	return ix.ro, ix.roErr
}

// roDriver opens the read-only connections: every one gets an authorizer
// that allows reading and nothing else, so even a statement that slips
// past Query's checks cannot write, attach or change settings.
var roDriver = func() *sqlite.Driver {
	d := &sqlite.Driver{}
	d.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		a, ok := c.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("sqlite driver has no authorizer")
		}
		return a.RegisterAuthorizer(readOnlyAuthorizer)
	})
	return d
}()

func readOnlyAuthorizer(action sqlite.AuthorizerActionCode, arg1, _, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead, sqlite.AuthFunction, sqlite.AuthRecursive:
		return sqlite.AuthorizerOK
	case sqlite.AuthTransaction:
		// BEGIN, COMMIT and ROLLBACK, for callers of DB that read in a
		// transaction (a read transaction on a read-only connection).
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		// Table-valued pragma functions that only report, such as
		// pragma_table_info('runs'), for looking at the schema.
		if readOnlyPragmas[strings.ToLower(arg1)] {
			return sqlite.AuthorizerOK
		}
	}
	return sqlite.AuthorizerDeny
}

var readOnlyPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "index_list": true,
	"index_info": true, "index_xinfo": true, "foreign_key_list": true, "function_list": true,
	"collation_list": true, "database_list": true,
}

type roConnector struct{ dsn string }

func (c *roConnector) Connect(context.Context) (driver.Conn, error) { return roDriver.Open(c.dsn) }
func (c *roConnector) Driver() driver.Driver                        { return roDriver }

func tracef(format string, args ...any) {
	if os.Getenv("MODELDB_INDEX_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "index: "+format+"\n", args...)
	}
}
