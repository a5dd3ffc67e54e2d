package sqlite_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
)

// A session opened before migration 0140 still signs in after it, and
// both session lookups then read only the covering indexes it adds
// (one B-tree descent per table, no table row).
func TestSessionLookupIndexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "okcare.db")

	// The schema as it was before 0140, with a signed-in user.
	before := fstest.MapFS{}
	all := sqlite.Migrations()
	names, err := fs.Glob(all, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name >= "0140" {
			continue
		}
		body, err := fs.ReadFile(all, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: body}
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	old := sqldb.New(raw, sqlite.Dialect)
	old.PasswordParams = password.TestParams
	if err := old.Migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	u, err := old.Register(ctx, okcare.RegisterRequest{Email: "ines@example.com", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := old.Login(ctx, okcare.LoginRequest{Login: "ines@example.com", Password: "blue-kettle-42",
		Device: okcare.Device{ID: "phone", Platform: "android", OSVersion: "14", AppVersion: "5.2.0"}})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := sqlite.Open(ctx, path) // applies 0140
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, got, err := db.Authenticate(ctx, tok); err != nil || got.ID != u.ID {
		t.Fatalf("Authenticate after the migration: %v, %v", got, err)
	}
	if got, err := db.AuthenticateAccount(ctx, tok); err != nil || got.ID != u.ID || got.State != okcare.AccountActive {
		t.Fatalf("AuthenticateAccount after the migration: %v, %v", got, err)
	}

	for i, q := range sqldb.SessionLookupQueries() {
		rows, err := db.SQL().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, "hash")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		if !strings.Contains(text, "COVERING INDEX sessions_token_lookup") {
			t.Errorf("lookup %d does not read the session from its covering index: %s", i, text)
		}
		if i == 1 && !strings.Contains(text, "COVERING INDEX users_account_state") {
			t.Errorf("the account lookup does not read the user from its covering index: %s", text)
		}
	}
}
