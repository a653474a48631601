// Package index keeps a SQLite index of a repository's history — runs,
// commits, references, pipeline stages, params, metrics, datasets and
// artifacts — so that questions across every run ("which models used the
// column zip_code?", "which one did best on American customers?") are one
// SQL query instead of a walk through every object. modeldb query runs such
// queries; the filter package compiles log --where expressions into them.
//
// The schema is documented, and stable, in docs/query.md; schema.go holds
// it. This is the only package that imports the SQLite driver
// (modernc.org/sqlite, pure Go, no cgo).
//
// # A derived cache
//
// The index (.modeldb/index.sqlite) holds nothing that the objects and
// references do not: deleting it loses nothing, and the next Open rebuilds
// it with identical answers. It is never trusted blindly. Open checks the
// schema version and that the file is a readable index (else it rebuilds
// it), then compares a digest of the references (meta refs_state) with the
// one recorded, in the same transaction as the rows, at the last update.
// When they differ it indexes the commits the references now reach that it
// has not seen — walking from each tip down to the first indexed commit —
// and removes what is no longer reachable. So commits made by a process
// that did not update the index (an older modeldb, a crash between the
// commit and the index update, a library user) are picked up by the next
// Open, whoever makes it; when nothing changed, nothing is read.
//
// # Durability
//
// Updates use WAL with synchronous=NORMAL: an update is not fsynced when it
// commits, but a WAL database is never corrupted by a crash under NORMAL —
// at worst the last updates are lost, and as refs_state rolls back with
// them, the next Open redoes them. The repository's objects and references
// are what is durable; the index is not worth an fsync per commit.
//
// A full build writes a private temporary file with no journal and no
// fsync at all (synchronous=OFF) and links it into place: nothing else sees
// the file until it is complete, so a crash of the process costs nothing.
// A crash of the machine could leave the linked file incomplete; that is
// acceptable only because it is detected and rebuilt: each write records
// the boot it happened in (/proc/sys/kernel/random/boot_id), and the first
// Open after a reboot runs PRAGMA quick_check and rebuilds a file that
// fails it. Where the boot cannot be identified, a build is fsynced before
// it is linked.
//
// # Writing fast
//
// The connection that writes calls SQLite's C API directly (raw.go)
// rather than through database/sql, and a full build inserts rows in
// batches of 64 per statement, creates the secondary indexes after the
// rows (all but one: see earlyIndexes), reads and decodes runs on several
// goroutines ahead of the one writer, and runs the garbage collector less
// often. docs/benchmarks.md ("Query index") has the figures.
//
// # Concurrency
//
// Readers never block the writer nor it them (WAL). Updates take turns
// (BEGIN IMMEDIATE, busy timeout). A lock file beside the index (lock.go)
// is held shared by every open Index and exclusively by a process that
// replaces the file, so that no process is ever left on a replaced file —
// SQLite names the WAL files after the database's path, and a process on
// the old file would write into, or delete, the new one's.
//
// # Reading
//
// Query runs one statement on separate read-only connections (mode=ro,
// query_only, and an authorizer that allows reading only), after refusing
// up front statements that write, administer, attach or change settings,
// and more than one statement. DB hands the same read-only connections to
// other packages.
package index
