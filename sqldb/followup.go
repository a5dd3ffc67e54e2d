package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// maxFollowUpAhead is how far ahead a follow-up may be planned.
const maxFollowUpAhead = 90 * 24 * time.Hour

// ScheduleFollowUp plans a message to a ticket's customer.
func (db *DB) ScheduleFollowUp(ctx context.Context, ticketID, agentID, body string, due time.Time) (*okcare.FollowUp, error) {
	if strings.TrimSpace(body) == "" || utf8.RuneCountInString(body) > maxTicketText {
		return nil, okcare.Errorf(okcare.EINVALID, "A follow-up needs 1-%d characters.", maxTicketText)
	}
	f := &okcare.FollowUp{ID: token.ID("fup_"), TicketID: ticketID, Body: body, DueAt: fromMicros(micros(due)), CreatedBy: "agent:" + agentID}
	err := db.inTx(ctx, func(tx *Tx) error {
		if !due.After(tx.now) || due.Sub(tx.now) > maxFollowUpAhead {
			return okcare.Errorf(okcare.EINVALID, "A follow-up must be due in the future, at most 90 days ahead.")
		}
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if t.Status == okcare.TicketClosed {
			return okcare.Errorf(okcare.ECONFLICT, "This ticket is closed.")
		}
		if _, err := tx.exec(ctx, `INSERT INTO followups (id, ticket_id, body, due_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.ID, f.TicketID, f.Body, micros(due), f.CreatedBy, micros(tx.now)); err != nil {
			return err
		}
		return addNote(ctx, tx, t.ID, NoteFollowUpScheduled, map[string]string{"due": noteTime(due), "by": f.CreatedBy})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// CancelFollowUp cancels a planned message.
func (db *DB) CancelFollowUp(ctx context.Context, ticketID, id, agentID string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE followups SET canceled_at = ? WHERE id = ? AND ticket_id = ? AND sent_at IS NULL AND canceled_at IS NULL`, micros(tx.now), id, ticketID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM followups WHERE id = ? AND ticket_id = ?`, id, ticketID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return okcare.Errorf(okcare.ENOTFOUND, "No such follow-up on this ticket.")
			}
			return okcare.Errorf(okcare.ECONFLICT, "This follow-up was already sent or canceled.")
		}
		return addNote(ctx, tx, ticketID, NoteFollowUpCanceled, map[string]string{"followup": id, "by": "agent:" + agentID})
	})
}

const followUpColumns = `id, ticket_id, body, due_at, created_by, sent_at, canceled_at`

func scanFollowUp(row interface{ Scan(...any) error }) (*okcare.FollowUp, error) {
	var f okcare.FollowUp
	var due int64
	var sent, canceled sql.NullInt64
	if err := row.Scan(&f.ID, &f.TicketID, &f.Body, &due, &f.CreatedBy, &sent, &canceled); errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such follow-up.")
	} else if err != nil {
		return nil, err
	}
	f.DueAt, f.SentAt, f.CanceledAt = fromMicros(due), fromNullMicros(sent), fromNullMicros(canceled)
	return &f, nil
}

// FollowUps lists a ticket's follow-ups, soonest first.
func (db *DB) FollowUps(ctx context.Context, ticketID string) ([]*okcare.FollowUp, error) {
	rows, err := db.query(ctx, `SELECT `+followUpColumns+` FROM followups WHERE ticket_id = ? ORDER BY due_at, id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.FollowUp{}
	for rows.Next() {
		f, err := scanFollowUp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SendDueFollowUps posts each due follow-up as a public message and mails
// it, in one transaction per follow-up; a ticket closed meanwhile cancels
// it instead. The ticket's status does not change: a check-in on a solved
// ticket leaves it solved, and the customer's answer reopens it.
func (db *DB) SendDueFollowUps(ctx context.Context, now time.Time) (int, error) {
	ids, err := db.idList(ctx, `SELECT id FROM followups WHERE sent_at IS NULL AND canceled_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT 500`, micros(now))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			f, err := scanFollowUp(tx.queryRow(ctx, `SELECT `+followUpColumns+` FROM followups WHERE id = ?`+db.dialect.ForUpdate, id))
			if err != nil || f.SentAt != nil || f.CanceledAt != nil {
				return err // another node got here first
			}
			t, err := findTicket(ctx, tx, f.TicketID)
			if err != nil {
				return err
			}
			if t.Status == okcare.TicketClosed {
				_, err := tx.exec(ctx, `UPDATE followups SET canceled_at = ? WHERE id = ?`, micros(now), id)
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE followups SET sent_at = ? WHERE id = ?`, micros(now), id); err != nil {
				return err
			}
			if err := insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: t.ID, Author: f.CreatedBy, Public: true, Body: f.Body}); err != nil {
				return err
			}
			sent++
			return mailCustomer(ctx, tx, t, "ticket_followup", f.Body)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
