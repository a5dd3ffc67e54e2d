package okcare

import (
	"context"
	"encoding/json"
	"time"
)

// Ticket channels, statuses and priorities.
const (
	ChannelWeb   = "web"
	ChannelAPI   = "api"
	ChannelMail  = "email"
	ChannelChat  = "chat"
	ChannelPhone = "phone"

	TicketNew     = "new"
	TicketOpen    = "open"
	TicketPending = "pending"
	TicketOnHold  = "on_hold"
	TicketSolved  = "solved"
	TicketClosed  = "closed"

	PriorityLow    = "low"
	PriorityNormal = "normal"
	PriorityHigh   = "high"
	PriorityUrgent = "urgent"

	// LinkedSignedIn: the customer was signed in (bearer token or help
	// center session) when the ticket was opened.
	LinkedSignedIn = "signed_in"
	// LinkedVerifiedContact: the customer read back a one-time code sent to
	// the account's registered email or phone.
	LinkedVerifiedContact = "verified_contact"
)

// Intake is the structured description the seed asks a customer for:
// account, when it happened, what happened, what they tried, their device
// and app, and the diagnosis they came from (whose findings are attached so
// they never repeat them).
type Intake struct {
	HappenedAt  string   `json:"happened_at,omitempty"`
	Symptom     string   `json:"symptom,omitempty"`
	Description string   `json:"description"`
	StepsTried  []string `json:"steps_tried,omitempty"`
	Platform    string   `json:"platform,omitempty"`
	AppVersion  string   `json:"app_version,omitempty"`
	OSVersion   string   `json:"os_version,omitempty"`
	DiagnosisID string   `json:"diagnosis_id,omitempty"`
	// DiagnosisKey opens an anonymous DiagnosisID (see Diagnosis.Key). It
	// is read when the ticket is made and never stored.
	DiagnosisKey string          `json:"diagnosis_key,omitempty"`
	Diagnosis    json.RawMessage `json:"diagnosis,omitempty"`
	// CallbackWindow is when a phone-callback customer wants the call:
	// "asap", "morning" or "afternoon" (Beijing time).
	CallbackWindow string `json:"callback_window,omitempty"`
}

// Callback windows a customer can ask for.
var CallbackWindows = []string{"asap", "morning", "afternoon"}

// Call outcomes an agent logs after phoning a customer.
const (
	CallReached   = "reached"
	CallNoAnswer  = "no_answer"
	CallVoicemail = "voicemail"
)

// Ticket is a customer's request for help.
type Ticket struct {
	ID     string `json:"id"`
	Number int64  `json:"number"`
	UserID string `json:"-"`
	// LinkedBy says how the ticket's account was proven: LinkedSignedIn,
	// LinkedVerifiedContact, or "" while no account is linked.
	LinkedBy     string    `json:"linked_by,omitempty"`
	ContactEmail string    `json:"contact_email,omitempty"`
	ContactPhone string    `json:"contact_phone,omitempty"`
	Channel      string    `json:"channel"`
	Status       string    `json:"status"`
	Priority     string    `json:"priority"`
	Category     string    `json:"category"`
	Lang         string    `json:"lang"`
	Subject      string    `json:"subject"`
	Intake       Intake    `json:"intake"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// FirstResponseDue is the first-response target; FirstRespondedAt when
	// staff first answered publicly.
	FirstResponseDue *time.Time `json:"first_response_due,omitempty"`
	FirstRespondedAt *time.Time `json:"first_responded_at,omitempty"`
	// ResolutionDue is the resolution target. The clock stops while the
	// ticket is pending on the customer (since PausedSince); the business
	// time spent there moves the target later when the ticket resumes.
	ResolutionDue *time.Time `json:"resolution_due,omitempty"`
	PausedSince   *time.Time `json:"paused_since,omitempty"`
	// SolvedAt is when the ticket was last solved.
	SolvedAt *time.Time `json:"solved_at,omitempty"`
	// AssigneeID is the agent working the ticket, or "".
	AssigneeID string `json:"assignee_id,omitempty"`
	// Tags are the agents' labels (lower case, no spaces).
	Tags []string `json:"tags,omitempty"`
	// IncidentID is the incident the ticket is about, or "".
	IncidentID string `json:"incident_id,omitempty"`
	// CategorySource is where Category came from: CategoryByCustomer,
	// CategoryByModel or CategoryByAgent ("" on tickets older than the
	// model); CategoryConfidence is the model's confidence when it chose.
	CategorySource     string   `json:"category_source,omitempty"`
	CategoryConfidence *float64 `json:"category_confidence,omitempty"`
	// SecretWarning is set on a ticket just created from text that had
	// secrets in it (masked before it was stored).
	SecretWarning *SecretWarning `json:"secret_warning,omitempty"`
}

// FirstResponseBreached reports whether the first-response target passed
// without a public answer (or the answer came late).
func (t *Ticket) FirstResponseBreached(now time.Time) bool {
	if t.FirstResponseDue == nil {
		return false
	}
	if t.FirstRespondedAt != nil {
		return t.FirstRespondedAt.After(*t.FirstResponseDue)
	}
	return now.After(*t.FirstResponseDue)
}

// ResolutionBreached reports whether the resolution target passed while
// the clock was running (a paused ticket is not late until it resumes).
func (t *Ticket) ResolutionBreached(now time.Time) bool {
	switch {
	case t.ResolutionDue == nil:
		return false
	case t.SolvedAt != nil && (t.Status == TicketSolved || t.Status == TicketClosed):
		return t.SolvedAt.After(*t.ResolutionDue)
	case t.PausedSince != nil:
		return t.PausedSince.After(*t.ResolutionDue)
	}
	return now.After(*t.ResolutionDue)
}

// Survey is the satisfaction survey of a solved ticket.
type Survey struct {
	SentAt     time.Time  `json:"sent_at"`
	Rating     int        `json:"rating,omitempty"` // 1-5, 0 until answered
	Comment    string     `json:"comment,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// TicketMessage is a public reply or an internal note on a ticket.
type TicketMessage struct {
	ID       string `json:"id"`
	TicketID string `json:"-"`
	// Author is "user:<id>", "contact", "agent:<id>" or "system".
	Author string `json:"author"`
	Public bool   `json:"public"`
	Body   string `json:"body"`
	// Note is set on the notes okcare writes itself: what Body says in
	// English, as a key and arguments that each reader can put in their
	// own language. Messages written by people have none.
	Note      *Note     `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Seq is the message's place in its ticket's conversation (1, 2, 3...),
	// given under the ticket's lock together with CreatedAt, so ordering
	// by either gives the same conversation. Ids carry no order.
	Seq int64 `json:"seq"`
	// ClientID is the sender's own id for the message, made up by the chat
	// page, the console or an API client (at most 64 letters, digits, '-',
	// '_', '.' or ':'). Adding a message under a ClientID the ticket
	// already holds writes nothing and returns the first one, Replayed
	// set: a resend after a lost answer is harmless. Empty: none given.
	ClientID string `json:"client_id,omitempty"`
	// Replayed is set on a message an add returned instead of writing it,
	// because its ClientID was already stored.
	Replayed bool `json:"-"`
	// Attachments, when adding a message, are stored with it.
	Attachments []*Attachment `json:"-"`
	// SecretWarning is set on a customer's message just added whose text
	// had secrets in it (masked before it was stored).
	SecretWarning *SecretWarning `json:"secret_warning,omitempty"`
}

// Note is a note okcare writes on a ticket, in a form that does not
// depend on a language: Key names the sentence ("status_set"), Args fill
// it in. Arguments that name an actor hold "agent:<id>", "user:<id>" or
// "system"; times are RFC 3339.
type Note struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
}

// NewTicket asks for a ticket. Either UserID or a contact is set.
type NewTicket struct {
	UserID         string
	ContactEmail   string
	ContactPhone   string
	Channel        string
	Lang           string
	Subject        string
	Category       string
	Intake         Intake
	IdempotencyKey string
	RequestHash    string
	// FirstResponseDue and ResolutionDue are the SLA targets; when nil the
	// store computes them from its policies and business calendar.
	FirstResponseDue *time.Time
	ResolutionDue    *time.Time
	// Priority is normal when empty.
	Priority string
	// Attachments are stored with the ticket, in its transaction.
	Attachments []*Attachment
	// Ack threads the acknowledgement every new ticket gets (queued in the
	// ticket's transaction, so it exists if and only if the ticket does)
	// under the mail that opened the ticket; nil for other channels.
	Ack *TicketAck
	// NoAck leaves the acknowledgement out (a sender who has had enough of
	// them this hour).
	NoAck bool
}

// TicketAck says which mail a new ticket's acknowledgement answers.
type TicketAck struct {
	Subject   string // the customer's subject, answered as "Re: ..."
	InReplyTo string // the Message-ID being answered
}

// QueueFilter selects tickets for a queue.
type QueueFilter struct {
	Statuses []string
	Category string
	Lang     string
	// Tag keeps tickets with this tag only: TagSecretExposed is the
	// security team's queue.
	Tag   string
	Limit int
	// Brief reads only what a list of tickets shows (number, subject,
	// tags, cause, channel, language, status, first-response target and
	// reply, assignee), for the console's queue page: no intake, contact
	// or other deadlines.
	Brief bool
}

// TicketService keeps tickets and their conversations.
type TicketService interface {
	// CreateTicket opens a ticket with the intake as its first message,
	// once per idempotency key. Secrets in the customer's text (subject,
	// intake, text attachments) are masked before anything is stored; the
	// ticket is then flagged TagSecretExposed, urgent, and carries a
	// SecretWarning. Returns EINVALID, EIDEMPOTENCYMISMATCH.
	CreateTicket(ctx context.Context, req NewTicket) (*Ticket, error)

	// FindTicket returns ENOTFOUND.
	FindTicket(ctx context.Context, id string) (*Ticket, error)

	// FindTicketByNumber returns ENOTFOUND.
	FindTicketByNumber(ctx context.Context, number int64) (*Ticket, error)

	// LinkTicketIncident says which incident a ticket is about ("" for
	// none); audited. Returns ENOTFOUND (ticket or incident), ECONFLICT
	// (the incident is resolved).
	LinkTicketIncident(ctx context.Context, ticketID, incidentID, actor string) error

	// TicketByLink resolves the token of a private ticket link, sent in
	// every ticket's acknowledgement. Returns EUNAUTHORIZED (unknown or
	// expired).
	TicketByLink(ctx context.Context, token string) (*Ticket, error)

	// Queue lists tickets for staff, filtered by status (several allowed),
	// category and language (empty: any), soonest first-response target
	// first, at most limit. Returns EINVALID.
	Queue(ctx context.Context, q QueueFilter) ([]*Ticket, error)

	// UserTickets lists a user's tickets, newest first.
	UserTickets(ctx context.Context, userID string) ([]*Ticket, error)

	// AddTicketMessage appends a message; a customer's reply to a pending or
	// solved ticket reopens it. Secrets in any message are masked before it
	// is stored; in a customer's, they also flag the ticket as
	// CreateTicket does and set m.SecretWarning. A message whose ClientID
	// the ticket holds already is not added again: m becomes the stored
	// one, Replayed set. Returns EINVALID, ENOTFOUND, ECONFLICT (closed, or
	// the ClientID names another author's message).
	AddTicketMessage(ctx context.Context, m *TicketMessage) error

	// ReplyAsAgent adds a staff message. A public one is mailed to the
	// customer (threaded), records the first response and puts the ticket
	// in pending; an internal note does neither. Returns EINVALID,
	// ENOTFOUND, ECONFLICT (closed).
	ReplyAsAgent(ctx context.Context, ticketID, agentID, body string, public bool) (*TicketMessage, error)

	// ReplyAsAgentOnce is ReplyAsAgent under the client's id for the
	// reply: when the ticket holds clientID already, nothing is written
	// and the stored message is returned, Replayed set. Returns as
	// ReplyAsAgent, and ECONFLICT when clientID names another author's
	// message.
	ReplyAsAgentOnce(ctx context.Context, ticketID, agentID, clientID, body string, public bool) (*TicketMessage, error)

	// SetTicketStatus moves a ticket (not back to new). Solving sends a
	// satisfaction survey; pending starts the auto-solve clock. Returns
	// EINVALID, ENOTFOUND, ECONFLICT (closed, or already in that status).
	SetTicketStatus(ctx context.Context, ticketID, actor, status string) (*Ticket, error)

	// TicketSurvey returns a ticket's survey, or nil if none was sent.
	TicketSurvey(ctx context.Context, ticketID string) (*Survey, error)

	// AnswerSurvey records a 1-5 rating and a comment once per survey link.
	// Returns EINVALID, EUNAUTHORIZED (bad link), ECONFLICT (answered).
	AnswerSurvey(ctx context.Context, token string, rating int, comment string) error

	// RateTicket answers a ticket's survey from the customer's own ticket
	// page. Returns EINVALID, EUNAUTHORIZED (no survey sent), ECONFLICT.
	RateTicket(ctx context.Context, ticketID string, rating int, comment string) error

	// AssignTicket gives an unassigned ticket to an available agent (online,
	// speaks its language, under capacity; least recently assigned first)
	// and returns the agent id, or "" if nobody is available.
	AssignTicket(ctx context.Context, ticketID string) (string, error)

	// AssignWaiting offers unassigned new and open tickets, most urgent
	// first, to the agents available now; it returns how many it assigned.
	AssignWaiting(ctx context.Context) (int, error)

	// ReassignTicket moves a ticket to an agent; audited. Returns ENOTFOUND.
	ReassignTicket(ctx context.Context, ticketID, agentID, supervisorID string) error

	// SetAgentPresence sets online/away/offline and optionally capacity and
	// language skills. Returns EINVALID, ENOTFOUND.
	SetAgentPresence(ctx context.Context, agentID, presence string, capacity int, langs []string) error

	// SetTicketPriority changes a ticket's priority and moves its SLA
	// targets to the new priority's policy (keeping any paused time).
	// Returns EINVALID, ENOTFOUND, ECONFLICT (closed).
	SetTicketPriority(ctx context.Context, ticketID, actor, priority string) (*Ticket, error)

	// LogCall records a phone call to the customer as an internal note; a
	// call that reached them counts as the first response. Returns
	// EINVALID, ENOTFOUND, ECONFLICT (closed).
	LogCall(ctx context.Context, ticketID, agentID, outcome, notes string) error

	// TicketMessages lists messages in conversation order (Seq); internal
	// notes only when asked (agents), never for customers.
	TicketMessages(ctx context.Context, ticketID string, withInternal bool) ([]*TicketMessage, error)
}

// Attachment is a file a customer attached to a ticket. Its name and type
// are the store's checked ones, not what the sender claimed.
type Attachment struct {
	ID          string    `json:"id"`
	TicketID    string    `json:"-"`
	MessageID   string    `json:"message_id,omitempty"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// AttachmentService keeps ticket attachments.
type AttachmentService interface {
	// AddAttachment checks a file by its content and attaches it to a
	// ticket, with a public note naming it. Returns EINVALID,
	// EBODYTOOLARGE, EUNSUPPORTEDMEDIA, ENOTFOUND, ECONFLICT (closed, or
	// the ticket already has the most files allowed).
	AddAttachment(ctx context.Context, ticketID, author string, a *Attachment) error

	// Attachments lists a ticket's files, without their data.
	Attachments(ctx context.Context, ticketID string) ([]*Attachment, error)

	// Attachment returns one file of a ticket with its data. Returns ENOTFOUND.
	Attachment(ctx context.Context, ticketID, id string) (*Attachment, error)
}
