package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// Staff verification codes: eight characters from an alphabet without the
// look-alikes 0/O and 1/I (40 bits), shown as XXXX-XXXX, valid for
// staffCodeTTL. A code belongs to one staff member on one ticket, so a
// customer who checks it learns who is talking to them about which
// request; one passed on to someone else names the wrong request.
const (
	staffCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	staffCodeLen      = 8
	staffCodeTTL      = 10 * time.Minute
	// staffCodeFresh: a code with less time left is replaced, so that the
	// customer has time to check the one they are given.
	staffCodeFresh = 3 * time.Minute
)

// normalizeStaffCode accepts a code as a customer types it: any case,
// with or without the dash and spaces.
func normalizeStaffCode(s string) (string, bool) {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "", "　", "").Replace(strings.TrimSpace(s)))
	if len(c) != staffCodeLen {
		return "", false
	}
	for _, r := range c {
		if !strings.ContainsRune(staffCodeAlphabet, r) {
			return "", false
		}
	}
	return c, true
}

func newStaffCode() (string, error) {
	b := make([]byte, staffCodeLen)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(staffCodeAlphabet))))
		if err != nil {
			return "", err
		}
		b[i] = staffCodeAlphabet[n.Int64()]
	}
	return string(b), nil
}

func formatStaffCode(c string) string { return c[:4] + "-" + c[4:] }

// staffCodeHash finds a code: keyed, so that a copy of the table does not
// give the codes away to a brute-force search of their 40 bits.
func (db *DB) staffCodeHash(plain string) string {
	m := hmac.New(sha256.New, db.Secrets.Derive("okcare staff code v1"))
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}

// StaffCode returns the staff member's current code for the ticket's
// customer, or makes one.
func (db *DB) StaffCode(ctx context.Context, agentID, ticketID string) (*okcare.StaffCode, error) {
	if db.Secrets == nil {
		return nil, fmt.Errorf("no secret key configured to seal staff codes")
	}
	bound := agentID + "|" + ticketID
	var sc *okcare.StaffCode
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := findTicket(ctx, tx, ticketID); err != nil {
			return err
		}
		var sealed string
		var expires int64
		var checked sql.NullInt64
		err := tx.queryRow(ctx, `SELECT code_sealed, expires_at, checked_at FROM staff_codes WHERE agent_id = ? AND ticket_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`,
			agentID, ticketID, micros(tx.now.Add(staffCodeFresh))).Scan(&sealed, &expires, &checked)
		if err == nil {
			plain, err := db.Secrets.Open(sealed, bound)
			if err != nil {
				return fmt.Errorf("staff code: %w", err)
			}
			sc = &okcare.StaffCode{Code: formatStaffCode(plain), AgentID: agentID, TicketID: ticketID, ExpiresAt: fromMicros(expires), CheckedAt: fromNullMicros(checked)}
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		plain, err := newStaffCode()
		if err != nil {
			return err
		}
		sc = &okcare.StaffCode{Code: formatStaffCode(plain), AgentID: agentID, TicketID: ticketID, ExpiresAt: fromMicros(micros(tx.now.Add(staffCodeTTL)))}
		_, err = tx.exec(ctx, `INSERT INTO staff_codes (code_hash, agent_id, ticket_id, code_sealed, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			db.staffCodeHash(plain), agentID, ticketID, db.Secrets.Seal(plain, bound), micros(tx.now), micros(sc.ExpiresAt))
		return err
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// CheckStaffCode finds a valid staff code and says whose it is.
func (db *DB) CheckStaffCode(ctx context.Context, code string) (*okcare.StaffCodeCheck, error) {
	notFound := okcare.Errorf(okcare.ENOTFOUND, "This is not a valid OK Wallet staff code.")
	plain, ok := normalizeStaffCode(code)
	if !ok || db.Secrets == nil {
		return nil, notFound
	}
	hash := db.staffCodeHash(plain)
	var c okcare.StaffCodeCheck
	err := db.inTx(ctx, func(tx *Tx) error {
		var expires int64
		err := tx.queryRow(ctx, `SELECT a.name, t.number, s.expires_at FROM staff_codes s JOIN agents a ON a.id = s.agent_id JOIN tickets t ON t.id = s.ticket_id
			WHERE s.code_hash = ? AND s.expires_at > ?`, hash, micros(tx.now)).Scan(&c.AgentName, &c.TicketNumber, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		} else if err != nil {
			return err
		}
		c.ExpiresAt = fromMicros(expires)
		// The staff member's console shows that the customer checked.
		_, err = tx.exec(ctx, `UPDATE staff_codes SET checked_at = ? WHERE code_hash = ? AND checked_at IS NULL`, micros(tx.now), hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}
