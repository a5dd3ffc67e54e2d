package sqldb

import (
	"context"
	"time"

	"github.com/okcare/okcare/token"
)

// staffLoginKey is how a staff login is kept in staff_signin_failures:
// hashed, since what was typed as an email may be a password.
func staffLoginKey(login string) string { return token.Hash("staff-login:" + NormalizeLogin(login)) }

// StaffSignInFailures lists login's failed staff sign-ins since since.
func (db *DB) StaffSignInFailures(ctx context.Context, login string, since time.Time) ([]time.Time, error) {
	rows, err := db.query(ctx, `SELECT at FROM staff_signin_failures WHERE login_hash = ? AND at >= ? ORDER BY at`, staffLoginKey(login), micros(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromMicros(at))
	}
	return out, rows.Err()
}

// RecordStaffSignInFailure adds a failed sign-in for login at at and drops
// every failure older than forgetBefore, so the table holds one window. A
// login that is no email address names no staff account and is not kept.
func (db *DB) RecordStaffSignInFailure(ctx context.Context, login string, at, forgetBefore time.Time) error {
	if !emailPattern.MatchString(NormalizeLogin(login)) {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM staff_signin_failures WHERE at < ?`, micros(forgetBefore)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO staff_signin_failures (login_hash, at) VALUES (?, ?)`, staffLoginKey(login), micros(at))
		return err
	})
}

// ClearStaffSignInFailures forgets login's failed sign-ins.
func (db *DB) ClearStaffSignInFailures(ctx context.Context, login string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM staff_signin_failures WHERE login_hash = ?`, staffLoginKey(login))
		return err
	})
}
