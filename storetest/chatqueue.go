package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testChatQueue: a waiting chat customer learns how many chats wait before
// them in their line and how many agents speaking their language are
// online; agents see unread chats; an ended chat is rated once.
func testChatQueue(t *testing.T, db *sqldb.DB, clock *Clock) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	agent := &okcare.Agent{Email: "chat@okcare.example", Role: okcare.RoleAgent}
	must(db.CreateAgent(ctx, agent, "staff-pass-123"))
	away := &okcare.Agent{Email: "away@okcare.example", Role: okcare.RoleAgent}
	must(db.CreateAgent(ctx, away, "staff-pass-123"))
	must(db.SetAgentPresence(ctx, agent.ID, sqldb.PresenceOnline, 5, []string{"zh-CN"}))
	must(db.SetAgentPresence(ctx, away.ID, sqldb.PresenceAway, 5, []string{"zh-CN", "en"}))

	open := func(lang string) *okcare.Ticket {
		t.Helper()
		clock.Advance(time.Minute)
		tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "wait@example.com", Lang: lang, Intake: okcare.Intake{Description: "在吗"}})
		must(err)
		return tk
	}
	queue := func(tk *okcare.Ticket) okcare.ChatQueue {
		t.Helper()
		q, err := db.ChatQueue(ctx, tk.ID)
		must(err)
		return q
	}
	a, b, c := open("zh-CN"), open("zh-CN"), open("zh-CN")
	if q := queue(c); q.Ahead != 2 || q.AgentsOnline != 1 || q.Answered || q.Ended {
		t.Fatalf("third chat: %+v", q)
	}
	if q := queue(a); q.Ahead != 0 {
		t.Fatalf("first chat: %+v", q)
	}
	// Nobody online speaks English (the agent who does is away).
	if q := queue(open("en")); q.AgentsOnline != 0 || q.Ahead != 3 {
		t.Fatalf("English chat: %+v", q)
	}
	// Answering the first moves everyone up.
	_, err := db.ReplyAsAgent(ctx, a.ID, agent.ID, "您好", true)
	must(err)
	if q := queue(a); !q.Answered || q.Ahead != 0 {
		t.Fatalf("answered chat: %+v", q)
	}
	if q := queue(c); q.Ahead != 1 {
		t.Fatalf("third chat after the first was answered: %+v", q)
	}
	// An agent taking the second puts it in their own line.
	must(db.ReassignTicket(ctx, b.ID, agent.ID, agent.ID))
	if q := queue(c); q.Ahead != 0 {
		t.Fatalf("third chat after the second was taken: %+v", q)
	}
	// Chats abandoned longer than a chat token lives are not waited for.
	clock.Advance(25 * time.Hour)
	if q := queue(open("zh-CN")); q.Ahead != 0 {
		t.Fatalf("a chat behind abandoned ones: %+v", q)
	}
	web, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "w@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "x"}})
	must(err)
	_, err = db.ChatQueue(ctx, web.ID)
	wantCode(t, err, okcare.ENOTFOUND)

	// Unread: the customer's messages after the agent's last answer.
	unread, err := db.ChatUnread(ctx)
	must(err)
	if unread[a.ID] != 0 || unread[c.ID] != 1 || unread[web.ID] != 0 {
		t.Fatalf("unread %v", unread)
	}
	must(db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: a.ID, Author: "contact", Public: true, Body: "安卓 14"}))
	must(db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: a.ID, Author: "contact", Public: true, Body: "版本 5.2.0"}))
	must(db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: a.ID, Author: "agent:" + agent.ID, Public: false, Body: "internal"}))
	if unread, _ = db.ChatUnread(ctx); unread[a.ID] != 2 {
		t.Fatalf("unread after two customer messages and a note: %v", unread)
	}

	// Rating: only once the chat has ended, once, 1-5.
	wantCode(t, db.RateChat(ctx, a.ID, 5, "很快"), okcare.ECONFLICT)
	_, err = db.SetTicketStatus(ctx, a.ID, "contact", okcare.TicketSolved)
	must(err)
	if unread, _ = db.ChatUnread(ctx); unread[a.ID] != 0 {
		t.Fatalf("an ended chat is unread: %v", unread)
	}
	if q := queue(a); !q.Ended {
		t.Fatalf("ended chat: %+v", q)
	}
	wantCode(t, db.RateChat(ctx, a.ID, 6, ""), okcare.EINVALID)
	must(db.RateChat(ctx, a.ID, 5, "很快"))
	wantCode(t, db.RateChat(ctx, a.ID, 1, "changed my mind"), okcare.ECONFLICT)
	wantCode(t, db.RateChat(ctx, web.ID, 5, ""), okcare.ENOTFOUND)
	if sv, err := db.TicketSurvey(ctx, a.ID); err != nil || sv == nil || sv.Rating != 5 || sv.Comment != "很快" || sv.AnsweredAt == nil {
		t.Fatalf("survey %+v %v", sv, err)
	}
}
