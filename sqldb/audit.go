package sqldb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/okcare/okcare"
)

// AuditHash is SHA-256 over the previous hash and the entry's fields, each
// length-prefixed so that no two different entries hash alike. Anyone can
// compute it (someone with write access to the database could recompute
// the chain), which is why entries are also signed with the audit key.
func AuditHash(prev string, seq, at int64, actor, action, target, details string) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(seq, 10), strconv.FormatInt(at, 10), actor, action, target, details} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit writes an entry inside the caller's transaction: the record
// exists if and only if the action does.
func appendAudit(ctx context.Context, tx *Tx, actor, action, target string, details any) error {
	raw, err := json.Marshal(details)
	if err != nil {
		return err
	}
	var seq int64
	var prev string
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+tx.db.dialect.ForUpdate).Scan(&seq, &prev); err != nil {
		return err
	}
	seq++
	at := micros(tx.now)
	hash := AuditHash(prev, seq, at, actor, action, target, string(raw))
	if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, hash); err != nil {
		return err
	}
	mac := ""
	if len(tx.db.AuditKey) > 0 {
		mac = auditMAC(tx.db.AuditKey, seq, hash)
	}
	_, err = tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		seq, at, actor, action, target, string(raw), prev, hash, mac)
	return err
}

// AuditLog returns entries newest first.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]*okcare.AuditEntry, error) {
	rows, err := db.query(ctx, `SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.AuditEntry{}
	for rows.Next() {
		var e okcare.AuditEntry
		var at int64
		var details string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &details, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.Details = fromMicros(at), json.RawMessage(details)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// VerifyAudit recomputes the chain: each entry's sequence follows the last,
// its prev_hash is the last hash, its hash matches its content, and the
// head points at the final entry (so removing the newest entries is seen too).
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := db.query(ctx, `SELECT seq, at, actor, action, target, details, prev_hash, hash, mac FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	var lastSeq int64
	lastHash := ""
	signed := false
	for rows.Next() {
		var seq, at int64
		var actor, action, target, details, prev, hash, mac string
		if err := rows.Scan(&seq, &at, &actor, &action, &target, &details, &prev, &hash, &mac); err != nil {
			return n, err
		}
		switch {
		case seq != lastSeq+1:
			return n, fmt.Errorf("%w: audit entry %d missing before %d", okcare.ErrAuditBroken, lastSeq+1, seq)
		case prev != lastHash:
			return n, fmt.Errorf("%w: audit entry %d does not follow entry %d", okcare.ErrAuditBroken, seq, lastSeq)
		case AuditHash(prev, seq, at, actor, action, target, details) != hash:
			return n, fmt.Errorf("%w: audit entry %d was altered", okcare.ErrAuditBroken, seq)
		}
		if err := db.checkEntryMAC(seq, hash, mac, &signed); err != nil {
			return n, err
		}
		lastSeq, lastHash = seq, hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return n, err
	}
	if headSeq != lastSeq || headHash != lastHash {
		return n, fmt.Errorf("%w: the log ends at entry %d but %d were written", okcare.ErrAuditBroken, lastSeq, headSeq)
	}
	return n, nil
}
