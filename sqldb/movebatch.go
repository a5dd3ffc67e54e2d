package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
	"github.com/okcare/okcare/token"
)

// batchAttempts bounds how often a batch runs: again after creating the
// accounts it lacked, as a deadlock victim, or after a concurrent commit
// of one of its keys.
const batchAttempts = 5

// runBatch runs a batch of movements in one transaction, on conn if it is
// not nil, else on the pool, and leaves each job's result in j.m and j.err.
// The error returned is the one that failed the whole batch (every job
// then has it too: nothing moved).
func (db *DB) runBatch(ctx context.Context, conn *sql.Conn, jobs []*moveJob) error {
	inTx := func(fn func(tx *Tx) error) error {
		if conn != nil {
			return db.inConnTx(ctx, conn, fn)
		}
		return db.inTx(ctx, fn)
	}
	var err error
	for attempt := 1; ; attempt++ {
		for _, j := range jobs {
			j.m, j.err = nil, j.invalid
		}
		err = inTx(func(tx *Tx) error { return moveBatchTx(ctx, tx, jobs) })
		var missing missingAccounts
		if errors.As(err, &missing) {
			// Rare: a first movement for some owner. The accounts are
			// created on their own and the batch runs again.
			err = inTx(func(tx *Tx) error { return createAccounts(ctx, tx, missing) })
			if err == nil {
				err = missing // if this was the last attempt
			}
		}
		// Again after created accounts; for a deadlock victim, rolled back
		// whole; or when a concurrent movement with one of the keys
		// committed first (the next run answers it as a repeat).
		again := errors.As(err, &missing) || db.retryable(err) || err != nil && db.dialect.IsUniqueViolation(err)
		if !again || attempt == batchAttempts {
			break
		}
	}
	if err != nil {
		for _, j := range jobs {
			j.m, j.err = nil, err
		}
	}
	return err
}

// moveBatchTx decides each job, every one seeing the earlier decisions,
// then writes all decided entries together. A rejected job (insufficient
// funds, say) changes nothing and does not affect the others. Each job's
// result is in j.m and j.err; the error returned is one that fails the
// whole transaction.
//
// Where rows are locked (PostgreSQL), the prefetch has locked every row
// the batch decides on, in the order lone movements lock them. Creating a
// missing account now would take a lock out of that order: the batch is
// decided with empty stand-ins for them, and if a movement that passes
// needs one, it returns missingAccounts instead of writing (runBatch
// creates them and runs the batch again; a refused movement creates
// nothing). Deciding then
// only reads what was prefetched, in memory, and writes nothing, so it
// needs no savepoint per movement, which would cost two round trips
// each. A failed statement aborts a PostgreSQL transaction, so an error
// that is not a refusal fails the batch. On SQLite, which holds the
// database for the batch, each job runs in a savepoint: deciding may
// create a missing account there, and a rejected job undoes it.
func moveBatchTx(ctx context.Context, tx *Tx, batch []*moveJob) error {
	bs := newBookings()
	var err error
	if bs.pre, err = prefetch(ctx, tx, batch); err != nil {
		return err
	}
	locking := tx.db.dialect.ForUpdate != ""
	if locking {
		bs.pre.placeholdMissing(batch)
	}
	for _, j := range batch {
		if j.err != nil {
			continue // refused before it ran
		}
		if err := j.ctx.Err(); err != nil {
			j.err = err // given up before it ran: nothing done
			continue
		}
		// Statements run under the batch's context: a caller giving up
		// must not cancel a statement of the others' transaction.
		if locking {
			var b *booking
			j.m, b, j.err = decideMove(ctx, tx, bs, j.req, j.asset, j.amount)
			if j.err != nil && !isRefusal(j.err) {
				return j.err
			} else if j.err == nil && b != nil {
				bs.add(b)
			}
			continue
		}
		if _, err := tx.exec(ctx, `SAVEPOINT movement`); err != nil {
			return err
		}
		var b *booking
		j.m, b, j.err = decideMove(ctx, tx, bs, j.req, j.asset, j.amount)
		if j.err != nil {
			// Deciding writes only a missing account; undo that.
			if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT movement`); err != nil {
				return err
			}
		} else if b != nil {
			bs.add(b)
		}
		if _, err := tx.exec(ctx, `RELEASE SAVEPOINT movement`); err != nil {
			return err
		}
	}
	if locking {
		if missing := placeheld(bs.list); len(missing) > 0 {
			return missing
		}
	}
	return writeBookings(ctx, tx, bs.list)
}

// isRefusal reports whether err is an answer to the request (a domain
// error such as insufficient funds), not a failure of the database.
func isRefusal(err error) bool {
	var e *okcare.Error
	return errors.As(err, &e)
}

// missingAccounts are the ledger accounts, as (owner kind, owner id,
// asset) in lock order, that a batch needs and that do not exist yet.
type missingAccounts [][3]string

func (m missingAccounts) Error() string {
	return fmt.Sprintf("%d ledger accounts to create first", len(m))
}

// placeholdMissing stands in an empty account, not yet in the database,
// for each account the prefetched jobs would move money between that does
// not exist: those of senders and recipients that do. Deciding can then
// refuse a movement on it without creating it (an empty sender account
// covers nothing); if a movement that passes needs one, the batch returns
// placeheld's list instead of writing.
func (p *prefetched) placeholdMissing(jobs []*moveJob) {
	need := func(kind, id, asset string) {
		k := [3]string{kind, id, asset}
		if a, asked := p.accounts[k]; asked && a == nil {
			p.accounts[k] = &ledger.Account{ID: placeholderPrefix + strings.Join(k[:], "\x00"), Asset: asset, Balance: new(big.Int)}
		}
	}
	for _, j := range jobs {
		if j.err != nil || p.senders[j.req.FromUserID] == nil {
			continue
		}
		r, asset := j.req, j.asset.Code
		need(ownerUser, r.FromUserID, asset)
		if r.Kind == okcare.KindPayment {
			if p.merchants[r.ToMerchant] {
				need(ownerMerchant, r.ToMerchant, asset)
			}
		} else if to, ok := p.recipientOf(r.ToUser); ok && to.id != "" {
			need(ownerUser, to.id, asset)
		}
	}
}

// placeholderPrefix starts the id of an account placeholdMissing stood in.
const placeholderPrefix = "\x00new\x00"

// placeheld lists, in lock order, the stood-in accounts that decided
// bookings touch.
func placeheld(list []*booking) missingAccounts {
	seen := map[string]bool{}
	var out missingAccounts
	for _, b := range list {
		for id := range b.balances {
			if strings.HasPrefix(id, placeholderPrefix) && !seen[id] {
				seen[id] = true
				var k [3]string
				copy(k[:], strings.SplitN(strings.TrimPrefix(id, placeholderPrefix), "\x00", 3))
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	return out
}

// createAccounts creates empty accounts unless they exist, in the order
// given (lock order), with a few multi-row statements. An account created
// for a movement that is then refused stays at zero, which reads the same
// as none.
func createAccounts(ctx context.Context, tx *Tx, accounts [][3]string) error {
	rows := make([][]any, len(accounts))
	for i, k := range accounts {
		rows[i] = []any{token.ID("acc_"), k[0], k[1], k[2], "0", k[0] == ownerSystem}
	}
	return insertRows(ctx, tx, `INSERT INTO ledger_accounts (id, owner_kind, owner_id, asset, balance, allow_negative) VALUES `, 6, rows,
		` ON CONFLICT (owner_kind, owner_id, asset) DO NOTHING`)
}

// MoveBatch executes movements in one transaction, as the group committer
// runs Move: each is decided as if alone, after the ones before it, and a
// rejected one does not affect the rest. It returns each movement's
// result and error; err is set only if none was executed.
func (db *DB) MoveBatch(ctx context.Context, reqs []okcare.MovementRequest) ([]*okcare.Movement, []error, error) {
	jobs := make([]*moveJob, len(reqs))
	for i, req := range reqs {
		jobs[i] = &moveJob{ctx: ctx, req: req}
		jobs[i].asset, jobs[i].amount, jobs[i].invalid = db.prepareMove(ctx, req)
	}
	if err := db.runBatch(ctx, nil, jobs); err != nil {
		return nil, nil, err
	}
	ms, errs := make([]*okcare.Movement, len(jobs)), make([]error, len(jobs))
	for i, j := range jobs {
		ms[i], errs[i] = j.m, j.err
	}
	return ms, errs, nil
}
