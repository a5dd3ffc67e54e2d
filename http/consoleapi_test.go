package http_test

import (
	"context"
	"github.com/okcare/okcare/storetest"
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

func TestConsoleAPI(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	agent, boss := ts.staffToken(t, "agent@okcare.example", "staff-pass-123"), ts.agentLogin(t)
	chen, _ := ts.db.FindUserByLogin(ctx, "chen@demo.okwallet.example")
	tk, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: chen.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "冻结"}})
	base := "/api/v1/agent/tickets/" + tk.ID

	status, cc, _ := ts.call(t, "GET", base+"/context", agent, nil)
	if status != 200 || cc["match"] != "account" || cc["user"].(map[string]any)["state"] != "frozen" || len(cc["balances"].([]any)) == 0 {
		t.Fatalf("context: %d %v", status, cc)
	}
	if bal := cc["balances"].([]any)[0].(map[string]any); bal["amount"] == nil {
		t.Fatalf("balances without amounts: %v", bal)
	}

	// Macros: supervisors write them, agents apply them.
	macro := map[string]any{"name": "已解冻", "lang": "zh-CN", "body": "#{number} 已解冻", "set_status": "solved", "tags": []string{"unfrozen"}}
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/macros", agent, macro); status != 403 {
		t.Fatalf("agent created a macro: %d", status)
	}
	status, m, _ := ts.call(t, "POST", "/api/v1/agent/macros", boss, macro)
	if status != 201 {
		t.Fatalf("create macro: %d %v", status, m)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/macros", boss, macro); status != 409 {
		t.Fatalf("duplicate macro: %d", status)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/macros", boss, map[string]any{"name": "x", "lang": "fr", "body": "x"}); status != 400 {
		t.Fatalf("bad macro: %d", status)
	}
	if _, list, _ := ts.call(t, "GET", "/api/v1/agent/macros", agent, nil); len(list["macros"].([]any)) != 1 {
		t.Fatalf("macros %v", list)
	}
	status, got, _ := ts.call(t, "POST", base+"/macros/"+m["id"].(string), agent, nil)
	if status != 200 || got["status"] != "solved" {
		t.Fatalf("apply: %d %v", status, got)
	}
	status, got, _ = ts.call(t, "POST", base+"/tags", agent, map[string]any{"tags": []string{"VIP"}})
	if status != 200 || !strings.Contains(mustJSON(got["tags"]), "vip") {
		t.Fatalf("tags: %d %v", status, got)
	}
	if status, _, _ := ts.call(t, "POST", base+"/tags", agent, map[string]any{"tags": []string{"<b>"}}); status != 400 {
		t.Fatalf("bad tag: %d", status)
	}

	status, got, _ = ts.call(t, "POST", base+"/priority", agent, map[string]any{"priority": "urgent"})
	if status != 200 || got["priority"] != "urgent" {
		t.Fatalf("priority: %d %v", status, got)
	}
	if status, _, _ := ts.call(t, "POST", base+"/priority", agent, map[string]any{"priority": "asap"}); status != 400 {
		t.Fatalf("bad priority: %d", status)
	}

	// Team and reports: supervisors only.
	if status, _, _ := ts.call(t, "GET", "/api/v1/agent/reports", agent, nil); status != 403 {
		t.Fatalf("agent report: %d", status)
	}
	status, rep, _ := ts.call(t, "GET", "/api/v1/agent/reports?days=7", boss, nil)
	if status != 200 || rep["tickets"].(float64) != 1 || rep["by_channel"].(map[string]any)["api"].(float64) != 1 {
		t.Fatalf("report: %d %v", status, rep)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/agent/reports?days=0", boss, nil); status != 400 {
		t.Fatalf("bad days: %d", status)
	}
	if status, team, _ := ts.call(t, "GET", "/api/v1/agent/team", boss, nil); status != 200 || len(team["agents"].([]any)) != 2 {
		t.Fatalf("team: %d %v", status, team)
	}
}

// A stranger typing a customer's email learns nothing through the agent:
// the context is a candidate with no wallet until the code sent to the
// registered address is read back; then the ticket is linked.
func TestConsoleAPICandidateThenLinked(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	agent := ts.agentLogin(t)
	tk, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "chen@demo.okwallet.example", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	base := "/api/v1/agent/tickets/" + tk.ID
	status, cc, _ := ts.call(t, "GET", base+"/context", agent, nil)
	raw := mustJSON(cc)
	if status != 200 || cc["match"] != "candidate" || cc["user"] != nil || len(cc["balances"].([]any)) != 0 || len(cc["sessions"].([]any)) != 0 {
		t.Fatalf("candidate context: %d %s", status, raw)
	}
	if strings.Contains(raw, "chen@") {
		t.Fatalf("the candidate context shows the account's address: %s", raw)
	}
	status, v, _ := ts.call(t, "POST", base+"/verifications", agent, nil)
	if status != 201 || v["sent_to"] != "c***@demo.okwallet.example" {
		t.Fatalf("verify: %d %v", status, v)
	}
	var to, mail string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		to, mail = nt.To, nt.Body
		return nil
	}()
	if to != "chen@demo.okwallet.example" {
		t.Fatalf("code went to %q", to)
	}
	code := regexp.MustCompile(`\d{6}`).FindString(mail)
	if status, b, _ := ts.call(t, "POST", "/api/v1/agent/verifications/"+v["id"].(string)+"/confirm", agent, map[string]string{"code": code}); status != 200 {
		t.Fatalf("confirm: %d %v", status, b)
	}
	status, cc, _ = ts.call(t, "GET", base+"/context", agent, nil)
	if status != 200 || cc["match"] != "account" || cc["user"] == nil || len(cc["balances"].([]any)) == 0 {
		t.Fatalf("linked context: %d %v", status, cc)
	}
	if _, tj, _ := ts.call(t, "GET", base, agent, nil); tj["linked_by"] != "verified_contact" {
		t.Fatalf("ticket linked_by %v", tj["linked_by"])
	}
}

// Agents say which open incident a ticket is about; the customer's page
// names it in their language.
func TestLinkTicketToIncident(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	agent := ts.agentLogin(t)
	inc := &okcare.Incident{Title: "行情服务中断", TitleEN: "Market data outage", Message: "处理中", Severity: okcare.SeverityMinor}
	if err := ts.db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	tk, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "q@example.com", Channel: okcare.ChannelWeb, Lang: "en", Category: "account_frozen", Intake: okcare.Intake{Description: "frozen?"}})
	base := "/api/v1/agent/tickets/" + tk.ID + "/incident"
	if status, _, _ := ts.call(t, "POST", base, agent, map[string]any{}); status != 400 {
		t.Fatalf("no incident_id: %d", status)
	}
	if status, _, _ := ts.call(t, "POST", base, "", map[string]any{"incident_id": inc.ID}); status != 401 {
		t.Fatalf("anonymous: %d", status)
	}
	status, got, _ := ts.call(t, "POST", base, agent, map[string]any{"incident_id": inc.ID})
	if status != 200 || got["incident_id"] != inc.ID {
		t.Fatalf("link: %d %v", status, got)
	}
	c := newConsoleClient(t, ts)
	_, page, _ := c.get(ackLink(t, ts, tk.ID) + "?lang=en")
	if !strings.Contains(page, `id="ticket-incident"`) || !strings.Contains(page, "Market data outage") {
		t.Fatal("the customer's page does not name the incident")
	}
	if status, got, _ := ts.call(t, "POST", base, agent, map[string]any{"incident_id": ""}); status != 200 || got["incident_id"] != nil {
		t.Fatalf("unlink: %d %v", status, got)
	}
}
