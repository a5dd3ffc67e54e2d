package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/sqlite"
)

var ctx = context.Background()

// The pool's connections checkpoint as SQLite does by default; what the
// dedicated writers write is copied by the store's Checkpoint, which a
// background goroutine runs every second.
func TestCheckpoints(t *testing.T) {
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	if err := db.SQL().QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 1000 {
		t.Fatalf("pool wal_autocheckpoint = %d, %v; want 1000", auto, err)
	}
	for i := 0; i < 20; i++ {
		d := &okcare.Diagnosis{Lang: "en", TopCause: "unknown", Request: []byte(`{}`), Result: []byte(`{}`)}
		if err := db.SaveDiagnosis(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// A PASSIVE checkpoint stops at the oldest snapshot still being read
	// (a statement being prepared in the background, say); once such
	// readers are done, it copies the whole log.
	for attempt := 0; ; attempt++ {
		frames, copied, err := db.Checkpoint(ctx)
		if err != nil || frames == 0 {
			t.Fatalf("checkpoint: %d frames, %d copied, %v", frames, copied, err)
		}
		if copied == frames {
			break
		}
		if attempt == 100 {
			t.Fatalf("checkpoint still copies %d of %d frames", copied, frames)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Stored diagnoses commit on a connection of their own with
// synchronous=NORMAL; every pooled connection stays FULL, and the
// diagnosis is there after a restart.
func TestRelaxedWritesStayOnTheirConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "okcare.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d := &okcare.Diagnosis{Lang: "en", TopCause: "network_offline", Request: []byte(`{}`), Result: []byte(`{}`)}
	for i := 0; i < 5; i++ {
		if err := db.SaveDiagnosis(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// Take every connection the pool will give, and check each.
	var conns []interface{ Close() error }
	for i := 0; i < 5; i++ {
		c, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var sync int
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
			t.Fatalf("pooled connection %d: synchronous = %d, %v; want 2 (FULL)", i, sync, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	db.Close()
	if db, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.FindDiagnosis(ctx, d.ID); err != nil || got.TopCause != "network_offline" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
}

// Optimize keeps row counts for the planner but no histogram samples
// outside the tickets table, which would make SQLite re-prepare cached
// statements on new values.
func TestOptimizeKeepsNoSamples(t *testing.T) {
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateAsset(ctx, &okcare.Asset{Code: "CNY", Name: "Renminbi", Decimals: 2}); err != nil {
		t.Fatal(err)
	}
	emails := make([]string, 300)
	for i := range emails {
		emails[i] = fmt.Sprintf("u%d@example.com", i)
	}
	hash, _ := password.Hash("a long password", password.TestParams)
	if _, err := db.ImportUsers(ctx, emails, hash, "100", nil); err != nil { // runs Optimize
		t.Fatal(err)
	}
	var stat1, stat4 int
	db.SQL().QueryRow(`SELECT count(*) FROM sqlite_stat1`).Scan(&stat1)
	if err := db.SQL().QueryRow(`SELECT count(*) FROM sqlite_stat4 WHERE tbl <> 'tickets'`).Scan(&stat4); err != nil || stat1 == 0 || stat4 != 0 {
		t.Fatalf("sqlite_stat1 %d rows, sqlite_stat4 %d rows (%v); want some and none", stat1, stat4, err)
	}
}
