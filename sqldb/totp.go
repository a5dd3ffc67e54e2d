package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/totp"
)

// openSecret unseals a stored TOTP seed.
func (db *DB) openSecret(sealed, userID string) (string, error) {
	if db.Secrets == nil {
		return "", fmt.Errorf("no secret key configured to open TOTP seeds")
	}
	plain, err := db.Secrets.Open(sealed, userID)
	if err != nil {
		return "", fmt.Errorf("TOTP seed of %s: %w (wrong OKCARE_SECRET_KEY?)", userID, err)
	}
	return plain, nil
}

// recoveryCodeCount is how many single-use recovery codes an enrolment gives.
const recoveryCodeCount = 10

// BeginTOTP stores a new pending secret and returns it for the user's
// authenticator app. Two-factor stays off until ConfirmTOTP.
func (db *DB) BeginTOTP(ctx context.Context, userID, currentPassword string) (*okcare.TOTPEnrolment, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, okcare.Errorf(okcare.ECONFLICT, "Two-factor authentication is already on.")
	}
	if err := db.reauthenticate(ctx, u, currentPassword, ""); err != nil {
		return nil, err
	}
	account := u.Email
	if account == "" {
		account = u.Phone
	}
	if db.Secrets == nil {
		return nil, fmt.Errorf("no secret key configured to seal TOTP seeds")
	}
	secret, url, err := totp.Generate(account)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE users SET totp_pending_secret = ? WHERE id = ?`, db.Secrets.Seal(secret, userID), userID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &okcare.TOTPEnrolment{Secret: secret, OTPAuthURL: url}, nil
}

// ConfirmTOTP turns two-factor on when code matches the pending secret and
// returns fresh recovery codes, shown this once and stored hashed.
func (db *DB) ConfirmTOTP(ctx context.Context, userID, code string) ([]string, error) {
	var codes []string
	err := db.inTx(ctx, func(tx *Tx) error {
		u, err := findUserForUpdate(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return okcare.Errorf(okcare.ECONFLICT, "Two-factor authentication is already on.")
		}
		var pending sql.NullString
		var lastStep int64
		if err := tx.queryRow(ctx, `SELECT totp_pending_secret, totp_last_step FROM users WHERE id = ?`, userID).Scan(&pending, &lastStep); err != nil {
			return err
		}
		if !pending.Valid {
			return okcare.Errorf(okcare.ECONFLICT, "Start the two-factor enrolment first.")
		}
		secret, err := db.openSecret(pending.String, userID)
		if err != nil {
			return err
		}
		step, ok := totp.Match(secret, code, tx.now, lastStep)
		if !ok {
			return okcare.Errorf(okcare.ETOTPINVALID, "The code is wrong; check the time on your phone and try the next code.")
		}
		if _, err := tx.exec(ctx, `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ? WHERE id = ?`, step, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for i := 0; i < recoveryCodeCount; i++ {
			c := newRecoveryCode()
			if _, err := tx.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, token.Hash(c)); err != nil {
				return err
			}
			codes = append(codes, c)
		}
		return enqueueSecurityAlert(ctx, tx, u, okcare.EventTOTPEnabled)
	})
	return codes, err
}

// newRecoveryCode returns a code like "k7q2-m9xd-4hfa-p3zt": 16 base32
// characters of a random token, 80 random bits.
func newRecoveryCode() string {
	raw := strings.ToLower(token.New(""))
	return raw[0:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:16]
}

// maxCodeLength bounds what may be typed as a second-factor code: a
// recovery code with generous spacing fits, anything longer is malformed.
const maxCodeLength = 64

func normalizeRecoveryCode(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
}

// useSecondFactor accepts a TOTP code at a step later than the last accepted
// one, or an unused recovery code, and consumes it. The conditional UPDATEs
// make this safe against two logins racing with the same code.
func (db *DB) useSecondFactor(ctx context.Context, userID, code string) (bool, error) {
	return db.useSecondFactorOf(ctx, customerFactors, userID, code)
}

// secondFactors names where an owner's TOTP seed and recovery codes are:
// customers' in users, staff members' in agents.
type secondFactors struct{ owner, codes, codeOwner string }

var (
	customerFactors = secondFactors{"users", "recovery_codes", "user_id"}
	staffFactors    = secondFactors{"agents", "agent_recovery_codes", "agent_id"}
)

func (db *DB) useSecondFactorOf(ctx context.Context, f secondFactors, userID, code string) (bool, error) {
	var used bool
	err := db.inTx(ctx, func(tx *Tx) error {
		var secret sql.NullString
		var lastStep int64
		if err := tx.queryRow(ctx, `SELECT totp_secret, totp_last_step FROM `+f.owner+` WHERE id = ?`+db.dialect.ForUpdate, userID).Scan(&secret, &lastStep); err != nil {
			return err
		}
		plain := ""
		if secret.Valid {
			var err error
			if plain, err = db.openSecret(secret.String, userID); err != nil {
				return err
			}
		}
		if step, ok := totp.Match(plain, code, tx.now, lastStep); secret.Valid && ok {
			res, err := tx.exec(ctx, `UPDATE `+f.owner+` SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			used = n == 1
			return nil
		}
		norm := normalizeRecoveryCode(code)
		if len(norm) != 16 {
			return nil
		}
		formatted := norm[0:4] + "-" + norm[4:8] + "-" + norm[8:12] + "-" + norm[12:16]
		res, err := tx.exec(ctx, `UPDATE `+f.codes+` SET used_at = ? WHERE `+f.codeOwner+` = ? AND code_hash = ? AND used_at IS NULL`,
			micros(tx.now), userID, token.Hash(formatted))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		used = n == 1
		return nil
	})
	return used, err
}

// DisableTOTP turns two-factor off after checking the password and a code.
func (db *DB) DisableTOTP(ctx context.Context, userID, pw, code string) error {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return okcare.Errorf(okcare.ECONFLICT, "Two-factor authentication is off.")
	}
	if err := db.reauthenticate(ctx, u, pw, code); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL WHERE id = ?`, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return enqueueSecurityAlert(ctx, tx, u, okcare.EventTOTPDisabled)
	})
}
