package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Durability: every commit is on disk before it is acknowledged, except
// for advisory records, which inRelaxedTx writes. An advisory record is
// one whose loss costs a customer a moment's retyping and nothing else: a
// stored diagnosis, which a ticket can refer to. A process crash loses no
// relaxed commit either; only a power failure or an operating-system crash
// can lose the last of them (on SQLite until the next durable commit or
// checkpoint, at most a second; on PostgreSQL, three times
// wal_writer_delay). Money, sessions, tickets and the audit log never take
// this path.

// relaxedWriter is the SQLite connection that relaxed transactions share:
// synchronous=NORMAL is a property of a connection, so it gets one of its
// own, used by one transaction at a time.
type relaxedWriter struct {
	db     *DB
	turn   chan struct{} // holds a token while a transaction runs
	conn   *sql.Conn
	closed bool
}

// EnableRelaxedWrites gives relaxed transactions a connection of their own
// when the dialect relaxes per connection. Close releases it.
func (db *DB) EnableRelaxedWrites() {
	if db.dialect.RelaxConnection == "" || db.relaxed != nil {
		return
	}
	db.relaxed = &relaxedWriter{db: db, turn: make(chan struct{}, 1)}
}

// inRelaxedTx runs fn in a write transaction whose commit does not wait for
// the disk. Only advisory records may be written this way (see above).
func (db *DB) inRelaxedTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.relaxed == nil {
		return db.inTx(ctx, func(tx *Tx) error {
			if db.dialect.RelaxCommit != "" {
				if _, err := tx.tx.ExecContext(ctx, db.dialect.RelaxCommit); err != nil {
					return err
				}
			}
			return fn(tx)
		})
	}
	return db.relaxed.run(ctx, fn)
}

func (w *relaxedWriter) run(ctx context.Context, fn func(tx *Tx) error) error {
	select {
	case w.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-w.turn }()
	if w.closed {
		return errStoreClosed
	}
	if w.conn == nil {
		conn, err := w.db.dedicatedConn(ctx, w.db.dialect.RelaxConnection)
		if err != nil {
			return err
		}
		w.conn = conn
	}
	err := w.db.inConnTx(ctx, w.conn, fn)
	if errors.Is(err, driver.ErrBadConn) {
		w.conn.Close()
		w.conn = nil
	}
	return err
}

// close waits for the transaction in progress and releases the connection.
func (w *relaxedWriter) close() {
	w.turn <- struct{}{}
	defer func() { <-w.turn }()
	w.closed = true
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

// checkpointer runs the dialect's Checkpoint at an interval, for the log
// that the dedicated connections write: they do not checkpoint themselves,
// which would make a transfer batch or a diagnosis wait for thousands of
// page writes and two fsyncs.
//
// A PASSIVE checkpoint copies the log into the database but never starts
// it again: SQLite rewinds the log only when a writer begins after a
// checkpoint that copied every frame while no reader was in the log, and
// under a steady stream of commits (a busy live chat) that moment never
// comes. The log then grows without end (a gigabyte in 25 s at 500 chat
// messages a second, measured), every commit extends the file, and each
// fdatasync must also write the file system's journal for its new size.
// So once the log is past RestartFrames, the checkpointer rewinds it
// (RestartCheckpoint): writers wait while it copies what the PASSIVE one
// left and readers of the log finish. That wait is a pause in every chat,
// so it is bounded: 5 ms at first, after which the rewind gives up until
// the next tick, and twice as long at each tick it gives up again, up to
// 100 ms (a reader that never lets go cannot stop the rewind for ever, nor
// make writers wait longer than that). The log then stays about
// journal_size_limit long and is overwritten in place.
type checkpointer struct {
	db   *DB
	stop chan struct{}
	done chan struct{}
	once sync.Once
	wait time.Duration // the next rewind's bound
	// restarts and refusals count the rewinds done and given up.
	restarts, refusals atomic.Int64
}

// EnableBackgroundCheckpoints starts the checkpointer; Close stops it.
// It checkpoints what the dedicated connections (see dedicate) write.
func (db *DB) EnableBackgroundCheckpoints(every time.Duration) {
	if db.dialect.Checkpoint == "" || db.ckpt != nil {
		return
	}
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	db.ckpt = c
	go c.run(every)
}

func (c *checkpointer) run(every time.Duration) {
	defer close(c.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			// An error (the database busy, say) waits for the next tick.
			c.checkpoint(context.Background())
		case <-c.stop:
			return
		}
	}
}

// The bounds of a rewind's wait for the writer and the log's readers.
const (
	minRewindWait = 5 * time.Millisecond
	maxRewindWait = 100 * time.Millisecond
)

// checkpoint copies the log, and rewinds it if it is long, on a
// connection of the pool it gives back (with the pool's own wait) after.
func (c *checkpointer) checkpoint(ctx context.Context) {
	d := c.db.dialect
	conn, err := c.db.sql.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	_, frames, _, err := checkpointOn(ctx, conn, d.Checkpoint)
	if err != nil || d.RestartCheckpoint == "" || frames < d.RestartFrames {
		return
	}
	c.wait = min(max(c.wait, minRewindWait), maxRewindWait)
	_, err = conn.ExecContext(ctx, fmt.Sprintf(d.CheckpointWait, c.wait.Milliseconds()))
	if err == nil {
		var busy int
		if busy, _, _, err = checkpointOn(ctx, conn, d.RestartCheckpoint); err == nil && busy == 0 {
			c.restarts.Add(1)
			c.wait = minRewindWait
		} else {
			c.refusals.Add(1)
			c.wait *= 2
		}
	}
	if _, err := conn.ExecContext(ctx, d.PoolWait); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // not given back with a short wait
	}
}

// checkpointOn runs a checkpoint statement on conn (a connection, or the
// pool): whether it stopped for a writer or reader (busy), the frames in
// the log and how many of them are now in the database.
func checkpointOn(ctx context.Context, conn interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, q string) (busy, frames, copied int, err error) {
	err = conn.QueryRowContext(ctx, q).Scan(&busy, &frames, &copied)
	return busy, frames, copied, err
}

// LogRewinds reports how many times the background checkpointer has
// started the write-ahead log again, and how many times it gave up
// waiting for the readers or the writer to do so.
func (db *DB) LogRewinds() (restarts, refusals int64) {
	if db.ckpt == nil {
		return 0, 0
	}
	return db.ckpt.restarts.Load(), db.ckpt.refusals.Load()
}

func (c *checkpointer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

// Checkpoint copies what it can of the write-ahead log into the database
// without waiting for readers, and reports the frames in the log and how
// many of them are now in the database. Stores without a log report 0, 0.
func (db *DB) Checkpoint(ctx context.Context) (frames, copied int, err error) {
	if db.dialect.Checkpoint == "" {
		return 0, 0, nil
	}
	_, frames, copied, err = checkpointOn(ctx, db.sql, db.dialect.Checkpoint)
	return frames, copied, err
}

// dedicatedConn takes a connection out of the pool for a dedicated writer
// to keep, and runs the dialect's DedicatedConnection and then extra on it.
func (db *DB) dedicatedConn(ctx context.Context, extra ...string) (*sql.Conn, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range append([]string{db.dialect.DedicatedConnection}, extra...) {
		if q == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}
