// Package nats carries live-chat events between okcare nodes over NATS, so
// a customer on one node and an agent on another see each other's
// messages. Messages themselves are in the shared database; NATS only
// carries the news that one arrived.
package nats

import (
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/okcare/okcare/chat"
)

// Relay publishes a hub's events to NATS and delivers other nodes' events
// to it.
type Relay struct {
	conn    *nats.Conn
	sub     *nats.Subscription
	subject string
}

// Connect joins the NATS server at url, relaying hub's events under
// subject prefix (e.g. "okcare.chat"), and sets itself as hub's relay.
func Connect(url, prefix string, hub *chat.Hub, logger *slog.Logger) (*Relay, error) {
	conn, err := nats.Connect(url, nats.Name("okcare "+hub.Node), nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", "error", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { logger.Info("nats reconnected") }))
	if err != nil {
		return nil, err
	}
	r := &Relay{conn: conn, subject: strings.TrimSuffix(prefix, ".")}
	r.sub, err = conn.Subscribe(r.subject+".>", func(m *nats.Msg) {
		var e chat.Event
		if json.Unmarshal(m.Data, &e) != nil || e.Origin == hub.Node || e.TicketID == "" {
			return // garbage, or our own event coming back
		}
		hub.Deliver(e)
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Flush(); err != nil { // the subscription is live before we return
		conn.Close()
		return nil, err
	}
	hub.Relay = r
	return r, nil
}

// Publish sends an event to the other nodes.
func (r *Relay) Publish(e chat.Event) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return r.conn.Publish(r.subject+"."+e.TicketID, raw)
}

// Close drains the subscription and disconnects.
func (r *Relay) Close() error {
	return r.conn.Drain()
}
