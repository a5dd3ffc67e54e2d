package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
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
type checkpointer struct {
	db   *DB
	stop chan struct{}
	done chan struct{}
	once sync.Once
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
			c.db.Checkpoint(context.Background())
		case <-c.stop:
			return
		}
	}
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
	var busy int
	err = db.sql.QueryRowContext(ctx, db.dialect.Checkpoint).Scan(&busy, &frames, &copied)
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
