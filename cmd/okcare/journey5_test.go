package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/browsertest"
)

// Journey 5: live chat. In the chat team's hours a customer starts a chat
// on the phone and sees their place in the queue and an estimated wait;
// the agent, online in the console, joins; each sees the other typing;
// the customer's connection drops while the agent writes, and on its
// return nothing is lost, nor after a reload; the customer ends the chat,
// rates it and downloads the transcript, in Chinese. Out of hours the chat
// says so and takes a message, which becomes an email ticket,
// acknowledged by mail.
func TestJourney5LiveChat(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) {
			t.Run("in hours", func(t *testing.T) { journey5InHours(t, store) })
			t.Run("out of hours", func(t *testing.T) { journey5OutOfHours(t, store) })
		})
	}
}

// shanghai is the support team's time zone.
func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// socketHook wraps the page's WebSocket so the test can cut the customer's
// connection (close it, and make reconnecting fail while __offline is
// set), as a train going into a tunnel does.
const socketHook = `(function () {
  var W = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    if (window.__offline) url = "ws://127.0.0.1:9/";
    var s = protocols ? new W(url, protocols) : new W(url);
    window.__sockets.push(s);
    return s;
  };
  window.WebSocket.prototype = W.prototype;
})();`

// waitText waits until the element sel is shown and its text has want.
func waitText(sel, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`(function(){var e=document.querySelector(%q);return !!e && !e.hidden && e.innerText.indexOf(%q)>=0})()`, sel, want),
		nil, chromedp.WithPollingTimeout(20*time.Second))
}

func journey5InHours(t *testing.T, store string) {
	// Working days all round today, all day: in hours whenever it runs.
	loc, today := shanghai(t), time.Now()
	var days strings.Builder
	for d := -1; d <= 1; d++ {
		fmt.Fprintf(&days, "%s work\n", today.In(loc).AddDate(0, 0, d).Format("2006-01-02"))
	}
	holidays := filepath.Join(t.TempDir(), "holidays.txt")
	if err := os.WriteFile(holidays, []byte(days.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	j := startJourney(t, store, "--team-hours", "chat=00:00-24:00", "--holidays-file", holidays)
	bg := context.Background()

	// The agent comes online for Chinese chats.
	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	j.afterReload(desk, "go online",
		chromedp.SetValue("#presence", "online", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('#presence-form input[value="zh-CN"]').checked = true`, nil),
		chromedp.Submit("#presence", chromedp.ByID),
	)
	if n, err := j.m.DB.ChatAgentsOnline(bg, "zh-CN"); err != nil || n == 0 {
		t.Fatalf("no agent online for Chinese chats after going online: %d %v", n, err)
	}

	// The customer starts a chat: place in the queue, estimated wait.
	phone := j.browser(false)
	email := j.address("mei")
	var chatURL, waiting string
	j.run(phone, "start the chat",
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(socketHook).Do(ctx)
			return err
		}),
		chromedp.Navigate(j.base+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", email, chromedp.ByID),
		chromedp.SendKeys("#chat-first", "钱包一直转圈打不开", chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		waitText("#chat-state-text", "预计等待"),
		text("#chat-state-text", &waiting),
		chromedp.Location(&chatURL),
	)
	if !regexp.MustCompile(`(您是下一位|排第 \d+ 位)，预计等待约 \d+ 分钟`).MatchString(waiting) {
		t.Fatalf("the waiting customer is not told their place and wait: %q", waiting)
	}
	j.noEnglishOn(phone, "the waiting chat")
	browsertest.Screenshot(t, phone, "journey5-"+store+"-queue")
	id := strings.SplitN(strings.TrimPrefix(chatURL, j.base+"/support/chat/"), "?", 2)[0]
	tk, err := j.m.DB.FindTicket(bg, id)
	if err != nil || tk.Channel != okcare.ChannelChat {
		t.Fatalf("chat ticket %q: %+v %v", id, tk, err)
	}

	// The agent opens it from the queue: the customer sees them join.
	j.run(desk, "open the chat",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Click(`//a[contains(., "`+strconv.FormatInt(tk.Number, 10)+`")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#conversation[data-live="1"]`, chromedp.ByQuery),
	)
	j.run(phone, "the agent joins", waitText("#chat-state-text", "客服已加入对话"))

	// Typing, both ways; the messages arrive live.
	question := "您好，请问是安卓还是苹果手机？"
	j.run(desk, "the agent types", chromedp.SendKeys("#reply-body", question, chromedp.ByID))
	j.run(phone, "the customer sees the agent typing", waitText("#chat-typing", "客服正在输入"))
	browsertest.Screenshot(t, phone, "journey5-"+store+"-typing")
	j.run(desk, "the agent sends", chromedp.Click("#send-reply", chromedp.ByID))
	j.run(phone, "the question arrives", waitText("#chat-log li.staff", "安卓还是苹果"))
	answer := "安卓 14，版本 5.2.0"
	j.run(phone, "the customer types", chromedp.SendKeys("#chat-input", answer, chromedp.ByID))
	j.run(desk, "the agent sees the customer typing", waitText("#chat-typing", "客户正在输入"))
	j.run(phone, "the customer sends", chromedp.Click("#chat-send", chromedp.ByID))
	j.run(desk, "the answer arrives", waitText("#conversation", answer))

	// The customer's connection drops; the agent writes meanwhile.
	var live bool
	j.run(phone, "the connection drops",
		chromedp.Evaluate(`window.__offline = true; window.__sockets.forEach(function (s) { s.close(); })`, nil),
		chromedp.Poll(`document.getElementById("chat-status").hidden`, nil, chromedp.WithPollingTimeout(10*time.Second)),
	)
	advice := "请先清除应用缓存，然后重新打开 OK 钱包。"
	j.run(desk, "the agent writes to a customer who is away",
		chromedp.SendKeys("#reply-body", advice, chromedp.ByID),
		chromedp.Click("#send-reply", chromedp.ByID),
		waitText("#conversation", advice),
	)
	var missed string
	j.run(phone, "while away", text("#chat-log", &missed), chromedp.Evaluate(`!document.getElementById("chat-status").hidden`, &live))
	if live || strings.Contains(missed, advice) {
		t.Fatalf("the connection did not drop (live %v):\n%s", live, missed)
	}
	j.run(phone, "the connection returns",
		chromedp.Evaluate(`window.__offline = false`, nil),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		waitText("#chat-log", "清除应用缓存"),
	)
	j.onceEach(phone, "after reconnecting", "钱包一直转圈打不开", question, answer, advice)
	j.run(phone, "reload", chromedp.Reload(), chromedp.WaitVisible("#chat-status", chromedp.ByID))
	j.onceEach(phone, "after a reload", "钱包一直转圈打不开", question, answer, advice)
	browsertest.Screenshot(t, phone, "journey5-"+store+"-returned")

	// The customer ends the chat, rates it and keeps the transcript.
	var transcript string
	j.run(phone, "end and rate",
		chromedp.Click("#chat-end", chromedp.ByID),
		chromedp.WaitVisible("#chat-rate", chromedp.ByID),
	)
	j.noEnglishOn(phone, "the ended chat")
	j.run(phone, "rate",
		chromedp.Click("#rate-5", chromedp.ByID),
		chromedp.SendKeys("#rate-comment", "很快就解决了", chromedp.ByID),
		chromedp.Click("#rate-send", chromedp.ByID),
		chromedp.WaitVisible("#chat-rated", chromedp.ByID),
		chromedp.Evaluate(`fetch(document.getElementById("chat-transcript").href).then(function (r) {
			return r.text().then(function (b) { return r.headers.get("Content-Disposition") + "\n" + b; }); })`, &transcript,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	browsertest.Screenshot(t, phone, "journey5-"+store+"-rated")
	if !strings.HasPrefix(transcript, "attachment") {
		t.Fatalf("the transcript is not a download:\n%s", transcript)
	}
	conversation := strings.SplitN(transcript, "\n\n", 2)[1] // below the header naming the ticket
	for _, want := range []string{"钱包一直转圈打不开", question, answer, advice} {
		if strings.Count(conversation, want) != 1 {
			t.Fatalf("the transcript has %q %d times:\n%s", want, strings.Count(conversation, want), transcript)
		}
	}
	noEnglish(t, "the transcript", strings.SplitN(transcript, "\n", 2)[1])
	got, _ := j.m.DB.FindTicket(bg, id)
	if got.Status != okcare.TicketSolved || got.FirstRespondedAt == nil {
		t.Fatalf("the chat's ticket after it ended: %+v", got)
	}
	if sv, err := j.m.DB.TicketSurvey(bg, id); err != nil || sv == nil || sv.Rating != 5 {
		t.Fatalf("the rating: %+v %v", sv, err)
	}
	outbox, err := j.m.DB.Outbox(bg, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range outbox {
		if n.TicketID == id && n.Event == "csat_survey" {
			t.Fatalf("the customer who rated the chat on the page is asked again by mail: %q", n.Subject)
		}
	}
}

func journey5OutOfHours(t *testing.T, store string) {
	// Chat hours far from now, whenever it runs.
	hours := "02:00-03:00"
	if time.Now().In(shanghai(t)).Hour() < 12 {
		hours = "22:00-23:00"
	}
	j := startJourney(t, store, "--team-hours", "chat="+hours)
	phone := j.browser(false)
	email := j.address("yue")
	var away, left, number string
	j.run(phone, "the closed chat",
		chromedp.Navigate(j.base+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-away", chromedp.ByID),
		text("main", &away),
	)
	if !strings.Contains(away, "在线客服现在休息") || !strings.Contains(away, hours) || !strings.Contains(away, "恢复服务") {
		t.Fatalf("the chat does not say it is closed and when it opens:\n%s", away)
	}
	noEnglish(t, "the closed chat", away)
	browsertest.Screenshot(t, phone, "journey5-"+store+"-closed")
	j.run(phone, "leave a message",
		chromedp.SendKeys("#chat-email", email, chromedp.ByID),
		chromedp.SendKeys("#chat-first", "半夜钱包打不开，提示无法连接服务器", chromedp.ByID),
		chromedp.Click("#chat-leave", chromedp.ByID),
		chromedp.WaitVisible("#chat-left", chromedp.ByID),
		text("#ticket-number", &number),
		text("main", &left),
	)
	noEnglish(t, "the left message", left)
	browsertest.Screenshot(t, phone, "journey5-"+store+"-left")
	number = strings.TrimPrefix(strings.TrimSpace(number), "#")
	tk := j.ticketByNumber(number)
	if tk.Channel != okcare.ChannelMail || tk.ContactEmail != email {
		t.Fatalf("the left message became %+v, not an email ticket", tk)
	}
	ack := j.mail.wait(t, email, "#"+number)
	if !strings.Contains(ack.Text, "最晚") || !strings.Contains(ack.Text, "北京时间") {
		t.Fatalf("the acknowledgement makes no promise:\n%s", ack.Text)
	}
	noEnglish(t, "the acknowledgement", ack.Subject+"\n"+ack.Text)
}

// noEnglishOn checks the visible text of the page in ctx for English.
func (j *journey) noEnglishOn(ctx context.Context, where string) {
	j.t.Helper()
	var s string
	j.run(ctx, where, chromedp.Evaluate(`document.body.innerText`, &s))
	noEnglish(j.t, where, s)
}

// onceEach fails unless the chat log shows each message exactly once.
func (j *journey) onceEach(ctx context.Context, when string, msgs ...string) {
	j.t.Helper()
	var log string
	j.run(ctx, when, text("#chat-log", &log))
	for _, m := range msgs {
		if n := strings.Count(log, m); n != 1 {
			j.t.Fatalf("%s the chat shows %q %d times:\n%s", when, m, n, log)
		}
	}
}
