package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Notified returns the outbox message that the query tail (what follows
// "FROM notifications", e.g. "WHERE event = 'x' ORDER BY created_at DESC
// LIMIT 1") finds first, with its body opened as the sender reads it:
// bodies that carry a one-time secret are sealed in the table itself.
func Notified(t testing.TB, db *sqldb.DB, tail string, args ...any) *okcare.Notification {
	t.Helper()
	var id string
	if err := db.SQL().QueryRow(db.Rebind(`SELECT id FROM notifications `+tail), args...).Scan(&id); err != nil {
		t.Fatalf("no notification %s: %v", tail, err)
	}
	n, err := db.Notification(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
