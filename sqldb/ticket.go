package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/token"
)

// Ticket text limits, in characters.
const (
	maxTicketSubject = 200
	maxTicketText    = 10_000
	maxStepsTried    = 20
)

// validateNewTicket checks a ticket request before anything is written.
func validateNewTicket(req *okcare.NewTicket) error {
	req.ContactEmail, req.ContactPhone = NormalizeLogin(req.ContactEmail), NormalizeLogin(req.ContactPhone)
	switch {
	case req.UserID == "" && req.ContactEmail == "" && req.ContactPhone == "":
		return okcare.Errorf(okcare.EINVALID, "An email or phone number to reach you is required.")
	case req.ContactEmail != "" && !emailPattern.MatchString(req.ContactEmail):
		return okcare.Errorf(okcare.EINVALID, "The email address is not valid.")
	case req.ContactPhone != "" && !phonePattern.MatchString(req.ContactPhone):
		return okcare.Errorf(okcare.EINVALID, "The phone number is not valid.")
	case !okcare.ValidLang(req.Lang):
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	case req.Channel != okcare.ChannelWeb && req.Channel != okcare.ChannelAPI && req.Channel != okcare.ChannelMail && req.Channel != okcare.ChannelChat && req.Channel != okcare.ChannelPhone:
		return okcare.Errorf(okcare.EINVALID, "Unknown channel.")
	case strings.TrimSpace(req.Intake.Description) == "":
		return okcare.Errorf(okcare.EINVALID, "Describe what happened.")
	case utf8.RuneCountInString(req.Subject) > maxTicketSubject:
		return okcare.Errorf(okcare.EINVALID, "subject is at most %d characters.", maxTicketSubject)
	case strings.ContainsFunc(req.Subject, unicode.IsControl):
		return okcare.Errorf(okcare.EINVALID, "The subject may not contain line breaks or control characters.")
	case markupPattern.MatchString(req.Subject):
		// A subject is one line people write; markup in it is an attack
		// (bodies may quote code and are shown as text, never as HTML).
		return okcare.Errorf(okcare.EINVALID, "The subject may not contain HTML.")
	case utf8.RuneCountInString(req.Intake.Description) > maxTicketText || len(req.Intake.StepsTried) > maxStepsTried:
		return okcare.Errorf(okcare.EINVALID, "The description is too long.")
	case len(req.IdempotencyKey) > 255 || (req.IdempotencyKey != "" && !printableASCII(req.IdempotencyKey)):
		return okcare.Errorf(okcare.EINVALID, "The Idempotency-Key must be 1-255 printable ASCII characters.")
	}
	if w := req.Intake.CallbackWindow; w != "" && !validWindow(w) {
		return okcare.Errorf(okcare.EINVALID, "callback_window must be asap, morning or afternoon.")
	}
	if req.Channel == okcare.ChannelPhone && req.ContactPhone == "" && req.UserID == "" { // a signed-in user is called on their registered phone
		return okcare.Errorf(okcare.EINVALID, "A phone number to call is required.")
	}
	for _, s := range append([]string{req.Intake.HappenedAt, req.Intake.Symptom, req.Intake.Platform, req.Intake.AppVersion, req.Intake.OSVersion, req.Intake.DiagnosisID}, req.Intake.StepsTried...) {
		if utf8.RuneCountInString(s) > 200 {
			return okcare.Errorf(okcare.EINVALID, "An intake field is too long.")
		}
	}
	if req.Category != "" && !slices.Contains(diagnose.Causes, req.Category) {
		return okcare.Errorf(okcare.EINVALID, "category must be one of the diagnosis causes.")
	}
	if req.Priority == "" {
		req.Priority = okcare.PriorityNormal
	} else if !validPriority(req.Priority) {
		return okcare.Errorf(okcare.EINVALID, "priority must be low, normal, high or urgent.")
	}
	if req.Subject == "" {
		req.Subject = firstLine(req.Intake.Description, 80)
	}
	return nil
}

// markupPattern finds an HTML tag, comment or declaration.
var markupPattern = regexp.MustCompile(`<[a-zA-Z!/?]`)

func validWindow(w string) bool {
	for _, v := range okcare.CallbackWindows {
		if w == v {
			return true
		}
	}
	return false
}

func validPriority(p string) bool {
	switch p {
	case okcare.PriorityLow, okcare.PriorityNormal, okcare.PriorityHigh, okcare.PriorityUrgent:
		return true
	}
	return false
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// idemScope is whose idempotency keys a ticket's key is unique among.
func idemScope(req *okcare.NewTicket) string {
	if req.UserID != "" {
		return "user:" + req.UserID
	}
	return "contact:" + req.ContactEmail + "|" + req.ContactPhone
}

// CreateTicket opens a ticket; the intake becomes its first public message.
func (db *DB) CreateTicket(ctx context.Context, req okcare.NewTicket) (*okcare.Ticket, error) {
	return db.createTicket(ctx, req, nil)
}

// createTicket is CreateTicket with the function with, when set, run in the ticket's
// own transaction once the ticket is written (a chat's token, say), so a
// crash leaves both or neither.
func (db *DB) createTicket(ctx context.Context, req okcare.NewTicket, with func(tx *Tx, t *okcare.Ticket) error) (*okcare.Ticket, error) {
	secrets := maskNewTicket(&req) // see secrets.go
	if err := validateNewTicket(&req); err != nil {
		return nil, err
	}
	if err := checkAttachments(req.Attachments); err != nil {
		return nil, err
	}
	secrets = mergeKinds(secrets, maskAttachments(req.Attachments, req.Lang))
	if secrets != nil {
		req.Priority = okcare.PriorityUrgent // for the security team, from the start
	}
	req.Intake.DiagnosisKey = "" // a secret, never kept
	intake, err := json.Marshal(req.Intake)
	if err != nil {
		return nil, err
	}
	var t *okcare.Ticket
	err = db.inTx(ctx, func(tx *Tx) error {
		var werr error
		t, werr = db.createTicketTx(ctx, tx, req, intake, secrets, with)
		return werr
	})
	if err != nil && db.dialect.IsUniqueViolation(err) && req.IdempotencyKey != "" {
		return db.createTicket(ctx, req, with) // a racing twin committed first: answer as a repeat
	}
	return t, err
}

// createTicketTx writes a validated, masked ticket request inside tx (see
// createTicket); intake is req.Intake as JSON, secrets the kinds of secret
// masking hid (nil: none). req is a copy: a retry classifies afresh.
func (db *DB) createTicketTx(ctx context.Context, tx *Tx, req okcare.NewTicket, intake []byte, secrets []string, with func(tx *Tx, t *okcare.Ticket) error) (t *okcare.Ticket, err error) {
	err = func() error {
		if req.IdempotencyKey != "" {
			var id, hash string
			err := tx.queryRow(ctx, `SELECT id, request_hash FROM tickets WHERE idem_scope = ? AND idempotency_key = ?`, idemScope(&req), req.IdempotencyKey).Scan(&id, &hash)
			if err == nil {
				if hash != req.RequestHash {
					return errKeyReused()
				}
				t, err = findTicket(ctx, tx, id)
				return err
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		source, confidence := okcare.CategoryByCustomer, (*float64)(nil)
		if req.Category == "" {
			code, p, err := classifyTicket(ctx, tx, &req)
			if err != nil {
				return err
			}
			req.Category, source, confidence = code, okcare.CategoryByModel, &p
		}
		t = &okcare.Ticket{ID: token.ID("tkt_"), UserID: req.UserID, ContactEmail: req.ContactEmail, ContactPhone: req.ContactPhone,
			Channel: req.Channel, Status: okcare.TicketNew, Priority: req.Priority, Category: req.Category, Lang: req.Lang,
			Subject: req.Subject, Intake: req.Intake, CreatedAt: fromMicros(micros(tx.now)), UpdatedAt: fromMicros(micros(tx.now)),
			CategorySource: source, CategoryConfidence: confidence}
		if t.UserID != "" {
			t.LinkedBy = okcare.LinkedSignedIn
		}
		incident, err := incidentForNewTicket(ctx, tx, t)
		if err != nil {
			return err
		}
		t.IncidentID = incident
		if err := tx.queryRow(ctx, db.dialect.NextTicketNumber).Scan(&t.Number); err != nil {
			return err
		}
		t.FirstResponseDue, t.ResolutionDue = req.FirstResponseDue, req.ResolutionDue
		pol := db.policies().For(t.Channel, t.Priority)
		if t.FirstResponseDue == nil {
			due := db.calendarFor(t.Channel).Due(pol.FirstResponse, t.CreatedAt)
			t.FirstResponseDue = &due
		}
		if t.ResolutionDue == nil {
			due := db.calendarFor(t.Channel).Due(pol.Resolution, t.CreatedAt)
			t.ResolutionDue = &due
		}
		_, err = tx.exec(ctx, `INSERT INTO tickets (id, number, user_id, contact_email, contact_phone, channel, status, priority, category, lang, subject, intake,
			idem_scope, idempotency_key, request_hash, created_at, updated_at, first_response_due, resolution_due, link_method, incident_id, category_source, category_confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.Number, nullString(t.UserID), t.ContactEmail, t.ContactPhone, t.Channel, t.Status, t.Priority, t.Category, t.Lang, t.Subject, string(intake),
			idemScope(&req), nullString(req.IdempotencyKey), req.RequestHash, micros(tx.now), micros(tx.now), nullMicros(t.FirstResponseDue), nullMicros(t.ResolutionDue), t.LinkedBy, nullString(t.IncidentID),
			t.CategorySource, t.CategoryConfidence)
		if err != nil {
			return err
		}
		author := "contact"
		if t.UserID != "" {
			author = "user:" + t.UserID
		}
		first := &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: req.Intake.Description}
		if err := insertMaskedMessage(ctx, tx, first); err != nil { // maskNewTicket did
			return err
		}
		if err := insertAttachments(ctx, tx, t.ID, first.ID, req.Attachments); err != nil {
			return err
		}
		if secrets != nil {
			if t.SecretWarning, err = db.flagSecret(ctx, tx, t, secrets); err != nil {
				return err
			}
		}
		if with != nil {
			if err := with(tx, t); err != nil {
				return err
			}
		}
		if req.NoAck {
			return nil
		}
		return acknowledge(ctx, tx, t, req.Ack)
	}()
	return t, err
}

// resumedDue is the ticket's resolution target once the pause it is in (if
// any) ends now: later by the business time spent pending.
func (db *DB) resumedDue(t *okcare.Ticket, now time.Time) any {
	return nullMicros(db.resumedAt(t, now))
}

// insertTicketMessage stores a message, its secrets masked whoever wrote
// it (a note may quote the customer).
func insertTicketMessage(ctx context.Context, tx *Tx, m *okcare.TicketMessage) error {
	maskMessage(m, okcare.LangEN)
	return insertMaskedMessage(ctx, tx, m)
}

// insertMaskedMessage appends m, which its caller has masked already, to
// its ticket's conversation. Its place (Seq) and its time come from the
// ticket row in one statement, which holds the row's lock until the
// transaction ends: a message is never older than the one before it,
// whichever node wrote either, even when this transaction began (and read
// its clock) before the other committed.
func insertMaskedMessage(ctx context.Context, tx *Tx, m *okcare.TicketMessage) error {
	now := micros(tx.now)
	var at int64
	err := tx.queryRow(ctx, `UPDATE tickets SET message_seq = message_seq + 1, message_at = CASE WHEN message_at > ? THEN message_at ELSE ? END
		WHERE id = ? RETURNING message_seq, message_at`, now, now, m.TicketID).Scan(&m.Seq, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	} else if err != nil {
		return err
	}
	m.ID, m.CreatedAt = token.ID("msg_"), fromMicros(at)
	_, err = tx.exec(ctx, `INSERT INTO ticket_messages (id, ticket_id, author, public, body, note, created_at, seq, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.TicketID, m.Author, m.Public, m.Body, storedNote(m.Note), at, m.Seq, m.ClientID)
	return err
}

// messageColumns are what scanMessage reads.
const messageColumns = `id, ticket_id, author, public, body, note, created_at, seq, client_id`

func scanMessage(row interface{ Scan(...any) error }) (*okcare.TicketMessage, error) {
	var m okcare.TicketMessage
	var created int64
	var note string
	if err := row.Scan(&m.ID, &m.TicketID, &m.Author, &m.Public, &m.Body, &note, &created, &m.Seq, &m.ClientID); err != nil {
		return nil, err
	}
	m.CreatedAt, m.Note = fromMicros(created), loadNote(note)
	return &m, nil
}

// maxClientID is the longest client id for a message.
const maxClientID = 64

// checkClientID refuses a client id that is too long or holds other than
// letters, digits, '-', '_', '.' and ':'.
func checkClientID(id string) error {
	if len(id) > maxClientID {
		return okcare.Errorf(okcare.EINVALID, "client_id is at most %d characters.", maxClientID)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:", c)) {
			return okcare.Errorf(okcare.EINVALID, "client_id holds only letters, digits, '-', '_', '.' and ':'.")
		}
	}
	return nil
}

// sentBefore finds the message author already sent on a ticket (locked by
// the caller) under clientID: nil when there is none (or no clientID).
// Under the lock a resend racing its original waits for it and finds it.
func sentBefore(ctx context.Context, tx *Tx, ticketID, clientID, author string) (*okcare.TicketMessage, error) {
	if clientID == "" {
		return nil, nil
	}
	// "client_id <> ''" lets both engines use the partial unique index on
	// (ticket_id, client_id); without it SQLite (and PostgreSQL's generic
	// plans) read every message of the ticket.
	m, err := scanMessage(tx.queryRow(ctx, `SELECT `+messageColumns+` FROM ticket_messages WHERE ticket_id = ? AND client_id = ? AND client_id <> ''`, ticketID, clientID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if m.Author != author {
		return nil, okcare.Errorf(okcare.ECONFLICT, "This client_id names another message on the ticket; make a new one for each message.")
	}
	m.Replayed = true
	return m, nil
}

const ticketColumns = `id, number, user_id, contact_email, contact_phone, channel, status, priority, category, lang, subject, intake, created_at, updated_at,
	first_response_due, first_responded_at, resolution_due, pending_since, solved_at, assignee_id, tags, link_method, COALESCE(incident_id, ''),
	category_source, category_confidence`

func scanTicket(row interface{ Scan(...any) error }) (*okcare.Ticket, error) {
	var t okcare.Ticket
	var userID sql.NullString
	var intake string
	var created, updated int64
	var due, responded, resolve, paused, solved sql.NullInt64
	var assignee sql.NullString
	var tags string
	var confidence sql.NullFloat64
	err := row.Scan(&t.ID, &t.Number, &userID, &t.ContactEmail, &t.ContactPhone, &t.Channel, &t.Status, &t.Priority, &t.Category, &t.Lang, &t.Subject, &intake, &created, &updated,
		&due, &responded, &resolve, &paused, &solved, &assignee, &tags, &t.LinkedBy, &t.IncidentID, &t.CategorySource, &confidence)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	} else if err != nil {
		return nil, err
	}
	t.UserID, t.CreatedAt, t.UpdatedAt = userID.String, fromMicros(created), fromMicros(updated)
	t.FirstResponseDue, t.FirstRespondedAt = fromNullMicros(due), fromNullMicros(responded)
	t.ResolutionDue, t.PausedSince, t.SolvedAt, t.AssigneeID = fromNullMicros(resolve), fromNullMicros(paused), fromNullMicros(solved), assignee.String
	if tags != "" {
		t.Tags = strings.Split(tags, ",")
	}
	if confidence.Valid {
		t.CategoryConfidence = &confidence.Float64
	}
	return &t, json.Unmarshal([]byte(intake), &t.Intake)
}

// lockTicket reads a ticket and locks its row until tx ends (on SQLite the
// write transaction already holds the database).
func lockTicket(ctx context.Context, tx *Tx, id string) (*okcare.Ticket, error) {
	return scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`+tx.db.dialect.ForUpdate, id))
}

// beijingTime formats a deadline for notes and alerts, in the support
// team's time zone.
func beijingTime(t time.Time) string {
	return t.In(beijing).Format("2006-01-02 15:04 (UTC+8)")
}

func findTicket(ctx context.Context, q querier, id string) (*okcare.Ticket, error) {
	return scanTicket(q.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, id))
}

// FindTicket returns a ticket by id.
func (db *DB) FindTicket(ctx context.Context, id string) (*okcare.Ticket, error) {
	return findTicket(ctx, db, id)
}

// FindTicketByNumber returns a ticket by its number.
func (db *DB) FindTicketByNumber(ctx context.Context, number int64) (*okcare.Ticket, error) {
	return scanTicket(db.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE number = ?`, number))
}

// Queue lists tickets for staff, soonest first-response target first, then
// oldest first. Every ticket has a target (migration 0018 gave older ones
// one). Each status is read in order from the tickets_queue indexes, at
// most limit rows each, and the short lists are merged. Measured with 100k
// tickets (docs/benchmarks.md), this matches one IN (...) query on the
// plain queue and is five times faster filtered by cause and language.
func (db *DB) Queue(ctx context.Context, f okcare.QueueFilter) ([]*okcare.Ticket, error) {
	if len(f.Statuses) == 0 {
		f.Statuses = []string{okcare.TicketNew, okcare.TicketOpen}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		return nil, okcare.Errorf(okcare.EINVALID, "limit must be 1-500.")
	}
	if f.Lang != "" && !okcare.ValidLang(f.Lang) {
		return nil, okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	if len(f.Statuses) > 6 {
		return nil, okcare.Errorf(okcare.EINVALID, "Too many statuses.")
	}
	if f.Tag != "" && !tagPattern.MatchString(f.Tag) {
		return nil, okcare.Errorf(okcare.EINVALID, "A tag is lower-case letters, digits, - and _.")
	}
	var parts []string
	var args []any
	for i, st := range f.Statuses {
		if !validTicketStatus(st) {
			return nil, okcare.Errorf(okcare.EINVALID, "Unknown status %q.", st)
		}
		// The status is one of a known few, written into the statement:
		// bound, it made SQLite re-plan the statement on every run (its
		// planner statistics weigh each bound value).
		part := `SELECT id, first_response_due, created_at FROM tickets WHERE status = '` + st + `'`
		if f.Category != "" {
			part += ` AND category = ?`
			args = append(args, f.Category)
		}
		if f.Lang != "" {
			part += ` AND lang = ?`
			args = append(args, f.Lang)
		}
		if f.Tag != "" {
			part += ` AND ',' || tags || ',' LIKE ? ESCAPE '\'`
			args = append(args, "%,"+strings.ReplaceAll(f.Tag, "_", `\_`)+",%")
		}
		parts = append(parts, `SELECT * FROM (`+part+` ORDER BY first_response_due, created_at LIMIT ?) AS q`+strconv.Itoa(i))
		args = append(args, f.Limit)
	}
	// The merge picks ids inside the indexes; only the tickets shown are
	// read whole.
	columns := ticketColumns
	if f.Brief {
		columns = briefColumns
	}
	q := `SELECT ` + columns + ` FROM tickets WHERE id IN (SELECT id FROM (` + strings.Join(parts, ` UNION ALL `) +
		` ORDER BY first_response_due, created_at LIMIT ?) AS queue) ORDER BY first_response_due, created_at`
	args = append(args, f.Limit)
	if f.Brief {
		return db.listBrief(ctx, q, args...)
	}
	return db.listTickets(ctx, q, args...)
}

// briefColumns are what QueueFilter.Brief reads: a list's columns.
const briefColumns = `id, number, channel, status, category, lang, subject, first_response_due, first_responded_at, assignee_id, tags`

// listBrief runs a query selecting briefColumns.
func (db *DB) listBrief(ctx context.Context, q string, args ...any) ([]*okcare.Ticket, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.Ticket{}
	for rows.Next() {
		var t okcare.Ticket
		var due, responded sql.NullInt64
		var assignee sql.NullString
		var tags string
		if err := rows.Scan(&t.ID, &t.Number, &t.Channel, &t.Status, &t.Category, &t.Lang, &t.Subject, &due, &responded, &assignee, &tags); err != nil {
			return nil, err
		}
		t.FirstResponseDue, t.FirstRespondedAt, t.AssigneeID = fromNullMicros(due), fromNullMicros(responded), assignee.String
		if tags != "" {
			t.Tags = strings.Split(tags, ",")
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// listTickets runs a query selecting ticketColumns.
func (db *DB) listTickets(ctx context.Context, q string, args ...any) ([]*okcare.Ticket, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// UserTickets lists a user's tickets, newest first.
func (db *DB) UserTickets(ctx context.Context, userID string) ([]*okcare.Ticket, error) {
	return db.listTickets(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 200`, userID)
}

// AddTicketMessage appends a message. A customer's reply to a pending or
// solved ticket puts it back in the queue as open.
func (db *DB) AddTicketMessage(ctx context.Context, m *okcare.TicketMessage) error {
	if err := checkNewMessage(m); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error { return addMessageTx(ctx, tx, m) })
}

// checkNewMessage refuses what no transaction needs to see: an empty or
// too long body, bad attachments, a malformed client id.
func checkNewMessage(m *okcare.TicketMessage) error {
	if err := checkBody(m.Body); err != nil {
		return err
	}
	if err := checkAttachments(m.Attachments); err != nil {
		return err
	}
	return checkClientID(m.ClientID)
}

// addMessageTx is AddTicketMessage's transaction body (checkNewMessage
// done): a batch of one (see messagebatch.go).
func addMessageTx(ctx context.Context, tx *Tx, m *okcare.TicketMessage) error {
	in := &messageIn{m: m}
	if err := storeMessages(ctx, tx, []*messageIn{in}); err != nil {
		return err
	}
	return in.err
}

// ReplyAsAgent adds a staff message; see okcare.TicketService.
func (db *DB) ReplyAsAgent(ctx context.Context, ticketID, agentID, body string, public bool) (*okcare.TicketMessage, error) {
	return db.ReplyAsAgentOnce(ctx, ticketID, agentID, "", body, public)
}

// ReplyAsAgentOnce adds a staff message once per client id; see
// okcare.TicketService.
func (db *DB) ReplyAsAgentOnce(ctx context.Context, ticketID, agentID, clientID, body string, public bool) (*okcare.TicketMessage, error) {
	if err := checkReply(body, clientID); err != nil {
		return nil, err
	}
	var m *okcare.TicketMessage
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		m, err = replyOnceTx(ctx, tx, ticketID, agentID, clientID, body, public)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// checkReply refuses a staff message no transaction needs to see.
func checkReply(body, clientID string) error {
	if err := checkBody(body); err != nil {
		return err
	}
	return checkClientID(clientID)
}

// checkBody refuses an empty or too long message, and one with a NUL
// character, which PostgreSQL cannot store: refused here, it is refused
// before its batch (see messagebatch.go), not by the write of all.
func checkBody(body string) error {
	if strings.TrimSpace(body) == "" || utf8.RuneCountInString(body) > maxTicketText {
		return okcare.Errorf(okcare.EINVALID, "A message needs 1-%d characters.", maxTicketText)
	}
	if strings.IndexByte(body, 0) >= 0 {
		return errNUL
	}
	return nil
}

// replyOnceTx is ReplyAsAgentOnce's transaction body (checkReply done): a
// batch of one (see messagebatch.go).
func replyOnceTx(ctx context.Context, tx *Tx, ticketID, agentID, clientID, body string, public bool) (*okcare.TicketMessage, error) {
	in := &messageIn{m: newReply(ticketID, agentID, clientID, body, public), reply: true}
	if err := storeMessages(ctx, tx, []*messageIn{in}); err != nil {
		return nil, err
	}
	if in.err != nil {
		return nil, in.err
	}
	return in.m, nil
}

// newReply is the staff message ReplyAsAgentOnce stores.
func newReply(ticketID, agentID, clientID, body string, public bool) *okcare.TicketMessage {
	return &okcare.TicketMessage{TicketID: ticketID, Author: "agent:" + agentID, Public: public, Body: body, ClientID: clientID}
}

// replyAsAgent adds a staff message to t (locked by the caller), which it
// leaves as the reply left the ticket.
func replyAsAgent(ctx context.Context, tx *Tx, t *okcare.Ticket, agentID, clientID, body string, public bool) (*okcare.TicketMessage, error) {
	m, err := replyOnceTx(ctx, tx, t.ID, agentID, clientID, body, public)
	if err != nil {
		return nil, err
	}
	nt, err := findTicket(ctx, tx, t.ID)
	if err != nil {
		return nil, err
	}
	*t = *nt
	return m, nil
}

// mailCustomer sends a staff message on a ticket to its customer, threaded
// and answerable by reply; a customer reachable by phone only gets no mail
// (the message waits in the ticket).
func mailCustomer(ctx context.Context, tx *Tx, t *okcare.Ticket, event, body string) error {
	to := ticketEmail(ctx, tx, t)
	if to == "" {
		return nil
	}
	args := notice.Args{"Number": t.Number, "Subject": t.Subject}
	subject := notice.T(t.Lang, "reply_subject", args)
	if strings.TrimSpace(t.Subject) == "" {
		subject = notice.T(t.Lang, "reply_subject_nosubject", args)
	}
	return enqueueThreaded(ctx, tx, t.UserID, okcare.ChannelEmail, to, event, subject, body+"\n\n-- \n"+notice.T(t.Lang, "reply_footer", nil), t.ID, "")
}

// ticketEmail is where mail about a ticket goes: its contact address, else
// its user's registered email, else "" (reachable by phone only).
func ticketEmail(ctx context.Context, tx *Tx, t *okcare.Ticket) string {
	if t.ContactEmail != "" || t.UserID == "" {
		return t.ContactEmail
	}
	if u, err := findUserForUpdate(ctx, tx, t.UserID); err == nil {
		return u.Email
	}
	return ""
}

// TicketMessages lists a ticket's messages, oldest first.
func (db *DB) TicketMessages(ctx context.Context, ticketID string, withInternal bool) ([]*okcare.TicketMessage, error) {
	q := `SELECT ` + messageColumns + ` FROM ticket_messages WHERE ticket_id = ?`
	if !withInternal {
		q += ` AND public = TRUE`
	}
	return db.listMessages(ctx, q+` ORDER BY seq`, ticketID)
}

// listMessages runs a query selecting messageColumns.
func (db *DB) listMessages(ctx context.Context, q string, args ...any) ([]*okcare.TicketMessage, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.TicketMessage{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LogCall records a call as an internal note; reaching the customer is the
// first response on a phone ticket.
func (db *DB) LogCall(ctx context.Context, ticketID, agentID, outcome, notes string) error {
	if outcome != okcare.CallReached && outcome != okcare.CallNoAnswer && outcome != okcare.CallVoicemail {
		return okcare.Errorf(okcare.EINVALID, "outcome must be reached, no_answer or voicemail.")
	}
	if utf8.RuneCountInString(notes) > maxTicketText {
		return okcare.Errorf(okcare.EINVALID, "Call notes are at most %d characters.", maxTicketText)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if t.Status == okcare.TicketClosed {
			return okcare.Errorf(okcare.ECONFLICT, "This ticket is closed.")
		}
		note := &okcare.Note{Key: NoteCallLogged, Args: map[string]string{"by": "agent:" + agentID, "outcome": outcome}}
		body := englishNote(note)
		if strings.TrimSpace(notes) != "" {
			note.Args["notes"] = strings.TrimSpace(notes)
			body += "\n" + note.Args["notes"]
		}
		if err := insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: t.ID, Author: "agent:" + agentID, Public: false, Body: body, Note: note}); err != nil {
			return err
		}
		q := `UPDATE tickets SET updated_at = ? WHERE id = ?`
		args := []any{micros(tx.now), t.ID}
		if outcome == okcare.CallReached {
			q = `UPDATE tickets SET updated_at = ?, first_responded_at = COALESCE(first_responded_at, ?), status = CASE WHEN status = 'new' THEN 'open' ELSE status END WHERE id = ?`
			args = []any{micros(tx.now), micros(tx.now), t.ID}
		}
		_, err = tx.exec(ctx, q, args...)
		return err
	})
}

// SetTicketPriority changes the priority and recomputes the targets from
// the creation time under the new policy. Business time already added to
// the resolution target for pauses is carried over, and a target that
// moves into the future may be warned about and breached again.
func (db *DB) SetTicketPriority(ctx context.Context, ticketID, actor, priority string) (*okcare.Ticket, error) {
	if !validPriority(priority) {
		return nil, okcare.Errorf(okcare.EINVALID, "priority must be low, normal, high or urgent.")
	}
	var t *okcare.Ticket
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		t, err = lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		t, err = db.setPriority(ctx, tx, t, actor, priority)
		return err
	})
	return t, err
}

// setPriority is SetTicketPriority on t, locked by the caller; it returns
// the ticket as it is now.
func (db *DB) setPriority(ctx context.Context, tx *Tx, t *okcare.Ticket, actor, priority string) (*okcare.Ticket, error) {
	switch {
	case t.Status == okcare.TicketClosed:
		return nil, okcare.Errorf(okcare.ECONFLICT, "This ticket is closed.")
	case t.Priority == priority:
		return t, nil
	}
	cal := db.calendarFor(t.Channel)
	old, pol := db.policies().For(t.Channel, t.Priority), db.policies().For(t.Channel, priority)
	first := cal.Due(pol.FirstResponse, t.CreatedAt)
	resolve := cal.Due(pol.Resolution, t.CreatedAt)
	if t.ResolutionDue != nil {
		if paused := cal.Between(cal.Due(old.Resolution, t.CreatedAt), *t.ResolutionDue); paused > 0 {
			resolve = cal.Add(resolve, paused)
		}
	}
	if t.FirstRespondedAt != nil && t.FirstResponseDue != nil {
		first = *t.FirstResponseDue // answered: the first-response record stands
	}
	if _, err := tx.exec(ctx, `UPDATE tickets SET priority = ?, first_response_due = ?, resolution_due = ?, updated_at = ?,
		sla_warned_at = CASE WHEN ? THEN NULL ELSE sla_warned_at END,
		sla_breached_at = CASE WHEN ? THEN NULL ELSE sla_breached_at END,
		sla_resolution_warned_at = CASE WHEN ? THEN NULL ELSE sla_resolution_warned_at END,
		sla_resolution_breached_at = CASE WHEN ? THEN NULL ELSE sla_resolution_breached_at END WHERE id = ?`,
		priority, micros(first), micros(resolve), micros(tx.now),
		first.After(tx.now), first.After(tx.now), resolve.After(tx.now), resolve.After(tx.now), t.ID); err != nil {
		return nil, err
	}
	if err := addNote(ctx, tx, t.ID, NotePrioritySet, map[string]string{"priority": priority, "by": actor}); err != nil {
		return nil, err
	}
	return findTicket(ctx, tx, t.ID)
}
