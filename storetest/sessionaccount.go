package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// The launch's lookup (AuthenticateAccount) accepts and refuses exactly
// the tokens Authenticate does, at once after each change, and records
// the use as Authenticate does.
func testAuthenticateAccount(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "hana@example.com")
	s, tok, err := login(db, "hana@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	// same checks that both lookups give the same answer for tok, and
	// that the account carries the user's id and state.
	same := func(step string, wantState okcare.AccountState) *okcare.User {
		t.Helper()
		_, full, err1 := db.Authenticate(ctx, tok)
		acct, err2 := db.AuthenticateAccount(ctx, tok)
		if okcare.ErrorCode(err1) != okcare.ErrorCode(err2) {
			t.Fatalf("%s: Authenticate %v, AuthenticateAccount %v", step, err1, err2)
		}
		if wantState == "" {
			wantCode(t, err2, okcare.EUNAUTHORIZED)
			return nil
		}
		if err2 != nil {
			t.Fatalf("%s: %v", step, err2)
		}
		if acct.ID != u.ID || acct.State != wantState || acct.State != full.State || acct.StateReason != full.StateReason ||
			(acct.RestrictedUntil == nil) != (full.RestrictedUntil == nil) || (acct.RestrictedUntil != nil && !acct.RestrictedUntil.Equal(*full.RestrictedUntil)) {
			t.Fatalf("%s: account %+v, Authenticate's user %+v", step, acct, full)
		}
		return acct
	}
	same("signed in", okcare.AccountActive)
	for _, bad := range []string{"", tok + "x", strings.Repeat("a", 201), "okw_" + strings.Repeat("0", 40)} {
		_, err := db.AuthenticateAccount(ctx, bad)
		wantCode(t, err, okcare.EUNAUTHORIZED)
	}

	// A use through the launch's lookup counts as a use: after ten days
	// the idle clock starts again from it.
	clock.Advance(10 * 24 * time.Hour)
	if _, err := db.AuthenticateAccount(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if sessions, _ := db.ListSessions(ctx, u.ID); len(sessions) != 1 || !sessions[0].LastSeenAt.Equal(clock.Now()) {
		t.Fatalf("last seen %v after a launch, want %v", sessions[0].LastSeenAt, clock.Now())
	}

	// The account's state is read on every call, never remembered.
	until := clock.Now().Add(time.Hour)
	for _, c := range []struct {
		to     okcare.AccountState
		reason string
		until  *time.Time
	}{
		{okcare.AccountFrozen, "suspicious_activity", nil},
		{okcare.AccountLoginRestricted, "security_review", &until},
		{okcare.AccountActive, "identity_verified", nil},
	} {
		if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: c.to, Reason: c.reason, Actor: "agent:agt_1", Until: c.until}); err != nil {
			t.Fatal(err)
		}
		a := same(string(c.to), c.to)
		if c.to != okcare.AccountActive && a.StateReason != c.reason {
			t.Fatalf("%s: reason %q", c.to, a.StateReason)
		}
		if (c.until != nil) != (a.RestrictedUntil != nil) {
			t.Fatalf("%s: restricted until %v", c.to, a.RestrictedUntil)
		}
	}

	// Revoked: refused by the very next call.
	if err := db.RevokeSession(ctx, u.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	same("revoked", "")

	// Idle past the limit, and past the absolute lifetime: refused.
	_, tok, err = login(db, "hana@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(db.LoginPolicy.SessionIdle + time.Minute)
	same("idle", "")
	_, tok, err = login(db, "hana@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	for used := time.Duration(0); used < db.LoginPolicy.SessionMaxAge-24*time.Hour; used += 24 * time.Hour {
		clock.Advance(24 * time.Hour)
		if _, err := db.AuthenticateAccount(ctx, tok); err != nil {
			t.Fatalf("a session launched daily ended after %v: %v", used, err)
		}
	}
	clock.Advance(48 * time.Hour)
	same("past its lifetime", "")

	// Another password ends the other sessions, a closed account all of them.
	_, tok, err = login(db, "hana@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	keep, keepTok, err := login(db, "hana@example.com", "blue-kettle-42", "tablet", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ChangePassword(ctx, u.ID, keep.ID, "blue-kettle-42", "green-teapot-77", ""); err != nil {
		t.Fatal(err)
	}
	same("after another device changed the password", "")
	tok = keepTok
	same("the device that changed it", okcare.AccountActive)
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountClosed, Reason: "user_request", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	same("closed", "")
}
