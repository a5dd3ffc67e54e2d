package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare/sqldb"
)

// Failed staff sign-ins are kept per login (however it is capitalised or
// padded), listed from a time, forgotten after a success, and pruned to
// one window on every write.
func testStaffSignInFailures(t *testing.T, db *sqldb.DB, _ *Clock) {
	base := time.Now().Truncate(time.Second)
	for i, login := range []string{"Staff@Example.com", " staff@example.com", "STAFF@example.com "} {
		if err := db.RecordStaffSignInFailure(ctx, login, base.Add(time.Duration(i)*time.Minute), base.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordStaffSignInFailure(ctx, "other@example.com", base, base.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.StaffSignInFailures(ctx, "staff@example.com", base.Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Equal(base.Add(time.Minute)) || !got[1].Equal(base.Add(2*time.Minute)) {
		t.Fatalf("failures since +30s: %v", got)
	}
	if err := db.ClearStaffSignInFailures(ctx, "STAFF@EXAMPLE.COM"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.StaffSignInFailures(ctx, "staff@example.com", base.Add(-time.Hour)); len(got) != 0 {
		t.Fatalf("after a success: %v", got)
	}
	if got, _ := db.StaffSignInFailures(ctx, "other@example.com", base.Add(-time.Hour)); len(got) != 1 {
		t.Fatalf("another login's failures: %v", got)
	}
	// A write an hour later forgets what is older than its window.
	if err := db.RecordStaffSignInFailure(ctx, "new@example.com", base.Add(time.Hour), base.Add(time.Hour-15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.StaffSignInFailures(ctx, "other@example.com", base.Add(-time.Hour)); len(got) != 0 {
		t.Fatalf("failures older than the window are kept: %v", got)
	}
	var rows int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM staff_signin_failures WHERE login_hash LIKE '%@%'`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("a login is stored in clear: %d rows (%v)", rows, err)
	}
}
