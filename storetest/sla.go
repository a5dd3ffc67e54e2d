package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testSLAScan(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.SLAAlertTo = "team@okwallet.example"
	due := clock.Now().Add(2 * time.Hour)
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "uma@example.com", Channel: okcare.ChannelMail, Lang: "en",
		Intake: okcare.Intake{Description: "help"}, FirstResponseDue: &due})
	if err != nil {
		t.Fatal(err)
	}
	answered, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "vic@example.com", Channel: okcare.ChannelMail, Lang: "en",
		Intake: okcare.Intake{Description: "help"}, FirstResponseDue: &due})
	db.ReplyAsAgent(ctx, answered.ID, "agt_1", "On it.", true)
	scan := func(after time.Duration) (int, int) {
		t.Helper()
		w, b, err := db.SLAScan(ctx, clock.Now().Add(after), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return w, b
	}
	if w, b := scan(0); w != 0 || b != 0 {
		t.Fatalf("two hours out: warned %d breached %d", w, b)
	}
	if w, b := scan(90 * time.Minute); w != 1 || b != 0 {
		t.Fatalf("within the hour: warned %d breached %d", w, b)
	}
	if w, b := scan(100 * time.Minute); w != 0 || b != 0 {
		t.Fatalf("a second scan warned again: %d %d", w, b)
	}
	if w, b := scan(3 * time.Hour); w != 0 || b != 1 {
		t.Fatalf("past due: warned %d breached %d", w, b)
	}
	if w, b := scan(4 * time.Hour); w != 0 || b != 0 {
		t.Fatalf("a second scan reported the breach again: %d %d", w, b)
	}
	notes, _ := db.TicketMessages(ctx, tk.ID, true)
	public, _ := db.TicketMessages(ctx, tk.ID, false)
	if len(notes)-len(public) != 2 {
		t.Fatalf("%d SLA notes, want a warning and a breach", len(notes)-len(public))
	}
	var alerts int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'sla_breach' AND to_addr = 'team@okwallet.example'`).Scan(&alerts)
	if alerts != 1 {
		t.Fatalf("%d breach mails to the team, want 1", alerts)
	}
	if notes, _ := db.TicketMessages(ctx, answered.ID, true); len(notes) != 2 { // intake and the reply only
		t.Fatalf("the answered ticket got SLA notes: %d messages", len(notes))
	}
}

// testSLAAlerts: warnings reach the agent who has the ticket; breaches the
// team mailbox as well; resolution targets are warned about too.
func testSLAAlerts(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.SLAAlertTo = "team@okwallet.example"
	agent := &okcare.Agent{Email: "ivy@okwallet.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, agent, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	db.SetAgentPresence(ctx, agent.ID, "online", 5, []string{"en"})
	first, resolve := clock.Now().Add(2*time.Hour), clock.Now().Add(10*time.Hour)
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "ned@example.com", Channel: okcare.ChannelMail, Lang: "en",
		Intake: okcare.Intake{Description: "help"}, FirstResponseDue: &first, ResolutionDue: &resolve})
	if a, _ := db.AssignTicket(ctx, tk.ID); a != agent.ID {
		t.Fatalf("assigned to %q", a)
	}
	mails := func(to, event string) int {
		return count(t, db, `SELECT COUNT(*) FROM notifications WHERE to_addr = ? AND event = ? AND ticket_id = ?`, to, event, tk.ID)
	}
	if w, b, _ := db.SLAScan(ctx, clock.Now().Add(90*time.Minute), time.Hour); w != 1 || b != 0 {
		t.Fatalf("first-response warning: %d %d", w, b)
	}
	if mails("ivy@okwallet.example", "sla_warning") != 1 || mails("team@okwallet.example", "sla_warning") != 0 {
		t.Fatal("the warning did not go to the assigned agent alone")
	}
	db.ReplyAsAgent(ctx, tk.ID, agent.ID, "Looking into it.", true)
	db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "still broken"}) // running again
	got, _ := db.FindTicket(ctx, tk.ID)
	w, b, _ := db.SLAScan(ctx, got.ResolutionDue.Add(-30*time.Minute), time.Hour)
	if w != 1 || b != 0 {
		t.Fatalf("resolution warning: %d %d", w, b)
	}
	if w, b, _ := db.SLAScan(ctx, got.ResolutionDue.Add(time.Minute), time.Hour); w != 0 || b != 1 {
		t.Fatalf("resolution breach: %d %d", w, b)
	}
	if mails("ivy@okwallet.example", "sla_warning") != 2 || mails("ivy@okwallet.example", "sla_breach") != 1 || mails("team@okwallet.example", "sla_breach") != 1 {
		t.Fatal("resolution alerts went to the wrong places")
	}
}
