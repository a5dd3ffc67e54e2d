package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

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

// TestCloseAnswersEveryWaitingCaller: closing the store while chat
// messages and money movements are being submitted answers every caller
// (stored, or refused as closed): none waits forever on a job the writers
// stopped before taking.
func TestCloseAnswersEveryWaitingCaller(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	tk, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "close@example.com", Lang: "en", Intake: okcare.Intake{Description: "hello"}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	const callers = 200
	for i := 0; i < callers; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			if i%2 == 0 {
				db.AddChatMessages(ctx, []*okcare.TicketMessage{{TicketID: tk.ID, Author: "contact", Public: true, Body: "hi", ClientID: fmt.Sprintf("c-%d", i)}})
			} else {
				db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: "usr_nobody", ToUser: "nobody@example.com", Asset: "CNY", Amount: "1.00", IdempotencyKey: fmt.Sprintf("k-%d", i)})
			}
		}(i)
	}
	db.Close()
	deadline := time.After(20 * time.Second)
	for i := 0; i < callers; i++ {
		select {
		case <-done:
		case <-deadline:
			t.Fatalf("%d of %d callers still waiting after the store closed", callers-i, callers)
		}
	}
}
