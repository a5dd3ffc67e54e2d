package okcare

import (
	"context"
	"math/big"
	"time"
)

// Asset is a currency or token the wallet holds, with the number of decimals
// of its minor unit (CNY 2, USDT 6, BTC 8, ETH 18).
type Asset struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Decimals int    `json:"decimals"`
}

// Balance is a user's holding of one asset, in minor units.
type Balance struct {
	Asset    string
	Decimals int
	Minor    *big.Int
}

// MovementKind tells a user-to-user transfer from a payment to a merchant.
type MovementKind string

// Movement kinds.
const (
	KindTransfer MovementKind = "transfer"
	KindPayment  MovementKind = "payment"
	KindDeposit  MovementKind = "deposit"
)

// MovementKinds lists every movement kind, for pages that label them.
var MovementKinds = []MovementKind{KindTransfer, KindPayment, KindDeposit}

// MovementRequest asks to move money out of a user's account. Exactly one of
// ToUser (a user id, email or phone) and ToMerchant is set, by kind.
type MovementRequest struct {
	Kind           MovementKind
	FromUserID     string
	ToUser         string
	ToMerchant     string
	Asset          string
	Amount         string // decimal text in major units, e.g. "12.50"
	Memo           string
	IdempotencyKey string
	// RequestHash fingerprints the request body so that a reused key with a
	// different body can be told apart.
	RequestHash string
}

// Movement is a completed transfer, payment or deposit.
type Movement struct {
	ID           string       `json:"id"`
	Kind         MovementKind `json:"kind"`
	FromUserID   string       `json:"from_user_id,omitempty"`
	ToUserID     string       `json:"to_user_id,omitempty"`
	ToMerchantID string       `json:"to_merchant_id,omitempty"`
	Asset        string       `json:"asset"`
	Decimals     int          `json:"-"`
	Minor        *big.Int     `json:"-"`
	Memo         string       `json:"memo,omitempty"`
	EntryID      string       `json:"entry_id"`
	CreatedAt    time.Time    `json:"created_at"`
	// Replayed is true when the result was returned for a repeated
	// idempotency key rather than executed now.
	Replayed bool `json:"-"`
}

// Transaction is one line of a user's history: a posting to one of the
// user's accounts with the entry it belongs to.
type Transaction struct {
	EntryID    string       `json:"entry_id"`
	MovementID string       `json:"movement_id"`
	Kind       MovementKind `json:"kind"`
	Asset      string       `json:"asset"`
	Decimals   int          `json:"-"`
	Minor      *big.Int     `json:"-"` // signed: negative leaves the account
	Memo       string       `json:"memo,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
	Seq        int64        `json:"-"`
	// Counterparty is the other side, in words: the recipient of money
	// that left (a user's masked registered contact, or a merchant's
	// name), the sender of money that came in; "" for a deposit.
	Counterparty string `json:"counterparty,omitempty"`
	// ChainTx is the on-chain hash of a deposit from a chain.
	ChainTx string `json:"chain_tx,omitempty"`
}

// Merchant receives payments.
type Merchant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// LedgerService moves money on the double-entry ledger.
type LedgerService interface {
	// Assets lists the configured assets.
	Assets(ctx context.Context) ([]*Asset, error)

	// CreateAsset adds an asset. Returns EINVALID, ECONFLICT.
	CreateAsset(ctx context.Context, a *Asset) error

	// CreateMerchant adds a merchant. Returns EINVALID, ECONFLICT.
	CreateMerchant(ctx context.Context, m *Merchant) error

	// Balances returns the user's balance in every asset, zero included.
	Balances(ctx context.Context, userID string) ([]*Balance, error)

	// Move executes a transfer or payment exactly once per idempotency key.
	// The same key with the same request hash returns the first result; with
	// a different hash it returns EIDEMPOTENCYMISMATCH. Returns EINVALID,
	// EINVALIDAMOUNT, EUNKNOWNASSET, ENOTFOUND (recipient),
	// EINSUFFICIENTFUNDS, EACCOUNTFROZEN, EACCOUNTCLOSED.
	Move(ctx context.Context, req MovementRequest) (*Movement, error)

	// Deposit credits a user from the treasury (demo data and tests; a real
	// deployment books deposits from its custody system).
	Deposit(ctx context.Context, userID, asset, amount, memo string) (*Movement, error)

	// Transactions returns the user's history newest first, at most limit
	// lines older than the cursor (0 for the newest), and the cursor of the
	// next page (0 when there is none).
	Transactions(ctx context.Context, userID string, before int64, limit int) ([]*Transaction, int64, error)

	// CheckInvariants verifies that every entry balances per asset and that
	// each stored balance equals the sum of its postings. It is for tests and
	// operators, not hot paths.
	CheckInvariants(ctx context.Context) error
}
