package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/okcare/okcare"
)

// auditMAC signs an audit entry's place and hash with the audit key.
func auditMAC(key []byte, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "audit:%d:%s", seq, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// AuditAnchor is the audit log's head at a moment, signed with the audit
// key and kept where the database cannot rewrite it (a file, the logs): a
// later rewind, wipe or recomputed chain disagrees with it.
type AuditAnchor struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	MAC  string    `json:"mac"`
}

// anchorMAC signs an anchor; it differs from an entry's signature so that
// one cannot be passed off as the other.
func anchorMAC(key []byte, seq int64, hash string, at time.Time) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "anchor:%d:%s:%d", seq, hash, at.UnixMicro())
	return hex.EncodeToString(m.Sum(nil))
}

// AuditAnchor returns the log's current head, signed. It needs AuditKey.
func (db *DB) AuditAnchor(ctx context.Context) (*AuditAnchor, error) {
	if len(db.AuditKey) == 0 {
		return nil, errors.New("no audit key: set the secret key")
	}
	var a AuditAnchor
	if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&a.Seq, &a.Hash); err != nil {
		return nil, err
	}
	a.At = fromMicros(micros(db.Now()))
	a.MAC = anchorMAC(db.AuditKey, a.Seq, a.Hash, a.At)
	return &a, nil
}

// VerifyAuditAnchors checks the log against anchors written earlier: each
// must be genuine (signed with the audit key) and its entry still in the
// log with the hash it had. It names what happened when one is not.
func (db *DB) VerifyAuditAnchors(ctx context.Context, anchors []AuditAnchor) error {
	var last int64
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&last); err != nil {
		return err
	}
	for _, a := range anchors {
		if !hmac.Equal([]byte(a.MAC), []byte(anchorMAC(db.AuditKey, a.Seq, a.Hash, a.At))) {
			return fmt.Errorf("%w: the anchor of entry %d (%s) is not signed with the audit key: forged", okcare.ErrAuditBroken, a.Seq, a.At.Format(time.RFC3339))
		}
		if a.Seq == 0 {
			continue
		}
		var hash string
		err := db.queryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, a.Seq).Scan(&hash)
		switch {
		case errors.Is(err, sql.ErrNoRows) && last == 0:
			return fmt.Errorf("%w: the log is empty, but %d entries were anchored on %s: wiped", okcare.ErrAuditBroken, a.Seq, a.At.Format(time.RFC3339))
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%w: the log ends at entry %d, but entry %d was anchored on %s: rewound", okcare.ErrAuditBroken, last, a.Seq, a.At.Format(time.RFC3339))
		case err != nil:
			return err
		case hash != a.Hash:
			return fmt.Errorf("%w: entry %d differs from what was anchored on %s: the chain was recomputed", okcare.ErrAuditBroken, a.Seq, a.At.Format(time.RFC3339))
		}
	}
	return nil
}

// checkEntryMAC checks an entry's signature when the store has the audit
// key. Unsigned entries are those written before signing began; once one
// is signed, every later one must be.
func (db *DB) checkEntryMAC(seq int64, hash, mac string, signedSeen *bool) error {
	if len(db.AuditKey) == 0 {
		return nil
	}
	if mac == "" {
		if *signedSeen {
			return fmt.Errorf("%w: audit entry %d is unsigned after signed ones: not written by okcare", okcare.ErrAuditBroken, seq)
		}
		return nil
	}
	*signedSeen = true
	if !hmac.Equal([]byte(mac), []byte(auditMAC(db.AuditKey, seq, hash))) {
		return fmt.Errorf("%w: audit entry %d is not signed with the audit key: forged", okcare.ErrAuditBroken, seq)
	}
	return nil
}
