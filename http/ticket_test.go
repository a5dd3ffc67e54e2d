package http_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

func TestTicketAPI(t *testing.T) {
	ts := newTestServer(t)
	alice := ts.login(t, "alice@demo.okwallet.example")
	bob := ts.login(t, "bob@demo.okwallet.example")
	_, diag, _ := ts.call(t, "POST", "/api/v1/diagnose", alice, `{"lang":"zh-CN","description":"提示无法连接服务器","network":{"type":"none"}}`)
	body := `{"lang":"zh-CN","intake":{"description":"还是打不开","steps_tried":["network","reinstall"],"diagnosis_id":"` + diag["id"].(string) + `"}}`
	status, tk, _ := ts.call(t, "POST", "/api/v1/tickets", alice, body, "Idempotency-Key", "tk-1")
	if status != 201 || tk["category"] != "network_offline" || tk["status"] != "new" || tk["reply_by"] == nil || tk["intake"].(map[string]any)["diagnosis"] == nil {
		t.Fatalf("create: %d %v", status, tk)
	}
	if status, again, _ := ts.call(t, "POST", "/api/v1/tickets", alice, body, "Idempotency-Key", "tk-1"); status != 201 || again["id"] != tk["id"] {
		t.Fatalf("repeat: %d %v", status, again)
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/tickets", alice, strings.Replace(body, "还是", "依然", 1), "Idempotency-Key", "tk-1"); status != 409 || errCode(b) != okcare.EIDEMPOTENCYMISMATCH {
		t.Fatalf("mismatch: %d %v", status, b)
	}
	// Bob can neither attach alice's diagnosis nor read her ticket, by id or by listing.
	if status, b, _ := ts.call(t, "POST", "/api/v1/tickets", bob, body); status != 400 || errCode(b) != okcare.EINVALID {
		t.Fatalf("bob attached alice's diagnosis: %d %v", status, b)
	}
	id := tk["id"].(string)
	for _, path := range []string{"/api/v1/me/tickets/" + id, "/api/v1/me/tickets/tkt_guessed"} {
		if status, b, _ := ts.call(t, "GET", path, bob, nil); status != 404 {
			t.Fatalf("bob read %s: %d %v", path, status, b)
		}
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/me/tickets/"+id+"/messages", bob, `{"body":"hi"}`); status != 404 {
		t.Fatalf("bob replied to alice's ticket: %d", status)
	}
	if _, list, _ := ts.call(t, "GET", "/api/v1/me/tickets", bob, nil); len(list["tickets"].([]any)) != 0 {
		t.Fatalf("bob lists alice's tickets: %v", list)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/me/tickets/"+id+"/messages", alice, `{"body":"换了网络也不行 <b>bold</b>"}`); status != 201 {
		t.Fatalf("reply: %d", status)
	}
	status, mine, _ := ts.call(t, "GET", "/api/v1/me/tickets/"+id, alice, nil)
	if msgs, _ := mine["messages"].([]any); status != 200 || len(msgs) != 2 {
		t.Fatalf("own ticket: %d %v", status, mine)
	}
	// The transcript: her own messages and public replies, not internal notes.
	ts.db.ReplyAsAgent(t.Context(), id, "agt_1", "internal: user on flaky wifi", false)
	ts.db.ReplyAsAgent(t.Context(), id, "agt_1", "请切换到移动数据后再试。", true)
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/me/tickets/"+id+"/transcript", nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(raw)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(text, "还是打不开") || !strings.Contains(text, "请切换到移动数据后再试。") || strings.Contains(text, "flaky wifi") {
		t.Fatalf("transcript %d %v:\n%s", resp.StatusCode, resp.Header, text)
	}
	// In the ticket's language: who wrote, and the channel, in words.
	if !strings.Contains(text, "OK 钱包工单 #") || !strings.Contains(text, "渠道：应用内") || !strings.Contains(text, "--- OK 钱包客服,") || !strings.Contains(text, "--- 您,") ||
		strings.Contains(text, "via api") || strings.Contains(text, "You") {
		t.Fatalf("transcript not in the ticket's language:\n%s", text)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/me/tickets/"+id+"/transcript", bob, nil); status != 404 {
		t.Fatalf("bob downloaded alice's transcript: %d", status)
	}
	// Anonymous tickets need a way to reach the customer.
	if status, b, _ := ts.call(t, "POST", "/api/v1/tickets", "", `{"lang":"en","intake":{"description":"crash"}}`); status != 400 || errCode(b) != okcare.EINVALID {
		t.Fatalf("anonymous without contact: %d %v", status, b)
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/tickets", "", `{"lang":"en","contact_email":"guest@example.com","intake":{"description":"crash"}}`); status != 201 || b["number"] == nil {
		t.Fatalf("anonymous: %d %v", status, b)
	}
}
