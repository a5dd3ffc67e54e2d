package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/totp"
)

// Staff sign in with a password and a second factor. A staff member
// without one yet gets a session that can only enrol (mfa_pending): the
// console sends them to set it up, the API refuses them.

// BeginAgentTOTP returns the pending seed for a staff member's
// authenticator app, making one if there is none (so a mistyped code does
// not make them add a new one). Returns ECONFLICT (already on), ENOTFOUND.
func (db *DB) BeginAgentTOTP(ctx context.Context, agentID string) (*okcare.TOTPEnrolment, error) {
	var email string
	var secret, pending sql.NullString
	err := db.queryRow(ctx, `SELECT email, totp_secret, totp_pending_secret FROM agents WHERE id = ?`, agentID).Scan(&email, &secret, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such staff member.")
	} else if err != nil {
		return nil, err
	}
	if secret.Valid {
		return nil, okcare.Errorf(okcare.ECONFLICT, "Two-factor authentication is already on.")
	}
	if db.Secrets == nil {
		return nil, errors.New("no secret key configured to seal TOTP seeds")
	}
	if pending.Valid {
		plain, err := db.openSecret(pending.String, agentID)
		if err != nil {
			return nil, err
		}
		return &okcare.TOTPEnrolment{Secret: plain, OTPAuthURL: totp.URL("staff "+email, plain)}, nil
	}
	plain, url, err := totp.Generate("staff " + email)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE agents SET totp_pending_secret = ? WHERE id = ?`, db.Secrets.Seal(plain, agentID), agentID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &okcare.TOTPEnrolment{Secret: plain, OTPAuthURL: url}, nil
}

// ConfirmAgentTOTP turns a staff member's second factor on with a code
// from the pending seed, returns single-use recovery codes, and lets their
// pending sessions do their work. Returns ETOTPINVALID, ECONFLICT.
func (db *DB) ConfirmAgentTOTP(ctx context.Context, agentID, code string) ([]string, error) {
	var codes []string
	err := db.inTx(ctx, func(tx *Tx) error {
		var secret, pending sql.NullString
		var lastStep int64
		err := tx.queryRow(ctx, `SELECT totp_secret, totp_pending_secret, totp_last_step FROM agents WHERE id = ?`+db.dialect.ForUpdate, agentID).Scan(&secret, &pending, &lastStep)
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.ENOTFOUND, "No such staff member.")
		} else if err != nil {
			return err
		}
		switch {
		case secret.Valid:
			return okcare.Errorf(okcare.ECONFLICT, "Two-factor authentication is already on.")
		case !pending.Valid:
			return okcare.Errorf(okcare.ECONFLICT, "Start the two-factor set-up first.")
		}
		plain, err := db.openSecret(pending.String, agentID)
		if err != nil {
			return err
		}
		step, ok := totp.Match(plain, code, tx.now, lastStep)
		if !ok {
			return okcare.Errorf(okcare.ETOTPINVALID, "The code is wrong; check the time on your phone and try the next code.")
		}
		if _, err := tx.exec(ctx, `UPDATE agents SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ? WHERE id = ?`, step, agentID); err != nil {
			return err
		}
		for i := 0; i < recoveryCodeCount; i++ {
			c := newRecoveryCode()
			if _, err := tx.exec(ctx, `INSERT INTO agent_recovery_codes (agent_id, code_hash) VALUES (?, ?)`, agentID, token.Hash(c)); err != nil {
				return err
			}
			codes = append(codes, c)
		}
		if _, err := tx.exec(ctx, `UPDATE agent_sessions SET mfa_pending = ? WHERE agent_id = ?`, false, agentID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "agent:"+agentID, "staff.totp_enabled", "agent:"+agentID, map[string]string{})
	})
	return codes, err
}

// agentSecondFactor checks a staff member's code at sign-in: their seed's,
// or an unused recovery code. Returns ETOTPREQUIRED, ETOTPINVALID.
func (db *DB) agentSecondFactor(ctx context.Context, agentID, code string) error {
	if code == "" {
		return okcare.Errorf(okcare.ETOTPREQUIRED, "Enter the code from your authenticator app.")
	}
	ok, err := db.useSecondFactorOf(ctx, staffFactors, agentID, code)
	if err != nil {
		return err
	}
	if !ok {
		return okcare.Errorf(okcare.ETOTPINVALID, "The two-factor code is wrong or was already used.")
	}
	return nil
}
