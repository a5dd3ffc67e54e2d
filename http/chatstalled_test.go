package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare/chat"
)

// TestChatLetsGoOfABrowserThatStoppedReading: a page that stops reading
// (a frozen tab, a half-dead network) while news keeps coming fills the
// connection's buffers; the socket's write then blocks, its pings cannot
// pass, and the socket is closed within a few ping intervals instead of
// holding its goroutine and its news forever.
func TestChatLetsGoOfABrowserThatStoppedReading(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatPing = 200 * time.Millisecond
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "stalled@example.com", "在吗")
	id := strings.TrimPrefix(path, "/support/chat/")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+path+"/ws?lang=zh-CN", &websocket.DialOptions{HTTPClient: customer.http})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow() // and never read
	for ts.srv.Chat.Watchers(id) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	body := strings.Repeat("新闻", 4000)
	for seq := int64(2); seq < 2000 && ts.srv.Chat.Watchers(id) > 0; seq++ {
		ts.srv.Chat.Publish(chat.Event{TicketID: id, From: "agent", Body: body, Seq: seq, At: time.Now()})
		if seq%50 == 0 {
			time.Sleep(time.Millisecond) // let the socket write
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.Chat.Watchers(id) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the socket of a browser that stopped reading is still open 5 s after its buffers filled")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
