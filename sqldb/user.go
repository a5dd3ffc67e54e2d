package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/token"
)

const emailPart = `[^\p{Z}\p{Cc}\s@<>()\[\]\\,;:"]`

var (
	// An address as people type it: no spaces or controls (any script's),
	// and none of the characters that let a mail header read more into it
	// than one plain address (<>()[]\,;:"), such as a display name or a
	// second recipient.
	emailPattern  = regexp.MustCompile(`^` + emailPart + `{1,64}@` + emailPart + `{1,190}\.` + emailPart + `{1,63}$`)
	phonePattern  = regexp.MustCompile(`^\+?[0-9]{6,15}$`)
	reasonPattern = regexp.MustCompile(`^[a-z0-9_]{2,64}$`)
)

// userIDPrefix starts every user id.
const userIDPrefix = "usr_"

// NormalizeLogin lower-cases an email and strips spaces and dashes from a
// phone number, so that one person's identifier is stored one way.
func NormalizeLogin(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		return strings.ToLower(s)
	}
	return strings.NewReplacer(" ", "", "-", "").Replace(s)
}

// Register creates a user in the active state.
func (db *DB) Register(ctx context.Context, req okcare.RegisterRequest) (*okcare.User, error) {
	email, phone := NormalizeLogin(req.Email), NormalizeLogin(req.Phone)
	if email == "" && phone == "" {
		return nil, okcare.Errorf(okcare.EINVALID, "An email or a phone number is required.")
	}
	if email != "" && !emailPattern.MatchString(email) {
		return nil, okcare.Errorf(okcare.EINVALID, "The email address is not valid.")
	}
	if phone != "" && !phonePattern.MatchString(phone) {
		return nil, okcare.Errorf(okcare.EINVALID, "The phone number is not valid.")
	}
	if req.Lang == "" {
		req.Lang = okcare.LangZH
	}
	if !okcare.ValidLang(req.Lang) {
		return nil, okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	if p := password.Problem(req.Password, email, phone); p != "" {
		return nil, okcare.Errorf(okcare.EWEAKPASSWORD, "%s", p)
	}
	hash, err := password.Hash(req.Password, db.PasswordParams)
	if err != nil {
		return nil, err
	}
	u := &okcare.User{ID: token.ID(userIDPrefix), Email: email, Phone: phone, State: okcare.AccountActive, Lang: req.Lang}
	err = db.inTx(ctx, func(tx *Tx) error {
		u.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO users (id, email, phone, password_hash, state, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.ID, nullString(email), nullString(phone), hash, u.State, u.Lang, micros(tx.now))
		if err != nil && db.dialect.IsUniqueViolation(err) {
			return okcare.Errorf(okcare.EALREADYREGISTERED, "An account with this email or phone already exists.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetUserLang remembers the language a customer last used on the help
// center, for their mail and SMS. Returns EINVALID, ENOTFOUND.
func (db *DB) SetUserLang(ctx context.Context, userID, lang string) error {
	if !okcare.ValidLang(lang) {
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return okcare.Errorf(okcare.ENOTFOUND, "User not found.")
		}
		return nil
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const userColumns = `id, COALESCE(email, ''), COALESCE(phone, ''), state, state_reason, restricted_until, totp_secret IS NOT NULL, lang, created_at`

// scanUser reads userColumns, then any extra columns into extra.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*okcare.User, error) {
	var u okcare.User
	var until sql.NullInt64
	var created int64
	if err := row.Scan(append([]any{&u.ID, &u.Email, &u.Phone, &u.State, &u.StateReason, &until, &u.TOTPEnabled, &u.Lang, &created}, extra...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, okcare.Errorf(okcare.ENOTFOUND, "User not found.")
		}
		return nil, err
	}
	u.RestrictedUntil = fromNullMicros(until)
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

// FindUserByID returns a user by id.
func (db *DB) FindUserByID(ctx context.Context, id string) (*okcare.User, error) {
	return findUserByID(ctx, db, id)
}

func findUserByID(ctx context.Context, q querier, id string) (*okcare.User, error) {
	return scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// FindUserByLogin returns a user by email or phone.
func (db *DB) FindUserByLogin(ctx context.Context, login string) (*okcare.User, error) {
	return findUserByLogin(ctx, db, login)
}

func findUserByLogin(ctx context.Context, q querier, login string) (*okcare.User, error) {
	login = NormalizeLogin(login)
	if login == "" {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "User not found.")
	}
	return scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ? OR phone = ?`, login, login))
}

func findUserForUpdate(ctx context.Context, tx *Tx, id string) (*okcare.User, error) {
	return scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`+tx.db.dialect.ForUpdate, id))
}

// ChangeState moves an account to another state, records the change in the
// history and queues a security notification.
func (db *DB) ChangeState(ctx context.Context, req okcare.StateChangeRequest) (*okcare.User, error) {
	if !req.To.Valid() {
		return nil, okcare.Errorf(okcare.EINVALID, "Unknown account state %q.", req.To)
	}
	if !reasonPattern.MatchString(req.Reason) {
		return nil, okcare.Errorf(okcare.EINVALID, "A reason code of 2-64 lower-case letters, digits or underscores is required.")
	}
	if req.Actor == "" || !utf8.ValidString(req.Actor) {
		return nil, okcare.Errorf(okcare.EINVALID, "An actor is required.")
	}
	var u *okcare.User
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		u, err = findUserForUpdate(ctx, tx, req.UserID)
		if err != nil {
			return err
		}
		return changeState(ctx, tx, u, req)
	})
	return u, err
}

// changeState applies req to u (already locked) inside tx.
func changeState(ctx context.Context, tx *Tx, u *okcare.User, req okcare.StateChangeRequest) error {
	from := u.EffectiveState(tx.now)
	if from == okcare.AccountClosed {
		return okcare.Errorf(okcare.ECONFLICT, "The account is closed.")
	}
	// A frozen account may be frozen again for a new reason (a risk review
	// that becomes confirmed fraud): it voids unfreeze requests made for
	// the earlier one.
	if from == req.To && (req.To != okcare.AccountFrozen || req.Reason == u.StateReason) {
		return okcare.Errorf(okcare.ECONFLICT, "The account is already %s.", req.To)
	}
	if req.Until != nil && req.To != okcare.AccountLoginRestricted {
		return okcare.Errorf(okcare.EINVALID, "Only a login restriction can have an end time.")
	}
	if req.Until != nil && !req.Until.After(tx.now) {
		return okcare.Errorf(okcare.EINVALID, "The restriction must end in the future.")
	}
	_, err := tx.exec(ctx, `UPDATE users SET state = ?, state_reason = ?, restricted_until = ? WHERE id = ?`,
		req.To, req.Reason, nullMicros(req.Until), u.ID)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO account_state_history (user_id, from_state, to_state, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, from, req.To, req.Reason, req.Actor, micros(tx.now))
	if err != nil {
		return err
	}
	u.State, u.StateReason, u.RestrictedUntil = req.To, req.Reason, req.Until
	if strings.HasPrefix(req.Actor, "agent:") {
		details := map[string]any{"from": from, "to": req.To, "reason": req.Reason}
		if req.Until != nil {
			details["until"] = req.Until.UTC()
		}
		if err := appendAudit(ctx, tx, req.Actor, "account.state_change", "user:"+u.ID, details); err != nil {
			return err
		}
	}
	if event := stateEvent(from, req.To); event != "" {
		return enqueueSecurityAlert(ctx, tx, u, event)
	}
	return nil
}

func stateEvent(from, to okcare.AccountState) string {
	switch {
	case to == okcare.AccountFrozen:
		return okcare.EventAccountFrozen
	case to == okcare.AccountLoginRestricted:
		return okcare.EventLoginRestricted
	case from == okcare.AccountFrozen && to == okcare.AccountActive:
		return okcare.EventAccountUnfrozen
	case from == okcare.AccountLoginRestricted && to == okcare.AccountActive:
		return okcare.EventRestrictionLift
	}
	return ""
}

// StateHistory returns the account's state changes, oldest first.
func (db *DB) StateHistory(ctx context.Context, userID string) ([]*okcare.AccountStateChange, error) {
	rows, err := db.query(ctx, `SELECT user_id, from_state, to_state, reason, actor, at FROM account_state_history WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*okcare.AccountStateChange
	for rows.Next() {
		var c okcare.AccountStateChange
		var at int64
		if err := rows.Scan(&c.UserID, &c.From, &c.To, &c.Reason, &c.Actor, &at); err != nil {
			return nil, err
		}
		c.At = fromMicros(at)
		out = append(out, &c)
	}
	return out, rows.Err()
}
