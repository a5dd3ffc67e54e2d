package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
)

// quiet fails if an event satisfying bad arrives on s within d.
func (s *chatSocket) quiet(what string, d time.Duration, bad func(chatEvent) bool) {
	s.t.Helper()
	timeout := time.After(d)
	for {
		select {
		case raw := <-s.frames:
			var e chatEvent
			json.Unmarshal(raw, &e)
			if bad(e) {
				s.t.Fatalf("%s: %s", what, raw)
			}
		case <-s.closed:
			if len(s.frames) == 0 {
				s.t.Fatalf("while expecting no %s: %v", what, s.err)
			}
		case <-timeout:
			return
		}
	}
}

// holdTicket locks a ticket's row in a transaction of its own (on SQLite:
// the database's write lock), as a slow writer would; release ends it.
func holdTicket(t *testing.T, ts *testServer, id string) (release func()) {
	t.Helper()
	tx, err := ts.db.SQL().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ts.db.Rebind(`UPDATE tickets SET updated_at = updated_at WHERE id = ?`), id); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}

// storedByClientID counts a ticket's messages under a client id.
func storedByClientID(t *testing.T, ts *testServer, ticketID, clientID string) []*okcare.TicketMessage {
	t.Helper()
	msgs, err := ts.db.TicketMessages(context.Background(), ticketID, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []*okcare.TicketMessage
	for _, m := range msgs {
		if m.ClientID == clientID {
			out = append(out, m)
		}
	}
	return out
}

// TestChatAckAfterCommit: a chat message is acknowledged only once it is
// committed: while its transaction waits on the ticket's lock no ack
// comes, and when the ack comes the message is in the store with the id
// and seq the ack names. A refused message gets no ack but its client id
// and whether sending it again later may pass. On both stores.
func TestChatAckAfterCommit(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			staffChat(t, ts, "agent@okcare.example")
			customer, path := openChat(t, ts, "zh-CN", "ack@example.com", "在吗")
			id := strings.TrimPrefix(path, "/support/chat/")
			socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
			socket.until("the opening message", func(e chatEvent) bool { return e.Body == "在吗" })

			release := holdTicket(t, ts, id)
			socket.send(`{"client_id":"c-ack-1","body":"转账一直在处理中"}`)
			socket.quiet("an ack before the commit", 700*time.Millisecond, func(e chatEvent) bool { return e.Kind == "ack" })
			release()
			ack := socket.until("the ack", func(e chatEvent) bool { return e.Kind == "ack" })
			stored := storedByClientID(t, ts, id, "c-ack-1")
			if len(stored) != 1 || stored[0].ID != ack.ID || stored[0].Seq != ack.Seq || ack.ClientID != "c-ack-1" || ack.Body != "转账一直在处理中" {
				t.Fatalf("ack %+v, stored %+v", ack, stored)
			}

			// Closed: refused for good, named by its client id, no ack.
			if _, err := ts.db.SetTicketStatus(context.Background(), id, "agent:x", okcare.TicketClosed); err != nil {
				t.Fatal(err)
			}
			socket.send(`{"client_id":"c-ack-2","body":"还在吗"}`)
			e := socket.until("the refusal", func(e chatEvent) bool { return e.Error != "" || e.Kind == "ack" })
			if e.Kind == "ack" || e.ClientID != "c-ack-2" || e.Retry || e.Error != "对话已结束。谢谢您的耐心。" {
				t.Fatalf("a message to a closed chat: %+v", e)
			}
		})
	}
}

// TestChatResendIsNoop: a message sent again under its client id (its ack
// was lost, the socket dropped) is answered with the first message's ack
// and goes to nobody again; the same holds for the agent's API and the
// plain chat form. Without a client id the old protocol still works.
func TestChatResendIsNoop(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "resend@example.com", "在吗")
	id := strings.TrimPrefix(path, "/support/chat/")
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	agentSocket := dialChat(t, ts, agent, "/console/tickets/"+id+"/ws")
	agentSocket.until("the opening message", func(e chatEvent) bool { return e.Body == "在吗" })
	news := ts.srv.Chat.Subscribe(id)
	defer news.Cancel()

	first := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	first.send(`{"client_id":"c-tunnel","body":"进隧道了"}`)
	ack := first.until("the ack", func(e chatEvent) bool { return e.Kind == "ack" })
	agentSocket.until("the message", func(e chatEvent) bool { return e.ID == ack.ID })
	first.conn.CloseNow() // as if the ack had been lost with the connection

	again := dialChat(t, ts, customer, path+"/ws?lang=zh-CN&since_seq="+itoa64(ack.Seq))
	again.send(`{"client_id":"c-tunnel","body":"进隧道了"}`)
	if re := again.until("the ack of the resend", func(e chatEvent) bool { return e.Kind == "ack" }); re.ID != ack.ID || re.Seq != ack.Seq {
		t.Fatalf("resend acked as %+v, first as %+v", re, ack)
	}
	agentSocket.quiet("the resent message reached the agent again", 500*time.Millisecond, func(e chatEvent) bool { return e.ID == ack.ID })
	if n := len(storedByClientID(t, ts, id, "c-tunnel")); n != 1 {
		t.Fatalf("%d copies stored", n)
	}
	published := 0
	for _, e := range news.Take() {
		if e.Kind == "" && e.MessageID == ack.ID {
			published++
		}
	}
	if published != 1 {
		t.Fatalf("the message was published %d times", published)
	}

	// The agent's API: 201, then 200 with the same message.
	token := ts.agentLogin(t)
	reply := map[string]any{"body": "您好", "public": true, "client_id": "api-1"}
	status, m1, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, reply)
	status2, m2, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, reply)
	if status != 201 || status2 != 200 || m1["id"] != m2["id"] || m1["seq"] == nil {
		t.Fatalf("API reply twice: %d %v, then %d %v", status, m1, status2, m2)
	}
	again.until("the API reply", func(e chatEvent) bool { return e.ID == m1["id"] })
	again.quiet("the API reply came twice", 400*time.Millisecond, func(e chatEvent) bool { return e.ID == m1["id"] })
	if status, body, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, map[string]any{"body": "x", "public": true, "client_id": "has space"}); status != 400 {
		t.Fatalf("a malformed client id: %d %v", status, body)
	}

	// The plain form sent twice (a reload): one message.
	_, page, _ := customer.get(path + "?lang=zh-CN")
	cid := regexpField(page, "client_id")
	if cid == "" {
		t.Fatal("the chat form has no client id")
	}
	for range 2 {
		customer.post(path+"/messages", url.Values{"lang": {"zh-CN"}, "body": {"表单发的"}, "client_id": {cid}})
	}
	if n := len(storedByClientID(t, ts, id, cid)); n != 1 {
		t.Fatalf("the form sent twice stored %d messages", n)
	}

	if status, _, _ := customer.get(path + "/ws?since_seq=msg_1"); status != 400 {
		t.Fatalf("since_seq that is not a seq: %d", status)
	}

	// Old pages, no client id: stored and echoed as before.
	again.send(`{"body":"旧页面"}`)
	again.until("the message of an old page", func(e chatEvent) bool { return e.Body == "旧页面" && e.Kind == "" })
}

// regexpField is the value of the hidden input name on page.
func regexpField(page, name string) string {
	i := strings.Index(page, `name="`+name+`" value="`)
	if i < 0 {
		return ""
	}
	rest := page[i+len(`name="`+name+`" value="`):]
	return rest[:strings.Index(rest, `"`)]
}

// TestChatSocketHeartbeat: the socket answers the page's heartbeat, and
// lets go of a browser that stops answering pings (frozen, or gone
// without a word) within two ping intervals.
func TestChatSocketHeartbeat(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	ts.srv.ChatPing = 200 * time.Millisecond
	customer, path := openChat(t, ts, "zh-CN", "beat@example.com", "在吗")
	id := strings.TrimPrefix(path, "/support/chat/")
	socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	socket.send(`{"ping":true}`)
	socket.until("the pong", func(e chatEvent) bool { return e.Kind == "pong" })
	// Reading, the client answers the server's pings: the socket stays.
	time.Sleep(800 * time.Millisecond)
	if n := ts.srv.Chat.Watchers(id); n != 1 {
		t.Fatalf("an answering browser's socket: %d watchers", n)
	}
	socket.conn.CloseNow()

	// A browser that never reads never answers a ping.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	frozen, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+path+"/ws?lang=zh-CN", &websocket.DialOptions{HTTPClient: customer.http})
	if err != nil {
		t.Fatal(err)
	}
	defer frozen.CloseNow()
	deadline := time.Now().Add(2 * time.Second)
	for ts.srv.Chat.Watchers(id) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := ts.srv.Chat.Watchers(id); n != 0 {
		t.Fatalf("a silent browser is still watched after 2 s (ping every %v)", ts.srv.ChatPing)
	}
}

// switchRelay is a relay to no other node that a test takes down.
type switchRelay struct{ down atomic.Bool }

func (r *switchRelay) Publish(chat.Event) error {
	if r.down.Load() {
		return errors.New("down")
	}
	return nil
}
func (r *switchRelay) Connected() bool { return !r.down.Load() }

// TestChatCatchesUpFromTheStore: news the hub never carried (written by
// another node while the relay was down, or lost) reaches an open socket
// from the store: at once past a gap, on a resync, and every second while
// the relay is down; in order, each once.
func TestChatCatchesUpFromTheStore(t *testing.T) {
	ts := newTestServer(t)
	relay := &switchRelay{}
	ts.srv.Chat.Relay = relay
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "gap@example.com", "在吗")
	id := strings.TrimPrefix(path, "/support/chat/")
	socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	socket.until("the opening message", func(e chatEvent) bool { return e.Body == "在吗" })
	ctx := context.Background()
	elsewhere := func(body string) *okcare.TicketMessage { // another node, its news lost
		t.Helper()
		m, err := ts.db.ReplyAsAgent(ctx, id, "agt_far", body, true)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	order := func(want ...string) {
		t.Helper()
		var got []string
		socket.until(strings.Join(want, ", "), func(e chatEvent) bool {
			if e.Kind == "" && e.Body != "" {
				got = append(got, e.Body)
			}
			return len(got) == len(want)
		})
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("got %q, want %q", got, want)
		}
	}

	// A gap: the next message that is carried brings the lost one first.
	elsewhere("丢了的消息")
	token := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, map[string]any{"body": "送到的消息", "public": true}); status != 201 {
		t.Fatal(status)
	}
	order("丢了的消息", "送到的消息")

	// A resync (the relay is back) reads what was missed.
	elsewhere("恢复前的消息")
	ts.srv.Chat.Resync()
	order("恢复前的消息")

	// The relay down: the socket reads the store every second.
	relay.down.Store(true)
	start := time.Now()
	elsewhere("中断时的消息")
	order("中断时的消息")
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("caught up after %v with the relay down", d)
	}
	socket.quiet("a message twice", 1500*time.Millisecond, func(e chatEvent) bool { return e.Kind == "" && e.Body != "" })
}

// TestChatSocketsOnDrain: when the node starts draining (SIGTERM), every
// chat socket is closed with a close frame asking the page to reconnect
// (1012, "reconnect"), and new ones are refused with 503, so that pages
// move to another node before this one stops.
func TestChatSocketsOnDrain(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "drain@example.com", "在吗")
	socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	socket.until("the opening message", func(e chatEvent) bool { return e.Body == "在吗" })
	ts.srv.StartDraining()
	select {
	case <-socket.closed:
	case <-time.After(2 * time.Second):
		t.Fatal("the chat socket is still open 2 s into the drain")
	}
	if code := websocket.CloseStatus(socket.err); code != websocket.StatusServiceRestart {
		t.Fatalf("closed with %v (%v), want 1012", code, socket.err)
	}
	var ce websocket.CloseError
	if !errors.As(socket.err, &ce) || ce.Reason != "reconnect" {
		t.Fatalf("close reason %q", ce.Reason)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+path+"/ws?lang=zh-CN", &websocket.DialOptions{HTTPClient: customer.http})
	if err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("a new socket while draining: %v %+v", err, resp)
	}
}
