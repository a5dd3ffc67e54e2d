package sqldb

import (
	"context"
	"time"

	"github.com/okcare/okcare/token"
)

// staffLoginKey is how a staff login is kept in staff_signin_failures:
// hashed, since what was typed as an email may be a password.
func staffLoginKey(login string) string { return token.Hash("staff-login:" + NormalizeLogin(login)) }

// ReserveStaffSignIn reads login's failed staff sign-ins since since and,
// if allow lets the attempt go ahead, records it as a failure at at, in
// one transaction under a lock on the login: parallel attempts, on any
// node, are counted one after another, so none gets past a throttle the
// others are filling. It returns the reservation's id ("" if allow refused
// or the login is no email address, which names no staff account and is
// not kept) and the failures read. The caller releases the reservation
// when the attempt succeeds or was no guess.
func (db *DB) ReserveStaffSignIn(ctx context.Context, login string, at, since time.Time, allow func(failures []time.Time) bool) (string, []time.Time, error) {
	if !emailPattern.MatchString(NormalizeLogin(login)) {
		return "", nil, nil
	}
	key := staffLoginKey(login)
	var id string
	var failures []time.Time
	err := db.inTx(ctx, func(tx *Tx) error {
		id, failures = "", nil
		if db.dialect.Name == "postgres" {
			// SQLite's write transactions already run one at a time.
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, key); err != nil {
				return err
			}
		}
		rows, err := tx.query(ctx, `SELECT at FROM staff_signin_failures WHERE login_hash = ? AND at >= ? ORDER BY at`, key, micros(since))
		if err != nil {
			return err
		}
		for rows.Next() {
			var t int64
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			failures = append(failures, fromMicros(t))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if !allow(failures) {
			return nil
		}
		// One window is kept, for every login.
		if _, err := tx.exec(ctx, `DELETE FROM staff_signin_failures WHERE at < ?`, micros(since)); err != nil {
			return err
		}
		id = token.ID("ssf_")
		_, err = tx.exec(ctx, `INSERT INTO staff_signin_failures (id, login_hash, at) VALUES (?, ?, ?)`, id, key, micros(at))
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return id, failures, nil
}

// ReleaseStaffSignIn removes one reservation: the attempt was no guess
// (a missing code, a refused request).
func (db *DB) ReleaseStaffSignIn(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM staff_signin_failures WHERE id = ?`, id)
		return err
	})
}

// ClearStaffSignInFailures forgets login's failed sign-ins (it signed in).
func (db *DB) ClearStaffSignInFailures(ctx context.Context, login string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM staff_signin_failures WHERE login_hash = ?`, staffLoginKey(login))
		return err
	})
}
