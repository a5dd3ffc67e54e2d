package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/riverjobs"
	"github.com/okcare/okcare/storetest"
)

// wantPermissionDenied fails unless err is PostgreSQL's refusal of a
// privilege (42501), or the owner-only refusal of ALTER and DROP (42501
// as well: "must be owner").
func wantPermissionDenied(t *testing.T, q string, err error) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("%s as the application role: %v, want permission denied (42501)", q, err)
	}
}

// The server's role adds to the ledger and the audit log and reads them,
// and can neither rewrite them (UPDATE, DELETE, TRUNCATE) nor take the
// guards away (ALTER, DROP, disabling triggers), nor change the schema.
// The owner migrated River too, and the application role can queue jobs.
func TestAppRoleCannotRewriteHistory(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	db.PasswordParams = password.TestParams
	storetest.AsOwner(t, db, func(owner *sql.DB) error { return riverjobs.Migrate(ctx, owner, "postgres") })
	var who string
	var super bool
	if err := db.SQL().QueryRow(`SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&who, &super); err != nil || who != storetest.TestAppRole || super {
		t.Fatalf("the store runs as %q (superuser %v, %v), want %s without superuser", who, super, err, storetest.TestAppRole)
	}

	// Normal work writes all three tables.
	if err := db.CreateAsset(ctx, &okcare.Asset{Code: "CNY", Name: "Renminbi", Decimals: 2}); err != nil {
		t.Fatal(err)
	}
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "role@example.com", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Deposit(ctx, u.ID, "CNY", "5", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "review", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	for _, table := range postgres.AppendOnly {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s as the application role: %d rows, %v", table, n, err)
		}
	}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}

	refused := []string{
		`SET session_replication_role = replica`, // would skip every trigger
		`CREATE TABLE intruder (x int)`,
		`ALTER TABLE users ADD COLUMN intruder int`,
		`DROP TABLE tickets`,
		`TRUNCATE tickets`,
		`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_x.sql', 0)`,
		`DELETE FROM schema_migrations`,
		`UPDATE river_migration SET version = version`,
		`DROP FUNCTION refuse_truncate()`,
	}
	column := map[string]string{"audit_log": "details", "journal_entries": "memo", "postings": "amount"}
	for _, table := range postgres.AppendOnly {
		refused = append(refused,
			`UPDATE `+table+` SET `+column[table]+` = 'rewritten'`,
			`DELETE FROM `+table,
			`TRUNCATE `+table,
			`TRUNCATE `+table+` CASCADE`,
			`SELECT * FROM `+table+` FOR UPDATE`,
			`ALTER TABLE `+table+` DISABLE TRIGGER ALL`,
			`DROP TABLE `+table,
		)
	}
	for _, q := range refused {
		_, err := db.SQL().Exec(q)
		wantPermissionDenied(t, q, err)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}

	// River works as the application role: a job is queued and worked.
	runner, err := riverjobs.New(db.SQL(), "postgres", riverjobs.Options{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.QueueDelivery(ctx, tx, "ntf_none"); err != nil {
		t.Fatalf("queue a job as the application role: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// Granting twice is the same as once, and a table a later migration adds
// is covered by the next grant; a superuser or the owner itself is refused
// as the application role, and only the owner may grant.
func TestGrantAppAgain(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	storetest.AsOwner(t, db, func(owner *sql.DB) error {
		_, err := owner.Exec(`CREATE TABLE later_table (id int)`)
		return err
	})
	storetest.AsOwner(t, db, func(*sql.DB) error { return nil })
	if _, err := db.SQL().Exec(`INSERT INTO later_table VALUES (1)`); err != nil {
		t.Fatalf("a table added later: %v", err)
	}
	if _, err := db.SQL().Exec(`UPDATE audit_log SET details = details`); err == nil {
		t.Fatal("granting again gave back UPDATE on the audit log")
	}
	if err := postgres.GrantApp(ctx, storetest.Owner(t, db), "postgres"); err == nil {
		t.Fatal("a superuser was accepted as the application role")
	}
	if err := postgres.GrantApp(ctx, storetest.Owner(t, db), storetest.TestOwnerRole); err == nil {
		t.Fatal("the owner was accepted as the application role")
	}
	if err := postgres.GrantApp(ctx, db.SQL(), storetest.TestAppRole); err == nil {
		t.Fatal("the application role granted itself")
	}
}
