package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/totp"
)

func testTOTP(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "gina@example.com")
	enr, err := db.BeginTOTP(ctx, u.ID, "blue-kettle-42")
	if err != nil || enr.Secret == "" {
		t.Fatalf("BeginTOTP = %v, %v", enr, err)
	}
	_, err = db.ConfirmTOTP(ctx, u.ID, "000000")
	wantCode(t, err, okcare.ETOTPINVALID)
	code := func() string {
		c, _ := totp.Code(enr.Secret, clock.Now(), 6)
		return c
	}
	recovery, err := db.ConfirmTOTP(ctx, u.ID, code())
	if err != nil || len(recovery) != 10 {
		t.Fatalf("ConfirmTOTP = %v, %v", recovery, err)
	}
	var stored string
	db.SQL().QueryRow(`SELECT totp_secret FROM users WHERE email = 'gina@example.com'`).Scan(&stored)
	if stored == "" || strings.Contains(stored, enr.Secret) {
		t.Fatalf("TOTP seed stored in clear: %q", stored)
	}
	if _, err := db.BeginTOTP(ctx, u.ID, "blue-kettle-42"); okcare.ErrorCode(err) != okcare.ECONFLICT {
		t.Fatalf("BeginTOTP when on: %v", err)
	}

	_, _, err = login(db, "gina@example.com", "blue-kettle-42", "phone", "")
	wantCode(t, err, okcare.ETOTPREQUIRED)
	// The code used to confirm is spent: the same step is refused.
	_, _, err = login(db, "gina@example.com", "blue-kettle-42", "phone", code())
	wantCode(t, err, okcare.ETOTPINVALID)
	clock.Advance(totp.Period * time.Second)
	c := code()
	if _, _, err := login(db, "gina@example.com", "blue-kettle-42", "phone", c); err != nil {
		t.Fatalf("login with fresh code: %v", err)
	}
	_, _, err = login(db, "gina@example.com", "blue-kettle-42", "phone", c)
	wantCode(t, err, okcare.ETOTPINVALID) // replay

	// A recovery code works once, with or without dashes.
	if _, _, err := login(db, "gina@example.com", "blue-kettle-42", "phone", recovery[0]); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	_, _, err = login(db, "gina@example.com", "blue-kettle-42", "phone", recovery[0])
	wantCode(t, err, okcare.ETOTPINVALID)

	clock.Advance(totp.Period * time.Second)
	wantCode(t, db.DisableTOTP(ctx, u.ID, "wrong-password", code()), okcare.EINVALIDCREDENTIALS)
	if err := db.DisableTOTP(ctx, u.ID, "blue-kettle-42", code()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(db, "gina@example.com", "blue-kettle-42", "phone", ""); err != nil {
		t.Fatalf("login after disabling 2FA: %v", err)
	}
	if countEvents(t, db, u.ID, okcare.EventTOTPEnabled) != 1 || countEvents(t, db, u.ID, okcare.EventTOTPDisabled) != 1 {
		t.Fatal("2FA changes not alerted")
	}
}

// testRecoveryCodesRandom guards against codes that share a prefix (as
// they would if cut from time-ordered identifiers).
func testRecoveryCodesRandom(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "hana@example.com")
	enr, _ := db.BeginTOTP(ctx, u.ID, "blue-kettle-42")
	c, _ := totp.Code(enr.Secret, clock.Now(), 6)
	codes, err := db.ConfirmTOTP(ctx, u.ID, c)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]bool{}
	for _, code := range codes {
		prefixes[code[:4]] = true
	}
	if len(prefixes) < len(codes)-1 {
		t.Fatalf("recovery codes share prefixes: %v", codes)
	}
}

// Credential changes need the current password (and a current code with
// two-factor on): a stolen session alone cannot enrol two-factor, turn it
// off or change the password; wrong answers count as failed sign-ins and,
// past the limit, nothing is checked any more.
func testReauthentication(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "gao@example.com")
	s, _, err := login(db, "gao@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.BeginTOTP(ctx, u.ID, "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	enr, err := db.BeginTOTP(ctx, u.ID, "blue-kettle-42")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.Code(enr.Secret, clock.Now(), 6)
	if _, err := db.ConfirmTOTP(ctx, u.ID, code); err != nil {
		t.Fatal(err)
	}
	// With two-factor on, the password alone no longer changes the password.
	clock.Advance(30 * time.Second)
	wantCode(t, db.ChangePassword(ctx, u.ID, s.ID, "blue-kettle-42", "green-teapot-77", ""), okcare.ETOTPREQUIRED)
	wantCode(t, db.ChangePassword(ctx, u.ID, s.ID, "blue-kettle-42", "green-teapot-77", "000000"), okcare.ETOTPINVALID)
	next, _ := totp.Code(enr.Secret, clock.Now(), 6)
	if next == "000000" {
		t.Skip("the drawn code happens to be 000000")
	}
	if err := db.ChangePassword(ctx, u.ID, s.ID, "blue-kettle-42", "green-teapot-77", next); err != nil {
		t.Fatal(err)
	}
	// Guessing the current password through a stolen session: the wrong
	// ones count, then nothing is checked, not even the right one.
	for i := 2; i < db.LoginPolicy.MaxFailures; i++ { // the empty password and the wrong code above counted
		wantCode(t, db.DisableTOTP(ctx, u.ID, "guess-"+string(rune('a'+i))+"-password", "123456"), okcare.EINVALIDCREDENTIALS)
	}
	clock.Advance(30 * time.Second)
	right, _ := totp.Code(enr.Secret, clock.Now(), 6)
	wantCode(t, db.DisableTOTP(ctx, u.ID, "green-teapot-77", right), okcare.ERATELIMITED)
	if got, _ := db.FindUserByID(ctx, u.ID); !got.TOTPEnabled || got.State != okcare.AccountLoginRestricted {
		t.Fatalf("after the guesses: two-factor %v, state %s", got.TOTPEnabled, got.State)
	}
	// The owner, later, with the password and a code.
	clock.Advance(db.LoginPolicy.Window + time.Minute)
	right, _ = totp.Code(enr.Secret, clock.Now(), 6)
	if err := db.DisableTOTP(ctx, u.ID, "green-teapot-77", right); err != nil {
		t.Fatal(err)
	}
}
