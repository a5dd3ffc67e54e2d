package sqldb

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
	"github.com/okcare/okcare/token"
)

// Money moves in two steps. Deciding reads and checks (the sender, the
// recipient, the balances, the idempotency key) and writes nothing but a
// missing ledger account; writing stores the decided entries. A lone
// movement decides and writes at once. The group committer decides a whole
// batch, each movement seeing the ones before it, and writes the batch with
// a few multi-row statements: the checks are the same code either way.

// booking is a movement that passed every check and is ready to write.
type booking struct {
	m        *okcare.Movement
	postings []ledger.Posting
	// balances are the touched accounts with their balances after the entry.
	balances map[string]*ledger.Account
	// key is the idempotency key to record; deposits have none.
	key *okcare.MovementRequest
	// alert is the security alert the movement calls for, if any.
	alert *moneyAlert
}

// bookings is what a transaction has decided but not yet written, so that
// each decision sees the earlier ones.
type bookings struct {
	pre      *prefetched // nil: every read is a query
	list     []*booking
	accounts map[string]*ledger.Account // account id -> balance after the list
	keys     map[[2]string]*booking     // (user id, key) -> its booking
	pairs    map[pair]bool              // who paid whom in the list
}

func newBookings() *bookings {
	return &bookings{accounts: map[string]*ledger.Account{}, keys: map[[2]string]*booking{}, pairs: map[pair]bool{}}
}

// add records a decided booking.
func (bs *bookings) add(b *booking) {
	bs.list = append(bs.list, b)
	for id, a := range b.balances {
		bs.accounts[id] = a
	}
	if b.key != nil {
		bs.keys[[2]string{b.key.FromUserID, b.key.IdempotencyKey}] = b
	}
	if b.m.FromUserID != "" {
		bs.pairs[pair{b.m.FromUserID, b.m.ToUserID, b.m.ToMerchantID}] = true
	}
}

// decideBook checks moving m.Minor from one owner to another against the
// locked balances (and the batch's earlier bookings) and returns the entry.
func decideBook(ctx context.Context, tx *Tx, bs *bookings, m *okcare.Movement, fromKind, fromID, toKind, toID string) (*booking, error) {
	accounts, from, to, err := lockAccounts(ctx, tx, bs.pre, m.Asset, [2]string{fromKind, fromID}, [2]string{toKind, toID})
	if err != nil {
		return nil, err
	}
	for id := range accounts {
		if a, ok := bs.accounts[id]; ok {
			accounts[id] = a
		}
	}
	postings := ledger.Move(from, to, m.Asset, m.Minor)
	next, err := ledger.Apply(accounts, postings)
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		return nil, okcare.Errorf(okcare.EINSUFFICIENTFUNDS, "The balance is too low for this amount.")
	} else if err != nil {
		return nil, err
	}
	m.EntryID, m.CreatedAt = token.ID("ent_"), fromMicros(micros(tx.now))
	b := &booking{m: m, postings: postings, balances: map[string]*ledger.Account{}}
	for id, bal := range next {
		a := *accounts[id]
		a.Balance = bal
		b.balances[id] = &a
	}
	return b, nil
}

// book decides and writes one entry.
func book(ctx context.Context, tx *Tx, m *okcare.Movement, fromKind, fromID, toKind, toID string) error {
	b, err := decideBook(ctx, tx, newBookings(), m, fromKind, fromID, toKind, toID)
	if err != nil {
		return err
	}
	return writeBookings(ctx, tx, []*booking{b})
}

// writeBookings stores decided bookings: journal entries, postings, new
// balances, movements, idempotency keys and the alerts they call for, each
// table in as few statements as the batch allows (on PostgreSQL one
// statement for them all, see writeBookingsOnce).
func writeBookings(ctx context.Context, tx *Tx, list []*booking) error {
	if len(list) == 0 {
		return nil
	}
	r := newBookingRows(tx, list)
	if tx.db.dialect.ArrayParams {
		return writeBookingsOnce(ctx, tx, r)
	}
	steps := []struct {
		prefix string
		cols   int
		rows   [][]any
		suffix string
	}{
		{`INSERT INTO journal_entries (id, movement_id, kind, memo, created_at) VALUES `, 5, r.entries, ``},
		{`INSERT INTO postings (entry_id, account_id, asset, amount, created_at) VALUES `, 5, r.postings, ``},
		// All new balances in one statement (VALUES columns are named
		// column1, column2... in both stores).
		{`UPDATE ledger_accounts SET balance = v.column2 FROM (VALUES `, 2, r.balances, `) AS v WHERE ledger_accounts.id = v.column1`},
		{`INSERT INTO movements (id, kind, from_user_id, to_user_id, to_merchant_id, asset, amount, memo, entry_id, created_at) VALUES `, 10, r.movements, ``},
		{`INSERT INTO idempotency_keys (user_id, key, request_hash, movement_id, created_at) VALUES `, 5, r.keys, ``},
		{`INSERT INTO notifications (` + newNotificationColumns + `) VALUES `, 11, r.notifications, ``},
	}
	for _, s := range steps {
		if err := insertRows(ctx, tx, s.prefix, s.cols, s.rows, s.suffix); err != nil {
			return err
		}
	}
	return queueDeliveries(ctx, tx, r.notificationIDs)
}

// bookingRows are the rows that bookings write, table by table.
type bookingRows struct {
	entries, postings, balances, movements, keys, notifications [][]any
	notificationIDs                                             []string
}

func newBookingRows(tx *Tx, list []*booking) *bookingRows {
	now := micros(tx.now)
	r := &bookingRows{}
	final := map[string]*ledger.Account{}
	for _, b := range list {
		m := b.m
		r.entries = append(r.entries, []any{m.EntryID, m.ID, string(m.Kind), m.Memo, now})
		for _, p := range b.postings {
			r.postings = append(r.postings, []any{m.EntryID, p.AccountID, m.Asset, p.Amount.String(), now})
		}
		r.movements = append(r.movements, []any{m.ID, string(m.Kind), m.FromUserID, m.ToUserID, m.ToMerchantID, m.Asset, m.Minor.String(), m.Memo, m.EntryID, now})
		if b.key != nil {
			r.keys = append(r.keys, []any{b.key.FromUserID, b.key.IdempotencyKey, b.key.RequestHash, m.ID, now})
		}
		for id, a := range b.balances {
			final[id] = a // later bookings of the batch hold later balances
		}
	}
	// Balances in id order: the order in which PostgreSQL updates them is
	// then the same for every batch.
	ids := make([]string, 0, len(final))
	for id := range final {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r.balances = append(r.balances, []any{id, final[id].Balance.String()})
	}
	r.notifications, r.notificationIDs = notificationRows(tx, moneyAlertMessages(list))
	return r
}

// insertRows runs prefix + "(?, ...), (?, ...)" + suffix over rows, in
// chunks of power-of-two sizes (at most maxRowsPerStatement) so that the
// statement cache holds a few shapes per table, not one per batch size.
func insertRows(ctx context.Context, tx *Tx, prefix string, cols int, rows [][]any, suffix string) error {
	for len(rows) > 0 {
		n := min(len(rows), maxRowsPerStatement)
		n = 1 << (bits.Len(uint(n)) - 1) // largest power of two <= n
		args := make([]any, 0, n*cols)
		for _, r := range rows[:n] {
			if len(r) != cols {
				return fmt.Errorf("row of %d values for %d columns", len(r), cols)
			}
			args = append(args, r...)
		}
		if _, err := tx.exec(ctx, prefix+valueRows(n, cols)+suffix, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// maxRowsPerStatement keeps a statement's parameters (10 columns at most)
// well under both stores' limits (SQLite 32766, PostgreSQL 65535).
const maxRowsPerStatement = 512

// valueRows returns "(?, ?), (?, ?)" for n rows of cols values.
func valueRows(n, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}
