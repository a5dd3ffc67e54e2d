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

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/browsertest"
)

// Journey 6: a scam attempt. In a live chat a customer says that "客服" on
// another app asked for their 助记词 to unfreeze their account, and pastes
// the twelve words. The words are masked before they are stored, the
// customer is warned at once that OK Wallet never asks for them, and the
// ticket is flagged secret_exposed and urgent for the security team. The
// real agent gives the customer their staff code; the customer checks, on
// the help center's verification page, the phone number and the website
// the scammer used, both "not official" with a warning, and the agent's
// code, "genuine", naming their own chat's ticket; the agent sees that the
// customer checked it.
func TestJourney6ScamAttempt(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey6(t, store) })
	}
}

// mnemonic is a valid BIP39 phrase (the standard test vector): what the
// scammer asked for.
const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func journey6(t *testing.T, store string) {
	// Chat staffed all day on working days, whenever the test runs.
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

	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	j.afterReload(desk, "go online",
		chromedp.SetValue("#presence", "online", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector('#presence-form input[value="zh-CN"]').checked = true`, nil),
		chromedp.Submit("#presence", chromedp.ByID),
	)

	// The customer tells the story in a chat and pastes the words.
	phone := j.browser(false)
	email := j.address("xia")
	story := "另一个 App 上有个“OK钱包客服”说我的账户被冻结了，让我提供助记词才能解冻。"
	var chatURL string
	j.run(phone, "start the chat",
		chromedp.Navigate(j.base+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-start", chromedp.ByID),
		chromedp.SendKeys("#chat-email", email, chromedp.ByID),
		chromedp.SendKeys("#chat-first", story, chromedp.ByID),
		chromedp.Click("#chat-begin", chromedp.ByID),
		chromedp.WaitVisible("#chat-status", chromedp.ByID),
		chromedp.Location(&chatURL),
	)
	id := strings.SplitN(strings.TrimPrefix(chatURL, j.base+"/support/chat/"), "?", 2)[0]
	tk, err := j.m.DB.FindTicket(bg, id)
	if err != nil || tk.Channel != okcare.ChannelChat {
		t.Fatalf("chat ticket %q: %+v %v", id, tk, err)
	}
	pasted := "这是那 12 个词：" + mnemonic
	j.run(phone, "paste the words",
		chromedp.SendKeys("#chat-input", pasted, chromedp.ByID),
		chromedp.Click("#chat-send", chromedp.ByID),
		waitText("#chat-log", "12 个词"),
	)
	journey6Masking(t, j, phone, tk.ID)

	// The real agent joins and gives the customer their staff code.
	var code string
	j.run(desk, "open the chat",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Click(`//a[contains(., "`+strconv.FormatInt(tk.Number, 10)+`")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#conversation[data-live="1"]`, chromedp.ByQuery),
		text("#staff-code", &code),
	)
	if !regexp.MustCompile(`^[A-Z2-9]{4}-[A-Z2-9]{4}$`).MatchString(code) {
		t.Fatalf("the agent's staff code: %q", code)
	}
	browsertest.Screenshot(t, desk, "journey6-"+store+"-agent")
	reply := "您好，我是 OK 钱包客服。真正的客服绝不会索要助记词。您可以在帮助中心的「核实官方渠道」页面输入我的客服验证码 " + code + " 核实我的身份。"
	j.run(desk, "the agent answers",
		chromedp.SendKeys("#reply-body", reply, chromedp.ByID),
		chromedp.Click("#send-reply", chromedp.ByID),
	)
	var heard string
	j.run(phone, "the customer reads the code", waitText("#chat-log li.staff", code), text("#chat-log li.staff", &heard))
	given := regexp.MustCompile(`[A-Z2-9]{4}-[A-Z2-9]{4}`).FindString(heard)

	// On the help center: the scammer's number and site, then the agent.
	// The agent's display name is data in the answer about their code.
	team, err := j.m.DB.Team(bg)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range team {
		if m.Name != "" {
			names = append(names, regexp.QuoteMeta(m.Name))
		}
	}
	staffNames := regexp.MustCompile(strings.Join(names, "|"))
	verify := func(step, field, value, submit, result string) string {
		t.Helper()
		var answer string
		j.run(phone, step,
			chromedp.Navigate(j.base+"/verify?lang=zh-CN"),
			chromedp.WaitVisible("#verify-form", chromedp.ByID),
			chromedp.SendKeys(field, value, chromedp.ByID),
			chromedp.Click(submit, chromedp.ByID),
			chromedp.WaitVisible(result, chromedp.ByID),
			chromedp.Evaluate(`(function(){var e=document.querySelector("`+result+`");return Object.entries(e.dataset).map(function(kv){return kv[0]+"="+kv[1]}).join(" ")+"\n"+e.innerText})()`, &answer),
		)
		noEnglish(t, step, staffNames.ReplaceAllString(channelData.ReplaceAllString(answer, ""), ""))
		return answer
	}
	fakeNumber := verify("the scammer's number", "#verify-channel", "+86 400-000-8821", "#verify-submit", "#verify-result")
	if !strings.Contains(fakeNumber, "official=false") || !strings.Contains(fakeNumber, "lookalike=true") || !strings.Contains(fakeNumber, "不是官方渠道") ||
		!strings.Contains(fakeNumber, "只差一两位") {
		t.Fatalf("the scammer's number:\n%s", fakeNumber)
	}
	browsertest.Screenshot(t, phone, "journey6-"+store+"-fake-number")
	fakeSite := verify("the scammer's site", "#verify-channel", "https://okwallet-support.com/unfreeze", "#verify-submit", "#verify-result")
	if !strings.Contains(fakeSite, "official=false") || !strings.Contains(fakeSite, "lookalike=true") || !strings.Contains(fakeSite, "冒充") {
		t.Fatalf("the scammer's site:\n%s", fakeSite)
	}
	browsertest.Screenshot(t, phone, "journey6-"+store+"-fake-site")
	var list string
	j.run(phone, "the official list", text("#official-list", &list))
	if !strings.Contains(list, "okwallet.example") || !strings.Contains(list, "+86 400-000-8820") {
		t.Fatalf("the page does not list the official channels:\n%s", list)
	}
	genuine := verify("the agent's code", "#staff-code", given, "#staff-submit", "#staff-result")
	if !strings.Contains(genuine, "genuine=true") || !strings.Contains(genuine, "#"+strconv.FormatInt(tk.Number, 10)) || !strings.Contains(genuine, "是真实的 OK 钱包客服") {
		t.Fatalf("the agent's code:\n%s", genuine)
	}
	browsertest.Screenshot(t, phone, "journey6-"+store+"-genuine")
	fake := verify("a made-up code", "#staff-code", "K7M4-2QXP", "#staff-submit", "#staff-result")
	if !strings.Contains(fake, "genuine=false") {
		t.Fatalf("a made-up code:\n%s", fake)
	}

	// The agent sees that the customer checked.
	j.run(desk, "the agent's page after the check",
		chromedp.Reload(),
		chromedp.WaitVisible("#staff-code-checked", chromedp.ByID),
	)
}

// channelData drops what is data in a verification answer (numbers,
// addresses, domains, the apps' names, the check's attributes) before its
// words are checked.
var channelData = regexp.MustCompile(`(?m)^[a-z]+=.*$|[\w.-]*okwallet[\w.-]*|Telegram|WhatsApp|[A-Z2-9]{4}-[A-Z2-9]{4}`)

// journey6Masking checks the secret scanner's part of the journey: the
// warning in the chat, the marker stored in the phrase's place, the flags.
func journey6Masking(t *testing.T, j *journey, phone context.Context, ticketID string) {
	t.Helper()
	// The customer is warned at once, in the chat, in Chinese.
	j.run(phone, "the warning", waitText("#chat-log", "绝不会"))
	// Not one stored message holds the words; the marker does.
	msgs, err := j.m.DB.TicketMessages(context.Background(), ticketID, true)
	if err != nil {
		t.Fatal(err)
	}
	var all string
	for _, m := range msgs {
		all += m.Body + "\n"
	}
	if strings.Contains(all, mnemonic) || strings.Contains(all, "abandon abandon") || !strings.Contains(all, "[助记词已隐藏]") {
		t.Fatalf("the pasted phrase is stored, or its marker is not:\n%s", all)
	}
	// The ticket is flagged for the security team.
	tk, err := j.m.DB.FindTicket(context.Background(), ticketID)
	if err != nil {
		t.Fatal(err)
	}
	tagged := false
	for _, tag := range tk.Tags {
		tagged = tagged || tag == "secret_exposed"
	}
	if !tagged || tk.Priority != okcare.PriorityUrgent {
		t.Fatalf("the ticket is not flagged secret_exposed and urgent: %+v", tk)
	}
	// The customer's own chat shows the marker, not the words.
	var log string
	j.run(phone, "the chat after masking", text("#chat-log", &log))
	if strings.Contains(log, "abandon abandon") {
		t.Fatalf("the chat shows the phrase:\n%s", log)
	}
}
