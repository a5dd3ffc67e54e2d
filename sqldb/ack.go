package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/token"
)

// ticketLinkTTL is how long a private ticket link works.
const ticketLinkTTL = 60 * 24 * time.Hour

// EventTicketAck is the acknowledgement of a new ticket. Its body carries
// the private ticket link, so the staff outbox view hides it like a code.
const EventTicketAck = "ticket_ack"

// ackDestination is where a new ticket's acknowledgement goes: the contact
// the customer gave, else the signed-in account's registered contact.
func ackDestination(ctx context.Context, tx *Tx, t *okcare.Ticket) (channel, to string, err error) {
	switch {
	case t.ContactEmail != "":
		return okcare.ChannelEmail, t.ContactEmail, nil
	case t.ContactPhone != "":
		return okcare.ChannelSMS, t.ContactPhone, nil
	case t.UserID != "":
		u, err := findUserByID(ctx, tx, t.UserID)
		if err != nil {
			return "", "", err
		}
		channel, to = registeredContact(u)
		return channel, to, nil
	}
	return "", "", nil
}

// acknowledge queues a new ticket's acknowledgement in the customer's
// language: the number, the promised first-response time for its channel
// (the stored target, from the team's hours and the calendar) and a
// private link to view and answer the ticket.
func acknowledge(ctx context.Context, tx *Tx, t *okcare.Ticket, ack *okcare.TicketAck) error {
	channel, to, err := ackDestination(ctx, tx, t)
	if err != nil || to == "" {
		return err
	}
	link, err := newTicketLink(ctx, tx, t.ID)
	if err != nil {
		return err
	}
	args := notice.Args{"Number": t.Number, "Link": link, "Due": beijingMinute(*t.FirstResponseDue)}
	// A deadline over days without holiday data counts weekends only: the
	// customer is told it may be later.
	provisional := ""
	if tx.db.calendarFor(t.Channel).Provisional(t.CreatedAt, *t.FirstResponseDue) {
		provisional = "_provisional"
	}
	if channel == okcare.ChannelSMS {
		return enqueueThreaded(ctx, tx, t.UserID, channel, to, EventTicketAck, "", notice.T(t.Lang, "ack_sms"+provisional, args), t.ID, "")
	}
	subject := notice.T(t.Lang, "ack_subject", args)
	inReplyTo := ""
	if ack != nil {
		inReplyTo = ack.InReplyTo
		if s := strings.TrimSpace(ack.Subject); s != "" {
			args["Subject"] = s
			subject = notice.T(t.Lang, "ack_subject_reply", args)
		}
	}
	parts := []string{notice.T(t.Lang, "ack_body"+provisional, args)}
	switch t.Channel {
	case okcare.ChannelMail, okcare.ChannelChat, okcare.ChannelPhone:
		parts = append(parts, notice.T(t.Lang, "ack_promise_"+t.Channel, nil))
	}
	safety := notice.T(t.Lang, "ack_safety", nil)
	if w := t.SecretWarning; w != nil {
		safety = w.Text // what was hidden from the request, and why (secrets.go)
	}
	parts = append(parts, notice.T(t.Lang, "ack_link", args), safety)
	return enqueueThreaded(ctx, tx, t.UserID, channel, to, EventTicketAck, subject, strings.Join(parts, "\n\n"), t.ID, inReplyTo)
}

// beijing is the support team's time zone, in which customers are given
// deadlines.
var beijing = time.FixedZone("UTC+8", 8*3600)

// beijingMinute formats a time for customers: Beijing time to the minute.
func beijingMinute(t time.Time) string {
	return t.In(beijing).Format("2006-01-02 15:04")
}

// newTicketLink makes a private link to one ticket; only the token's hash
// is stored.
func newTicketLink(ctx context.Context, tx *Tx, ticketID string) (string, error) {
	tok := token.New("okt_")
	_, err := tx.exec(ctx, `INSERT INTO ticket_access (token_hash, ticket_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
		token.Hash(tok), ticketID, micros(tx.now.Add(ticketLinkTTL)), micros(tx.now))
	if err != nil {
		return "", err
	}
	return tx.db.PublicLink("/support/t/" + tok), nil
}

// TicketByLink resolves a private ticket link's token.
func (db *DB) TicketByLink(ctx context.Context, tok string) (*okcare.Ticket, error) {
	bad := okcare.Errorf(okcare.EUNAUTHORIZED, "This ticket link is invalid or has expired.")
	if !strings.HasPrefix(tok, "okt_") || len(tok) > 100 {
		return nil, bad
	}
	var id string
	var expires int64
	err := db.queryRow(ctx, `SELECT ticket_id, expires_at FROM ticket_access WHERE token_hash = ?`, token.Hash(tok)).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !db.Now().Before(fromMicros(expires))) {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	return db.FindTicket(ctx, id)
}
