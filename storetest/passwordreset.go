package storetest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/totp"
)

var resetToken = regexp.MustCompile(`reset-password\?token=(okreset_[A-Z2-7]+)`)

// lastResetToken reads the newest reset link sent to addr, as its owner
// would; "" when none was.
func lastResetToken(t *testing.T, db *sqldb.DB, addr string) string {
	t.Helper()
	if m := resetToken.FindStringSubmatch(sentBody(t, db, sqldb.EventPasswordReset, addr)); m != nil {
		return m[1]
	}
	return ""
}

// Forgot password: a link to the registered contact, 128 random bits kept
// as a hash, single-use and short-lived; using it sets the password,
// retires other links, signs every session out and alerts the customer,
// and two-factor authentication is still asked at the next sign-in. Like
// the emergency freeze, an unknown contact is answered and throttled
// exactly like a known one.
func testForgotPassword(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.PublicURL = "https://help.okwallet.example"
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "mei@example.com", Phone: "+8613700000042", Password: "blue-kettle-42", Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	enr, err := db.BeginTOTP(ctx, u.ID, "blue-kettle-42")
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		c, _ := totp.Code(enr.Secret, clock.Now(), 6)
		return c
	}
	if _, err := db.ConfirmTOTP(ctx, u.ID, code()); err != nil {
		t.Fatal(err)
	}
	clock.Advance(totp.Period * time.Second)
	_, tok, err := login(db, "mei@example.com", "blue-kettle-42", "phone", code())
	if err != nil {
		t.Fatal(err)
	}

	for _, bad := range []string{"", "mei", "@example.com"} {
		_, err := db.RequestPasswordReset(ctx, bad, "zh-CN")
		wantCode(t, err, okcare.EINVALID)
	}
	ghost, err := db.RequestPasswordReset(ctx, "mai@example.com", "zh-CN")
	if err != nil || ghost.SentTo != "m***@example.com" || ghost.Channel != okcare.ChannelEmail {
		t.Fatalf("unknown contact: %+v %v", ghost, err)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE to_addr = 'mai@example.com'`); n != 0 {
		t.Fatal("a link went to a contact no account has")
	}
	rr, err := db.RequestPasswordReset(ctx, "Mei@Example.com", "zh-CN")
	if err != nil || rr.SentTo != ghost.SentTo || rr.Channel != ghost.Channel || !rr.ExpiresAt.Equal(ghost.ExpiresAt) {
		t.Fatalf("known contact answered differently: %+v %v (unknown: %+v)", rr, err, ghost)
	}
	first := lastResetToken(t, db, "mei@example.com")
	if len(first) != len("okreset_")+26 {
		t.Fatalf("reset token %q is not 128 random bits", first)
	}
	_, body := lastBody(t, db, sqldb.EventPasswordReset)
	if !strings.Contains(body, "https://help.okwallet.example/reset-password?token=") || !hasHan(body) {
		t.Fatalf("the link mail: %q", body)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM password_resets WHERE token_hash = '`+first+`'`); n != 0 {
		t.Fatal("the reset token is stored in clear")
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM password_resets WHERE token_hash = '`+token.Hash(first)+`'`); n != 1 {
		t.Fatal("the reset token's hash is not stored")
	}
	for _, n := range mustOutbox(t, db) {
		if strings.Contains(n.Body, first) {
			t.Fatal("the staff outbox view shows the reset link")
		}
	}
	// A second link, by SMS to the registered phone.
	if _, err := db.RequestPasswordReset(ctx, "+86 137 0000 0042", "zh-CN"); err != nil {
		t.Fatal(err)
	}
	second := lastResetToken(t, db, "+8613700000042")
	if second == "" || second == first {
		t.Fatalf("the SMS link: %q", second)
	}

	if err := db.CheckPasswordReset(ctx, first); err != nil {
		t.Fatalf("a fresh link: %v", err)
	}
	for _, bad := range []string{"", "okreset_AAAA", first + "A", strings.ToLower(first)} {
		wantCode(t, db.CheckPasswordReset(ctx, bad), okcare.EUNAUTHORIZED)
		wantCode(t, db.ResetPassword(ctx, bad, "a-fresh-start-77"), okcare.EUNAUTHORIZED)
	}
	// The password policy applies; a refused password leaves the link usable.
	for _, weak := range []string{"short", "password123", "mei@example.com"} {
		wantCode(t, db.ResetPassword(ctx, first, weak), okcare.EWEAKPASSWORD)
	}
	alerts := countEvents(t, db, u.ID, okcare.EventPasswordChanged)
	if err := db.ResetPassword(ctx, first, "a-fresh-start-77"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.ResetPassword(ctx, first, "another-start-88"), okcare.EUNAUTHORIZED) // single use
	wantCode(t, db.CheckPasswordReset(ctx, second), okcare.EUNAUTHORIZED)               // retired with it
	_, _, err = db.Authenticate(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)
	if countEvents(t, db, u.ID, okcare.EventPasswordChanged) != alerts+1 {
		t.Fatal("no security alert for the reset")
	}
	_, _, err = login(db, "mei@example.com", "blue-kettle-42", "laptop", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	_, _, err = login(db, "mei@example.com", "a-fresh-start-77", "laptop", "")
	wantCode(t, err, okcare.ETOTPREQUIRED) // two-factor still on
	clock.Advance(totp.Period * time.Second)
	if _, _, err := login(db, "mei@example.com", "a-fresh-start-77", "laptop", code()); err != nil {
		t.Fatalf("sign-in with the new password and a code: %v", err)
	}

	// Links expire after 30 minutes.
	if _, err := db.RequestPasswordReset(ctx, "mei@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	late := lastResetToken(t, db, "mei@example.com")
	_, body = lastBody(t, db, sqldb.EventPasswordReset)
	if hasHan(body) {
		t.Fatalf("an English request got Chinese: %q", body)
	}
	clock.Advance(31 * time.Minute)
	wantCode(t, db.ResetPassword(ctx, late, "yet-another-start-99"), okcare.EUNAUTHORIZED)

	// Three requests per contact an hour, known or not.
	clock.Advance(time.Hour)
	for i := 0; i < 3; i++ {
		if _, err := db.RequestPasswordReset(ctx, "mei@example.com", "zh-CN"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RequestPasswordReset(ctx, "mai@example.com", "zh-CN"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.RequestPasswordReset(ctx, "mei@example.com", "zh-CN")
	wantCode(t, err, okcare.ERATELIMITED)
	_, err = db.RequestPasswordReset(ctx, "mai@example.com", "zh-CN")
	wantCode(t, err, okcare.ERATELIMITED)

	// A frozen account gets no link, and its owner is told why; a link
	// sent before the emergency freeze stops working.
	clock.Advance(time.Hour)
	if _, err := db.RequestPasswordReset(ctx, "mei@example.com", "zh-CN"); err != nil {
		t.Fatal(err)
	}
	before := lastResetToken(t, db, "mei@example.com")
	sf, err := db.StartSelfFreeze(ctx, "mei@example.com", "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ConfirmSelfFreeze(ctx, sf.ID, lastSelfFreezeCode(t, db, "mei@example.com"), ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.ResetPassword(ctx, before, "frozen-start-55"), okcare.EUNAUTHORIZED)
	links := countRows(t, db, `SELECT COUNT(*) FROM password_resets`)
	if _, err := db.RequestPasswordReset(ctx, "mei@example.com", "zh-CN"); err != nil {
		t.Fatal(err)
	}
	if countRows(t, db, `SELECT COUNT(*) FROM password_resets`) != links {
		t.Fatal("a frozen account was sent a reset link")
	}
	if _, body := lastBody(t, db, sqldb.EventPasswordResetWaits); !strings.Contains(body, "冻结") {
		t.Fatalf("the frozen account's owner was not told why: %q", body)
	}
}
