package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/upload"
)

// checkAttachments validates files before any transaction starts, replacing
// their names and types with the checked ones.
func checkAttachments(list []*okcare.Attachment) error {
	if len(list) > upload.MaxPerTicket {
		return okcare.Errorf(okcare.EINVALID, "At most %d files can be attached to a ticket.", upload.MaxPerTicket)
	}
	for _, a := range list {
		name, ct, err := upload.Check(a.Filename, a.Data)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(a.Data)
		a.Filename, a.ContentType, a.Size, a.SHA256 = name, ct, int64(len(a.Data)), hex.EncodeToString(sum[:])
	}
	return nil
}

// insertAttachments stores checked files on a ticket inside tx, keeping
// the ticket at or under its limit.
func insertAttachments(ctx context.Context, tx *Tx, ticketID, messageID string, list []*okcare.Attachment) error {
	if len(list) == 0 {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM attachments WHERE ticket_id = ?`, ticketID).Scan(&n); err != nil {
		return err
	}
	if n+len(list) > upload.MaxPerTicket {
		return okcare.Errorf(okcare.ECONFLICT, "This ticket already has the most files allowed (%d).", upload.MaxPerTicket)
	}
	for _, a := range list {
		a.ID, a.TicketID, a.MessageID, a.CreatedAt = token.ID("att_"), ticketID, messageID, fromMicros(micros(tx.now))
		if _, err := tx.exec(ctx, `INSERT INTO attachments (id, ticket_id, message_id, filename, content_type, size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, ticketID, nullString(messageID), a.Filename, a.ContentType, a.Size, a.SHA256, a.Data, micros(tx.now)); err != nil {
			return err
		}
	}
	return nil
}

// AddAttachment attaches a checked file to a ticket with a public note
// naming it, so the conversation shows when it came.
func (db *DB) AddAttachment(ctx context.Context, ticketID, author string, a *okcare.Attachment) error {
	if err := checkAttachments([]*okcare.Attachment{a}); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if t.Status == okcare.TicketClosed {
			return okcare.Errorf(okcare.ECONFLICT, "This ticket is closed; open a new one.")
		}
		secrets := maskAttachments([]*okcare.Attachment{a}, t.Lang) // see secrets.go
		m := &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: fmt.Sprintf("📎 %s (%s)", a.Filename, humanSize(a.Size))}
		if err := insertTicketMessage(ctx, tx, m); err != nil {
			return err
		}
		if err := insertAttachments(ctx, tx, t.ID, m.ID, []*okcare.Attachment{a}); err != nil {
			return err
		}
		if _, err = tx.exec(ctx, `UPDATE tickets SET updated_at = ? WHERE id = ?`, micros(tx.now), t.ID); err != nil || secrets == nil || !customerAuthor(author) {
			return err
		}
		w, err := db.flagSecret(ctx, tx, t, secrets)
		if err != nil {
			return err
		}
		return mailSecretWarning(ctx, tx, t, w)
	})
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

const attachmentColumns = `id, ticket_id, message_id, filename, content_type, size, sha256, created_at`

func scanAttachment(row interface{ Scan(...any) error }, withData bool) (*okcare.Attachment, error) {
	var a okcare.Attachment
	var msg sql.NullString
	var created int64
	dest := []any{&a.ID, &a.TicketID, &msg, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &created}
	if withData {
		dest = append(dest, &a.Data)
	}
	if err := row.Scan(dest...); errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such attachment.")
	} else if err != nil {
		return nil, err
	}
	a.MessageID, a.CreatedAt = msg.String, fromMicros(created)
	return &a, nil
}

// Attachments lists a ticket's files, oldest first, without data.
func (db *DB) Attachments(ctx context.Context, ticketID string) ([]*okcare.Attachment, error) {
	rows, err := db.query(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE ticket_id = ? ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns one file of a ticket with its data; a file of another
// ticket is "not found".
func (db *DB) Attachment(ctx context.Context, ticketID, id string) (*okcare.Attachment, error) {
	return scanAttachment(db.queryRow(ctx, `SELECT `+attachmentColumns+`, data FROM attachments WHERE id = ? AND ticket_id = ?`, id, ticketID), true)
}
