package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chatqueue"
	"github.com/okcare/okcare/sqldb"
)

// testChatWaitingQueue: one read of the whole queue tells every chat what
// its own ChatQueue would: the same order (opening time, then id, chats
// opened in the same microsecond included), lines by assignee, answered,
// pending and ended chats, the abandoned-chat cut-off, and online agents
// by language.
func testChatWaitingQueue(t *testing.T, db *sqldb.DB, clock *Clock) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	zh := &okcare.Agent{Email: "zh@okcare.example", Role: okcare.RoleAgent}
	must(db.CreateAgent(ctx, zh, "staff-pass-123"))
	both := &okcare.Agent{Email: "both@okcare.example", Role: okcare.RoleAgent}
	must(db.CreateAgent(ctx, both, "staff-pass-123"))
	must(db.SetAgentPresence(ctx, zh.ID, sqldb.PresenceOnline, 5, []string{"zh-CN"}))
	must(db.SetAgentPresence(ctx, both.ID, sqldb.PresenceAway, 5, []string{"zh-CN", "en"}))

	var chats []*okcare.Ticket
	open := func(lang string) *okcare.Ticket {
		t.Helper()
		tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "wait@example.com", Lang: lang, Intake: okcare.Intake{Description: "在吗"}})
		must(err)
		chats = append(chats, tk)
		return tk
	}
	// same compares, for every chat, its place in one snapshot with what
	// ChatQueue says.
	same := func(when string, wantLen int) {
		t.Helper()
		snap, err := db.ChatWaitingQueue(ctx)
		must(err)
		if len(snap.Chats) != wantLen {
			t.Fatalf("%s: %d live chats in the snapshot, want %d", when, len(snap.Chats), wantLen)
		}
		p := chatqueue.New(snap)
		for i, tk := range chats {
			want, err := db.ChatQueue(ctx, tk.ID)
			must(err)
			got, ok := p.Of(tk.ID, tk.Lang, tk.CreatedAt, true)
			if want.Ended {
				want.Answered = false // not told once ended
			}
			if !ok && !tk.CreatedAt.After(snap.Since) {
				continue // abandoned: the caller asks the store
			}
			if !ok || got != want {
				t.Fatalf("%s: chat %d: snapshot says %+v (%v), ChatQueue %+v", when, i, got, ok, want)
			}
		}
	}
	clock.Advance(time.Minute)
	open("zh-CN")
	clock.Advance(time.Minute)
	// Opened in the same microsecond: the id decides.
	open("zh-CN")
	open("en")
	open("zh-CN")
	clock.Advance(time.Minute)
	open("en")
	open("zh-CN")
	same("six waiting", 6)

	_, err := db.ReplyAsAgent(ctx, chats[1].ID, zh.ID, "您好", true)
	must(err)
	same("the second answered", 6)
	must(db.ReassignTicket(ctx, chats[3].ID, zh.ID, zh.ID))
	must(db.ReassignTicket(ctx, chats[5].ID, zh.ID, zh.ID))
	same("two in an agent's line", 6)
	_, err = db.SetTicketStatus(ctx, chats[2].ID, "agent:"+zh.ID, okcare.TicketOnHold)
	must(err)
	same("one on hold before answering", 6)
	_, err = db.SetTicketStatus(ctx, chats[0].ID, "contact", okcare.TicketSolved)
	must(err)
	same("the first ended", 5)
	must(db.SetAgentPresence(ctx, both.ID, sqldb.PresenceOnline, 5, nil))
	same("an English speaker online", 5)

	// Chats abandoned longer than a chat token lives are not waited for.
	clock.Advance(25 * time.Hour)
	open("zh-CN")
	open("en")
	same("behind abandoned ones", 2)
	if snap, err := db.ChatWaitingQueue(ctx); err != nil || !snap.Since.Equal(clock.Now().Add(-24*time.Hour).Truncate(time.Microsecond)) {
		t.Fatalf("cut-off %v, %v", snap.Since, err)
	}
	// Web tickets are not chats.
	_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "w@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "x"}})
	must(err)
	same("a web ticket beside", 2)
}
