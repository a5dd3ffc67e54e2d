package okcare

import (
	"context"
	"time"
)

// Verified actions an agent can take from a ticket once the customer has
// proved who they are.
const (
	ActionLiftRestriction = "lift_restriction"
	ActionRevokeSessions  = "revoke_sessions"
	ActionPasswordReset   = "send_password_reset"
	ActionUnfreeze        = "unfreeze" // needs a second staff member's approval
)

// Verification is a one-time code sent to a user's registered contact, to
// be read back to the agent on a ticket.
type Verification struct {
	ID         string     `json:"id"`
	TicketID   string     `json:"ticket_id"`
	Channel    string     `json:"channel"`
	SentTo     string     `json:"sent_to"` // masked
	ExpiresAt  time.Time  `json:"expires_at"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// Approval is a four-eyes request: one staff member asks, another approves.
type Approval struct {
	ID          string     `json:"id"`
	TicketID    string     `json:"ticket_id"`
	UserID      string     `json:"user_id"`
	Action      string     `json:"action"`
	RequestedBy string     `json:"requested_by"`
	ApprovedBy  string     `json:"approved_by,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ApprovedAt  *time.Time `json:"approved_at,omitempty"`
}

// VerificationService gates sensitive account actions on identity checks.
type VerificationService interface {
	// StartVerification sends a code to the registered email or phone of the
	// ticket's account or, for a ticket not linked yet, of the account its
	// contact (or login, when the customer names another one) is registered
	// to; never to an address that is not registered. Returns EINVALID (no
	// such account), ENOTFOUND, ERATELIMITED (too many codes on the ticket).
	StartVerification(ctx context.Context, ticketID, agentID, login string) (*Verification, error)

	// ConfirmVerification checks the code the customer read back; codes
	// expire, allow five tries and work once. A ticket not linked yet is
	// linked to the account the code went to (LinkedVerifiedContact).
	// Returns EINVALID, ENOTFOUND.
	ConfirmVerification(ctx context.Context, verificationID, agentID, code string) (*Verification, error)

	// StartCustomerVerification and ConfirmCustomerVerification are the
	// same check asked for by the customer on their own ticket page (the
	// private link): the code goes to the registered contact, never to the
	// page, and reading it back there links the ticket. Same errors.
	StartCustomerVerification(ctx context.Context, ticketID, login string) (*Verification, error)
	ConfirmCustomerVerification(ctx context.Context, ticketID, code string) (*Verification, error)

	// TakeAction performs a verified action on the ticket's user, or for
	// unfreeze files an approval request. Returns EFORBIDDEN (not verified),
	// EINVALID, ECONFLICT.
	TakeAction(ctx context.Context, ticketID, agentID, action string) (*Approval, error)

	// ApproveAction carries out an approval request as a second staff
	// member. Returns EFORBIDDEN (same person), ENOTFOUND, ECONFLICT.
	ApproveAction(ctx context.Context, approvalID, approverID string) (*Approval, error)

	// ResetPassword sets a new password with a reset token from a link.
	// Returns EUNAUTHORIZED (bad, used or expired token), EWEAKPASSWORD.
	ResetPassword(ctx context.Context, token, newPassword string) error
}
