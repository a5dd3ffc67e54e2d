// Package nats carries live-chat events between okcare nodes over NATS, so
// a customer on one node and an agent on another see each other's
// messages. Messages themselves are in the shared database; NATS only
// carries the news that one arrived. It is an accelerator, not a
// dependency: a node starts and serves without it, and while it is down
// (and once it is back) the chat sockets read what they missed from the
// store (see chat.Hub.Live and chat.KindResync).
package nats

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
)

// Relay publishes a hub's events to NATS and delivers other nodes' events
// to it.
type Relay struct {
	conn    *nats.Conn
	sub     *nats.Subscription
	subject string
}

// Reconnection: a server that went away is tried again every second; one
// that stopped answering is given up after two missed pings 5 s apart.
const (
	reconnectWait = time.Second
	pingInterval  = 5 * time.Second
	maxPingsOut   = 2
)

// Connect joins the NATS server at url, relaying hub's events under
// subject prefix (e.g. "okcare.chat"), and sets itself as hub's relay. An
// unreachable server is no error: the relay keeps trying in the
// background, and each time it connects (the first time too) it tells
// the hub's watchers to read what they missed. Only a malformed url or
// subject fails.
func Connect(url, prefix string, hub *chat.Hub, logger *slog.Logger) (*Relay, error) {
	resync := func(*nats.Conn) {
		logger.Info("nats connected")
		hub.Resync()
	}
	conn, err := nats.Connect(url, nats.Name("okcare "+hub.Node),
		nats.MaxReconnects(-1), nats.RetryOnFailedConnect(true), nats.ReconnectWait(reconnectWait),
		nats.PingInterval(pingInterval), nats.MaxPingsOutstanding(maxPingsOut),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", "error", err)
			}
		}),
		nats.ConnectHandler(resync), nats.ReconnectHandler(resync))
	if err != nil {
		return nil, err
	}
	r := &Relay{conn: conn, subject: strings.TrimSuffix(prefix, ".")}
	r.sub, err = conn.Subscribe(r.subject+".>", func(m *nats.Msg) {
		var e chat.Event
		if json.Unmarshal(m.Data, &e) != nil || e.Origin == hub.Node || e.TicketID == "" || e.Kind == chat.KindResync {
			return // garbage, or our own event coming back
		}
		hub.Deliver(e)
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	if conn.IsConnected() {
		if err := conn.Flush(); err != nil { // the subscription is live before we return
			logger.Warn("nats flush", "error", err)
		}
	} else {
		logger.Warn("nats unreachable; live chat reads the store until it is back", "url", url)
	}
	hub.Relay = r
	return r, nil
}

// Connected tells whether the relay is connected to NATS now.
func (r *Relay) Connected() bool { return r.conn.IsConnected() }

// Health is the relay's readiness check (never critical: chat serves
// without NATS): its state, and EUNAVAILABLE while it is disconnected.
func (r *Relay) Health(context.Context) (any, error) {
	if r.Connected() {
		return map[string]string{"state": chat.RelayConnected}, nil
	}
	return map[string]string{"state": chat.RelayDisconnected},
		okcare.Errorf(okcare.EUNAVAILABLE, "NATS is unreachable; live chat reads the store until it is back.")
}

// Publish sends an event to the other nodes. While NATS is down the
// client holds it (up to its reconnect buffer) and sends it on
// reconnecting; the others read the store meanwhile either way.
func (r *Relay) Publish(e chat.Event) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return r.conn.Publish(r.subject+"."+e.TicketID, raw)
}

// Close drains the subscription and disconnects.
func (r *Relay) Close() error {
	if !r.conn.IsConnected() {
		r.conn.Close()
		return nil
	}
	return r.conn.Drain()
}
