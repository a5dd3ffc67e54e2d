package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// SaveDiagnosis stores a diagnosis.
func (db *DB) SaveDiagnosis(ctx context.Context, d *okcare.Diagnosis) error {
	d.ID = token.ID("dgn_")
	// What the customer wrote, and anything the result quotes of it, with
	// its secrets masked (secrets.go).
	d.Request, _ = maskJSON(d.Request, d.Lang)
	d.Result, _ = maskJSON(d.Result, d.Lang)
	// An advisory record: see durability.go.
	return db.inRelaxedTx(ctx, func(tx *Tx) error {
		d.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO diagnoses (id, user_id, lang, top_cause, request, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, nullString(d.UserID), d.Lang, d.TopCause, string(d.Request), string(d.Result), micros(tx.now))
		return err
	})
}

// FindDiagnosis returns a stored diagnosis.
func (db *DB) FindDiagnosis(ctx context.Context, id string) (*okcare.Diagnosis, error) {
	var d okcare.Diagnosis
	var userID, outcome sql.NullString
	var req, res string
	var created int64
	err := db.queryRow(ctx, `SELECT id, user_id, lang, top_cause, request, result, outcome, created_at FROM diagnoses WHERE id = ?`, id).
		Scan(&d.ID, &userID, &d.Lang, &d.TopCause, &req, &res, &outcome, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such diagnosis.")
	} else if err != nil {
		return nil, err
	}
	d.UserID, d.Outcome, d.Request, d.Result, d.CreatedAt = userID.String, outcome.String, []byte(req), []byte(res), fromMicros(created)
	return &d, nil
}

// SetDiagnosisOutcome records whether the diagnosis helped.
func (db *DB) SetDiagnosisOutcome(ctx context.Context, id, userID, outcome string) error {
	if outcome != okcare.OutcomeSolved && outcome != okcare.OutcomeStillBroken {
		return okcare.Errorf(okcare.EINVALID, "outcome must be solved or still_broken.")
	}
	d, err := db.FindDiagnosis(ctx, id)
	if err != nil {
		return err
	}
	if d.UserID != "" && d.UserID != userID {
		// Someone else's diagnosis looks the same as none at all.
		return okcare.Errorf(okcare.ENOTFOUND, "No such diagnosis.")
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
