package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
	"github.com/okcare/okcare/token"
)

// OpenSQLite opens a fresh file database in WAL mode, as okcare serve uses it.
func OpenSQLite(t *testing.T) *sqldb.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "okcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Secrets = TestSecrets()
	return db
}

// TestSecrets returns a box with a fresh random key.
func TestSecrets() *secretbox.Box {
	key, _ := secretbox.ParseKey(secretbox.NewKey())
	box, _ := secretbox.New(key)
	return box
}

// PostgresDSN returns the server the PostgreSQL tests use, from
// OKCARE_TEST_POSTGRES. Without it the test is skipped on a developer
// machine and fails in CI, where the test script always sets it.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("OKCARE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("OKCARE_TEST_POSTGRES is not set; the PostgreSQL store suite must run in CI")
		}
		t.Skip("OKCARE_TEST_POSTGRES not set")
	}
	return dsn
}

// PostgresSchemaDSN makes a schema of the test's own, dropped after it,
// and returns a DSN whose search_path is that schema, connected as the
// server given by OKCARE_TEST_POSTGRES (a superuser).
func PostgresSchemaDSN(t testing.TB) string {
	t.Helper()
	return postgresSchema(t, "")
}

// The roles the PostgreSQL tests run as, set up by scripts/test: the
// schema's owner, which migrates, and the application role okcare serve
// connects as, with only what postgres.GrantApp gives it.
const (
	TestOwnerRole = "okcare_test_owner"
	TestAppRole   = "okcare_test_app"
)

// PostgresRoleDSNs makes a schema of the test's own owned by TestOwnerRole,
// dropped after it, and returns DSNs for it as the owner and as
// TestAppRole (no grants yet: migrate as owner, then postgres.GrantApp).
// The roles must exist (scripts/test creates them; the server trusts
// local connections, so the DSNs carry no password).
func PostgresRoleDSNs(t testing.TB) (owner, app string) {
	t.Helper()
	dsn := postgresSchema(t, TestOwnerRole)
	return withUser(t, dsn, TestOwnerRole), withUser(t, dsn, TestAppRole)
}

// postgresSchema creates the test's schema, owned by owner if given.
func postgresSchema(t testing.TB, owner string) string {
	t.Helper()
	dsn := PostgresDSN(t)
	schema := "okcare_test_" + strings.ToLower(strings.TrimPrefix(token.ID("s"), "s"))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	create := `CREATE SCHEMA ` + schema
	if owner != "" {
		var roles int
		if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_roles WHERE rolname IN ($1, $2) AND NOT rolsuper`, TestOwnerRole, TestAppRole).Scan(&roles); err != nil {
			t.Fatal(err)
		}
		if roles != 2 {
			t.Fatalf("the PostgreSQL test roles are missing (scripts/test creates them): CREATE ROLE %s LOGIN; CREATE ROLE %s LOGIN", TestOwnerRole, TestAppRole)
		}
		create += ` AUTHORIZATION ` + owner
	}
	if _, err := admin.Exec(create); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, _ := sql.Open("pgx", dsn)
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// withUser is dsn connecting as role instead.
func withUser(t testing.TB, dsn, role string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// OpenPostgres opens the store as okcare serve runs in production: in a
// schema of its own (dropped after the test) that TestOwnerRole migrated
// and granted, connected as TestAppRole, which can add to the ledger and
// the audit log but never rewrite them.
func OpenPostgres(t *testing.T) *sqldb.DB {
	t.Helper()
	ownerDSN, appDSN := PostgresRoleDSNs(t)
	owner, err := postgres.Open(context.Background(), ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	err = postgres.GrantApp(context.Background(), owner.SQL(), TestAppRole)
	owner.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), appDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Secrets = TestSecrets()
	owners.Store(db, ownerDSN)
	t.Cleanup(func() { owners.Delete(db) })
	return db
}

// owners maps each PostgreSQL store OpenPostgres opened to its owner's DSN.
var owners sync.Map

// Owner returns a connection to db's database with the rights of whoever
// owns the schema: the role migrations run as, or an attacker who has its
// password. On SQLite there is one role: db's own connection.
func Owner(t *testing.T, db *sqldb.DB) *sql.DB {
	t.Helper()
	dsn, ok := owners.Load(db)
	if !ok {
		return db.SQL()
	}
	owner, err := sql.Open("pgx", dsn.(string))
	if err != nil {
		t.Fatal(err)
	}
	owner.SetMaxOpenConns(2)
	t.Cleanup(func() { owner.Close() })
	return owner
}

// AsOwner runs a schema change (River's migrations, say) as db's owner,
// then grants the application role what the change added, as okcare
// migrate does.
func AsOwner(t *testing.T, db *sqldb.DB, change func(owner *sql.DB) error) {
	t.Helper()
	owner := Owner(t, db)
	if err := change(owner); err != nil {
		t.Fatal(err)
	}
	if _, ok := owners.Load(db); ok {
		if err := postgres.GrantApp(context.Background(), owner, TestAppRole); err != nil {
			t.Fatal(err)
		}
	}
}

// Stores lists both stores by name, for tests that must run on each.
var Stores = []struct {
	Name string
	Open Opener
}{{"sqlite", OpenSQLite}, {"postgres", OpenPostgres}}
