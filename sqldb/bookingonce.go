package sqldb

import (
	"context"
	"fmt"
	"strings"
)

// writeBookingsOnce writes what newBookingRows gathered in one statement,
// where the dialect takes whole columns as array parameters (PostgreSQL):
// a data-modifying WITH whose parts insert each table's rows from
// unnest(column arrays) and update the balances. A batch is then one
// round trip and one statement shape whatever its size, instead of a few
// statements per table in power-of-two chunks.
func writeBookingsOnce(ctx context.Context, tx *Tx, r *bookingRows) error {
	var args []any
	for _, t := range []struct {
		rows  [][]any
		types string
	}{
		{r.entries, entryTypes}, {r.postings, postingTypes}, {r.balances, balanceTypes}, {r.movements, movementTypes},
		{r.keys, keyTypes}, {r.notifications, notificationTypes},
	} {
		cols, err := arrayColumns(t.rows, t.types)
		if err != nil {
			return err
		}
		args = append(args, cols...)
	}
	if hasNULArrays(args) {
		return errNUL
	}
	journal := len(entryTypes) + len(postingTypes)
	for i, part := range [][]any{args[:journal], args[journal:]} {
		if _, err := tx.exec(ctx, writeBookingsStatements[i], part...); err != nil {
			return err
		}
	}
	return queueDeliveries(ctx, tx, r.notificationIDs)
}

// Column types of each table's rows, in newBookingRows' order: t text,
// i bigint.
const (
	entryTypes        = "tttti"
	postingTypes      = "tttti"
	balanceTypes      = "tt"
	movementTypes     = "ttttttttti"
	keyTypes          = "tttti"
	notificationTypes = "ttttttttitt"
)

// writeBookingsStatements are the statements of writeBookingsOnce: the
// journal and then everything else. The parts of a WITH see one snapshot
// and none sees another's rows; foreign keys are checked at the end of
// each statement. Postings are written before the balances change, so
// that their check of the account finds the row version the batch has
// locked already instead of locking the new one (a WAL record each).
var writeBookingsStatements = [2]string{`WITH
	e AS (INSERT INTO journal_entries (id, movement_id, kind, memo, created_at) SELECT * FROM ` + unnest(entryTypes) + `)
INSERT INTO postings (entry_id, account_id, asset, amount, created_at) SELECT * FROM ` + unnest(postingTypes),
	`WITH
	b AS (UPDATE ledger_accounts SET balance = v.balance FROM ` + unnest(balanceTypes) + ` AS v(id, balance) WHERE ledger_accounts.id = v.id),
	m AS (INSERT INTO movements (id, kind, from_user_id, to_user_id, to_merchant_id, asset, amount, memo, entry_id, created_at) SELECT * FROM ` + unnest(movementTypes) + `),
	k AS (INSERT INTO idempotency_keys (user_id, key, request_hash, movement_id, created_at) SELECT * FROM ` + unnest(keyTypes) + `)
INSERT INTO notifications (` + newNotificationColumns + `) SELECT * FROM ` + unnest(notificationTypes)}

// unnest returns "unnest(?::text[], ?::bigint[], ...)" for column types.
func unnest(types string) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = "?::" + map[rune]string{'t': "text", 'i': "bigint"}[t] + "[]"
	}
	return "unnest(" + strings.Join(parts, ", ") + ")"
}

// arrayColumns turns rows into one slice per column ([]string for text,
// []int64 for bigint), checking each value's type.
func arrayColumns(rows [][]any, types string) ([]any, error) {
	cols := make([]any, len(types))
	for c, t := range types {
		switch t {
		case 't':
			col := make([]string, len(rows))
			for i, r := range rows {
				s, ok := r[c].(string)
				if !ok {
					return nil, fmt.Errorf("column %d of %q: %T is not text", c, types, r[c])
				}
				col[i] = s
			}
			cols[c] = col
		case 'i':
			col := make([]int64, len(rows))
			for i, r := range rows {
				n, ok := r[c].(int64)
				if !ok {
					return nil, fmt.Errorf("column %d of %q: %T is not bigint", c, types, r[c])
				}
				col[i] = n
			}
			cols[c] = col
		}
	}
	return cols, nil
}

// hasNULArrays is hasNUL over text arrays.
func hasNULArrays(args []any) bool {
	for _, a := range args {
		if col, ok := a.([]string); ok {
			for _, s := range col {
				if strings.IndexByte(s, 0) >= 0 {
					return true
				}
			}
		}
	}
	return false
}
