package sqldb

import (
	"context"
	"slices"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// Ticket messages, like money (booking.go), are decided, then written.
// Deciding reads the locked ticket rows (with their place counter
// message_seq and clock message_at) and each message's client id once,
// then checks and places every message in memory, each seeing the ones
// before it: a repeated client id, a closed ticket, the status and SLA
// clock changes it causes, its seq and time. Writing stores the decided
// messages and each ticket's final row together: one statement on
// PostgreSQL (unnest), a few multi-row ones on SQLite. A lone message
// (AddTicketMessage, ReplyAsAgentOnce) is a batch of one; the chat
// committer's batches are the same code with more messages.
//
// What a message causes beyond its ticket row and its own row runs after
// the write, by the lone path's own functions: a customer's secret
// flagged (a tag, urgent priority, a note, the warning, each placed after
// the message), files attached, mail sent. A secret changes the ticket
// behind the batch's back, so the batch's later messages on that ticket
// are decided in a next round, after the rows are read again.

// messageIn is one message to store.
type messageIn struct {
	// m is changed in place: masked and placed, or replaced by the stored
	// message it repeats (Replayed set).
	m *okcare.TicketMessage
	// reply: a staff reply as ReplyAsAgentOnce stores it, else a message
	// as AddTicketMessage does.
	reply bool
	// err is the message's refusal; a message given one beforehand is
	// not decided.
	err error
}

// msgTicket is a locked ticket as the messages decided so far leave it.
type msgTicket struct {
	t       *okcare.Ticket
	seq, at int64 // message_seq and message_at
	// awaiting is chat_awaiting_since (micros; 0 for none): see chatturn.go.
	awaiting int64
	// clearWarned: pending_warned_at goes back to NULL.
	clearWarned bool
	changed     bool
	// waits: a decided message changes the row after the write (a secret
	// flagged); later messages wait for the next round.
	waits bool
	// read is the row's indexed columns as locked (see moved).
	read indexedTicket
}

// indexedTicket is what of a ticket row the messages may change and the
// ticket indexes hold: its status and its SLA clocks.
type indexedTicket struct {
	status                                    string
	pausedSince, resolutionDue, firstResponse int64 // micros; 0 for none
}

func indexedOf(t *okcare.Ticket) indexedTicket {
	at := func(p *time.Time) int64 {
		if p == nil {
			return 0
		}
		return micros(*p)
	}
	return indexedTicket{t.Status, at(t.PausedSince), at(t.ResolutionDue), at(t.FirstRespondedAt)}
}

// moved reports whether the decided messages changed a column the ticket
// indexes hold. SQLite rewrites an index entry (a page of the log) for
// every column an UPDATE sets, changed or not; a customer's second line in
// a row, or a second reply, changes only the row's counters.
func (tk *msgTicket) moved() bool { return indexedOf(tk.t) != tk.read }

// messageBatch is what a transaction has decided about messages and not
// yet written.
type messageBatch struct {
	tickets map[string]*msgTicket
	sent    map[[2]string]*okcare.TicketMessage // (ticket id, client id) -> stored or decided
	list    []*decidedMessage
}

// decidedMessage is a new message that passed every check.
type decidedMessage struct {
	m  *okcare.TicketMessage
	tk *msgTicket
	// After the write: secrets a customer's text held, to flag; a
	// category the model now reads; a staff reply to mail.
	secrets  []string
	category bool
	mail     bool
}

// storeMessages decides and writes ins in order, in rounds (see above),
// leaving each one's refusal in its err. The error returned fails them
// all: a database failure, or a refusal only known after writing (too
// many files on the ticket).
func storeMessages(ctx context.Context, tx *Tx, ins []*messageIn) error {
	var todo []*messageIn
	for _, in := range ins {
		if in.err == nil {
			todo = append(todo, in)
		}
	}
	for len(todo) > 0 {
		b, err := lockMessages(ctx, tx, todo)
		if err != nil {
			return err
		}
		var later []*messageIn
		for _, in := range todo {
			if tk := b.tickets[in.m.TicketID]; tk != nil && tk.waits {
				later = append(later, in)
				continue
			}
			if in.err = b.decide(ctx, tx, in.m, in.reply); in.err != nil && !refusal(in.err) {
				return in.err
			}
		}
		if err := b.write(ctx, tx); err != nil {
			return err
		}
		if err := b.finish(ctx, tx); err != nil {
			return err
		}
		todo = later
	}
	return nil
}

// lockMessages locks the tickets of ins in id order (as one lone message
// locks its one ticket) and then reads the messages already stored under
// their client ids: under the locks a resend racing its original waits
// for it and finds it.
func lockMessages(ctx context.Context, tx *Tx, ins []*messageIn) (*messageBatch, error) {
	b := &messageBatch{tickets: map[string]*msgTicket{}, sent: map[[2]string]*okcare.TicketMessage{}}
	var ids []string
	for _, in := range ins {
		ids = append(ids, in.m.TicketID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	values := make([]any, len(ids))
	for i, id := range ids {
		values[i] = id
	}
	err := eachIn(tx, values, func(in string, args []any) error {
		return scanRows(ctx, tx, `SELECT `+ticketColumns+`, message_seq, message_at, COALESCE(chat_awaiting_since, 0) FROM tickets WHERE id`+in+` ORDER BY id`+tx.db.dialect.ForUpdate, args,
			func(scan func(...any) error) error {
				tk := &msgTicket{}
				t, err := scanTicket(scanWith{scan, []any{&tk.seq, &tk.at, &tk.awaiting}})
				if err != nil {
					return err
				}
				tk.t, tk.read = t, indexedOf(t)
				b.tickets[t.ID] = tk
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	var pairs [][]any
	for _, in := range ins {
		if in.m.ClientID != "" && b.tickets[in.m.TicketID] != nil {
			pairs = append(pairs, []any{in.m.TicketID, in.m.ClientID})
		}
	}
	err = lookupTuples(ctx, tx, pairs, 2,
		func(values string) string {
			return `SELECT ` + messageColumns + ` FROM ticket_messages WHERE (ticket_id, client_id) IN (VALUES ` + values + `) AND client_id <> ''`
		},
		// One probe of the partial (ticket_id, client_id) index per id.
		`SELECT m.* FROM unnest(?::text[], ?::text[]) AS q(t, c)
			CROSS JOIN LATERAL (SELECT `+messageColumns+` FROM ticket_messages WHERE ticket_id = q.t AND client_id = q.c AND client_id <> '' LIMIT 1) AS m`,
		func(scan func(...any) error) error {
			m, err := scanMessage(scanWith{scan: scan})
			if err != nil {
				return err
			}
			b.sent[[2]string{m.TicketID, m.ClientID}] = m
			return nil
		})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// scanWith scans a row's columns into the destinations given, then extra.
type scanWith struct {
	scan  func(...any) error
	extra []any
}

func (s scanWith) Scan(dest ...any) error { return s.scan(append(dest, s.extra...)...) }

// decide checks m against its ticket as the batch left it and places it,
// as AddTicketMessage (or, with reply, ReplyAsAgentOnce) would after the
// batch's earlier messages. It refuses (a closed ticket, someone else's
// client id) before changing anything.
func (b *messageBatch) decide(ctx context.Context, tx *Tx, m *okcare.TicketMessage, reply bool) error {
	tk := b.tickets[m.TicketID]
	if tk == nil {
		return okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	}
	t, now := tk.t, tx.now
	if first := b.sent[[2]string{t.ID, m.ClientID}]; m.ClientID != "" && first != nil {
		if first.Author != m.Author {
			return okcare.Errorf(okcare.ECONFLICT, "This client_id names another message on the ticket; make a new one for each message.")
		}
		*m = replayOf(first)
		return nil
	}
	if t.Status == okcare.TicketClosed {
		if reply {
			return okcare.Errorf(okcare.ECONFLICT, "This ticket is closed.")
		}
		return okcare.Errorf(okcare.ECONFLICT, "This ticket is closed; open a new one.")
	}
	d := &decidedMessage{m: m, tk: tk}
	if reply {
		maskMessage(m, okcare.LangEN) // staff text may quote the customer
		if m.Public && liveTurn(t) {
			// A live chat answered: the customer's turn (chatturn.go).
			t.Status = okcare.TicketOpen
			if tk.awaiting == 0 {
				tk.awaiting = micros(now)
			}
			if t.FirstRespondedAt == nil {
				t.FirstRespondedAt = &now
			}
		} else if m.Public {
			// A public answer waits on the customer: the SLA clock pauses.
			// An earlier pause, if any, is settled first so none is lost.
			t.ResolutionDue = tx.db.resumedAt(t, now)
			t.Status, t.PausedSince, tk.clearWarned = okcare.TicketPending, &now, true
			tk.awaiting = 0
			if t.FirstRespondedAt == nil {
				t.FirstRespondedAt = &now
			}
			d.mail = t.Channel != okcare.ChannelChat // chatting live: the chat shows it at once
		}
	} else {
		secrets := mergeKinds(maskMessage(m, t.Lang), maskAttachments(m.Attachments, t.Lang)) // see secrets.go
		if customerAuthor(m.Author) {
			if since := awaitedPause(t, tk.awaiting, now); since != nil {
				// A live chat's answer awaited long enough to pause the
				// clock, which the scan has not done yet: the same pause,
				// from the answer, settled now (chatturn.go).
				t.PausedSince = since
				t.ResolutionDue, t.PausedSince, tk.clearWarned = tx.db.resumedAt(t, now), nil, true
			}
			tk.awaiting = 0
			if t.Status == okcare.TicketPending {
				// Leaving pending (a customer's answer) stops the
				// auto-solve clock and restarts the resolution clock.
				t.ResolutionDue = tx.db.resumedAt(t, now)
				t.PausedSince, tk.clearWarned = nil, true
			}
			if t.Status == okcare.TicketPending || t.Status == okcare.TicketSolved {
				t.Status = okcare.TicketOpen
			}
			var err error
			if d.category, err = reclassified(ctx, tx, t, m.Body); err != nil {
				return err
			}
			d.secrets = secrets
			tk.waits = secrets != nil
		}
	}
	t.UpdatedAt = fromMicros(micros(now))
	// The place and time a lone message takes from the ticket row under
	// its lock: never older than the message before it.
	tk.seq, tk.at, tk.changed = tk.seq+1, max(tk.at, micros(now)), true
	m.ID, m.Seq, m.CreatedAt = token.ID("msg_"), tk.seq, fromMicros(tk.at)
	if m.ClientID != "" {
		b.sent[[2]string{t.ID, m.ClientID}] = m
	}
	b.list = append(b.list, d)
	return nil
}

// replayOf is the stored message m as a resend of it is answered: what
// sentBefore reads back.
func replayOf(m *okcare.TicketMessage) okcare.TicketMessage {
	return okcare.TicketMessage{ID: m.ID, TicketID: m.TicketID, Author: m.Author, Public: m.Public, Body: m.Body, Note: m.Note,
		CreatedAt: m.CreatedAt, Seq: m.Seq, ClientID: m.ClientID, Replayed: true}
}

// resumedAt is the ticket's resolution target once the pause it is in
// (if any) ends at now: later by the business time spent pending.
func (db *DB) resumedAt(t *okcare.Ticket, now time.Time) *time.Time {
	if t.ResolutionDue == nil || t.PausedSince == nil {
		return t.ResolutionDue
	}
	cal := db.calendarFor(t.Channel)
	due := cal.Add(*t.ResolutionDue, cal.Between(*t.PausedSince, now))
	return &due
}

// finish does, in order, what the written messages cause beyond their
// rows (see above).
func (b *messageBatch) finish(ctx context.Context, tx *Tx) error {
	for _, d := range b.list {
		t, m := d.tk.t, d.m
		if d.category {
			if _, err := tx.exec(ctx, `UPDATE tickets SET category = ?, category_confidence = ? WHERE id = ?`, t.Category, *t.CategoryConfidence, t.ID); err != nil {
				return err
			}
		}
		if err := insertAttachments(ctx, tx, t.ID, m.ID, m.Attachments); err != nil {
			return err
		}
		if d.secrets != nil {
			var err error
			if m.SecretWarning, err = tx.db.flagSecret(ctx, tx, t, d.secrets); err != nil {
				return err
			}
			if err := mailSecretWarning(ctx, tx, t, m.SecretWarning); err != nil {
				return err
			}
		}
		if d.mail {
			if err := mailCustomer(ctx, tx, t, "ticket_reply", m.Body); err != nil { // as stored: masked
				return err
			}
		}
	}
	return nil
}
