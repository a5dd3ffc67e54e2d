package ledger

import (
	"errors"
	"fmt"
	"math/big"
)

// Posting is one line of a journal entry: a signed amount, in minor units,
// booked to one ledger account. Positive is a credit to the account's
// balance, negative a debit.
type Posting struct {
	AccountID string
	Asset     string
	Amount    *big.Int
}

// Account is the state of a ledger account needed to check an entry.
type Account struct {
	ID    string
	Asset string
	// Balance is the balance before the entry.
	Balance *big.Int
	// AllowNegative is true only for system accounts (treasury, fees).
	AllowNegative bool
}

// Errors returned by Apply.
var (
	ErrUnbalanced        = errors.New("postings do not sum to zero per asset")
	ErrEmptyEntry        = errors.New("entry has fewer than two postings")
	ErrZeroPosting       = errors.New("posting amount is zero")
	ErrUnknownAccount    = errors.New("posting to unknown account")
	ErrAssetMismatch     = errors.New("posting asset differs from account asset")
	ErrInsufficientFunds = errors.New("insufficient funds")
)

// Apply checks the double-entry invariants of postings against the accounts
// they touch and returns each touched account's new balance. It changes
// nothing: on any error the caller must not write. The invariants are: at
// least two postings, none zero, each in its account's asset, the postings of
// each asset summing to zero, and no account that disallows it going below
// zero.
func Apply(accounts map[string]*Account, postings []Posting) (map[string]*big.Int, error) {
	if len(postings) < 2 {
		return nil, ErrEmptyEntry
	}
	sums := map[string]*big.Int{}
	next := map[string]*big.Int{}
	for _, p := range postings {
		if p.Amount == nil || p.Amount.Sign() == 0 {
			return nil, ErrZeroPosting
		}
		acc, ok := accounts[p.AccountID]
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrUnknownAccount, p.AccountID)
		}
		if acc.Asset != p.Asset {
			return nil, ErrAssetMismatch
		}
		if sums[p.Asset] == nil {
			sums[p.Asset] = new(big.Int)
		}
		sums[p.Asset].Add(sums[p.Asset], p.Amount)
		if next[p.AccountID] == nil {
			next[p.AccountID] = new(big.Int).Set(acc.Balance)
		}
		next[p.AccountID].Add(next[p.AccountID], p.Amount)
	}
	for _, s := range sums {
		if s.Sign() != 0 {
			return nil, ErrUnbalanced
		}
	}
	for id, bal := range next {
		if bal.Sign() < 0 && !accounts[id].AllowNegative {
			return nil, ErrInsufficientFunds
		}
	}
	return next, nil
}

// Move builds the two postings that move amount of asset from one account to
// another.
func Move(from, to, asset string, amount *big.Int) []Posting {
	return []Posting{
		{AccountID: from, Asset: asset, Amount: new(big.Int).Neg(amount)},
		{AccountID: to, Asset: asset, Amount: new(big.Int).Set(amount)},
	}
}
