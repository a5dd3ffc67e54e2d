package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
	"github.com/okcare/okcare/storetest"
)

// TestStore runs the shared store suite on a file database in WAL mode, as
// okcare serve uses it.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqldb.DB {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "okcare.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "okcare.db")
	for i := 0; i < 2; i++ {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		db.Close()
	}
}
