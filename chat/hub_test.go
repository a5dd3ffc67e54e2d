package chat_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare/chat"
)

type recordingRelay struct {
	got  []chat.Event
	down bool
}

func (r *recordingRelay) Publish(e chat.Event) error { r.got = append(r.got, e); return nil }
func (r *recordingRelay) Connected() bool            { return !r.down }

func TestHub(t *testing.T) {
	relay := &recordingRelay{}
	h := &chat.Hub{Node: "n1", Relay: relay}
	a := h.Subscribe("tkt_1")
	b := h.Subscribe("tkt_1")
	other := h.Subscribe("tkt_2")
	defer other.Cancel()

	h.Publish(chat.Event{TicketID: "tkt_1", Body: "你好"})
	for _, sub := range []*chat.Subscription{a, b} {
		if e := next(t, sub); e.Body != "你好" || e.Origin != "n1" {
			t.Fatalf("got %+v", e)
		}
	}
	if n := other.Len(); n != 0 {
		t.Fatalf("another ticket's watcher got %+v", other.Take())
	}
	if len(relay.got) != 1 {
		t.Fatalf("relay got %d events", len(relay.got))
	}

	// A remote event is delivered locally and not relayed back.
	h.Deliver(chat.Event{TicketID: "tkt_1", Body: "from n2", Origin: "n2"})
	if e := next(t, a); e.Body != "from n2" || len(relay.got) != 1 {
		t.Fatalf("remote delivery %+v, relayed %d", e, len(relay.got))
	}

	// A watcher that stops reading does not block the others.
	for i := 0; i < 200; i++ {
		h.Deliver(chat.Event{TicketID: "tkt_1", Body: "flood"})
	}
	if n := a.Len(); n != 64 {
		t.Fatalf("%d events queued for a watcher that stopped reading", n)
	}
	a.Cancel()
	a.Cancel() // twice is harmless
	b.Cancel()
	if h.Watchers("tkt_1") != 0 || h.Watchers("tkt_2") != 1 {
		t.Fatalf("watchers %d %d", h.Watchers("tkt_1"), h.Watchers("tkt_2"))
	}
}

// TestHubAgents: the hub counts agents in a chat from join and leave
// signals, local and relayed alike, and carries the signals to watchers.
func TestHubAgents(t *testing.T) {
	h := &chat.Hub{Node: "n1"}
	watch := h.Subscribe("tkt_1")
	defer watch.Cancel()
	if h.Agents("tkt_1") != 0 {
		t.Fatal("agents in a new chat")
	}
	h.Publish(chat.Event{Kind: chat.KindJoin, TicketID: "tkt_1", From: "agent"})
	h.Deliver(chat.Event{Kind: chat.KindJoin, TicketID: "tkt_1", From: "agent", Origin: "n2"})
	if n := h.Agents("tkt_1"); n != 2 {
		t.Fatalf("%d agents after two joins", n)
	}
	if e := next(t, watch); e.Kind != chat.KindJoin {
		t.Fatalf("watcher got %+v", e)
	}
	h.Publish(chat.Event{Kind: chat.KindLeave, TicketID: "tkt_1"})
	h.Publish(chat.Event{Kind: chat.KindLeave, TicketID: "tkt_1"})
	h.Publish(chat.Event{Kind: chat.KindLeave, TicketID: "tkt_1"}) // a stray leave never goes below zero
	if n := h.Agents("tkt_1"); n != 0 {
		t.Fatalf("%d agents after they left", n)
	}
	h.Publish(chat.Event{Kind: chat.KindJoin, TicketID: "tkt_1"})
	if n := h.Agents("tkt_1"); n != 1 {
		t.Fatalf("%d agents after a join following a stray leave", n)
	}
}

// TestHubRelayState: a node alone is live; one with a relay is live while
// the relay is connected. Resync reaches every watcher of every ticket on
// the node, and never the relay.
func TestHubRelayState(t *testing.T) {
	alone := &chat.Hub{Node: "n1"}
	if alone.RelayState() != chat.RelayOff || !alone.Live() {
		t.Fatalf("a node alone: %s, live %v", alone.RelayState(), alone.Live())
	}
	relay := &recordingRelay{}
	h := &chat.Hub{Node: "n1", Relay: relay}
	if h.RelayState() != chat.RelayConnected || !h.Live() {
		t.Fatalf("connected relay: %s", h.RelayState())
	}
	relay.down = true
	if h.RelayState() != chat.RelayDisconnected || h.Live() {
		t.Fatalf("relay down: %s, live %v", h.RelayState(), h.Live())
	}
	a := h.Subscribe("tkt_1")
	defer a.Cancel()
	b := h.Subscribe("tkt_2")
	defer b.Cancel()
	h.Resync()
	for _, sub := range []*chat.Subscription{a, b} {
		if e := next(t, sub); e.Kind != chat.KindResync || e.TicketID == "" {
			t.Fatalf("resync delivered as %+v", e)
		}
	}
	if len(relay.got) != 0 {
		t.Fatalf("resync was relayed: %+v", relay.got)
	}
}

// next waits for sub's next event, one at a time.
func next(t *testing.T, sub *chat.Subscription) chat.Event {
	t.Helper()
	for len(pending[sub]) == 0 {
		select {
		case <-sub.Ready():
			pending[sub] = append(pending[sub], sub.Take()...)
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5 s")
		}
	}
	e := pending[sub][0]
	pending[sub] = pending[sub][1:]
	return e
}

// pending holds the events next has taken but not returned yet.
var pending = map[*chat.Subscription][]chat.Event{}

// TestHubLazyQueue: a watcher costs no event buffer until events arrive,
// and a burst that arrives at once (as many events as a watcher may fall
// behind) reaches it whole and in order, from several publishers at once
// while it reads; its queue is released once taken.
func TestHubLazyQueue(t *testing.T) {
	h := &chat.Hub{Node: "n1"}
	const watchers = 1000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	subs := make([]*chat.Subscription, watchers)
	for i := range subs {
		subs[i] = h.Subscribe("tkt_idle")
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / watchers; per > 1024 {
		t.Fatalf("an idle watcher allocates %d bytes up front", per)
	}
	for _, s := range subs {
		s.Cancel()
	}

	// A burst: 4 publishers of 16 events each, while the watcher reads.
	w := h.Subscribe("tkt_1")
	defer w.Cancel()
	const publishers, each = 4, 16
	var wg sync.WaitGroup
	for p := 0; p < publishers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				h.Publish(chat.Event{TicketID: "tkt_1", From: string(rune('a' + p)), Seq: int64(i)})
			}
		}(p)
	}
	last := map[string]int64{}
	for got := 0; got < publishers*each; {
		select {
		case <-w.Ready():
		case <-time.After(5 * time.Second):
			t.Fatalf("burst stuck after %d of %d events", got, publishers*each)
		}
		for _, e := range w.Take() {
			if e.Seq != last[e.From]+1 {
				t.Fatalf("publisher %s: event %d after %d", e.From, e.Seq, last[e.From])
			}
			last[e.From] = e.Seq
			got++
		}
	}
	wg.Wait()
	if n := w.Len(); n != 0 {
		t.Fatalf("%d events left after the burst was read", n)
	}
	// A burst into a watcher that is not reading: all of it waits for it.
	for i := 1; i <= 64; i++ {
		h.Deliver(chat.Event{TicketID: "tkt_1", Seq: int64(i)})
	}
	select {
	case <-w.Ready():
	default:
		t.Fatal("a waiting burst is not signalled")
	}
	q := w.Take()
	if len(q) != 64 || q[0].Seq != 1 || q[63].Seq != 64 {
		t.Fatalf("burst of 64 arrived as %d events", len(q))
	}
	if len(w.Take()) != 0 {
		t.Fatal("taken events came back")
	}
}

// A SubscribeFunc watcher is told once each time events start waiting,
// not once per event: it takes them all when it gets to it.
func TestSubscribeFuncNotifiesWhenEventsStartWaiting(t *testing.T) {
	h := &chat.Hub{}
	calls := 0
	var sub *chat.Subscription
	sub = h.SubscribeFunc("tkt_1", func() { calls++ })
	defer sub.Cancel()
	h.Publish(chat.Event{TicketID: "tkt_1", Body: "一"})
	h.Publish(chat.Event{TicketID: "tkt_1", Body: "二"})
	if calls != 1 {
		t.Fatalf("told %d times for two events waiting together, want 1", calls)
	}
	if got := sub.Take(); len(got) != 2 || got[0].Body != "一" || got[1].Body != "二" {
		t.Fatalf("took %+v", got)
	}
	h.Publish(chat.Event{TicketID: "tkt_1", Body: "三"})
	if calls != 2 {
		t.Fatalf("told %d times after the queue emptied and an event came, want 2", calls)
	}
	select {
	case <-sub.Ready():
		t.Fatal("a SubscribeFunc watcher's Ready was signalled")
	default:
	}
}
