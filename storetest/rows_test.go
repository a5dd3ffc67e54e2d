package storetest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/storetest"
)

// TestRowCounterSeesUpdates: a snapshot differs when a row changes in
// place, not only when rows are added or removed, on both stores; a
// volatile column (a session's last seen time) does not count.
func TestRowCounterSeesUpdates(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			db := store.Open(t)
			inc := &okcare.Incident{Title: "a", Severity: okcare.SeverityMajor}
			if err := db.CreateIncident(context.Background(), inc); err != nil {
				t.Fatal(err)
			}
			snap := storetest.RowCounter(t, db)
			before := snap()
			if changed := storetest.RowChanges(before, snap()); changed != "" {
				t.Fatalf("nothing happened, yet: %s", changed)
			}
			if _, err := db.SQL().Exec(db.Rebind(`UPDATE incidents SET title = 'b' WHERE id = ?`), inc.ID); err != nil {
				t.Fatal(err)
			}
			if changed := storetest.RowChanges(before, snap()); !strings.Contains(changed, "incidents changed in place") {
				t.Fatalf("an updated title was not seen: %q", changed)
			}
		})
	}
}
