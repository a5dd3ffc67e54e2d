package http

import (
	"strconv"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/ledger"
)

// causeCodes are the ticket categories the queue filters by.
var causeCodes = diagnose.Causes

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// moneyLine is an amount formatted for people.
type moneyLine struct {
	Asset, Amount string
	Negative      bool
}

func balanceLines(list []*okcare.Balance) []moneyLine {
	out := make([]moneyLine, 0, len(list))
	for _, b := range list {
		if b.Minor.Sign() == 0 {
			continue // every asset has a row; only holdings matter here
		}
		out = append(out, moneyLine{Asset: b.Asset, Amount: ledger.FormatAmount(b.Minor, b.Decimals)})
	}
	return out
}

// transactionLine is one line of the recent-transactions table.
type transactionLine struct {
	*okcare.Transaction
	Amount   string
	Negative bool
}

func transactionLines(list []*okcare.Transaction) []transactionLine {
	out := make([]transactionLine, 0, len(list))
	for _, t := range list {
		out = append(out, transactionLine{Transaction: t, Amount: ledger.FormatAmount(t.Minor, t.Decimals), Negative: t.Minor.Sign() < 0})
	}
	return out
}

// labelOf is m[prefix+key], or key itself when there is no label.
func labelOf(m map[string]string, prefix, key string) string {
	if l, ok := m[prefix+key]; ok {
		return l
	}
	return key
}

func timeLeftPtr(now time.Time, due *time.Time) string {
	if due == nil {
		return "—"
	}
	return timeLeft(now, *due)
}
