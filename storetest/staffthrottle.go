package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare/sqldb"
)

// Staff sign-in attempts are reserved per login (however it is capitalised
// or padded) before they are checked: parallel attempts are counted one
// after another, so no more get through than the throttle allows; a
// released reservation and a success are forgotten, and every write keeps
// one window. Logins that are no address are not kept.
func testStaffSignInFailures(t *testing.T, db *sqldb.DB, _ *Clock) {
	base := time.Now().Truncate(time.Second)
	window := base.Add(-15 * time.Minute)
	underFive := func(f []time.Time) bool { return len(f) < 5 }
	// Twenty attempts at once, from as many goroutines: five are let through.
	var wg sync.WaitGroup
	var mu sync.Mutex
	reserved := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			login := []string{"Staff@Example.com", " staff@example.com", "STAFF@example.com "}[i%3]
			id, _, err := db.ReserveStaffSignIn(ctx, login, base.Add(time.Duration(i)*time.Millisecond), window, underFive)
			if err != nil {
				t.Error(err)
			}
			if id != "" {
				mu.Lock()
				reserved++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if reserved != 5 {
		t.Fatalf("%d of 20 parallel attempts were let through, want 5", reserved)
	}
	id, got, err := db.ReserveStaffSignIn(ctx, "staff@example.com", base.Add(time.Second), window, underFive)
	if err != nil || id != "" || len(got) != 5 {
		t.Fatalf("a sixth attempt: reserved %q, %d failures seen (%v)", id, len(got), err)
	}
	// Another login has its own count; a released attempt is not counted.
	other, _, err := db.ReserveStaffSignIn(ctx, "other@example.com", base, window, underFive)
	if err != nil || other == "" {
		t.Fatalf("another login: %q %v", other, err)
	}
	if err := db.ReleaseStaffSignIn(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, got, _ := db.ReserveStaffSignIn(ctx, "other@example.com", base, window, func([]time.Time) bool { return false }); len(got) != 0 {
		t.Fatalf("a released attempt is still counted: %v", got)
	}
	if err := db.ClearStaffSignInFailures(ctx, "STAFF@EXAMPLE.COM"); err != nil {
		t.Fatal(err)
	}
	if _, got, _ := db.ReserveStaffSignIn(ctx, "staff@example.com", base, window, func([]time.Time) bool { return false }); len(got) != 0 {
		t.Fatalf("after a success: %v", got)
	}
	// A write an hour later forgets what is older than its window.
	if _, _, err := db.ReserveStaffSignIn(ctx, "x@example.com", base, window, underFive); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ReserveStaffSignIn(ctx, "new@example.com", base.Add(time.Hour), base.Add(time.Hour-15*time.Minute), underFive); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM staff_signin_failures`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("rows kept after a write past the window: %d (%v), want 1", rows, err)
	}
	if id, _, err := db.ReserveStaffSignIn(ctx, "not an address", base, window, underFive); err != nil || id != "" {
		t.Fatalf("a non-address was kept: %q %v", id, err)
	}
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM staff_signin_failures WHERE login_hash LIKE '%@%'`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("a login is stored in clear: %d rows (%v)", rows, err)
	}
}
