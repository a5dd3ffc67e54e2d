package okcare

import "slices"

// TagSecretExposed flags a ticket in whose conversation okcare hid a
// secret the customer sent (a recovery phrase, a key, a code): the
// security team's queue. Such a ticket is raised to urgent.
const TagSecretExposed = "secret_exposed"

// SecretWarning says that secrets were hidden from what a customer just
// sent, before it was stored, and how the customer was told. Stores set
// it on the ticket or message they return; it is never stored itself
// (the ticket's tag and notes are).
type SecretWarning struct {
	// Kinds are what was hidden: "mnemonic", "private_key", "keystore",
	// "code", "password" (package secretscan).
	Kinds []string `json:"kinds"`
	// Text is the warning, in the ticket's language: OK Wallet staff never
	// ask for these.
	Text string `json:"text"`
	// Message is the public system message that carries Text on the
	// ticket, for the chat to show at once; nil where none was written.
	Message *TicketMessage `json:"-"`
}

// SecretExposed reports whether the ticket is flagged TagSecretExposed.
func (t *Ticket) SecretExposed() bool { return slices.Contains(t.Tags, TagSecretExposed) }
