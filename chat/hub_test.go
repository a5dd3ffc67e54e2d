package chat_test

import (
	"testing"

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
	a, cancelA := h.Subscribe("tkt_1")
	b, cancelB := h.Subscribe("tkt_1")
	other, cancelOther := h.Subscribe("tkt_2")
	defer cancelOther()

	h.Publish(chat.Event{TicketID: "tkt_1", Body: "你好"})
	for _, ch := range []<-chan chat.Event{a, b} {
		if e := <-ch; e.Body != "你好" || e.Origin != "n1" {
			t.Fatalf("got %+v", e)
		}
	}
	select {
	case e := <-other:
		t.Fatalf("another ticket's watcher got %+v", e)
	default:
	}
	if len(relay.got) != 1 {
		t.Fatalf("relay got %d events", len(relay.got))
	}

	// A remote event is delivered locally and not relayed back.
	h.Deliver(chat.Event{TicketID: "tkt_1", Body: "from n2", Origin: "n2"})
	if e := <-a; e.Body != "from n2" || len(relay.got) != 1 {
		t.Fatalf("remote delivery %+v, relayed %d", e, len(relay.got))
	}

	// A watcher that stops reading does not block the others.
	for i := 0; i < 200; i++ {
		h.Deliver(chat.Event{TicketID: "tkt_1", Body: "flood"})
	}
	cancelA()
	cancelA() // twice is harmless
	cancelB()
	if h.Watchers("tkt_1") != 0 || h.Watchers("tkt_2") != 1 {
		t.Fatalf("watchers %d %d", h.Watchers("tkt_1"), h.Watchers("tkt_2"))
	}
}

// TestHubAgents: the hub counts agents in a chat from join and leave
// signals, local and relayed alike, and carries the signals to watchers.
func TestHubAgents(t *testing.T) {
	h := &chat.Hub{Node: "n1"}
	watch, cancel := h.Subscribe("tkt_1")
	defer cancel()
	if h.Agents("tkt_1") != 0 {
		t.Fatal("agents in a new chat")
	}
	h.Publish(chat.Event{Kind: chat.KindJoin, TicketID: "tkt_1", From: "agent"})
	h.Deliver(chat.Event{Kind: chat.KindJoin, TicketID: "tkt_1", From: "agent", Origin: "n2"})
	if n := h.Agents("tkt_1"); n != 2 {
		t.Fatalf("%d agents after two joins", n)
	}
	if e := <-watch; e.Kind != chat.KindJoin {
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
	a, stopA := h.Subscribe("tkt_1")
	defer stopA()
	b, stopB := h.Subscribe("tkt_2")
	defer stopB()
	h.Resync()
	for _, ch := range []<-chan chat.Event{a, b} {
		if e := <-ch; e.Kind != chat.KindResync || e.TicketID == "" {
			t.Fatalf("resync delivered as %+v", e)
		}
	}
	if len(relay.got) != 0 {
		t.Fatalf("resync was relayed: %+v", relay.got)
	}
}
