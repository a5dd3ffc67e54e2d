package sqldb

import (
	"context"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
)

// prefetched holds the rows a batch of movements will decide on, read with
// a few queries for the whole batch instead of three per movement. Each map
// holds every key that was asked for; a nil or empty value means the row
// does not exist. Deciding falls back to a query for anything not asked
// for, so a prefetch only saves work, never changes an answer. The batch
// holds the write lock (SQLite) or the row locks (PostgreSQL: senders and
// accounts are read FOR UPDATE, in the same order a lone movement locks),
// so nothing read here changes before the batch commits except by the
// batch itself, which bookings tracks.
type prefetched struct {
	senders    map[string]*okcare.User
	keys       map[[2]string][2]string // (user, key) -> (request hash, movement id)
	recipients map[string]recipient    // by id, email and phone as asked
	merchants  map[string]bool
	accounts   map[[3]string]*ledger.Account // (owner kind, owner id, asset)
	// merchantNames and paid serve the money alerts: who a payment goes
	// to, and which senders paid which recipients before (every pair of
	// the batch is asked; true: paid before).
	merchantNames map[string]string
	contacts      map[string]string // recipient id -> registered email, else phone
	paid          map[pair]bool
}

type recipient struct{ id, state string }

// prefetch reads what the jobs need. Jobs refused before the batch are
// skipped.
func prefetch(ctx context.Context, tx *Tx, jobs []*moveJob) (*prefetched, error) {
	p := &prefetched{senders: map[string]*okcare.User{}, keys: map[[2]string][2]string{}, recipients: map[string]recipient{},
		merchants: map[string]bool{}, accounts: map[[3]string]*ledger.Account{}, merchantNames: map[string]string{}, contacts: map[string]string{}, paid: map[pair]bool{}}
	var senders, merchants, recipientIDs, logins []any
	var keys [][]any
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		r := j.req
		senders = append(senders, r.FromUserID)
		keys = append(keys, []any{r.FromUserID, r.IdempotencyKey})
		p.keys[[2]string{r.FromUserID, r.IdempotencyKey}] = [2]string{}
		switch {
		case r.Kind == okcare.KindPayment:
			merchants = append(merchants, r.ToMerchant)
			p.merchants[r.ToMerchant] = false
		case isUserID(r.ToUser):
			recipientIDs = append(recipientIDs, r.ToUser)
			p.recipients[r.ToUser] = recipient{}
		default:
			login := NormalizeLogin(r.ToUser)
			logins = append(logins, login)
			p.recipients[login] = recipient{}
		}
	}
	lock, order := "", ""
	if tx.db.dialect.ForUpdate != "" {
		// Rows are locked in the order read: sort across chunks too.
		lock, order = tx.db.dialect.ForUpdate, " ORDER BY id"
		sortStrings(senders)
	}
	err := eachIn(tx, senders, func(in string, args []any) error {
		rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users WHERE id`+in+order+lock, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			p.senders[u.ID] = u
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	err = lookupTuples(ctx, tx, keys, 2,
		func(values string) string {
			return `SELECT user_id, key, request_hash, movement_id FROM idempotency_keys WHERE (user_id, key) IN (VALUES ` + values + `)`
		},
		`SELECT k.user_id, k.key, k.request_hash, k.movement_id FROM unnest(?::text[], ?::text[]) AS q(user_id, key)
			CROSS JOIN LATERAL (SELECT * FROM idempotency_keys i WHERE i.user_id = q.user_id AND i.key = q.key LIMIT 1) AS k`,
		func(s func(...any) error) error {
			var user, key, hash, movement string
			if err := s(&user, &key, &hash, &movement); err != nil {
				return err
			}
			p.keys[[2]string{user, key}] = [2]string{hash, movement}
			return nil
		})
	if err != nil {
		return nil, err
	}
	addRecipient := func(s func(...any) error) error {
		var r recipient
		var email, phone string
		if err := s(&r.id, &r.state, &email, &phone); err != nil {
			return err
		}
		p.contacts[r.id] = email
		if email == "" {
			p.contacts[r.id] = phone
		}
		for _, k := range []string{r.id, email, phone} {
			if _, asked := p.recipients[k]; asked && k != "" {
				p.recipients[k] = r
			}
		}
		return nil
	}
	const recipientColumns = `SELECT id, state, COALESCE(email, ''), COALESCE(phone, '') FROM users WHERE `
	if err := eachIn(tx, recipientIDs, func(in string, args []any) error {
		return scanRows(ctx, tx, recipientColumns+`id`+in, args, addRecipient)
	}); err != nil {
		return nil, err
	}
	if err := eachIn(tx, logins, func(in string, args []any) error {
		return scanRows(ctx, tx, recipientColumns+`email`+in+` OR phone`+in, append(args, args...), addRecipient)
	}); err != nil {
		return nil, err
	}
	if err := eachIn(tx, merchants, func(in string, args []any) error {
		return scanRows(ctx, tx, `SELECT id, name FROM merchants WHERE id`+in, args, func(s func(...any) error) error {
			var id, name string
			if err := s(&id, &name); err != nil {
				return err
			}
			p.merchants[id], p.merchantNames[id] = true, name
			return nil
		})
	}); err != nil {
		return nil, err
	}
	if err := p.prefetchPaid(ctx, tx, jobs); err != nil {
		return nil, err
	}
	// The accounts of every sender and found recipient, by asset.
	owners := map[[2]string][]any{} // (kind, asset) -> owner ids
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		r, asset := j.req, j.asset.Code
		add := func(kind, id string) {
			k := [3]string{kind, id, asset}
			if _, ok := p.accounts[k]; !ok && id != "" {
				p.accounts[k] = nil
				owners[[2]string{kind, asset}] = append(owners[[2]string{kind, asset}], id)
			}
		}
		add(ownerUser, r.FromUserID)
		if r.Kind == okcare.KindPayment {
			if p.merchants[r.ToMerchant] {
				add(ownerMerchant, r.ToMerchant)
			}
		} else if to, ok := p.recipientOf(r.ToUser); ok && to.id != "" {
			add(ownerUser, to.id)
		}
	}
	lockOrder := ""
	if lock != "" {
		lockOrder = " ORDER BY owner_id"
	}
	// In (kind, asset, owner) order: for one asset that is the order in
	// which a lone movement locks its two accounts.
	groups := make([][2]string, 0, len(owners))
	for ka := range owners {
		groups = append(groups, ka)
	}
	slices.SortFunc(groups, func(a, b [2]string) int { return slices.Compare(a[:], b[:]) })
	for _, ka := range groups {
		ids := owners[ka]
		if lock != "" {
			sortStrings(ids)
		}
		err := eachIn(tx, ids, func(in string, args []any) error {
			return scanRows(ctx, tx, `SELECT id, owner_id, balance, allow_negative FROM ledger_accounts WHERE owner_kind = ? AND asset = ? AND owner_id`+in+lockOrder+lock,
				append([]any{ka[0], ka[1]}, args...), func(s func(...any) error) error {
					a := &ledger.Account{Asset: ka[1]}
					var owner, bal string
					if err := s(&a.ID, &owner, &bal, &a.AllowNegative); err != nil {
						return err
					}
					var err error
					if a.Balance, err = ledger.ParseMinor(bal); err != nil {
						return err
					}
					p.accounts[[3]string{ka[0], owner, ka[1]}] = a
					return nil
				})
		})
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// prefetchPaid finds which of the batch's sender and recipient pairs
// have a movement already, with one query per chunk of pairs.
func (p *prefetched) prefetchPaid(ctx context.Context, tx *Tx, jobs []*moveJob) error {
	var pairs [][]any
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		r := j.req
		k := pair{from: r.FromUserID}
		if r.Kind == okcare.KindPayment {
			k.toMerchant = r.ToMerchant
		} else if to, ok := p.recipientOf(r.ToUser); ok && to.id != "" {
			k.toUser = to.id
		} else {
			continue
		}
		if _, asked := p.paid[k]; !asked {
			p.paid[k] = false
			pairs = append(pairs, []any{k.from, k.toUser, k.toMerchant})
		}
	}
	return lookupTuples(ctx, tx, pairs, 3,
		func(values string) string {
			return `SELECT DISTINCT from_user_id, to_user_id, to_merchant_id FROM movements WHERE (from_user_id, to_user_id, to_merchant_id) IN (VALUES ` + values + `)`
		},
		// One probe of the pair index per pair, reading one movement at
		// most, not every movement between the two.
		`SELECT q.f, q.t, q.m FROM unnest(?::text[], ?::text[], ?::text[]) AS q(f, t, m)
			CROSS JOIN LATERAL (SELECT 1 FROM movements WHERE from_user_id = q.f AND to_user_id = q.t AND to_merchant_id = q.m LIMIT 1) AS one`,
		func(s func(...any) error) error {
			var k pair
			if err := s(&k.from, &k.toUser, &k.toMerchant); err != nil {
				return err
			}
			p.paid[k] = true
			return nil
		})
}

// recipientOf returns what the prefetch found for a recipient as the
// request names it, and whether it was asked for.
func (p *prefetched) recipientOf(toUser string) (recipient, bool) {
	k := toUser
	if !isUserID(toUser) {
		k = NormalizeLogin(toUser)
	}
	r, ok := p.recipients[k]
	return r, ok
}

// isUserID reports whether a recipient names a user by id: no phone number
// starts like one, and emails have an @.
func isUserID(s string) bool {
	return strings.HasPrefix(s, userIDPrefix) && !strings.Contains(s, "@")
}

// eachIn calls fn with an "IN" condition on values and its arguments:
// where the dialect takes arrays, once, with " = ANY(?)" and the values as
// one array (one statement shape, one plan); else with " IN (?, ...)" in
// chunks (see eachChunk).
func eachIn(tx *Tx, values []any, fn func(in string, args []any) error) error {
	if !tx.db.dialect.ArrayParams {
		return eachValueChunk(values, func(args []any, in string) error { return fn(" IN ("+in+")", args) })
	}
	if len(values) == 0 {
		return nil
	}
	col := make([]string, len(values))
	for i, v := range values {
		col[i] = scrubText(v.(string))
	}
	return fn(" = ANY(?::text[])", []any{col})
}

// lookupTuples runs a query over tuples of text values and calls fn with
// each row's Scan: where the dialect takes arrays, arrayQuery once with one
// array per column; else inQuery(rows as VALUES) in chunks. Joining
// LATERAL ... LIMIT 1 keeps PostgreSQL to one index probe per tuple: with
// a plain join it hashes the tuples and scans the whole table while the
// table looks small, which grows with the table.
func lookupTuples(ctx context.Context, tx *Tx, rows [][]any, cols int, inQuery func(values string) string, arrayQuery string, fn func(scan func(...any) error) error) error {
	if !tx.db.dialect.ArrayParams {
		return eachChunk(rows, func(args []any, n int) error {
			return scanRows(ctx, tx, inQuery(valueRows(n, cols)), args, fn)
		})
	}
	if len(rows) == 0 {
		return nil
	}
	args, err := arrayColumns(rows, strings.Repeat("t", cols))
	if err != nil {
		return err
	}
	for _, a := range args {
		for i, v := range a.([]string) {
			a.([]string)[i] = scrubText(v)
		}
	}
	return scanRows(ctx, tx, arrayQuery, args, fn)
}

// eachChunk calls fn with the rows in chunks of a power-of-two count n,
// padded with the chunk's last row (harmless in IN lists) and flattened
// into args, so that few statement shapes get cached.
func eachChunk(rows [][]any, fn func(args []any, n int) error) error {
	for len(rows) > 0 {
		n := chunkSize(len(rows))
		var args []any
		for i := 0; i < n; i++ {
			args = append(args, rows[min(i, len(rows)-1)]...)
		}
		if err := fn(args, n); err != nil {
			return err
		}
		rows = rows[min(n, len(rows)):]
	}
	return nil
}

// eachValueChunk is eachChunk over single values, with the chunk's
// "?, ?" list.
func eachValueChunk(values []any, fn func(args []any, in string) error) error {
	rows := make([][]any, len(values))
	for i, v := range values {
		rows[i] = []any{v}
	}
	return eachChunk(rows, func(args []any, n int) error {
		return fn(args, strings.TrimSuffix(strings.Repeat("?, ", n), ", "))
	})
}

// chunkSize is the smallest power of two holding n, at most maxRowsPerStatement.
func chunkSize(n int) int {
	if n >= maxRowsPerStatement {
		return maxRowsPerStatement
	}
	return 1 << bits.Len(uint(n-1))
}

// scanRows runs a query and calls fn with each row's Scan.
func scanRows(ctx context.Context, tx *Tx, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sortStrings sorts values that are all strings.
func sortStrings(values []any) {
	sort.Slice(values, func(i, j int) bool { return values[i].(string) < values[j].(string) })
}
