package okcare

import (
	"context"
	"time"
)

// OfficialChannel is a phone number, email address, website or chat
// account that really is OK Wallet's, on the list customers check a
// contact against. Kind and Value are the official package's
// (official.Kinds; the normalized value); Display is how it is written
// for people.
type OfficialChannel struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Value   string `json:"value"`
	Display string `json:"display"`
	// NoteZH and NoteEN say what it is for ("customer hotline; calls
	// come only from this number").
	NoteZH    string     `json:"note_zh,omitempty"`
	NoteEN    string     `json:"note_en,omitempty"`
	AddedBy   string     `json:"added_by"`
	AddedAt   time.Time  `json:"added_at"`
	RemovedBy string     `json:"removed_by,omitempty"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
}

// Note is the channel's note in lang.
func (c *OfficialChannel) Note(lang string) string {
	if lang == LangEN && c.NoteEN != "" {
		return c.NoteEN
	}
	return c.NoteZH
}

// StaffCode is the code a staff member gives a customer they are talking
// to (in a chat or a call on a ticket), so that the customer can check on
// the help center that they really are OK Wallet staff.
type StaffCode struct {
	Code      string     `json:"code"`
	AgentID   string     `json:"agent_id"`
	TicketID  string     `json:"ticket_id"`
	ExpiresAt time.Time  `json:"expires_at"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
}

// StaffCodeCheck is what a customer learns from a genuine staff code.
type StaffCodeCheck struct {
	// AgentName is the staff member's display name ("" if they have none:
	// their email is never shown).
	AgentName    string    `json:"agent_name,omitempty"`
	TicketNumber int64     `json:"ticket_number"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// ChannelService keeps the list of official channels and the staff
// verification codes.
type ChannelService interface {
	// OfficialChannels lists the channels on the list, and with removed
	// those taken off it, oldest first.
	OfficialChannels(ctx context.Context, removed bool) ([]*OfficialChannel, error)

	// AddOfficialChannel puts a channel on the list (normalizing its
	// value); audited. Returns EINVALID, ECONFLICT (already on it).
	AddOfficialChannel(ctx context.Context, c *OfficialChannel, actor string) error

	// RemoveOfficialChannel takes a channel off the list, keeping it in
	// the history; audited. Returns ENOTFOUND, ECONFLICT (already off).
	RemoveOfficialChannel(ctx context.Context, id, actor string) error

	// StaffCode returns the staff member's code for the customer of a
	// ticket, valid for a few minutes more at least, making a new one
	// when needed. Returns ENOTFOUND (no such ticket).
	StaffCode(ctx context.Context, agentID, ticketID string) (*StaffCode, error)

	// CheckStaffCode tells whether a code a customer was given is a
	// staff member's and still valid. Returns ENOTFOUND (it is not).
	CheckStaffCode(ctx context.Context, code string) (*StaffCodeCheck, error)
}
