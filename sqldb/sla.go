package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/okcare/okcare"
)

// SLAScan looks at unanswered open tickets: those whose first-response
// target falls within warnWithin get a warning note, those past it a breach
// note (and a mail to DB.SLAAlertTo), each once. Then it reports, once
// each, the unsolved tickets whose resolution target passed while their
// clock ran (pending tickets are paused). It returns how many tickets it
// warned about and how many breaches it reported. The River SLA job runs it every minute; running it twice or on
// two nodes at once marks nothing twice.
func (db *DB) SLAScan(ctx context.Context, now time.Time, warnWithin time.Duration) (warned, breached int, err error) {
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE first_responded_at IS NULL AND first_response_due IS NOT NULL
		AND status NOT IN ('solved', 'closed') AND sla_breached_at IS NULL AND first_response_due <= ?`, micros(now.Add(warnWithin)))
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			// Re-read under the lock: another node may have marked it.
			t, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`+db.dialect.ForUpdate, id))
			if err != nil || t.FirstRespondedAt != nil || t.FirstResponseDue == nil {
				return err
			}
			var warnedAt, breachedAt *int64
			if err := tx.queryRow(ctx, `SELECT sla_warned_at, sla_breached_at FROM tickets WHERE id = ?`, id).Scan(&warnedAt, &breachedAt); err != nil {
				return err
			}
			due := t.FirstResponseDue.In(time.FixedZone("UTC+8", 8*3600)).Format("2006-01-02 15:04 (UTC+8)")
			switch {
			case !now.Before(*t.FirstResponseDue) && breachedAt == nil:
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_breached_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				breached++
				if err := addNote(ctx, tx, id, "SLA breached: the first response was due "+due+"."); err != nil {
					return err
				}
				if db.SLAAlertTo == "" {
					return nil
				}
				return enqueueThreaded(ctx, tx, "", okcare.ChannelEmail, db.SLAAlertTo, "sla_breach",
					fmt.Sprintf("SLA breached: ticket #%d", t.Number), fmt.Sprintf("Ticket #%d (%s) had no first response by %s.", t.Number, t.Subject, due), id, "")
			case now.Before(*t.FirstResponseDue) && warnedAt == nil:
				if _, err := tx.exec(ctx, `UPDATE tickets SET sla_warned_at = ? WHERE id = ?`, micros(now), id); err != nil {
					return err
				}
				warned++
				return addNote(ctx, tx, id, "SLA warning: the first response is due "+due+".")
			}
			return nil
		})
		if err != nil {
			return warned, breached, err
		}
	}
	late, err := db.resolutionScan(ctx, now)
	return warned, breached + late, err
}

// resolutionScan reports unsolved tickets past their resolution target.
func (db *DB) resolutionScan(ctx context.Context, now time.Time) (int, error) {
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE resolution_due IS NOT NULL AND resolution_due <= ?
		AND status IN ('new', 'open', 'on_hold') AND sla_resolution_breached_at IS NULL`, micros(now))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *Tx) error {
			t, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`+db.dialect.ForUpdate, id))
			if err != nil || !t.ResolutionBreached(now) || t.Status == okcare.TicketPending || t.Status == okcare.TicketSolved || t.Status == okcare.TicketClosed {
				return err
			}
			res, err := tx.exec(ctx, `UPDATE tickets SET sla_resolution_breached_at = ? WHERE id = ? AND sla_resolution_breached_at IS NULL`, micros(now), id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil
			}
			n++
			due := t.ResolutionDue.In(time.FixedZone("UTC+8", 8*3600)).Format("2006-01-02 15:04 (UTC+8)")
			if err := addNote(ctx, tx, id, "SLA breached: resolution was due "+due+"."); err != nil {
				return err
			}
			if db.SLAAlertTo == "" {
				return nil
			}
			return enqueueThreaded(ctx, tx, "", okcare.ChannelEmail, db.SLAAlertTo, "sla_breach",
				fmt.Sprintf("SLA breached: ticket #%d not resolved", t.Number), fmt.Sprintf("Ticket #%d (%s) was due to be resolved by %s.", t.Number, t.Subject, due), id, "")
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
