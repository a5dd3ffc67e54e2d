package okcare

import (
	"context"
	"time"
)

// Where a ticket's category came from.
const (
	// CategoryByCustomer: the customer chose it, or their diagnosis found
	// it (the web form and the API pass the diagnosis's top cause).
	CategoryByCustomer = "customer"
	// CategoryByModel: the diagnosis model read it from the ticket's text,
	// with Ticket.CategoryConfidence.
	CategoryByModel = "model"
	// CategoryByAgent: an agent corrected it.
	CategoryByAgent = "agent"
)

// CategoryLabel is an agent's correction of a ticket's category, kept as
// labelled data: the text as the model read it, what the ticket said
// before, and what the agent says it is.
type CategoryLabel struct {
	ID       string `json:"id"`
	TicketID string `json:"ticket_id"`
	Lang     string `json:"lang"`
	Text     string `json:"text"`
	// From is the category before the correction, FromSource where it
	// came from, FromConfidence the model's confidence when it was the
	// model's.
	From           string    `json:"from"`
	FromSource     string    `json:"from_source"`
	FromConfidence *float64  `json:"from_confidence,omitempty"`
	Category       string    `json:"category"`
	AgentID        string    `json:"agent_id"`
	CreatedAt      time.Time `json:"created_at"`
}

// CategoryService corrects ticket categories and keeps the corrections.
type CategoryService interface {
	// SetTicketCategory corrects a ticket's category as an agent; a change
	// is kept as a CategoryLabel and audited, the same category again
	// changes nothing. Returns EINVALID (not a cause), ENOTFOUND.
	SetTicketCategory(ctx context.Context, ticketID, category, agentID string) (*Ticket, error)

	// CategoryLabels lists corrections in the order they were made, those
	// after the label id after ("" from the start), at most limit
	// (1-10000). Returns EINVALID.
	CategoryLabels(ctx context.Context, after string, limit int) ([]*CategoryLabel, error)
}
