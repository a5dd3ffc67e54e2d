package storetest

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Tickets that arrive during an open incident are linked to it (unless
// they are about the customer's own account); resolving the incident tells
// each linked customer on the ticket and by mail, in their language.
func testIncidentLinking(t *testing.T, db *sqldb.DB, clock *Clock) {
	before, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "a@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	if before.IncidentID != "" {
		t.Fatalf("a ticket with no incident open is linked to %q", before.IncidentID)
	}
	inc := &okcare.Incident{Title: "部分用户无法登录", TitleEN: "Some users cannot sign in", Message: "正在排查", Severity: okcare.SeverityMajor, By: "agent:ops"}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	zh, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "b@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "一直转圈"}})
	en, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "c@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "cannot connect"}})
	frozen, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "d@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Category: "account_frozen", Intake: okcare.Intake{Description: "账户冻结"}})
	if zh.IncidentID != inc.ID || en.IncidentID != inc.ID || frozen.IncidentID != "" {
		t.Fatalf("links: zh %q en %q frozen %q, want %q %q \"\"", zh.IncidentID, en.IncidentID, frozen.IncidentID, inc.ID, inc.ID)
	}
	if got, _ := db.FindTicket(ctx, zh.ID); got.IncidentID != inc.ID {
		t.Fatalf("stored link %q", got.IncidentID)
	}
	// An agent links the frozen one after all, and unlinks the English one.
	if err := db.LinkTicketIncident(ctx, frozen.ID, inc.ID, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	if err := db.LinkTicketIncident(ctx, en.ID, "", "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.LinkTicketIncident(ctx, zh.ID, "inc_missing", "agent:agt_1"), okcare.ENOTFOUND)
	wantCode(t, db.LinkTicketIncident(ctx, "tkt_missing", inc.ID, "agent:agt_1"), okcare.ENOTFOUND)
	if log, _ := db.AuditLog(ctx, 5); !auditHas(log, "ticket.incident", "agent:agt_1") {
		t.Fatalf("linking not audited: %+v", log)
	}
	if _, err := db.SetTicketStatus(ctx, frozen.ID, "agent:agt_1", okcare.TicketClosed); err != nil {
		t.Fatal(err)
	}

	resolved := okcare.IncidentResolved
	if _, err := db.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{Status: &resolved, By: "agent:ops"}); err != nil {
		t.Fatal(err)
	}
	told := func(ticketID string) string {
		var body string
		db.SQL().QueryRow(`SELECT body FROM notifications WHERE event = 'incident_resolved' AND ticket_id = '` + ticketID + `'`).Scan(&body)
		return body
	}
	if body := told(zh.ID); !strings.Contains(body, "部分用户无法登录") || strings.Contains(body, "resolved") {
		t.Fatalf("zh customer told %q", body)
	}
	if told(en.ID) != "" || told(frozen.ID) != "" || told(before.ID) != "" {
		t.Fatal("a ticket not linked (or closed) was told")
	}
	msgs, _ := db.TicketMessages(ctx, zh.ID, false)
	if last := msgs[len(msgs)-1]; last.Author != "system" || !strings.Contains(last.Body, "已经解决") {
		t.Fatalf("no public message on the ticket: %+v", last)
	}
	// Resolving again tells nobody twice; a resolved incident takes no links.
	db.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{Message: ptr("复盘"), By: "agent:ops"})
	if n := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE event = 'incident_resolved'`); n != 1 {
		t.Fatalf("%d resolution notices, want 1", n)
	}
	wantCode(t, db.LinkTicketIncident(ctx, en.ID, inc.ID, "agent:agt_1"), okcare.ECONFLICT)
}

func ptr[T any](v T) *T { return &v }
