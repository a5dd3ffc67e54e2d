package okcare

import (
	"context"
	"time"
)

// ReasonCustomerRequest is the reason of a freeze the customer asked for:
// from the help center's emergency freeze, or through an agent on a
// ticket.
const ReasonCustomerRequest = "customer_request"

// SelfFreeze is an emergency freeze asked for from the help center by
// someone who cannot sign in (a lost or stolen phone): a one-time code went
// to the email or phone they typed, if an account is registered to it.
// The answer is the same when none is, so that it tells nobody which
// contacts have accounts.
type SelfFreeze struct {
	ID        string    `json:"id"`
	Channel   string    `json:"channel"` // email or sms: the kind of contact typed
	SentTo    string    `json:"sent_to"` // the contact typed, masked
	ExpiresAt time.Time `json:"expires_at"`
}

// SelfFreezeResult is what a confirmed emergency freeze did.
type SelfFreezeResult struct {
	// AlreadyFrozen: the account was frozen before (it stays frozen for
	// its earlier reason).
	AlreadyFrozen bool `json:"already_frozen"`
	// SessionsRevoked counts the sessions signed out.
	SessionsRevoked int `json:"sessions_revoked"`
	// TicketNumber is the ticket opened for the way back: support verifies
	// the customer and two staff members unfreeze.
	TicketNumber int64 `json:"ticket_number"`
}

// ResetRequest is a forgotten-password request from the help center: a
// reset link went to the email or phone typed, if an account is
// registered to it (same answer when none is).
type ResetRequest struct {
	Channel   string    `json:"channel"` // email or sms: the kind of contact typed
	SentTo    string    `json:"sent_to"` // the contact typed, masked
	ExpiresAt time.Time `json:"expires_at"`
}

// SelfServiceService is what the help center offers customers who cannot
// sign in. Nothing here reveals whether an account exists: an unknown
// contact gets the same answers, including the throttle's.
type SelfServiceService interface {
	// StartSelfFreeze sends a one-time code for an emergency freeze to
	// contact (an email address or a phone number) if it is an account's
	// registered contact, in lang. Returns EINVALID (not an email or phone
	// number), ERATELIMITED (too many codes for this contact in the last
	// hour).
	StartSelfFreeze(ctx context.Context, contact, lang string) (*SelfFreeze, error)

	// ConfirmSelfFreeze checks the code and freezes the account at once
	// (reason customer_request), signs out every session, forgets every
	// device and opens a ticket, linked to the account, for the way back;
	// note is the customer's own account of what happened (optional).
	// Codes expire after 10 minutes, allow five tries and work once.
	// Returns EINVALID (wrong, used or expired code), ENOTFOUND,
	// ECONFLICT (the account is closed).
	ConfirmSelfFreeze(ctx context.Context, id, code, note string) (*SelfFreezeResult, error)

	// RequestPasswordReset sends a link to set a new password (single-use,
	// 30 minutes; only its hash is stored) to contact if it is an
	// account's registered contact, in lang. The owner of a frozen account
	// is told instead that a reset waits for the unfreeze. Returns
	// EINVALID, ERATELIMITED (too many requests for this contact in the
	// last hour).
	RequestPasswordReset(ctx context.Context, contact, lang string) (*ResetRequest, error)

	// CheckPasswordReset reports whether a reset link can still be used.
	// Returns EUNAUTHORIZED (unknown, used or expired).
	CheckPasswordReset(ctx context.Context, token string) error
}
