package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testChat(t *testing.T, db *sqldb.DB, clock *Clock) {
	_, _, err := db.OpenChat(ctx, okcare.NewTicket{Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	wantCode(t, err, okcare.EINVALID) // no way to reach them afterwards
	tk, tok, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "hua@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "一直转圈"}})
	if err != nil || tk.Channel != okcare.ChannelChat || len(tok) < 26 {
		t.Fatalf("OpenChat = %+v %q %v", tk, tok, err)
	}
	if got, err := db.ChatTicket(ctx, tok); err != nil || got.ID != tk.ID {
		t.Fatalf("ChatTicket = %v, %v", got, err)
	}
	_, err = db.ChatTicket(ctx, "okchat_forged")
	wantCode(t, err, okcare.EUNAUTHORIZED)
	if n := count(t, db, `SELECT COUNT(*) FROM chat_sessions WHERE token_hash = ?`, tok); n != 0 {
		t.Fatal("the chat token is stored in clear")
	}
	// Agents answer in the chat, not by mail.
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "您好，请问是什么手机？", true); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE event = 'ticket_reply' AND ticket_id = ?`, tk.ID); n != 0 {
		t.Fatalf("%d reply mails for a live chat", n)
	}
	clock.Advance(25 * time.Hour)
	_, err = db.ChatTicket(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)

	// A customer ending their chat rates it on the page: no survey mail.
	// An agent ending it may have lost them: the survey goes by mail.
	mine, _, _ := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "hua@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "好了，谢谢"}})
	theirs, _, _ := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "hua@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "还在吗"}})
	if _, err := db.SetTicketStatus(ctx, mine.ID, "contact", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetTicketStatus(ctx, theirs.ID, "agent:agt_1", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	survey := `SELECT COUNT(*) FROM notifications WHERE event = 'csat_survey' AND ticket_id = ?`
	if a, b := count(t, db, survey, mine.ID), count(t, db, survey, theirs.ID); a != 0 || b != 1 {
		t.Fatalf("survey mails: %d for a chat the customer ended, %d for one the agent ended; want 0 and 1", a, b)
	}
	if err := db.RateTicket(ctx, mine.ID, 5, ""); err != nil {
		t.Fatalf("rating the chat the customer ended: %v", err)
	}
}
