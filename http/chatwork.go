package http

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare/chat"
)

// socketWork is what a chat socket has to do besides reading: pass on
// the hub's events, refresh the status line, catch up from the store,
// close. The hub, the timers and the socket's contexts kick it (they
// never do the work themselves); a goroutine does it, one piece after
// another, and runs only while there is some. An idle socket, most
// sockets most of the time, holds no goroutine and no stack for it: its
// reader is the only one.
type socketWork struct {
	// do does the work of flags, on the work's goroutine; it reports
	// whether the socket has ended, after which kicks are ignored.
	do func(flags workFlags) (ended bool)

	mu      sync.Mutex
	pending workFlags
	running bool // a goroutine (or the socket's set-up, see hold) does the work
	ended   bool
}

// workFlags say what is to be done.
type workFlags uint8

const (
	workEvents  workFlags = 1 << iota // the hub has events waiting
	workStatus                        // the status line's refresh is due
	workCatchUp                       // the safety-net catch-up is due
	workClose                         // the socket's context is done
	workDrain                         // the node is draining
)

// newSocketWork is held: kicks only collect until release, so the
// socket's set-up (its first catch-up and status line) runs alone.
func newSocketWork(do func(workFlags) bool) *socketWork {
	return &socketWork{do: do, running: true}
}

// kick asks for the work of f, starting its goroutine if none runs.
func (w *socketWork) kick(f workFlags) {
	w.mu.Lock()
	if w.ended {
		w.mu.Unlock()
		return
	}
	w.pending |= f
	start := !w.running
	w.running = true
	w.mu.Unlock()
	if start {
		go w.run()
	}
}

// release ends the hold of newSocketWork: what was kicked meanwhile is
// done now.
func (w *socketWork) release() {
	w.run()
}

// run does what is pending until nothing is.
func (w *socketWork) run() {
	for {
		w.mu.Lock()
		f := w.pending
		w.pending = 0
		if f == 0 || w.ended {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		if w.do(f) {
			w.mu.Lock()
			w.ended, w.running, w.pending = true, false, 0
			w.mu.Unlock()
			return
		}
	}
}

// afterDone runs f once ctx is done, without a goroutine waiting for it,
// and returns what stops that.
func afterDone(ctx context.Context, f func()) func() {
	stop := context.AfterFunc(ctx, f)
	return func() { stop() }
}

// chatLoop passes the hub's events, the status line's changes and what
// catch-ups find to one socket until it closes or the node drains. Its
// methods run as the socket's work (socketWork), one at a time.
type chatLoop struct {
	s      *Server
	c      *chatConn
	sub    *chat.Subscription
	work   *socketWork
	side   string
	lang   string
	finish func() // ends the socket: closes it, cancels, unsubscribes

	last       chatStatus // the status line last sent
	watch      queueWatch // which shared reads of the queue it may take
	lastStatus time.Time  // when the refresh last read the line
}

// status sends a customer the chat's status line if it changed, worked
// out again because of news.
func (l *chatLoop) status(news statusNews) error {
	if l.side != sideCustomer {
		return nil
	}
	var st chatStatus
	var err error
	ok := true
	if news == ownNews {
		st, err = l.s.chatStatusDirect(l.c.ctx, l.c.ticket, l.lang, &l.watch)
	} else {
		st, ok, err = l.s.chatStatusShared(l.c.ctx, l.c.ticket, l.lang, &l.watch, news == firstLine)
	}
	if err != nil || !ok || st == l.last {
		return err
	}
	l.last = st
	return l.c.send(st)
}

// startTimers kicks the status refresh and the safety-net catch-up on
// time, from timers (not a goroutine waiting on tickers); the stop it
// returns ends them.
func (l *chatLoop) startTimers() (stop func()) {
	every := l.s.ChatRefresh
	if every <= 0 {
		every = chatRefresh
	}
	l.lastStatus = time.Now()
	statusTimer := repeatEvery(every, func() { l.work.kick(workStatus) })
	// The catch-up is kicked every second while the relay is down, and
	// every chatCatchUpAlways anyway, counted by the timer alone (its
	// calls never overlap) from a random start: sockets opened together
	// (a node's restart, an outage's end) then do not all read the store
	// in the same second twice a minute.
	period := int(chatCatchUpAlways / chatCatchUpOutage)
	ticks := rand.IntN(period)
	catchTimer := repeatEvery(chatCatchUpOutage, func() {
		switch ticks++; {
		case !l.s.Chat.Live():
			ticks = rand.IntN(period) // and again from a random start once it is back
			l.work.kick(workCatchUp)
		case ticks >= period:
			ticks = 0
			l.work.kick(workCatchUp)
		}
	})
	return func() { statusTimer(); catchTimer() }
}

// repeatEvery calls f every interval until the stop it returns is
// called; a call under way when it is does not start the timer again.
func repeatEvery(every time.Duration, f func()) (stop func()) {
	var mu sync.Mutex // orders a call's Reset and stop's Stop
	stopped := false
	var t *time.Timer
	t = time.AfterFunc(time.Duration(1<<62), func() { // t is set before it can fire
		f()
		mu.Lock()
		if !stopped {
			t.Reset(every)
		}
		mu.Unlock()
	})
	t.Reset(every)
	return func() {
		mu.Lock()
		stopped = true
		t.Stop()
		mu.Unlock()
	}
}

// do is the socket's work for flags; it reports whether the socket ended.
// A panic in it ends this socket, logged, not the node.
func (l *chatLoop) do(flags workFlags) (ended bool) {
	c := l.c
	defer func() {
		if p := recover(); p != nil {
			l.s.Logger.Error("chat socket panic", "ticket", c.ticket.ID, "side", l.side, "panic", p, "stack", string(debug.Stack()))
			c.conn.Close(websocket.StatusInternalError, "try again")
			l.finish()
			ended = true
		}
	}()
	switch {
	case flags&workClose != 0:
		c.conn.Close(websocket.StatusNormalClosure, "")
		l.finish()
		return true
	case flags&workDrain != 0:
		// The node is stopping: tell the page to reconnect (to another
		// node, the load balancer having seen /readyz turn 503); what it
		// has not had acknowledged it sends again there.
		c.conn.Close(websocket.StatusServiceRestart, "reconnect")
		l.finish()
		return true
	}
	var err error
	if flags&workEvents != 0 {
		for _, e := range l.sub.Take() {
			if err = l.handle(e); err != nil {
				break
			}
		}
	}
	now := time.Now()
	// Once an agent has joined, the line changes only when the chat ends,
	// which the hub tells at once: while it is live, the store is read
	// again only as a slow safety net.
	if err == nil && flags&workStatus != 0 &&
		(l.last.Kind != chat.KindJoin || !l.s.Chat.Live() || now.Sub(l.lastStatus) >= chatCatchUpAlways) {
		l.lastStatus = now
		err = l.status(refresh)
	}
	// While the relay is down other nodes' messages reach this node only
	// through the store; when it is up, a slow safety net for news lost on
	// the way (a node that died between its commit and its publish). The
	// timer kicks it when due.
	if err == nil && flags&workCatchUp != 0 {
		err = c.catchUp()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		l.finish()
		return true
	}
	return false // a cancelled context kicks workClose
}

// handle passes one event of the hub on to the browser.
func (l *chatLoop) handle(e chat.Event) (err error) {
	c := l.c
	switch {
	case e.Kind == "":
		err = c.deliver(e)
		// An answer means an agent has joined; once the line says so, only
		// the end (an event of its own) or the refresh change it, so an
		// answer needs no read of the queue.
		if err == nil && e.From == sideAgent && l.last.Kind != chat.KindJoin {
			err = l.status(ownNews)
		}
	case e.Kind == chat.KindResync:
		if err = c.catchUp(); err == nil {
			err = l.status(refresh)
		}
	case e.Kind == chat.KindTyping && e.From != l.side:
		err = c.send(chatOut{Event: e, Text: tr(l.lang, "chat_typing_"+e.From)})
	case e.Kind == chat.KindJoin || e.Kind == chat.KindLeave:
		err = l.status(ownNews)
	case e.Kind == chat.KindEnd:
		if l.side == sideCustomer {
			err = l.status(ownNews)
		} else {
			err = c.send(chatOut{Event: e, Text: tr(l.lang, "chat_ended")})
		}
	}
	return err
}
