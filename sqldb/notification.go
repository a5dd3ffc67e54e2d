package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// alertText is the bilingual text of each security event. It never contains
// a secret: no code, token or password is ever put in a notification.
var alertText = map[string][2]string{
	okcare.EventNewDeviceLogin:  {"新设备登录 / New device login", "您的 OK 钱包账户刚刚在一台新设备上登录。如果不是您本人操作，请立即修改密码并联系客服。\nYour OK Wallet account was just signed in on a new device. If this was not you, change your password and contact support now."},
	okcare.EventPasswordChanged: {"密码已修改 / Password changed", "您的 OK 钱包登录密码已修改，其他设备已退出登录。如果不是您本人操作，请立即联系客服。\nYour OK Wallet password was changed and your other devices were signed out. If this was not you, contact support now."},
	okcare.EventTOTPEnabled:     {"已开启双重认证 / Two-factor authentication on", "您的 OK 钱包账户已开启双重认证。\nTwo-factor authentication is now on for your OK Wallet account."},
	okcare.EventTOTPDisabled:    {"已关闭双重认证 / Two-factor authentication off", "您的 OK 钱包账户已关闭双重认证。如果不是您本人操作，请立即联系客服。\nTwo-factor authentication was turned off for your OK Wallet account. If this was not you, contact support now."},
	okcare.EventAccountFrozen:   {"账户已冻结 / Account frozen", "为保护您的资产，您的 OK 钱包账户已被冻结，资金不会丢失。请在应用内或帮助中心联系客服了解原因。\nTo protect your funds your OK Wallet account has been frozen; no funds are lost. Contact support in the app or the help center to learn why."},
	okcare.EventAccountUnfrozen: {"账户已解冻 / Account unfrozen", "您的 OK 钱包账户已解冻，可以正常使用。\nYour OK Wallet account is unfrozen and works normally again."},
	okcare.EventLoginRestricted: {"登录受限 / Sign-in restricted", "您的 OK 钱包账户暂时限制了新设备登录。已登录过的设备不受影响。如果不是您本人操作，请修改密码并联系客服。\nSign-ins to your OK Wallet account from new devices are temporarily restricted. Devices you have used before are not affected. If this was not you, change your password and contact support."},
	okcare.EventRestrictionLift: {"登录限制已解除 / Sign-in restriction lifted", "您的 OK 钱包账户登录限制已解除。\nThe sign-in restriction on your OK Wallet account has been lifted."},
}

// enqueueSecurityAlert puts a notification for event into the outbox, on
// every contact the user has, inside the caller's transaction: the alert is
// stored if and only if the change it reports is.
func enqueueSecurityAlert(ctx context.Context, tx *Tx, u *okcare.User, event string) error {
	text, ok := alertText[event]
	if !ok {
		return nil
	}
	for _, c := range []struct{ channel, to string }{{okcare.ChannelEmail, u.Email}, {okcare.ChannelSMS, u.Phone}} {
		if c.to == "" {
			continue
		}
		if err := enqueueMessage(ctx, tx, u.ID, c.channel, c.to, event, text[0], text[1]); err != nil {
			return err
		}
	}
	return nil
}

// enqueueMessage writes one outbox row and queues its delivery, inside tx.
func enqueueMessage(ctx context.Context, tx *Tx, userID, channel, to, event, subject, body string) error {
	return enqueueThreaded(ctx, tx, userID, channel, to, event, subject, body, "", "")
}

// enqueueThreaded is enqueueMessage for mail about a ticket.
func enqueueThreaded(ctx context.Context, tx *Tx, userID, channel, to, event, subject, body, ticketID, inReplyTo string) error {
	id := token.ID("ntf_")
	_, err := tx.exec(ctx, `INSERT INTO notifications (id, user_id, channel, to_addr, event, subject, body, status, created_at, ticket_id, in_reply_to)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, channel, to, event, subject, body, okcare.NotificationPending, micros(tx.now), ticketID, inReplyTo)
	if err != nil {
		return err
	}
	if tx.db.DeliveryJobs != nil {
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
		if n.Event == EventIdentityCode || n.Event == EventPasswordReset || n.Event == EventTicketAck {
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
	return list[0], nil
}

// MarkSent records a delivery.
func (db *DB) MarkSent(ctx context.Context, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET status = ?, attempts = attempts + 1, sent_at = ?, last_error = '' WHERE id = ?`,
			okcare.NotificationSent, micros(tx.now), id)
		return err
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
		return err
	})
}
