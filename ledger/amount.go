// Package ledger is the pure arithmetic of okcare's double-entry ledger:
// amounts in integer minor units of arbitrary size, their decimal text form,
// and the invariants every journal entry must satisfy. It does no I/O.
package ledger

import (
	"errors"
	"math/big"
	"strings"
)

// MaxDecimals is the largest number of decimals an asset may have (ETH uses 18).
const MaxDecimals = 18

// maxDigits bounds the integer part of a parsed amount so that a hostile
// request cannot make us allocate or compute with huge numbers.
const maxDigits = 40

// ErrInvalidAmount is returned for text that is not a positive decimal amount
// representable in the asset's minor units.
var ErrInvalidAmount = errors.New("invalid amount")

// ParseAmount parses a positive decimal string such as "12.5" into minor
// units of an asset with the given decimals ("12.5" with 2 decimals is 1250).
// It rejects signs, exponents, spaces, more fractional digits than the asset
// has, and zero.
func ParseAmount(s string, decimals int) (*big.Int, error) {
	if decimals < 0 || decimals > MaxDecimals || s == "" {
		return nil, ErrInvalidAmount
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") || len(frac) > decimals || len(whole) > maxDigits {
		return nil, ErrInvalidAmount
	}
	if !allDigits(whole) || !allDigits(frac) {
		return nil, ErrInvalidAmount
	}
	digits := whole + frac + strings.Repeat("0", decimals-len(frac))
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok || n.Sign() <= 0 {
		return nil, ErrInvalidAmount
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatAmount renders minor units as a decimal string with exactly the
// asset's number of decimals: 1250 with 2 decimals is "12.50".
func FormatAmount(minor *big.Int, decimals int) string {
	neg := minor.Sign() < 0
	digits := new(big.Int).Abs(minor).String()
	if decimals > 0 {
		if len(digits) <= decimals {
			digits = strings.Repeat("0", decimals-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// ParseMinor parses the stored form of an amount: a signed base-10 integer.
func ParseMinor(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || len(s) > maxDigits+MaxDecimals+1 {
		return nil, ErrInvalidAmount
	}
	return n, nil
}
