package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Chat batches are decided, then written (sqldb/messagebatch.go): these
// cases hold a batch to what the same messages do one by one.

// decidedOnce runs fn and fails if a chat batch in it ran again with a
// savepoint per message: the batch itself must decide repeats, places and
// refusals (the fallback would hide a batch that wrote a place or a
// client id twice, refused by the unique indexes, behind right answers).
func decidedOnce(t *testing.T, db *sqldb.DB, fn func()) {
	t.Helper()
	_, _, before := db.ChatCommitStats()
	fn()
	if _, _, after := db.ChatCommitStats(); after != before {
		t.Fatalf("%d chat batches ran again message by message", after-before)
	}
}

// testChatBatchAsLone: a batch mixing customer messages, staff replies
// (public and not), a secret and a resend leaves the ticket and its
// conversation row for row as the lone methods leave a twin ticket given
// the same messages at the same times: seqs and times, the status and SLA
// clock changes a reply and an answer cause, the secret hidden and
// flagged (tag, priority, notes, the warning, placed after the message),
// and each caller told the same.
func testChatBatchAsLone(t *testing.T, db *sqldb.DB, clock *Clock) {
	say := func(author, clientID, body string, public bool) *okcare.TicketMessage {
		return &okcare.TicketMessage{Author: author, Public: public, Body: body, ClientID: clientID}
	}
	for name, c := range map[string]struct {
		script []*okcare.TicketMessage
		// settled: the script's first line ends the wait the greeting
		// began a day before (chatturn.go), and so pushes the resolution
		// target back and clears the SLA warning.
		settled bool
	}{
		"customer first": {[]*okcare.TicketMessage{
			say("contact", "c-1", "钱包打不开", true),        // ends the day's wait: the clock's pause settled
			say("agent:agt_1", "a-1", "请问是什么手机？", true), // the customer's turn again, first response kept
			say("contact", "c-2", "我的助記詞是："+secretPhraseTW, true),
			say("contact", "c-3", "还在吗", true), // placed after the warning
			say("agent:agt_1", "a-2", "客户可能泄露了助记词", false),
			say("contact", "c-1", "钱包打不开", true), // a resend
			say("agent:agt_1", "a-3", "请立即转移资产", true),
		}, true},
		"reply first": {[]*okcare.TicketMessage{ // the wait goes on from the greeting
			say("agent:agt_1", "a-1", "还需要帮助吗？", true),
			say("agent:agt_1", "a-2", "等客户回复", false),
		}, false},
	} {
		t.Run(name, func(t *testing.T) { chatBatchAsLone(t, db, clock, c.script, c.settled) })
	}
}

func chatBatchAsLone(t *testing.T, db *sqldb.DB, clock *Clock, script []*okcare.TicketMessage, settled bool) {
	lone, batched := openChat(t, db, "lone@example.com", "转账一直显示处理中"), openChat(t, db, "batched@example.com", "转账一直显示处理中")
	// Both wait on the customer, with an SLA warning sent, for a day.
	answered := clock.Now()
	for _, tk := range []*okcare.Ticket{lone, batched} {
		if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-0", "您好，请问有什么可以帮您？", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE tickets SET pending_warned_at = ? WHERE id = ?`), answered.UnixMicro(), tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	before, err := db.FindTicket(ctx, batched.ID)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(26 * time.Hour) // business time to resume by
	messages := func(tk *okcare.Ticket) []*okcare.TicketMessage {
		var out []*okcare.TicketMessage
		for _, m := range script {
			c := *m
			c.TicketID = tk.ID
			out = append(out, &c)
		}
		return out
	}
	want := messages(lone)
	for _, m := range want {
		var err error
		if agentID, ok := strings.CutPrefix(m.Author, "agent:"); ok {
			var r *okcare.TicketMessage
			if r, err = db.ReplyAsAgentOnce(ctx, m.TicketID, agentID, m.ClientID, m.Body, m.Public); err == nil {
				*m = *r
			}
		} else {
			err = db.AddTicketMessage(ctx, m)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	got := messages(batched)
	var errs []error
	decidedOnce(t, db, func() { errs, err = db.AddChatMessages(ctx, got) })
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if errs[i] != nil {
			t.Fatalf("message %d refused: %v", i, errs[i])
		}
		w, g := *want[i], *got[i]
		if (w.SecretWarning == nil) != (g.SecretWarning == nil) {
			t.Fatalf("message %d: warning %+v, lone %+v", i, g.SecretWarning, w.SecretWarning)
		}
		if w.SecretWarning != nil {
			ww, gw := *w.SecretWarning, *g.SecretWarning
			if ww.Message.Seq != gw.Message.Seq || ww.Message.Body != gw.Message.Body || !reflect.DeepEqual(ww.Kinds, gw.Kinds) || ww.Text != gw.Text {
				t.Fatalf("message %d: warning %+v %+v, lone %+v %+v", i, gw, gw.Message, ww, ww.Message)
			}
		}
		w.ID, w.TicketID, w.SecretWarning, g.ID, g.TicketID, g.SecretWarning = "", "", nil, "", "", nil
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("message %d told\n%+v\nlone\n%+v", i, g, w)
		}
	}
	for _, q := range []string{
		`SELECT * FROM tickets WHERE id = ?`,
		`SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY seq`,
	} {
		w, g := rowsOf(t, db, q, lone.ID), rowsOf(t, db, q, batched.ID)
		if len(w) != len(g) {
			t.Fatalf("%s: %d rows, lone %d", q, len(g), len(w))
		}
		for i := range w {
			if !reflect.DeepEqual(w[i], g[i]) {
				t.Fatalf("%s: row %d\n%v\nlone\n%v", q, i, g[i], w[i])
			}
		}
	}
	// And what both did is what a live chat's turns do (chatturn.go): open
	// throughout, the first response stands, no pause; a customer line a
	// day after the greeting settles the wait as a pause from the greeting.
	after, err := db.FindTicket(ctx, batched.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != okcare.TicketOpen || after.FirstRespondedAt == nil || !after.FirstRespondedAt.Equal(answered) || after.PausedSince != nil ||
		after.ResolutionDue.After(*before.ResolutionDue) != settled {
		t.Fatalf("after the batch: %s, responded %v (want %v), paused %v, resolution due %v (before %v, settled %v)",
			after.Status, after.FirstRespondedAt, answered, after.PausedSince, after.ResolutionDue, before.ResolutionDue, settled)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets WHERE id = ? AND pending_warned_at IS NULL`, batched.ID); (n == 1) != settled {
		t.Fatalf("the SLA warning recorded: %v, want %v", n == 0, !settled)
	}
}

// rowsOf reads a query's rows as column name -> value, leaving out what
// differs between twin tickets (ids, numbers, the contact).
func rowsOf(t *testing.T, db *sqldb.DB, q string, args ...any) []map[string]any {
	t.Helper()
	rows, err := db.SQL().Query(db.Rebind(q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{}
		for i, c := range cols {
			switch c {
			case "id", "ticket_id", "number", "contact_email", "idempotency_key", "idem_scope":
				continue
			}
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// testChatBatchRefusals: refused messages inside a batch (too long, a NUL
// character, a closed ticket, no such ticket, someone else's client id)
// are refused alone: the others are stored, their seqs without a gap.
func testChatBatchRefusals(t *testing.T, db *sqldb.DB, _ *Clock) {
	tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "refusals@example.com", Lang: "en", Intake: okcare.Intake{Description: "hello"}})
	if err != nil {
		t.Fatal(err)
	}
	closed, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "ended@example.com", Lang: "en", Intake: okcare.Intake{Description: "hello"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetTicketStatus(ctx, closed.ID, "agent:agt_1", okcare.TicketClosed); err != nil {
		t.Fatal(err)
	}
	say := func(id, author, clientID, body string) *okcare.TicketMessage {
		return &okcare.TicketMessage{TicketID: id, Author: author, Public: true, Body: body, ClientID: clientID}
	}
	ms := []*okcare.TicketMessage{
		say(tk.ID, "contact", "r-1", "one"),
		say(tk.ID, "contact", "r-2", strings.Repeat("x", 20001)),
		say(tk.ID, "contact", "r-3", "two"),
		say(tk.ID, "agent:agt_1", "r-4", "nul \x00 inside"),
		say(closed.ID, "contact", "r-5", "still there?"),
		say(closed.ID, "agent:agt_1", "r-6", "yes"),
		say("tkt_nosuchticket", "contact", "r-7", "hello?"),
		say(tk.ID, "agent:agt_1", "r-1", "the customer's id"),
		say(tk.ID, "agent:agt_1", "r-8", "three"),
		say(tk.ID, "contact", "r-3", "two"), // a repeat in the batch
	}
	var errs []error
	decidedOnce(t, db, func() { errs, err = db.AddChatMessages(ctx, ms) })
	if err != nil {
		t.Fatal(err)
	}
	for i, code := range []string{"", okcare.EINVALID, "", okcare.EINVALID, okcare.ECONFLICT, okcare.ECONFLICT, okcare.ENOTFOUND, okcare.ECONFLICT, "", ""} {
		if okcare.ErrorCode(errs[i]) != code && !(code == "" && errs[i] == nil) {
			t.Fatalf("message %d: %v, want %q", i, errs[i], code)
		}
	}
	if ms[0].Seq != 2 || ms[2].Seq != 3 || ms[8].Seq != 4 || !ms[9].Replayed || ms[9].ID != ms[2].ID {
		t.Fatalf("seqs %d %d %d, want 2 3 4; the repeat %+v", ms[0].Seq, ms[2].Seq, ms[8].Seq, ms[9])
	}
	all, err := db.TicketMessages(ctx, tk.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[3].Body != "three" || all[3].Author != "agent:agt_1" {
		t.Fatalf("stored %+v", all)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketOpen || got.FirstRespondedAt == nil || got.PausedSince != nil {
		t.Fatalf("after the reply: %s, responded %v, paused %v; want a live chat's answer: open, answered", got.Status, got.FirstRespondedAt, got.PausedSince)
	}
}

// testChatBatchesConcurrent: callers at once, each with messages for
// several tickets in one call, customer's and staff's, some sending the
// same client id as another caller at the same moment: every message is
// stored once (every sender of an id told the one message, all but one
// as a resend, and so is a lone AddTicketMessage of it racing them),
// each ticket's seqs run without gaps or twins and in time
// order, and each caller's messages to a ticket keep their order.
func testChatBatchesConcurrent(t *testing.T, db *sqldb.DB, _ *Clock) {
	const tickets, callers, each, rounds = 3, 6, 8, 3
	var ids []string
	for i := range tickets {
		tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: fmt.Sprintf("many%d@example.com", i), Lang: "en", Intake: okcare.Intake{Description: "hello"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	_, _, reruns := db.ChatCommitStats()
	for r := range rounds {
		var wg sync.WaitGroup
		got := make([][]*okcare.TicketMessage, callers)
		for c := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var ms []*okcare.TicketMessage
				for i := range each {
					author, cid := "contact", fmt.Sprintf("r%d-c%d-%d", r, c, i)
					if i%3 == 2 {
						author = "agent:agt_1"
					}
					if i == each-1 {
						cid = fmt.Sprintf("r%d-shared-%d", r, c/2) // callers 2k and 2k+1 at once
						author = "contact"
					}
					ms = append(ms, &okcare.TicketMessage{TicketID: ids[(c+i)%tickets], Author: author, Public: true, Body: cid, ClientID: cid})
				}
				if c%2 == 1 { // the shared id on the same ticket as its twin's
					ms[each-1].TicketID = ids[(c-1+each-1)%tickets]
				}
				if !addChatAll(t, db, c, ms) {
					return
				}
				got[c] = ms
			}()
		}
		// And each shared id a third time at once, by the lone method.
		lone := make([]*okcare.TicketMessage, callers/2)
		for k := range lone {
			cid := fmt.Sprintf("r%d-shared-%d", r, k)
			lone[k] = &okcare.TicketMessage{TicketID: ids[(2*k+each-1)%tickets], Author: "contact", Public: true, Body: cid, ClientID: cid}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.AddTicketMessage(ctx, lone[k]); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		got = append(got, lone)
		stored := map[string]*okcare.TicketMessage{}
		for _, id := range ids {
			all, err := db.TicketMessages(ctx, id, true)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range all {
				if m.Seq != int64(i+1) || (i > 0 && m.CreatedAt.Before(all[i-1].CreatedAt)) {
					t.Fatalf("round %d, ticket %s: message %d has seq %d at %v", r, id, i, m.Seq, m.CreatedAt)
				}
				if m.ClientID != "" {
					if stored[m.ClientID] != nil {
						t.Fatalf("round %d: client id %s stored twice", r, m.ClientID)
					}
					stored[m.ClientID] = m
				}
			}
		}
		fresh := map[string]int{}
		for c, ms := range got {
			last := map[string]int64{}
			for i, m := range ms {
				if s := stored[m.ClientID]; s == nil || s.ID != m.ID || s.Seq != m.Seq {
					t.Fatalf("round %d caller %d message %d was told %+v, stored %+v", r, c, i, m, s)
				}
				if !m.Replayed {
					fresh[m.ClientID]++
				}
				if m.Seq <= last[m.TicketID] && !m.Replayed {
					t.Fatalf("round %d caller %d: message %d at seq %d after %d", r, c, i, m.Seq, last[m.TicketID])
				}
				last[m.TicketID] = m.Seq
			}
		}
		for id, n := range fresh {
			if n != 1 {
				t.Fatalf("round %d: %s told as new %d times", r, id, n)
			}
		}
		if want := (r + 1) * (callers*each - callers/2); len(stored) != want {
			t.Fatalf("round %d: %d client ids stored, want %d", r, len(stored), want)
		}
	}
	if _, _, after := db.ChatCommitStats(); after != reruns {
		t.Fatalf("%d chat batches ran again message by message", after-reruns)
	}
}

// testChatSecondLines: messages that change neither a ticket's status nor
// its SLA clocks (a customer's second line, a second reply's note) are
// written without the indexed columns on SQLite (sqldb's msgTicket.moved);
// they still move the row's time and counters, beside a ticket in the
// same batch whose status does change.
func testChatSecondLines(t *testing.T, db *sqldb.DB, clock *Clock) {
	waiting, talking := openChat(t, db, "waiting@example.com", "钱包打不开"), openChat(t, db, "talking@example.com", "钱包打不开")
	for _, tk := range []*okcare.Ticket{waiting, talking} {
		if _, err := db.ReplyAsAgentOnce(ctx, tk.ID, "agt_1", "a-0", "您好", true); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Minute)
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: talking.ID, Author: "contact", Public: true, Body: "在吗", ClientID: "c-1"}); err != nil {
		t.Fatal(err)
	}
	before, err := db.FindTicket(ctx, talking.ID)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	errs, err := db.AddChatMessages(ctx, []*okcare.TicketMessage{
		{TicketID: talking.ID, Author: "contact", Public: true, Body: "我的钱包一直转圈", ClientID: "c-2"}, // open already
		{TicketID: waiting.ID, Author: "contact", Public: true, Body: "你好", ClientID: "c-1"},       // ends the greeting's wait
		{TicketID: talking.ID, Author: "agent:agt_1", Public: false, Body: "查一下版本", ClientID: "n-1"},
	})
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatal(err, errs)
	}
	for _, c := range []struct {
		tk       *okcare.Ticket
		messages int64
	}{{talking, 5}, {waiting, 3}} { // the chat opened with the intake, the greeting
		after, err := db.FindTicket(ctx, c.tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Status != okcare.TicketOpen || after.PausedSince != nil || !after.UpdatedAt.Equal(clock.Now()) {
			t.Fatalf("%s after the batch: %s, paused %v, updated %v (want open, not paused, %v)", c.tk.ContactEmail, after.Status, after.PausedSince, after.UpdatedAt, clock.Now())
		}
		var seq, at int64
		if err := db.SQL().QueryRow(db.Rebind(`SELECT message_seq, message_at FROM tickets WHERE id = ?`), c.tk.ID).Scan(&seq, &at); err != nil || seq != c.messages || at != clock.Now().UnixMicro() {
			t.Fatalf("%s after the batch: message_seq %d, message_at %d, %v; want %d, %d", c.tk.ContactEmail, seq, at, err, c.messages, clock.Now().UnixMicro())
		}
	}
	after, err := db.FindTicket(ctx, talking.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.ResolutionDue, before.ResolutionDue) {
		t.Fatalf("an open chat's second line moved its resolution target: %v, before %v", after.ResolutionDue, before.ResolutionDue)
	}
}
