package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
	"github.com/okcare/okcare/token"
)

// nameCounterparties fills in each transaction's other side (sides[i] is
// its movement's sender and recipient): the recipient of money that left,
// the sender of money that came in, users by their masked registered
// contact and merchants by name, read with one query each.
func (db *DB) nameCounterparties(ctx context.Context, list []*okcare.Transaction, sides []pair) error {
	users, merchants := map[string]string{}, map[string]string{}
	var userIDs, merchantIDs []any
	other := make([][2]string, len(list)) // kind, id
	for i, t := range list {
		s := sides[i]
		switch {
		case t.Minor.Sign() < 0 && s.toMerchant != "":
			other[i] = [2]string{ownerMerchant, s.toMerchant}
		case t.Minor.Sign() < 0:
			other[i] = [2]string{ownerUser, s.toUser}
		default:
			other[i] = [2]string{ownerUser, s.from}
		}
		switch id := other[i][1]; {
		case id == "":
		case other[i][0] == ownerMerchant:
			if _, ok := merchants[id]; !ok {
				merchants[id], merchantIDs = "", append(merchantIDs, id)
			}
		default:
			if _, ok := users[id]; !ok {
				users[id], userIDs = "", append(userIDs, id)
			}
		}
	}
	if err := eachValueChunk(userIDs, func(args []any, in string) error {
		rows, err := db.query(ctx, `SELECT id, COALESCE(email, ''), COALESCE(phone, '') FROM users WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, email, phone string
			if err := rows.Scan(&id, &email, &phone); err != nil {
				return err
			}
			users[id] = mask(nonEmpty(email, phone))
		}
		return rows.Err()
	}); err != nil {
		return err
	}
	if err := eachValueChunk(merchantIDs, func(args []any, in string) error {
		rows, err := db.query(ctx, `SELECT id, name FROM merchants WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			merchants[id] = name
		}
		return rows.Err()
	}); err != nil {
		return err
	}
	for i, t := range list {
		if other[i][0] == ownerMerchant {
			t.Counterparty = merchants[other[i][1]]
		} else {
			t.Counterparty = users[other[i][1]]
		}
	}
	return nil
}

func nonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// chainTxPattern is an on-chain transaction hash: 64 hex digits, with 0x
// on EVM chains.
var chainTxPattern = regexp.MustCompile(`^(0x)?[0-9a-f]{64}$`)

// DepositFromChain books a deposit and keeps its on-chain hash, in one
// transaction.
func (db *DB) DepositFromChain(ctx context.Context, userID, assetCode, amount, memo, chainTx string) (*okcare.Movement, error) {
	chainTx = strings.ToLower(strings.TrimSpace(chainTx))
	if !chainTxPattern.MatchString(chainTx) {
		return nil, okcare.Errorf(okcare.EINVALID, "chain_tx must be 64 hex digits (with 0x on EVM chains).")
	}
	asset, err := db.findAsset(ctx, assetCode)
	if err != nil {
		return nil, err
	}
	minor, err := ledger.ParseAmount(amount, asset.Decimals)
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALIDAMOUNT, "Invalid amount for %s.", asset.Code)
	}
	m := &okcare.Movement{ID: token.ID("dep_"), Kind: okcare.KindDeposit, ToUserID: userID, Asset: asset.Code, Decimals: asset.Decimals, Minor: minor, Memo: memo}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := findUserForUpdate(ctx, tx, userID); err != nil {
			return err
		}
		if err := book(ctx, tx, m, ownerSystem, treasuryID, ownerUser, userID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE movements SET chain_tx = ? WHERE id = ?`, chainTx, m.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FindTransaction looks a movement up by id, entry id or on-chain hash,
// names both sides with their tickets, and audits the look-up.
func (db *DB) FindTransaction(ctx context.Context, ref, agentID string) (*okcare.TransactionView, error) {
	ref = strings.TrimSpace(ref)
	notFound := okcare.Errorf(okcare.ENOTFOUND, "No transaction has this id or hash.")
	col := "m.id"
	switch {
	case strings.HasPrefix(ref, "ent_"):
		col = "m.entry_id"
	case chainTxPattern.MatchString(strings.ToLower(ref)):
		col, ref = "m.chain_tx", strings.ToLower(ref)
	case !strings.HasPrefix(ref, "trf_") && !strings.HasPrefix(ref, "pay_") && !strings.HasPrefix(ref, "dep_"):
		return nil, notFound
	}
	var v okcare.TransactionView
	var from, toUser, toMerchant, amount string
	var decimals int
	var created int64
	err := db.queryRow(ctx, `SELECT m.id, m.entry_id, m.kind, m.asset, a.decimals, m.amount, m.memo, m.chain_tx, m.from_user_id, m.to_user_id, m.to_merchant_id, m.created_at
		FROM movements m JOIN assets a ON a.code = m.asset WHERE `+col+` = ?`, ref).
		Scan(&v.ID, &v.EntryID, &v.Kind, &v.Asset, &decimals, &amount, &v.Memo, &v.ChainTx, &from, &toUser, &toMerchant, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	minor, err := ledger.ParseMinor(amount)
	if err != nil {
		return nil, err
	}
	v.Amount, v.CreatedAt = ledger.FormatAmount(minor, decimals), fromMicros(created)
	if v.From, err = db.party(ctx, ownerUser, from); err != nil {
		return nil, err
	}
	if toMerchant != "" {
		v.To, err = db.party(ctx, ownerMerchant, toMerchant)
	} else {
		v.To, err = db.party(ctx, ownerUser, toUser)
	}
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		return appendAudit(ctx, tx, "agent:"+agentID, "transaction.read", "movement:"+v.ID, map[string]string{"from": from, "to": toUser + toMerchant})
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// party names one side of a movement; an empty user id is the treasury.
func (db *DB) party(ctx context.Context, kind, id string) (*okcare.Party, error) {
	switch {
	case kind == ownerMerchant:
		p := &okcare.Party{Kind: "merchant", ID: id}
		err := db.queryRow(ctx, `SELECT name FROM merchants WHERE id = ?`, id).Scan(&p.Name)
		return p, err
	case id == "":
		return &okcare.Party{Kind: "treasury"}, nil
	}
	u, err := db.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	_, contact := registeredContact(u)
	p := &okcare.Party{Kind: "user", ID: u.ID, Contact: mask(contact)}
	tickets, err := db.UserTickets(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(tickets) > 10 {
		tickets = tickets[:10]
	}
	p.Tickets = tickets
	return p, nil
}

// FreezeFromTicket freezes the ticket's account at once and signs it out.
func (db *DB) FreezeFromTicket(ctx context.Context, ticketID, agentID, reason string) (*okcare.User, error) {
	known := false
	for _, r := range okcare.FreezeReasons {
		known = known || r == reason
	}
	if !known {
		return nil, okcare.Errorf(okcare.EINVALID, "Freeze for one of: %s.", strings.Join(okcare.FreezeReasons, ", "))
	}
	actor := "agent:" + agentID
	var u *okcare.User
	err := db.inTx(ctx, func(tx *Tx) error {
		t, locked, err := ticketUser(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		u = locked
		switch u.EffectiveState(tx.now) {
		case okcare.AccountFrozen:
			return okcare.Errorf(okcare.ECONFLICT, "The account is frozen already.")
		case okcare.AccountClosed:
			return okcare.Errorf(okcare.ECONFLICT, "The account is closed.")
		}
		if err := changeState(ctx, tx, u, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: reason, Actor: actor}); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, micros(tx.now), u.ID); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, "account.revoke_sessions", "user:"+u.ID, map[string]string{"ticket": t.ID}); err != nil {
			return err
		}
		return addNote(ctx, tx, t.ID, NoteFrozenFromTicket, map[string]string{"by": actor, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// NoteFrozenFromTicket is the note of a freeze from a ticket.
const NoteFrozenFromTicket = "frozen_from_ticket"

func init() {
	noteEnglish[NoteFrozenFromTicket] = "Account frozen by {by} (reason: {reason}); every session signed out."
}
