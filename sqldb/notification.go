package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/token"
)

// alertEvents are the security events that notify the user; their words
// are the notice catalog's alert_<event> messages, in the user's language,
// and never contain a secret: no code, token or password.
var alertEvents = map[string]bool{
	okcare.EventNewDeviceLogin: true, okcare.EventPasswordChanged: true, okcare.EventTOTPEnabled: true, okcare.EventTOTPDisabled: true,
	okcare.EventAccountFrozen: true, okcare.EventAccountUnfrozen: true, okcare.EventLoginRestricted: true, okcare.EventRestrictionLift: true,
}

// enqueueSecurityAlert puts a notification for event into the outbox, on
// every contact the user has, inside the caller's transaction: the alert is
// stored if and only if the change it reports is.
func enqueueSecurityAlert(ctx context.Context, tx *Tx, u *okcare.User, event string) error {
	if !alertEvents[event] {
		return nil
	}
	return enqueueAlert(ctx, tx, u, event, "alert_"+event, nil)
}

// enqueueAlert is enqueueSecurityAlert with the words of catalog message
// key (and key_subject), filled in with args.
func enqueueAlert(ctx context.Context, tx *Tx, u *okcare.User, event, key string, args notice.Args) error {
	return writeNotifications(ctx, tx, alertMessages(u, event, key, args))
}

// outgoing is one message for the outbox.
type outgoing struct {
	userID, channel, to, event, subject, body, ticketID, inReplyTo string
}

// alertMessages are an alert's messages: one to each contact the user has.
func alertMessages(u *okcare.User, event, key string, args notice.Args) []outgoing {
	subject, body := notice.T(u.Lang, key+"_subject", args), notice.T(u.Lang, key, args)
	var out []outgoing
	for _, c := range []struct{ channel, to string }{{okcare.ChannelEmail, u.Email}, {okcare.ChannelSMS, u.Phone}} {
		if c.to != "" {
			out = append(out, outgoing{userID: u.ID, channel: c.channel, to: c.to, event: event, subject: subject, body: body})
		}
	}
	return out
}

// enqueueMessage writes one outbox row and queues its delivery, inside tx.
func enqueueMessage(ctx context.Context, tx *Tx, userID, channel, to, event, subject, body string) error {
	return enqueueThreaded(ctx, tx, userID, channel, to, event, subject, body, "", "")
}

// oneTimeSecretEvents are the messages whose body carries a secret meant
// for the customer alone (a code, a reset link, a private ticket link).
// Their body is stored sealed with the secret key, so the database alone
// does not hold it, and is removed once the message is sent or given up:
// nothing is kept that a later reader of the database could use.
var oneTimeSecretEvents = map[string]bool{EventIdentityCode: true, EventPasswordReset: true, EventTicketAck: true, EventSelfFreezeCode: true}

// removedSecretBody replaces a secret body once it is no longer needed.
const removedSecretBody = "[removed after delivery: it carried a one-time secret]"

// enqueueThreaded is enqueueMessage for mail about a ticket.
func enqueueThreaded(ctx context.Context, tx *Tx, userID, channel, to, event, subject, body, ticketID, inReplyTo string) error {
	return writeNotifications(ctx, tx, []outgoing{{userID, channel, to, event, subject, body, ticketID, inReplyTo}})
}

// writeNotifications writes outbox rows (a batch of movements' alerts in
// few statements) and queues the delivery of each, inside tx. A body that
// carries a one-time secret is stored sealed.
func writeNotifications(ctx context.Context, tx *Tx, msgs []outgoing) error {
	rows, ids := notificationRows(tx, msgs)
	if err := insertRows(ctx, tx, `INSERT INTO notifications (`+newNotificationColumns+`) VALUES `, 11, rows, ``); err != nil {
		return err
	}
	return queueDeliveries(ctx, tx, ids)
}

// newNotificationColumns are the columns notificationRows fills.
const newNotificationColumns = `id, user_id, channel, to_addr, event, subject, body, status, created_at, ticket_id, in_reply_to`

// notificationRows returns the outbox rows of msgs and their ids.
func notificationRows(tx *Tx, msgs []outgoing) ([][]any, []string) {
	rows := make([][]any, len(msgs))
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = token.ID("ntf_")
		body := m.body
		if oneTimeSecretEvents[m.event] && tx.db.Secrets != nil {
			body = tx.db.Secrets.Seal(body, "notification:"+ids[i])
		}
		rows[i] = []any{ids[i], m.userID, m.channel, m.to, m.event, m.subject, body, okcare.NotificationPending, micros(tx.now), m.ticketID, m.inReplyTo}
	}
	return rows, ids
}

// queueDeliveries queues the delivery of written notifications, if a
// queue is configured.
func queueDeliveries(ctx context.Context, tx *Tx, ids []string) error {
	if tx.db.DeliveryJobs == nil {
		return nil
	}
	for _, id := range ids {
		if err := tx.db.DeliveryJobs(ctx, tx.tx, id); err != nil {
			return fmt.Errorf("queue delivery of %s: %w", id, err)
		}
	}
	return nil
}

const notificationColumns = `id, user_id, channel, to_addr, event, subject, body, status, attempts, last_error, created_at, sent_at, ticket_id, in_reply_to`

func scanNotifications(rows *sql.Rows) ([]*okcare.Notification, error) {
	defer rows.Close()
	var out []*okcare.Notification
	for rows.Next() {
		var n okcare.Notification
		var created int64
		var sent sql.NullInt64
		if err := rows.Scan(&n.ID, &n.UserID, &n.Channel, &n.To, &n.Event, &n.Subject, &n.Body, &n.Status, &n.Attempts, &n.LastError, &created, &sent, &n.TicketID, &n.InReplyTo); err != nil {
			return nil, err
		}
		n.CreatedAt, n.SentAt = fromMicros(created), fromNullMicros(sent)
		out = append(out, &n)
	}
	return out, rows.Err()
}

// Outbox lists notifications newest first. Messages that carry a one-time
// secret (a verification code, a reset link) show no body here: this list
// is for staff, and the secret is for the customer alone.
func (db *DB) Outbox(ctx context.Context, limit int) ([]*okcare.Notification, error) {
	rows, err := db.query(ctx, `SELECT `+notificationColumns+` FROM notifications ORDER BY created_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	list, err := scanNotifications(rows)
	for _, n := range list {
		if oneTimeSecretEvents[n.Event] {
			n.Body = "[hidden: contains a one-time secret for the customer]"
		}
	}
	return list, err
}

// Notification returns one notification.
func (db *DB) Notification(ctx context.Context, id string) (*okcare.Notification, error) {
	rows, err := db.query(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	list, err := scanNotifications(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such notification.")
	}
	n := list[0]
	if oneTimeSecretEvents[n.Event] && db.Secrets != nil && secretbox.IsSealed(n.Body) {
		if n.Body, err = db.Secrets.Open(n.Body, "notification:"+n.ID); err != nil {
			return nil, fmt.Errorf("open the body of %s (was the secret key changed?): %w", n.ID, err)
		}
	}
	if n.AntiPhishingCode, err = db.antiPhishingFor(ctx, n.To); err != nil {
		return nil, err
	}
	return n, nil
}

// MarkSent records a delivery.
func (db *DB) MarkSent(ctx context.Context, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET status = ?, attempts = attempts + 1, sent_at = ?, last_error = '' WHERE id = ?`,
			okcare.NotificationSent, micros(tx.now), id)
		if err != nil {
			return err
		}
		return removeSecretBody(ctx, tx, id)
	})
}

// MarkFailed records a failed attempt, and with giveUp the final one.
func (db *DB) MarkFailed(ctx context.Context, id, cause string, giveUp bool) error {
	if len(cause) > 500 {
		cause = cause[:500]
	}
	status := okcare.NotificationPending
	if giveUp {
		status = okcare.NotificationFailed
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET attempts = attempts + 1, last_error = ?, status = ? WHERE id = ?`, cause, status, id)
		if err != nil || !giveUp {
			return err
		}
		return removeSecretBody(ctx, tx, id)
	})
}

// removeSecretBody drops the body of a finished message that carried a
// one-time secret.
func removeSecretBody(ctx context.Context, tx *Tx, id string) error {
	events := make([]any, 0, len(oneTimeSecretEvents)+2)
	events = append(events, removedSecretBody, id)
	marks := ""
	for e := range oneTimeSecretEvents {
		events = append(events, e)
		marks += ",?"
	}
	_, err := tx.exec(ctx, `UPDATE notifications SET body = ? WHERE id = ? AND event IN (`+marks[1:]+`)`, events...)
	return err
}
