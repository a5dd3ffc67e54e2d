package http

import "sync"

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
