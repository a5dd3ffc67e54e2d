package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// CustomerContext gathers what an agent needs beside a ticket. For a
// ticket linked to an account: the account, its state history, sessions,
// balances, last transactions, security alerts (never their content) and
// diagnoses. For one whose contact merely matches an account: only where a
// code would go (a stranger typing a victim's address must learn nothing,
// and neither may the agent on their behalf). Then the ticket's own
// diagnosis, identity check and approval requests.
func (db *DB) CustomerContext(ctx context.Context, ticketID, agentID string) (*okcare.CustomerContext, error) {
	t, err := db.FindTicket(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	cc := &okcare.CustomerContext{StateHistory: []*okcare.AccountStateChange{}, Sessions: []*okcare.Session{},
		SecurityEvents: []*okcare.SecurityEvent{}, Diagnoses: []*okcare.Diagnosis{}, Approvals: []*okcare.Approval{}}
	if t.UserID != "" {
		cc.Match = okcare.MatchAccount
		if cc.User, err = db.FindUserByID(ctx, t.UserID); err != nil {
			return nil, err
		}
		if err := db.walletContext(ctx, cc); err != nil {
			return nil, err
		}
		if err := db.auditWalletRead(ctx, agentID, t); err != nil {
			return nil, err
		}
	} else if u, matched, err := candidateUser(ctx, db, t, ""); err == nil {
		channel, to := codeDestination(u, matched)
		cc.Match, cc.Candidate = okcare.MatchCandidate, &okcare.Candidate{Channel: channel, SentTo: mask(to)}
	} else if okcare.ErrorCode(err) != okcare.EINVALID {
		return nil, err
	}
	if id := t.Intake.DiagnosisID; id != "" && !hasDiagnosis(cc.Diagnoses, id) {
		if d, err := db.FindDiagnosis(ctx, id); err == nil {
			cc.Diagnoses = append([]*okcare.Diagnosis{d}, cc.Diagnoses...)
		}
	}
	if cc.Verification, cc.Approvals, err = db.IdentityChecks(ctx, t.ID); err != nil {
		return nil, err
	}
	return cc, nil
}

// IdentityChecks returns a ticket's latest identity check and its
// four-eyes requests.
func (db *DB) IdentityChecks(ctx context.Context, ticketID string) (*okcare.Verification, []*okcare.Approval, error) {
	v, err := db.latestVerification(ctx, ticketID)
	if err != nil {
		return nil, nil, err
	}
	approvals, err := db.ticketApprovals(ctx, ticketID)
	return v, approvals, err
}

func hasDiagnosis(list []*okcare.Diagnosis, id string) bool {
	for _, d := range list {
		if d.ID == id {
			return true
		}
	}
	return false
}

// walletContext fills in the account's side of cc.
func (db *DB) walletContext(ctx context.Context, cc *okcare.CustomerContext) error {
	id := cc.User.ID
	var err error
	if cc.StateHistory, err = db.StateHistory(ctx, id); err != nil {
		return err
	}
	if cc.Sessions, err = db.ListSessions(ctx, id); err != nil {
		return err
	}
	if cc.Balances, err = db.Balances(ctx, id); err != nil {
		return err
	}
	if cc.Transactions, _, err = db.Transactions(ctx, id, 0, 10); err != nil {
		return err
	}
	if cc.SecurityEvents, err = db.securityEvents(ctx, id); err != nil {
		return err
	}
	cc.Diagnoses, err = db.userDiagnoses(ctx, id)
	return err
}

// securityEvents lists the account's alerts and one-time codes and links,
// newest first, without subjects or bodies (a code an agent could read
// would make the identity check worthless).
func (db *DB) securityEvents(ctx context.Context, userID string) ([]*okcare.SecurityEvent, error) {
	rows, err := db.query(ctx, `SELECT event, channel, to_addr, status, created_at FROM notifications WHERE user_id = ?
		AND event NOT IN ('ticket_ack', 'ticket_reply', 'csat_survey', 'pending_reminder', 'sla_breach', 'ticket_followup')
		ORDER BY created_at DESC LIMIT 20`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.SecurityEvent{}
	for rows.Next() {
		var e okcare.SecurityEvent
		var at int64
		if err := rows.Scan(&e.Event, &e.Channel, &e.SentTo, &e.Status, &at); err != nil {
			return nil, err
		}
		e.SentTo, e.At = mask(e.SentTo), fromMicros(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (db *DB) userDiagnoses(ctx context.Context, userID string) ([]*okcare.Diagnosis, error) {
	ids, err := db.idList(ctx, `SELECT id FROM diagnoses WHERE user_id = ? ORDER BY created_at DESC LIMIT 5`, userID)
	if err != nil {
		return nil, err
	}
	out := []*okcare.Diagnosis{}
	for _, id := range ids {
		d, err := db.FindDiagnosis(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// latestVerification is the ticket's most recent identity check, or nil.
func (db *DB) latestVerification(ctx context.Context, ticketID string) (*okcare.Verification, error) {
	var v okcare.Verification
	var expires int64
	var verified sql.NullInt64
	err := db.queryRow(ctx, `SELECT id, ticket_id, channel, sent_to, expires_at, verified_at FROM verifications WHERE ticket_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, ticketID).
		Scan(&v.ID, &v.TicketID, &v.Channel, &v.SentTo, &expires, &verified)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	v.ExpiresAt, v.VerifiedAt = fromMicros(expires), fromNullMicros(verified)
	return &v, nil
}

func (db *DB) ticketApprovals(ctx context.Context, ticketID string) ([]*okcare.Approval, error) {
	rows, err := db.query(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE ticket_id = ? ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.Approval{}
	for rows.Next() {
		a, err := scanApproval(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// tagPattern is one tag: lower-case letters, digits, "-" and "_", or CJK.
var tagPattern = regexp.MustCompile(`^[\p{Ll}\p{Han}0-9_-]{1,32}$`)

// normalizeTags lower-cases, checks and de-duplicates tags.
func normalizeTags(tags []string) ([]string, error) {
	if len(tags) > 20 {
		return nil, okcare.Errorf(okcare.EINVALID, "At most 20 tags.")
	}
	var out []string
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if !tagPattern.MatchString(t) {
			return nil, okcare.Errorf(okcare.EINVALID, "Tag %q: use 1-32 lower-case letters, digits, - or _.", t)
		}
		out = append(out, t)
	}
	return out, nil
}

// addTags merges tags into the locked ticket t.
func addTags(ctx context.Context, tx *Tx, t *okcare.Ticket, tags []string) error {
	set := map[string]bool{}
	for _, x := range append(append([]string{}, t.Tags...), tags...) {
		set[x] = true
	}
	merged := make([]string, 0, len(set))
	for x := range set {
		merged = append(merged, x)
	}
	sort.Strings(merged)
	if len(merged) > 20 {
		return okcare.Errorf(okcare.EINVALID, "A ticket has at most 20 tags.")
	}
	t.Tags = merged
	_, err := tx.exec(ctx, `UPDATE tickets SET tags = ?, updated_at = ? WHERE id = ?`, strings.Join(merged, ","), micros(tx.now), t.ID)
	return err
}

// TagTicket adds tags to a ticket.
func (db *DB) TagTicket(ctx context.Context, ticketID string, tags []string) error {
	tags, err := normalizeTags(tags)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		return addTags(ctx, tx, t, tags)
	})
}

// CreateMacro adds a canned reply.
func (db *DB) CreateMacro(ctx context.Context, m *okcare.Macro) error {
	tags, err := normalizeTags(m.Tags)
	switch {
	case err != nil:
		return err
	case strings.TrimSpace(m.Name) == "" || utf8.RuneCountInString(m.Name) > 80:
		return okcare.Errorf(okcare.EINVALID, "A macro needs a name of 1-80 characters.")
	case !okcare.ValidLang(m.Lang):
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	case strings.TrimSpace(m.Body) == "" || utf8.RuneCountInString(m.Body) > maxTicketText:
		return okcare.Errorf(okcare.EINVALID, "A macro needs a reply of 1-%d characters.", maxTicketText)
	case m.SetStatus != "" && (!validTicketStatus(m.SetStatus) || m.SetStatus == okcare.TicketNew || m.SetStatus == okcare.TicketClosed):
		return okcare.Errorf(okcare.EINVALID, "A macro can set open, pending, on_hold or solved.")
	}
	m.Tags, m.ID, m.Name = tags, token.ID("mac_"), strings.TrimSpace(m.Name)
	err = db.inTx(ctx, func(tx *Tx) error {
		m.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO macros (id, name, lang, body, set_status, tags, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.Name, m.Lang, m.Body, m.SetStatus, strings.Join(m.Tags, ","), m.CreatedBy, micros(tx.now))
		return err
	})
	if err != nil && db.dialect.IsUniqueViolation(err) {
		return okcare.Errorf(okcare.ECONFLICT, "A %s macro named %q exists.", m.Lang, m.Name)
	}
	return err
}

const macroColumns = `id, name, lang, body, set_status, tags, created_by, created_at`

func scanMacro(row interface{ Scan(...any) error }) (*okcare.Macro, error) {
	var m okcare.Macro
	var tags string
	var created int64
	err := row.Scan(&m.ID, &m.Name, &m.Lang, &m.Body, &m.SetStatus, &tags, &m.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such macro.")
	} else if err != nil {
		return nil, err
	}
	if tags != "" {
		m.Tags = strings.Split(tags, ",")
	}
	m.CreatedAt = fromMicros(created)
	return &m, nil
}

// Macros lists macros by language, then name.
func (db *DB) Macros(ctx context.Context) ([]*okcare.Macro, error) {
	rows, err := db.query(ctx, `SELECT `+macroColumns+` FROM macros ORDER BY lang, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.Macro{}
	for rows.Next() {
		m, err := scanMacro(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ApplyMacro posts a macro's reply, then sets its status and tags.
func (db *DB) ApplyMacro(ctx context.Context, ticketID, agentID, macroID string) (*okcare.Ticket, error) {
	var t *okcare.Ticket
	err := db.inTx(ctx, func(tx *Tx) error {
		m, err := scanMacro(tx.queryRow(ctx, `SELECT `+macroColumns+` FROM macros WHERE id = ?`, macroID))
		if err != nil {
			return err
		}
		if t, err = lockTicket(ctx, tx, ticketID); err != nil {
			return err
		}
		body := strings.ReplaceAll(m.Body, "{number}", strconv.FormatInt(t.Number, 10))
		if _, err := replyAsAgent(ctx, tx, t, agentID, "", body, true); err != nil {
			return err
		}
		if m.SetStatus != "" && m.SetStatus != t.Status {
			if t, err = setStatus(ctx, tx, t.ID, "agent:"+agentID, m.SetStatus); err != nil {
				return err
			}
		} else if m.SetStatus != "" {
			// The status the macro sets is the one its reply left: set by
			// hand all the same, it ends a live chat's wait (chatturn.go).
			if err := endChatWait(ctx, tx, t.ID); err != nil {
				return err
			}
		}
		if len(m.Tags) > 0 {
			if err := addTags(ctx, tx, t, m.Tags); err != nil {
				return err
			}
		}
		if err := addNote(ctx, tx, t.ID, NoteMacroApplied, map[string]string{"macro": m.Name, "by": "agent:" + agentID}); err != nil {
			return err
		}
		t, err = findTicket(ctx, tx, t.ID)
		return err
	})
	return t, err
}

// Team lists staff with presence, capacity, languages and current load.
func (db *DB) Team(ctx context.Context) ([]*okcare.AgentStatus, error) {
	rows, err := db.query(ctx, `SELECT a.id, a.email, a.name, a.role, a.created_at, a.presence, a.capacity, a.langs,
		(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status IN ('new', 'open', 'on_hold'))
		FROM agents a ORDER BY a.email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.AgentStatus{}
	for rows.Next() {
		var a okcare.AgentStatus
		var created int64
		var langs string
		if err := rows.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &created, &a.Presence, &a.Capacity, &langs, &a.Load); err != nil {
			return nil, err
		}
		a.CreatedAt, a.Langs = fromMicros(created), strings.Split(langs, ",")
		out = append(out, &a)
	}
	return out, rows.Err()
}

// AgentTickets lists an agent's unsolved tickets, most urgent first, with
// a list's fields.
func (db *DB) AgentTickets(ctx context.Context, agentID string) ([]*okcare.Ticket, error) {
	return db.listBrief(ctx, `SELECT `+briefColumns+` FROM tickets WHERE assignee_id = ? AND status IN ('new', 'open', 'pending', 'on_hold')
		ORDER BY first_response_due, created_at LIMIT 200`, agentID)
}

// walletReadEvery is how often one staff member's reads of one ticket's
// wallet are audited: a page reloads after every form, and the audit log
// should say who looked, not how often the page was drawn.
const walletReadEvery = 10 * time.Minute

// auditWalletRead records that a staff member was shown a ticket's wallet.
func (db *DB) auditWalletRead(ctx context.Context, agentID string, t *okcare.Ticket) error {
	key := agentID + "|" + t.ID
	now := db.Now()
	if last, ok := db.walletReads.Load(key); ok && now.Sub(last.(time.Time)) < walletReadEvery {
		return nil
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		return appendAudit(ctx, tx, "agent:"+agentID, "wallet.read", "user:"+t.UserID, map[string]string{"ticket": t.ID})
	})
	if err == nil {
		db.walletReads.Store(key, now)
	}
	return err
}
