package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/totp"
)

// alerts counts a user's alerts of an event, on every channel, and
// returns their bodies.
func alerts(t *testing.T, db *sqldb.DB, userID, event string) (int, string) {
	t.Helper()
	n, bodies := 0, ""
	for _, m := range mustOutbox(t, db) {
		if m.UserID == userID && m.Event == event {
			bodies += m.Body + "\n"
			n++
		}
	}
	return n, bodies
}

// Money leaving an account alerts its owner, on every contact, in the
// same transaction as the movement: the first payment to a recipient, and
// any above the asset's threshold. Later payments to a known recipient
// under it, deposits, replays and refused movements do not; in a batch a
// recipient paid earlier in the batch is known. A recovery code used at
// sign-in is alerted too, with the codes left.
func testMoneyAlerts(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.PublicURL = "https://help.okwallet.example"
	seedAssets(t, db)
	a, err := db.Register(ctx, okcare.RegisterRequest{Email: "ping@example.com", Phone: "+8613500000005", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	b, c := mustRegister(t, db, "bin@example.com"), mustRegister(t, db, "cai@example.com")
	if _, err := db.Deposit(ctx, a.ID, "CNY", "20000", "top-up"); err != nil {
		t.Fatal(err)
	}
	if n, _ := alerts(t, db, a.ID, okcare.EventSentToNewRecipient); n != 0 {
		t.Fatal("a deposit alerted")
	}

	if _, err := transfer(db, a.ID, b.ID, "CNY", "10", "t1"); err != nil {
		t.Fatal(err)
	}
	n, body := alerts(t, db, a.ID, okcare.EventSentToNewRecipient)
	if n != 2 || !strings.Contains(body, "10.00 CNY") || !strings.Contains(body, "b***@example.com") || !strings.Contains(body, "https://help.okwallet.example/support/freeze") {
		t.Fatalf("the first payment to b: %d alerts, %q", n, body)
	}
	if n, _ := alerts(t, db, b.ID, okcare.EventSentToNewRecipient); n != 0 {
		t.Fatal("the recipient was alerted")
	}
	if _, err := transfer(db, a.ID, b.ID, "CNY", "10", "t1"); err != nil { // a replay
		t.Fatal(err)
	}
	if _, err := transfer(db, a.ID, b.ID, "CNY", "20", "t2"); err != nil {
		t.Fatal(err)
	}
	_, err = transfer(db, a.ID, c.ID, "CNY", "99999", "t3") // refused: insufficient funds
	wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	if n, _ := alerts(t, db, a.ID, okcare.EventSentToNewRecipient); n != 2 {
		t.Fatalf("%d new-recipient alerts after a replay, a known recipient and a refusal", n/2)
	}
	if _, err := transfer(db, a.ID, b.ID, "CNY", "6000", "t4"); err != nil {
		t.Fatal(err)
	}
	if n, body := alerts(t, db, a.ID, okcare.EventSentLargeAmount); n != 2 || !strings.Contains(body, "6000.00 CNY") {
		t.Fatalf("a large payment to a known recipient: %d %q", n, body)
	}
	if _, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: a.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "30", IdempotencyKey: "p1", RequestHash: "p1"}); err != nil {
		t.Fatal(err)
	}
	if n, body := alerts(t, db, a.ID, okcare.EventSentToNewRecipient); n != 4 || !strings.Contains(body, "Coffee") {
		t.Fatalf("the first payment to a merchant: %d %q", n, body)
	}

	// A batch: c is new for the first movement only, b is known from
	// before the batch (by id or by email).
	req := func(to, amount, key string) okcare.MovementRequest {
		return okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: a.ID, ToUser: to, Asset: "CNY", Amount: amount, IdempotencyKey: key, RequestHash: fmt.Sprintf("%s|CNY|%s", to, amount)}
	}
	_, errs, err := db.MoveBatch(ctx, []okcare.MovementRequest{req(c.ID, "1", "b1"), req(c.ID, "2", "b2"), req(b.ID, "3", "b3"), req("bin@example.com", "4", "b4")})
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] != nil || errs[3] != nil {
		t.Fatalf("batch: %v %v", err, errs)
	}
	if n, body := alerts(t, db, a.ID, okcare.EventSentToNewRecipient); n != 6 || !strings.Contains(body, "1.00 CNY") || strings.Contains(body, "2.00 CNY") ||
		strings.Contains(body, "3.00 CNY") || strings.Contains(body, "4.00 CNY") {
		t.Fatalf("after the batch: %d %q", n, body)
	}

	// The threshold is the deployment's.
	db.MoneyAlertOver = map[string]string{"CNY": "1.50"}
	if _, err := transfer(db, a.ID, b.ID, "CNY", "2", "t5"); err != nil {
		t.Fatal(err)
	}
	if n, _ := alerts(t, db, a.ID, okcare.EventSentLargeAmount); n != 4 {
		t.Fatalf("a threshold of 1.50 CNY did not alert 2 CNY: %d", n)
	}
	db.MoneyAlertOver = nil

	// A recovery code at sign-in.
	enr, _ := db.BeginTOTP(ctx, a.ID, "blue-kettle-42")
	codes, err := db.ConfirmTOTP(ctx, a.ID, mustTOTP(t, enr.Secret, clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(totp.Period * time.Second)
	if _, _, err := login(db, "ping@example.com", "blue-kettle-42", "phone", mustTOTP(t, enr.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if n, _ := alerts(t, db, a.ID, okcare.EventRecoveryCodeUsed); n != 0 {
		t.Fatal("a TOTP code was alerted as a recovery code")
	}
	if _, _, err := login(db, "ping@example.com", "blue-kettle-42", "laptop", codes[3]); err != nil {
		t.Fatal(err)
	}
	if n, body := alerts(t, db, a.ID, okcare.EventRecoveryCodeUsed); n != 2 || !strings.Contains(body, "9") || !hasHan(body) {
		t.Fatalf("recovery code used: %d %q", n, body)
	}
}

func mustTOTP(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.Code(secret, at, 6)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
