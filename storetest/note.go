package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testSystemNotes checks that the notes the store writes carry a key and
// arguments beside their English body, that people's messages carry none,
// and that notes without a readable key (older ones, or of an encoding this
// version does not know) still read as their body.
func testSystemNotes(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "lin@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "已查看", false); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketPending); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := db.SetTicketPriority(ctx, tk.ID, "agent:agt_1", okcare.PriorityHigh); err != nil {
		t.Fatal(err)
	}
	// Two notes written the way older versions did, and the way a later
	// version might.
	for i, note := range []string{``, `{"v":2,"key":"status_set","args":{"status":"open"}}`} {
		clock.Advance(time.Minute)
		q := fmt.Sprintf(`INSERT INTO ticket_messages (id, ticket_id, author, public, body, note, created_at, seq) VALUES ('msg_old%d', '%s', 'system', FALSE, 'Old note.', '%s', %d, %d)`,
			i, tk.ID, note, clock.Now().UnixMicro(), 5+i)
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec(fmt.Sprintf(`UPDATE tickets SET message_seq = 6 WHERE id = '%s'`, tk.ID)); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.TicketMessages(ctx, tk.ID, true)
	if err != nil || len(msgs) != 6 {
		t.Fatalf("messages = %d, %v", len(msgs), err)
	}
	want := []struct {
		body string
		note *okcare.Note
	}{
		{"打不开", nil},
		{"已查看", nil},
		{"Status set to pending by agent:agt_1.", &okcare.Note{Key: sqldb.NoteStatusSet, Args: map[string]string{"status": "pending", "by": "agent:agt_1"}}},
		{"Priority set to high by agent:agt_1.", &okcare.Note{Key: sqldb.NotePrioritySet, Args: map[string]string{"priority": "high", "by": "agent:agt_1"}}},
		{"Old note.", nil},
		{"Old note.", nil},
	}
	for i, w := range want {
		if m := msgs[i]; m.Body != w.body || !reflect.DeepEqual(m.Note, w.note) {
			t.Errorf("message %d = %q %+v, want %q %+v", i, m.Body, m.Note, w.body, w.note)
		}
	}
	clock.Advance(time.Minute)
	// A logged call keeps the agent's own words as an argument.
	if err := db.LogCall(ctx, tk.ID, "agt_1", okcare.CallReached, "清除缓存后好了"); err != nil {
		t.Fatal(err)
	}
	msgs, _ = db.TicketMessages(ctx, tk.ID, true)
	last := msgs[len(msgs)-1]
	if last.Note == nil || last.Note.Key != sqldb.NoteCallLogged || last.Note.Args["outcome"] != okcare.CallReached || last.Note.Args["notes"] != "清除缓存后好了" ||
		last.Body != "Call by agent:agt_1: reached\n清除缓存后好了" {
		t.Fatalf("call note = %q %+v", last.Body, last.Note)
	}
}
