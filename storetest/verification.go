package storetest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

var sixDigits = regexp.MustCompile(`\d{6}`)

// lastCode reads the newest verification code from the outbox table, as
// the customer would from their email.
func lastCode(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var body string
	if err := func() error {
		nt := Notified(t, db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC, id DESC LIMIT 1`)
		body = nt.Body
		return nil
	}(); err != nil {
		t.Fatal(err)
	}
	return sixDigits.FindString(body)
}

func testVerifiedActions(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "tao@example.com")
	_, tok, _ := login(db, "tao@example.com", "blue-kettle-42", "phone", "")
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "登录受限了"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountLoginRestricted, Reason: "security_review", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	// Nothing sensitive happens before the customer proves who they are.
	_, err = db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionLiftRestriction)
	wantCode(t, err, okcare.EFORBIDDEN)

	v, err := db.StartVerification(ctx, tk.ID, "agt_1", "")
	if err != nil || v.SentTo != "t***@example.com" {
		t.Fatalf("StartVerification = %+v, %v", v, err)
	}
	if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Action != "identity.code_sent" || log[0].Actor != "agent:agt_1" {
		t.Fatalf("sending the code was not audited: %+v", log)
	}
	code := lastCode(t, db)
	// The code is in the table only sealed, and gone once it is sent.
	var codeID, stored string
	db.SQL().QueryRow(`SELECT id, body FROM notifications WHERE event = 'identity_verification_code' ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&codeID, &stored)
	if strings.Contains(stored, code) || stored == "" {
		t.Fatalf("the code is kept in clear in the outbox table: %q", stored)
	}
	if err := db.MarkSent(ctx, codeID); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Notification(ctx, codeID); strings.Contains(n.Body, code) || n.Status != okcare.NotificationSent {
		t.Fatalf("a sent code is still kept: %+v", n)
	}
	outbox, _ := db.Outbox(ctx, 50)
	for _, n := range outbox {
		if strings.Contains(n.Body, code) {
			t.Fatal("the staff outbox view shows the verification code")
		}
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = db.ConfirmVerification(ctx, v.ID, "agt_1", wrong)
	wantCode(t, err, okcare.EINVALID)
	if _, err := db.ConfirmVerification(ctx, v.ID, "agt_1", code); err != nil {
		t.Fatal(err)
	}
	_, err = db.ConfirmVerification(ctx, v.ID, "agt_1", code)
	wantCode(t, err, okcare.EINVALID) // single use

	if _, err := db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionLiftRestriction); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatalf("restriction not lifted: %+v", got)
	}
	if _, err := db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionRevokeSessions); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.Authenticate(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)

	// The password-reset link goes to the customer; the agent never sees it.
	if _, err := db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionPasswordReset); err != nil {
		t.Fatal(err)
	}
	var body string
	func() error {
		nt := Notified(t, db, `WHERE event = 'password_reset_link' ORDER BY created_at DESC LIMIT 1`)
		body = nt.Body
		return nil
	}()
	resetToken := regexp.MustCompile(`okreset_[A-Z2-7]+`).FindString(body)
	wantCode(t, db.ResetPassword(ctx, resetToken, "12345678"), okcare.EWEAKPASSWORD)
	if err := db.ResetPassword(ctx, resetToken, "fresh-lantern-88"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.ResetPassword(ctx, resetToken, "fresh-lantern-99"), okcare.EUNAUTHORIZED) // once only
	if _, _, err := login(db, "tao@example.com", "fresh-lantern-88", "phone", ""); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}

	// Unfreezing needs a second staff member.
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "suspicious_activity", Actor: "agent:agt_2"}); err != nil {
		t.Fatal(err)
	}
	a, err := db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionUnfreeze)
	if err != nil || a == nil {
		t.Fatalf("unfreeze request: %+v %v", a, err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountFrozen {
		t.Fatal("one agent unfroze the account alone")
	}
	_, err = db.ApproveAction(ctx, a.ID, "agt_1")
	wantCode(t, err, okcare.EFORBIDDEN)
	if _, err := db.ApproveAction(ctx, a.ID, "agt_3"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatal("approved unfreeze did not happen")
	}
	_, err = db.ApproveAction(ctx, a.ID, "agt_4")
	wantCode(t, err, okcare.ECONFLICT)

	// The check expires; every step is an internal note and in the audit log.
	clock.Advance(31 * time.Minute)
	_, err = db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionRevokeSessions)
	wantCode(t, err, okcare.EFORBIDDEN)
	notes, _ := db.TicketMessages(ctx, tk.ID, true)
	public, _ := db.TicketMessages(ctx, tk.ID, false)
	if len(notes)-len(public) < 6 {
		t.Fatalf("%d internal notes, want at least 6", len(notes)-len(public))
	}
	if n, err := db.VerifyAudit(ctx); err != nil || n < 7 {
		t.Fatalf("audit: %d, %v", n, err)
	}
	// Five wrong codes spend a verification, even for the right code after.
	v3, _ := db.StartVerification(ctx, tk.ID, "agt_1", "")
	code3 := lastCode(t, db)
	bad := "000000"
	if code3 == bad {
		bad = "111111"
	}
	for i := 0; i < 5; i++ {
		db.ConfirmVerification(ctx, v3.ID, "agt_1", bad)
	}
	_, err = db.ConfirmVerification(ctx, v3.ID, "agt_1", code3)
	wantCode(t, err, okcare.EINVALID)
	// A fresh code expires after ten minutes.
	v2, _ := db.StartVerification(ctx, tk.ID, "agt_1", "")
	code2 := lastCode(t, db)
	clock.Advance(11 * time.Minute)
	_, err = db.ConfirmVerification(ctx, v2.ID, "agt_1", code2)
	wantCode(t, err, okcare.EINVALID)
}
