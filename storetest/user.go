package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testRegister(t *testing.T, db *sqldb.DB, _ *Clock) {
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: " Alice@Example.COM ", Phone: "+86 138-0013-8000", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "alice@example.com" || u.Phone != "+8613800138000" || u.State != okcare.AccountActive {
		t.Fatalf("registered %+v", u)
	}
	for _, login := range []string{"ALICE@example.com", "+8613800138000"} {
		if got, err := db.FindUserByLogin(ctx, login); err != nil || got.ID != u.ID {
			t.Fatalf("FindUserByLogin(%q) = %v, %v", login, got, err)
		}
	}
	_, err = db.Register(ctx, okcare.RegisterRequest{Email: "alice@example.com", Password: "another-pass-9"})
	wantCode(t, err, okcare.EALREADYREGISTERED)
	_, err = db.Register(ctx, okcare.RegisterRequest{Email: "bob@example.com", Password: "password"})
	wantCode(t, err, okcare.EWEAKPASSWORD)
	_, err = db.Register(ctx, okcare.RegisterRequest{Email: "not-an-email", Password: "blue-kettle-42"})
	wantCode(t, err, okcare.EINVALID)
	_, err = db.Register(ctx, okcare.RegisterRequest{Password: "blue-kettle-42"})
	wantCode(t, err, okcare.EINVALID)
	_, err = db.FindUserByID(ctx, "usr_nobody")
	wantCode(t, err, okcare.ENOTFOUND)
}

func testLoginAndSessions(t *testing.T, db *sqldb.DB, _ *Clock) {
	u := mustRegister(t, db, "carol@example.com")
	s, tok, err := login(db, "carol@example.com", "blue-kettle-42", "phone-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 26 || s.UserID != u.ID || s.Device.ID != "phone-1" {
		t.Fatalf("session %+v token %q", s, tok)
	}
	got, gotUser, err := db.Authenticate(ctx, tok)
	if err != nil || got.ID != s.ID || gotUser.ID != u.ID {
		t.Fatalf("Authenticate = %v, %v, %v", got, gotUser, err)
	}
	_, _, err = db.Authenticate(ctx, tok+"x")
	wantCode(t, err, okcare.EUNAUTHORIZED)

	_, _, err = login(db, "carol@example.com", "wrong-password", "phone-1", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	_, _, err = login(db, "nobody@example.com", "blue-kettle-42", "phone-1", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	_, _, err = db.Login(ctx, okcare.LoginRequest{Login: "carol@example.com", Password: "blue-kettle-42", Device: okcare.Device{ID: "x", Platform: "android", OSVersion: "14", AppVersion: "five"}})
	wantCode(t, err, okcare.EINVALIDVERSION)

	// A second device: one new-device alert per device.
	s2, tok2, err := login(db, "carol@example.com", "blue-kettle-42", "tablet-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(db, "carol@example.com", "blue-kettle-42", "phone-1", ""); err != nil {
		t.Fatal(err)
	}
	if n := countEvents(t, db, u.ID, okcare.EventNewDeviceLogin); n != 2 {
		t.Fatalf("new device alerts = %d, want 2", n)
	}
	sessions, err := db.ListSessions(ctx, u.ID)
	if err != nil || len(sessions) != 3 {
		t.Fatalf("ListSessions = %d, %v", len(sessions), err)
	}
	if err := db.RevokeSession(ctx, u.ID, s2.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.Authenticate(ctx, tok2)
	wantCode(t, err, okcare.EUNAUTHORIZED)
	wantCode(t, db.RevokeSession(ctx, u.ID, s2.ID), okcare.ENOTFOUND)
	other := mustRegister(t, db, "dan@example.com")
	wantCode(t, db.RevokeSession(ctx, other.ID, s.ID), okcare.ENOTFOUND)

	// Changing the password keeps this session and ends the others.
	wantCode(t, db.ChangePassword(ctx, u.ID, s.ID, "wrong-password", "green-teapot-77", ""), okcare.EINVALIDCREDENTIALS)
	wantCode(t, db.ChangePassword(ctx, u.ID, s.ID, "blue-kettle-42", "12345678", ""), okcare.EWEAKPASSWORD)
	if err := db.ChangePassword(ctx, u.ID, s.ID, "blue-kettle-42", "green-teapot-77", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatalf("current session ended by password change: %v", err)
	}
	live := 0
	sessions, _ = db.ListSessions(ctx, u.ID)
	for _, s := range sessions {
		if s.RevokedAt == nil {
			live++
		}
	}
	if live != 1 || countEvents(t, db, u.ID, okcare.EventPasswordChanged) != 1 {
		t.Fatalf("after password change: %d live sessions", live)
	}
	_, _, err = login(db, "carol@example.com", "blue-kettle-42", "phone-1", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
}

func testFailedLogins(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "erin@example.com")
	if _, _, err := login(db, "erin@example.com", "blue-kettle-42", "own-phone", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < db.LoginPolicy.MaxFailures; i++ {
		_, _, err := login(db, "erin@example.com", "guess-"+string(rune('a'+i))+"-password", "attacker", "")
		wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	}
	got, _ := db.FindUserByID(ctx, u.ID)
	if got.State != okcare.AccountLoginRestricted || got.StateReason != okcare.ReasonTooManyFailedLogins || got.RestrictedUntil == nil {
		t.Fatalf("after failures: %+v", got)
	}
	// The attacker is refused even with the right password...
	_, _, err := login(db, "erin@example.com", "blue-kettle-42", "attacker", "")
	wantCode(t, err, okcare.ELOGINRESTRICTED)
	// ...but the owner's known device still gets in.
	if _, _, err := login(db, "erin@example.com", "blue-kettle-42", "own-phone", ""); err != nil {
		t.Fatalf("owner locked out of known device: %v", err)
	}
	// The restriction lifts by itself.
	clock.Advance(db.LoginPolicy.RestrictFor + time.Second)
	if _, _, err := login(db, "erin@example.com", "blue-kettle-42", "new-phone", ""); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	hist, _ := db.StateHistory(ctx, u.ID)
	if len(hist) != 1 || hist[0].Actor != "system" || hist[0].To != okcare.AccountLoginRestricted {
		t.Fatalf("history %+v", hist)
	}
	var attempts int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM login_attempts`).Scan(&attempts)
	if attempts != db.LoginPolicy.MaxFailures+4 {
		t.Fatalf("recorded %d attempts, want %d", attempts, db.LoginPolicy.MaxFailures+4)
	}
}

func testAccountStates(t *testing.T, db *sqldb.DB, _ *Clock) {
	u := mustRegister(t, db, "frank@example.com")
	_, tok, err := login(db, "frank@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	freeze := okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "suspicious_activity", Actor: "agent:agt_1"}
	if _, err := db.ChangeState(ctx, freeze); err != nil {
		t.Fatal(err)
	}
	wantCode(t, func() error { _, err := db.ChangeState(ctx, freeze); return err }(), okcare.ECONFLICT)
	// Frozen: sessions stay for reading, new logins say why (only with the right password).
	if _, user, err := db.Authenticate(ctx, tok); err != nil || user.State != okcare.AccountFrozen {
		t.Fatalf("frozen session: %v, %v", user, err)
	}
	_, _, err = login(db, "frank@example.com", "blue-kettle-42", "phone", "")
	wantCode(t, err, okcare.EACCOUNTFROZEN)
	_, _, err = login(db, "frank@example.com", "wrong-password", "phone", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)

	for _, bad := range []okcare.StateChangeRequest{
		{UserID: u.ID, To: "melted", Reason: "x_y", Actor: "system"},
		{UserID: u.ID, To: okcare.AccountActive, Reason: "Has Spaces", Actor: "system"},
		{UserID: u.ID, To: okcare.AccountActive, Reason: "ok_reason"},
	} {
		_, err := db.ChangeState(ctx, bad)
		wantCode(t, err, okcare.EINVALID)
	}
	_, err = db.ChangeState(ctx, okcare.StateChangeRequest{UserID: "usr_none", To: okcare.AccountActive, Reason: "ok_reason", Actor: "system"})
	wantCode(t, err, okcare.ENOTFOUND)

	steps := []okcare.StateChangeRequest{
		{UserID: u.ID, To: okcare.AccountActive, Reason: "identity_verified", Actor: "agent:agt_2"},
		{UserID: u.ID, To: okcare.AccountLoginRestricted, Reason: "security_review", Actor: "agent:agt_1"},
	}
	for _, s := range steps {
		if _, err := db.ChangeState(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = login(db, "frank@example.com", "blue-kettle-42", "phone", "")
	wantCode(t, err, okcare.ELOGINRESTRICTED) // an agent's restriction binds known devices too
	hist, err := db.StateHistory(ctx, u.ID)
	if err != nil || len(hist) != 3 || hist[0].From != okcare.AccountActive || hist[1].Reason != "identity_verified" || hist[2].Actor != "agent:agt_1" {
		t.Fatalf("history %+v, %v", hist, err)
	}
	for _, e := range []string{okcare.EventAccountFrozen, okcare.EventAccountUnfrozen, okcare.EventLoginRestricted} {
		if countEvents(t, db, u.ID, e) != 1 {
			t.Errorf("no %s alert", e)
		}
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountClosed, Reason: "user_request", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.Authenticate(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)
	_, err = db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountActive, Reason: "oops", Actor: "agent:agt_1"})
	wantCode(t, err, okcare.ECONFLICT)
}

func countEvents(t *testing.T, db *sqldb.DB, userID, event string) int {
	t.Helper()
	out, err := db.Outbox(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range out {
		if m.UserID == userID && m.Event == event && m.Channel == okcare.ChannelEmail {
			n++
		}
	}
	return n
}

func testSessionIdleExpiry(t *testing.T, db *sqldb.DB, clock *Clock) {
	mustRegister(t, db, "olga@example.com")
	s, tok, err := login(db, "olga@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	// Used after ten days: the idle clock starts again from that use.
	clock.Advance(10 * 24 * time.Hour)
	if _, _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	sessions, _ := db.ListSessions(ctx, s.UserID)
	if len(sessions) != 1 || !sessions[0].LastSeenAt.Equal(clock.Now()) {
		t.Fatalf("last seen %v, want %v", sessions[0].LastSeenAt, clock.Now())
	}
	// Uses within a minute of the last one recorded are not recorded again
	// (one write per burst of calls); the next one after that minute is.
	seen := clock.Now()
	clock.Advance(40 * time.Second)
	if _, _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if sessions, _ := db.ListSessions(ctx, s.UserID); !sessions[0].LastSeenAt.Equal(seen) {
		t.Fatalf("a use 40 s later moved last seen to %v", sessions[0].LastSeenAt)
	}
	clock.Advance(21 * time.Second)
	if _, _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if sessions, _ := db.ListSessions(ctx, s.UserID); !sessions[0].LastSeenAt.Equal(clock.Now()) {
		t.Fatalf("last seen %v after a use 61 s later, want %v", sessions[0].LastSeenAt, clock.Now())
	}
	clock.Advance(db.LoginPolicy.SessionIdle - time.Hour)
	if _, _, err := db.Authenticate(ctx, tok); err != nil {
		t.Fatalf("session expired although used within the idle limit: %v", err)
	}
	clock.Advance(db.LoginPolicy.SessionIdle + time.Hour)
	_, _, err = db.Authenticate(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)

	// Used every day, a session still ends at its absolute lifetime.
	_, tok, err = login(db, "olga@example.com", "blue-kettle-42", "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	for used := time.Duration(0); used < db.LoginPolicy.SessionMaxAge-24*time.Hour; used += 24 * time.Hour {
		clock.Advance(24 * time.Hour)
		if _, _, err := db.Authenticate(ctx, tok); err != nil {
			t.Fatalf("a daily-used session ended after %v: %v", used, err)
		}
	}
	clock.Advance(48 * time.Hour)
	_, _, err = db.Authenticate(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)
}

// A device id is no proof: claiming the owner's device id without the key
// that device was given does not get past the restriction; and a restricted
// real account answers exactly as a login naming no account does.
func testDeviceProofAndNoEnumeration(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "fei@example.com")
	if _, _, err := login(db, "fei@example.com", "blue-kettle-42", "fei-phone", ""); err != nil {
		t.Fatal(err)
	}
	answers := func(who string) []string {
		var out []string
		for i := 0; i <= db.LoginPolicy.MaxFailures; i++ {
			_, _, err := db.Login(ctx, okcare.LoginRequest{Login: who, Password: "guess-" + string(rune('a'+i)) + "-password", Device: device("fei-phone"), IP: "10.0.0.9"})
			msg := okcare.ErrorMessage(err)
			if i := strings.Index(msg, " until "); i > 0 {
				msg = msg[:i] // the time differs by the test's own pace
			}
			out = append(out, okcare.ErrorCode(err)+": "+msg)
		}
		return out
	}
	real, ghost := answers("fei@example.com"), answers("ghost@example.com")
	if strings.Join(real, "\n") != strings.Join(ghost, "\n") {
		t.Fatalf("a real account answers differently from none:\nreal:  %q\nghost: %q", real, ghost)
	}
	if !strings.HasPrefix(real[len(real)-1], okcare.ELOGINRESTRICTED) {
		t.Fatalf("no restriction after %d failures: %q", db.LoginPolicy.MaxFailures, real)
	}
	// The attacker claimed "fei-phone" throughout; with the right password
	// and that id, still refused: they do not hold its key.
	_, _, err := db.Login(ctx, okcare.LoginRequest{Login: "fei@example.com", Password: "blue-kettle-42", Device: device("fei-phone"), IP: "10.0.0.9"})
	wantCode(t, err, okcare.ELOGINRESTRICTED)
	// The owner's phone, which holds its key, gets in.
	if _, _, err := login(db, "fei@example.com", "blue-kettle-42", "fei-phone", ""); err != nil {
		t.Fatalf("the owner's own phone is locked out: %v", err)
	}
	// A wrong key is no key.
	_, _, err = db.Login(ctx, okcare.LoginRequest{Login: "fei@example.com", Password: "blue-kettle-42", Device: device("fei-phone"), DeviceKey: "okd_FORGED", IP: "10.0.0.9"})
	wantCode(t, err, okcare.ELOGINRESTRICTED)
	// The ghost's restriction lifts on time, as a real one does.
	clock.Advance(db.LoginPolicy.RestrictFor + time.Second)
	_, _, err = db.Login(ctx, okcare.LoginRequest{Login: "ghost@example.com", Password: "x-password-1", Device: device("d"), IP: "10.0.0.9"})
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	if n := countEvents(t, db, u.ID, okcare.EventLoginRestricted); n != 1 {
		t.Fatalf("%d restriction alerts to the owner, want 1", n)
	}
}
