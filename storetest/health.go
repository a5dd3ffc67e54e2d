package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare/sqldb"
)

// testHeartbeat: a node's heartbeat is one row, rewritten each time, and
// the rows of nodes gone for more than a day are removed in passing.
func testHeartbeat(t *testing.T, db *sqldb.DB, clock *Clock) {
	for _, node := range []string{"node_a", "node_b", "node_a"} {
		if err := db.Heartbeat(ctx, node); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (n int) {
		db.SQL().QueryRow(`SELECT COUNT(*) FROM node_heartbeats`).Scan(&n)
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("%d heartbeat rows for two nodes", n)
	}
	clock.Advance(25 * time.Hour)
	if err := db.Heartbeat(ctx, "node_b"); err != nil {
		t.Fatal(err)
	}
	var seen int64
	db.SQL().QueryRow(`SELECT seen_at FROM node_heartbeats WHERE node = 'node_b'`).Scan(&seen)
	if n := count(); n != 1 || seen != clock.Now().UnixMicro() {
		t.Fatalf("after a day: %d rows, node_b seen at %d", n, seen)
	}
}
