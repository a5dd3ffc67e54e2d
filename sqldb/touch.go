package sqldb

import (
	"context"
	"sync"
	"time"
)

// touchInterval is how often buffered session activity is written.
const touchInterval = 5 * time.Second

// touchGranularity is how far a session's last use is kept up to date: a
// use within a minute of the last one recorded is not recorded again, so
// an app's burst of calls costs one write, not one per flush. The idle
// expiry (days) can only come that much earlier, never later.
const touchGranularity = time.Minute

// sessionTouches buffers "this session was just used" marks and writes them
// in one transaction every touchInterval. Writing last_seen_at on the
// request path cost a durable commit per session per minute, which on
// SQLite competes with every other writer; what a crash can lose here is a
// few seconds of activity time, which only moves an idle expiry measured in
// days.
type sessionTouches struct {
	db   *DB
	mu   sync.Mutex
	seen map[string]time.Time // session id -> last use
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newSessionTouches(db *DB) *sessionTouches {
	t := &sessionTouches{db: db, seen: map[string]time.Time{}, stop: make(chan struct{}), done: make(chan struct{})}
	go t.run()
	return t
}

// touch records a use of the session at now.
func (t *sessionTouches) touch(id string, now time.Time) {
	t.mu.Lock()
	t.seen[id] = now
	t.mu.Unlock()
}

// lastSeen returns a buffered use newer than stored, if there is one.
func (t *sessionTouches) lastSeen(id string, stored time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if at, ok := t.seen[id]; ok && at.After(stored) {
		return at
	}
	return stored
}

func (t *sessionTouches) run() {
	defer close(t.done)
	tick := time.NewTicker(touchInterval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			t.flush()
		case <-t.stop:
			t.flush()
			return
		}
	}
}

// flush writes the buffered marks; on failure they are kept for next time.
func (t *sessionTouches) flush() {
	t.mu.Lock()
	batch := t.seen
	t.seen = map[string]time.Time{}
	t.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	err := t.db.inTx(context.Background(), func(tx *Tx) error {
		for id, at := range batch {
			if _, err := tx.exec(context.Background(), `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`, micros(at), id, micros(at)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.mu.Lock()
		for id, at := range batch {
			if cur, ok := t.seen[id]; !ok || at.After(cur) {
				t.seen[id] = at
			}
		}
		t.mu.Unlock()
	}
}

// close writes what is buffered and stops the flusher.
func (t *sessionTouches) close() {
	t.once.Do(func() { close(t.stop) })
	<-t.done
}
