package sqldb

import (
	"context"
	"database/sql"
	"slices"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/token"
)

// SetTicketCategory corrects a ticket's category as an agent and keeps the
// correction as a labelled example: the text the model read (subject and
// intake), what the ticket said before and what the agent says.
func (db *DB) SetTicketCategory(ctx context.Context, ticketID, category, agentID string) (*okcare.Ticket, error) {
	if !slices.Contains(diagnose.Causes, category) {
		return nil, okcare.Errorf(okcare.EINVALID, "category must be one of the diagnosis causes.")
	}
	var t *okcare.Ticket
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if t, err = lockTicket(ctx, tx, ticketID); err != nil {
			return err
		}
		if t.Category == category {
			return nil
		}
		l := &okcare.CategoryLabel{ID: token.ID("lbl_"), TicketID: t.ID, Lang: t.Lang, Text: labelText(t), From: t.Category, FromSource: t.CategorySource,
			FromConfidence: t.CategoryConfidence, Category: category, AgentID: agentID, CreatedAt: fromMicros(micros(tx.now))}
		if _, err := tx.exec(ctx, `INSERT INTO category_labels (id, ticket_id, lang, text, from_category, from_source, from_confidence, category, agent_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.TicketID, l.Lang, l.Text, l.From, l.FromSource, l.FromConfidence, l.Category, l.AgentID, micros(tx.now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE tickets SET category = ?, category_source = ?, category_confidence = NULL, updated_at = ? WHERE id = ?`,
			category, okcare.CategoryByAgent, micros(tx.now), t.ID); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, "agent:"+agentID, "ticket.category", "ticket:"+t.ID, map[string]string{"category": category, "was": t.Category, "label": l.ID}); err != nil {
			return err
		}
		t, err = findTicket(ctx, tx, t.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// labelText is the text a ticket's category is read from, as Classify
// reads it: the subject, then the intake's description.
func labelText(t *okcare.Ticket) string {
	if t.Subject == "" || t.Subject == firstLine(t.Intake.Description, 80) {
		return t.Intake.Description
	}
	return t.Subject + "\n" + t.Intake.Description
}

// CategoryLabels lists the agents' corrections in the order they were made.
func (db *DB) CategoryLabels(ctx context.Context, after string, limit int) ([]*okcare.CategoryLabel, error) {
	if limit < 1 || limit > 10000 {
		return nil, okcare.Errorf(okcare.EINVALID, "limit must be 1-10000.")
	}
	q := `SELECT id, ticket_id, lang, text, from_category, from_source, from_confidence, category, agent_id, created_at FROM category_labels`
	args := []any{}
	if after != "" {
		var at int64
		err := db.queryRow(ctx, `SELECT created_at FROM category_labels WHERE id = ?`, after).Scan(&at)
		if err == sql.ErrNoRows {
			return nil, okcare.Errorf(okcare.EINVALID, "after is not a label id.")
		} else if err != nil {
			return nil, err
		}
		q += ` WHERE created_at > ? OR (created_at = ? AND id > ?)`
		args = append(args, at, at, after)
	}
	q += ` ORDER BY created_at, id LIMIT ?`
	args = append(args, limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.CategoryLabel{}
	for rows.Next() {
		var l okcare.CategoryLabel
		var conf sql.NullFloat64
		var at int64
		if err := rows.Scan(&l.ID, &l.TicketID, &l.Lang, &l.Text, &l.From, &l.FromSource, &conf, &l.Category, &l.AgentID, &at); err != nil {
			return nil, err
		}
		if conf.Valid {
			l.FromConfidence = &conf.Float64
		}
		l.CreatedAt = fromMicros(at)
		out = append(out, &l)
	}
	return out, rows.Err()
}
