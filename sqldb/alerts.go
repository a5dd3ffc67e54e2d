package sqldb

import (
	"context"
	"math/big"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
	"github.com/okcare/okcare/notice"
)

// enqueueStateAlert tells the user about a change of their account's
// state; a freeze they asked for themselves is told as such.
func enqueueStateAlert(ctx context.Context, tx *Tx, u *okcare.User, event, reason string) error {
	if event == okcare.EventAccountFrozen && reason == okcare.ReasonCustomerRequest {
		return enqueueAlert(ctx, tx, u, event, "alert_account_frozen_self", nil)
	}
	return enqueueSecurityAlert(ctx, tx, u, event)
}

// DefaultMoneyAlertOver are the amounts, per asset in major units, above
// which money leaving an account alerts its owner (--money-alert-over).
var DefaultMoneyAlertOver = map[string]string{"CNY": "5000", "USDT": "1000", "BTC": "0.01", "ETH": "0.3"}

// moneyAlert is an alert a decided movement calls for, written with it.
type moneyAlert struct {
	user  *okcare.User
	event string
	args  notice.Args
}

// pair names who paid whom: a user, and a user or a merchant.
type pair struct{ from, toUser, toMerchant string }

// overThreshold reports whether amount of asset is above its alert
// threshold (assets without one never are).
func (db *DB) overThreshold(asset *okcare.Asset, amount *big.Int) bool {
	over := db.MoneyAlertOver
	if over == nil {
		over = DefaultMoneyAlertOver
	}
	text, ok := over[asset.Code]
	if !ok {
		return false
	}
	limit, err := ledger.ParseAmount(text, asset.Decimals)
	return err == nil && amount.Cmp(limit) > 0
}

// decideMoneyAlert says whether a movement about to be written alerts its
// sender: when it goes to a recipient the sender has never paid (neither
// earlier nor earlier in the batch), or is above the threshold. Only then
// does it read the recipient's name.
func decideMoneyAlert(ctx context.Context, tx *Tx, bs *bookings, sender *okcare.User, m *okcare.Movement, asset *okcare.Asset) (*moneyAlert, error) {
	p := pair{m.FromUserID, m.ToUserID, m.ToMerchantID}
	fresh := !bs.pairs[p]
	paid, asked := false, false
	if bs.pre != nil {
		paid, asked = bs.pre.paid[p]
	}
	if fresh && asked {
		fresh = !paid
	} else if fresh {
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM movements WHERE from_user_id = ? AND to_user_id = ? AND to_merchant_id = ? LIMIT 1) AS earlier`,
			p.from, p.toUser, p.toMerchant).Scan(&n)
		if err != nil {
			return nil, err
		}
		fresh = n == 0
	}
	event := ""
	switch {
	case fresh:
		event = okcare.EventSentToNewRecipient
	case tx.db.overThreshold(asset, m.Minor):
		event = okcare.EventSentLargeAmount
	default:
		return nil, nil
	}
	recipient, err := alertRecipient(ctx, tx, bs.pre, m)
	if err != nil {
		return nil, err
	}
	u := *sender
	return &moneyAlert{user: &u, event: event, args: notice.Args{"Amount": ledger.FormatAmount(m.Minor, asset.Decimals), "Asset": asset.Code,
		"Recipient": recipient, "Link": tx.db.PublicLink("/support/freeze")}}, nil
}

// alertRecipient names a movement's recipient for its sender's alert: a
// merchant by name, a user by their masked registered contact.
func alertRecipient(ctx context.Context, tx *Tx, pre *prefetched, m *okcare.Movement) (string, error) {
	if m.ToMerchantID != "" {
		if pre != nil {
			if name, ok := pre.merchantNames[m.ToMerchantID]; ok {
				return name, nil
			}
		}
		var name string
		err := tx.queryRow(ctx, `SELECT name FROM merchants WHERE id = ?`, m.ToMerchantID).Scan(&name)
		return name, err
	}
	if pre != nil {
		if c, ok := pre.contacts[m.ToUserID]; ok {
			return mask(c), nil
		}
	}
	var email, phone string
	if err := tx.queryRow(ctx, `SELECT COALESCE(email, ''), COALESCE(phone, '') FROM users WHERE id = ?`, m.ToUserID).Scan(&email, &phone); err != nil {
		return "", err
	}
	if email == "" {
		email = phone
	}
	return mask(email), nil
}

// moneyAlertMessages are the messages of the alerts of bookings.
func moneyAlertMessages(list []*booking) []outgoing {
	var msgs []outgoing
	for _, b := range list {
		if a := b.alert; a != nil {
			msgs = append(msgs, alertMessages(a.user, a.event, "alert_"+a.event, a.args)...)
		}
	}
	return msgs
}

// alertRecoveryCodeUsed tells a customer that one of their recovery codes
// was just used, and how many are left.
func alertRecoveryCodeUsed(ctx context.Context, tx *Tx, userID string) error {
	u, err := findUserByID(ctx, tx, userID)
	if err != nil {
		return err
	}
	var left int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&left); err != nil {
		return err
	}
	return enqueueAlert(ctx, tx, u, okcare.EventRecoveryCodeUsed, "alert_"+okcare.EventRecoveryCodeUsed, notice.Args{"Left": left, "Link": tx.db.PublicLink("/support/freeze")})
}
