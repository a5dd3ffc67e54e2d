package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/okcare/okcare/chatqueue"
	"github.com/okcare/okcare/sqldb"
)

// timeQueueRefresh times, before the sockets open, one refresh round of
// the waiting customers' places both ways: a count of the chats ahead of
// each (sampled, as the whole would take minutes at 10k), as each socket
// did before, and the node's one shared read of the queue with every
// place worked out from it, as it does now.
func timeQueueRefresh(ctx context.Context, db *sqldb.DB, chats []string) error {
	if len(chats) == 0 {
		return nil
	}
	step := max(1, len(chats)/200)
	t0 := time.Now()
	sampled := 0
	for i := 0; i < len(chats); i += step {
		if _, err := db.ChatQueue(ctx, chats[i]); err != nil {
			return err
		}
		sampled++
	}
	each := time.Since(t0) / time.Duration(sampled)
	t0 = time.Now()
	snap, err := db.ChatWaitingQueue(ctx)
	if err != nil {
		return err
	}
	p := chatqueue.New(snap)
	shared := time.Since(t0)
	fmt.Fprintf(os.Stderr, "  one refresh round of %d waiting customers: a count each %s (%s a count, %d sampled); one shared read %s (%d chats placed)\n",
		len(chats), (each * time.Duration(len(chats))).Round(time.Millisecond), each.Round(time.Microsecond), sampled, shared.Round(time.Microsecond), p.Len())
	return nil
}
