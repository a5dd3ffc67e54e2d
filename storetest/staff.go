package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"

	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/totp"
)

// EnrolStaff sets up a staff member's second factor as the console would
// (a code from the new seed confirms it) and returns their recovery codes,
// for tests that sign staff in afterwards.
func EnrolStaff(t testing.TB, db *sqldb.DB, email string) []string {
	t.Helper()
	team, err := db.Team(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range team {
		if a.Email != email {
			continue
		}
		enr, err := db.BeginAgentTOTP(ctx, a.ID)
		if err != nil {
			t.Fatalf("second factor of %s: %v", email, err)
		}
		code, err := totp.Code(enr.Secret, db.Now(), totp.Digits)
		if err != nil {
			t.Fatal(err)
		}
		codes, err := db.ConfirmAgentTOTP(ctx, a.ID, code)
		if err != nil {
			t.Fatal(err)
		}
		return codes
	}
	t.Fatalf("no staff member %s", email)
	return nil
}

// A staff member's second factor: before it is set up their sessions are
// pending; confirming frees them; afterwards sign-in needs a code, used
// once, or a recovery code, used once; the seed is stored sealed.
func testStaffSecondFactor(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.Secrets = TestSecrets()
	a := &okcare.Agent{Email: "mei@support.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, a, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	got, tok, err := db.AgentLogin(ctx, a.Email, "staff-pass-123", "", "")
	if err != nil || !got.MFAPending {
		t.Fatalf("first sign-in %+v, %v: want a pending session", got, err)
	}
	if who, err := db.AuthenticateAgent(ctx, tok); err != nil || !who.MFAPending {
		t.Fatalf("pending session authenticates as %+v, %v", who, err)
	}
	enr, err := db.BeginAgentTOTP(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.BeginAgentTOTP(ctx, a.ID); again.Secret != enr.Secret {
		t.Fatal("asking again changed the pending seed")
	}
	var stored string
	db.SQL().QueryRow(`SELECT totp_pending_secret FROM agents WHERE email = 'mei@support.example'`).Scan(&stored)
	if stored == "" || strings.Contains(stored, enr.Secret) {
		t.Fatalf("the seed is stored in clear: %q", stored)
	}
	_, err = db.ConfirmAgentTOTP(ctx, a.ID, "000000")
	wantCode(t, err, okcare.ETOTPINVALID)
	code, _ := totp.Code(enr.Secret, clock.Now(), totp.Digits)
	codes, err := db.ConfirmAgentTOTP(ctx, a.ID, code)
	if err != nil || len(codes) != 10 {
		t.Fatalf("confirm: %d codes, %v", len(codes), err)
	}
	if who, _ := db.AuthenticateAgent(ctx, tok); who.MFAPending {
		t.Fatal("confirming left the session pending")
	}
	_, err = db.BeginAgentTOTP(ctx, a.ID)
	wantCode(t, err, okcare.ECONFLICT)
	_, _, err = db.AgentLogin(ctx, a.Email, "staff-pass-123", "", "")
	wantCode(t, err, okcare.ETOTPREQUIRED)
	_, _, err = db.AgentLogin(ctx, a.Email, "staff-pass-123", code, "") // the step confirming used
	wantCode(t, err, okcare.ETOTPINVALID)
	clock.Advance(30 * time.Second)
	next, _ := totp.Code(enr.Secret, clock.Now(), totp.Digits)
	if got, _, err := db.AgentLogin(ctx, a.Email, "staff-pass-123", next, ""); err != nil || got.MFAPending {
		t.Fatalf("sign-in with the next code: %+v, %v", got, err)
	}
	if _, _, err := db.AgentLogin(ctx, a.Email, "staff-pass-123", codes[3], ""); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	_, _, err = db.AgentLogin(ctx, a.Email, "staff-pass-123", codes[3], "")
	wantCode(t, err, okcare.ETOTPINVALID)
	_, _, err = db.AgentLogin(ctx, a.Email, "wrong-pass-1", codes[4], "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
}

// A staff session ends after an hour unused, and at twelve hours however
// busy.
func testStaffSessionLifetimes(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.Secrets = TestSecrets()
	a := &okcare.Agent{Email: "wen@support.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, a, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	_, tok, err := db.AgentLogin(ctx, a.Email, "staff-pass-123", "", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 11; i++ { // used every 59 minutes: eleven hours on
		clock.Advance(59 * time.Minute)
		if _, err := db.AuthenticateAgent(ctx, tok); err != nil {
			t.Fatalf("a session used every 59 minutes ended after %d uses: %v", i+1, err)
		}
	}
	clock.Advance(59 * time.Minute) // 11h49m
	if _, err := db.AuthenticateAgent(ctx, tok); err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Minute) // past twelve hours
	_, err = db.AuthenticateAgent(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)

	_, idle, _ := db.AgentLogin(ctx, a.Email, "staff-pass-123", "", "")
	clock.Advance(61 * time.Minute)
	_, err = db.AuthenticateAgent(ctx, idle)
	wantCode(t, err, okcare.EUNAUTHORIZED)
}
