package index

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// rawConn is a connection that calls SQLite's C API (modernc's translation
// of it) directly: the connection that writes, in full builds and in
// updates. A build inserts millions of values; through database/sql and
// the driver each value costs conversions, a C-string allocation and two
// mutex round trips. Here the connection is opened without mutexes (one
// goroutine uses it at a time), the strings of a statement are copied into
// one reusable buffer in C memory and bound from there without copies
// (SQLITE_STATIC). Reading for users goes through database/sql (Query,
// DB).
type rawConn struct {
	tls   *libc.TLS
	db    uintptr
	stmts map[string]uintptr
	buf   uintptr // C memory the strings of the statement being run are copied to
	size  int
}

// openRaw opens (or creates) the database file at path.
func openRaw(path string) (*rawConn, error) {
	return openRawFlags(path, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_CREATE)
}

// openRawFlags opens path with SQLITE_OPEN_… flags.
func openRawFlags(path string, flags int32) (*rawConn, error) {
	c := &rawConn{tls: libc.NewTLS(), stmts: map[string]uintptr{}}
	name, err := libc.CString(path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, name)
	pdb := libc.Xmalloc(c.tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if pdb == 0 {
		c.tls.Close()
		return nil, errors.New("out of memory")
	}
	defer libc.Xfree(c.tls, pdb)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pdb, flags|sqlite3.SQLITE_OPEN_NOMUTEX|sqlite3.SQLITE_OPEN_EXRESCODE, 0)
	c.db = *(*uintptr)(cmem(pdb))
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.close()
		return nil, err
	}
	return c, nil
}

// rawError is an error SQLite reported on a rawConn.
type rawError struct {
	code int32 // extended result code
	msg  string
}

func (e *rawError) Error() string { return e.msg }

// Code returns SQLite's (extended) result code.
func (e *rawError) Code() int { return int(e.code) }

// err returns SQLite's message for result code rc.
func (c *rawConn) err(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	if msg == "" || msg == "not an error" {
		msg = libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	}
	return &rawError{rc, msg}
}

// setBusyTimeout makes the connection wait up to d for another's lock.
func (c *rawConn) setBusyTimeout(d time.Duration) error {
	if rc := sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(d/time.Millisecond)); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// changes returns the number of rows the last statement changed.
func (c *rawConn) changes() int { return int(sqlite3.Xsqlite3_changes(c.tls, c.db)) }

// query runs query with args and returns all its rows; values are int64,
// float64, string, []byte or nil.
func (c *rawConn) query(query string, args ...any) ([][]any, error) {
	st, err := c.prepare(query)
	if err != nil {
		return nil, err
	}
	if err := c.bind(st, args); err != nil {
		return nil, err
	}
	defer sqlite3.Xsqlite3_reset(c.tls, st)
	var rows [][]any
	n := sqlite3.Xsqlite3_column_count(c.tls, st)
	for {
		rc := sqlite3.Xsqlite3_step(c.tls, st)
		if rc == sqlite3.SQLITE_DONE {
			return rows, nil
		}
		if rc != sqlite3.SQLITE_ROW {
			return nil, c.err(rc)
		}
		row := make([]any, n)
		for i := int32(0); i < n; i++ {
			switch sqlite3.Xsqlite3_column_type(c.tls, st, i) {
			case sqlite3.SQLITE_INTEGER:
				row[i] = sqlite3.Xsqlite3_column_int64(c.tls, st, i)
			case sqlite3.SQLITE_FLOAT:
				row[i] = sqlite3.Xsqlite3_column_double(c.tls, st, i)
			case sqlite3.SQLITE_TEXT:
				p := sqlite3.Xsqlite3_column_text(c.tls, st, i)
				row[i] = string(unsafe.Slice((*byte)(cmem(p)), sqlite3.Xsqlite3_column_bytes(c.tls, st, i)))
			case sqlite3.SQLITE_BLOB:
				p := sqlite3.Xsqlite3_column_blob(c.tls, st, i)
				row[i] = append([]byte(nil), unsafe.Slice((*byte)(cmem(p)), sqlite3.Xsqlite3_column_bytes(c.tls, st, i))...)
			}
		}
		rows = append(rows, row)
	}
}

// queryRow runs query and stores the first row's values in dest (*string,
// *int64 or *int); without a row it returns sql.ErrNoRows.
func (c *rawConn) queryRow(query string, args []any, dest ...any) error {
	rows, err := c.query(query, args...)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return sql.ErrNoRows
	}
	for i, d := range dest {
		v := rows[0][i]
		switch d := d.(type) {
		case *string:
			s, ok := v.(string)
			if !ok {
				s = fmt.Sprint(v)
			}
			*d = s
		case *int64:
			n, _ := v.(int64)
			*d = n
		case *int:
			n, _ := v.(int64)
			*d = int(n)
		default:
			return fmt.Errorf("index: cannot scan into %T", d)
		}
	}
	return nil
}

// backupFrom replaces the content of c's database with that of the
// database file src, in one write transaction (sqlite3_backup).
func (c *rawConn) backupFrom(src string) error {
	s, err := openRawFlags(src, sqlite3.SQLITE_OPEN_READONLY)
	if err != nil {
		return err
	}
	defer s.close()
	main, err := libc.CString("main")
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, main)
	b := sqlite3.Xsqlite3_backup_init(c.tls, c.db, main, s.db, main)
	if b == 0 {
		return c.err(sqlite3.Xsqlite3_extended_errcode(c.tls, c.db))
	}
	rc := sqlite3.Xsqlite3_backup_step(c.tls, b, -1)
	frc := sqlite3.Xsqlite3_backup_finish(c.tls, b)
	if rc != sqlite3.SQLITE_DONE {
		return c.err(rc)
	}
	if frc != sqlite3.SQLITE_OK {
		return c.err(frc)
	}
	return nil
}

func (c *rawConn) close() error {
	var err error
	for _, st := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, st)
	}
	c.stmts = nil
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.err(rc)
		}
		c.db = 0
	}
	if c.buf != 0 {
		libc.Xfree(c.tls, c.buf)
		c.buf = 0
	}
	c.tls.Close()
	return err
}

// prepare returns the prepared statement for query, preparing it once.
func (c *rawConn) prepare(query string) (uintptr, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	q, err := libc.CString(query)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, q)
	pst := libc.Xmalloc(c.tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if pst == 0 {
		return 0, errors.New("out of memory")
	}
	defer libc.Xfree(c.tls, pst)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, q, -1, pst, 0); rc != sqlite3.SQLITE_OK {
		return 0, c.err(rc)
	}
	st := *(*uintptr)(cmem(pst))
	if st == 0 {
		return 0, errors.New("empty statement")
	}
	c.stmts[query] = st
	return st, nil
}

// exec runs query (one statement) with args, discarding any result rows.
// Args are nil, string, bool, int, int64 or float64.
func (c *rawConn) exec(query string, args ...any) error {
	st, err := c.prepare(query)
	if err != nil {
		return err
	}
	if err := c.bind(st, args); err != nil {
		return err
	}
	for {
		rc := sqlite3.Xsqlite3_step(c.tls, st)
		if rc == sqlite3.SQLITE_ROW {
			continue
		}
		if rc != sqlite3.SQLITE_DONE {
			err := c.err(rc)
			sqlite3.Xsqlite3_reset(c.tls, st)
			return err
		}
		break
	}
	if rc := sqlite3.Xsqlite3_reset(c.tls, st); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// bind binds args to st's parameters 1…len(args). Strings are copied into
// c.buf first, all of them, so that they stay put until the statement has
// run.
func (c *rawConn) bind(st uintptr, args []any) error {
	need := 1
	for _, a := range args {
		if s, ok := a.(string); ok {
			need += len(s)
		}
	}
	if need > c.size {
		if c.buf != 0 {
			libc.Xfree(c.tls, c.buf)
		}
		size := max(need, 1<<16, 2*c.size)
		c.buf = libc.Xmalloc(c.tls, types.Size_t(size))
		if c.buf == 0 {
			c.size = 0
			return errors.New("out of memory")
		}
		c.size = size
	}
	mem := unsafe.Slice((*byte)(cmem(c.buf)), c.size)
	off := 0
	for i, a := range args {
		n := int32(i + 1)
		var rc int32
		switch v := a.(type) {
		case nil:
			rc = sqlite3.Xsqlite3_bind_null(c.tls, st, n)
		case string:
			copy(mem[off:], v)
			rc = sqlite3.Xsqlite3_bind_text(c.tls, st, n, c.buf+uintptr(off), int32(len(v)), 0) // SQLITE_STATIC
			off += len(v)
		case bool:
			var b int64
			if v {
				b = 1
			}
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, b)
		case int:
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, int64(v))
		case int64:
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, v)
		case float64:
			rc = sqlite3.Xsqlite3_bind_double(c.tls, st, n, v)
		default:
			return fmt.Errorf("index: cannot bind %T", a)
		}
		if rc != sqlite3.SQLITE_OK {
			return c.err(rc)
		}
	}
	return nil
}

// cmem turns the address of C memory (allocated by modernc's libc, outside
// the Go heap) into a pointer Go code can read and write through.
func cmem(addr uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }
