package http

import (
	"context"
	"encoding/json"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
)

// How a chat socket keeps its promise that every message reaches the
// browser once and in order, whatever the relay between nodes does: the
// store is the record, the hub and the relay are news. The socket knows
// the seq of the last message it sent (last); a message event that is the
// next one is sent; one it has sent is skipped; one past a gap (an event
// lost by the relay or a full buffer, an internal note in between)
// triggers a catch-up, which reads every public message after last from
// the store, by the (ticket_id, seq) index. It also catches up on a
// resync (the relay is back), every chatCatchUpOutage while the relay is
// down, and every chatCatchUpAlways anyway.
const (
	chatCatchUpOutage = time.Second
	chatCatchUpAlways = 30 * time.Second
)

// chatPingEvery is how often a chat socket pings the browser; a pong that
// does not come back within as long closes the socket, so a frozen or
// half-open connection is let go within seconds. Server.ChatPing
// overrides it.
const chatPingEvery = 3 * time.Second

// chatConn is one open chat socket.
type chatConn struct {
	s      *Server
	conn   *websocket.Conn
	ctx    context.Context
	ticket *okcare.Ticket
	side   string
	// last is the seq of the last message sent; only the socket's main
	// loop touches it.
	last int64
}

// send writes v as one JSON text message. Writes may come from the main
// loop and the reader at once; the library serialises them. A write to a
// browser that stopped reading needs no deadline of its own (a timer a
// message): the pings cannot pass it, their pong does not come back
// within the ping interval, and the socket is closed, which ends the
// write.
func (c *chatConn) send(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.conn.Write(c.ctx, websocket.MessageText, raw)
}

// deliver sends a message event if it is the next one, catching up from
// the store past a gap.
func (c *chatConn) deliver(e chat.Event) error {
	switch {
	case e.Seq != 0 && e.Seq <= c.last:
		return nil // sent already
	case e.Seq == c.last+1:
		c.last = e.Seq
		return c.send(e)
	}
	return c.catchUp()
}

// catchUp sends every public message after last, in order.
func (c *chatConn) catchUp() error {
	for {
		msgs, err := c.s.Store.ChatMessagesSince(c.ctx, c.ticket.ID, c.last, maxCatchUpRead)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if err := c.send(chatEvent(c.ticket, m)); err != nil {
				return err
			}
			c.last = m.Seq
		}
		if len(msgs) < maxCatchUpRead {
			return nil
		}
	}
}

// maxCatchUpRead is how many messages one catch-up read asks for.
const maxCatchUpRead = 200

// startPings pings the browser every interval until the socket closes,
// and closes it (cancel) when a pong is not back within the interval. The
// pings run on a timer (repeatEvery), not a goroutine of their own: an
// idle socket holds no stack for them between pings. stop ends them.
func (c *chatConn) startPings(cancel func(), every time.Duration) (stop func()) {
	return repeatEvery(every, func() {
		if c.ctx.Err() != nil {
			return // closing: its stop is on the way
		}
		ctx, done := context.WithTimeout(c.ctx, every)
		defer done()
		if c.conn.Ping(ctx) != nil {
			cancel()
		}
	})
}

// chatPing is the socket ping interval in force.
func (s *Server) chatPing() time.Duration {
	if s.ChatPing > 0 {
		return s.ChatPing
	}
	return chatPingEvery
}

// chatEvent is a stored public message as the chat sockets carry it.
func chatEvent(t *okcare.Ticket, m *okcare.TicketMessage) chat.Event {
	return chat.Event{TicketID: t.ID, MessageID: m.ID, From: chatFrom(m.Author), Body: m.Body, At: m.CreatedAt, Seq: m.Seq, ClientID: m.ClientID}
}
