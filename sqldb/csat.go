package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/token"
)

// validTicketStatus reports whether s is a ticket status.
func validTicketStatus(s string) bool {
	switch s {
	case okcare.TicketNew, okcare.TicketOpen, okcare.TicketPending, okcare.TicketOnHold, okcare.TicketSolved, okcare.TicketClosed:
		return true
	}
	return false
}

// SetTicketStatus moves a ticket to another status. Solving it sends the
// customer a satisfaction survey; pending starts the auto-solve clock.
func (db *DB) SetTicketStatus(ctx context.Context, ticketID, actor, status string) (*okcare.Ticket, error) {
	if !validTicketStatus(status) || status == okcare.TicketNew {
		return nil, okcare.Errorf(okcare.EINVALID, "status must be open, pending, on_hold, solved or closed.")
	}
	var t *okcare.Ticket
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if t, err = setStatus(ctx, tx, ticketID, actor, status); err != nil {
			return err
		}
		return addNote(ctx, tx, ticketID, NoteStatusSet, map[string]string{"status": status, "by": actor})
	})
	return t, err
}

// setStatus applies a status change inside tx.
func setStatus(ctx context.Context, tx *Tx, ticketID, actor, status string) (*okcare.Ticket, error) {
	t, err := lockTicket(ctx, tx, ticketID)
	if err != nil {
		return nil, err
	}
	if t.Status == okcare.TicketClosed {
		return nil, okcare.Errorf(okcare.ECONFLICT, "This ticket is closed.")
	}
	if t.Status == status {
		return nil, okcare.Errorf(okcare.ECONFLICT, "The ticket is already %s.", status)
	}
	var pendingSince, solvedAt any
	if status == okcare.TicketPending {
		pendingSince = micros(tx.now)
	}
	// A live chat quiet since an answer for chatQuietAfter is paused from
	// the answer, whether or not the scan got there first (chatturn.go).
	var awaiting int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(chat_awaiting_since, 0) FROM tickets WHERE id = ?`, t.ID).Scan(&awaiting); err != nil {
		return nil, err
	}
	if since := awaitedPause(t, awaiting, tx.now); since != nil {
		t.PausedSince = since
		if status == okcare.TicketPending {
			pendingSince = awaiting
		}
	}
	if status == okcare.TicketSolved {
		solvedAt = micros(tx.now)
	} else if status == okcare.TicketClosed {
		solvedAt = nullMicros(t.SolvedAt)
	}
	// Any pause ends here (a new one starts if the status is pending).
	if _, err := tx.exec(ctx, `UPDATE tickets SET status = ?, updated_at = ?, pending_since = ?, pending_warned_at = NULL, resolution_due = ?, solved_at = ?,
		chat_awaiting_since = NULL WHERE id = ?`,
		status, micros(tx.now), pendingSince, tx.db.resumedDue(t, tx.now), solvedAt, t.ID); err != nil {
		return nil, err
	}
	t.Status = status
	if status == okcare.TicketSolved {
		// A customer ending their own chat rates it right there, on the
		// page; a mail asking again a moment later would only nag.
		mail := !(t.Channel == okcare.ChannelChat && actor == "contact")
		if err := sendSurvey(ctx, tx, t, mail); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// sendSurvey records a new survey for the ticket and, if mail, mails its
// link.
func sendSurvey(ctx context.Context, tx *Tx, t *okcare.Ticket, mail bool) error {
	tok := token.New("okcsat_")
	_, err := tx.exec(ctx, `INSERT INTO csat (ticket_id, token_hash, sent_at) VALUES (?, ?, ?)
		ON CONFLICT (ticket_id) DO UPDATE SET token_hash = excluded.token_hash, rating = NULL, comment = '', sent_at = excluded.sent_at, answered_at = NULL`,
		t.ID, token.Hash(tok), micros(tx.now))
	if err != nil {
		return err
	}
	to := ticketEmail(ctx, tx, t)
	if to == "" || !mail {
		return nil
	}
	args := notice.Args{"Number": t.Number, "Link": tx.db.PublicLink("/csat?lang=" + t.Lang + "&token=" + tok)}
	return enqueueThreaded(ctx, tx, t.UserID, okcare.ChannelEmail, to, "csat_survey", notice.T(t.Lang, "survey_subject", args), notice.T(t.Lang, "survey_body", args), t.ID, "")
}

// AnswerSurvey records a customer's rating once.
func (db *DB) AnswerSurvey(ctx context.Context, tok string, rating int, comment string) error {
	return db.answerSurvey(ctx, "token_hash", token.Hash(tok), rating, comment)
}

// RateTicket answers a ticket's survey from the customer's own ticket page
// (signed in, or through its private link).
func (db *DB) RateTicket(ctx context.Context, ticketID string, rating int, comment string) error {
	return db.answerSurvey(ctx, "ticket_id", ticketID, rating, comment)
}

// answerSurvey records the answer of the survey whose column (token_hash
// or ticket_id) is key, once.
func (db *DB) answerSurvey(ctx context.Context, column, key string, rating int, comment string) error {
	if rating < 1 || rating > 5 {
		return okcare.Errorf(okcare.EINVALID, "rating must be 1-5.")
	}
	if utf8.RuneCountInString(comment) > 1000 || !utf8.ValidString(comment) || strings.ContainsRune(comment, 0) {
		return okcare.Errorf(okcare.EINVALID, "comment is at most 1000 characters.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var answered sql.NullInt64
		err := tx.queryRow(ctx, `SELECT answered_at FROM csat WHERE `+column+` = ?`+db.dialect.ForUpdate, key).Scan(&answered)
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.EUNAUTHORIZED, "This survey link is not valid.")
		} else if err != nil {
			return err
		}
		if answered.Valid {
			return okcare.Errorf(okcare.ECONFLICT, "Thank you, this survey was already answered.")
		}
		comment = (&masker{lang: okcare.LangZH}).text(comment) // secrets.go
		_, err = tx.exec(ctx, `UPDATE csat SET rating = ?, comment = ?, answered_at = ? WHERE `+column+` = ?`, rating, comment, micros(tx.now), key)
		return err
	})
}

// PendingScan makes live chats quiet since an agent's answer pending
// (chatturn.go), then reminds customers of tickets pending on them for
// warnAfter, and solves those pending for solveAfter (sending the survey),
// each once.
func (db *DB) PendingScan(ctx context.Context, now time.Time, warnAfter, solveAfter time.Duration) (warned, solved int, err error) {
	_, quietErr := db.quietChats(ctx, now) // a chat that could not be waits for the next scan
	warned, solved, err = db.pendingTickets(ctx, now, warnAfter, solveAfter)
	return warned, solved, errors.Join(quietErr, err)
}

// pendingTickets is PendingScan's reminders and auto-solves.
func (db *DB) pendingTickets(ctx context.Context, now time.Time, warnAfter, solveAfter time.Duration) (warned, solved int, err error) {
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE status = 'pending' AND pending_since IS NOT NULL AND pending_since <= ?`, micros(now.Add(-warnAfter)))
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			var status string
			var since, warnedAt sql.NullInt64
			err := tx.queryRow(ctx, `SELECT status, pending_since, pending_warned_at FROM tickets WHERE id = ?`+db.dialect.ForUpdate, id).Scan(&status, &since, &warnedAt)
			if err != nil || status != okcare.TicketPending || !since.Valid {
				return err
			}
			waited := now.Sub(fromMicros(since.Int64))
			switch {
			case waited >= solveAfter:
				if _, err := setStatus(ctx, tx, id, "system", okcare.TicketSolved); err != nil {
					return err
				}
				solved++
				return addNote(ctx, tx, id, NoteAutoSolved, nil)
			case !warnedAt.Valid:
				t, err := findTicket(ctx, tx, id)
				if err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `UPDATE tickets SET pending_warned_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				warned++
				if to := ticketEmail(ctx, tx, t); to != "" {
					days := int((solveAfter-waited).Hours()/24 + 0.5)
					args := notice.Args{"Number": t.Number, "Days": days}
					if err := enqueueThreaded(ctx, tx, t.UserID, okcare.ChannelEmail, to, "pending_reminder", notice.T(t.Lang, "pending_subject", args), notice.T(t.Lang, "pending_body", args), t.ID, ""); err != nil {
						return err
					}
				}
				return addNote(ctx, tx, id, NoteReminderSent, nil)
			}
			return nil
		})
		if err != nil {
			return warned, solved, err
		}
	}
	return warned, solved, nil
}

// TicketSurvey returns a ticket's survey, or nil if none was sent.
func (db *DB) TicketSurvey(ctx context.Context, ticketID string) (*okcare.Survey, error) {
	var sv okcare.Survey
	var rating, answered sql.NullInt64
	var sent int64
	err := db.queryRow(ctx, `SELECT rating, comment, sent_at, answered_at FROM csat WHERE ticket_id = ?`, ticketID).Scan(&rating, &sv.Comment, &sent, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	sv.Rating, sv.SentAt, sv.AnsweredAt = int(rating.Int64), fromMicros(sent), fromNullMicros(answered)
	return &sv, nil
}
