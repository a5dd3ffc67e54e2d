package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	_ "github.com/okcare/okcare/sqlite"
)

// TestFullDatabaseIsStorageFull: SQLite's "database or disk is full" (here
// a database at its page limit, which fails the same way a full disk
// does) is storage_full, not internal.
func TestFullDatabaseIsStorageFull(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the page limit is per connection
	for _, q := range []string{`CREATE TABLE t (b BLOB)`, `PRAGMA max_page_count = 8`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var full error
	for i := 0; i < 100 && full == nil; i++ {
		_, full = db.Exec(`INSERT INTO t VALUES (?)`, make([]byte, 4096))
	}
	if full == nil || !strings.Contains(full.Error(), "full") {
		t.Fatalf("never full: %v", full)
	}
	if code := okcare.ErrorCode(full); code != okcare.ESTORAGEFULL {
		t.Fatalf("%v: code %q, want storage_full", full, code)
	}
}
