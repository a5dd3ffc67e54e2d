package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

// The console for wallet cases: the search box finds a ticket by number
// and a transaction by id or on-chain hash, with both sides named; the
// ticket's wallet lists the counterparty of each transaction; the agent
// freezes the linked account from the ticket at once, and the same
// agent cannot unfreeze it alone.
func TestConsoleWalletCases(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "li@okcare.example", okcare.RoleAgent)
	alice, _ := ts.db.FindUserByLogin(ctx, "alice@demo.okwallet.example")
	bob, _ := ts.db.FindUserByLogin(ctx, "bob@demo.okwallet.example")
	out, err := ts.db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: alice.ID, ToUser: bob.ID, Asset: "CNY", Amount: "66.00", IdempotencyKey: "c1", RequestHash: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: alice.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "转账没到账"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("li@okcare.example", "staff-pass-123")

	if status, _, h := agent.get("/console/search?q=%23" + itoa(tk.Number)); status != http.StatusSeeOther || h.Get("Location") != "/console/tickets/"+tk.ID {
		t.Fatalf("ticket number: %d %v", status, h)
	}
	status, page, _ := agent.get("/console/search?lang=zh-CN&q=" + out.ID)
	if status != 200 || !strings.Contains(page, `id="transaction"`) || !strings.Contains(page, "66.00 CNY") || !strings.Contains(page, "b***@demo.okwallet.example") {
		t.Fatalf("by id: %d", status)
	}
	// The demo's crypto deposits came from a chain: found by their hash.
	list, _, _ := ts.db.Transactions(ctx, alice.ID, 0, 50)
	hash := ""
	for _, tx := range list {
		if tx.ChainTx != "" {
			hash = tx.ChainTx
		}
	}
	if hash == "" {
		t.Fatal("no demo deposit has an on-chain hash")
	}
	status, page, _ = agent.get("/console/search?lang=zh-CN&q=" + url.QueryEscape(strings.ToUpper(hash)))
	if status != 200 || !strings.Contains(page, `id="tx-chain"`) || !strings.Contains(page, "OK 钱包（充值）") {
		t.Fatalf("by chain hash: %d", status)
	}
	if status, page, _ := agent.get("/console/search?lang=zh-CN&q=trf_nothing"); status != 404 || !strings.Contains(page, `id="search-none"`) {
		t.Fatalf("nothing: %d", status)
	}

	_, page, _ = agent.get("/console/tickets/" + tk.ID + "?lang=zh-CN")
	if !regexp.MustCompile(`付给 b\*\*\*@demo\.okwallet\.example`).MatchString(page) || !strings.Contains(page, `id="freeze-form"`) {
		t.Fatal("the wallet lacks the counterparty or the freeze form")
	}
	if status, body, _ := agent.post("/console/tickets/"+tk.ID+"/freeze", url.Values{"reason": {"customer_request"}}); status != http.StatusSeeOther {
		t.Fatalf("freeze: %d %s", status, body)
	}
	if u, _ := ts.db.FindUserByID(ctx, alice.ID); u.State != okcare.AccountFrozen || u.StateReason != okcare.ReasonCustomerRequest {
		t.Fatalf("after the freeze: %s %s", u.State, u.StateReason)
	}
	_, page, _ = agent.get("/console/tickets/" + tk.ID + "?lang=zh-CN")
	if strings.Contains(page, `id="freeze-form"`) || !strings.Contains(page, "冻结了账户") {
		t.Fatal("a frozen account still offers the freeze, or the note is missing")
	}

	// The API: one agent freezes; the lookup answers JSON.
	tok := ts.staffToken(t, "li@okcare.example", "staff-pass-123")
	bobTicket, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: bob.ID, Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "phone stolen"}})
	if status, body, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+bobTicket.ID+"/actions/freeze", tok, map[string]string{"reason": "nope"}); status != 400 || errCode(body) != okcare.EINVALID {
		t.Fatalf("bad reason: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+bobTicket.ID+"/actions/freeze", tok, map[string]string{"reason": "customer_request"}); status != 200 || body["state"] != "frozen" {
		t.Fatalf("freeze: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "GET", "/api/v1/agent/transactions/"+out.EntryID, tok, nil); status != 200 || body["id"] != out.ID {
		t.Fatalf("lookup: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/agent/transactions/"+out.ID, "", nil); status != http.StatusUnauthorized {
		t.Fatalf("lookup without a session: %d", status)
	}
	// The customer's API names the counterparty too.
	eve, err := ts.db.Register(ctx, okcare.RegisterRequest{Email: "eve@demo.okwallet.example", Password: "river-stone-2027"})
	if err != nil {
		t.Fatal(err)
	}
	ts.db.Deposit(ctx, eve.ID, "CNY", "10", "")
	if _, err := ts.db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: eve.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "3", IdempotencyKey: "e1", RequestHash: "e1"}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", map[string]any{"login": "eve@demo.okwallet.example", "password": "river-stone-2027", "device": testDevice})
	status, body, _ = ts.call(t, "GET", "/api/v1/me/transactions", body["token"].(string), nil)
	if status != 200 || !strings.Contains(mustJSON(body), `"counterparty":"街角咖啡 Corner Coffee"`) {
		t.Fatalf("eve's transactions: %d %v", status, body)
	}
}
