package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// chatTokenTTL is how long a customer's browser can come back to a chat.
const chatTokenTTL = 24 * time.Hour

// OpenChat creates a chat ticket and its customer token, in one
// transaction: no chat without its token, no token without its chat.
func (db *DB) OpenChat(ctx context.Context, req okcare.NewTicket) (*okcare.Ticket, string, error) {
	req.Channel, req.IdempotencyKey = okcare.ChannelChat, ""
	tok := token.New("okchat_")
	t, err := db.createTicket(ctx, req, func(tx *Tx, t *okcare.Ticket) error {
		_, err := tx.exec(ctx, `INSERT INTO chat_sessions (token_hash, ticket_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			token.Hash(tok), t.ID, micros(tx.now), micros(tx.now.Add(chatTokenTTL)))
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return t, tok, nil
}

// ChatTicket resolves a customer's chat token to its ticket.
func (db *DB) ChatTicket(ctx context.Context, tok string) (*okcare.Ticket, error) {
	var id string
	err := db.queryRow(ctx, `SELECT ticket_id FROM chat_sessions WHERE token_hash = ? AND expires_at > ?`, token.Hash(tok), micros(db.Now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.EUNAUTHORIZED, "This chat has ended; start a new one.")
	} else if err != nil {
		return nil, err
	}
	return db.FindTicket(ctx, id)
}

// maxCatchUp is the most messages one catch-up read returns.
const maxCatchUp = 500

// ChatMessagesSince lists a ticket's public messages after seq, in order;
// see okcare.ChatService. The (ticket_id, seq) index serves it.
func (db *DB) ChatMessagesSince(ctx context.Context, ticketID string, seq int64, limit int) ([]*okcare.TicketMessage, error) {
	if limit <= 0 || limit > maxCatchUp {
		limit = maxCatchUp
	}
	return db.listMessages(ctx, `SELECT `+messageColumns+` FROM ticket_messages WHERE ticket_id = ? AND seq > ? AND public = TRUE ORDER BY seq LIMIT ?`, ticketID, seq, limit)
}
