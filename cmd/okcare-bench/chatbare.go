package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// bareChat is the floor the chat benchmark measures okcare against: a
// coder/websocket server that passes each frame a socket sends to every
// socket of its chat (the sender's included, as okcare's hub does), as
// the event okcare would send, with no store, no acknowledgement, no
// status line and one goroutine per socket.
type bareChat struct {
	mu    sync.Mutex
	chats map[string]map[*websocket.Conn]struct{}
}

func newBareChat() *bareChat { return &bareChat{chats: map[string]map[*websocket.Conn]struct{}{}} }

// ServeHTTP serves /ws?chat=NAME&side=customer|agent.
func (b *bareChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, side := r.URL.Query().Get("chat"), r.URL.Query().Get("side")
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	b.mu.Lock()
	if b.chats[name] == nil {
		b.chats[name] = map[*websocket.Conn]struct{}{}
	}
	b.chats[name][conn] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.chats[name], conn)
		b.mu.Unlock()
	}()
	ctx := r.Context()
	var peers []*websocket.Conn
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var in struct {
			ClientID string `json:"client_id"`
			Body     string `json:"body"`
		}
		if json.Unmarshal(data, &in) != nil {
			continue
		}
		out, _ := json.Marshal(map[string]any{"ticket_id": name, "from": side, "body": in.Body, "client_id": in.ClientID, "at": time.Now()})
		peers = peers[:0]
		b.mu.Lock()
		for c := range b.chats[name] {
			peers = append(peers, c)
		}
		b.mu.Unlock()
		for _, c := range peers {
			wctx, done := context.WithTimeout(ctx, 10*time.Second)
			c.Write(wctx, websocket.MessageText, out)
			done()
		}
	}
}
