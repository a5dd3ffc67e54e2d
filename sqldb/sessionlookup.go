package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// The session lookups: Authenticate's (session and user) and
// AuthenticateAccount's (session times and account state).
const (
	authenticateQuery = `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.revoked_at,
		COALESCE(u.email, ''), COALESCE(u.phone, ''), u.state, u.state_reason, u.restricted_until, u.totp_secret IS NOT NULL, u.lang, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`
	accountQuery = `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.revoked_at, u.state, u.state_reason, u.restricted_until
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`
)

// SessionLookupQueries returns the SQL of Authenticate's and
// AuthenticateAccount's lookups, each taking the token hash, so that a
// store's tests can check how its planner runs them.
func SessionLookupQueries() []string { return []string{authenticateQuery, accountQuery} }

// AuthenticateAccount resolves a bearer token as Authenticate does, for
// the app's launch: it reads the session's times and the account's state
// and nothing else, 8 columns instead of 13, and on SQLite both from
// covering indexes (migration 0140), one B-tree descent per table instead
// of two. At a million sessions the leaf pages are rarely cached, so each
// descent saved is a page read saved. Validity is decided by the same
// useSession as Authenticate, on every call: nothing is cached per token.
func (db *DB) AuthenticateAccount(ctx context.Context, tok string) (*okcare.User, error) {
	if tok == "" || len(tok) > 200 {
		return nil, errUnauthorized()
	}
	var s okcare.Session
	var created, seen int64
	var revoked, until sql.NullInt64
	var u okcare.User
	var state string
	err := db.queryRowHot(ctx, accountQuery, []any{token.Hash(tok)},
		&s.ID, &s.UserID, &created, &seen, &revoked, &state, &u.StateReason, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized()
	} else if err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.RevokedAt = fromMicros(created), fromMicros(seen), fromNullMicros(revoked)
	u.ID, u.State, u.RestrictedUntil = s.UserID, okcare.AccountState(state), fromNullMicros(until)
	if !db.useSession(&s, u.State) {
		return nil, errUnauthorized()
	}
	return &u, nil
}

// useSession reports whether the session s of an account in state may be
// used now, and if so records the use (buffered, see sessionTouches). Both
// lookups decide here, so that a token one refuses the other refuses too:
// revoked, idle past LoginPolicy.SessionIdle, older than SessionMaxAge, or
// of a closed account. s.LastSeenAt is brought up to its buffered value.
func (db *DB) useSession(s *okcare.Session, state okcare.AccountState) bool {
	now := db.Now()
	s.LastSeenAt = db.touches.lastSeen(s.ID, s.LastSeenAt)
	if s.RevokedAt != nil || now.Sub(s.LastSeenAt) > db.LoginPolicy.SessionIdle || state == okcare.AccountClosed ||
		(db.LoginPolicy.SessionMaxAge > 0 && now.Sub(s.CreatedAt) > db.LoginPolicy.SessionMaxAge) {
		return false
	}
	if now.Sub(s.LastSeenAt) >= touchGranularity {
		db.touches.touch(s.ID, now)
	}
	return true
}
