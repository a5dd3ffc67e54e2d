package sqldb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/storetest"
)

// TestChatBatchUndoesAFailedMessage: a chat message that fails after it
// wrote (its seq taken, its row inserted) fails alone: the batch runs
// again with a savepoint per message, the failed one leaves no trace and
// the next message takes the next seq. On both stores.
func TestChatBatchUndoesAFailedMessage(t *testing.T) {
	for name, open := range map[string]storetest.Opener{"sqlite": storetest.OpenSQLite, "postgres": storetest.OpenPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "fault@example.com", Lang: "en", Intake: okcare.Intake{Description: "hello"}})
			if err != nil {
				t.Fatal(err)
			}
			boom := errors.New("the disk said no")
			sqldb.SetChatFault(db, func(m *okcare.TicketMessage) error {
				if m.Body == "boom" {
					return boom
				}
				return nil
			})
			say := func(cid, body string) *okcare.TicketMessage {
				return &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: body, ClientID: cid}
			}
			ms := []*okcare.TicketMessage{say("f-1", "before"), say("f-2", "boom"), say("f-3", "after")}
			errs, err := db.AddChatMessages(ctx, ms)
			if err != nil || errs[0] != nil || !errors.Is(errs[1], boom) || errs[2] != nil {
				t.Fatalf("AddChatMessages: %v %v", err, errs)
			}
			if ms[0].Seq != 2 || ms[2].Seq != 3 {
				t.Fatalf("seqs %d and %d around the failed message, want 2 and 3", ms[0].Seq, ms[2].Seq)
			}
			stored, err := db.TicketMessages(ctx, tk.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(stored) != 3 || stored[1].ClientID != "f-1" || stored[2].ClientID != "f-3" {
				t.Fatalf("stored %+v", stored)
			}
			// The failed message can be sent again and is stored then.
			sqldb.SetChatFault(db, nil)
			again := []*okcare.TicketMessage{say("f-2", "boom")}
			if errs, err := db.AddChatMessages(ctx, again); err != nil || errs[0] != nil || again[0].Replayed || again[0].Seq != 4 {
				t.Fatalf("sent again: %v %v %+v", err, errs, again[0])
			}
		})
	}
}
