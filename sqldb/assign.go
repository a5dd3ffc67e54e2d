package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/okcare/okcare"
)

// Agent presence values.
const (
	PresenceOnline  = "online"
	PresenceAway    = "away"
	PresenceOffline = "offline"
)

// SetAgentPresence sets an agent's presence and, when capacity > 0 or langs
// is not empty, their capacity and language skills.
func (db *DB) SetAgentPresence(ctx context.Context, agentID, presence string, capacity int, langs []string) error {
	if presence != PresenceOnline && presence != PresenceAway && presence != PresenceOffline {
		return okcare.Errorf(okcare.EINVALID, "presence must be online, away or offline.")
	}
	if capacity < 0 || capacity > 200 {
		return okcare.Errorf(okcare.EINVALID, "capacity must be 0-200.")
	}
	for _, l := range langs {
		if !okcare.ValidLang(l) {
			return okcare.Errorf(okcare.EINVALID, "Unknown language %q.", l)
		}
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE agents SET presence = ? WHERE id = ?`, presence, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return okcare.Errorf(okcare.ENOTFOUND, "No such agent.")
		}
		if capacity > 0 {
			if _, err := tx.exec(ctx, `UPDATE agents SET capacity = ? WHERE id = ?`, capacity, agentID); err != nil {
				return err
			}
		}
		if len(langs) > 0 {
			_, err = tx.exec(ctx, `UPDATE agents SET langs = ? WHERE id = ?`, strings.Join(langs, ","), agentID)
		}
		return err
	})
}

// AssignTicket gives an unassigned ticket to the online agent who speaks its
// language, has room under their capacity (counting new, open and on-hold
// tickets) and was assigned least recently: round-robin among the
// available. It returns the agent id, or "" when nobody is available (the
// ticket stays in the queue).
func (db *DB) AssignTicket(ctx context.Context, ticketID string) (string, error) {
	// Nobody online (nights, holidays): no write transaction at all.
	if online, err := db.anyoneOnline(ctx); err != nil || !online {
		return "", err
	}
	var chosen string
	err := db.inTx(ctx, func(tx *Tx) error {
		var lang string
		var assignee sql.NullString
		err := tx.queryRow(ctx, `SELECT lang, assignee_id FROM tickets WHERE id = ?`+db.dialect.ForUpdate, ticketID).Scan(&lang, &assignee)
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
		} else if err != nil || assignee.Valid {
			chosen = assignee.String
			return err
		}
		rows, err := tx.query(ctx, `SELECT a.id, a.langs, a.capacity,
			(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status IN ('new', 'open', 'on_hold')) AS load
			FROM agents a WHERE a.presence = 'online' ORDER BY a.last_assigned_at, a.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, langs string
			var capacity, load int
			if err := rows.Scan(&id, &langs, &capacity, &load); err != nil {
				rows.Close()
				return err
			}
			if chosen == "" && load < capacity && strings.Contains(","+langs+",", ","+lang+",") {
				chosen = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || chosen == "" {
			return err
		}
		return giveTicket(ctx, tx, ticketID, chosen, "system")
	})
	return chosen, err
}

// giveTicket records an assignment and notes it on the ticket.
func giveTicket(ctx context.Context, tx *Tx, ticketID, agentID, by string) error {
	if _, err := tx.exec(ctx, `UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?`, agentID, micros(tx.now), ticketID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE agents SET last_assigned_at = ? WHERE id = ?`, micros(tx.now), agentID); err != nil {
		return err
	}
	return addNote(ctx, tx, ticketID, NoteAssigned, map[string]string{"assignee": "agent:" + agentID, "by": by})
}

// ReassignTicket moves a ticket to another agent (a supervisor's decision).
func (db *DB) ReassignTicket(ctx context.Context, ticketID, agentID, supervisorID string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM agents WHERE id = ?`, agentID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return okcare.Errorf(okcare.ENOTFOUND, "No such agent.")
		}
		if _, err := findTicket(ctx, tx, ticketID); err != nil {
			return err
		}
		if err := giveTicket(ctx, tx, ticketID, agentID, "agent:"+supervisorID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "agent:"+supervisorID, "ticket.reassign", "ticket:"+ticketID, map[string]string{"to": "agent:" + agentID})
	})
}

// TicketAssignee returns the ticket's agent id, or "".
func (db *DB) TicketAssignee(ctx context.Context, ticketID string) (string, error) {
	var a sql.NullString
	err := db.queryRow(ctx, `SELECT assignee_id FROM tickets WHERE id = ?`, ticketID).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	}
	return a.String, err
}

// anyoneOnline reports whether any agent is online to take a ticket.
func (db *DB) anyoneOnline(ctx context.Context) (bool, error) {
	var online int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM agents WHERE presence = 'online'`).Scan(&online)
	return online > 0, err
}

// AssignWaiting offers the unassigned new and open tickets, most urgent
// target first, to the agents available now (see AssignTicket). It runs
// when an agent comes online and from the SLA watch, so a ticket nobody
// could take when it arrived is not forgotten. It returns how many it
// assigned.
func (db *DB) AssignWaiting(ctx context.Context) (int, error) {
	if online, err := db.anyoneOnline(ctx); err != nil || !online {
		return 0, err // nobody to give them to: not even the queue is read
	}
	ids, err := db.idList(ctx, `SELECT id FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'open')
		ORDER BY first_response_due, created_at LIMIT 500`)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		a, err := db.AssignTicket(ctx, id)
		if err != nil {
			return n, err
		}
		if a != "" {
			n++
		}
	}
	return n, nil
}
