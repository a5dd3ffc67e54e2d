package sqldb

import (
	"context"
	"fmt"
	"math/big"
	"time"

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
				ids[i] = token.ID(userIDPrefix)
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
	return ids, db.Optimize(ctx)
}

// ImportSessions opens one app session per user, in batches of 1000 per
// transaction, and returns their bearer tokens in the same order. It is
// for benchmarks that need a sessions table as large as the users table.
func (db *DB) ImportSessions(ctx context.Context, userIDs []string, progress func(done int)) ([]string, error) {
	tokens := make([]string, len(userIDs))
	for start := 0; start < len(userIDs); start += 1000 {
		end := min(start+1000, len(userIDs))
		err := db.inTx(ctx, func(tx *Tx) error {
			for i := start; i < end; i++ {
				tokens[i] = token.New("okw_")
				if _, err := tx.exec(ctx, `INSERT INTO sessions (id, user_id, token_hash, device_id, platform, os_version, app_version, model, ip, created_at, last_seen_at)
					VALUES (?, ?, ?, ?, 'android', '14', '5.3.0', '', '', ?, ?)`,
					token.ID("ses_"), userIDs[i], token.Hash(tokens[i]), fmt.Sprintf("bench-%d", i), micros(tx.now), micros(tx.now)); err != nil {
					return fmt.Errorf("session of %s: %w", userIDs[i], err)
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
	return tokens, db.Optimize(ctx)
}

// ImportTicket is one ticket for ImportTickets.
type ImportTicket struct {
	ContactEmail, Channel, Status, Category, Lang, Subject, Body string
	CreatedAt, FirstResponseDue                                  time.Time
}

// ImportTickets inserts tickets (each with its first message) in batches
// of 1000 per transaction, numbering them after the existing ones. It is
// for benchmarks at scale (100k tickets); it sends nothing and assigns
// nobody. progress, if set, is called after each batch.
func (db *DB) ImportTickets(ctx context.Context, n int, ticket func(i int) ImportTicket, progress func(done int)) error {
	for start := 0; start < n; start += 1000 {
		end := min(start+1000, n)
		err := db.inTx(ctx, func(tx *Tx) error {
			for i := start; i < end; i++ {
				t := ticket(i)
				var number int64
				if err := tx.queryRow(ctx, db.dialect.NextTicketNumber).Scan(&number); err != nil {
					return err
				}
				id := token.ID("tkt_")
				if _, err := tx.exec(ctx, `INSERT INTO tickets (id, number, contact_email, channel, status, priority, category, lang, subject, intake,
					idem_scope, created_at, updated_at, first_response_due, resolution_due) VALUES (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					id, number, t.ContactEmail, t.Channel, t.Status, t.Category, t.Lang, t.Subject, `{"description":"`+id+`"}`,
					"contact:"+t.ContactEmail, micros(t.CreatedAt), micros(t.CreatedAt), micros(t.FirstResponseDue), micros(t.FirstResponseDue.Add(48*time.Hour))); err != nil {
					return err
				}
				if err := insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: id, Author: "contact", Public: true, Body: t.Body}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return db.Optimize(ctx)
}
