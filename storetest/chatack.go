package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testMessageClientIDs: a message sent again under the client id it was
// first sent with is the same message: nothing is written, the first one
// comes back marked Replayed, for customers and agents alike, even when
// the resends race each other or arrive after the chat was closed.
func testMessageClientIDs(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "cid@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	if err != nil {
		t.Fatal(err)
	}
	messages := func() int {
		t.Helper()
		return count(t, db, `SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?`, tk.ID)
	}
	first := &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "钱包打不开", ClientID: "c-7f3a"}
	if err := db.AddTicketMessage(ctx, first); err != nil || first.Replayed || first.Seq != 2 {
		t.Fatalf("first send: %+v %v", first, err)
	}
	clock.Advance(time.Second)
	again := &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "钱包打不开", ClientID: "c-7f3a"}
	if err := db.AddTicketMessage(ctx, again); err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.ID != first.ID || again.Seq != first.Seq || !again.CreatedAt.Equal(first.CreatedAt) || again.Body != first.Body {
		t.Fatalf("resend = %+v, want the first %+v", again, first)
	}
	if n := messages(); n != 2 {
		t.Fatalf("%d messages after a resend, want 2", n)
	}

	// An agent's reply, the same way.
	reply, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-91c2", "请问是什么手机？", true)
	if err != nil || reply.Replayed || reply.Seq != 3 || reply.ClientID != "a-91c2" {
		t.Fatalf("reply: %+v %v", reply, err)
	}
	replay, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-91c2", "请问是什么手机？", true)
	if err != nil || !replay.Replayed || replay.ID != reply.ID {
		t.Fatalf("reply again: %+v %v", replay, err)
	}

	// Someone else's id is refused, not taken over; nothing is written.
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "hijack", ClientID: "a-91c2"}), okcare.ECONFLICT)
	_, err = db.ReplyAsAgentOnce(ctx, tk.ID, "agt_2", "a-91c2", "mine now", true)
	wantCode(t, err, okcare.ECONFLICT)
	// Malformed ids are refused.
	for _, bad := range []string{"has space", strings.Repeat("x", 65), "<script>", "ключ"} {
		wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "x", ClientID: bad}), okcare.EINVALID)
	}
	// Without an id every send is a new message.
	for i := 0; i < 2; i++ {
		if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "同一句"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := messages(); n != 5 {
		t.Fatalf("%d messages, want 5", n)
	}
	// The same id on another ticket is another message.
	other, _, _ := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "cid2@example.com", Lang: "en", Intake: okcare.Intake{Description: "hi"}})
	m := &okcare.TicketMessage{TicketID: other.ID, Author: "contact", Public: true, Body: "hello", ClientID: "c-7f3a"}
	if err := db.AddTicketMessage(ctx, m); err != nil || m.Replayed {
		t.Fatalf("the same id on another ticket: %+v %v", m, err)
	}

	// Resends racing each other: one message, every sender told its id.
	const senders = 8
	ids := make([]string, senders)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "重发", ClientID: "c-race"}
			if err := db.AddTicketMessage(ctx, m); err != nil {
				t.Error(err)
			}
			ids[i] = m.ID
		}()
	}
	wg.Wait()
	if n := count(t, db, `SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ? AND client_id = 'c-race'`, tk.ID); n != 1 {
		t.Fatalf("%d racing resends stored, want 1", n)
	}
	for _, id := range ids {
		if id != ids[0] || id == "" {
			t.Fatalf("racing resends were told different ids: %q", ids)
		}
	}

	// A resend that comes after the chat ended still gets its answer.
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketClosed); err != nil {
		t.Fatal(err)
	}
	late := &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "钱包打不开", ClientID: "c-7f3a"}
	if err := db.AddTicketMessage(ctx, late); err != nil || !late.Replayed || late.ID != first.ID {
		t.Fatalf("resend after closing: %+v %v", late, err)
	}
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "new", ClientID: "c-new"}), okcare.ECONFLICT)
	listed, _ := db.TicketMessages(ctx, tk.ID, false)
	for _, m := range listed {
		if m.ID == first.ID && m.ClientID != "c-7f3a" {
			t.Fatalf("the listed message lost its client id: %+v", m)
		}
	}
}

// testMessageOrder: every message gets the next place in its ticket's
// conversation with its time, under the ticket's lock, so places run 1, 2,
// 3... without gaps or twins under concurrent writers, and a writer whose
// clock is behind never writes a message older than the one before it.
// Catch-up reads what came after a place, public messages only.
func testMessageOrder(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "order@example.com", Lang: "en", Intake: okcare.Intake{Description: "first"}})
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "order2@example.com", Lang: "en", Intake: okcare.Intake{Description: "elsewhere"}})

	// A node whose clock is a minute behind writes next: its message is
	// not older than the last, and comes after it.
	clock.Advance(time.Minute)
	ahead := &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "from the node ahead"}
	if err := db.AddTicketMessage(ctx, ahead); err != nil {
		t.Fatal(err)
	}
	clock.Advance(-time.Minute)
	behind, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "from the node behind", true)
	if err != nil {
		t.Fatal(err)
	}
	if behind.Seq != ahead.Seq+1 || behind.CreatedAt.Before(ahead.CreatedAt) {
		t.Fatalf("behind %d at %v, after %d at %v", behind.Seq, behind.CreatedAt, ahead.Seq, ahead.CreatedAt)
	}
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "internal", false); err != nil {
		t.Fatal(err)
	}

	// Writers in parallel, customers and agents.
	const writers, each = 6, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				clock.Advance(time.Millisecond)
				var err error
				if w%2 == 0 {
					err = db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "c"})
				} else {
					_, err = db.ReplyAsAgent(ctx, tk.ID, "agt_1", "a", i%2 == 0)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	all, err := db.TicketMessages(ctx, tk.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4+writers*each {
		t.Fatalf("%d messages, want %d", len(all), 4+writers*each)
	}
	for i, m := range all {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: gaps or twins", i, m.Seq)
		}
		if i > 0 && m.CreatedAt.Before(all[i-1].CreatedAt) {
			t.Fatalf("seq %d at %v is older than seq %d at %v", m.Seq, m.CreatedAt, all[i-1].Seq, all[i-1].CreatedAt)
		}
	}
	if o, _ := db.TicketMessages(ctx, other.ID, true); len(o) != 1 || o[0].Seq != 1 {
		t.Fatalf("another ticket's conversation: %+v", o)
	}

	// Catch-up: public messages after a place, in order, at most limit.
	since, err := db.ChatMessagesSince(ctx, tk.ID, ahead.Seq, 0)
	if err != nil {
		t.Fatal(err)
	}
	public := 0
	for _, m := range all {
		if m.Public && m.Seq > ahead.Seq {
			public++
		}
	}
	if len(since) != public || since[0].ID != behind.ID {
		t.Fatalf("catch-up after %d: %d messages (want %d), first %+v", ahead.Seq, len(since), public, since[0])
	}
	for i, m := range since {
		if !m.Public || (i > 0 && m.Seq <= since[i-1].Seq) {
			t.Fatalf("catch-up returned %+v", m)
		}
	}
	if page, _ := db.ChatMessagesSince(ctx, tk.ID, 0, 2); len(page) != 2 || page[0].Seq != 1 || page[1].Seq != 2 {
		t.Fatalf("catch-up limited to 2: %+v", page)
	}
	if none, _ := db.ChatMessagesSince(ctx, tk.ID, all[len(all)-1].Seq, 0); len(none) != 0 {
		t.Fatalf("catch-up after the last: %d messages", len(none))
	}
}
