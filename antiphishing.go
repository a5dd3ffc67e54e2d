package okcare

import "context"

// EventAntiPhishingSet is the alert that the anti-phishing code changed.
const EventAntiPhishingSet = "anti_phishing_code_set"

// AntiPhishingService keeps the customers' anti-phishing codes: a word of
// their own that every genuine email and SMS okcare sends them carries,
// so that mail without it is known to be fake.
type AntiPhishingService interface {
	// SetAntiPhishingCode sets (or, with "", removes) the user's code, 4
	// to 20 letters or digits with at least one letter, and alerts them.
	// Returns EINVALID, ENOTFOUND.
	SetAntiPhishingCode(ctx context.Context, userID, code string) error

	// AntiPhishingCode returns the user's code ("" for none). Returns
	// ENOTFOUND.
	AntiPhishingCode(ctx context.Context, userID string) (string, error)
}
