package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testAssignment(t *testing.T, db *sqldb.DB, _ *Clock) {
	mk := func(email string) string {
		a := &okcare.Agent{Email: email, Role: okcare.RoleAgent}
		if err := db.CreateAgent(ctx, a, "staff-pass-123"); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	zh1, zh2, en := mk("zh1@okcare.example"), mk("zh2@okcare.example"), mk("en@okcare.example")
	away := mk("away@okcare.example")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.SetAgentPresence(ctx, zh1, sqldb.PresenceOnline, 2, []string{"zh-CN"}))
	must(db.SetAgentPresence(ctx, zh2, sqldb.PresenceOnline, 2, []string{"zh-CN", "en"}))
	must(db.SetAgentPresence(ctx, en, sqldb.PresenceOnline, 1, []string{"en"}))
	must(db.SetAgentPresence(ctx, away, sqldb.PresenceAway, 10, []string{"zh-CN", "en"}))
	wantCode(t, db.SetAgentPresence(ctx, zh1, "asleep", 0, nil), okcare.EINVALID)

	ticket := func(lang string) string {
		tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "c@example.com", Channel: okcare.ChannelWeb, Lang: lang, Intake: okcare.Intake{Description: "help"}})
		must(err)
		return tk.ID
	}
	assign := func(id string) string {
		t.Helper()
		a, err := db.AssignTicket(ctx, id)
		must(err)
		return a
	}
	// Chinese tickets rotate between the two online Chinese speakers until
	// both are full; the away agent never gets one.
	got := []string{assign(ticket("zh-CN")), assign(ticket("zh-CN")), assign(ticket("zh-CN")), assign(ticket("zh-CN"))}
	if got[0] == got[1] || got[0] != got[2] || got[1] != got[3] {
		t.Fatalf("not round-robin: %v", got)
	}
	for _, a := range got {
		if a != zh1 && a != zh2 {
			t.Fatalf("assigned to %s", a)
		}
	}
	if a := assign(ticket("zh-CN")); a != "" {
		t.Fatalf("assigned beyond capacity to %s", a)
	}
	// English: the English agent (capacity 1), then nobody (zh2 is full).
	first := ticket("en")
	if a := assign(first); a != en {
		t.Fatalf("English ticket to %s", a)
	}
	if a := assign(first); a != en {
		t.Fatal("assigning twice moved the ticket")
	}
	if a := assign(ticket("en")); a != "" {
		t.Fatalf("assigned beyond capacity to %s", a)
	}
	// The two waiting English tickets go to a second English speaker as
	// soon as they come online; the waiting Chinese one still has nobody.
	waiting := ticket("en")
	late := &okcare.Agent{Email: "late@okwallet.example", Role: okcare.RoleAgent}
	must(db.CreateAgent(ctx, late, "correct horse battery"))
	must(db.SetAgentPresence(ctx, late.ID, "online", 5, []string{"en"}))
	if n, err := db.AssignWaiting(ctx); err != nil || n != 2 {
		t.Fatalf("AssignWaiting assigned %d (%v), want the two waiting English tickets", n, err)
	}
	if a, _ := db.TicketAssignee(ctx, waiting); a != late.ID {
		t.Fatalf("the waiting ticket went to %q", a)
	}
	if n, _ := db.AssignWaiting(ctx); n != 0 {
		t.Fatalf("a second run assigned %d more", n)
	}
	// A supervisor reassigns, and it is audited.
	must(db.ReassignTicket(ctx, first, away, "sup_1"))
	if a, _ := db.TicketAssignee(ctx, first); a != away {
		t.Fatalf("reassigned to %s", a)
	}
	wantCode(t, db.ReassignTicket(ctx, first, "agt_nobody", "sup_1"), okcare.ENOTFOUND)
	log, _ := db.AuditLog(ctx, 5)
	if len(log) == 0 || log[0].Action != "ticket.reassign" {
		t.Fatalf("reassignment not audited: %+v", log)
	}
}
