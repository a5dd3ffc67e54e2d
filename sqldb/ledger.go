package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
	"github.com/okcare/okcare/token"
)

// Owner kinds of ledger accounts.
const (
	ownerUser     = "user"
	ownerMerchant = "merchant"
	ownerSystem   = "system"
	treasuryID    = "treasury"
)

// Assets lists the configured assets by code.
func (db *DB) Assets(ctx context.Context) ([]*okcare.Asset, error) {
	rows, err := db.query(ctx, `SELECT code, name, decimals FROM assets ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*okcare.Asset
	for rows.Next() {
		var a okcare.Asset
		if err := rows.Scan(&a.Code, &a.Name, &a.Decimals); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

func (db *DB) findAsset(ctx context.Context, code string) (*okcare.Asset, error) {
	var a okcare.Asset
	err := db.queryRow(ctx, `SELECT code, name, decimals FROM assets WHERE code = ?`, code).Scan(&a.Code, &a.Name, &a.Decimals)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.EUNKNOWNASSET, "Unknown asset %q.", code)
	}
	return &a, err
}

// CreateAsset adds an asset.
func (db *DB) CreateAsset(ctx context.Context, a *okcare.Asset) error {
	if a.Code == "" || len(a.Code) > 16 || strings.ToUpper(a.Code) != a.Code || a.Decimals < 0 || a.Decimals > ledger.MaxDecimals {
		return okcare.Errorf(okcare.EINVALID, "An asset needs an upper-case code of at most 16 characters and 0-18 decimals.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO assets (code, name, decimals) VALUES (?, ?, ?)`, a.Code, a.Name, a.Decimals)
		if err != nil && db.dialect.IsUniqueViolation(err) {
			return okcare.Errorf(okcare.ECONFLICT, "Asset %s exists.", a.Code)
		}
		return err
	})
}

// CreateMerchant adds a merchant.
func (db *DB) CreateMerchant(ctx context.Context, m *okcare.Merchant) error {
	if m.ID == "" || m.Name == "" || len(m.ID) > 64 {
		return okcare.Errorf(okcare.EINVALID, "A merchant needs an id and a name.")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO merchants (id, name) VALUES (?, ?)`, m.ID, m.Name)
		if err != nil && db.dialect.IsUniqueViolation(err) {
			return okcare.Errorf(okcare.ECONFLICT, "Merchant %s exists.", m.ID)
		}
		return err
	})
}

// Balances returns the user's balance in every asset, zero included.
func (db *DB) Balances(ctx context.Context, userID string) ([]*okcare.Balance, error) {
	rows, err := db.query(ctx, `SELECT a.code, a.decimals, COALESCE(l.balance, '0') FROM assets a
		LEFT JOIN ledger_accounts l ON l.asset = a.code AND l.owner_kind = ? AND l.owner_id = ? ORDER BY a.code`, ownerUser, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*okcare.Balance
	for rows.Next() {
		var b okcare.Balance
		var text string
		if err := rows.Scan(&b.Asset, &b.Decimals, &text); err != nil {
			return nil, err
		}
		if b.Minor, err = ledger.ParseMinor(text); err != nil {
			return nil, fmt.Errorf("balance %q: %w", text, err)
		}
		out = append(out, &b)
	}
	return out, rows.Err()
}

// validateMovement checks a request without touching the database.
func validateMovement(req okcare.MovementRequest) error {
	switch {
	case req.Kind != okcare.KindTransfer && req.Kind != okcare.KindPayment:
		return okcare.Errorf(okcare.EINVALID, "Unknown movement kind.")
	case req.IdempotencyKey == "":
		return okcare.Errorf(okcare.EIDEMPOTENCYMISSING, "An Idempotency-Key header is required.")
	case len(req.IdempotencyKey) > 255 || !printableASCII(req.IdempotencyKey):
		return okcare.Errorf(okcare.EINVALID, "The Idempotency-Key must be 1-255 printable ASCII characters.")
	case req.Kind == okcare.KindTransfer && req.ToUser == "":
		return okcare.Errorf(okcare.EINVALID, "to (a user id, email or phone) is required.")
	case req.Kind == okcare.KindPayment && req.ToMerchant == "":
		return okcare.Errorf(okcare.EINVALID, "merchant_id is required.")
	case utf8.RuneCountInString(req.Memo) > 140:
		return okcare.Errorf(okcare.EINVALID, "memo is at most 140 characters.")
	}
	return nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Move executes a transfer or payment once per (user, idempotency key).
func (db *DB) Move(ctx context.Context, req okcare.MovementRequest) (*okcare.Movement, error) {
	if err := validateMovement(req); err != nil {
		return nil, err
	}
	asset, err := db.findAsset(ctx, req.Asset)
	if err != nil {
		return nil, err
	}
	amount, err := ledger.ParseAmount(req.Amount, asset.Decimals)
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALIDAMOUNT, "amount must be a positive decimal with at most %d decimals for %s.", asset.Decimals, asset.Code)
	}
	if db.group != nil {
		return db.group.submit(ctx, req, asset, amount)
	}
	m, err := db.move(ctx, req, asset, amount)
	if err != nil && db.dialect.IsUniqueViolation(err) {
		// A concurrent request with the same key committed first: answer as
		// for a repeat.
		m, err = db.move(ctx, req, asset, amount)
	}
	return m, err
}

// move runs one movement in a transaction of its own.
func (db *DB) move(ctx context.Context, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, error) {
	var m *okcare.Movement
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		m, err = moveTx(ctx, tx, req, asset, amount)
		return err
	})
	return m, err
}

// moveTx executes a validated movement inside tx: it answers a repeated
// idempotency key from the stored result, else checks the sender, resolves
// the recipient, books the entry and records the key.
func moveTx(ctx context.Context, tx *Tx, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, error) {
	var hash, movementID string
	err := tx.queryRow(ctx, `SELECT request_hash, movement_id FROM idempotency_keys WHERE user_id = ? AND key = ?`, req.FromUserID, req.IdempotencyKey).Scan(&hash, &movementID)
	if err == nil {
		if hash != req.RequestHash {
			return nil, okcare.Errorf(okcare.EIDEMPOTENCYMISMATCH, "This Idempotency-Key was used with a different request.")
		}
		m, err := findMovement(ctx, tx, movementID)
		if m != nil {
			m.Replayed = true
		}
		return m, err
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}

	sender, err := findUserForUpdate(ctx, tx, req.FromUserID)
	if err != nil {
		return nil, err
	}
	switch sender.EffectiveState(tx.now) {
	case okcare.AccountFrozen:
		return nil, okcare.Errorf(okcare.EACCOUNTFROZEN, "The account is frozen and cannot move money.")
	case okcare.AccountClosed:
		return nil, okcare.Errorf(okcare.EACCOUNTCLOSED, "The account is closed.")
	}
	m := &okcare.Movement{ID: token.ID(movementPrefix(req.Kind)), Kind: req.Kind, FromUserID: sender.ID, Asset: asset.Code, Decimals: asset.Decimals, Minor: amount, Memo: req.Memo}
	toKind, toID, err := resolveRecipient(ctx, tx, req, sender)
	if err != nil {
		return nil, err
	}
	if toKind == ownerUser {
		m.ToUserID = toID
	} else {
		m.ToMerchantID = toID
	}
	if err := book(ctx, tx, m, ownerUser, sender.ID, toKind, toID); err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, movement_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		req.FromUserID, req.IdempotencyKey, req.RequestHash, m.ID, micros(tx.now))
	if err != nil {
		return nil, err
	}
	return m, nil
}

func movementPrefix(k okcare.MovementKind) string {
	switch k {
	case okcare.KindPayment:
		return "pay_"
	case okcare.KindDeposit:
		return "dep_"
	}
	return "trf_"
}

// resolveRecipient finds the receiving user (by id, email or phone) or merchant.
func resolveRecipient(ctx context.Context, tx *Tx, req okcare.MovementRequest, sender *okcare.User) (kind, id string, err error) {
	if req.Kind == okcare.KindPayment {
		err := tx.queryRow(ctx, `SELECT id FROM merchants WHERE id = ?`, req.ToMerchant).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", okcare.Errorf(okcare.ENOTFOUND, "Unknown merchant.")
		}
		return ownerMerchant, id, err
	}
	login := NormalizeLogin(req.ToUser)
	var state string
	err = tx.queryRow(ctx, `SELECT id, state FROM users WHERE id = ? OR email = ? OR phone = ?`, req.ToUser, login, login).Scan(&id, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", okcare.Errorf(okcare.ENOTFOUND, "No user matches the recipient.")
	} else if err != nil {
		return "", "", err
	}
	if id == sender.ID {
		return "", "", okcare.Errorf(okcare.EINVALID, "You cannot transfer to yourself.")
	}
	if okcare.AccountState(state) == okcare.AccountClosed {
		return "", "", okcare.Errorf(okcare.EACCOUNTCLOSED, "The recipient's account is closed.")
	}
	return ownerUser, id, nil
}

// book writes the journal entry of m, moving m.Minor from one owner to
// another, after checking the ledger invariants on locked balances.
func book(ctx context.Context, tx *Tx, m *okcare.Movement, fromKind, fromID, toKind, toID string) error {
	accounts, from, to, err := lockAccounts(ctx, tx, m.Asset, [2]string{fromKind, fromID}, [2]string{toKind, toID})
	if err != nil {
		return err
	}
	postings := ledger.Move(from, to, m.Asset, m.Minor)
	balances, err := ledger.Apply(accounts, postings)
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		return okcare.Errorf(okcare.EINSUFFICIENTFUNDS, "The balance is too low for this amount.")
	} else if err != nil {
		return err
	}
	m.EntryID, m.CreatedAt = token.ID("ent_"), fromMicros(micros(tx.now))
	if _, err := tx.exec(ctx, `INSERT INTO journal_entries (id, movement_id, kind, memo, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.EntryID, m.ID, m.Kind, m.Memo, micros(tx.now)); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO postings (entry_id, account_id, asset, amount, created_at) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)`,
		m.EntryID, postings[0].AccountID, m.Asset, postings[0].Amount.String(), micros(tx.now),
		m.EntryID, postings[1].AccountID, m.Asset, postings[1].Amount.String(), micros(tx.now)); err != nil {
		return err
	}
	for id, bal := range balances {
		if _, err := tx.exec(ctx, `UPDATE ledger_accounts SET balance = ? WHERE id = ?`, bal.String(), id); err != nil {
			return err
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO movements (id, kind, from_user_id, to_user_id, to_merchant_id, asset, amount, memo, entry_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Kind, m.FromUserID, m.ToUserID, m.ToMerchantID, m.Asset, m.Minor.String(), m.Memo, m.EntryID, micros(tx.now))
	return err
}

// lockAccounts reads and locks the two owners' accounts in asset, creating
// them when missing. It locks in (kind, owner) order, so two movements
// between the same owners in opposite directions cannot deadlock.
func lockAccounts(ctx context.Context, tx *Tx, asset string, from, to [2]string) (map[string]*ledger.Account, string, string, error) {
	owners := [][2]string{from, to}
	if from[0] > to[0] || (from[0] == to[0] && from[1] > to[1]) {
		owners[0], owners[1] = to, from
	}
	out := map[string]*ledger.Account{}
	ids := map[[2]string]string{}
	for _, o := range owners {
		a, err := lockAccount(ctx, tx, o[0], o[1], asset)
		if err != nil {
			return nil, "", "", err
		}
		out[a.ID], ids[o] = a, a.ID
	}
	return out, ids[from], ids[to], nil
}

// lockAccount reads an owner's account with a row lock, creating it first
// if it does not exist yet; the common case is one query.
func lockAccount(ctx context.Context, tx *Tx, kind, owner, asset string) (*ledger.Account, error) {
	q := `SELECT id, asset, balance, allow_negative FROM ledger_accounts WHERE owner_kind = ? AND owner_id = ? AND asset = ?` + tx.db.dialect.ForUpdate
	for attempt := 0; ; attempt++ {
		var a ledger.Account
		var bal string
		err := tx.queryRow(ctx, q, kind, owner, asset).Scan(&a.ID, &a.Asset, &bal, &a.AllowNegative)
		if err == nil {
			a.Balance, err = ledger.ParseMinor(bal)
			return &a, err
		}
		if !errors.Is(err, sql.ErrNoRows) || attempt > 0 {
			return nil, err
		}
		_, err = tx.exec(ctx, `INSERT INTO ledger_accounts (id, owner_kind, owner_id, asset, balance, allow_negative) VALUES (?, ?, ?, ?, '0', ?)
			ON CONFLICT (owner_kind, owner_id, asset) DO NOTHING`, token.ID("acc_"), kind, owner, asset, kind == ownerSystem)
		if err != nil {
			return nil, err
		}
	}
}

func findMovement(ctx context.Context, tx *Tx, id string) (*okcare.Movement, error) {
	var m okcare.Movement
	var amount string
	var created int64
	err := tx.queryRow(ctx, `SELECT m.id, m.kind, m.from_user_id, m.to_user_id, m.to_merchant_id, m.asset, a.decimals, m.amount, m.memo, m.entry_id, m.created_at
		FROM movements m JOIN assets a ON a.code = m.asset WHERE m.id = ?`, id).
		Scan(&m.ID, &m.Kind, &m.FromUserID, &m.ToUserID, &m.ToMerchantID, &m.Asset, &m.Decimals, &amount, &m.Memo, &m.EntryID, &created)
	if err != nil {
		return nil, err
	}
	m.CreatedAt = fromMicros(created)
	m.Minor, err = ledger.ParseMinor(amount)
	return &m, err
}

// Deposit credits a user from the treasury of the asset.
func (db *DB) Deposit(ctx context.Context, userID, assetCode, amount, memo string) (*okcare.Movement, error) {
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
		return book(ctx, tx, m, ownerSystem, treasuryID, ownerUser, userID)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Transactions returns the user's postings newest first, keyset-paginated
// by posting sequence number.
func (db *DB) Transactions(ctx context.Context, userID string, before int64, limit int) ([]*okcare.Transaction, int64, error) {
	if before <= 0 {
		before = 1<<62 - 1
	}
	rows, err := db.query(ctx, `SELECT p.seq, p.entry_id, e.movement_id, e.kind, p.asset, s.decimals, p.amount, e.memo, p.created_at
		FROM postings p
		JOIN ledger_accounts l ON l.id = p.account_id
		JOIN journal_entries e ON e.id = p.entry_id
		JOIN assets s ON s.code = p.asset
		WHERE l.owner_kind = ? AND l.owner_id = ? AND p.seq < ?
		ORDER BY p.seq DESC LIMIT ?`, ownerUser, userID, before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*okcare.Transaction
	for rows.Next() {
		var t okcare.Transaction
		var amount string
		var created int64
		if err := rows.Scan(&t.Seq, &t.EntryID, &t.MovementID, &t.Kind, &t.Asset, &t.Decimals, &amount, &t.Memo, &created); err != nil {
			return nil, 0, err
		}
		if t.Minor, err = ledger.ParseMinor(amount); err != nil {
			return nil, 0, err
		}
		t.CreatedAt = fromMicros(created)
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}

// CheckInvariants verifies the whole ledger: every entry sums to zero per
// asset and every balance equals the sum of its account's postings.
func (db *DB) CheckInvariants(ctx context.Context) error {
	rows, err := db.query(ctx, `SELECT entry_id, account_id, asset, amount FROM postings ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	entrySums := map[string]*big.Int{}
	accountSums := map[string]*big.Int{}
	for rows.Next() {
		var entry, account, asset, amount string
		if err := rows.Scan(&entry, &account, &asset, &amount); err != nil {
			return err
		}
		n, err := ledger.ParseMinor(amount)
		if err != nil {
			return err
		}
		add(entrySums, entry+"/"+asset, n)
		add(accountSums, account, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k, s := range entrySums {
		if s.Sign() != 0 {
			return fmt.Errorf("entry %s does not balance: %s", k, s)
		}
	}
	accRows, err := db.query(ctx, `SELECT id, balance, allow_negative FROM ledger_accounts`)
	if err != nil {
		return err
	}
	defer accRows.Close()
	for accRows.Next() {
		var id, bal string
		var allowNegative bool
		if err := accRows.Scan(&id, &bal, &allowNegative); err != nil {
			return err
		}
		want := accountSums[id]
		if want == nil {
			want = new(big.Int)
		}
		if bal != want.String() {
			return fmt.Errorf("account %s balance %s, postings sum %s", id, bal, want)
		}
		if want.Sign() < 0 && !allowNegative {
			return fmt.Errorf("account %s is negative", id)
		}
	}
	return accRows.Err()
}

func add(m map[string]*big.Int, k string, n *big.Int) {
	if m[k] == nil {
		m[k] = new(big.Int)
	}
	m[k].Add(m[k], n)
}
