package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/token"
)

// EventPasswordResetWaits tells the owner of a frozen account who asked
// for a reset link that a reset waits for the unfreeze.
const EventPasswordResetWaits = "password_reset_waits"

// RequestPasswordReset sends a reset link to contact if an account is
// registered to it (see selfServiceRequest for why the answer and the
// throttle are the same for every contact). The link's token is 128
// random bits; only its hash is stored, and it works once within
// resetTTL.
func (db *DB) RequestPasswordReset(ctx context.Context, contact, lang string) (*okcare.ResetRequest, error) {
	contact, channel, err := parseContact(contact)
	if err != nil {
		return nil, err
	}
	if !okcare.ValidLang(lang) {
		lang = okcare.LangZH
	}
	rr := &okcare.ResetRequest{Channel: channel, SentTo: mask(contact)}
	err = db.inTx(ctx, func(tx *Tx) error {
		rr.ExpiresAt = fromMicros(micros(tx.now.Add(resetTTL)))
		u, err := selfServiceRequest(ctx, tx, token.ID(selfServiceIDPrefix), purposeReset, contact, channel, "", lang, rr.ExpiresAt)
		if err != nil || u == nil {
			return err
		}
		switch u.EffectiveState(tx.now) {
		case okcare.AccountClosed:
			return nil
		case okcare.AccountFrozen:
			// A new password would not open a frozen account, and a thief
			// with the phone must not be able to set one meanwhile.
			key := "reset_waits_body"
			if channel == okcare.ChannelSMS {
				key = "reset_waits_sms"
			}
			return enqueueMessage(ctx, tx, u.ID, channel, contact, EventPasswordResetWaits, notice.T(lang, "reset_subject", nil), notice.T(lang, key, nil))
		}
		tok := token.New("okreset_")
		if _, err := tx.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
			token.Hash(tok), u.ID, micros(rr.ExpiresAt), micros(tx.now)); err != nil {
			return err
		}
		args := notice.Args{"Link": tx.db.PublicLink("/reset-password?token=" + tok)}
		key := "reset_self_body"
		if channel == okcare.ChannelSMS {
			key = "reset_sms"
		}
		return enqueueMessage(ctx, tx, u.ID, channel, contact, EventPasswordReset, notice.T(lang, "reset_subject", nil), notice.T(lang, key, args))
	})
	if err != nil {
		return nil, err
	}
	return rr, nil
}

// CheckPasswordReset reports whether a reset link's token is known,
// unused and unexpired.
func (db *DB) CheckPasswordReset(ctx context.Context, tok string) error {
	_, err := db.resetUser(ctx, tok)
	return err
}

// errBadResetLink answers any link that cannot be used, whatever the
// reason.
func errBadResetLink() error {
	return okcare.Errorf(okcare.EUNAUTHORIZED, "This reset link is invalid, used or expired; ask for a new one.")
}

// resetUser is the user a usable reset token belongs to.
func (db *DB) resetUser(ctx context.Context, tok string) (string, error) {
	if !strings.HasPrefix(tok, "okreset_") || len(tok) > 100 {
		return "", errBadResetLink()
	}
	var userID string
	var expires int64
	var used sql.NullInt64
	err := db.queryRow(ctx, `SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`, token.Hash(tok)).Scan(&userID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || !db.Now().Before(fromMicros(expires)))) {
		return "", errBadResetLink()
	}
	return userID, err
}
