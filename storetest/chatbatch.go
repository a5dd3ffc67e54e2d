package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testChatBatch: AddChatMessages stores several messages at once as the
// lone methods would, each decided after the ones before it: places run
// on without gaps, a client id repeated in the same call or a later one
// answers the stored message, and a refused message (a closed ticket,
// someone else's id, a bad id) is refused alone while the rest are
// stored. Concurrent callers' messages interleave, each caller's in its
// own order.
func testChatBatch(t *testing.T, db *sqldb.DB, _ *Clock) {
	tk, closed := openChat(t, db, "batch@example.com", "在吗"), openChat(t, db, "closed@example.com", "在吗")
	if _, err := db.SetTicketStatus(ctx, closed.ID, "agent:agt_1", okcare.TicketClosed); err != nil {
		t.Fatal(err)
	}
	closedBefore := count(t, db, `SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?`, closed.ID)
	say := func(tk *okcare.Ticket, author, clientID, body string) *okcare.TicketMessage {
		return &okcare.TicketMessage{TicketID: tk.ID, Author: author, Public: true, Body: body, ClientID: clientID}
	}
	ms := []*okcare.TicketMessage{
		say(tk, "contact", "c-1", "钱包打不开"),
		say(tk, "contact", "c-2", "一直闪退"),
		say(closed, "contact", "c-3", "还在吗"),
		say(tk, "contact", "c-1", "钱包打不开"), // the same message again, in the same batch
		say(tk, "contact", "bad id", "x"),
		say(tk, "agent:agt_1", "a-1", "请问是什么手机？"),
		say(tk, "contact", "a-1", "hijack"), // the agent's id
	}
	var errs []error
	var err error
	decidedOnce(t, db, func() { errs, err = db.AddChatMessages(ctx, ms) })
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, errs[2], okcare.ECONFLICT)
	wantCode(t, errs[4], okcare.EINVALID)
	wantCode(t, errs[6], okcare.ECONFLICT)
	for _, i := range []int{0, 1, 3, 5} {
		if errs[i] != nil {
			t.Fatalf("message %d refused: %v", i, errs[i])
		}
	}
	if ms[0].Seq != 2 || ms[1].Seq != 3 || ms[5].Seq != 4 || ms[0].Replayed || ms[1].Replayed || ms[5].Replayed {
		t.Fatalf("seqs %d %d %d, want 2 3 4 (first stored): %+v %+v %+v", ms[0].Seq, ms[1].Seq, ms[5].Seq, ms[0], ms[1], ms[5])
	}
	if !ms[3].Replayed || ms[3].ID != ms[0].ID || ms[3].Seq != ms[0].Seq {
		t.Fatalf("the repeat in the batch = %+v, want the first %+v", ms[3], ms[0])
	}
	if ms[5].Author != "agent:agt_1" || ms[5].ID == "" || ms[5].CreatedAt.Before(ms[1].CreatedAt) {
		t.Fatalf("the agent's reply: %+v", ms[5])
	}
	if n := count(t, db, `SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?`, tk.ID); n != 4 {
		t.Fatalf("%d messages stored, want 4", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?`, closed.ID); n != closedBefore {
		t.Fatalf("%d messages on the closed ticket, want the %d it had", n, closedBefore)
	}
	// The reply had the lone reply's effect on a live chat: answered, the
	// customer's turn, still open (sqldb/chatturn.go).
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketOpen || got.FirstRespondedAt == nil || got.PausedSince != nil ||
		count(t, db, `SELECT COUNT(*) FROM tickets WHERE id = ? AND chat_awaiting_since IS NOT NULL`, tk.ID) != 1 {
		t.Fatalf("after the reply: %s, responded %v, paused %v", got.Status, got.FirstRespondedAt, got.PausedSince)
	}

	// A later batch: a resend of a stored message is answered with it; a
	// customer's new message reopens the ticket.
	again := []*okcare.TicketMessage{say(tk, "contact", "c-2", "一直闪退"), say(tk, "contact", "c-4", "华为")}
	if errs, err := db.AddChatMessages(ctx, again); err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatal(err, errs)
	}
	if !again[0].Replayed || again[0].ID != ms[1].ID || again[1].Replayed || again[1].Seq != 5 {
		t.Fatalf("second batch: %+v %+v", again[0], again[1])
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketOpen {
		t.Fatalf("after the customer's answer: %s, want open", got.Status)
	}
	// The lone methods see what batches stored, and the other way round.
	if m := say(tk, "contact", "c-4", "华为"); db.AddTicketMessage(ctx, m) != nil || !m.Replayed || m.ID != again[1].ID {
		t.Fatalf("lone resend of a batched message: %+v", m)
	}

	// Callers at once, each with a few messages and some resending another
	// caller's: every message once, places without gaps or twins, each
	// caller's in the order it gave them.
	const callers, each = 8, 6
	race := openChat(t, db, "race@example.com", "在吗")
	var wg sync.WaitGroup
	got := make([][]*okcare.TicketMessage, callers)
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms []*okcare.TicketMessage
			for i := range each {
				id := fmt.Sprintf("c%d-%d", c, i)
				if i == each-1 {
					id = fmt.Sprintf("c%d-0", (c+1)%callers) // a resend of the next caller's first
				}
				ms = append(ms, say(race, "contact", id, id))
			}
			if !addChatAll(t, db, c, ms) {
				return
			}
			got[c] = ms
		}()
	}
	wg.Wait()
	all, err := db.TicketMessages(ctx, race.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1+callers*(each-1) {
		t.Fatalf("%d messages, want %d", len(all), 1+callers*(each-1))
	}
	seen := map[string]string{}
	for i, m := range all {
		if m.Seq != int64(i+1) || (i > 0 && m.CreatedAt.Before(all[i-1].CreatedAt)) {
			t.Fatalf("message %d: seq %d at %v", i, m.Seq, m.CreatedAt)
		}
		if m.ClientID != "" {
			if seen[m.ClientID] != "" {
				t.Fatalf("client id %s stored twice", m.ClientID)
			}
			seen[m.ClientID] = m.ID
		}
	}
	for c, ms := range got {
		for i, m := range ms {
			if m.ID == "" || m.ID != seen[m.ClientID] {
				t.Fatalf("caller %d message %d was told %q, stored %q", c, i, m.ID, seen[m.ClientID])
			}
			if i > 0 && i < each-1 && m.Seq <= ms[i-1].Seq {
				t.Fatalf("caller %d: message %d at seq %d after %d", c, i, m.Seq, ms[i-1].Seq)
			}
		}
	}
}

// addChatAll stores ms in one AddChatMessages call, from a test's
// goroutine, reporting any refusal as an error; it reports whether the
// call itself went through.
func addChatAll(t *testing.T, db *sqldb.DB, caller int, ms []*okcare.TicketMessage) bool {
	errs, err := db.AddChatMessages(ctx, ms)
	if err != nil {
		t.Error(err)
		return false
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("caller %d message %d: %v", caller, i, e)
		}
	}
	return true
}

// openChat opens a Chinese chat for email, its first words description.
func openChat(t *testing.T, db *sqldb.DB, email, description string) *okcare.Ticket {
	t.Helper()
	tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: email, Lang: "zh-CN", Intake: okcare.Intake{Description: description}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
