// Package postgres opens okcare's scale-out store on PostgreSQL through pgx.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/okcare/okcare/sqldb"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded schema migrations.
func Migrations() fs.FS { return sqldb.MigrationFiles(migrationFiles) }

// Dialect is PostgreSQL's flavour of the shared SQL.
var Dialect = sqldb.Dialect{
	Name:              "postgres",
	Numbered:          true,
	ForUpdate:         " FOR UPDATE",
	IsUniqueViolation: isUniqueViolation,
	IsRetryable:       isRetryable,
	ArrayParams:       true,
	NextTicketNumber:  "SELECT nextval('ticket_number_seq')",
	// Any constant key works; it only has to be the same on every node.
	LockMigrations: "SELECT pg_advisory_xact_lock(7065637261)",
	// Advisory records (stored diagnoses) do not wait for the WAL flush;
	// PostgreSQL writes them out within a fraction of a second.
	RelaxCommit: "SET LOCAL synchronous_commit TO OFF",
}

func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// isRetryable reports a deadlock victim (40P01) or a serialization
// failure (40001): PostgreSQL rolled the transaction back, and it may run
// again as it is.
func isRetryable(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40P01" || e.Code == "40001")
}

// GroupWriters is how many batching writers run money movements (see
// sqldb.EnableGroupCommit), each on a connection of its own.
const GroupWriters = 2

// ChatWriters is how many batching writers store chat messages (see
// sqldb.EnableChatCommit), each on a connection of its own.
const ChatWriters = 2

// Open connects to the database at dsn (a postgres:// URL) and applies the
// migrations.
func Open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	// The group committers' writers keep a connection each, beside the
	// pool's 20 for everything else.
	db.SetMaxOpenConns(20 + GroupWriters + ChatWriters)
	db.SetMaxIdleConns(20 + GroupWriters + ChatWriters)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	store := sqldb.New(db, Dialect)
	if err := store.Migrate(ctx, Migrations()); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	store.EnableGroupCommit(GroupWriters)
	store.EnableChatCommit(ChatWriters)
	return store, nil
}
