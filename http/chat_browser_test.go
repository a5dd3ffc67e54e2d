package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
)

// TestBrowserLiveChat: a customer starts a chat on the web, an agent opens
// it in the console, and each sees the other's messages arrive live.
func TestBrowserLiveChat(t *testing.T) {
	ts := newTestServer(t)
	customer := browserSized(t, 412, 915)
	staffChat(t, ts, "agent@okcare.example")

	var chatURL string
	err := chromedp.Run(customer,
		chromedp.Navigate(ts.URL+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", "mei@example.com", chromedp.ByID),
		chromedp.SendKeys("#chat-first", "钱包一直转圈打不开", chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID), // connected
		chromedp.Location(&chatURL),
	)
	if err != nil {
		t.Fatal(err)
	}
	tickets, _ := ts.db.Queue(context.Background(), okcare.QueueFilter{Limit: 10})
	if len(tickets) != 1 || tickets[0].Channel != okcare.ChannelChat || !strings.Contains(chatURL, tickets[0].ID) {
		t.Fatalf("chat ticket: %+v at %s", tickets, chatURL)
	}
	tk := tickets[0]

	// The agent, in a second tab of the same browser (the cookies are
	// scoped to /support/chat and /console, so they do not mix).
	agent, cancel := chromedp.NewContext(customer)
	defer cancel()
	err = chromedp.Run(agent,
		chromedp.Navigate(ts.URL+"/console/tickets/"+tk.ID+"?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, "agent@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible(`#conversation[data-live="1"]`, chromedp.ByQuery),
		chromedp.SendKeys("#reply-body", "您好，请问是安卓还是苹果手机？", chromedp.ByID),
		chromedp.Click("#send-reply", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The customer sees it without reloading, and answers.
	ctx, done := context.WithTimeout(customer, 15*time.Second)
	defer done()
	var customerLog, agentLog string
	err = chromedp.Run(ctx,
		chromedp.WaitVisible(`#chat-log li.staff`, chromedp.ByQuery),
		chromedp.SendKeys("#chat-input", "安卓 14，版本 5.2.0", chromedp.ByID),
		chromedp.Click("#chat-send", chromedp.ByID),
		chromedp.WaitVisible(`#chat-log li:nth-of-type(3)`, chromedp.ByQuery),
		chromedp.Text("#chat-log", &customerLog, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, customer, "chat-customer")
	actx, adone := context.WithTimeout(agent, 15*time.Second)
	defer adone()
	err = chromedp.Run(actx,
		chromedp.WaitVisible(`#conversation li.cust:nth-of-type(3)`, chromedp.ByQuery),
		chromedp.Text("#conversation", &agentLog, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, agent, "chat-agent")
	if !strings.Contains(customerLog, "安卓还是苹果") || !strings.Contains(agentLog, "安卓 14，版本 5.2.0") {
		t.Fatalf("customer saw:\n%s\nagent saw:\n%s", customerLog, agentLog)
	}
	// Both messages are stored on the ticket, each once.
	msgs, _ := ts.db.TicketMessages(context.Background(), tk.ID, false)
	if len(msgs) != 3 {
		t.Fatalf("%d public messages stored, want 3", len(msgs))
	}
	if got, _ := ts.db.FindTicket(context.Background(), tk.ID); got.FirstRespondedAt == nil {
		t.Fatal("the agent's chat answer is not the first response")
	}
}
