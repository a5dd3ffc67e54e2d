package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/token"
)

// The help center's self-service requests (an emergency freeze, a
// forgotten password) are made by someone who cannot sign in, naming an
// email or phone. Every request is recorded, whether or not an account has
// that contact, and the throttle counts those records: an unknown contact
// is answered, and throttled, exactly like a known one, so the answers say
// nothing about who has an account. Only the code or link goes to the
// contact, and only if it is an account's registered one.
const (
	selfFreezeTTL       = 10 * time.Minute
	selfFreezeAttempts  = 5
	selfServicePerHour  = 3 // requests per contact and purpose in an hour
	selfServiceMaxNote  = 2000
	purposeFreeze       = "freeze"
	purposeReset        = "reset"
	selfServiceIDPrefix = "ssr_"
)

// EventSelfFreezeCode is the message with an emergency-freeze code: the
// staff outbox view hides its body, like every one-time secret.
const EventSelfFreezeCode = "self_freeze_code"

// NoteSelfFrozen is the note on the ticket an emergency freeze opens.
const NoteSelfFrozen = "self_frozen"

func init() {
	noteEnglish[NoteSelfFrozen] = "The customer froze the account from the help center with a code sent by {channel}; {sessions} session(s) signed out and every device forgotten."
}

// contactHash is how a self-service request remembers its contact: enough
// to count requests per contact, without keeping the address itself. It
// is an HMAC under a key derived from the secret key, which the database
// does not hold, so a copy of the table cannot be turned back into phone
// numbers by trying them all (an unkeyed hash of a phone number can).
func (db *DB) contactHash(contact string) string {
	if db.Secrets == nil {
		sum := sha256.Sum256([]byte("okcare self-service contact v1|" + contact))
		return hex.EncodeToString(sum[:])
	}
	mac := hmac.New(sha256.New, db.Secrets.Derive("okcare self-service contact v1"))
	mac.Write([]byte(contact))
	return hex.EncodeToString(mac.Sum(nil))
}

// parseContact normalizes an email address or phone number a customer
// typed and says which channel reaches it.
func parseContact(s string) (contact, channel string, err error) {
	c := NormalizeLogin(s)
	switch {
	case strings.Contains(c, "@") && emailPattern.MatchString(c):
		return c, okcare.ChannelEmail, nil
	case phonePattern.MatchString(c):
		return c, okcare.ChannelSMS, nil
	}
	return "", "", okcare.Errorf(okcare.EINVALID, "Enter the email address or the phone number (with country code) of your account.")
}

// sixDigits is a random six-digit code.
func sixDigits() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// selfServiceRequest records a request for contact, after the throttle,
// and returns the account registered to it (nil for none).
func selfServiceRequest(ctx context.Context, tx *Tx, id, purpose, contact, channel, codeHash, lang string, expires time.Time) (*okcare.User, error) {
	hash := tx.db.contactHash(contact)
	var recent int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM self_service_requests WHERE purpose = ? AND contact_hash = ? AND created_at > ?`,
		purpose, hash, micros(tx.now.Add(-time.Hour))).Scan(&recent); err != nil {
		return nil, err
	}
	if recent >= selfServicePerHour {
		return nil, okcare.Errorf(okcare.ERATELIMITED, "Several requests were made for this contact in the last hour; wait before asking again.")
	}
	u, err := findUserByLogin(ctx, tx, contact)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		u, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	var userID any
	if u != nil {
		userID = u.ID
	}
	_, err = tx.exec(ctx, `INSERT INTO self_service_requests (id, purpose, contact_hash, user_id, channel, code_hash, lang, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, purpose, hash, userID, channel, codeHash, lang, micros(expires), micros(tx.now))
	return u, err
}

// StartSelfFreeze sends an emergency-freeze code to contact if an account
// is registered to it; the answer is the same either way.
func (db *DB) StartSelfFreeze(ctx context.Context, contact, lang string) (*okcare.SelfFreeze, error) {
	contact, channel, err := parseContact(contact)
	if err != nil {
		return nil, err
	}
	if !okcare.ValidLang(lang) {
		lang = okcare.LangZH
	}
	code, err := sixDigits()
	if err != nil {
		return nil, err
	}
	sf := &okcare.SelfFreeze{ID: token.ID(selfServiceIDPrefix), Channel: channel, SentTo: mask(contact)}
	err = db.inTx(ctx, func(tx *Tx) error {
		sf.ExpiresAt = fromMicros(micros(tx.now.Add(selfFreezeTTL)))
		// For a contact without an account the code is made and hashed
		// all the same, and sent nowhere: no code can match it.
		u, err := selfServiceRequest(ctx, tx, sf.ID, purposeFreeze, contact, channel, codeHash(sf.ID, code), lang, sf.ExpiresAt)
		if err != nil || u == nil {
			return err
		}
		args := notice.Args{"Code": code}
		body := notice.T(lang, "freeze_body", args)
		if channel == okcare.ChannelSMS {
			body = notice.T(lang, "freeze_sms", args)
		}
		return enqueueMessage(ctx, tx, u.ID, channel, contact, EventSelfFreezeCode, notice.T(lang, "freeze_subject", nil), body)
	})
	if err != nil {
		return nil, err
	}
	return sf, nil
}

// ConfirmSelfFreeze checks an emergency-freeze code and, if it is right,
// freezes the account, signs every session out, forgets every device and
// opens a ticket for the way back, all in one transaction.
func (db *DB) ConfirmSelfFreeze(ctx context.Context, id, code, note string) (*okcare.SelfFreezeResult, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > selfServiceMaxNote {
		return nil, okcare.Errorf(okcare.EINVALID, "Say what happened in at most %d characters.", selfServiceMaxNote)
	}
	res := &okcare.SelfFreezeResult{}
	var failure error
	err := db.inTx(ctx, func(tx *Tx) error {
		var userID sql.NullString
		var channel, hash, lang string
		var attempts int
		var expires int64
		var used sql.NullInt64
		err := tx.queryRow(ctx, `SELECT user_id, channel, code_hash, attempts, lang, expires_at, used_at FROM self_service_requests WHERE id = ? AND purpose = ?`+db.dialect.ForUpdate, id, purposeFreeze).
			Scan(&userID, &channel, &hash, &attempts, &lang, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.ENOTFOUND, "No such freeze request; ask for a new code.")
		} else if err != nil {
			return err
		}
		switch {
		case used.Valid:
			failure = okcare.Errorf(okcare.EINVALID, "This code was already used; ask for a new one.")
		case !tx.now.Before(fromMicros(expires)):
			failure = okcare.Errorf(okcare.EINVALID, "The code has expired; ask for a new one.")
		case attempts >= selfFreezeAttempts:
			failure = okcare.Errorf(okcare.EINVALID, "Too many wrong codes; ask for a new one.")
		case subtle.ConstantTimeCompare([]byte(codeHash(id, strings.TrimSpace(code))), []byte(hash)) != 1 || !userID.Valid:
			failure = okcare.Errorf(okcare.EINVALID, "The code is wrong.")
			_, err := tx.exec(ctx, `UPDATE self_service_requests SET attempts = attempts + 1 WHERE id = ?`, id)
			return err // the failed attempt counts even though the call fails
		}
		if failure != nil {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE self_service_requests SET used_at = ? WHERE id = ?`, micros(tx.now), id); err != nil {
			return err
		}
		u, err := findUserForUpdate(ctx, tx, userID.String)
		if err != nil {
			return err
		}
		return selfFreeze(ctx, tx, u, id, channel, lang, note, res)
	})
	if err == nil {
		err = failure
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// selfFreeze freezes u (locked) at the customer's request, signs out every
// session, forgets every device and opens the ticket for the way back.
func selfFreeze(ctx context.Context, tx *Tx, u *okcare.User, requestID, channel, lang, note string, res *okcare.SelfFreezeResult) error {
	actor := "user:" + u.ID
	switch u.EffectiveState(tx.now) {
	case okcare.AccountClosed:
		return okcare.Errorf(okcare.ECONFLICT, "This account is closed.")
	case okcare.AccountFrozen:
		// Frozen already, perhaps by the risk team: the earlier reason
		// stands (a new freeze would void their unfreeze requests too).
		res.AlreadyFrozen = true
	default:
		if err := changeState(ctx, tx, u, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: okcare.ReasonCustomerRequest, Actor: actor}); err != nil {
			return err
		}
	}
	r, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, micros(tx.now), u.ID)
	if err != nil {
		return err
	}
	n, _ := r.RowsAffected()
	res.SessionsRevoked = int(n)
	// The lost phone was a known device, exempt from the failed-login
	// restriction: it is not any more, nor is any other.
	if _, err := tx.exec(ctx, `DELETE FROM device_keys WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	// Nor may a reset link sent before (to the lost phone, say) be used.
	if _, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, micros(tx.now), u.ID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "account.self_freeze", "user:"+u.ID, map[string]any{"request": requestID, "channel": channel,
		"sessions_revoked": res.SessionsRevoked, "already_frozen": res.AlreadyFrozen}); err != nil {
		return err
	}
	if note == "" {
		note = notice.T(lang, "freeze_ticket_body", nil)
	}
	req := okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelWeb, Lang: lang, Subject: notice.T(lang, "freeze_ticket_subject", nil),
		Category: diagnose.AccountFrozen, Priority: okcare.PriorityHigh, Intake: okcare.Intake{Description: note}}
	// The acknowledgement goes where the code went: the customer has that
	// mailbox or phone now.
	if channel == okcare.ChannelEmail {
		req.ContactEmail = u.Email
	} else {
		req.ContactPhone = u.Phone
	}
	// The customer's own words may hold what a thief must not see either.
	secrets := maskNewTicket(&req)
	if secrets != nil {
		req.Priority = okcare.PriorityUrgent
	}
	if err := validateNewTicket(&req); err != nil {
		return err
	}
	intake, err := json.Marshal(req.Intake)
	if err != nil {
		return err
	}
	t, err := tx.db.createTicketTx(ctx, tx, req, intake, secrets, func(tx *Tx, t *okcare.Ticket) error {
		// The code proved the customer has the account's registered contact.
		t.LinkedBy = okcare.LinkedVerifiedContact
		if _, err := tx.exec(ctx, `UPDATE tickets SET link_method = ? WHERE id = ?`, t.LinkedBy, t.ID); err != nil {
			return err
		}
		return addNote(ctx, tx, t.ID, NoteSelfFrozen, map[string]string{"channel": channel, "sessions": strconv.Itoa(res.SessionsRevoked)})
	})
	if err != nil {
		return err
	}
	res.TicketNumber = t.Number
	return nil
}
