package nats_test

import (
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/okcare/okcare/chat"
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
	r, err := oknats.Connect(natsURL(), prefix, hub, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("NATS is not reachable at %s: %v", natsURL(), err)
		}
		t.Skipf("NATS not reachable: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestTwoNodes: an event published on one node reaches the other node's
// watchers once, and does not come back to its own node twice.
func TestTwoNodes(t *testing.T) {
	prefix := "okcare-test." + token.New("") // isolate parallel runs
	a, b := &chat.Hub{Node: "a"}, &chat.Hub{Node: "b"}
	connect(t, prefix, a)
	connect(t, prefix, b)
	onA, stopA := a.Subscribe("tkt_1")
	defer stopA()
	onB, stopB := b.Subscribe("tkt_1")
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
