package okcare

import (
	"context"
	"time"
)

// Party is one side of a transaction as staff see it: a customer (their
// registered contact masked, and their tickets), a merchant (by name) or
// OK Wallet's treasury (deposits).
type Party struct {
	Kind    string `json:"kind"` // user, merchant or treasury
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`    // a merchant's
	Contact string `json:"contact,omitempty"` // a user's registered email or phone, masked
	// Tickets are the user's tickets, newest first (at most ten).
	Tickets []*Ticket `json:"tickets,omitempty"`
}

// TransactionView is a money movement looked up by staff.
type TransactionView struct {
	ID        string       `json:"id"`
	EntryID   string       `json:"entry_id"`
	Kind      MovementKind `json:"kind"`
	Asset     string       `json:"asset"`
	Amount    string       `json:"amount"` // decimal, in major units
	Memo      string       `json:"memo,omitempty"`
	ChainTx   string       `json:"chain_tx,omitempty"`
	From      *Party       `json:"from"`
	To        *Party       `json:"to"`
	CreatedAt time.Time    `json:"created_at"`
}

// Reasons staff may freeze an account for from a ticket.
var FreezeReasons = []string{ReasonCustomerRequest, ReasonSuspiciousActivity, ReasonSecurityReview, ReasonRiskReview}

// WalletCaseService is what the console needs for cases about money.
type WalletCaseService interface {
	// FindTransaction looks a movement up by its id, its journal entry's
	// id or its on-chain transaction hash, for a staff member; audited.
	// Returns ENOTFOUND.
	FindTransaction(ctx context.Context, ref, agentID string) (*TransactionView, error)

	// FreezeFromTicket freezes the account linked to a ticket at once,
	// for one of FreezeReasons, and signs out its sessions: one staff
	// member may freeze (unfreezing needs two). Returns EFORBIDDEN (no
	// account linked), EINVALID (reason), ENOTFOUND, ECONFLICT (frozen or
	// closed already).
	FreezeFromTicket(ctx context.Context, ticketID, agentID, reason string) (*User, error)

	// DepositFromChain is Deposit for funds that came from a chain,
	// keeping the on-chain transaction hash (0x and 64 hex digits, or 64
	// hex digits). Returns EINVALID, EINVALIDAMOUNT, EUNKNOWNASSET,
	// ENOTFOUND.
	DepositFromChain(ctx context.Context, userID, asset, amount, memo, chainTx string) (*Movement, error)
}
