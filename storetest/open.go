package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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
// and returns a DSN whose search_path is that schema.
func PostgresSchemaDSN(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	schema := "okcare_test_" + strings.ToLower(strings.TrimPrefix(token.ID("s"), "s"))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
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

// OpenPostgres opens the store in a schema of its own, dropped after the test.
func OpenPostgres(t *testing.T) *sqldb.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), PostgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Secrets = TestSecrets()
	return db
}

// Stores lists both stores by name, for tests that must run on each.
var Stores = []struct {
	Name string
	Open Opener
}{{"sqlite", OpenSQLite}, {"postgres", OpenPostgres}}
