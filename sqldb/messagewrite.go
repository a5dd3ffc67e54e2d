package sqldb

import (
	"context"
	"slices"
	"strings"
	"time"
)

// write stores the decided messages and the final row of each ticket
// they change: on PostgreSQL in one statement of one shape whatever the
// batch size, each table's rows passed as column arrays (unnest); on
// SQLite in multi-row statements (see insertRows).
func (b *messageBatch) write(ctx context.Context, tx *Tx) error {
	if len(b.list) == 0 {
		return nil
	}
	// Tickets in id order, the order they were locked in.
	var tks []*msgTicket
	for _, tk := range b.tickets {
		if tk.changed {
			tks = append(tks, tk)
		}
	}
	slices.SortFunc(tks, func(a, b *msgTicket) int { return strings.Compare(a.t.ID, b.t.ID) })
	var err error
	if tx.db.dialect.ArrayParams {
		err = b.writeArrays(ctx, tx, tks)
	} else {
		err = b.writeRows(ctx, tx, tks)
	}
	if err != nil {
		return err
	}
	for _, tk := range tks {
		tk.changed, tk.clearWarned = false, false
	}
	return nil
}

// The columns write sets on a ticket, and those of a message.
const (
	messageTicketSet = `status = v.status, updated_at = v.updated_at, pending_since = v.pending_since, resolution_due = v.resolution_due,
	first_responded_at = v.first_responded_at, message_seq = v.message_seq, message_at = v.message_at,
	pending_warned_at = CASE WHEN v.clear_warned THEN NULL ELSE tickets.pending_warned_at END, chat_awaiting_since = v.chat_awaiting_since`
	messageTicketColumns = `id, status, updated_at, pending_since, resolution_due, first_responded_at, message_seq, message_at, clear_warned, chat_awaiting_since`
	messageInsert        = `INSERT INTO ticket_messages (id, ticket_id, author, public, body, note, created_at, seq, client_id) `
)

// writeMessagesStatement is write's statement on PostgreSQL. The ticket
// rows are locked already; the messages' foreign-key check, at the end of
// the statement, finds them so.
var writeMessagesStatement = `WITH t AS (UPDATE tickets SET ` + messageTicketSet + `
	FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::bigint[]) AS v(` + messageTicketColumns + `)
	WHERE tickets.id = v.id)
` + messageInsert + `SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])`

func (b *messageBatch) writeArrays(ctx context.Context, tx *Tx, tks []*msgTicket) error {
	n := len(tks)
	id, status := make([]string, n), make([]string, n)
	updated, pending, due, responded, seq, at := make([]int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]int64, n), make([]int64, n)
	clear, awaiting := make([]bool, n), make([]*int64, n)
	for i, tk := range tks {
		t := tk.t
		id[i], status[i], updated[i] = t.ID, t.Status, micros(t.UpdatedAt)
		pending[i], due[i], responded[i] = microsPtr(t.PausedSince), microsPtr(t.ResolutionDue), microsPtr(t.FirstRespondedAt)
		seq[i], at[i], clear[i], awaiting[i] = tk.seq, tk.at, tk.clearWarned, tk.awaitingPtr()
	}
	k := len(b.list)
	mid, tid, author, body, note, client := make([]string, k), make([]string, k), make([]string, k), make([]string, k), make([]string, k), make([]string, k)
	public, created, mseq := make([]bool, k), make([]int64, k), make([]int64, k)
	for i, d := range b.list {
		m := d.m
		mid[i], tid[i], author[i], public[i], body[i], note[i] = m.ID, m.TicketID, m.Author, m.Public, m.Body, storedNote(m.Note)
		created[i], mseq[i], client[i] = micros(m.CreatedAt), m.Seq, m.ClientID
	}
	args := []any{id, status, updated, pending, due, responded, seq, at, clear, awaiting, mid, tid, author, public, body, note, created, mseq, client}
	if hasNULArrays(args) {
		return errNUL
	}
	_, err := tx.exec(ctx, writeMessagesStatement, args...)
	return err
}

func (b *messageBatch) writeRows(ctx context.Context, tx *Tx, tks []*msgTicket) error {
	// Tickets whose status or SLA clocks changed, and tickets whose row
	// counters alone did: these set no indexed column (see moved).
	var moved, counted [][]any
	for _, tk := range tks {
		t := tk.t
		if tk.moved() {
			moved = append(moved, []any{t.ID, t.Status, micros(t.UpdatedAt), nullMicros(t.PausedSince), nullMicros(t.ResolutionDue), nullMicros(t.FirstRespondedAt), tk.seq, tk.at, tk.clearWarned, tk.awaitingPtr()})
		} else {
			counted = append(counted, []any{t.ID, micros(t.UpdatedAt), tk.seq, tk.at, tk.clearWarned, tk.awaitingPtr()})
		}
	}
	// VALUES columns are named column1, column2... in SQLite.
	if len(moved) > 0 {
		err := insertRows(ctx, tx, `UPDATE tickets SET status = v.column2, updated_at = v.column3, pending_since = v.column4, resolution_due = v.column5,
		first_responded_at = v.column6, message_seq = v.column7, message_at = v.column8,
		pending_warned_at = CASE WHEN v.column9 THEN NULL ELSE tickets.pending_warned_at END, chat_awaiting_since = v.column10 FROM (VALUES `, 10, moved, `) AS v WHERE tickets.id = v.column1`)
		if err != nil {
			return err
		}
	}
	if len(counted) > 0 {
		err := insertRows(ctx, tx, `UPDATE tickets SET updated_at = v.column2, message_seq = v.column3, message_at = v.column4,
		pending_warned_at = CASE WHEN v.column5 THEN NULL ELSE tickets.pending_warned_at END, chat_awaiting_since = v.column6 FROM (VALUES `, 6, counted, `) AS v WHERE tickets.id = v.column1`)
		if err != nil {
			return err
		}
	}
	rows := make([][]any, len(b.list))
	for i, d := range b.list {
		m := d.m
		rows[i] = []any{m.ID, m.TicketID, m.Author, m.Public, m.Body, storedNote(m.Note), micros(m.CreatedAt), m.Seq, m.ClientID}
	}
	return insertRows(ctx, tx, messageInsert+`VALUES `, 9, rows, ``)
}

// awaitingPtr is chat_awaiting_since as written: NULL for none.
func (tk *msgTicket) awaitingPtr() *int64 {
	if tk.awaiting == 0 {
		return nil
	}
	return &tk.awaiting
}

// microsPtr is nullMicros for an array column.
func microsPtr(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	us := micros(*t)
	return &us
}
