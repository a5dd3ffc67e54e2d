package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math/big"
	"sync"
	"sync/atomic"

	"github.com/okcare/okcare"
)

// maxBatch bounds how many movements share one commit.
const maxBatch = 1024

// groupCommitter funnels money movements through a few writers that commit
// them in batches. Each durable commit costs a flush of the log (an fsync),
// and on PostgreSQL each statement a round trip; a batch pays both once
// for all its movements without weakening anything: each movement is
// decided as if alone, after the ones before it, so a rejected one
// (insufficient funds, say) changes nothing, and no caller is answered
// before the batch's commit is on disk (see moveBatchTx).
//
// SQLite has one writer at a time, so it runs one. PostgreSQL runs
// several, each on its own connection: while one batch waits for its
// commit, another is read and decided. Batches lock their rows in one
// order (see prefetch), so two batches over the same accounts wait for
// each other instead of deadlocking, and the writers keep their batches
// apart where they can see who a movement touches (see claims).
//
// It batches opportunistically: a writer takes whatever is waiting when it
// finishes the previous batch and never waits to fill one, so an idle
// system commits a lone transfer at once.
type groupCommitter struct {
	db     *DB
	queue  chan *moveJob
	stop   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
	claims *claims[*moveJob]
	// gate keeps submissions and close apart: once closed is set no job
	// enters the queue, so close can answer every job still in it.
	gate   sync.RWMutex
	closed bool
	// batches and movements count what the writers committed or failed.
	batches, movements atomic.Int64
}

type moveJob struct {
	ctx    context.Context
	req    okcare.MovementRequest
	asset  *okcare.Asset
	amount *big.Int
	// invalid is why the request was refused before it reached a batch
	// (a malformed amount, say); nil if it is to be decided.
	invalid error
	m       *okcare.Movement
	err     error
	done    chan struct{}
}

// EnableGroupCommit starts the batching writers for Move (writers of
// them, at least one). Close stops them; calling it again changes nothing.
func (db *DB) EnableGroupCommit(writers int) {
	if db.group != nil {
		return
	}
	g := &groupCommitter{db: db, queue: make(chan *moveJob, 4*maxBatch), stop: make(chan struct{}),
		claims: newClaims((*moveJob).users, func(*moveJob) int { return 1 }, maxBatch)}
	for w := 0; w < max(writers, 1); w++ {
		g.wg.Add(1)
		go g.run(w)
	}
	db.group = g
}

// SetGroupCommitWriters replaces the group committer with one of writers
// writers, after the batches in progress (benchmarks compare counts).
func (db *DB) SetGroupCommitWriters(writers int) {
	if db.group != nil {
		db.group.close()
		db.group = nil
	}
	db.EnableGroupCommit(writers)
}

// GroupCommitStats returns how many batches the group committer has run
// since it started, and how many movements they held (0, 0 without one).
func (db *DB) GroupCommitStats() (batches, movements int64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.batches.Load(), db.group.movements.Load()
}

var errStoreClosed = errors.New("store is closed")

func (g *groupCommitter) submit(ctx context.Context, req okcare.MovementRequest, asset *okcare.Asset, amount *big.Int) (*okcare.Movement, error) {
	job := &moveJob{ctx: ctx, req: req, asset: asset, amount: amount, done: make(chan struct{})}
	g.gate.RLock()
	if g.closed {
		g.gate.RUnlock()
		return nil, errStoreClosed
	}
	select {
	case g.queue <- job: // the writers run until close holds the gate
	case <-ctx.Done():
		g.gate.RUnlock()
		return nil, ctx.Err()
	}
	g.gate.RUnlock()
	// Once queued, the job is answered after its batch commits or fails;
	// the caller waits for that even if its context ends, so that it never
	// reports a failure for money that did move.
	<-job.done
	return job.m, job.err
}

func (g *groupCommitter) run(w int) {
	defer g.wg.Done()
	// A dedicated connection keeps its page cache and prepared statements
	// warm from batch to batch.
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		batch, wake := g.claims.take(w, g.queue)
		if len(batch) == 0 {
			// Nothing runnable: wait for a movement, or for another
			// batch to end its claims on held ones.
			select {
			case j := <-g.queue:
				g.claims.hold(j)
			case <-wake:
			case <-g.stop:
				return
			}
			continue
		}
		if conn == nil {
			var err error
			if conn, err = g.db.dedicatedConn(context.Background()); err != nil {
				g.claims.release(w, batch)
				g.fail(batch, err)
				continue
			}
		}
		g.batches.Add(1)
		g.movements.Add(int64(len(batch)))
		if err := g.db.runBatch(context.Background(), conn, batch); err != nil && errors.Is(err, driver.ErrBadConn) {
			conn.Close()
			conn = nil
		}
		g.claims.release(w, batch)
		for _, j := range batch {
			close(j.done)
		}
	}
}

func (g *groupCommitter) fail(batch []*moveJob, err error) {
	for _, j := range batch {
		j.m, j.err = nil, err
		close(j.done)
	}
}

// close stops the writers after the batches in progress and answers the
// movements still waiting (nothing moved for them); closing twice is
// harmless.
func (g *groupCommitter) close() {
	g.gate.Lock()
	g.closed = true
	g.gate.Unlock()
	g.once.Do(func() { close(g.stop) })
	g.wg.Wait()
	waiting := g.claims.drain()
	for {
		select {
		case j := <-g.queue:
			waiting = append(waiting, j)
			continue
		default:
		}
		break
	}
	g.fail(waiting, errStoreClosed)
}
