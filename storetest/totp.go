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
	enr, err := db.BeginTOTP(ctx, u.ID)
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
	if _, err := db.BeginTOTP(ctx, u.ID); okcare.ErrorCode(err) != okcare.ECONFLICT {
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
	enr, _ := db.BeginTOTP(ctx, u.ID)
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
