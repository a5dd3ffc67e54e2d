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

// findAsset returns an asset by code.
//
// Assets are never changed or removed once created, so a found asset is
// kept in memory; every movement needs one.
func (db *DB) findAsset(ctx context.Context, code string) (*okcare.Asset, error) {
	if a, ok := db.assets.Load(code); ok {
		return a.(*okcare.Asset), nil
	}
	var a okcare.Asset
	err := db.queryRow(ctx, `SELECT code, name, decimals FROM assets WHERE code = ?`, code).Scan(&a.Code, &a.Name, &a.Decimals)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.EUNKNOWNASSET, "Unknown asset %q.", code)
	} else if err != nil {
		return nil, err
	}
	db.assets.Store(code, &a)
	return &a, nil
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
	case strings.IndexByte(req.Memo, 0) >= 0:
		// Refused here, not when the batch writes it: a write that fails
		// fails the whole batch.
		return errNUL
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
	asset, amount, err := db.prepareMove(ctx, req)
	if err != nil {
		return nil, err
	}
	if db.group != nil {
		return db.group.submit(ctx, req, asset, amount)
	}
	m, err := db.move(ctx, req, asset, amount)
	for attempt := 1; attempt < moveAttempts && db.retryable(err); attempt++ {
		m, err = db.move(ctx, req, asset, amount) // a deadlock victim, rolled back: again
	}
	if err != nil && db.dialect.IsUniqueViolation(err) {
		// A concurrent request with the same key committed first: answer as
		// for a repeat.
		m, err = db.move(ctx, req, asset, amount)
	}
	return m, err
}

// prepareMove validates a request and parses its amount in its asset.
func (db *DB) prepareMove(ctx context.Context, req okcare.MovementRequest) (*okcare.Asset, *big.Int, error) {
	if err := validateMovement(req); err != nil {
		return nil, nil, err
	}
	asset, err := db.findAsset(ctx, req.Asset)
	if err != nil {
		return nil, nil, err
	}
	amount, err := ledger.ParseAmount(req.Amount, asset.Decimals)
	if err != nil {
		return nil, nil, okcare.Errorf(okcare.EINVALIDAMOUNT, "amount must be a positive decimal with at most %d decimals for %s.", asset.Decimals, asset.Code)
	}
	return asset, amount, nil
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

// moveTx executes a validated movement inside tx: it decides it, then
// writes it.
func moveTx(ctx context.Context, tx *Tx, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, error) {
	m, b, err := decideMove(ctx, tx, newBookings(), req, asset, amount)
	if err != nil || b == nil {
		return m, err
	}
	return m, writeBookings(ctx, tx, []*booking{b})
}

// decideMove answers a repeated idempotency key from the stored (or this
// batch's) result, else checks the sender, resolves the recipient and
// decides the entry, returning its booking for writeBookings. A replay
// returns the earlier movement and no booking.
func decideMove(ctx context.Context, tx *Tx, bs *bookings, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, *booking, error) {
	if earlier, ok := bs.keys[[2]string{req.FromUserID, req.IdempotencyKey}]; ok {
		if earlier.key.RequestHash != req.RequestHash {
			return nil, nil, errKeyReused()
		}
		m := *earlier.m
		m.Replayed = true
		return &m, nil, nil
	}
	sender, hash, movementID, err := findSender(ctx, tx, bs.pre, req)
	if err != nil {
		return nil, nil, err
	}
	if movementID != "" {
		if hash != req.RequestHash {
			return nil, nil, errKeyReused()
		}
		m, err := findMovement(ctx, tx, movementID)
		if m != nil {
			m.Replayed = true
		}
		return m, nil, err
	}
	switch sender.EffectiveState(tx.now) {
	case okcare.AccountFrozen:
		return nil, nil, okcare.Errorf(okcare.EACCOUNTFROZEN, "The account is frozen and cannot move money.")
	case okcare.AccountClosed:
		return nil, nil, okcare.Errorf(okcare.EACCOUNTCLOSED, "The account is closed.")
	}
	m := &okcare.Movement{ID: token.ID(movementPrefix(req.Kind)), Kind: req.Kind, FromUserID: sender.ID, Asset: asset.Code, Decimals: asset.Decimals, Minor: amount, Memo: req.Memo}
	toKind, toID, err := resolveRecipient(ctx, tx, bs.pre, req, sender)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND && req.Kind != okcare.KindPayment {
		// A sender who could not pay anyway learns nothing of who has an
		// account: the answer is the one an existing recipient would get.
		if covered, cerr := senderCovers(ctx, tx, bs, sender.ID, asset.Code, amount); cerr != nil {
			return nil, nil, cerr
		} else if !covered {
			return nil, nil, okcare.Errorf(okcare.EINSUFFICIENTFUNDS, "The balance is too low for this amount.")
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if toKind == ownerUser {
		m.ToUserID = toID
	} else {
		m.ToMerchantID = toID
	}
	b, err := decideBook(ctx, tx, bs, m, ownerUser, sender.ID, toKind, toID)
	if err != nil {
		return nil, nil, err
	}
	b.key = &req
	if b.alert, err = decideMoneyAlert(ctx, tx, bs, sender, m, asset); err != nil {
		return nil, nil, err
	}
	return m, b, nil
}

// senderCovers reports whether the user's balance in asset (as this batch
// has left it) covers amount. It is asked only on the refusal path.
func senderCovers(ctx context.Context, tx *Tx, bs *bookings, userID, asset string, amount *big.Int) (bool, error) {
	var id, balance string
	err := tx.queryRow(ctx, `SELECT id, balance FROM ledger_accounts WHERE owner_kind = ? AND owner_id = ? AND asset = ?`, ownerUser, userID, asset).Scan(&id, &balance)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	have, ok := new(big.Int).SetString(balance, 10)
	if a, seen := bs.accounts[id]; seen {
		have, ok = a.Balance, true
	}
	return ok && have.Cmp(amount) >= 0, nil
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

// errKeyReused answers a known idempotency key sent with another request.
func errKeyReused() error {
	return okcare.Errorf(okcare.EIDEMPOTENCYMISMATCH, "This Idempotency-Key was used with a different request.")
}

// findSender locks the sender and finds an earlier use of the key, in one
// query unless the batch prefetched both.
func findSender(ctx context.Context, tx *Tx, pre *prefetched, req okcare.MovementRequest) (u *okcare.User, hash, movementID string, err error) {
	if pre != nil {
		u, asked := pre.senders[req.FromUserID]
		k, keyAsked := pre.keys[[2]string{req.FromUserID, req.IdempotencyKey}]
		if asked || keyAsked {
			if u == nil {
				return nil, "", "", okcare.Errorf(okcare.ENOTFOUND, "User not found.")
			}
			copied := *u
			return &copied, k[0], k[1], nil
		}
	}
	u, err = scanUser(tx.queryRow(ctx, `SELECT u.id, COALESCE(u.email, ''), COALESCE(u.phone, ''), u.state, u.state_reason, u.restricted_until,
		u.totp_secret IS NOT NULL, u.lang, u.created_at, COALESCE(k.request_hash, ''), COALESCE(k.movement_id, '')
		FROM users u LEFT JOIN idempotency_keys k ON k.user_id = u.id AND k.key = ?
		WHERE u.id = ?`+tx.db.dialect.forUpdateOf("u"), req.IdempotencyKey, req.FromUserID), &hash, &movementID)
	return u, hash, movementID, err
}

// resolveRecipient finds the receiving user (by id, email or phone) or merchant.
func resolveRecipient(ctx context.Context, tx *Tx, pre *prefetched, req okcare.MovementRequest, sender *okcare.User) (kind, id string, err error) {
	if req.Kind == okcare.KindPayment {
		found, asked := false, false
		if pre != nil {
			found, asked = pre.merchants[req.ToMerchant]
		}
		if asked {
			id = req.ToMerchant
			if !found {
				err = sql.ErrNoRows
			}
		} else {
			err = tx.queryRow(ctx, `SELECT id FROM merchants WHERE id = ?`, req.ToMerchant).Scan(&id)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", okcare.Errorf(okcare.ENOTFOUND, "Unknown merchant.")
		}
		return ownerMerchant, id, err
	}
	var state string
	var r recipient
	asked := false
	if pre != nil {
		r, asked = pre.recipientOf(req.ToUser)
	}
	switch {
	case asked:
		id, state = r.id, r.state
		if id == "" {
			err = sql.ErrNoRows
		}
	case isUserID(req.ToUser):
		err = tx.queryRow(ctx, `SELECT id, state FROM users WHERE id = ?`, req.ToUser).Scan(&id, &state)
	default:
		login := NormalizeLogin(req.ToUser)
		err = tx.queryRow(ctx, `SELECT id, state FROM users WHERE email = ? OR phone = ?`, login, login).Scan(&id, &state)
	}
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

// lockAccounts reads and locks the two owners' accounts in asset, creating
// them when missing. It locks in (kind, owner) order, so two movements
// between the same owners in opposite directions cannot deadlock. The
// common case, both accounts there, is one query.
func lockAccounts(ctx context.Context, tx *Tx, pre *prefetched, asset string, from, to [2]string) (map[string]*ledger.Account, string, string, error) {
	out := map[string]*ledger.Account{}
	ids := map[[2]string]string{}
	if pre != nil {
		a, b := pre.accounts[[3]string{from[0], from[1], asset}], pre.accounts[[3]string{to[0], to[1], asset}]
		if a != nil && b != nil {
			ca, cb := *a, *b
			out[a.ID], out[b.ID] = &ca, &cb
			return out, a.ID, b.ID, nil
		}
	}
	q := `SELECT id, owner_kind, owner_id, balance, allow_negative FROM ledger_accounts
		WHERE asset = ? AND ((owner_kind = ? AND owner_id = ?) OR (owner_kind = ? AND owner_id = ?))`
	if tx.db.dialect.ForUpdate != "" {
		// Rows are locked in the order they are read.
		q += ` ORDER BY owner_kind, owner_id` + tx.db.dialect.ForUpdate
	}
	rows, err := tx.query(ctx, q, asset, from[0], from[1], to[0], to[1])
	if err != nil {
		return nil, "", "", err
	}
	defer rows.Close()
	for rows.Next() {
		a := &ledger.Account{Asset: asset}
		var owner [2]string
		var bal string
		if err := rows.Scan(&a.ID, &owner[0], &owner[1], &bal, &a.AllowNegative); err != nil {
			return nil, "", "", err
		}
		if a.Balance, err = ledger.ParseMinor(bal); err != nil {
			return nil, "", "", err
		}
		out[a.ID], ids[owner] = a, a.ID
	}
	if err := rows.Err(); err != nil {
		return nil, "", "", err
	}
	rows.Close()
	if len(out) < 2 {
		// A first movement for an owner in this asset: create what is
		// missing, one owner at a time in lock order.
		owners := [][2]string{from, to}
		if from[0] > to[0] || (from[0] == to[0] && from[1] > to[1]) {
			owners[0], owners[1] = to, from
		}
		for _, o := range owners {
			if _, ok := ids[o]; ok {
				continue
			}
			a, err := lockAccount(ctx, tx, o[0], o[1], asset)
			if err != nil {
				return nil, "", "", err
			}
			out[a.ID], ids[o] = a, a.ID
		}
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
		if err := createAccount(ctx, tx, kind, owner, asset); err != nil {
			return nil, err
		}
	}
}

// createAccount creates an owner's empty account in asset unless it exists.
func createAccount(ctx context.Context, tx *Tx, kind, owner, asset string) error {
	_, err := tx.exec(ctx, `INSERT INTO ledger_accounts (id, owner_kind, owner_id, asset, balance, allow_negative) VALUES (?, ?, ?, ?, '0', ?)
		ON CONFLICT (owner_kind, owner_id, asset) DO NOTHING`, token.ID("acc_"), kind, owner, asset, kind == ownerSystem)
	return err
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
	rows, err := db.query(ctx, `SELECT p.seq, p.entry_id, e.movement_id, e.kind, p.asset, s.decimals, p.amount, e.memo, p.created_at,
		COALESCE(m.from_user_id, ''), COALESCE(m.to_user_id, ''), COALESCE(m.to_merchant_id, ''), COALESCE(m.chain_tx, '')
		FROM postings p
		JOIN ledger_accounts l ON l.id = p.account_id
		JOIN journal_entries e ON e.id = p.entry_id
		JOIN assets s ON s.code = p.asset
		LEFT JOIN movements m ON m.id = e.movement_id
		WHERE l.owner_kind = ? AND l.owner_id = ? AND p.seq < ?
		ORDER BY p.seq DESC LIMIT ?`, ownerUser, userID, before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*okcare.Transaction
	var others []pair // the other side of each line, named below
	for rows.Next() {
		var t okcare.Transaction
		var amount string
		var created int64
		var side pair
		if err := rows.Scan(&t.Seq, &t.EntryID, &t.MovementID, &t.Kind, &t.Asset, &t.Decimals, &amount, &t.Memo, &created,
			&side.from, &side.toUser, &side.toMerchant, &t.ChainTx); err != nil {
			return nil, 0, err
		}
		others = append(others, side)
		if t.Minor, err = ledger.ParseMinor(amount); err != nil {
			return nil, 0, err
		}
		t.CreatedAt = fromMicros(created)
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	var next int64
	if len(out) > limit {
		out, others = out[:limit], others[:limit]
		next = out[limit-1].Seq
	}
	return out, next, db.nameCounterparties(ctx, out, others)
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
