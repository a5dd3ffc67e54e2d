package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/riverjobs"
)

// isPostgres reports whether dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// appRole is the role the server runs as, to which migrating grants:
// --app-role, else the user of --db when an owner URL migrates for it.
func (c *Config) appRole() string {
	if c.AppRole != "" || c.MigrateDB == "" {
		return c.AppRole
	}
	if u, err := url.Parse(c.DB); err == nil && u.User != nil {
		return u.User.Username()
	}
	return ""
}

// migrateAsOwner applies okcare's and River's migrations connected as the
// schema's owner (ownerDSN), then grants role what the server needs.
func migrateAsOwner(ctx context.Context, ownerDSN, role string) error {
	if !isPostgres(ownerDSN) {
		return fmt.Errorf("--migrate-db must be a postgres:// URL")
	}
	if role == "" {
		return fmt.Errorf("--migrate-db: name the application role with --app-role (or a user in --db)")
	}
	owner, err := postgres.Open(ctx, ownerDSN)
	if err != nil {
		return fmt.Errorf("as the owner: %w", err)
	}
	defer owner.Close()
	if err := riverjobs.Migrate(ctx, owner.SQL(), "postgres"); err != nil {
		return fmt.Errorf("as the owner: %w", err)
	}
	return postgres.GrantApp(ctx, owner.SQL(), role)
}

// migrationHint explains a permission error while migrating through --db:
// the application role may not change the schema (nor, before its grants,
// even see it: 3F000); its owner must.
func migrationHint(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42501" || pgErr.Code == "3F000") {
		return fmt.Errorf("%w\nthe schema is not current and this role may not change it: run okcare migrate --db OWNER_URL --app-role ROLE, or serve with --migrate-db OWNER_URL", err)
	}
	return err
}
