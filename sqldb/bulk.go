package sqldb

import (
	"context"
	"fmt"
	"math/big"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// ImportUsers inserts active users with one shared password hash and an
// opening CNY deposit each, in batches of 1000 per transaction. It is for
// demo data and benchmarks at scale (100k accounts), where one transaction
// per user would take minutes. progress, if set, is called after each batch.
func (db *DB) ImportUsers(ctx context.Context, emails []string, passwordHash, depositMinor string, progress func(done int)) ([]string, error) {
	ids := make([]string, len(emails))
	for start := 0; start < len(emails); start += 1000 {
		end := min(start+1000, len(emails))
		err := db.inTx(ctx, func(tx *Tx) error {
			for i := start; i < end; i++ {
				ids[i] = token.ID("usr_")
				if _, err := tx.exec(ctx, `INSERT INTO users (id, email, password_hash, state, created_at) VALUES (?, ?, ?, ?, ?)`,
					ids[i], NormalizeLogin(emails[i]), passwordHash, okcare.AccountActive, micros(tx.now)); err != nil {
					return fmt.Errorf("user %s: %w", emails[i], err)
				}
				minor, _ := new(big.Int).SetString(depositMinor, 10)
				m := &okcare.Movement{ID: token.ID("dep_"), Kind: okcare.KindDeposit, ToUserID: ids[i], Asset: "CNY", Decimals: 2, Minor: minor, Memo: "opening balance"}
				if err := book(ctx, tx, m, ownerSystem, treasuryID, ownerUser, ids[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress(end)
		}
	}
	return ids, nil
}
