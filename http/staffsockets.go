package http

import (
	"sync"

	"github.com/okcare/okcare/token"
)

// staffSockets are the open chat sockets of each staff session (by the
// hash of its token), so that signing out closes them at once.
type staffSockets struct {
	mu      sync.Mutex
	next    int
	cancels map[string]map[int]func()
}

// add registers a socket's cancel under a session token and returns the
// function that forgets it.
func (s *staffSockets) add(tok string, cancel func()) func() {
	key := token.Hash(tok)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancels == nil {
		s.cancels = map[string]map[int]func(){}
	}
	if s.cancels[key] == nil {
		s.cancels[key] = map[int]func(){}
	}
	s.next++
	id := s.next
	s.cancels[key][id] = cancel
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.cancels[key], id)
		if len(s.cancels[key]) == 0 {
			delete(s.cancels, key)
		}
	}
}

// closeAll closes every socket of a session token.
func (s *staffSockets) closeAll(tok string) {
	s.mu.Lock()
	list := s.cancels[token.Hash(tok)]
	delete(s.cancels, token.Hash(tok))
	s.mu.Unlock()
	for _, cancel := range list {
		cancel()
	}
}
