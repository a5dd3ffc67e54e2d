package http

import (
	"sync"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
)

// storeQueue holds a socket's messages waiting to be stored. A goroutine
// stores them only while there are some (store), so an idle socket holds
// none; at most maxSaying wait, after which the socket stops reading until
// some are acknowledged.
type storeQueue struct {
	c      *chatConn
	cancel func()
	lang   string
	say    sayFunc
	slots  chan struct{} // one per message queued and not yet acknowledged

	mu      sync.Mutex
	waiting []chatIn
	running bool
}

// push queues a message, starting the storing goroutine if none runs; it
// reports false if the socket closed while it waited for room.
func (q *storeQueue) push(in chatIn) bool {
	select {
	case q.slots <- struct{}{}:
	case <-q.c.ctx.Done():
		return false
	}
	q.mu.Lock()
	q.waiting = append(q.waiting, in)
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start {
		go q.store()
	}
	return true
}

// store stores the waiting messages, all that are waiting at once, and
// acknowledges each after its commit (or says why it was refused), in the
// order they were sent, until none wait. Messages still queued when the
// socket closes are neither stored nor acknowledged: the page sends them
// again.
func (q *storeQueue) store() {
	c := q.c
	for {
		q.mu.Lock()
		batch := q.waiting
		q.waiting = nil
		if len(batch) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		if c.ctx.Err() != nil {
			return
		}
		ms, errs := q.say(c.ctx, batch)
		for i, in := range batch {
			var err error
			if serr := errs[i]; serr != nil {
				code := okcare.ErrorCode(serr)
				err = c.send(chatOut{Event: chat.Event{TicketID: c.ticket.ID, ClientID: in.ClientID}, Error: chatProblem(q.lang, serr), Code: code,
					Retry: code == okcare.EINTERNAL || code == okcare.ERATELIMITED || code == okcare.EUNAVAILABLE})
			} else {
				ack := chatEvent(c.ticket, ms[i])
				ack.Kind = kindAck
				err = c.send(ack)
			}
			if err != nil {
				q.cancel()
				return
			}
			<-q.slots
		}
	}
}
