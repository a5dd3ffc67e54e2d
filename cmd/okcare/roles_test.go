package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/storetest"
)

// The role split as an operator runs it: okcare migrate as the owner
// grants the application role; serve through the application role's URL
// alone then works (River included) and cannot rewrite the audit log;
// serve --migrate-db does both in one start; and an application role
// facing an unmigrated schema is told to migrate as the owner.
func TestMigrateAsOwnerServeAsApp(t *testing.T) {
	ctx := context.Background()
	t.Setenv("OKCARE_SECRET_KEY", secretbox.NewKey())
	owner, app := storetest.PostgresRoleDSNs(t)

	// An application role cannot migrate; it is told who can.
	_, _, err := openStore(ctx, &Config{DB: app})
	if err == nil || !strings.Contains(err.Error(), "okcare migrate") {
		t.Fatalf("serving an unmigrated schema as the application role: %v", err)
	}

	if err := run(ctx, []string{"migrate", "--db", owner, "--app-role", storetest.TestAppRole}); err != nil {
		t.Fatal(err)
	}
	m, _, _ := startMain(t, "--demo", "--data-dir", dataDir(t), "--db", app)
	closed := false
	t.Cleanup(func() {
		if !closed {
			m.Close()
		}
	})
	resp, err := http.Get("http://" + m.Listener.Addr().String() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("readyz as the application role: %d %s", resp.StatusCode, body)
	}
	var who string
	m.DB.SQL().QueryRow(`SELECT current_user`).Scan(&who)
	if who != storetest.TestAppRole {
		t.Fatalf("serve connected as %q", who)
	}
	if _, err := m.DB.SQL().Exec(`TRUNCATE audit_log`); err == nil || !strings.Contains(err.Error(), "42501") {
		t.Fatalf("TRUNCATE audit_log from the server's connection: %v", err)
	}
	m.Close()
	closed = true

	// serve --migrate-db migrates as the owner, grants the user of --db,
	// and serves as that user.
	owner2, app2 := storetest.PostgresRoleDSNs(t)
	m2, _, _ := startMain(t, "--demo", "--data-dir", dataDir(t), "--db", app2, "--migrate-db", owner2)
	t.Cleanup(func() { m2.Close() })
	m2.DB.SQL().QueryRow(`SELECT current_user`).Scan(&who)
	if who != storetest.TestAppRole {
		t.Fatalf("serve --migrate-db connected as %q", who)
	}
	var users int
	if err := m2.DB.SQL().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users); err != nil || users == 0 {
		t.Fatalf("demo users as the application role: %d, %v", users, err)
	}
	ownerDB, err := sql.Open("pgx", owner2)
	if err != nil {
		t.Fatal(err)
	}
	defer ownerDB.Close()
	var jobsOwner string
	if err := ownerDB.QueryRow(`SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'river_job'`).Scan(&jobsOwner); err != nil || jobsOwner != storetest.TestOwnerRole {
		t.Fatalf("River's tables belong to %q (%v), want the owner", jobsOwner, err)
	}
}
