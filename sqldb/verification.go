package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/token"
)

// Limits of identity verification and password-reset links.
const (
	verificationTTL      = 10 * time.Minute
	verificationAttempts = 5
	verifiedFor          = 30 * time.Minute // how long a check covers actions
	resetTTL             = 30 * time.Minute
)

// Events whose message carries a one-time secret: the staff outbox view
// hides their bodies, so an agent cannot read a code meant for the customer.
const (
	EventIdentityCode  = "identity_verification_code"
	EventPasswordReset = "password_reset_link"
)

func codeHash(id, code string) string {
	sum := sha256.Sum256([]byte(id + ":" + code))
	return hex.EncodeToString(sum[:])
}

// mask shows enough of a contact for the agent to name it, not to use it.
func mask(s string) string {
	if at := strings.Index(s, "@"); at > 0 {
		return s[:1] + "***" + s[at:]
	}
	if len(s) > 6 {
		return s[:3] + strings.Repeat("*", len(s)-7) + s[len(s)-4:]
	}
	return "***"
}

// registeredContact is where a one-time secret for the user goes: their
// registered email, else their phone.
func registeredContact(u *okcare.User) (channel, to string) {
	if u.Email != "" {
		return okcare.ChannelEmail, u.Email
	}
	return okcare.ChannelSMS, u.Phone
}

// codesPerTicketHour bounds the identity codes one ticket sends in an hour,
// so that a ticket naming a victim's address cannot flood their mailbox.
const codesPerTicketHour = 3

// ticketUser locks a ticket and its linked account; a ticket without one
// is refused.
func ticketUser(ctx context.Context, tx *Tx, ticketID string) (*okcare.Ticket, *okcare.User, error) {
	t, err := lockTicket(ctx, tx, ticketID)
	if err != nil {
		return nil, nil, err
	}
	if t.UserID == "" {
		return nil, nil, okcare.Errorf(okcare.EFORBIDDEN, "No account is linked to this ticket yet: verify the customer's identity first.")
	}
	u, err := findUserForUpdate(ctx, tx, t.UserID)
	return t, u, err
}

// candidateUser finds the account a ticket not linked yet may belong to:
// the one its contact email or phone is registered to, or the one the
// customer named (login). The second value is the contact that matched, so
// the code goes by the channel the customer used when it can.
func candidateUser(ctx context.Context, q querier, t *okcare.Ticket, login string) (*okcare.User, string, error) {
	logins := []string{t.ContactEmail, t.ContactPhone}
	if login = strings.TrimSpace(login); login != "" {
		logins = []string{login}
	}
	for _, l := range logins {
		if l == "" {
			continue
		}
		u, err := findUserByLogin(ctx, q, l)
		if err == nil {
			return u, l, nil
		} else if okcare.ErrorCode(err) != okcare.ENOTFOUND {
			return nil, "", err
		}
	}
	return nil, "", okcare.Errorf(okcare.EINVALID, "No wallet account is registered to this contact; ask the customer for the email or phone number of their account.")
}

// codeDestination is where a ticket's identity code goes: the account's
// registered phone when the customer reached us by that phone, else the
// registered email (or phone, for an account without one).
func codeDestination(u *okcare.User, matched string) (channel, to string) {
	if u.Phone != "" && matched == u.Phone {
		return okcare.ChannelSMS, u.Phone
	}
	return registeredContact(u)
}

// StartVerification sends a six-digit code to the registered email (or
// phone) of the ticket's account, or of the candidate account for a ticket
// not linked yet, and records it hashed.
func (db *DB) StartVerification(ctx context.Context, ticketID, agentID, login string) (*okcare.Verification, error) {
	return db.startVerification(ctx, ticketID, "agent:"+agentID, login)
}

// StartCustomerVerification is StartVerification asked for by the customer
// from their ticket page, to link the ticket to their account themselves.
func (db *DB) StartCustomerVerification(ctx context.Context, ticketID, login string) (*okcare.Verification, error) {
	return db.startVerification(ctx, ticketID, "contact", login)
}

// ConfirmCustomerVerification checks the code the customer typed on their
// ticket page against the ticket's latest identity check.
func (db *DB) ConfirmCustomerVerification(ctx context.Context, ticketID, code string) (*okcare.Verification, error) {
	v, err := db.latestVerification(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, okcare.Errorf(okcare.EINVALID, "Ask for a code first.")
	}
	return db.confirmVerification(ctx, v.ID, "contact", code)
}

func (db *DB) startVerification(ctx context.Context, ticketID, actor, login string) (*okcare.Verification, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return nil, err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	var v *okcare.Verification
	err = db.inTx(ctx, func(tx *Tx) error {
		t, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		var u *okcare.User
		channel, to := "", ""
		if t.UserID != "" {
			if u, err = findUserByID(ctx, tx, t.UserID); err != nil {
				return err
			}
			channel, to = registeredContact(u)
		} else {
			var matched string
			if u, matched, err = candidateUser(ctx, tx, t, login); err != nil {
				return err
			}
			channel, to = codeDestination(u, matched)
		}
		var recent int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM verifications WHERE ticket_id = ? AND created_at > ?`, t.ID, micros(tx.now.Add(-time.Hour))).Scan(&recent); err != nil {
			return err
		}
		if recent >= codesPerTicketHour {
			return okcare.Errorf(okcare.ERATELIMITED, "This ticket has sent %d codes in the last hour; wait before sending another.", recent)
		}
		v = &okcare.Verification{ID: token.ID("ver_"), TicketID: t.ID, Channel: channel, SentTo: mask(to), ExpiresAt: fromMicros(micros(tx.now.Add(verificationTTL)))}
		_, err = tx.exec(ctx, `INSERT INTO verifications (id, ticket_id, user_id, channel, sent_to, code_hash, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, t.ID, u.ID, channel, v.SentTo, codeHash(v.ID, code), micros(v.ExpiresAt), actor, micros(tx.now))
		if err != nil {
			return err
		}
		lang := t.Lang // the language they wrote to us in
		args := notice.Args{"Code": code, "Number": t.Number}
		// A code the customer asked for on their own page is typed there;
		// one an agent sent is read back to that agent.
		kind := "verify"
		if actor == "contact" {
			kind = "verify_self"
		}
		subject, body := notice.T(lang, "verify_subject", nil), notice.T(lang, kind+"_body", args)
		if channel == okcare.ChannelSMS {
			body = notice.T(lang, kind+"_sms", args)
		}
		if err := enqueueMessage(ctx, tx, u.ID, channel, to, EventIdentityCode, subject, body); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "identity.code_sent", "ticket:"+t.ID, map[string]string{"verification": v.ID, "channel": channel, "to": v.SentTo, "linked": t.LinkedBy}); err != nil {
			return err
		}
		return addNote(ctx, tx, t.ID, NoteIdentityCodeSent, map[string]string{"channel": channel, "to": v.SentTo})
	})
	return v, err
}

// ConfirmVerification checks a code read back by the customer.
func (db *DB) ConfirmVerification(ctx context.Context, verificationID, agentID, code string) (*okcare.Verification, error) {
	return db.confirmVerification(ctx, verificationID, "agent:"+agentID, code)
}

func (db *DB) confirmVerification(ctx context.Context, verificationID, actor, code string) (*okcare.Verification, error) {
	// A code is six digits: anything else cannot be right and is refused
	// before it is counted, so a mistyped or hostile value does not use up
	// the customer's attempts.
	if !isSixDigits(strings.TrimSpace(code)) {
		return nil, okcare.Errorf(okcare.EINVALID, "The code is the six digits we sent.")
	}
	var v okcare.Verification
	var failure error
	err := db.inTx(ctx, func(tx *Tx) error {
		var hash string
		var attempts int
		var expires int64
		var verified sql.NullInt64
		var userID string
		err := tx.queryRow(ctx, `SELECT id, ticket_id, user_id, channel, sent_to, code_hash, attempts, expires_at, verified_at FROM verifications WHERE id = ?`+db.dialect.ForUpdate, verificationID).
			Scan(&v.ID, &v.TicketID, &userID, &v.Channel, &v.SentTo, &hash, &attempts, &expires, &verified)
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.ENOTFOUND, "No such verification.")
		} else if err != nil {
			return err
		}
		v.ExpiresAt = fromMicros(expires)
		switch {
		case verified.Valid:
			failure = okcare.Errorf(okcare.EINVALID, "This code was already used; send a new one.")
		case !tx.now.Before(v.ExpiresAt):
			failure = okcare.Errorf(okcare.EINVALID, "The code has expired; send a new one.")
		case attempts >= verificationAttempts:
			failure = okcare.Errorf(okcare.EINVALID, "Too many wrong codes; send a new one.")
		case subtle.ConstantTimeCompare([]byte(codeHash(v.ID, strings.TrimSpace(code))), []byte(hash)) != 1:
			failure = okcare.Errorf(okcare.EINVALID, "The code is wrong.")
			_, err := tx.exec(ctx, `UPDATE verifications SET attempts = attempts + 1 WHERE id = ?`, v.ID)
			return err // the failed attempt counts even though the call fails
		}
		if failure != nil {
			return nil
		}
		now := fromMicros(micros(tx.now))
		v.VerifiedAt = &now
		if _, err := tx.exec(ctx, `UPDATE verifications SET verified_at = ?, verified_by = ? WHERE id = ?`, micros(tx.now), actor, v.ID); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "identity.verified", "ticket:"+v.TicketID, map[string]string{"verification": v.ID, "channel": v.Channel}); err != nil {
			return err
		}
		if err := linkVerifiedTicket(ctx, tx, v.TicketID, userID, actor); err != nil {
			return err
		}
		return addNote(ctx, tx, v.TicketID, NoteIdentityVerified, map[string]string{"to": v.SentTo})
	})
	if err == nil {
		err = failure
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// linkVerifiedTicket links a ticket not linked yet to the account whose
// registered contact received the code the customer read back, and tells
// the customer on the ticket.
func linkVerifiedTicket(ctx context.Context, tx *Tx, ticketID, userID, actor string) error {
	t, err := lockTicket(ctx, tx, ticketID)
	if err != nil || t.UserID != "" {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE tickets SET user_id = ?, link_method = ?, updated_at = ? WHERE id = ?`, userID, okcare.LinkedVerifiedContact, micros(tx.now), t.ID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "ticket.linked", "ticket:"+t.ID, map[string]string{"user": userID, "how": okcare.LinkedVerifiedContact}); err != nil {
		return err
	}
	return insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: t.ID, Author: "system", Public: true, Body: notice.T(t.Lang, "ticket_linked", nil)})
}

// verified reports whether the ticket has an identity check of its
// account recent enough.
func verified(ctx context.Context, tx *Tx, t *okcare.Ticket) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM verifications WHERE ticket_id = ? AND user_id = ? AND verified_at IS NOT NULL AND verified_at > ?`,
		t.ID, t.UserID, micros(tx.now.Add(-verifiedFor))).Scan(&n)
	return n > 0, err
}

// TakeAction performs a verified action on the ticket's user.
func (db *DB) TakeAction(ctx context.Context, ticketID, agentID, action string) (*okcare.Approval, error) {
	// An unknown action is a malformed request whatever the ticket's state.
	switch action {
	case okcare.ActionLiftRestriction, okcare.ActionRevokeSessions, okcare.ActionPasswordReset, okcare.ActionUnfreeze:
	default:
		return nil, okcare.Errorf(okcare.EINVALID, "Unknown action %q.", action)
	}
	actor := "agent:" + agentID
	var approval *okcare.Approval
	var resetToken string
	err := db.inTx(ctx, func(tx *Tx) error {
		t, u, err := ticketUser(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if ok, err := verified(ctx, tx, t); err != nil {
			return err
		} else if !ok {
			return okcare.Errorf(okcare.EFORBIDDEN, "Verify the customer's identity on this ticket first.")
		}
		switch action {
		case okcare.ActionLiftRestriction:
			if u.EffectiveState(tx.now) != okcare.AccountLoginRestricted {
				return okcare.Errorf(okcare.ECONFLICT, "The account is not restricted.")
			}
			if err := changeState(ctx, tx, u, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountActive, Reason: okcare.ReasonIdentityVerified, Actor: actor}); err != nil {
				return err
			}
		case okcare.ActionRevokeSessions:
			if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, micros(tx.now), u.ID); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, actor, "account.revoke_sessions", "user:"+u.ID, map[string]string{"ticket": t.ID}); err != nil {
				return err
			}
		case okcare.ActionPasswordReset:
			resetToken = token.New("okreset_")
			if _, err := tx.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
				token.Hash(resetToken), u.ID, micros(tx.now.Add(resetTTL)), micros(tx.now)); err != nil {
				return err
			}
			channel, to := registeredContact(u)
			lang, args := t.Lang, notice.Args{"Link": tx.db.PublicLink("/reset-password?token=" + resetToken)}
			body := notice.T(lang, "reset_body", args)
			if channel == okcare.ChannelSMS {
				body = notice.T(lang, "reset_sms", args)
			}
			if err := enqueueMessage(ctx, tx, u.ID, channel, to, EventPasswordReset, notice.T(lang, "reset_subject", nil), body); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, actor, "account.password_reset_link", "user:"+u.ID, map[string]string{"ticket": t.ID, "channel": channel}); err != nil {
				return err
			}
		case okcare.ActionUnfreeze:
			if u.EffectiveState(tx.now) != okcare.AccountFrozen {
				return okcare.Errorf(okcare.ECONFLICT, "The account is not frozen.")
			}
			freeze, err := latestFreeze(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			approval = &okcare.Approval{ID: token.ID("apr_"), TicketID: t.ID, UserID: u.ID, Action: action, RequestedBy: actor, CreatedAt: fromMicros(micros(tx.now))}
			if _, err := tx.exec(ctx, `INSERT INTO approvals (id, ticket_id, user_id, action, requested_by, created_at, freeze_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				approval.ID, t.ID, u.ID, action, actor, micros(tx.now), freeze, micros(tx.now.Add(approvalTTL))); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, actor, "account.unfreeze_requested", "user:"+u.ID, map[string]string{"ticket": t.ID, "approval": approval.ID}); err != nil {
				return err
			}
			return addNote(ctx, tx, t.ID, NoteUnfreezeRequested, map[string]string{"by": actor, "approval": approval.ID})
		}
		return addNote(ctx, tx, t.ID, NoteActionTaken, map[string]string{"action": action, "by": actor})
	})
	return approval, err
}

// ApproveAction carries out a four-eyes request as a second staff member.
func (db *DB) ApproveAction(ctx context.Context, approvalID, approverID string) (*okcare.Approval, error) {
	approver := "agent:" + approverID
	var a *okcare.Approval
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		a, err = scanApproval(tx.queryRow(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE id = ?`+db.dialect.ForUpdate, approvalID))
		if errors.Is(err, sql.ErrNoRows) {
			return okcare.Errorf(okcare.ENOTFOUND, "No such approval request.")
		} else if err != nil {
			return err
		}
		var freeze, expires sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT freeze_id, expires_at FROM approvals WHERE id = ?`, a.ID).Scan(&freeze, &expires); err != nil {
			return err
		}
		switch {
		case a.ApprovedAt != nil:
			return okcare.Errorf(okcare.ECONFLICT, "Already approved.")
		case a.RequestedBy == approver:
			return okcare.Errorf(okcare.EFORBIDDEN, "A second staff member must approve; you asked for it.")
		case !expires.Valid || !tx.now.Before(fromMicros(expires.Int64)):
			return okcare.Errorf(okcare.ECONFLICT, "This unfreeze request has expired; verify the customer again and file a new one.")
		}
		u, err := findUserForUpdate(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		// The request answers one freeze: a newer one (a later finding,
		// confirmed fraud say) voids it.
		if current, err := latestFreeze(ctx, tx, u.ID); err != nil {
			return err
		} else if !freeze.Valid || current != freeze.Int64 || u.State != okcare.AccountFrozen {
			return okcare.Errorf(okcare.ECONFLICT, "The account was frozen again (or is no longer frozen) since this request; it no longer applies.")
		}
		if err := changeState(ctx, tx, u, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountActive, Reason: okcare.ReasonIdentityVerifiedFourEyes, Actor: approver}); err != nil {
			return err
		}
		now := fromMicros(micros(tx.now))
		a.ApprovedBy, a.ApprovedAt = approver, &now
		if _, err := tx.exec(ctx, `UPDATE approvals SET approved_by = ?, approved_at = ? WHERE id = ?`, approver, micros(tx.now), a.ID); err != nil {
			return err
		}
		return addNote(ctx, tx, a.TicketID, NoteUnfreezeApproved, map[string]string{"by": approver, "requested_by": a.RequestedBy})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// approvalTTL is how long an unfreeze request can be approved.
const approvalTTL = 24 * time.Hour

// latestFreeze is the id of the account's newest change into frozen.
func latestFreeze(ctx context.Context, tx *Tx, userID string) (int64, error) {
	var id sql.NullInt64
	err := tx.queryRow(ctx, `SELECT MAX(id) FROM account_state_history WHERE user_id = ? AND to_state = ?`, userID, okcare.AccountFrozen).Scan(&id)
	return id.Int64, err
}

const approvalColumns = `id, ticket_id, user_id, action, requested_by, approved_by, created_at, approved_at`

func scanApproval(row interface{ Scan(...any) error }) (*okcare.Approval, error) {
	var a okcare.Approval
	var created int64
	var approved sql.NullInt64
	if err := row.Scan(&a.ID, &a.TicketID, &a.UserID, &a.Action, &a.RequestedBy, &a.ApprovedBy, &created, &approved); err != nil {
		return nil, err
	}
	a.CreatedAt, a.ApprovedAt = fromMicros(created), fromNullMicros(approved)
	return &a, nil
}

// ResetPassword uses a reset link's token once: it sets the password,
// retires the account's other links, signs out every session and alerts
// the customer. Two-factor authentication stays as it was.
func (db *DB) ResetPassword(ctx context.Context, tok, newPassword string) error {
	bad := errBadResetLink()
	userID, err := db.resetUser(ctx, tok)
	if err != nil {
		return err
	}
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if p := password.Problem(newPassword, u.Email, u.Phone); p != "" {
		return okcare.Errorf(okcare.EWEAKPASSWORD, "%s", p)
	}
	hash, err := password.Hash(newPassword, db.PasswordParams)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, micros(tx.now), token.Hash(tok))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return bad // a racing use won
		}
		// Any other link sent for the account is worth nothing now.
		if _, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, micros(tx.now), userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, micros(tx.now), userID); err != nil {
			return err
		}
		// A reset also lifts the automatic restriction of failed logins.
		if u.EffectiveState(tx.now) == okcare.AccountLoginRestricted && u.StateReason == okcare.ReasonTooManyFailedLogins {
			if err := changeState(ctx, tx, u, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountActive, Reason: okcare.ReasonPasswordReset, Actor: "user:" + u.ID}); err != nil {
				return err
			}
		}
		return enqueueSecurityAlert(ctx, tx, u, okcare.EventPasswordChanged)
	})
}

// isSixDigits reports whether s is a six-digit code.
func isSixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
