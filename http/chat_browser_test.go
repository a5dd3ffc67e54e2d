package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
)

// pageText is the visible text of the page in ctx.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var text string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.body.innerText`, &text)); err != nil {
		t.Fatal(err)
	}
	return text
}

// waitText waits until the element sel shows want.
func waitText(sel, want string) chromedp.Action {
	return chromedp.Poll(`(function(){var e=document.querySelector(`+"`"+sel+"`"+`);return !!e && !e.hidden && e.innerText.indexOf(`+"`"+want+"`"+`)>=0})()`, nil, chromedp.WithPollingTimeout(15*time.Second))
}

// TestBrowserLiveChat: journey 5 in hours. A customer starts a chat on the
// phone while another chat waits: they see their place and an estimated
// wait. An agent, in a browser of their own, sees it marked unread in
// their queue and opens it: the
// customer sees them join; each sees the other typing and their messages
// arrive live; the customer ends the chat and rates it.
func TestBrowserLiveChat(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatRefresh = 200 * time.Millisecond
	staffChat(t, ts, "agent@okcare.example")
	openChat(t, ts, "zh-CN", "early@example.com", "我先来的") // one chat waits already
	customer := browserSized(t, 412, 915)

	var chatURL string
	err := chromedp.Run(customer,
		chromedp.Navigate(ts.URL+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", "mei@example.com", chromedp.ByID),
		chromedp.SendKeys("#chat-first", "钱包一直转圈打不开", chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID), // connected
		waitText("#chat-state-text", "排第 2 位，预计等待约 6 分钟"),
		chromedp.Location(&chatURL),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, customer, "chat-queue-zh")
	assertNoEnglish(t, pageText(t, customer))
	id := strings.SplitN(strings.TrimPrefix(chatURL, ts.URL+"/support/chat/"), "?", 2)[0]
	tk, err := ts.db.FindTicket(context.Background(), id)
	if err != nil || tk.Channel != okcare.ChannelChat {
		t.Fatalf("chat ticket %+v %v", tk, err)
	}

	// The agent, in a browser of their own (no shared cookies or storage).
	agent := browserSized(t, 1280, 900)
	// Their queue marks the chat unread.
	err = chromedp.Run(agent,
		chromedp.Navigate(ts.URL+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, "agent@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, "agent@okcare.example"), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		waitText(`[data-unread-badge="`+tk.ID+`"]`, "1 条未读"),
	)
	if err != nil {
		t.Fatalf("unread marker: %v", err)
	}
	screenshot(t, agent, "console-queue-unread")
	err = chromedp.Run(agent,
		chromedp.Navigate(ts.URL+"/console/tickets/"+tk.ID+"?lang=zh-CN"),
		chromedp.WaitVisible(`#conversation[data-live="1"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, done := context.WithTimeout(customer, 20*time.Second)
	defer done()
	actx, adone := context.WithTimeout(agent, 20*time.Second)
	defer adone()
	// The customer sees the agent join.
	if err := chromedp.Run(ctx, waitText("#chat-state-text", "客服已加入对话")); err != nil {
		t.Fatalf("join: %v", err)
	}
	// The agent types: the customer sees it; then the message arrives.
	if err := chromedp.Run(actx, chromedp.SendKeys("#reply-body", "您好，请问是安卓还是苹果手机？", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, waitText("#chat-typing", "客服正在输入")); err != nil {
		t.Fatalf("agent typing: %v", err)
	}
	screenshot(t, customer, "chat-typing-zh")
	if err := chromedp.Run(actx, chromedp.Click("#send-reply", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, waitText("#chat-log li.staff", "安卓还是苹果")); err != nil {
		t.Fatalf("agent message: %v", err)
	}
	assertNoEnglish(t, pageText(t, customer)) // the live message's time too
	// The customer types: the agent sees it; then the answer arrives.
	if err := chromedp.Run(ctx, chromedp.SendKeys("#chat-input", "安卓 14，版本 5.2.0", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(actx, waitText("#chat-typing", "客户正在输入")); err != nil {
		t.Fatalf("customer typing: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Click("#chat-send", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(actx, waitText("#conversation", "安卓 14，版本 5.2.0")); err != nil {
		t.Fatalf("customer message: %v", err)
	}
	screenshot(t, agent, "chat-agent")

	// The customer ends the chat and rates it; the agent is told.
	err = chromedp.Run(ctx,
		waitText("#chat-log", "安卓 14，版本 5.2.0"),
		chromedp.Click("#chat-end", chromedp.ByID),
		chromedp.WaitVisible("#chat-rate", chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("end: %v", err)
	}
	screenshot(t, customer, "chat-rate-zh")
	assertNoEnglish(t, pageText(t, customer))
	if err := chromedp.Run(actx, waitText("#conversation", "对话已结束")); err != nil {
		t.Fatalf("the agent was not told the chat ended: %v", err)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#rate-5", chromedp.ByID),
		chromedp.SendKeys("#rate-comment", "很快就解决了", chromedp.ByID),
		chromedp.Click("#rate-send", chromedp.ByID),
		chromedp.WaitVisible("#chat-rated", chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("rate: %v", err)
	}

	// Stored: the three messages once each, no typing; the answer as the
	// first response; the rating.
	msgs, _ := ts.db.TicketMessages(context.Background(), tk.ID, false)
	if len(msgs) != 3 {
		t.Fatalf("%d public messages stored, want 3", len(msgs))
	}
	got, _ := ts.db.FindTicket(context.Background(), tk.ID)
	if got.FirstRespondedAt == nil || got.Status != okcare.TicketSolved {
		t.Fatalf("ticket after the chat: %+v", got)
	}
	if sv, err := ts.db.TicketSurvey(context.Background(), tk.ID); err != nil || sv == nil || sv.Rating != 5 || sv.Comment != "很快就解决了" {
		t.Fatalf("rating %+v %v", sv, err)
	}
}

// TestBrowserChatOutOfHours: journey 5 out of hours. At night the chat
// page says the team is closed and when it is back, and the message the
// customer leaves becomes an email ticket.
func TestBrowserChatOutOfHours(t *testing.T) {
	ts := newTestServer(t)
	withDesk(t, ts, "2026-11-27 23:30") // a Friday night: back on Monday
	customer := browserSized(t, 412, 915)
	err := chromedp.Run(customer,
		chromedp.Navigate(ts.URL+"/support/contact?lang=zh-CN"),
		chromedp.WaitVisible("#contact-cards", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, customer, "contact-zh")
	text := pageText(t, customer)
	assertNoEnglish(t, text, "help@okwallet.example")
	if !strings.Contains(text, "11月30日（周一） 08:00 恢复服务") {
		t.Fatalf("contact page:\n%s", text)
	}
	err = chromedp.Run(customer,
		chromedp.Click(`#contact-chat a.button`, chromedp.ByQuery),
		chromedp.WaitVisible("#chat-away", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	text = pageText(t, customer)
	if !strings.Contains(text, "在线客服现在休息") || !strings.Contains(text, "11月30日（周一） 08:00 恢复服务") {
		t.Fatalf("closed chat page:\n%s", text)
	}
	assertNoEnglish(t, text)
	screenshot(t, customer, "chat-closed-zh")
	err = chromedp.Run(customer,
		chromedp.SendKeys("#chat-email", "yue@example.com", chromedp.ByID),
		chromedp.SendKeys("#chat-first", "半夜钱包打不开，提示无法连接服务器", chromedp.ByID),
		chromedp.Click("#chat-leave", chromedp.ByID),
		chromedp.WaitVisible("#chat-left", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	text = pageText(t, customer)
	assertNoEnglish(t, text, "yue@example.com")
	screenshot(t, customer, "chat-left-zh")
	queue, _ := ts.db.Queue(context.Background(), okcare.QueueFilter{Limit: 10})
	if len(queue) != 1 || queue[0].Channel != okcare.ChannelMail || queue[0].ContactEmail != "yue@example.com" || !strings.Contains(text, "#"+itoa64(queue[0].Number)) {
		t.Fatalf("the left message: %+v\n%s", queue, text)
	}
}
