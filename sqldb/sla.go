package sqldb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/okcare/okcare"
)

// SLAScan first makes the live chats quiet since an agent's answer
// pending from it (chatturn.go), then looks at unanswered open tickets:
// those whose first-response
// target falls within warnWithin get a warning note, those past it a breach
// note (and a mail to DB.SLAAlertTo), each once. Then it reports, once
// each, the unsolved tickets whose resolution target passed while their
// clock ran (pending tickets are paused). It returns how many tickets it
// warned about and how many breaches it reported. The River SLA job runs it
// every minute; running it twice or on two nodes at once marks nothing twice.
func (db *DB) SLAScan(ctx context.Context, now time.Time, warnWithin time.Duration) (warned, breached int, err error) {
	// Live chats quiet since an answer are paused from it before any clock
	// is judged (chatturn.go); a chat that could not be is judged as it
	// stands, and the scans go on.
	_, quietErr := db.quietChats(ctx, now)
	warned, breached, err = db.targetScans(ctx, now, warnWithin)
	return warned, breached, errors.Join(quietErr, err)
}

// targetScans is SLAScan's look at the first-response and resolution
// targets.
func (db *DB) targetScans(ctx context.Context, now time.Time, warnWithin time.Duration) (warned, breached int, err error) {
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE first_responded_at IS NULL AND first_response_due IS NOT NULL
		AND status NOT IN ('solved', 'closed') AND sla_breached_at IS NULL AND first_response_due <= ?`, micros(now.Add(warnWithin)))
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			// Re-read under the lock: another node may have marked it.
			t, err := lockTicket(ctx, tx, id)
			if err != nil || t.FirstRespondedAt != nil || t.FirstResponseDue == nil {
				return err
			}
			var warnedAt, breachedAt *int64
			if err := tx.queryRow(ctx, `SELECT sla_warned_at, sla_breached_at FROM tickets WHERE id = ?`, id).Scan(&warnedAt, &breachedAt); err != nil {
				return err
			}
			due := beijingTime(*t.FirstResponseDue)
			switch {
			case !now.Before(*t.FirstResponseDue) && breachedAt == nil:
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_breached_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				breached++
				if err := addNote(ctx, tx, id, NoteSLAFirstBreached, map[string]string{"due": noteTime(*t.FirstResponseDue)}); err != nil {
					return err
				}
				return db.slaAlert(ctx, tx, t, "sla_breach", fmt.Sprintf("SLA breached: ticket #%d", t.Number),
					fmt.Sprintf("Ticket #%d (%s) had no first response by %s.", t.Number, t.Subject, due))
			case now.Before(*t.FirstResponseDue) && warnedAt == nil:
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_warned_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				warned++
				if err := addNote(ctx, tx, id, NoteSLAFirstWarning, map[string]string{"due": noteTime(*t.FirstResponseDue)}); err != nil {
					return err
				}
				return db.slaAlert(ctx, tx, t, "sla_warning", fmt.Sprintf("Due soon: first response on ticket #%d", t.Number),
					fmt.Sprintf("Ticket #%d (%s) needs a first response by %s.", t.Number, t.Subject, due))
			}
			return nil
		})
		if err != nil {
			return warned, breached, err
		}
	}
	soon, late, err := db.resolutionScan(ctx, now, warnWithin)
	return warned + soon, breached + late, err
}

// slaAlert mails the agent who has the ticket and, for breaches, the team
// mailbox (DB.SLAAlertTo); a warning on an unassigned ticket goes to the
// team mailbox too, since nobody else would see it.
func (db *DB) slaAlert(ctx context.Context, tx *Tx, t *okcare.Ticket, event, subject, body string) error {
	var to []string
	if t.AssigneeID != "" {
		var email string
		if err := tx.queryRow(ctx, `SELECT email FROM agents WHERE id = ?`, t.AssigneeID).Scan(&email); err == nil {
			to = append(to, email)
		}
	}
	if db.SLAAlertTo != "" && (event == "sla_breach" || len(to) == 0) {
		to = append(to, db.SLAAlertTo)
	}
	for _, addr := range to {
		if err := enqueueThreaded(ctx, tx, "", okcare.ChannelEmail, addr, event, subject, body, t.ID, ""); err != nil {
			return err
		}
	}
	return nil
}

// resolutionScan warns about, and then reports, unsolved tickets whose
// resolution target is near or past while their clock runs (pending
// tickets are paused), each once.
func (db *DB) resolutionScan(ctx context.Context, now time.Time, warnWithin time.Duration) (warned, breached int, err error) {
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE resolution_due IS NOT NULL AND status IN ('new', 'open', 'on_hold')
		AND sla_resolution_breached_at IS NULL AND resolution_due <= ?`, micros(now.Add(warnWithin)))
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			t, err := lockTicket(ctx, tx, id)
			if err != nil || t.ResolutionDue == nil || t.Status == okcare.TicketPending || t.Status == okcare.TicketSolved || t.Status == okcare.TicketClosed {
				return err
			}
			var warnedAt, breachedAt, awaiting *int64
			if err := tx.queryRow(ctx, `SELECT sla_resolution_warned_at, sla_resolution_breached_at, chat_awaiting_since FROM tickets WHERE id = ?`, id).
				Scan(&warnedAt, &breachedAt, &awaiting); err != nil {
				return err
			}
			if awaiting != nil && *awaiting < micros(*t.ResolutionDue) {
				// A live chat answered before its target and not yet quiet
				// for long: paused from the answer unless the customer
				// speaks within chatQuietAfter (chatturn.go). Judged once
				// that is known.
				return nil
			}
			due := beijingTime(*t.ResolutionDue)
			switch {
			case breachedAt != nil:
				return nil
			case t.ResolutionBreached(now):
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_resolution_breached_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				breached++
				if err := addNote(ctx, tx, id, NoteSLAResolutionBreached, map[string]string{"due": noteTime(*t.ResolutionDue)}); err != nil {
					return err
				}
				return db.slaAlert(ctx, tx, t, "sla_breach", fmt.Sprintf("SLA breached: ticket #%d not resolved", t.Number),
					fmt.Sprintf("Ticket #%d (%s) was due to be resolved by %s.", t.Number, t.Subject, due))
			case warnedAt == nil:
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_resolution_warned_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				warned++
				if err := addNote(ctx, tx, id, NoteSLAResolutionWarning, map[string]string{"due": noteTime(*t.ResolutionDue)}); err != nil {
					return err
				}
				return db.slaAlert(ctx, tx, t, "sla_warning", fmt.Sprintf("Due soon: resolution of ticket #%d", t.Number),
					fmt.Sprintf("Ticket #%d (%s) is due to be resolved by %s.", t.Number, t.Subject, due))
			}
			return nil
		})
		if err != nil {
			return warned, breached, err
		}
	}
	return warned, breached, nil
}
