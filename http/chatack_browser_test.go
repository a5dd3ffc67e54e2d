package http_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare/faultproxy"
)

// lineState tells how the chat page shows the message with body text:
// "pending", "stored" (confirmed, with its server id) or "" (absent), and
// how many times it is on the page.
func lineState(text string) string {
	return `(function(){var n=0,st="";document.querySelectorAll("#chat-log li").forEach(function(li){var b=li.querySelector(".body");` +
		`if(!b||b.textContent!==` + "`" + text + "`" + `)return;n++;st=li.classList.contains("pending")?"pending":(li.id.indexOf("m-")===0?"stored":"other")});return n+":"+st})()`
}

// TestBrowserChatSurvivesACutSocket: the customer's connection freezes
// while they send: the message shows as pending (never as sent), the
// page's heartbeat notices the frozen connection within seconds, the
// message survives a reload while the chat's socket cannot connect, and
// once it can, the message is delivered exactly once: stored once, seen
// once by the agent, shown once on the page.
func TestBrowserChatSurvivesACutSocket(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	proxy, err := faultproxy.Start(ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	base := "http://" + proxy.Addr()
	customer := browserSized(t, 412, 915)
	ctx, done := context.WithTimeout(customer, 45*time.Second)
	defer done()
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v\npage:\n%s", step, err, pageText(t, customer))
		}
	}
	poll := func(expr, want string, within time.Duration) chromedp.Action {
		return chromedp.Poll(expr+` === `+"`"+want+"`", nil, chromedp.WithPollingTimeout(within))
	}

	var chatURL string
	run("start the chat",
		chromedp.Navigate(base+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", "tunnel@example.com", chromedp.ByID),
		chromedp.SendKeys("#chat-first", "我在地铁上", chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		chromedp.Location(&chatURL),
	)
	id := strings.SplitN(strings.TrimPrefix(chatURL, base+"/support/chat/"), "?", 2)[0]
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	agentSocket := dialChat(t, ts, agent, "/console/tickets/"+id+"/ws")
	agentSocket.until("the opening message", func(e chatEvent) bool { return e.Body == "我在地铁上" })

	// The train enters a tunnel: nothing passes, the socket looks open.
	const text = "隧道里发的消息"
	proxy.Freeze()
	run("send while frozen",
		chromedp.SendKeys("#chat-input", text, chromedp.ByID),
		chromedp.Click("#chat-send", chromedp.ByID),
		poll(lineState(text), "1:pending", 3*time.Second),
	)
	screenshot(t, customer, "chat-pending-zh")
	if got := storedWithBody(t, ts, id, text); got != 0 {
		t.Fatalf("stored %d times while frozen", got)
	}
	// The heartbeat gives the frozen connection up within seconds.
	start := time.Now()
	run("the page notices", chromedp.WaitNotPresent(`#chat-log[data-live="1"]`, chromedp.ByQuery), chromedp.WaitVisible("#chat-reconnecting", chromedp.ByID))
	t.Logf("frozen connection given up after %v", time.Since(start).Round(100*time.Millisecond))
	screenshot(t, customer, "chat-reconnecting-zh")

	// Out of the tunnel, but the chat's socket cannot connect yet (pages
	// load): what was held in the frozen connection is lost.
	proxy.RefuseIf(func(head []byte) bool { return bytes.Contains(head, []byte("/ws?")) })
	proxy.Cut()
	proxy.Thaw()
	run("reload while the socket cannot connect",
		chromedp.Reload(),
		chromedp.WaitVisible("#chat-log", chromedp.ByID),
		poll(lineState(text), "1:pending", 3*time.Second),
	)
	time.Sleep(time.Second)
	run("still pending", poll(lineState(text), "1:pending", time.Second))
	if got := storedWithBody(t, ts, id, text); got != 0 {
		t.Fatalf("stored %d times before the socket could connect", got)
	}

	// The socket connects: the message goes, once.
	proxy.RefuseIf(nil)
	run("delivered after reconnecting", poll(lineState(text), "1:stored", 15*time.Second), chromedp.WaitVisible("#chat-status", chromedp.ByID))
	agentSocket.until("the message at the agent", func(e chatEvent) bool { return e.Body == text })
	agentSocket.quiet("the message twice at the agent", time.Second, func(e chatEvent) bool { return e.Body == text })
	if got := storedWithBody(t, ts, id, text); got != 1 {
		t.Fatalf("stored %d times", got)
	}
	run("once after another reload",
		chromedp.Reload(),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		poll(lineState(text), "1:stored", 3*time.Second),
	)
	var outbox string
	run("the outbox is empty", chromedp.Evaluate(`localStorage.getItem("okcare.chat.`+id+`") || ""`, &outbox))
	if outbox != "" {
		t.Fatalf("the outbox still holds %s", outbox)
	}
	assertNoEnglish(t, pageText(t, customer))
}

// storedWithBody counts a ticket's messages with the body.
func storedWithBody(t *testing.T, ts *testServer, ticketID, body string) int {
	t.Helper()
	msgs, err := ts.db.TicketMessages(context.Background(), ticketID, true)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Body == body {
			n++
		}
	}
	return n
}
