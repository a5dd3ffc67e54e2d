package okcare

import (
	"context"
	"time"
)

// SecurityEvent is a security alert a user was sent, without its content:
// staff see that a code or link went out, never the code or link itself.
type SecurityEvent struct {
	Event   string    `json:"event"`
	Channel string    `json:"channel"`
	SentTo  string    `json:"sent_to"` // masked
	Status  string    `json:"status"`
	At      time.Time `json:"at"`
}

// Customer-context matches: how the account beside a ticket was found.
const (
	// MatchAccount: the ticket is linked to the account (see
	// Ticket.LinkedBy for how that was proven); its wallet is shown.
	MatchAccount = "account"
	// MatchCandidate: the ticket's email or phone is registered to an
	// account, which proves nothing: anyone can type an address. Only
	// where a code would go is shown until the customer reads one back.
	MatchCandidate = "candidate"
)

// Candidate is an account that may be the ticket's customer's, as an agent
// may see it before identity is proven: where a code would be sent, masked,
// and nothing else.
type Candidate struct {
	Channel string `json:"channel"` // email or sms
	SentTo  string `json:"sent_to"` // masked registered contact
}

// CustomerContext is what an agent sees beside a conversation: the
// customer's wallet as the server knows it, the ticket's identity check and
// its four-eyes requests. User is set only for a linked account; an
// unproven match is a Candidate with no wallet data at all.
type CustomerContext struct {
	User           *User                 `json:"user,omitempty"`
	Match          string                `json:"match,omitempty"`
	Candidate      *Candidate            `json:"candidate,omitempty"`
	StateHistory   []*AccountStateChange `json:"state_history"`
	Sessions       []*Session            `json:"sessions"`
	Balances       []*Balance            `json:"-"`
	Transactions   []*Transaction        `json:"-"`
	SecurityEvents []*SecurityEvent      `json:"security_events"`
	Diagnoses      []*Diagnosis          `json:"diagnoses"`
	Verification   *Verification         `json:"verification,omitempty"`
	Approvals      []*Approval           `json:"approvals"`
}

// Macro is a canned reply in one language that can also set the ticket's
// status and add tags. "{number}" in the body becomes the ticket number.
type Macro struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Lang      string    `json:"lang"`
	Body      string    `json:"body"`
	SetStatus string    `json:"set_status,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// AgentStatus is a staff member as the console's team view shows them.
type AgentStatus struct {
	Agent
	Presence string   `json:"presence"`
	Capacity int      `json:"capacity"`
	Langs    []string `json:"langs"`
	// Load counts their new, open and on-hold tickets.
	Load int `json:"load"`
}

// ConsoleService is what the agent console needs beyond tickets.
type ConsoleService interface {
	// CustomerContext gathers the wallet context of a ticket's customer for
	// a staff member; a read that shows a wallet is audited (once per staff
	// member and ticket every ten minutes). Returns ENOTFOUND.
	CustomerContext(ctx context.Context, ticketID, agentID string) (*CustomerContext, error)

	// IdentityChecks returns a ticket's latest identity check (nil if none)
	// and its four-eyes requests: the part of CustomerContext the console's
	// confirm and approve forms need.
	IdentityChecks(ctx context.Context, ticketID string) (*Verification, []*Approval, error)

	// CreateMacro adds a macro. Returns EINVALID, ECONFLICT (name taken in
	// that language).
	CreateMacro(ctx context.Context, m *Macro) error

	// Macros lists macros by language and name.
	Macros(ctx context.Context) ([]*Macro, error)

	// ApplyMacro posts the macro's reply publicly, then sets its status and
	// adds its tags, in one transaction. Returns ENOTFOUND, ECONFLICT.
	ApplyMacro(ctx context.Context, ticketID, agentID, macroID string) (*Ticket, error)

	// TagTicket adds tags to a ticket. Returns EINVALID, ENOTFOUND.
	TagTicket(ctx context.Context, ticketID string, tags []string) error

	// Team lists staff with their presence and load.
	Team(ctx context.Context) ([]*AgentStatus, error)

	// AgentTickets lists the tickets assigned to an agent that are not yet
	// solved, most urgent target first, with the fields a list shows (as
	// QueueFilter.Brief).
	AgentTickets(ctx context.Context, agentID string) ([]*Ticket, error)
}

// FollowUp is a message to the customer scheduled on a ticket.
type FollowUp struct {
	ID         string     `json:"id"`
	TicketID   string     `json:"ticket_id"`
	Body       string     `json:"body"`
	DueAt      time.Time  `json:"due_at"`
	CreatedBy  string     `json:"created_by"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	CanceledAt *time.Time `json:"canceled_at,omitempty"`
}

// FollowUpService schedules and sends follow-up messages.
type FollowUpService interface {
	// ScheduleFollowUp plans a message to the customer. Returns EINVALID
	// (empty, too long, not in the future or more than 90 days out),
	// ENOTFOUND, ECONFLICT (closed).
	ScheduleFollowUp(ctx context.Context, ticketID, agentID, body string, due time.Time) (*FollowUp, error)

	// CancelFollowUp cancels a planned message of a ticket. Returns
	// ENOTFOUND, ECONFLICT (already sent or canceled).
	CancelFollowUp(ctx context.Context, ticketID, id, agentID string) error

	// FollowUps lists a ticket's follow-ups, soonest first.
	FollowUps(ctx context.Context, ticketID string) ([]*FollowUp, error)

	// SendDueFollowUps sends the messages due at now (once each, also
	// with several nodes) and returns how many it sent.
	SendDueFollowUps(ctx context.Context, now time.Time) (int, error)
}

// ChatService opens live chats and finds them again by the customer's
// chat token.
type ChatService interface {
	// OpenChat creates a chat ticket (req.Channel is set to chat) and a
	// chat token for the customer's browser. Returns EINVALID.
	OpenChat(ctx context.Context, req NewTicket) (*Ticket, string, error)

	// ChatTicket resolves a chat token. Returns EUNAUTHORIZED (unknown or
	// expired).
	ChatTicket(ctx context.Context, token string) (*Ticket, error)

	// ChatMessagesSince lists a ticket's public messages after seq, in
	// order, at most limit: what a chat window missed.
	ChatMessagesSince(ctx context.Context, ticketID string, seq int64, limit int) ([]*TicketMessage, error)

	// AddChatMessages stores messages, in order, and returns once they are
	// durable: a message whose Author is "agent:<id>" as ReplyAsAgentOnce
	// stores a reply (Public as given), any other as AddTicketMessage
	// does (attachments are not taken). They may share one commit with
	// each other and with other callers' messages; each is decided as if
	// alone, after the ones before it, so a refused one (EINVALID,
	// ENOTFOUND, ECONFLICT for a closed ticket or someone else's client
	// id) changes nothing and does not affect the rest, and a client id
	// already stored, earlier in the same call too, answers the stored
	// message with Replayed set. The messages are filled in where stored;
	// errs[i] is message i's refusal. err is set only if none was stored.
	AddChatMessages(ctx context.Context, ms []*TicketMessage) (errs []error, err error)
}
