package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// antiPhishingContext binds a sealed code to its user (another user's row
// cannot be made to open it).
func antiPhishingContext(userID string) string { return "anti-phishing|" + userID }

// validAntiPhishing: 4-20 letters (any script) or digits, at least one
// letter, so it cannot pass for a one-time code.
func validAntiPhishing(code string) bool {
	n := utf8.RuneCountInString(code)
	if n < 4 || n > 20 {
		return false
	}
	letter := false
	for _, r := range code {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
		default:
			return false
		}
	}
	return letter
}

// SetAntiPhishingCode stores the user's anti-phishing code sealed and
// alerts them (the alert, like all their mail, carries the new code).
func (db *DB) SetAntiPhishingCode(ctx context.Context, userID, code string) error {
	code = strings.TrimSpace(code)
	if code != "" && !validAntiPhishing(code) {
		return okcare.Errorf(okcare.EINVALID, "An anti-phishing code is 4 to 20 letters or digits, with at least one letter.")
	}
	if db.Secrets == nil {
		return fmt.Errorf("no secret key configured to seal anti-phishing codes")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u, err := findUserForUpdate(ctx, tx, userID)
		if err != nil {
			return err
		}
		sealed := ""
		if code != "" {
			sealed = db.Secrets.Seal(code, antiPhishingContext(u.ID))
		}
		if _, err := tx.exec(ctx, `UPDATE users SET anti_phishing = ? WHERE id = ?`, sealed, u.ID); err != nil {
			return err
		}
		return enqueueAlert(ctx, tx, u, okcare.EventAntiPhishingSet, "alert_"+okcare.EventAntiPhishingSet, nil)
	})
}

// AntiPhishingCode returns the user's code, unsealed.
func (db *DB) AntiPhishingCode(ctx context.Context, userID string) (string, error) {
	var sealed string
	err := db.queryRow(ctx, `SELECT anti_phishing FROM users WHERE id = ?`, userID).Scan(&sealed)
	if err != nil {
		if _, ferr := db.FindUserByID(ctx, userID); ferr != nil {
			return "", ferr
		}
		return "", err
	}
	return db.openAntiPhishing(userID, sealed)
}

func (db *DB) openAntiPhishing(userID, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if db.Secrets == nil {
		return "", fmt.Errorf("no secret key configured to open anti-phishing codes")
	}
	return db.Secrets.Open(sealed, antiPhishingContext(userID))
}

// antiPhishingFor is the code of the customer whose registered email or
// phone addr is ("" when it is nobody's, or they set none): mail to that
// address is theirs, whichever ticket or event it is about.
func (db *DB) antiPhishingFor(ctx context.Context, addr string) (string, error) {
	var id, sealed string
	err := db.queryRow(ctx, `SELECT id, anti_phishing FROM users WHERE email = ? OR phone = ?`, addr, addr).Scan(&id, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil // nobody's address: no code
	} else if err != nil {
		return "", err
	}
	return db.openAntiPhishing(id, sealed)
}
