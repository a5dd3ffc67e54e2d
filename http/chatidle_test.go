package http_test

import (
	"runtime"
	"testing"
	"time"
)

// TestIdleCustomerSocketHoldsOnlyItsReader: an open customer chat socket
// with nothing to do holds one goroutine on the server, its reader
// (blocked in the socket's Read); its loop runs only while it has work
// (socketWork). At tens of thousands of waiting customers a second
// goroutine each is a second stack each.
func TestIdleCustomerSocketHoldsOnlyItsReader(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatPing = time.Minute // no ping in flight while counting
	staffChat(t, ts, "agent@okcare.example")
	const n = 12
	type opened struct {
		c    *consoleClient
		path string
	}
	var chats []opened
	for i := 0; i < n; i++ {
		c, path := openChat(t, ts, "zh-CN", "idle"+string(rune('a'+i))+"@example.com", "打不开")
		chats = append(chats, opened{c, path})
	}
	settle := func() int {
		time.Sleep(200 * time.Millisecond)
		runtime.GC()
		return runtime.NumGoroutine()
	}
	before := settle()
	for _, o := range chats {
		s := dialChat(t, ts, o.c, o.path+"/ws?lang=zh-CN")
		s.until("the status line", func(e chatEvent) bool { return e.Kind == "queue" })
	}
	after := settle()
	// Each socket: the test's client reader and the server's reader.
	if per := float64(after-before) / n; per > 2.5 {
		t.Fatalf("%.1f goroutines per idle customer socket (client and server), want 2 (%d before, %d after)", per, before, after)
	}
}
