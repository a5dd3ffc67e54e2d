package http_test

import (
	"github.com/okcare/okcare/storetest"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

func TestVerifiedActionsAPI(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.agentLogin(t)
	for _, a := range []*okcare.Agent{{Email: "ann@okcare.example", Role: okcare.RoleAgent}, {Email: "sue@okcare.example", Role: okcare.RoleSupervisor}} {
		if err := ts.db.CreateAgent(t.Context(), a, "staff-pass-123"); err != nil {
			t.Fatal(err)
		}
	}
	agentToken := func(email string) string {
		return ts.staffToken(t, email, "staff-pass-123")
	}
	ann, sue := agentToken("ann@okcare.example"), agentToken("sue@okcare.example")

	// Chen (frozen in the demo) asks for help through a ticket made for him.
	chen, _ := ts.db.FindUserByLogin(t.Context(), "chen@demo.okwallet.example")
	tk, err := ts.db.CreateTicket(t.Context(), okcare.NewTicket{UserID: chen.ID, Channel: okcare.ChannelPhone, Lang: "zh-CN", Intake: okcare.Intake{Description: "账户被冻结"}})
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/agent/tickets/" + tk.ID
	if status, b, _ := ts.call(t, "POST", base+"/actions/unfreeze", ann, nil); status != 403 || errCode(b) != okcare.EFORBIDDEN {
		t.Fatalf("action before verification: %d %v", status, b)
	}
	status, v, _ := ts.call(t, "POST", base+"/verifications", ann, nil)
	if status != 201 || v["sent_to"] != "c***@demo.okwallet.example" {
		t.Fatalf("start: %d %v", status, v)
	}
	var body string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		body = nt.Body
		return nil
	}()
	code := regexp.MustCompile(`\d{6}`).FindString(body)
	if status, b, _ := ts.call(t, "POST", "/api/v1/agent/verifications/"+v["id"].(string)+"/confirm", ann, map[string]string{"code": code}); status != 200 || b["verified_at"] == nil {
		t.Fatalf("confirm: %d %v", status, b)
	}
	status, approval, _ := ts.call(t, "POST", base+"/actions/unfreeze", ann, nil)
	if status != 202 || approval["id"] == nil {
		t.Fatalf("unfreeze request: %d %v", status, approval)
	}
	approve := "/api/v1/agent/approvals/" + approval["id"].(string) + "/approve"
	if status, _, _ := ts.call(t, "POST", approve, ann, nil); status != 403 {
		t.Fatalf("an agent-role approval: %d", status)
	}
	if status, b, _ := ts.call(t, "POST", approve, sue, nil); status != 200 || b["approved_by"] == "" {
		t.Fatalf("supervisor approval: %d %v", status, b)
	}
	if u, _ := ts.db.FindUserByID(t.Context(), chen.ID); u.State != okcare.AccountActive {
		t.Fatalf("chen still %s", u.State)
	}
	status, view, _ := ts.call(t, "GET", base, admin, nil)
	if msgs, _ := view["messages"].([]any); status != 200 || len(msgs) < 4 {
		t.Fatalf("agent view lacks the internal notes: %d %v", status, view)
	}
	// The customer's own view never shows internal notes.
	if msgs, _ := ts.db.TicketMessages(t.Context(), tk.ID, false); len(msgs) != 1 {
		t.Fatalf("customer sees %d messages, want 1", len(msgs))
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/password-resets", "", `{"token":"okreset_forged","new_password":"another-pass-77"}`); status != 401 || errCode(b) != okcare.EUNAUTHORIZED {
		t.Fatalf("forged reset: %d %v", status, b)
	}
}

func TestAgentReplyAndSLABreach(t *testing.T) {
	ts := newTestServer(t)
	agent := ts.agentLogin(t)
	_, tk, _ := ts.call(t, "POST", "/api/v1/tickets", "", `{"lang":"en","contact_email":"guest@example.com","intake":{"description":"crash"}}`)
	if tk["first_response_due"] == nil {
		t.Fatalf("no first-response target: %v", tk)
	}
	path := "/api/v1/agent/tickets/" + tk["id"].(string)
	if _, v, _ := ts.call(t, "GET", path, agent, nil); v["first_response_breached"] != false {
		t.Fatalf("fresh ticket breached: %v", v)
	}
	ts.srv.Now = func() time.Time { return time.Now().Add(10 * 24 * time.Hour) } // ten days on, unanswered
	if _, v, _ := ts.call(t, "GET", path, agent, nil); v["first_response_breached"] != true {
		t.Fatalf("overdue ticket not breached: %v", v)
	}
	status, queue, _ := ts.call(t, "GET", "/api/v1/agent/tickets?status=new&lang=en", agent, nil)
	if list, _ := queue["tickets"].([]any); status != 200 || len(list) != 1 || list[0].(map[string]any)["first_response_breached"] != true {
		t.Fatalf("queue: %d %v", status, queue)
	}
	if status, b, _ := ts.call(t, "GET", "/api/v1/agent/tickets?status=lost", agent, nil); status != 400 || errCode(b) != okcare.EINVALID {
		t.Fatalf("bad queue filter: %d %v", status, b)
	}
	ts.srv.Now = time.Now
	if status, m, _ := ts.call(t, "POST", path+"/messages", agent, `{"body":"Please update to 5.3.0.","public":true}`); status != 201 || m["public"] != true {
		t.Fatalf("reply: %d %v", status, m)
	}
	if _, v, _ := ts.call(t, "GET", path, agent, nil); v["status"] != "pending" || v["first_responded_at"] == nil || v["first_response_breached"] != false {
		t.Fatalf("after the reply: %v", v)
	}
}

func TestSolveAndSurveyAPI(t *testing.T) {
	ts := newTestServer(t)
	agent := ts.agentLogin(t)
	_, tk, _ := ts.call(t, "POST", "/api/v1/tickets", "", `{"lang":"en","contact_email":"guest@example.com","intake":{"description":"crash"}}`)
	path := "/api/v1/agent/tickets/" + tk["id"].(string) + "/status"
	if status, b, _ := ts.call(t, "POST", path, agent, `{"status":"solved"}`); status != 200 || b["status"] != "solved" {
		t.Fatalf("solve: %d %v", status, b)
	}
	var body string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'csat_survey'`)
		body = nt.Body
		return nil
	}()
	tok := regexp.MustCompile(`okcsat_[A-Z2-7]+`).FindString(body)
	// The emailed link opens a page; answering it there needs its CSRF token.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(ts.URL + "/csat?lang=en&token=" + tok)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if resp.StatusCode != 200 || csrf == nil || !strings.Contains(string(page), "Rate our help") {
		t.Fatalf("survey page %d:\n%s", resp.StatusCode, page)
	}
	resp, err = client.PostForm(ts.URL+"/csat", url.Values{"lang": {"en"}, "csrf": {csrf[1]}, "token": {tok}, "rating": {"5"}, "comment": {"快速解决"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Thank you for your rating") {
		t.Fatalf("survey answer %d:\n%s", resp.StatusCode, page)
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/csat", "", `{"token":"`+tok+`","rating":1}`); status != 409 || errCode(b) != okcare.ECONFLICT {
		t.Fatalf("second answer: %d %v", status, b)
	}
	if status, _, _ := ts.call(t, "POST", path, "", `{"status":"closed"}`); status != 401 {
		t.Fatalf("anonymous status change: %d", status)
	}
}

func TestPresenceAssignmentAPI(t *testing.T) {
	ts := newTestServer(t)
	if err := ts.db.CreateAgent(t.Context(), &okcare.Agent{Email: "liang@okcare.example", Role: okcare.RoleAgent}, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	liang := ts.staffToken(t, "liang@okcare.example", "staff-pass-123")
	if status, b, _ := ts.call(t, "PUT", "/api/v1/agent/me/presence", liang, `{"presence":"asleep"}`); status != 400 || errCode(b) != okcare.EINVALID {
		t.Fatalf("bad presence: %d %v", status, b)
	}
	if status, _, _ := ts.call(t, "PUT", "/api/v1/agent/me/presence", liang, `{"presence":"online","capacity":5,"langs":["zh-CN"]}`); status != 204 {
		t.Fatalf("presence: %d", status)
	}
	_, tk, _ := ts.call(t, "POST", "/api/v1/tickets", "", `{"lang":"zh-CN","contact_email":"guest@example.com","intake":{"description":"闪退"}}`)
	if a, _ := ts.db.TicketAssignee(t.Context(), tk["id"].(string)); a == "" {
		t.Fatal("a new ticket was not assigned to the online agent")
	}
	admin := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+tk["id"].(string)+"/assign", liang, `{"agent_id":"x"}`); status != 403 {
		t.Fatalf("an agent reassigned: %d", status)
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+tk["id"].(string)+"/assign", admin, `{"agent_id":"agt_nobody"}`); status != 404 {
		t.Fatalf("reassign to nobody: %d %v", status, b)
	}
}
