package okcare

import (
	"context"
	"time"
)

// AgentRole is a staff member's role. Each role can do what the ones before
// it can.
type AgentRole string

// Agent roles.
const (
	RoleAgent      AgentRole = "agent"
	RoleSupervisor AgentRole = "supervisor"
	RoleAdmin      AgentRole = "admin"
)

// Valid reports whether r is a known role.
func (r AgentRole) Valid() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin
}

// AtLeast reports whether r has the permissions of min.
func (r AgentRole) AtLeast(min AgentRole) bool {
	rank := map[AgentRole]int{RoleAgent: 1, RoleSupervisor: 2, RoleAdmin: 3}
	return rank[r] >= rank[min] && rank[min] > 0
}

// Agent is a member of the support team.
type Agent struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name,omitempty"`
	Role      AgentRole `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// MFAPending is set on a staff session opened before the member set up
	// their second factor: it may do nothing but set it up.
	MFAPending bool `json:"-"`
}

// AgentService manages staff accounts and their sessions.
type AgentService interface {
	// CreateAgent adds a staff member. Returns EINVALID, EWEAKPASSWORD, ECONFLICT.
	CreateAgent(ctx context.Context, a *Agent, password string) error

	// SetAgentPassword replaces a staff member's password (used by --demo and
	// by the admin command). Returns ENOTFOUND, EWEAKPASSWORD.
	SetAgentPassword(ctx context.Context, email, password string) error

	// AgentLogin opens a staff session. Returns EINVALIDCREDENTIALS.
	AgentLogin(ctx context.Context, email, password, code, ip string) (*Agent, string, error)

	// BeginAgentTOTP and ConfirmAgentTOTP set up a staff member's second
	// factor (confirming returns recovery codes and frees their pending
	// sessions). Return ECONFLICT (already on), ETOTPINVALID, ENOTFOUND.
	BeginAgentTOTP(ctx context.Context, agentID string) (*TOTPEnrolment, error)
	ConfirmAgentTOTP(ctx context.Context, agentID, code string) ([]string, error)

	// AuthenticateAgent resolves a staff bearer token. Returns EUNAUTHORIZED.
	AuthenticateAgent(ctx context.Context, token string) (*Agent, error)

	// AgentLogout ends the session of a staff token.
	AgentLogout(ctx context.Context, token string) error

	// ReserveStaffSignIn reads a login's failed staff sign-ins since a
	// time, as every node recorded them, and, if allow lets the attempt go
	// ahead, records it as a failure before the password is checked, under
	// a lock on the login (so parallel attempts count one after another);
	// it returns the reservation ("" if none was made). ReleaseStaffSignIn
	// removes a reservation whose attempt was no guess;
	// ClearStaffSignInFailures forgets a login's after it signed in.
	ReserveStaffSignIn(ctx context.Context, login string, at, since time.Time, allow func(failures []time.Time) bool) (string, []time.Time, error)
	ReleaseStaffSignIn(ctx context.Context, id string) error
	ClearStaffSignInFailures(ctx context.Context, login string) error
}

// Notification is a message waiting in, or sent from, the durable outbox.
type Notification struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Channel   string     `json:"channel"` // "email" or "sms"
	To        string     `json:"to"`
	Event     string     `json:"event"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Status    string     `json:"status"` // pending, sent, failed
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	// TicketID and InReplyTo thread mail about a ticket.
	TicketID  string `json:"ticket_id,omitempty"`
	InReplyTo string `json:"in_reply_to,omitempty"`
	// AntiPhishingCode, set when a notification is read for delivery, is
	// the code of the customer the address belongs to: the senders put it
	// at the top. It is never stored with the message nor listed.
	AntiPhishingCode string `json:"-"`
}

// Notification channels and statuses.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"

	NotificationPending = "pending"
	NotificationSent    = "sent"
	NotificationFailed  = "failed"
)

// Security events that notify the user.
const (
	EventNewDeviceLogin  = "new_device_login"
	EventPasswordChanged = "password_changed"
	EventTOTPEnabled     = "totp_enabled"
	EventTOTPDisabled    = "totp_disabled"
	EventAccountFrozen   = "account_frozen"
	EventAccountUnfrozen = "account_unfrozen"
	EventLoginRestricted = "login_restricted"
	EventRestrictionLift = "login_restriction_lifted"
	// Money left the account for a recipient it never paid before, or
	// above the alert threshold of its asset.
	EventSentToNewRecipient = "money_sent_new_recipient"
	EventSentLargeAmount    = "money_sent_large"
	// A recovery code stood in for the two-factor code at a sign-in.
	EventRecoveryCodeUsed = "recovery_code_used"
)

// SecurityEvents lists the events above. The store adds its own outbox
// events (identity codes, reset links, ticket acknowledgements).
var SecurityEvents = []string{EventNewDeviceLogin, EventPasswordChanged, EventTOTPEnabled, EventTOTPDisabled,
	EventAccountFrozen, EventAccountUnfrozen, EventLoginRestricted, EventRestrictionLift,
	EventSentToNewRecipient, EventSentLargeAmount, EventRecoveryCodeUsed, EventAntiPhishingSet}

// NotificationService is the outbox of security alerts. Rows are written in
// the transaction of the event they report; background jobs deliver them.
type NotificationService interface {
	// Outbox lists notifications newest first, at most limit.
	Outbox(ctx context.Context, limit int) ([]*Notification, error)

	// Notification returns one notification. Returns ENOTFOUND.
	Notification(ctx context.Context, id string) (*Notification, error)

	// MarkSent records a delivery.
	MarkSent(ctx context.Context, id string) error

	// MarkFailed records a failed attempt; giveUp marks the notification
	// failed for good.
	MarkFailed(ctx context.Context, id string, cause string, giveUp bool) error
}
