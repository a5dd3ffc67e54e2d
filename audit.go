package okcare

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// AuditEntry is one record of the append-only audit log. Each entry's hash
// covers its content and the previous entry's hash, so changing or removing
// any entry breaks every hash after it.
type AuditEntry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Target   string          `json:"target"`
	Details  json.RawMessage `json:"details"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// ErrAuditBroken is wrapped by VerifyAudit's errors about the chain itself
// (an altered, missing or misplaced entry), as opposed to failures to read it.
var ErrAuditBroken = errors.New("the audit log's hash chain is broken")

// AuditService reads and checks the audit log. Entries are written by the
// store inside the transaction of the action they record.
type AuditService interface {
	// AuditLog returns entries newest first, at most limit.
	AuditLog(ctx context.Context, limit int) ([]*AuditEntry, error)

	// VerifyAudit walks the chain from the first entry and returns how many
	// entries it checked, or an error naming the first broken one.
	VerifyAudit(ctx context.Context) (int, error)
}
