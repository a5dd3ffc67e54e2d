package http

import (
	"context"
	"sync"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chatqueue"
)

// queueShare is the node's shared view of the chat queue. Every waiting
// customer's place is recomputed every ChatRefresh; one count of the
// chats ahead per customer is O(N) each, O(N²) for the node, so instead
// the first socket whose refresh finds the view a refresh old reads the
// whole queue once (ChatWaitingQueue) while the others wait for that
// read, and each then looks its place up in it. A socket's first line
// takes the next read begun after it opened, so customers coming back
// together (a node drained, the relay back) share a few reads too.
type queueShare struct {
	mu     sync.Mutex
	cur    *queueRead // the newest read that succeeded
	flight *queueRead // the read under way, if any
	begun  uint64     // reads begun so far
	lastAt time.Time  // when the last read began, succeeded or not (monotonic, as the sockets' tickers)
}

// queueRead is one read of the queue; done closes when it has ended.
type queueRead struct {
	seq    uint64 // which read this is, counted from 1
	done   chan struct{}
	places *chatqueue.Places
	err    error
}

// seq is how many reads have begun: a read with a higher number began
// after this call, and so sees whatever was committed before it.
func (q *queueShare) seq() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.begun
}

// get returns a read of the queue begun after read number after and less
// than maxAge ago, reading it first (once for every caller meanwhile)
// when there is none. A read that fails is not tried again for maxAge
// either, so a store in trouble is asked once a refresh, not once a
// customer; meanwhile get returns nil.
func (q *queueShare) get(ctx context.Context, maxAge time.Duration, after uint64, read func(context.Context) (okcare.ChatWaitingQueue, error)) (*queueRead, error) {
	for {
		q.mu.Lock()
		f := q.flight
		if f == nil {
			fresh, ok := q.begun > after && time.Since(q.lastAt) < maxAge, q.cur != nil && q.cur.seq == q.begun
			if fresh {
				defer q.mu.Unlock()
				if !ok {
					return nil, nil // the last read failed
				}
				return q.cur, nil
			}
			q.begun++
			q.lastAt = time.Now()
			f = &queueRead{seq: q.begun, done: make(chan struct{})}
			q.flight = f
			go q.run(ctx, f, read)
		}
		q.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.seq > after {
			if f.err != nil {
				return nil, nil
			}
			return f, nil
		}
		// That read began too early for this caller: the next one.
	}
}

// run reads the queue for f; it outlives the socket that started it, as
// the others wait on it too.
func (q *queueShare) run(ctx context.Context, f *queueRead, read func(context.Context) (okcare.ChatWaitingQueue, error)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueReadTimeout)
	defer cancel()
	snap, err := read(ctx)
	if err == nil {
		f.places = chatqueue.New(snap)
	}
	f.err = err
	q.mu.Lock()
	q.flight = nil
	if err == nil {
		q.cur = f
	}
	q.mu.Unlock()
	close(f.done)
}

// queueReadTimeout bounds one shared read of the queue.
const queueReadTimeout = 30 * time.Second

// queueWatch is what one customer socket knows of its own chat's place,
// so that it never takes a shared read older than what it has already
// told the customer.
type queueWatch struct {
	started uint64 // reads begun when the socket had read its chat
	direct  uint64 // reads begun when its last read of its own ended
}

// chatStatusShared is chatStatus from the node's shared read of the
// queue, for the periodic refresh (a read at most ChatRefresh old) and,
// with first, for a socket's first line (a read begun after the socket
// read its chat, so no older than a read of its own would be); a chat
// the read cannot place is asked of the store. ok is false when the
// shared read is older than what the socket last read for itself, or
// failed: the line it shows stands.
func (s *Server) chatStatusShared(ctx context.Context, t *okcare.Ticket, lang string, w *queueWatch, first bool) (st chatStatus, ok bool, err error) {
	every := s.ChatRefresh
	if every <= 0 {
		every = chatRefresh
	}
	var after uint64
	if first {
		after = w.started
	}
	r, err := s.queueShare.get(ctx, every, after, s.readQueue)
	if err != nil {
		return st, false, err
	}
	if r == nil && first {
		st, err = s.chatStatusDirect(ctx, t, lang, w) // the shared read failed (and was logged once)
		return st, err == nil, err
	}
	if r == nil || r.seq <= w.direct {
		return st, false, nil
	}
	if q, ok := r.places.Of(t.ID, t.Lang, t.CreatedAt, r.seq > w.started); ok {
		return s.statusLine(t, lang, q), true, nil
	}
	st, err = s.chatStatusDirect(ctx, t, lang, w)
	return st, err == nil, err
}

// readQueue is the shared read; a failure is logged once for every
// socket it leaves without news.
func (s *Server) readQueue(ctx context.Context) (okcare.ChatWaitingQueue, error) {
	q, err := s.Store.ChatWaitingQueue(ctx)
	if err != nil {
		s.Logger.Warn("reading the chat queue", "error", err)
	}
	return q, err
}

// chatStatusDirect is chatStatus, read for this chat alone, as a socket
// does on its own chat's news (an agent joined or answered, the chat
// ended).
func (s *Server) chatStatusDirect(ctx context.Context, t *okcare.Ticket, lang string, w *queueWatch) (chatStatus, error) {
	st, err := s.chatStatus(ctx, t, lang)
	if err == nil {
		w.direct = s.queueShare.seq()
	}
	return st, err
}
