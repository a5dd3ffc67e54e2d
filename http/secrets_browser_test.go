package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserChatSecretMasked: the first half of journey 6 in real
// Chromium. A customer in the live chat says that "客服" on another app
// asked for their 助记词 and pastes the twelve words: their chat shows
// the marker and, at once, the warning in Chinese; the agent's console
// shows the ticket flagged for security, urgent, and never the words.
func TestBrowserChatSecretMasked(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatRefresh = 200 * time.Millisecond
	staffChat(t, ts, "agent@okcare.example")
	customer := browserSized(t, 412, 915)
	var chatURL string
	err := chromedp.Run(customer,
		chromedp.Navigate(ts.URL+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", "mei@example.com", chromedp.ByID),
		chromedp.SendKeys("#chat-first", "有个自称客服的人让我提供助记词才能解冻", chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		chromedp.Location(&chatURL),
		chromedp.SendKeys("#chat-input", "他让我发这个："+pastedPhrase, chromedp.ByID),
		chromedp.Click("#chat-send", chromedp.ByID),
		waitText("#chat-log", "他让我发这个：[助记词已隐藏]"),
		waitText("#chat-log li.note", "OK 钱包的工作人员绝不会以任何方式"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, customer, "chat-secret-warning-zh")
	if text := pageText(t, customer); strings.Contains(text, "oyster") {
		t.Fatalf("the chat shows the phrase:\n%s", text)
	}
	id := strings.SplitN(strings.TrimPrefix(chatURL, ts.URL+"/support/chat/"), "?", 2)[0]
	if tk, _ := ts.db.FindTicket(context.Background(), id); !tk.SecretExposed() || tk.Priority != "urgent" {
		t.Fatalf("ticket %v %s", tk.Tags, tk.Priority)
	}

	agent := browserSized(t, 1280, 900)
	var title string
	err = chromedp.Run(agent,
		chromedp.Navigate(ts.URL+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, "agent@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, "agent@okcare.example"), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Navigate(ts.URL+"/console/tickets/"+id+"?lang=zh-CN"),
		waitText("#secret-exposed", "安全提醒"),
		waitText("#conversation", "已在保存前隐藏客户发来的敏感信息：助记词。"),
		chromedp.Title(&title),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, agent, "console-secret-exposed")
	if text := pageText(t, agent); strings.Contains(text+title, "oyster") || !strings.Contains(text, "紧急") {
		t.Fatalf("console page (%s):\n%s", title, text)
	}
}
