package okcare

import (
	"context"
	"encoding/json"
	"time"
)

// Diagnosis outcomes the user reports.
const (
	OutcomeSolved      = "solved"
	OutcomeStillBroken = "still_broken"
)

// Diagnosis is a stored run of the "wallet won't open" diagnosis: what the
// user told us, what we concluded, and whether it helped.
type Diagnosis struct {
	ID        string          `json:"id"`
	UserID    string          `json:"-"`
	Lang      string          `json:"lang"`
	TopCause  string          `json:"top_cause"`
	Request   json.RawMessage `json:"request"`
	Result    json.RawMessage `json:"result"`
	Outcome   string          `json:"outcome,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	// Key opens an anonymous diagnosis (its links carry it): set by
	// SaveDiagnosis, shown once, stored only hashed; empty when signed in.
	Key string `json:"key,omitempty"`
}

// DeflectionReport counts how often self-service solved the problem.
type DeflectionReport struct {
	Diagnoses   int `json:"diagnoses"`
	Solved      int `json:"solved"`
	StillBroken int `json:"still_broken"`
	// Rate is solved / (solved + still broken); 0 when nobody answered.
	Rate float64 `json:"deflection_rate"`
}

// DiagnosisService stores diagnoses and their outcomes.
type DiagnosisService interface {
	// SaveDiagnosis stores d, assigning its ID and time.
	SaveDiagnosis(ctx context.Context, d *Diagnosis) error

	// FindDiagnosis returns a diagnosis for staff, by id alone; ENOTFOUND.
	FindDiagnosis(ctx context.Context, id string) (*Diagnosis, error)

	// OpenDiagnosis returns a diagnosis for the customer who made it: the
	// signed-in user it belongs to, or, for an anonymous one, whoever holds
	// its key. Anyone else gets ENOTFOUND, as for an unknown id.
	OpenDiagnosis(ctx context.Context, id, userID, key string) (*Diagnosis, error)

	// SetDiagnosisOutcome records the customer's answer, with the same
	// access rule as OpenDiagnosis. Returns EINVALID, ENOTFOUND.
	SetDiagnosisOutcome(ctx context.Context, id, userID, key, outcome string) error

	// Deflection reports outcomes of diagnoses made since a time.
	Deflection(ctx context.Context, since time.Time) (*DeflectionReport, error)
}
