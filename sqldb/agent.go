package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/token"
)

// A staff session lasts one working day at most, and ends after an hour
// unused; use is recorded at most once a minute.
const (
	agentSessionTTL  = 12 * time.Hour
	agentSessionIdle = time.Hour
	agentSeenEvery   = time.Minute
)

// CreateAgent adds a staff member with a password.
func (db *DB) CreateAgent(ctx context.Context, a *okcare.Agent, pw string) error {
	a.Email = NormalizeLogin(a.Email)
	if !emailPattern.MatchString(a.Email) {
		return okcare.Errorf(okcare.EINVALID, "A valid email is required.")
	}
	if !a.Role.Valid() {
		return okcare.Errorf(okcare.EINVALID, "role must be agent, supervisor or admin.")
	}
	if p := password.Problem(pw, a.Email); p != "" {
		return okcare.Errorf(okcare.EWEAKPASSWORD, "%s", p)
	}
	hash, err := password.Hash(pw, db.PasswordParams)
	if err != nil {
		return err
	}
	a.ID = token.ID("agt_")
	return db.inTx(ctx, func(tx *Tx) error {
		a.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, a.Email, a.Name, a.Role, hash, micros(tx.now))
		if err != nil && db.dialect.IsUniqueViolation(err) {
			return okcare.Errorf(okcare.ECONFLICT, "A staff member with this email exists.")
		}
		return err
	})
}

// SetAgentPassword replaces a staff member's password and ends their sessions.
func (db *DB) SetAgentPassword(ctx context.Context, email, pw string) error {
	email = NormalizeLogin(email)
	if p := password.Problem(pw, email); p != "" {
		return okcare.Errorf(okcare.EWEAKPASSWORD, "%s", p)
	}
	hash, err := password.Hash(pw, db.PasswordParams)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE agents SET password_hash = ? WHERE email = ?`, hash, email)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return okcare.Errorf(okcare.ENOTFOUND, "No staff member with this email.")
		}
		_, err = tx.exec(ctx, `DELETE FROM agent_sessions WHERE agent_id = (SELECT id FROM agents WHERE email = ?)`, email)
		return err
	})
}

const agentColumns = `id, email, name, role, created_at`

func scanAgent(row interface{ Scan(...any) error }, extra ...any) (*okcare.Agent, error) {
	var a okcare.Agent
	var created int64
	if err := row.Scan(append([]any{&a.ID, &a.Email, &a.Name, &a.Role, &created}, extra...)...); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	return &a, nil
}

// AgentLogin checks a staff member's password and second factor and opens
// a session; one without a second factor yet gets a session that can only
// set it up (Agent.MFAPending).
func (db *DB) AgentLogin(ctx context.Context, email, pw, code, ip string) (*okcare.Agent, string, error) {
	wrong := okcare.Errorf(okcare.EINVALIDCREDENTIALS, "The email or password is wrong.")
	var hash string
	var a okcare.Agent
	var created int64
	var secret sql.NullString
	err := db.queryRow(ctx, `SELECT `+agentColumns+`, password_hash, totp_secret FROM agents WHERE email = ?`, NormalizeLogin(email)).
		Scan(&a.ID, &a.Email, &a.Name, &a.Role, &created, &hash, &secret)
	if errors.Is(err, sql.ErrNoRows) {
		password.Verify(pw, dummyHash)
		return nil, "", wrong
	} else if err != nil {
		return nil, "", err
	}
	a.CreatedAt = fromMicros(created)
	if ok, err := password.Verify(pw, hash); err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "", wrong
	}
	if secret.Valid {
		if err := db.agentSecondFactor(ctx, a.ID, code); err != nil {
			return nil, "", err
		}
	} else {
		a.MFAPending = true
	}
	tok := token.New("okstaff_")
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO agent_sessions (token_hash, agent_id, ip, created_at, expires_at, mfa_pending, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			token.Hash(tok), a.ID, ip, micros(tx.now), micros(tx.now.Add(agentSessionTTL)), a.MFAPending, micros(tx.now))
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return &a, tok, nil
}

// AuthenticateAgent resolves a staff bearer token.
func (db *DB) AuthenticateAgent(ctx context.Context, tok string) (*okcare.Agent, error) {
	var pending bool
	var seen int64
	now := db.Now()
	a, err := scanAgent(db.queryRow(ctx, `SELECT a.id, a.email, a.name, a.role, a.created_at, s.mfa_pending, s.last_seen_at FROM agent_sessions s
		JOIN agents a ON a.id = s.agent_id WHERE s.token_hash = ? AND s.expires_at > ?`, token.Hash(tok), micros(now)), &pending, &seen)
	if err == nil && now.Sub(fromMicros(seen)) > agentSessionIdle {
		err = sql.ErrNoRows // idle too long: as if it had ended
	}
	if err == nil && now.Sub(fromMicros(seen)) > agentSeenEvery {
		if err := db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE agent_sessions SET last_seen_at = ? WHERE token_hash = ?`, micros(tx.now), token.Hash(tok))
			return err
		}); err != nil {
			return nil, err
		}
	}
	if a != nil {
		a.MFAPending = pending
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.EUNAUTHORIZED, "The staff session is invalid or has expired.")
	}
	return a, err
}

// AgentLogout ends a staff session; an unknown token is not an error.
func (db *DB) AgentLogout(ctx context.Context, tok string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM agent_sessions WHERE token_hash = ?`, token.Hash(tok))
		return err
	})
}
