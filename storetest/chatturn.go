package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testChatTurns: a live chat answered turn by turn stays open, its
// resolution clock running (sqldb/chatturn.go); quiet for two minutes
// after an agent's answer it waits on the customer from that answer,
// whether PendingScan gets there first or the customer's late line does;
// a status set by hand ends the wait; a mail ticket still goes pending at
// the answer.
func testChatTurns(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk := openChat(t, db, "turns@example.com", "钱包打不开")
	read := func() *okcare.Ticket {
		t.Helper()
		got, err := db.FindTicket(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	reply := func(clientID string) {
		t.Helper()
		if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", clientID, "请问是什么手机？", true); err != nil {
			t.Fatal(err)
		}
	}
	say := func(clientID string) {
		t.Helper()
		if _, err := db.AddChatMessages(ctx, []*okcare.TicketMessage{{TicketID: tk.ID, Author: "contact", Public: true, Body: "华为", ClientID: clientID}}); err != nil {
			t.Fatal(err)
		}
	}
	scan := func() {
		t.Helper()
		if _, _, err := db.PendingScan(ctx, clock.Now(), 5*24*time.Hour, 7*24*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	due := *read().ResolutionDue

	answered := clock.Now()
	reply("a-1")
	if got := read(); got.Status != okcare.TicketOpen || got.PausedSince != nil || got.FirstRespondedAt == nil || !got.FirstRespondedAt.Equal(answered) {
		t.Fatalf("answered live: %s, paused %v, responded %v; want open, not paused, responded %v", got.Status, got.PausedSince, got.FirstRespondedAt, answered)
	}
	clock.Advance(30 * time.Second)
	say("c-1")
	if got := read(); got.Status != okcare.TicketOpen || !got.ResolutionDue.Equal(due) {
		t.Fatalf("a turn of 30 s: %s, due %v; want open, due %v as before", got.Status, got.ResolutionDue, due)
	}

	// Quiet after an answer: pending from the answer, once the two minutes
	// have passed.
	clock.Advance(10 * time.Second)
	answered = clock.Now()
	reply("a-2")
	clock.Advance(time.Minute)
	scan()
	if got := read(); got.Status != okcare.TicketOpen {
		t.Fatalf("quiet for a minute: %s, want open", got.Status)
	}
	clock.Advance(time.Minute + time.Second)
	scan()
	if got := read(); got.Status != okcare.TicketPending || got.PausedSince == nil || !got.PausedSince.Equal(answered) {
		t.Fatalf("quiet for two minutes: %s, paused since %v; want pending since the answer %v", got.Status, got.PausedSince, answered)
	}
	clock.Advance(10 * time.Minute)
	say("c-2")
	cal := db.CalendarFor(okcare.ChannelChat) // the pause counts in the chat team's business time
	got := read()
	if want := cal.Add(due, cal.Between(answered, clock.Now())); got.Status != okcare.TicketOpen || got.PausedSince != nil || !got.ResolutionDue.Equal(want) {
		t.Fatalf("back after 12 minutes: %s, paused %v, due %v; want open, due %v (later by the pause since the answer)", got.Status, got.PausedSince, got.ResolutionDue, want)
	}
	due = *got.ResolutionDue

	// The customer's late line before the scan settles the same pause.
	answered = clock.Now()
	reply("a-3")
	clock.Advance(5 * time.Minute)
	say("c-3")
	got = read()
	if want := cal.Add(due, cal.Between(answered, clock.Now())); got.Status != okcare.TicketOpen || !got.ResolutionDue.Equal(want) {
		t.Fatalf("back after 5 minutes, no scan: %s, due %v; want open, due %v (later by the pause since the answer)", got.Status, got.ResolutionDue, want)
	}

	// A status set by hand ends the wait.
	reply("a-4")
	for _, status := range []string{okcare.TicketOnHold, okcare.TicketOpen} {
		if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", status); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(3 * time.Minute)
	scan()
	if got := read(); got.Status != okcare.TicketOpen {
		t.Fatalf("reopened by hand, then quiet: %s, want open", got.Status)
	}

	// Mail is answered as before: pending at once.
	mail, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "turns@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "钱包打不开"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReplyAsAgentOnce(ctx, mail.ID, "agt_1", "m-1", "请问是什么手机？", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, mail.ID); got.Status != okcare.TicketPending || got.PausedSince == nil {
		t.Fatalf("mail answered: %s, paused %v; want pending", got.Status, got.PausedSince)
	}
}
