package http_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// settledGoroutines counts goroutines once the server's have settled.
func settledGoroutines() int {
	time.Sleep(300 * time.Millisecond)
	runtime.GC()
	return runtime.NumGoroutine()
}

// TestChatDrainClosesEverySocket: a node that starts draining closes the
// agents' sockets as well as the customers' with 1012 (the page
// reconnects elsewhere), and nothing of either stays behind: no watcher,
// no agent counted in the chat, no goroutine.
func TestChatDrainClosesEverySocket(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatPing = time.Minute
	ts.srv.ChatRefresh = 50 * time.Millisecond
	staffChat(t, ts, "agent@okcare.example")
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	before := settledGoroutines()
	var socks []*chatSocket
	var ids []string
	for i := 0; i < 5; i++ {
		customer, path := openChat(t, ts, "zh-CN", "drain"+string(rune('a'+i))+"@example.com", "在吗")
		id := strings.TrimPrefix(path, "/support/chat/")
		ids = append(ids, id)
		cs := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
		cs.until("status", func(e chatEvent) bool { return e.Kind == "queue" || e.Kind == "nobody" })
		as := dialChat(t, ts, agent, "/console/tickets/"+id+"/ws?lang=zh-CN")
		as.until("first message", func(e chatEvent) bool { return e.Body == "在吗" })
		cs.until("join", func(e chatEvent) bool { return e.Kind == "join" })
		socks = append(socks, cs, as)
	}
	mid := settledGoroutines()
	t.Logf("goroutines: before %d, with 10 sockets %d", before, mid)
	ts.srv.StartDraining()
	for i, s := range socks {
		select {
		case <-s.closed:
		case <-time.After(3 * time.Second):
			t.Fatalf("socket %d still open 3 s into the drain", i)
		}
		if code := websocket.CloseStatus(s.err); code != websocket.StatusServiceRestart {
			t.Errorf("socket %d (agent=%v) closed with %v (%v), want 1012", i, i%2 == 1, code, s.err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	after := settledGoroutines()
	t.Logf("after drain %d", after)
	for _, id := range ids {
		if n := ts.srv.Chat.Watchers(id); n != 0 {
			t.Errorf("%s: %d watchers after drain", id, n)
		}
		if n := ts.srv.Chat.Agents(id); n != 0 {
			t.Errorf("%s: %d agents after drain", id, n)
		}
	}
	if after > before+2 {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("%d goroutines left (before %d)\n%s", after, before, buf[:n])
	}
}
