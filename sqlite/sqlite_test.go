package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/okcare/okcare/sqlite"
	"github.com/okcare/okcare/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.OpenSQLite)
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
