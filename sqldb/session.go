package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/version"
)

// dummyHash is verified against when the login names no user, so that the
// answer takes as long as for a real user and does not reveal who exists.
var dummyHash, _ = password.Hash("okcare-dummy-password", password.DefaultParams)

// validateDevice checks the device a session will be bound to.
func validateDevice(d okcare.Device) error {
	switch {
	case d.ID == "" || len(d.ID) > 128 || !utf8.ValidString(d.ID):
		return okcare.Errorf(okcare.EINVALID, "device.id is required (at most 128 characters).")
	case !okcare.ValidPlatform(d.Platform) && d.Platform != okcare.PlatformWeb:
		return okcare.Errorf(okcare.EINVALID, "device.platform must be android or ios.")
	case len(d.Model) > 128 || !utf8.ValidString(d.Model):
		return okcare.Errorf(okcare.EINVALID, "device.model is too long.")
	case d.Platform == okcare.PlatformWeb && d.AppVersion == "" && d.OSVersion == "":
		return nil // a browser has no app or OS version to check
	}
	if _, err := version.Parse(d.AppVersion); err != nil {
		return okcare.Errorf(okcare.EINVALIDVERSION, "device.app_version %q is not a version.", d.AppVersion)
	}
	if _, err := version.Parse(d.OSVersion); err != nil {
		return okcare.Errorf(okcare.EINVALIDVERSION, "device.os_version %q is not a version.", d.OSVersion)
	}
	return nil
}

// Login checks the credentials of req and opens a session on its device.
//
// Failed attempts restrict the account, but only for devices it has never
// logged in from, and only for DB.LoginPolicy.RestrictFor: someone guessing
// passwords can slow the owner down on a new phone at worst, never lock them
// out of the phone they use. While restricted, attempts from unknown devices
// are refused without checking the password, so guessing gains nothing.
func (db *DB) Login(ctx context.Context, req okcare.LoginRequest) (*okcare.Session, string, error) {
	if req.Login == "" || req.Password == "" || len(req.Login) > 254 || len(req.Password) > 4*password.MaxLength {
		return nil, "", okcare.Errorf(okcare.EINVALID, "login and password are required.")
	}
	if err := validateDevice(req.Device); err != nil {
		return nil, "", err
	}
	u, err := db.FindUserByLogin(ctx, req.Login)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		return nil, "", db.failUnknownLogin(ctx, req)
	} else if err != nil {
		return nil, "", err
	}

	now := db.Now()
	known, err := db.knownDevice(ctx, u.ID, req.DeviceKey)
	if err != nil {
		return nil, "", err
	}
	state := u.EffectiveState(now)
	if state == okcare.AccountLoginRestricted && u.StateReason == okcare.ReasonTooManyFailedLogins && !known {
		return nil, "", db.refuse(ctx, u, req, restrictedError(u))
	}

	hash, err := db.passwordHash(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	if ok, err := password.Verify(req.Password, hash); err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "", db.failLogin(ctx, u, req, okcare.EINVALIDCREDENTIALS, "The login or password is wrong.")
	}

	// The password is right: now, and only now, the account state may be told.
	switch {
	case state == okcare.AccountClosed:
		return nil, "", db.refuse(ctx, u, req, okcare.Errorf(okcare.EACCOUNTCLOSED, "This account is closed."))
	case state == okcare.AccountFrozen:
		return nil, "", db.refuse(ctx, u, req, okcare.Errorf(okcare.EACCOUNTFROZEN, "This account is frozen (reason: %s). Contact support to restore access.", u.StateReason))
	case state == okcare.AccountLoginRestricted && u.StateReason != okcare.ReasonTooManyFailedLogins:
		return nil, "", db.refuse(ctx, u, req, restrictedError(u))
	}

	if u.TOTPEnabled {
		if strings.TrimSpace(req.TOTPCode) == "" {
			return nil, "", db.refuse(ctx, u, req, okcare.Errorf(okcare.ETOTPREQUIRED, "Enter the code from your authenticator app."))
		}
		if ok, err := db.useSecondFactor(ctx, u.ID, req.TOTPCode); err != nil {
			return nil, "", err
		} else if !ok {
			return nil, "", db.failLogin(ctx, u, req, okcare.ETOTPINVALID, "The two-factor code is wrong or was already used.")
		}
	}
	return db.openSession(ctx, u, req, known)
}

func restrictedError(u *okcare.User) error {
	if u.RestrictedUntil != nil {
		return okcare.Errorf(okcare.ELOGINRESTRICTED, "Sign-in from new devices is restricted until %s. Try again later from a device you have used before, or contact support.", u.RestrictedUntil.Format(time.RFC3339))
	}
	return okcare.Errorf(okcare.ELOGINRESTRICTED, "Sign-in is restricted (reason: %s). Contact support.", u.StateReason)
}

func (db *DB) passwordHash(ctx context.Context, userID string) (string, error) {
	var hash string
	err := db.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash)
	return hash, err
}

// knownDevice reports whether key is a device key an earlier sign-in to
// the account gave out. A device id alone proves nothing: anyone who saw
// it (an agent, a shared screen) could claim it.
func (db *DB) knownDevice(ctx context.Context, userID, key string) (bool, error) {
	if !strings.HasPrefix(key, "okd_") || len(key) > 100 {
		return false, nil
	}
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM device_keys WHERE key_hash = ? AND user_id = ?`, token.Hash(key), userID).Scan(&n)
	return n > 0, err
}

// failUnknownLogin answers a sign-in naming no account exactly as one
// naming a real account would: the same failure, counted the same way, and
// the same restriction once the failures reach the limit, so neither the
// answer nor its timing tells which accounts exist.
func (db *DB) failUnknownLogin(ctx context.Context, req okcare.LoginRequest) error {
	login := NormalizeLogin(req.Login)
	var reached sql.NullInt64 // when the failure that reached the limit happened
	err := db.queryRow(ctx, `SELECT at FROM login_attempts WHERE user_id IS NULL AND login = ? AND counts = ? AND at > ? ORDER BY id LIMIT 1 OFFSET ?`,
		login, true, micros(db.Now().Add(-db.LoginPolicy.Window)), db.LoginPolicy.MaxFailures-1).Scan(&reached)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if reached.Valid {
		until := fromMicros(reached.Int64).Add(db.LoginPolicy.RestrictFor)
		if db.Now().Before(until) {
			return db.refuse(ctx, nil, req, restrictedError(&okcare.User{State: okcare.AccountLoginRestricted, StateReason: okcare.ReasonTooManyFailedLogins, RestrictedUntil: &until}))
		}
	}
	password.Verify(req.Password, dummyHash)
	req.Login = login
	if err := db.recordAttempt(ctx, nil, req, false, okcare.EINVALIDCREDENTIALS, true); err != nil {
		return err
	}
	return okcare.Errorf(okcare.EINVALIDCREDENTIALS, "The login or password is wrong.")
}

// refuse records an uncounted failed attempt and returns refusal, or the
// error of recording it: an attempt that cannot be recorded is not answered.
func (db *DB) refuse(ctx context.Context, u *okcare.User, req okcare.LoginRequest, refusal error) error {
	if err := db.recordAttempt(ctx, u, req, false, okcare.ErrorCode(refusal), false); err != nil {
		return err
	}
	return refusal
}

// recordAttempt writes an attempt in its own transaction; counts marks
// attempts that count toward the restriction.
func (db *DB) recordAttempt(ctx context.Context, u *okcare.User, req okcare.LoginRequest, success bool, outcome string, counts bool) error {
	return db.inTx(ctx, func(tx *Tx) error { return insertAttempt(ctx, tx, u, req, success, outcome, counts) })
}

func insertAttempt(ctx context.Context, tx *Tx, u *okcare.User, req okcare.LoginRequest, success bool, outcome string, counts bool) error {
	var userID any
	if u != nil {
		userID = u.ID
	}
	login := req.Login
	if len(login) > 254 {
		login = login[:254]
	}
	_, err := tx.exec(ctx, `INSERT INTO login_attempts (user_id, login, device_id, ip, success, outcome, counts, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		userID, login, req.Device.ID, req.IP, success, outcome, counts, micros(tx.now))
	return err
}

// failLogin records a counted failure and, when the failures since the last
// success within the window reach the limit, restricts the account.
func (db *DB) failLogin(ctx context.Context, u *okcare.User, req okcare.LoginRequest, code, msg string) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := insertAttempt(ctx, tx, u, req, false, code, true); err != nil {
			return err
		}
		failures, err := db.recentFailures(ctx, tx, u.ID, tx.now)
		if err != nil {
			return err
		}
		if failures < db.LoginPolicy.MaxFailures {
			return nil
		}
		locked, err := findUserForUpdate(ctx, tx, u.ID)
		if err != nil || locked.EffectiveState(tx.now) != okcare.AccountActive {
			return err // only an active account is restricted automatically
		}
		until := tx.now.Add(db.LoginPolicy.RestrictFor)
		return changeState(ctx, tx, locked, okcare.StateChangeRequest{
			UserID: u.ID, To: okcare.AccountLoginRestricted, Reason: okcare.ReasonTooManyFailedLogins, Actor: "system", Until: &until,
		})
	})
	if err != nil {
		return err
	}
	return okcare.Errorf(code, "%s", msg)
}

// recentFailures counts the user's counted failures within the window and
// after the last success; ids order attempts even when two share a
// timestamp.
func (db *DB) recentFailures(ctx context.Context, q querier, userID string, now time.Time) (int, error) {
	var lastSuccess sql.NullInt64
	if err := q.queryRow(ctx, `SELECT MAX(id) FROM login_attempts WHERE user_id = ? AND success = ?`, userID, true).Scan(&lastSuccess); err != nil {
		return 0, err
	}
	var failures int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM login_attempts WHERE user_id = ? AND counts = ? AND at > ? AND id > ?`,
		userID, true, micros(now.Add(-db.LoginPolicy.Window)), lastSuccess.Int64).Scan(&failures)
	return failures, err
}

// reauthenticate checks the current password, and a current two-factor
// code when two-factor is on, before a change to the account's
// credentials: a stolen session alone cannot change them. Wrong answers
// count as failed sign-ins; past the limit it refuses without checking, so
// a stolen session cannot guess the password either.
func (db *DB) reauthenticate(ctx context.Context, u *okcare.User, pw, code string) error {
	// A password or code longer than any there can be is malformed, not a
	// guess: refused before it counts against the account.
	if len(pw) > 4*password.MaxLength || len(code) > maxCodeLength {
		return okcare.Errorf(okcare.EINVALID, "The password or code is too long.")
	}
	failures, err := db.recentFailures(ctx, db, u.ID, db.Now())
	if err != nil {
		return err
	}
	if failures >= db.LoginPolicy.MaxFailures {
		return okcare.Errorf(okcare.ERATELIMITED, "Too many wrong passwords or codes; try again in %d minutes.", int(db.LoginPolicy.Window.Minutes()))
	}
	login := u.Email
	if login == "" {
		login = u.Phone
	}
	attempt := okcare.LoginRequest{Login: login, Device: okcare.Device{ID: "reauthentication"}}
	hash, err := db.passwordHash(ctx, u.ID)
	if err != nil {
		return err
	}
	if ok, err := password.Verify(pw, hash); err != nil {
		return err
	} else if !ok {
		return db.failLogin(ctx, u, attempt, okcare.EINVALIDCREDENTIALS, "The current password is wrong.")
	}
	if !u.TOTPEnabled {
		return nil
	}
	if strings.TrimSpace(code) == "" {
		return okcare.Errorf(okcare.ETOTPREQUIRED, "Enter the code from your authenticator app too.")
	}
	if ok, err := db.useSecondFactor(ctx, u.ID, code); err != nil {
		return err
	} else if !ok {
		return db.failLogin(ctx, u, attempt, okcare.ETOTPINVALID, "The two-factor code is wrong or was already used.")
	}
	return nil
}

// openSession creates the session and its token, records the success and
// alerts the user about a new device.
func (db *DB) openSession(ctx context.Context, u *okcare.User, req okcare.LoginRequest, known bool) (*okcare.Session, string, error) {
	tok := token.New("okw_")
	s := &okcare.Session{ID: token.ID("ses_"), UserID: u.ID, Device: req.Device, IP: req.IP}
	err := db.inTx(ctx, func(tx *Tx) error {
		s.CreatedAt, s.LastSeenAt = fromMicros(micros(tx.now)), fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO sessions (id, user_id, token_hash, device_id, platform, os_version, app_version, model, ip, created_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, u.ID, token.Hash(tok), req.Device.ID, req.Device.Platform, req.Device.OSVersion, req.Device.AppVersion, req.Device.Model, req.IP, micros(tx.now), micros(tx.now))
		if err != nil {
			return err
		}
		if err := insertAttempt(ctx, tx, u, req, true, "ok", false); err != nil {
			return err
		}
		if known {
			return nil
		}
		// A new device: it gets its key, and the owner an alert.
		s.DeviceKey = token.New("okd_")
		if _, err := tx.exec(ctx, `INSERT INTO device_keys (key_hash, user_id, device_id, created_at) VALUES (?, ?, ?, ?)`,
			token.Hash(s.DeviceKey), u.ID, req.Device.ID, micros(tx.now)); err != nil {
			return err
		}
		return enqueueSecurityAlert(ctx, tx, u, okcare.EventNewDeviceLogin)
	})
	if err != nil {
		return nil, "", err
	}
	return s, tok, nil
}

const sessionColumns = `id, user_id, device_id, platform, os_version, app_version, model, ip, created_at, last_seen_at, revoked_at`

func scanSession(row interface{ Scan(...any) error }) (*okcare.Session, error) {
	var s okcare.Session
	var created, seen int64
	var revoked sql.NullInt64
	err := row.Scan(&s.ID, &s.UserID, &s.Device.ID, &s.Device.Platform, &s.Device.OSVersion, &s.Device.AppVersion, &s.Device.Model, &s.IP, &created, &seen, &revoked)
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.RevokedAt = fromMicros(created), fromMicros(seen), fromNullMicros(revoked)
	return &s, nil
}

// errUnauthorized is Authenticate's answer for any token that does not
// open a session, made only when needed: Authenticate runs on every call.
func errUnauthorized() error {
	return okcare.Errorf(okcare.EUNAUTHORIZED, "The session is invalid or has ended; sign in again.")
}

// Authenticate resolves a bearer token to its live session and user. A
// frozen account's sessions stay valid so the app can show why it is frozen.
// The session carries its id, user and times, not its device and address
// (ListSessions has those): no caller needs them, and each column of this
// query, which every authenticated call makes, costs the driver time.
func (db *DB) Authenticate(ctx context.Context, tok string) (*okcare.Session, *okcare.User, error) {
	if tok == "" || len(tok) > 200 {
		return nil, nil, errUnauthorized()
	}
	// One query for session and user: this runs on every authenticated call.
	var s okcare.Session
	var created, seen int64
	var revoked, until sql.NullInt64
	var u okcare.User
	var userCreated int64
	var state string
	err := db.queryRowHot(ctx, authenticateQuery, []any{token.Hash(tok)},
		&s.ID, &s.UserID, &created, &seen, &revoked,
		&u.Email, &u.Phone, &state, &u.StateReason, &until, &u.TOTPEnabled, &u.Lang, &userCreated)
	u.State = okcare.AccountState(state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errUnauthorized()
	} else if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.RevokedAt = fromMicros(created), fromMicros(seen), fromNullMicros(revoked)
	u.ID, u.RestrictedUntil, u.CreatedAt = s.UserID, fromNullMicros(until), fromMicros(userCreated)
	if !db.useSession(&s, u.State) {
		return nil, nil, errUnauthorized()
	}
	return &s, &u, nil
}

// ListSessions returns the user's sessions newest first.
func (db *DB) ListSessions(ctx context.Context, userID string) ([]*okcare.Session, error) {
	rows, err := db.query(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*okcare.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		s.LastSeenAt = db.touches.lastSeen(s.ID, s.LastSeenAt)
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSession ends one of the user's own sessions.
func (db *DB) RevokeSession(ctx context.Context, userID, sessionID string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, micros(tx.now), sessionID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return okcare.Errorf(okcare.ENOTFOUND, "No such active session.")
		}
		return nil
	})
}

// ChangePassword checks the current password (and two-factor code), stores
// the new one, revokes every other session and alerts the user.
func (db *DB) ChangePassword(ctx context.Context, userID, keepSessionID, current, next, code string) error {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	// A new password that could never be set is refused before the
	// current one is checked (and counted).
	if p := password.Problem(next, u.Email, u.Phone); p != "" {
		return okcare.Errorf(okcare.EWEAKPASSWORD, "%s", p)
	}
	if err := db.reauthenticate(ctx, u, current, code); err != nil {
		return err
	}
	newHash, err := password.Hash(next, db.PasswordParams)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, newHash, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL`, micros(tx.now), userID, keepSessionID); err != nil {
			return err
		}
		return enqueueSecurityAlert(ctx, tx, u, okcare.EventPasswordChanged)
	})
}
