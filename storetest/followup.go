package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testFollowUps(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "fay@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "闪退"}})
	db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved)
	for _, bad := range []struct {
		body string
		due  time.Time
	}{{"", clock.Now().Add(time.Hour)}, {"hi", clock.Now().Add(-time.Minute)}, {"hi", clock.Now().Add(91 * 24 * time.Hour)}} {
		_, err := db.ScheduleFollowUp(ctx, tk.ID, "agt_1", bad.body, bad.due)
		wantCode(t, err, okcare.EINVALID)
	}
	_, err := db.ScheduleFollowUp(ctx, "tkt_missing", "agt_1", "hi", clock.Now().Add(time.Hour))
	wantCode(t, err, okcare.ENOTFOUND)

	f, err := db.ScheduleFollowUp(ctx, tk.ID, "agt_1", "回访：钱包现在能正常打开吗？", clock.Now().Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	dropped, _ := db.ScheduleFollowUp(ctx, tk.ID, "agt_1", "second", clock.Now().Add(72*time.Hour))
	if err := db.CancelFollowUp(ctx, tk.ID, dropped.ID, "agt_1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CancelFollowUp(ctx, tk.ID, dropped.ID, "agt_1"), okcare.ECONFLICT)
	wantCode(t, db.CancelFollowUp(ctx, tk.ID, "fup_missing", "agt_1"), okcare.ENOTFOUND)

	if n, err := db.SendDueFollowUps(ctx, clock.Now().Add(71*time.Hour)); err != nil || n != 0 {
		t.Fatalf("sent %d early (%v)", n, err)
	}
	if n, err := db.SendDueFollowUps(ctx, clock.Now().Add(73*time.Hour)); err != nil || n != 1 {
		t.Fatalf("sent %d when due (%v), want 1", n, err)
	}
	if n, _ := db.SendDueFollowUps(ctx, clock.Now().Add(74*time.Hour)); n != 0 {
		t.Fatalf("sent again: %d", n)
	}
	list, _ := db.FollowUps(ctx, tk.ID)
	if len(list) != 2 || list[0].SentAt == nil && list[1].SentAt == nil {
		t.Fatalf("follow-ups %+v", list)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, false)
	if last := msgs[len(msgs)-1]; last.Body != f.Body || last.Author != "agent:agt_1" {
		t.Fatalf("last public message %+v", last)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketSolved {
		t.Fatalf("a follow-up changed the status to %s", got.Status)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE event = 'ticket_followup' AND to_addr = 'fay@example.com'`); n != 1 {
		t.Fatalf("%d follow-up mails", n)
	}
	// A ticket closed before the follow-up is due: it is canceled, not sent.
	late, _ := db.ScheduleFollowUp(ctx, tk.ID, "agt_1", "still there?", clock.Now().Add(100*time.Hour))
	db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketClosed)
	if n, _ := db.SendDueFollowUps(ctx, clock.Now().Add(101*time.Hour)); n != 0 {
		t.Fatal("a follow-up went out on a closed ticket")
	}
	if list, _ := db.FollowUps(ctx, tk.ID); list[len(list)-1].ID != late.ID || list[len(list)-1].CanceledAt == nil {
		t.Fatalf("the late follow-up was not canceled: %+v", list[len(list)-1])
	}
}
