package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// A live chat's turns at their edges (sqldb/chatturn.go); the cases were
// first written by a reviewer who had not written the rule, each failing
// on its first version.

// testChatTurnMacroOpen: a macro whose reply leaves a live chat open and
// which sets it open is a status set by hand: the wait its reply began
// ends, and the chat stays open.
func testChatTurnMacroOpen(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk := openChat(t, db, "macro-open@example.com", "钱包打不开")
	m := &okcare.Macro{Name: "keep open", Lang: "zh-CN", Body: "我们正在查看", SetStatus: okcare.TicketOpen, CreatedBy: "agent:sup"}
	if err := db.CreateMacro(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApplyMacro(ctx, tk.ID, "agt_1", m.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3 * time.Minute)
	if _, _, err := db.PendingScan(ctx, clock.Now(), 5*24*time.Hour, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketOpen {
		t.Fatalf("a macro that set the chat open left it %s 3 minutes later", got.Status)
	}
}

// testChatTurnStatusBeforeScan: quiet for longer than chatQuietAfter after
// an answer, a chat put on hold by hand before the scan came is paused
// from the answer, as the customer's late line would have it.
func testChatTurnStatusBeforeScan(t *testing.T, db *sqldb.DB, clock *Clock) {
	a, b := openChat(t, db, "sbs-a@example.com", "钱包打不开"), openChat(t, db, "sbs-b@example.com", "钱包打不开")
	for _, tk := range []*okcare.Ticket{a, b} {
		if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-1", "请问是什么手机？", true); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(150 * time.Second)
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: a.ID, Author: "contact", Public: true, Body: "华为"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetTicketStatus(ctx, b.ID, "agent:agt_1", okcare.TicketOnHold); err != nil {
		t.Fatal(err)
	}
	ga, _ := db.FindTicket(ctx, a.ID)
	gb, _ := db.FindTicket(ctx, b.ID)
	if !ga.ResolutionDue.Equal(*gb.ResolutionDue) {
		t.Fatalf("the same 150 s quiet after an answer: due %v after the customer's line, %v after a status set by hand", ga.ResolutionDue, gb.ResolutionDue)
	}
}

// testChatTurnBreachInGrace: a resolution target passing in the minutes
// after a live chat's answer is not reported while the chat may yet be
// paused from the answer; it is, once the customer spoke within
// chatQuietAfter (the clock ran through the target).
func testChatTurnBreachInGrace(t *testing.T, db *sqldb.DB, clock *Clock) {
	open := func(email string) *okcare.Ticket {
		tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: email, Lang: "zh-CN", Priority: okcare.PriorityUrgent, Intake: okcare.Intake{Description: "急"}})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	quiet, talking := open("grace-quiet@example.com"), open("grace-talking@example.com")
	due := *quiet.ResolutionDue
	if !talking.ResolutionDue.Equal(due) {
		t.Fatalf("twin chats due %v and %v", due, *talking.ResolutionDue)
	}
	clock.Advance(due.Sub(clock.Now()) - 30*time.Second)
	for _, tk := range []*okcare.Ticket{quiet, talking} {
		if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "在查", true); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Minute) // 30 s past the target
	if _, b, err := db.SLAScan(ctx, clock.Now(), time.Minute); err != nil || b != 0 {
		t.Fatalf("30 s past the target, a minute after the answers: %d breaches, %v; want none yet", b, err)
	}
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: talking.ID, Author: "contact", Public: true, Body: "好的"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(90 * time.Second) // the quiet chat is paused from its answer, before the target
	if _, b, err := db.SLAScan(ctx, clock.Now(), time.Minute); err != nil || b != 1 {
		t.Fatalf("after the customer spoke on one: %d breaches, %v; want that one", b, err)
	}
	if got, _ := db.FindTicket(ctx, quiet.ID); got.Status != okcare.TicketPending || got.ResolutionBreached(clock.Now()) {
		t.Fatalf("the quiet chat: %s, breached %v; want pending, not breached", got.Status, got.ResolutionBreached(clock.Now()))
	}
}

// testChatTurnAfterScan: an agent answering again a chat the scan made
// pending settles the pause so far and pauses again from the new answer,
// as for any pending ticket; a wait left on a ticket that is no longer a
// live chat's (its status changed behind the rule's back) is dropped by
// the scan, which changes nothing else.
func testChatTurnAfterScan(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk := openChat(t, db, "after-scan@example.com", "钱包打不开")
	answered := clock.Now()
	if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-1", "请问是什么手机？", true); err != nil {
		t.Fatal(err)
	}
	due := *tk.ResolutionDue
	clock.Advance(3 * time.Minute)
	if _, _, err := db.PendingScan(ctx, clock.Now(), 5*24*time.Hour, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	again := clock.Now()
	if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-2", "还在吗？", true); err != nil {
		t.Fatal(err)
	}
	cal := db.CalendarFor(okcare.ChannelChat)
	got, _ := db.FindTicket(ctx, tk.ID)
	if want := cal.Add(due, cal.Between(answered, again)); got.Status != okcare.TicketPending || got.PausedSince == nil || !got.PausedSince.Equal(again) || !got.ResolutionDue.Equal(want) {
		t.Fatalf("answered again once pending: %s, paused since %v, due %v; want pending since %v, due %v", got.Status, got.PausedSince, got.ResolutionDue, again, want)
	}

	stale := openChat(t, db, "stale-wait@example.com", "钱包打不开")
	if _, err := db.ReplyAsAgentOnce(ctx, stale.ID, "agt_1", "a-1", "您好", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE tickets SET status = 'on_hold' WHERE id = ?`), stale.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3 * time.Minute)
	if _, _, err := db.PendingScan(ctx, clock.Now(), 5*24*time.Hour, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, stale.ID); got.Status != okcare.TicketOnHold || got.PausedSince != nil {
		t.Fatalf("a stale wait on a ticket on hold: %s, paused %v; want on hold, untouched", got.Status, got.PausedSince)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets WHERE id = ? AND chat_awaiting_since IS NULL`, stale.ID); n != 1 {
		t.Fatal("the scan left the stale wait")
	}
}
