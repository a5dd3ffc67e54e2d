package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// lastSelfFreezeCode reads the newest emergency-freeze code sent to addr,
// as its owner would; "" when none was sent there.
func lastSelfFreezeCode(t *testing.T, db *sqldb.DB, addr string) string {
	t.Helper()
	return sixDigits.FindString(sentBody(t, db, sqldb.EventSelfFreezeCode, addr))
}

// The emergency freeze without the phone: a code to the registered
// contact freezes the account at once, signs out every session, forgets
// every device and opens a linked ticket; the way back is the verified,
// four-eyes unfreeze. Nothing in the answers tells a known contact from an
// unknown one, and neither can be used to flood a mailbox.
func testSelfFreeze(t *testing.T, db *sqldb.DB, clock *Clock) {
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "lin@example.com", Phone: "+8613900000077", Password: "blue-kettle-42", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	seedAssets(t, db)
	if _, err := db.Deposit(ctx, u.ID, "CNY", "900.00", "top-up"); err != nil {
		t.Fatal(err)
	}
	phone, phoneTok, _ := login(db, "lin@example.com", "blue-kettle-42", "stolen-phone", "")
	_, laptopTok, _ := login(db, "lin@example.com", "blue-kettle-42", "laptop", "")
	if phone == nil || phone.DeviceKey == "" {
		t.Fatal("no device key for the phone")
	}

	// Bad input changes nothing.
	for _, bad := range []string{"", "not a contact", "12", "lin@", strings.Repeat("9", 40)} {
		_, err := db.StartSelfFreeze(ctx, bad, "en")
		wantCode(t, err, okcare.EINVALID)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM self_service_requests`); n != 0 {
		t.Fatalf("refused requests were stored: %d", n)
	}

	// Unknown and known contacts get answers of the same shape.
	ghost, err := db.StartSelfFreeze(ctx, "nobody@example.com", "en")
	if err != nil || ghost.Channel != okcare.ChannelEmail || ghost.SentTo != "n***@example.com" || ghost.ID == "" {
		t.Fatalf("unknown contact: %+v %v", ghost, err)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE to_addr = 'nobody@example.com'`); n != 0 {
		t.Fatal("a code was sent to a contact no account has")
	}
	for _, code := range []string{"000000", "123456"} {
		_, err := db.ConfirmSelfFreeze(ctx, ghost.ID, code, "")
		wantCode(t, err, okcare.EINVALID)
	}
	sf, err := db.StartSelfFreeze(ctx, " LIN@example.com ", "en")
	if err != nil || sf.Channel != okcare.ChannelEmail || sf.SentTo != "l***@example.com" || !sf.ExpiresAt.After(clock.Now()) {
		t.Fatalf("known contact: %+v %v", sf, err)
	}
	code := lastSelfFreezeCode(t, db, "lin@example.com")
	if code == "" {
		t.Fatal("no code was sent to the registered email")
	}
	for _, n := range mustOutbox(t, db) {
		if strings.Contains(n.Body, code) {
			t.Fatal("the staff outbox view shows the freeze code")
		}
	}

	// A wrong code counts and changes nothing.
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = db.ConfirmSelfFreeze(ctx, sf.ID, wrong, "")
	wantCode(t, err, okcare.EINVALID)
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatalf("a wrong code froze the account: %s", got.State)
	}
	_, err = db.ConfirmSelfFreeze(ctx, sf.ID, code, strings.Repeat("长", 2001))
	wantCode(t, err, okcare.EINVALID)

	res, err := db.ConfirmSelfFreeze(ctx, sf.ID, code, "My phone was stolen on the metro.")
	if err != nil || res.AlreadyFrozen || res.SessionsRevoked != 2 || res.TicketNumber == 0 {
		t.Fatalf("confirm: %+v %v", res, err)
	}
	got, _ := db.FindUserByID(ctx, u.ID)
	if got.State != okcare.AccountFrozen || got.StateReason != okcare.ReasonCustomerRequest {
		t.Fatalf("after the freeze: %s (%s)", got.State, got.StateReason)
	}
	for _, tok := range []string{phoneTok, laptopTok} {
		_, _, err := db.Authenticate(ctx, tok)
		wantCode(t, err, okcare.EUNAUTHORIZED)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM device_keys WHERE user_id = '`+u.ID+`'`); n != 0 {
		t.Fatalf("%d device keys survive the freeze", n)
	}
	// The thief with the password gets nowhere, and no money moves.
	_, _, err = db.Login(ctx, okcare.LoginRequest{Login: "lin@example.com", Password: "blue-kettle-42", Device: device("stolen-phone"), DeviceKey: phone.DeviceKey})
	wantCode(t, err, okcare.EACCOUNTFROZEN)
	other := mustRegister(t, db, "thief@example.com")
	_, err = transfer(db, u.ID, other.ID, "CNY", "100.00", "steal-1")
	wantCode(t, err, okcare.EACCOUNTFROZEN)

	// The code works once.
	_, err = db.ConfirmSelfFreeze(ctx, sf.ID, code, "")
	wantCode(t, err, okcare.EINVALID)

	// The ticket for the way back: linked (the code proved the contact),
	// urgent enough, acknowledged where the code went, with the note.
	tk, err := db.FindTicketByNumber(ctx, res.TicketNumber)
	if err != nil || tk.UserID != u.ID || tk.LinkedBy != okcare.LinkedVerifiedContact || tk.Priority != okcare.PriorityHigh || tk.Lang != "en" || tk.Category != "account_frozen" {
		t.Fatalf("ticket: %+v %v", tk, err)
	}
	if channel, to, _, _ := lastAck(t, db, tk.ID); channel != okcare.ChannelEmail || to != "lin@example.com" {
		t.Fatalf("the acknowledgement went by %s to %s", channel, to)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, true)
	var noted, told bool
	for _, m := range msgs {
		noted = noted || (m.Note != nil && m.Note.Key == sqldb.NoteSelfFrozen && m.Note.Args["sessions"] == "2")
		told = told || (m.Public && strings.Contains(m.Body, "stolen on the metro"))
	}
	if !noted || !told {
		t.Fatalf("ticket messages lack the note (%v) or the customer's words (%v): %+v", noted, told, msgs)
	}
	log, _ := db.AuditLog(ctx, 20)
	if !auditHas(log, "account.self_freeze", "user:"+u.ID) {
		t.Fatalf("the freeze is not in the audit log: %+v", log)
	}
	subject, body := lastBody(t, db, okcare.EventAccountFrozen)
	if !strings.Contains(subject, "your request") || !strings.Contains(body, "two staff members") {
		t.Fatalf("the freeze alert does not say it was the customer's request: %q %q", subject, body)
	}

	// The way back: verified, four eyes.
	a := verifiedUnfreezeRequest(t, db, tk.ID)
	_, err = db.ApproveAction(ctx, a.ID, "agt_1")
	wantCode(t, err, okcare.EFORBIDDEN)
	if _, err := db.ApproveAction(ctx, a.ID, "sup_1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.State != okcare.AccountActive {
		t.Fatalf("after the approved unfreeze: %s", got.State)
	}

	// An account frozen by the risk team stays frozen for that reason;
	// the phone's code goes by SMS.
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: okcare.ReasonRiskReview, Actor: "agent:risk"}); err != nil {
		t.Fatal(err)
	}
	bySMS, err := db.StartSelfFreeze(ctx, "+86 139-0000-0077", "zh-CN")
	if err != nil || bySMS.Channel != okcare.ChannelSMS {
		t.Fatalf("by phone: %+v %v", bySMS, err)
	}
	smsCode := lastSelfFreezeCode(t, db, "+8613900000077")
	res, err = db.ConfirmSelfFreeze(ctx, bySMS.ID, smsCode, "")
	if err != nil || !res.AlreadyFrozen {
		t.Fatalf("refreeze: %+v %v", res, err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.StateReason != okcare.ReasonRiskReview {
		t.Fatalf("the risk team's reason was replaced: %s", got.StateReason)
	}
	if tk, _ := db.FindTicketByNumber(ctx, res.TicketNumber); tk.Lang != "zh-CN" || tk.ContactPhone != "+8613900000077" {
		t.Fatalf("the second ticket: %+v", tk)
	}

	// Codes expire.
	late, _ := db.StartSelfFreeze(ctx, "lin@example.com", "en")
	lateCode := lastSelfFreezeCode(t, db, "lin@example.com")
	clock.Advance(11 * time.Minute)
	_, err = db.ConfirmSelfFreeze(ctx, late.ID, lateCode, "")
	wantCode(t, err, okcare.EINVALID)

	// Five wrong tries end a code, right or not after that.
	tries, _ := db.StartSelfFreeze(ctx, "lin@example.com", "en")
	triesCode := lastSelfFreezeCode(t, db, "lin@example.com")
	for i := 0; i < 5; i++ {
		db.ConfirmSelfFreeze(ctx, tries.ID, wrong, "")
	}
	_, err = db.ConfirmSelfFreeze(ctx, tries.ID, triesCode, "")
	wantCode(t, err, okcare.EINVALID)

	// Three codes per contact an hour, known or not: then the same refusal
	// for both, and nothing more is sent.
	_, err = db.StartSelfFreeze(ctx, "lin@example.com", "en")
	wantCode(t, err, okcare.ERATELIMITED)
	for i := 0; i < 2; i++ {
		if _, err := db.StartSelfFreeze(ctx, "nobody@example.com", "en"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.StartSelfFreeze(ctx, "nobody@example.com", "en")
	wantCode(t, err, okcare.ERATELIMITED)
	sent := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE event = 'self_freeze_code'`)
	clock.Advance(61 * time.Minute)
	if _, err := db.StartSelfFreeze(ctx, "lin@example.com", "en"); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE event = 'self_freeze_code'`); n != sent+1 {
		t.Fatalf("codes sent: %d, want %d", n, sent+1)
	}
	// No contact is kept in clear.
	if n := countRows(t, db, `SELECT COUNT(*) FROM self_service_requests WHERE contact_hash LIKE '%@%' OR contact_hash LIKE '%+86%'`); n != 0 {
		t.Fatal("a contact is stored in clear")
	}
	// Nor as a hash anyone could recompute from a list of phone numbers:
	// the hash is keyed with the secret key.
	unkeyed := sha256.Sum256([]byte("okcare self-service contact v1|lin@example.com"))
	var same int
	db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM self_service_requests WHERE contact_hash = ?`), hex.EncodeToString(unkeyed[:])).Scan(&same)
	if same != 0 {
		t.Fatal("a contact is stored as its unkeyed hash")
	}
}

// sentBody is the newest message of event to addr as its sender reads it
// (a sealed body opened), "" when there is none.
func sentBody(t *testing.T, db *sqldb.DB, event, addr string) string {
	t.Helper()
	var id string
	if err := db.SQL().QueryRow(db.Rebind(`SELECT id FROM notifications WHERE event = ? AND to_addr = ? ORDER BY created_at DESC, id DESC LIMIT 1`), event, addr).Scan(&id); err != nil {
		return ""
	}
	n, err := db.Notification(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return n.Body
}

func mustOutbox(t *testing.T, db *sqldb.DB) []*okcare.Notification {
	t.Helper()
	out, err := db.Outbox(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
