package storetest

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Wallet cases: a customer's transactions name the other side; staff look
// a movement up by its id, its entry's id or its on-chain hash, with both
// sides named and their tickets, audited; one staff member freezes the
// account of a linked ticket at once (and it is signed out), while
// unfreezing still takes a verified customer and a second staff member.
func testWalletCases(t *testing.T, db *sqldb.DB, clock *Clock) {
	seedAssets(t, db)
	a := mustRegister(t, db, "an@example.com")
	b, err := db.Register(ctx, okcare.RegisterRequest{Phone: "+8613300000003", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	const hash = "0x9f2c7a1e4b8d6f0a3c5e7b9d1f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a"
	_, err = db.DepositFromChain(ctx, a.ID, "ETH", "1.5", "from chain", "0xnothex")
	wantCode(t, err, okcare.EINVALID)
	dep, err := db.DepositFromChain(ctx, a.ID, "ETH", "1.5", "from chain", strings.ToUpper(hash[2:]))
	if err != nil {
		t.Fatal(err)
	}
	db.Deposit(ctx, a.ID, "CNY", "100", "top-up")
	out, err := transfer(db, a.ID, b.ID, "CNY", "30", "w1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transfer(db, b.ID, a.ID, "CNY", "5", "w2"); err != nil {
		t.Fatal(err)
	}
	pay, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: a.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "12", IdempotencyKey: "w3", RequestHash: "w3"})
	if err != nil {
		t.Fatal(err)
	}

	list, _, err := db.Transactions(ctx, a.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tx := range list {
		got[tx.MovementID+"|"+tx.Minor.String()] = tx.Counterparty + "|" + tx.ChainTx
	}
	want := map[string]string{
		out.ID + "|-3000":                 "+86*******0003|",
		pay.ID + "|-1200":                 "Coffee|",
		dep.ID + "|" + dep.Minor.String(): "|" + strings.ToLower(hash[2:]),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("transaction %s: counterparty|chain %q, want %q (all %v)", k, got[k], v, got)
		}
	}
	received := false
	for _, tx := range list {
		received = received || (tx.Minor.String() == "500" && tx.Counterparty == "+86*******0003")
	}
	if !received {
		t.Errorf("money received does not name its sender: %v", got)
	}

	// Look-ups, by every reference staff may have.
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{UserID: b.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "收到一笔钱"}})
	for _, ref := range []string{out.ID, " " + out.EntryID + " "} {
		v, err := db.FindTransaction(ctx, ref, "agt_1")
		if err != nil || v.ID != out.ID || v.Amount != "30.00" || v.From.Contact != "a***@example.com" || v.To.Contact != "+86*******0003" ||
			len(v.To.Tickets) != 1 || v.To.Tickets[0].Number != tk.Number {
			t.Fatalf("look-up by %q: %+v %v", ref, v, err)
		}
	}
	v, err := db.FindTransaction(ctx, strings.ToUpper(hash[2:]), "agt_1")
	if err != nil || v.ID != dep.ID || v.From.Kind != "treasury" || v.To.ID != a.ID || v.ChainTx == "" {
		t.Fatalf("look-up by chain hash: %+v %v", v, err)
	}
	if v, err := db.FindTransaction(ctx, pay.ID, "agt_1"); err != nil || v.To.Kind != "merchant" || v.To.Name != "Coffee" {
		t.Fatalf("look-up of a payment: %+v %v", v, err)
	}
	for _, bad := range []string{"", "trf_nope", "hello", "123", hash + "0"} {
		_, err := db.FindTransaction(ctx, bad, "agt_1")
		wantCode(t, err, okcare.ENOTFOUND)
	}
	log, _ := db.AuditLog(ctx, 50)
	if !auditHas(log, "transaction.read", "agent:agt_1") {
		t.Fatal("look-ups are not audited")
	}

	// Freezing from a ticket: one staff member, at once.
	_, sessTok, _ := login(db, "an@example.com", "blue-kettle-42", "phone", "")
	unlinked, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "an@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "手机丢了"}})
	_, err = db.FreezeFromTicket(ctx, unlinked.ID, "agt_1", okcare.ReasonCustomerRequest)
	wantCode(t, err, okcare.EFORBIDDEN)
	linked, _ := db.CreateTicket(ctx, okcare.NewTicket{UserID: a.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "手机丢了"}})
	_, err = db.FreezeFromTicket(ctx, linked.ID, "agt_1", "because")
	wantCode(t, err, okcare.EINVALID)
	u, err := db.FreezeFromTicket(ctx, linked.ID, "agt_1", okcare.ReasonCustomerRequest)
	if err != nil || u.State != okcare.AccountFrozen || u.StateReason != okcare.ReasonCustomerRequest {
		t.Fatalf("freeze: %+v %v", u, err)
	}
	_, _, err = db.Authenticate(ctx, sessTok)
	wantCode(t, err, okcare.EUNAUTHORIZED)
	_, err = db.FreezeFromTicket(ctx, linked.ID, "agt_1", okcare.ReasonSuspiciousActivity)
	wantCode(t, err, okcare.ECONFLICT)
	log, _ = db.AuditLog(ctx, 50)
	if !auditHas(log, "account.state_change", "agent:agt_1") || !auditHas(log, "account.revoke_sessions", "agent:agt_1") {
		t.Fatal("the freeze is not audited")
	}
	msgs, _ := db.TicketMessages(ctx, linked.ID, true)
	noted := false
	for _, m := range msgs {
		noted = noted || (m.Note != nil && m.Note.Key == sqldb.NoteFrozenFromTicket && m.Note.Args["by"] == "agent:agt_1")
	}
	if !noted {
		t.Fatal("no note of the freeze on the ticket")
	}
	// Unfreezing: the same staff member cannot approve their own request.
	a2 := verifiedUnfreezeRequest(t, db, linked.ID)
	_, err = db.ApproveAction(ctx, a2.ID, "agt_1")
	wantCode(t, err, okcare.EFORBIDDEN)
	if _, err := db.ApproveAction(ctx, a2.ID, "sup_1"); err != nil {
		t.Fatal(err)
	}
}
