// Package sqlite opens okcare's embedded store: a SQLite database in WAL
// mode through modernc.org/sqlite (pure Go, no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/okcare/okcare/sqldb"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded schema migrations.
func Migrations() fs.FS { return sqldb.MigrationFiles(migrationFiles) }

// Dialect is SQLite's flavour of the shared SQL.
var Dialect = sqldb.Dialect{
	Name:              "sqlite",
	IsUniqueViolation: isUniqueViolation,
	NextTicketNumber:  "UPDATE ticket_numbers SET last = last + 1 WHERE name = 'tickets' RETURNING last",
	// Analyze what needs it, bounded so it stays fast on big tables.
	Optimize:      "PRAGMA optimize=0x10002",
	AfterOptimize: dropPlanSamples,
	// Run every second by a background goroutine (see Open).
	Checkpoint: "PRAGMA wal_checkpoint(PASSIVE)",
	// and, once the log is journal_size_limit long, rewinds it, waiting
	// a few milliseconds for the writer and the log's readers (see
	// sqldb's checkpointer).
	RestartCheckpoint: "PRAGMA wal_checkpoint(RESTART)",
	RestartFrames:     journalSizeLimit / 4096, // SQLite's default page size
	CheckpointWait:    "PRAGMA busy_timeout=%d",
	PoolWait:          fmt.Sprintf("PRAGMA busy_timeout=%d", busyTimeoutMS),
	// The dedicated writers (money batches, advisory records) leave
	// checkpoints to the pool's connections and the background goroutine.
	DedicatedConnection: "PRAGMA wal_autocheckpoint=0",
	// Advisory records (stored diagnoses) commit on a connection that does
	// not wait for the disk; WAL keeps them safe from a process crash.
	RelaxConnection: "PRAGMA synchronous=NORMAL",
}

// dropPlanSamples deletes the histogram samples ANALYZE leaves in
// sqlite_stat4 for every table but tickets, and reloads the statistics;
// sqlite_stat1's row counts stay. With samples, SQLite re-prepares a cached
// statement whenever a newly bound value might change its plan: measured,
// 5 % of a transfer's CPU, and no plan on the money or session paths
// needed them. The agent queue does: ticket statuses are skewed (most are
// closed), and without the tickets' samples the queue page's p99 went from
// 28 to 46 ms at 100k tickets.
func dropPlanSamples(ctx context.Context, db *sql.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM sqlite_stat4 WHERE tbl <> 'tickets'`); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `ANALYZE sqlite_schema`)
	return err
}

func isUniqueViolation(err error) bool {
	var e *sqlite3.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// busyTimeoutMS is how long a connection waits for a lock, in
// milliseconds.
const busyTimeoutMS = 10000

// journalSizeLimit is the length, in bytes, a write-ahead log is cut back
// to when it starts again, and past which the background checkpointer
// starts it again.
const journalSizeLimit = 64 << 20

// Open opens (creating if needed) the database file at path, or an in-memory
// database for ":memory:", and applies the migrations.
//
// Write transactions begin IMMEDIATE so that two writers queue on the lock
// (busy_timeout) instead of one failing to upgrade a read lock; WAL lets
// readers run beside the writer; synchronous=FULL makes every commit durable
// before it is acknowledged, with fdatasync(2) as SQLite's own Linux builds
// use; memory-mapped reads keep the hot paths (token lookups on every call)
// off the read(2) system call; temporary data (savepoint journals) stays in
// memory.
//
// Checkpoints: the pool's connections copy the log into the database as
// SQLite does by default, when a commit brings it past 1000 pages. The two
// dedicated writers (the group committer's money batches and the advisory
// records) never do, so that a transfer batch or a diagnosis does not wait
// for thousands of page writes; a background goroutine checkpoints what
// they write, every second (sqldb.EnableBackgroundCheckpoints), and starts
// the log again once it is journal_size_limit long, which SQLite alone
// never does while commits keep coming. journal_size_limit truncates a log
// that a burst made large.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	q.Add("_txlock", "immediate")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	// Reads through a memory map and a 16 MiB page cache per connection
	// instead of a read(2) per page. Not a larger map: SQLite unmaps a
	// reader's whole map when it sees another connection's commit, so under
	// writes every page it touches afterwards faults in again. At a million
	// accounts (1.5 GiB) with a commit every 2 ms, a 2 GiB map made the
	// session lookup 70-87 us of CPU against 40 us with this one (docs/benchmarks.md).
	q.Add("_pragma", "mmap_size(268435456)")
	q.Add("_pragma", "cache_size(-16384)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if path != ":memory:" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", journalSizeLimit))
		// Same durability as fsync(2) (data and size), without the
		// timestamp update fsync also forces through the file system's
		// journal. modernc's transpiled library defaults to fsync.
		if _, err := sqlite3.Fdatasync(true); err != nil && !errors.Is(err, sqlite3.ErrFdatasyncUnavailable) {
			return nil, err
		}
	}
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if path == ":memory:" {
		// Each connection to ":memory:" is its own database: keep one.
		db.SetMaxOpenConns(1)
	} else {
		// Keep every connection open: database/sql's default of two idle
		// connections would close and reopen the rest under load, throwing
		// away their prepared statements.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	store := sqldb.New(db, Dialect)
	if err := store.Migrate(ctx, Migrations()); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate sqlite: %w", err)
	}
	if err := store.Optimize(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("optimize sqlite: %w", err)
	}
	if path != ":memory:" {
		// SQLite has one writer at a time and an fsync per commit: batch
		// money movements into shared commits (see sqldb.EnableGroupCommit).
		// Both this and relaxed writes keep a connection of their own,
		// which the single connection of ":memory:" cannot spare.
		store.EnableGroupCommit(1)
		store.EnableChatCommit(1) // and chat messages likewise
		store.EnableRelaxedWrites()
		store.EnableBackgroundCheckpoints(time.Second)
		q.Add("_pragma", "query_only(1)")
		hot, err := newHotReader("file:"+path+"?"+q.Encode(), hotConns())
		if err != nil {
			store.Close()
			return nil, err
		}
		store.SetHotReader(hot)
	}
	return store, nil
}

// hotConns is the hot reader's connection count: one per core. Its work is
// CPU-bound, and each further connection maps and caches the same pages
// again; on two cores, four connections measured 0.47 of the bootstrap
// baseline and two 0.50-0.51 (median of 15 rounds, twice each).
func hotConns() int {
	return min(max(runtime.GOMAXPROCS(0), 1), 8)
}
