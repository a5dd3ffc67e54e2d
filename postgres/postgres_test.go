package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/storetest"
	"github.com/okcare/okcare/token"
)

// testDSN returns the database the suite runs in, from OKCARE_TEST_POSTGRES.
// The suite is skipped without it on a developer machine, and fails in CI,
// where the test script always provides it.
func testDSN(t *testing.T) string {
	dsn := os.Getenv("OKCARE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("OKCARE_TEST_POSTGRES is not set; the PostgreSQL store suite must run in CI")
		}
		t.Skip("OKCARE_TEST_POSTGRES not set")
	}
	return dsn
}

// openFresh opens the store in a schema of its own, dropped after the test.
func openFresh(t *testing.T) *sqldb.DB {
	dsn := testDSN(t)
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
	db, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, openFresh)
}
