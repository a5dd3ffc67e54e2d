package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// ChatQueue returns where a chat stands; see okcare.ChatQueueService. A
// chat waits until an agent first answers it; chats older than a chat
// token are abandoned (their customer cannot come back) and are not
// counted ahead of anyone.
func (db *DB) ChatQueue(ctx context.Context, ticketID string) (okcare.ChatQueue, error) {
	var q okcare.ChatQueue
	var lang, status string
	var assignee sql.NullString
	var created int64
	var answered sql.NullInt64
	err := db.queryRow(ctx, `SELECT lang, status, assignee_id, created_at, first_responded_at FROM tickets WHERE id = ? AND channel = 'chat'`, ticketID).
		Scan(&lang, &status, &assignee, &created, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return q, okcare.Errorf(okcare.ENOTFOUND, "No such chat.")
	} else if err != nil {
		return q, err
	}
	q.Answered, q.Ended = answered.Valid, status == okcare.TicketSolved || status == okcare.TicketClosed
	if q.AgentsOnline, err = db.ChatAgentsOnline(ctx, lang); err != nil {
		return q, err
	}
	if q.Answered || q.Ended {
		return q, nil
	}
	line, args := ` AND assignee_id IS NULL`, []any{micros(db.Now().Add(-chatTokenTTL)), created, created, ticketID}
	if assignee.Valid {
		line, args = ` AND assignee_id = ?`, append(args, assignee.String)
	}
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM tickets WHERE channel = 'chat' AND status IN ('new', 'open') AND first_responded_at IS NULL
		AND created_at > ? AND (created_at < ? OR (created_at = ? AND id < ?))`+line, args...).Scan(&q.Ahead)
	return q, err
}

// ChatWaitingQueue returns the live chats and online agents' languages
// ChatQueue's answers follow from; see okcare.ChatQueueService. The
// chats' condition is the tickets_live_chats index's, word for word.
func (db *DB) ChatWaitingQueue(ctx context.Context) (okcare.ChatWaitingQueue, error) {
	since := micros(db.Now().Add(-chatTokenTTL))
	q := okcare.ChatWaitingQueue{Since: fromMicros(since)}
	rows, err := db.query(ctx, `SELECT id, lang, status, assignee_id, first_responded_at FROM tickets
		WHERE channel = 'chat' AND status NOT IN ('solved', 'closed') AND created_at > ? ORDER BY created_at, id`, since)
	if err != nil {
		return q, err
	}
	defer rows.Close()
	for rows.Next() {
		var c okcare.WaitingChat
		var status string
		var assignee sql.NullString
		var answered sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Lang, &status, &assignee, &answered); err != nil {
			return q, err
		}
		c.AssigneeID, c.Answered = assignee.String, answered.Valid
		c.Queued = !c.Answered && (status == okcare.TicketNew || status == okcare.TicketOpen)
		q.Chats = append(q.Chats, c)
	}
	if err := rows.Err(); err != nil {
		return q, err
	}
	rows.Close()
	agents, err := db.query(ctx, `SELECT langs FROM agents WHERE presence = 'online'`)
	if err != nil {
		return q, err
	}
	defer agents.Close()
	for agents.Next() {
		var langs string
		if err := agents.Scan(&langs); err != nil {
			return q, err
		}
		q.AgentLangs = append(q.AgentLangs, strings.Split(langs, ","))
	}
	return q, agents.Err()
}

// ChatAgentsOnline counts the online agents who speak lang.
func (db *DB) ChatAgentsOnline(ctx context.Context, lang string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM agents WHERE presence = 'online' AND ',' || langs || ',' LIKE ?`, "%,"+lang+",%").Scan(&n)
	return n, err
}

// ChatUnread counts, for each live chat, the customer's messages since the
// last public agent message; see okcare.ChatQueueService.
func (db *DB) ChatUnread(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT m.ticket_id, COUNT(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
		WHERE t.channel = 'chat' AND t.status NOT IN ('solved', 'closed') AND m.public = TRUE AND (m.author = 'contact' OR m.author LIKE 'user:%')
		AND m.seq > COALESCE((SELECT MAX(a.seq) FROM ticket_messages a WHERE a.ticket_id = m.ticket_id AND a.public = TRUE AND a.author LIKE 'agent:%'), 0)
		GROUP BY m.ticket_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// RateChat records an ended chat's rating in its survey (sent when it was
// solved), so the reports count it like any other answer.
func (db *DB) RateChat(ctx context.Context, ticketID string, rating int, comment string) error {
	if rating < 1 || rating > 5 {
		return okcare.Errorf(okcare.EINVALID, "rating must be 1-5.")
	}
	if utf8.RuneCountInString(comment) > 1000 || !utf8.ValidString(comment) {
		return okcare.Errorf(okcare.EINVALID, "comment is at most 1000 characters.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if t.Channel != okcare.ChannelChat {
			return okcare.Errorf(okcare.ENOTFOUND, "No such chat.")
		}
		var answered sql.NullInt64
		err = tx.queryRow(ctx, `SELECT answered_at FROM csat WHERE ticket_id = ?`, ticketID).Scan(&answered)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && t.Status != okcare.TicketSolved && t.Status != okcare.TicketClosed) {
			return okcare.Errorf(okcare.ECONFLICT, "The chat has not ended yet.")
		} else if err != nil {
			return err
		}
		if answered.Valid {
			return okcare.Errorf(okcare.ECONFLICT, "Thank you, this chat was already rated.")
		}
		comment = (&masker{lang: t.Lang}).text(comment) // secrets.go
		_, err = tx.exec(ctx, `UPDATE csat SET rating = ?, comment = ?, answered_at = ? WHERE ticket_id = ?`, rating, comment, micros(tx.now), ticketID)
		return err
	})
}
