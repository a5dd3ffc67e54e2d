package nats_test

import (
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/chat"
	"github.com/okcare/okcare/faultproxy"
	oknats "github.com/okcare/okcare/nats"
	"github.com/okcare/okcare/token"
)

// natsURL is the test server: OKCARE_TEST_NATS, else the local default.
func natsURL() string {
	if u := os.Getenv("OKCARE_TEST_NATS"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

func connect(t *testing.T, prefix string, hub *chat.Hub) *oknats.Relay {
	t.Helper()
	r := connectTo(t, natsURL(), prefix, hub)
	if !waitFor(3*time.Second, r.Connected) {
		if os.Getenv("CI") != "" {
			t.Fatalf("NATS is not reachable at %s", natsURL())
		}
		t.Skipf("NATS not reachable at %s", natsURL())
	}
	return r
}

func connectTo(t *testing.T, url, prefix string, hub *chat.Hub) *oknats.Relay {
	t.Helper()
	r, err := oknats.Connect(url, prefix, hub, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// waitFor polls ok until it holds or d passes.
func waitFor(d time.Duration, ok func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

// feed passes a subscription's events to a channel, as these tests read
// them, until stop; events of the skipped kinds are dropped.
func feed(sub *chat.Subscription, skip ...string) (events <-chan chat.Event, stop func()) {
	ch, done := make(chan chat.Event, 64), make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-sub.Ready():
				for _, e := range sub.Take() {
					if slices.Contains(skip, e.Kind) {
						continue
					}
					select {
					case ch <- e:
					case <-done:
						return
					}
				}
			}
		}
	}()
	return ch, func() { sub.Cancel(); close(done) }
}

// next waits up to d for an event on ch that is not a typing signal.
func next(t *testing.T, ch <-chan chat.Event, d time.Duration, what string) chat.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(d):
		t.Fatalf("no %s within %v", what, d)
	}
	return chat.Event{}
}

// TestRelayWithoutNATS: a node starts with NATS unreachable (no error,
// state disconnected), connects once NATS is there and tells its watchers
// to read the store; when NATS goes away it says so within a second and
// comes back by itself, telling its watchers again.
func TestRelayWithoutNATS(t *testing.T) {
	prefix := "okcare-test." + token.New("")
	other := &chat.Hub{Node: "other"}
	connect(t, prefix, other) // skips without a NATS to proxy to

	// A free port nobody listens on yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := &chat.Hub{Node: "late"}
	r := connectTo(t, "nats://"+addr, prefix, h)
	if r.Connected() || h.RelayState() != chat.RelayDisconnected || h.Live() {
		t.Fatalf("without NATS: connected %v, state %s", r.Connected(), h.RelayState())
	}
	watch, stop := feed(h.Subscribe("tkt_1"))
	defer stop()

	// NATS appears at the address: the relay connects and resyncs.
	p, err := faultproxy.StartAt(addr, strings.TrimPrefix(natsURL(), "nats://"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if e := next(t, watch, 5*time.Second, "resync on connecting"); e.Kind != chat.KindResync || e.TicketID != "tkt_1" {
		t.Fatalf("on connecting the watcher got %+v", e)
	}
	if !r.Connected() || h.RelayState() != chat.RelayConnected {
		t.Fatalf("after connecting: state %s", h.RelayState())
	}
	// Events flow.
	if !waitFor(3*time.Second, func() bool {
		other.Publish(chat.Event{TicketID: "tkt_1", MessageID: "msg_1", Body: "hi"})
		select {
		case e := <-watch:
			return e.MessageID == "msg_1"
		case <-time.After(100 * time.Millisecond):
			return false
		}
	}) {
		t.Fatal("events do not reach the late node")
	}

	// NATS goes away: known within a second; back: reconnected, resynced.
	p.Stop()
	if !waitFor(time.Second, func() bool { return !r.Connected() }) {
		t.Fatal("the relay still says connected a second after NATS went away")
	}
	for len(watch) > 0 {
		<-watch
	}
	if err := p.Restart(); err != nil {
		t.Fatal(err)
	}
	if e := next(t, watch, 5*time.Second, "resync on reconnecting"); e.Kind != chat.KindResync {
		t.Fatalf("on reconnecting the watcher got %+v", e)
	}
}

// TestTwoNodes: an event published on one node reaches the other node's
// watchers once, and does not come back to its own node twice.
func TestTwoNodes(t *testing.T) {
	prefix := "okcare-test." + token.New("") // isolate parallel runs
	a, b := &chat.Hub{Node: "a"}, &chat.Hub{Node: "b"}
	connect(t, prefix, a)
	connect(t, prefix, b)
	// A node's relay tells its watchers to resync when it connects, which
	// may be after they subscribed: not what this test is about.
	onA, stopA := feed(a.Subscribe("tkt_1"), chat.KindResync)
	defer stopA()
	onB, stopB := feed(b.Subscribe("tkt_1"), chat.KindResync)
	defer stopB()

	if err := a.Publish(chat.Event{TicketID: "tkt_1", MessageID: "msg_1", From: "customer", Body: "在吗"}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-onB:
		if e.Body != "在吗" || e.Origin != "a" {
			t.Fatalf("node b got %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("node b never heard of the message")
	}
	if e := <-onA; e.MessageID != "msg_1" {
		t.Fatalf("node a got %+v", e)
	}
	select {
	case e := <-onA:
		t.Fatalf("node a got its own event twice: %+v", e)
	case e := <-onB:
		t.Fatalf("node b got the event twice: %+v", e)
	case <-time.After(300 * time.Millisecond):
	}
}
