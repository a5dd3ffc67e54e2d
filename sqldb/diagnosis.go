package sqldb

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// SaveDiagnosis stores a diagnosis.
func (db *DB) SaveDiagnosis(ctx context.Context, d *okcare.Diagnosis) error {
	d.ID, d.Key = token.ID("dgn_"), ""
	var keyHash sql.NullString
	if d.UserID == "" {
		d.Key = token.New("dgk_")
		keyHash = sql.NullString{String: token.Hash(d.Key), Valid: true}
	}
	// What the customer wrote, and anything the result quotes of it, with
	// its secrets masked (secrets.go).
	d.Request, _ = maskJSON(d.Request, d.Lang)
	d.Result, _ = maskJSON(d.Result, d.Lang)
	// An advisory record: see durability.go.
	return db.inRelaxedTx(ctx, func(tx *Tx) error {
		d.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO diagnoses (id, user_id, lang, top_cause, request, result, created_at, key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, nullString(d.UserID), d.Lang, d.TopCause, string(d.Request), string(d.Result), micros(tx.now), keyHash)
		return err
	})
}

// FindDiagnosis returns a stored diagnosis.
func (db *DB) FindDiagnosis(ctx context.Context, id string) (*okcare.Diagnosis, error) {
	d, _, err := db.diagnosis(ctx, id)
	return d, err
}

// OpenDiagnosis returns a diagnosis to its owner or its key's holder.
func (db *DB) OpenDiagnosis(ctx context.Context, id, userID, key string) (*okcare.Diagnosis, error) {
	d, keyHash, err := db.diagnosis(ctx, id)
	if err != nil {
		return nil, err
	}
	owner := d.UserID != "" && d.UserID == userID
	holder := d.UserID == "" && keyHash != "" && key != "" && subtle.ConstantTimeCompare([]byte(token.Hash(key)), []byte(keyHash)) == 1
	if !owner && !holder {
		// Someone else's diagnosis looks the same as none at all.
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such diagnosis.")
	}
	return d, nil
}

func (db *DB) diagnosis(ctx context.Context, id string) (*okcare.Diagnosis, string, error) {
	var d okcare.Diagnosis
	var userID, outcome, keyHash sql.NullString
	var req, res string
	var created int64
	err := db.queryRow(ctx, `SELECT id, user_id, lang, top_cause, request, result, outcome, created_at, key_hash FROM diagnoses WHERE id = ?`, id).
		Scan(&d.ID, &userID, &d.Lang, &d.TopCause, &req, &res, &outcome, &created, &keyHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", okcare.Errorf(okcare.ENOTFOUND, "No such diagnosis.")
	} else if err != nil {
		return nil, "", err
	}
	d.UserID, d.Outcome, d.Request, d.Result, d.CreatedAt = userID.String, outcome.String, []byte(req), []byte(res), fromMicros(created)
	return &d, keyHash.String, nil
}

// SetDiagnosisOutcome records whether the diagnosis helped.
func (db *DB) SetDiagnosisOutcome(ctx context.Context, id, userID, key, outcome string) error {
	if outcome != okcare.OutcomeSolved && outcome != okcare.OutcomeStillBroken {
		return okcare.Errorf(okcare.EINVALID, "outcome must be solved or still_broken.")
	}
	if _, err := db.OpenDiagnosis(ctx, id, userID, key); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE diagnoses SET outcome = ?, answered_at = ? WHERE id = ?`, outcome, micros(tx.now), id)
		return err
	})
}

// Deflection counts outcomes of diagnoses made since the given time.
func (db *DB) Deflection(ctx context.Context, since time.Time) (*okcare.DeflectionReport, error) {
	var r okcare.DeflectionReport
	var solved, broken sql.NullInt64
	err := db.queryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN outcome = 'solved' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'still_broken' THEN 1 ELSE 0 END)
		FROM diagnoses WHERE created_at >= ?`, micros(since)).Scan(&r.Diagnoses, &solved, &broken)
	if err != nil {
		return nil, err
	}
	r.Solved, r.StillBroken = int(solved.Int64), int(broken.Int64)
	if answered := r.Solved + r.StillBroken; answered > 0 {
		r.Rate = float64(r.Solved) / float64(answered)
	}
	return &r, nil
}
