// Package chat fans live-chat messages out to the browsers watching a
// ticket: the customer's chat page and the agents' console. Messages are
// stored first (by the caller); the hub only carries the news. A Relay,
// when set, carries it to the other nodes as well (see the nats package).
//
// Besides messages the hub carries signals that are never stored: one
// side typing, an agent joining or leaving the chat, the chat ending. The
// hub counts the agents in each chat from the join and leave signals it
// delivers, its own and the relay's alike, so every node knows whether a
// customer is still waiting.
package chat

import (
	"sync"
	"time"
)

// Kinds of events other than messages.
const (
	KindTyping = "typing" // From is typing; never stored
	KindJoin   = "join"   // an agent opened the chat
	KindLeave  = "leave"  // an agent closed it
	KindEnd    = "end"    // the chat was ended
	// KindResync tells every watcher on this node that events may have
	// been missed (the relay was down and is back): each reads what it
	// missed from the store. Never relayed.
	KindResync = "resync"
)

// Relay states, as RelayState reports them.
const (
	RelayOff          = "off"          // no relay: this node is alone
	RelayConnected    = "connected"    // other nodes' events arrive as they happen
	RelayDisconnected = "disconnected" // they do not: watchers read the store
)

// Event is one new message on a chat ticket, or a signal (Kind).
type Event struct {
	// Kind is empty for a message.
	Kind      string    `json:"kind,omitempty"`
	TicketID  string    `json:"ticket_id"`
	MessageID string    `json:"id"`
	From      string    `json:"from"` // "customer", "agent" or "system"
	Body      string    `json:"body"`
	At        time.Time `json:"at"`
	// Seq is a message's place in its ticket's conversation: a watcher
	// that sees a gap reads the missing messages from the store.
	Seq int64 `json:"seq,omitempty"`
	// ClientID is the sender's own id for a message, so the page that
	// sent it knows it is in.
	ClientID string `json:"client_id,omitempty"`
	// Origin is the node that published the event, so a relay does not
	// deliver a node's own events twice.
	Origin string `json:"origin,omitempty"`
}

// Relay carries events between nodes. It may lose them (while it is
// down, or a node dies before handing one over): the store is the record,
// the relay only news.
type Relay interface {
	Publish(e Event) error
	// Connected tells whether the relay is up: events pass between nodes.
	Connected() bool
}

// Hub delivers events to local subscribers by ticket.
type Hub struct {
	// Node names this process in events it publishes.
	Node string
	// Relay, when set, also receives every event published here.
	Relay Relay

	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{}
	agents map[string]int // agents in each chat, from join and leave
}

// bufferSize is how many events a slow watcher may fall behind before it
// misses some; it reads what it missed from the store when it sees the gap.
const bufferSize = 64

// Subscription is one watcher of a ticket. Its queue of undelivered
// events takes memory only while it holds some: an idle watcher (most of
// them, most of the time) costs a few hundred bytes, not a buffer of
// bufferSize events.
type Subscription struct {
	h        *Hub
	ticketID string
	ready    chan struct{} // holds a token while the queue is not empty
	notify   func()        // SubscribeFunc's: called instead of signalling ready
	once     sync.Once

	mu    sync.Mutex
	queue []Event // nil while empty; at most bufferSize
}

// Ready is signalled when events are waiting; Take them then. (A
// SubscribeFunc subscription calls its function instead: its Ready is
// never signalled.)
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Take returns the waiting events, oldest first, and empties the queue.
func (s *Subscription) Take() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil // the queue's memory goes with the events
	return q
}

// Len counts the waiting events.
func (s *Subscription) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Cancel ends the subscription; calling it again is harmless.
func (s *Subscription) Cancel() {
	s.once.Do(func() {
		h := s.h
		h.mu.Lock()
		delete(h.subs[s.ticketID], s)
		if len(h.subs[s.ticketID]) == 0 {
			delete(h.subs, s.ticketID)
		}
		h.mu.Unlock()
	})
}

// offer queues e, never blocking: a watcher bufferSize events behind
// misses it, and sees the gap.
func (s *Subscription) offer(e Event) {
	s.mu.Lock()
	if len(s.queue) >= bufferSize {
		s.mu.Unlock()
		return
	}
	first := s.queue == nil
	if first {
		s.queue = make([]Event, 0, 2) // most bursts are a message and its answer
	}
	s.queue = append(s.queue, e)
	s.mu.Unlock()
	if s.notify != nil {
		if first {
			s.notify()
		}
		return
	}
	select {
	case s.ready <- struct{}{}:
	default: // already signalled
	}
}

// Subscribe watches a ticket until the subscription is cancelled.
func (h *Hub) Subscribe(ticketID string) *Subscription {
	return h.subscribe(&Subscription{h: h, ticketID: ticketID, ready: make(chan struct{}, 1)})
}

// SubscribeFunc watches a ticket as Subscribe does, but instead of
// signalling Ready calls notify whenever events start waiting (the queue
// was empty): the watcher then Takes them, and needs no goroutine waiting
// on a channel in between. notify runs on the publisher's goroutine, with
// the hub locked: it must only hand the work on, not do it.
func (h *Hub) SubscribeFunc(ticketID string, notify func()) *Subscription {
	return h.subscribe(&Subscription{h: h, ticketID: ticketID, notify: notify})
}

func (h *Hub) subscribe(s *Subscription) *Subscription {
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[*Subscription]struct{}{}
	}
	if h.subs[s.ticketID] == nil {
		h.subs[s.ticketID] = map[*Subscription]struct{}{}
	}
	h.subs[s.ticketID][s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Publish delivers e here and hands it to the relay.
func (h *Hub) Publish(e Event) error {
	e.Origin = h.Node
	h.Deliver(e)
	if h.Relay != nil {
		return h.Relay.Publish(e)
	}
	return nil
}

// Deliver hands e to this node's watchers of its ticket, never blocking:
// a watcher whose buffer is full misses the event.
func (h *Hub) Deliver(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch e.Kind {
	case KindJoin:
		if h.agents == nil {
			h.agents = map[string]int{}
		}
		h.agents[e.TicketID]++
	case KindLeave:
		if h.agents[e.TicketID]--; h.agents[e.TicketID] <= 0 {
			delete(h.agents, e.TicketID)
		}
	}
	for s := range h.subs[e.TicketID] {
		s.offer(e)
	}
}

// Watchers counts the subscriptions to a ticket.
func (h *Hub) Watchers(ticketID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[ticketID])
}

// Agents counts the agents who have a chat open, on any node.
func (h *Hub) Agents(ticketID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.agents[ticketID]
}

// RelayState is RelayOff, RelayConnected or RelayDisconnected.
func (h *Hub) RelayState() string {
	switch {
	case h.Relay == nil:
		return RelayOff
	case h.Relay.Connected():
		return RelayConnected
	}
	return RelayDisconnected
}

// Live tells whether every node's events reach this node's watchers as
// they happen: with no relay (one node) or a connected one. While not,
// watchers read the store every few seconds instead.
func (h *Hub) Live() bool { return h.RelayState() != RelayDisconnected }

// Resync tells every watcher on this node to read what it may have missed
// from the store; the relay calls it when it connects again.
func (h *Hub) Resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ticketID, subs := range h.subs {
		for s := range subs {
			s.offer(Event{Kind: KindResync, TicketID: ticketID}) // a full queue: the watcher will see a gap anyway
		}
	}
}
