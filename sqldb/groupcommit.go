package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math/big"
	"slices"
	"sync"

	"github.com/okcare/okcare"
)

// maxBatch bounds how many movements share one commit.
const maxBatch = 1024

// groupCommitter funnels money movements through one writer that commits
// them in batches. On SQLite, where one writer holds the database at a time
// and each durable commit costs an fsync, this turns N commits into one
// without weakening anything: each movement runs inside its own savepoint,
// so a rejected one (insufficient funds, say) is rolled back alone, and no
// caller is answered before the batch's commit is on disk.
//
// It batches opportunistically: the writer takes whatever is waiting when it
// finishes the previous batch and never waits to fill one, so an idle
// system commits a lone transfer at once.
type groupCommitter struct {
	db    *DB
	queue chan *moveJob
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

type moveJob struct {
	ctx    context.Context
	req    okcare.MovementRequest
	asset  *okcare.Asset
	amount *big.Int
	m      *okcare.Movement
	err    error
	done   chan struct{}
}

// EnableGroupCommit starts the batching writer for Move. Close stops it.
func (db *DB) EnableGroupCommit() {
	if db.group != nil {
		return
	}
	g := &groupCommitter{db: db, queue: make(chan *moveJob, 4*maxBatch), stop: make(chan struct{})}
	g.wg.Add(1)
	go g.run()
	db.group = g
}

var errStoreClosed = errors.New("store is closed")

func (g *groupCommitter) submit(ctx context.Context, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, error) {
	job := &moveJob{ctx: ctx, req: req, asset: asset, amount: amount, done: make(chan struct{})}
	select {
	case g.queue <- job:
	case <-g.stop:
		return nil, errStoreClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once queued, the job is answered after its batch commits or fails;
	// the caller waits for that even if its context ends, so that it never
	// reports a failure for money that did move.
	<-job.done
	return job.m, job.err
}

func (g *groupCommitter) run() {
	defer g.wg.Done()
	// One dedicated connection keeps its page cache and prepared statements
	// warm from batch to batch.
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		var first *moveJob
		select {
		case first = <-g.queue:
		case <-g.stop:
			return
		}
		batch := []*moveJob{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case j := <-g.queue:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		if conn == nil {
			var err error
			if conn, err = g.db.dedicatedConn(context.Background()); err != nil {
				g.fail(batch, err)
				continue
			}
		}
		if err := g.commit(conn, batch); err != nil && errors.Is(err, driver.ErrBadConn) {
			conn.Close()
			conn = nil
		}
	}
}

func (g *groupCommitter) fail(batch []*moveJob, err error) {
	for _, j := range batch {
		j.m, j.err = nil, err
		close(j.done)
	}
}

// commit runs a batch in one transaction on conn (see moveBatchTx).
func (g *groupCommitter) commit(conn *sql.Conn, batch []*moveJob) error {
	ctx := context.Background()
	err := g.db.inConnTx(ctx, conn, func(tx *Tx) error {
		return moveBatchTx(ctx, tx, batch)
	})
	for _, j := range batch {
		if err != nil {
			j.m, j.err = nil, err // the batch did not commit: nothing moved
		}
		close(j.done)
	}
	return err
}

// moveBatchTx decides each job in its own savepoint, every one seeing the
// earlier decisions, then writes all decided entries together. A rejected
// job (insufficient funds, say) changes nothing and does not affect the
// others. Each job's result is in j.m and j.err; the error returned is one
// that fails the whole transaction.
func moveBatchTx(ctx context.Context, tx *Tx, batch []*moveJob) error {
	bs := newBookings()
	var err error
	if bs.pre, err = prefetch(ctx, tx, batch); err != nil {
		return err
	}
	for _, j := range batch {
		if j.err != nil {
			continue // refused before it ran
		}
		if err := j.ctx.Err(); err != nil {
			j.err = err // given up before it ran: nothing done
			continue
		}
		if _, err := tx.exec(ctx, `SAVEPOINT movement`); err != nil {
			return err
		}
		var b *booking
		j.m, b, j.err = decideMove(j.ctx, tx, bs, j.req, j.asset, j.amount)
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
	return writeBookings(ctx, tx, bs.list)
}

// MoveBatch executes movements in one transaction, as the group committer
// runs Move on SQLite: each is decided as if alone, after the ones before
// it, and a rejected one does not affect the rest. It returns each
// movement's result and error; err is set only if none was executed.
func (db *DB) MoveBatch(ctx context.Context, reqs []okcare.MovementRequest) ([]*okcare.Movement, []error, error) {
	run := func() ([]*moveJob, error) {
		jobs := make([]*moveJob, len(reqs))
		for i, req := range reqs {
			jobs[i] = &moveJob{ctx: ctx, req: req}
			jobs[i].asset, jobs[i].amount, jobs[i].err = db.prepareMove(ctx, req)
		}
		if db.dialect.ForUpdate != "" {
			if err := db.ensureAccounts(ctx, jobs); err != nil {
				return nil, err
			}
		}
		return jobs, db.inTx(ctx, func(tx *Tx) error { return moveBatchTx(ctx, tx, jobs) })
	}
	jobs, err := run()
	for attempt := 1; attempt < moveAttempts && db.retryable(err); attempt++ {
		jobs, err = run() // a deadlock victim, rolled back: again
	}
	if err != nil && db.dialect.IsUniqueViolation(err) {
		// A concurrent request with one of the keys committed first: the
		// second run answers it as a repeat.
		jobs, err = run()
	}
	if err != nil {
		return nil, nil, err
	}
	ms, errs := make([]*okcare.Movement, len(jobs)), make([]error, len(jobs))
	for i, j := range jobs {
		ms[i], errs[i] = j.m, j.err
	}
	return ms, errs, nil
}

// ensureAccounts creates, in a transaction of its own, the ledger accounts
// the jobs will touch and that do not exist yet. Where rows are locked
// (PostgreSQL), a batch must take every account lock in the order a lone
// movement does (kind, then owner); creating an account inside the batch
// would lock it out of that order, and a lone movement waiting for it
// could deadlock with the batch. An account created here for a movement
// that is then refused stays at zero, which reads the same as none.
func (db *DB) ensureAccounts(ctx context.Context, jobs []*moveJob) error {
	return db.inTx(ctx, func(tx *Tx) error {
		seen := map[[3]string]bool{}
		var want [][3]string
		add := func(kind, owner, asset string) {
			k := [3]string{kind, owner, asset}
			if owner != "" && !seen[k] {
				seen[k] = true
				want = append(want, k)
			}
		}
		for _, j := range jobs {
			if j.err != nil {
				continue
			}
			add(ownerUser, j.req.FromUserID, j.asset.Code)
			// A recipient that does not resolve fails its movement later.
			if kind, id, err := resolveRecipient(ctx, tx, nil, j.req, &okcare.User{}); err == nil {
				add(kind, id, j.asset.Code)
			}
		}
		slices.SortFunc(want, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
		for _, k := range want {
			if err := createAccount(ctx, tx, k[0], k[1], k[2]); err != nil {
				return err
			}
		}
		return nil
	})
}

// close stops the writer after the batch in progress; closing twice is harmless.
func (g *groupCommitter) close() {
	g.once.Do(func() { close(g.stop) })
	g.wg.Wait()
}
