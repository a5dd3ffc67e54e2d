package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// AppendOnly are the tables whose history nobody rewrites: the application
// role may read them and add rows, nothing else. (Row triggers refuse
// UPDATE and DELETE and a statement trigger TRUNCATE even to the owner;
// the grants keep the application from dropping those triggers, which only
// the owner can.)
var AppendOnly = []string{"audit_log", "journal_entries", "postings"}

// migrationRecords are the tables that say which migrations ran (okcare's
// and River's): the application reads them to see that the schema is
// current, and only migrations write them.
var migrationRecords = []string{"schema_migrations", "river_migration"}

// GrantApp gives role, in the current schema of db (whose connection must
// be the schema's owner), what okcare serve needs and nothing more:
// SELECT, INSERT, UPDATE and DELETE on every table (River's included), but
// only SELECT and INSERT on the append-only tables and SELECT on the
// migration records; the sequences; no TRUNCATE, no REFERENCES or TRIGGER,
// no CREATE in the schema. Earlier grants to role are revoked in the same
// transaction, so running it again after a migration (okcare migrate
// does) covers new tables and leaves no stale privilege, and the
// application never sees a moment without its grants.
func GrantApp(ctx context.Context, db *sql.DB, role string) error {
	if role == "" {
		return fmt.Errorf("grant: no application role named")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var schema string
	var owned bool
	if err := tx.QueryRowContext(ctx, `SELECT current_schema(), COALESCE(bool_and(pg_has_role(c.relowner, 'USAGE')), false)
		FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind IN ('r', 'p', 'S')`).Scan(&schema, &owned); err != nil {
		return fmt.Errorf("grant: find the schema: %w", err)
	}
	if !owned {
		return fmt.Errorf("grant: connect as the owner of the tables in schema %s (the role migrations run as)", schema)
	}
	var super, member bool
	err = tx.QueryRowContext(ctx, `SELECT rolsuper, pg_has_role(oid, current_user, 'USAGE') FROM pg_roles WHERE rolname = $1`, role).Scan(&super, &member)
	if err != nil {
		return fmt.Errorf("grant: role %s: %w (create it: CREATE ROLE %s LOGIN PASSWORD '...')", role, err, role)
	}
	if super || member {
		return fmt.Errorf("grant: role %s is a superuser or has the owner's rights; the application role must have neither", role)
	}
	s, r := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{role}.Sanitize()
	stmts := []string{
		`REVOKE ALL ON ALL TABLES IN SCHEMA ` + s + ` FROM ` + r,
		`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ` + s + ` FROM ` + r,
		`GRANT USAGE ON SCHEMA ` + s + ` TO ` + r,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + s + ` TO ` + r,
		`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ` + s + ` TO ` + r,
	}
	for _, table := range AppendOnly {
		stmts = append(stmts, `REVOKE UPDATE, DELETE ON `+s+`.`+pgx.Identifier{table}.Sanitize()+` FROM `+r)
	}
	for _, table := range migrationRecords {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, s+"."+pgx.Identifier{table}.Sanitize()).Scan(&exists); err != nil {
			return err
		}
		if exists {
			stmts = append(stmts, `REVOKE INSERT, UPDATE, DELETE ON `+s+`.`+pgx.Identifier{table}.Sanitize()+` FROM `+r)
		}
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("grant: %s: %w", strings.SplitN(q, " ON ", 2)[0], err)
		}
	}
	return tx.Commit()
}
