package sqldb

import (
	"context"
	"time"

	"github.com/okcare/okcare"
)

// A live chat's turns. A ticket that waits on the customer is pending: its
// resolution clock pauses and, left unanswered, it is reminded and solved
// (PendingScan). A live chat answered turn by turn used to go pending at
// every answer and open again at every customer line, a few seconds
// apart: each turn moved the ticket in the status and due-time indexes (a
// page of the log each, most of what a chat message cost the disk) for a
// pause nobody could see. Now, while a live chat is new or open, an
// agent's public answer only notes the time it began to wait on the
// customer (chat_awaiting_since: an entry in one small partial index,
// where the status flip moved the ticket in six), and:
//   - a customer line within chatQuietAfter of that answer ends the wait:
//     the turn was a conversation's, and the resolution clock ran;
//   - a chat quiet for chatQuietAfter after the answer goes pending from
//     the answer (PendingScan, every minute), so its pause, reminder and
//     auto-solve count from the answer as for any ticket;
//   - a customer line after chatQuietAfter that the scan has not reached
//     settles the same pause, from the answer, itself.
// A status set by hand ends the wait.

// chatQuietAfter is how long a live chat may stay quiet after an agent's
// answer before it waits on the customer.
const chatQuietAfter = 2 * time.Minute

// liveTurn reports whether an agent's public answer on t only starts an
// awaited turn (see above) instead of making it pending.
func liveTurn(t *okcare.Ticket) bool {
	return t.Channel == okcare.ChannelChat && (t.Status == okcare.TicketNew || t.Status == okcare.TicketOpen)
}

// awaitedPause is when a live chat t, awaiting since awaiting (micros; 0
// for none), is paused from if something happens to it at now: the answer
// it awaits, once chatQuietAfter has passed since it, else nil (the
// resolution clock ran through the turn).
func awaitedPause(t *okcare.Ticket, awaiting int64, now time.Time) *time.Time {
	if awaiting == 0 || !liveTurn(t) {
		return nil
	}
	if since := fromMicros(awaiting); now.Sub(since) >= chatQuietAfter {
		return &since
	}
	return nil
}

// endChatWait drops the answer a ticket awaits, if any.
func endChatWait(ctx context.Context, tx *Tx, ticketID string) error {
	_, err := tx.exec(ctx, `UPDATE tickets SET chat_awaiting_since = NULL WHERE id = ?`, ticketID)
	return err
}

// quietChats makes the live chats quiet for chatQuietAfter since the
// answer they await pending from that answer, and reports how many (a
// chat that fails is left for the next scan, the others still done). It
// reads through tickets_chat_awaiting (its condition, word for word): the
// chats awaiting their customer, not the ticket history. An awaited
// answer left on a ticket no longer live is dropped.
func (db *DB) quietChats(ctx context.Context, now time.Time) (int, error) {
	cutoff := micros(now.Add(-chatQuietAfter))
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE chat_awaiting_since IS NOT NULL AND chat_awaiting_since <= ?`, cutoff)
	if err != nil {
		return 0, err
	}
	n := 0
	var first error
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			var status, channel string
			var since *int64
			err := tx.queryRow(ctx, `SELECT status, channel, chat_awaiting_since FROM tickets WHERE id = ?`+db.dialect.ForUpdate, id).Scan(&status, &channel, &since)
			if err != nil || since == nil || *since > cutoff {
				return err
			}
			if !liveTurn(&okcare.Ticket{Channel: channel, Status: status}) {
				return endChatWait(ctx, tx, id)
			}
			_, err = tx.exec(ctx, `UPDATE tickets SET status = ?, pending_since = ?, pending_warned_at = NULL, chat_awaiting_since = NULL, updated_at = ? WHERE id = ?`,
				okcare.TicketPending, *since, micros(now), id)
			n++
			return err
		})
		if err != nil && first == nil {
			first = err // the others are still settled
		}
	}
	return n, first
}
