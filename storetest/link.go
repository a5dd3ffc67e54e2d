package storetest

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// lastCodeMessage reads the newest identity code message: where it went and what
// it said, as the customer's mailbox would show it.
func lastCodeMessage(t *testing.T, db *sqldb.DB) (channel, to, body string) {
	t.Helper()
	if err := func() error {
		nt := Notified(t, db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC, id DESC LIMIT 1`)
		channel, to, body = nt.Channel, nt.To, nt.Body
		return nil
	}(); err != nil {
		t.Fatal(err)
	}
	return channel, to, body
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// A customer who cannot sign in (login-restricted) files a ticket with
// their email; the ticket is linked only once they read back a code sent
// to the account's registered address, and then the verified actions work.
func testLinkByVerifiedContact(t *testing.T, db *sqldb.DB, clock *Clock) {
	seedAssets(t, db)
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "mei@example.com", Phone: "+8613800138000", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Deposit(ctx, u.ID, "CNY", "88.00", "top-up"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountLoginRestricted, Reason: "too_many_failed_logins", Actor: "system"}); err != nil {
		t.Fatal(err)
	}
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "Mei@Example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "新手机登录不了"}})
	if err != nil {
		t.Fatal(err)
	}
	if tk.UserID != "" || tk.LinkedBy != "" {
		t.Fatalf("a typed email linked the ticket: %+v", tk)
	}
	_, err = db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionLiftRestriction)
	wantCode(t, err, okcare.EFORBIDDEN)

	v, err := db.StartVerification(ctx, tk.ID, "agt_1", "")
	if err != nil || v.SentTo != "m***@example.com" || v.Channel != okcare.ChannelEmail {
		t.Fatalf("StartVerification = %+v, %v", v, err)
	}
	channel, to, body := lastCodeMessage(t, db)
	if channel != okcare.ChannelEmail || to != u.Email {
		t.Fatalf("code went by %s to %q, want the registered %q", channel, to, u.Email)
	}
	if !hasHan(body) || strings.Contains(body, "verification code") {
		t.Fatalf("a zh-CN ticket's code mail is not in Chinese only: %q", body)
	}
	// Confirming links the ticket; the wallet appears.
	if _, err := db.ConfirmVerification(ctx, v.ID, "agt_1", sixDigits.FindString(body)); err != nil {
		t.Fatal(err)
	}
	tk, _ = db.FindTicket(ctx, tk.ID)
	if tk.UserID != u.ID || tk.LinkedBy != okcare.LinkedVerifiedContact {
		t.Fatalf("after the code the ticket is %q linked by %q", tk.UserID, tk.LinkedBy)
	}
	cc, err := db.CustomerContext(ctx, tk.ID, "agt_1")
	if err != nil || cc.Match != okcare.MatchAccount || cc.User == nil || len(cc.Balances) == 0 || cc.Candidate != nil {
		t.Fatalf("linked context %+v, %v", cc, err)
	}
	if log, _ := db.AuditLog(ctx, 3); !auditHas(log, "ticket.linked", "agent:agt_1") {
		t.Fatalf("linking was not audited: %+v", log)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, false)
	if last := msgs[len(msgs)-1]; last.Author != "system" || !hasHan(last.Body) {
		t.Fatalf("the customer is not told in Chinese: %+v", last)
	}
	if _, err := db.TakeAction(ctx, tk.ID, "agt_1", okcare.ActionLiftRestriction); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.EffectiveState(clock.Now()) != okcare.AccountActive {
		t.Fatalf("state %s after lifting", got.State)
	}
}

// The code never goes to an address typed into a form: a ticket whose
// contact matches nothing can name the account, and the code goes to that
// account's registered contact; a phone ticket gets an SMS to the
// registered phone; a ticket sends a bounded number of codes an hour.
func testLinkCodeDestinations(t *testing.T, db *sqldb.DB, clock *Clock) {
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "jun@example.com", Phone: "+8613900139000", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "jun.work@example.org", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "can't open"}})
	if cc, _ := db.CustomerContext(ctx, other.ID, "agt_1"); cc.Candidate != nil {
		t.Fatalf("an unregistered address is a candidate: %+v", cc.Candidate)
	}
	_, err = db.StartVerification(ctx, other.ID, "agt_1", "")
	wantCode(t, err, okcare.EINVALID)
	_, err = db.StartVerification(ctx, other.ID, "agt_1", "nobody@example.com")
	wantCode(t, err, okcare.EINVALID)
	if _, err := db.StartVerification(ctx, other.ID, "agt_1", "+8613900139000"); err != nil {
		t.Fatal(err)
	}
	if channel, to, body := lastCodeMessage(t, db); channel != okcare.ChannelSMS || to != u.Phone || hasHan(body) {
		t.Fatalf("account named by its phone: code by %s to %q (%q)", channel, to, body)
	}
	if _, err := db.StartVerification(ctx, other.ID, "agt_1", "JUN@example.com"); err != nil {
		t.Fatal(err)
	}
	if channel, to, _ := lastCodeMessage(t, db); channel != okcare.ChannelEmail || to != u.Email {
		t.Fatalf("account named by its email: code by %s to %q", channel, to)
	}

	call, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactPhone: "+8613900139000", Channel: okcare.ChannelPhone, Lang: "zh-CN", Intake: okcare.Intake{Description: "请回电", CallbackWindow: "asap"}})
	if cc, _ := db.CustomerContext(ctx, call.ID, "agt_1"); cc.Candidate == nil || cc.Candidate.Channel != okcare.ChannelSMS || strings.Contains(cc.Candidate.SentTo, "13900139") {
		t.Fatalf("phone candidate %+v", cc.Candidate)
	}
	for i := 0; i < 3; i++ {
		if _, err := db.StartVerification(ctx, call.ID, "agt_1", ""); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
		if channel, to, _ := lastCodeMessage(t, db); channel != okcare.ChannelSMS || to != u.Phone {
			t.Fatalf("phone ticket: code by %s to %q", channel, to)
		}
	}
	_, err = db.StartVerification(ctx, call.ID, "agt_1", "")
	wantCode(t, err, okcare.ERATELIMITED)
	clock.Advance(61 * time.Minute)
	if _, err := db.StartVerification(ctx, call.ID, "agt_1", ""); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
}

// A frozen customer's mail ticket: verified contact, then the four-eyes
// unfreeze works on it.
func testLinkThenUnfreeze(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "bo@example.com")
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "risk_review", Actor: "agent:risk"}); err != nil {
		t.Fatal(err)
	}
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "bo@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "账户被冻结了"}})
	a := verifiedUnfreezeRequest(t, db, tk.ID)
	_, err := db.ApproveAction(ctx, a.ID, "agt_1")
	wantCode(t, err, okcare.EFORBIDDEN)
	if _, err := db.ApproveAction(ctx, a.ID, "sup_1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatalf("state %s after the approved unfreeze", got.State)
	}
}

// verifiedUnfreezeRequest verifies the ticket's customer (the code read
// back from the outbox) and files an unfreeze request as agt_1.
func verifiedUnfreezeRequest(t *testing.T, db *sqldb.DB, ticketID string) *okcare.Approval {
	t.Helper()
	v, err := db.StartVerification(ctx, ticketID, "agt_1", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ConfirmVerification(ctx, v.ID, "agt_1", lastCode(t, db)); err != nil {
		t.Fatal(err)
	}
	a, err := db.TakeAction(ctx, ticketID, "agt_1", okcare.ActionUnfreeze)
	if err != nil || a == nil {
		t.Fatalf("unfreeze request %+v %v", a, err)
	}
	return a
}

func auditHas(log []*okcare.AuditEntry, action, actor string) bool {
	for _, e := range log {
		if e.Action == action && e.Actor == actor {
			return true
		}
	}
	return false
}

// An unfreeze request answers the freeze it was made for and expires: a
// newer freeze (confirmed fraud) voids it, and so does a day's wait.
func testUnfreezeRequestAnswersOneFreeze(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "qin@example.com")
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "risk_review", Actor: "agent:risk"}); err != nil {
		t.Fatal(err)
	}
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "冻结了"}})
	request := func() *okcare.Approval {
		t.Helper()
		clock.Advance(time.Minute)
		return verifiedUnfreezeRequest(t, db, tk.ID)
	}
	first := request()
	// The risk team finds fraud: frozen again, for the new reason.
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "confirmed_fraud", Actor: "agent:risk"}); err != nil {
		t.Fatalf("refreezing for a new reason: %v", err)
	}
	_, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "confirmed_fraud", Actor: "agent:risk"})
	wantCode(t, err, okcare.ECONFLICT)
	_, err = db.ApproveAction(ctx, first.ID, "sup_1")
	wantCode(t, err, okcare.ECONFLICT)
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountFrozen {
		t.Fatalf("a voided request unfroze the account: %s", got.State)
	}
	stale := request()
	clock.Advance(25 * time.Hour)
	_, err = db.ApproveAction(ctx, stale.ID, "sup_1")
	wantCode(t, err, okcare.ECONFLICT)
	fresh := request()
	if _, err := db.ApproveAction(ctx, fresh.ID, "sup_1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatalf("state %s after the approved request", got.State)
	}
}
