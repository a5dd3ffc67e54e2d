package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// chatMsg is a chat message as a load client sees it arrive.
type chatMsg struct{ From, Body string }

// chatProto is how the load clients speak to one server under test: open
// a side's socket of chat i (handshake included), frame a message, and
// read the messages out of a frame the server sent (answering what the
// protocol asks to be answered on c).
type chatProto interface {
	open(ctx context.Context, i int, side string) (*websocket.Conn, error)
	frame(i int, side, clientID, body string) []byte
	parse(ctx context.Context, c *websocket.Conn, data []byte) []chatMsg
}

// dialer opens client sockets from several loopback source addresses, so
// that more sockets than one address has ephemeral ports can be open.
type dialer struct {
	n      atomic.Int64
	client *http.Client
}

// perSourceIP is how many sockets are opened from one source address: the
// kernel finds a free ephemeral port slowly once most of its 28k are taken.
const perSourceIP = 10000

func newDialer() *dialer {
	d := &dialer{}
	d.client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			n := d.n.Add(1)
			src := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+n/perSourceIP))}
			return (&net.Dialer{LocalAddr: src, Timeout: 10 * time.Second}).DialContext(ctx, network, addr)
		},
		DisableKeepAlives: true,
	}}
	return d
}

func (d *dialer) dial(ctx context.Context, u string, header http.Header) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: d.client, HTTPHeader: header})
	if err == nil {
		c.SetReadLimit(1 << 20)
	}
	return c, err
}

func wsURL(base string) string { return "ws" + strings.TrimPrefix(base, "http") }

// okcareProto is okcare's real chat socket protocol (http/chatsocket.go):
// the customer's socket with its chat cookie, the agent's console socket
// with the staff session cookie; frames {"client_id","body"}; messages are
// events without a kind. Refusals (frames with an error) are counted.
type okcareProto struct {
	setup   chatSetup
	d       *dialer
	refused atomic.Int64
}

func (p *okcareProto) open(ctx context.Context, i int, side string) (*websocket.Conn, error) {
	id := url.PathEscape(p.setup.Chats[i])
	if side == "agent" {
		return p.d.dial(ctx, wsURL(p.setup.URL)+"/console/tickets/"+id+"/ws", http.Header{"Cookie": {"okcare_staff=" + p.setup.AgentToken}})
	}
	return p.d.dial(ctx, wsURL(p.setup.URL)+"/support/chat/"+id+"/ws", http.Header{"Cookie": {"okchat=" + p.setup.Tokens[i]}})
}

func (p *okcareProto) frame(i int, side, clientID, body string) []byte {
	raw, _ := json.Marshal(map[string]string{"client_id": clientID, "body": body})
	return raw
}

func (p *okcareProto) parse(ctx context.Context, c *websocket.Conn, data []byte) []chatMsg {
	var e struct{ Kind, From, Body, Error string }
	if json.Unmarshal(data, &e) != nil {
		return nil
	}
	if e.Error != "" {
		p.refused.Add(1)
	}
	if e.Kind != "" || e.Body == "" {
		return nil
	}
	return []chatMsg{{e.From, e.Body}}
}

// bareProto speaks to bareChat: okcare's frames and events, no cookies.
type bareProto struct {
	setup chatSetup
	d     *dialer
}

func (p *bareProto) open(ctx context.Context, i int, side string) (*websocket.Conn, error) {
	return p.d.dial(ctx, wsURL(p.setup.URL)+"/ws?chat="+p.setup.Chats[i]+"&side="+side, nil)
}

func (p *bareProto) frame(i int, side, clientID, body string) []byte {
	raw, _ := json.Marshal(map[string]string{"client_id": clientID, "body": body})
	return raw
}

func (p *bareProto) parse(ctx context.Context, c *websocket.Conn, data []byte) []chatMsg {
	var e struct{ From, Body string }
	if json.Unmarshal(data, &e) != nil || e.Body == "" {
		return nil
	}
	return []chatMsg{{e.From, e.Body}}
}

// centrifugoProto is Centrifugo's JSON client protocol over its WebSocket
// transport: connect and subscribe to the chat's channel ("chat<i>"), then
// publish {"from","body"} into it as the client; every subscriber,
// publisher included, gets each publication pushed. Frames may hold
// several newline-separated commands or replies; an empty object is the
// server's ping, answered by an empty object.
type centrifugoProto struct {
	setup chatSetup
	d     *dialer
	ids   atomic.Int64
}

func (p *centrifugoProto) open(ctx context.Context, i int, side string) (*websocket.Conn, error) {
	c, err := p.d.dial(ctx, wsURL(p.setup.URL)+"/connection/websocket", nil)
	if err != nil {
		return nil, err
	}
	hello := fmt.Sprintf(`{"id":1,"connect":{"name":"okcare-bench"}}`+"\n"+`{"id":2,"subscribe":{"channel":"chat%d"}}`, i)
	if err := c.Write(ctx, websocket.MessageText, []byte(hello)); err != nil {
		c.CloseNow()
		return nil, err
	}
	for subscribed := false; !subscribed; {
		_, data, err := c.Read(ctx)
		if err != nil {
			c.CloseNow()
			return nil, err
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var r struct {
				ID    int             `json:"id"`
				Error json.RawMessage `json:"error"`
			}
			json.Unmarshal(line, &r)
			if r.Error != nil {
				c.CloseNow()
				return nil, fmt.Errorf("centrifugo: %s", r.Error)
			}
			subscribed = subscribed || r.ID == 2
		}
	}
	return c, nil
}

func (p *centrifugoProto) frame(i int, side, clientID, body string) []byte {
	cmd := map[string]any{"id": p.ids.Add(1) + 2, "publish": map[string]any{"channel": fmt.Sprintf("chat%d", i),
		"data": map[string]string{"from": side, "body": body, "client_id": clientID}}}
	raw, _ := json.Marshal(cmd)
	return raw
}

func (p *centrifugoProto) parse(ctx context.Context, c *websocket.Conn, data []byte) []chatMsg {
	var msgs []chatMsg
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if bytes.Equal(bytes.TrimSpace(line), []byte("{}")) {
			c.Write(ctx, websocket.MessageText, []byte("{}")) // pong
			continue
		}
		var r struct {
			Push *struct {
				Pub *struct {
					Data struct{ From, Body string } `json:"data"`
				} `json:"pub"`
			} `json:"push"`
		}
		if json.Unmarshal(line, &r) == nil && r.Push != nil && r.Push.Pub != nil {
			msgs = append(msgs, chatMsg{r.Push.Pub.Data.From, r.Push.Pub.Data.Body})
		}
	}
	return msgs
}
