package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
)

// accountCauses are ticket categories about the customer's own account:
// an outage does not explain them, so such tickets are not linked to it.
var accountCauses = map[string]bool{"account_frozen": true, "account_login_restricted": true, "scam_contact": true, "device_lost": true}

// incidentForNewTicket is the incident a ticket arriving now is about: the
// newest one still open, unless the ticket is about the customer's account.
func incidentForNewTicket(ctx context.Context, tx *Tx, t *okcare.Ticket) (string, error) {
	if accountCauses[t.Category] {
		return "", nil
	}
	var id string
	err := tx.queryRow(ctx, `SELECT id FROM incidents WHERE status <> ? ORDER BY created_at DESC, id LIMIT 1`, okcare.IncidentResolved).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// LinkTicketIncident sets or clears the incident a ticket is about.
func (db *DB) LinkTicketIncident(ctx context.Context, ticketID, incidentID, actor string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if incidentID != "" {
			inc, err := findIncident(ctx, tx, incidentID, "")
			if err != nil {
				return err
			}
			if inc.Status == okcare.IncidentResolved {
				return okcare.Errorf(okcare.ECONFLICT, "That incident is resolved; link tickets to an open one.")
			}
		}
		if t.IncidentID == incidentID {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE tickets SET incident_id = ?, updated_at = ? WHERE id = ?`, nullString(incidentID), micros(tx.now), t.ID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "ticket.incident", "ticket:"+t.ID, map[string]string{"incident": incidentID, "was": t.IncidentID})
	})
}

// tellIncidentResolved tells the customers of the open tickets linked to
// a just-resolved incident, on the ticket and by mail in its language, in
// the transaction that resolves it: customers are told if and only if it
// is resolved.
func tellIncidentResolved(ctx context.Context, tx *Tx, inc *okcare.Incident) error {
	rows, err := tx.query(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE incident_id = ? AND status <> ?`, inc.ID, okcare.TicketClosed)
	if err != nil {
		return err
	}
	var tickets []*okcare.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return err
		}
		tickets = append(tickets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tickets {
		title, _ := inc.Localized(t.Lang)
		body := notice.T(t.Lang, "incident_resolved", notice.Args{"Incident": title, "Number": t.Number})
		if err := insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: t.ID, Author: "system", Public: true, Body: body}); err != nil {
			return err
		}
		if err := mailCustomer(ctx, tx, t, "incident_resolved", body); err != nil {
			return err
		}
	}
	return nil
}
