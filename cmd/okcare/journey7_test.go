package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/browsertest"
	"github.com/okcare/okcare/demo"
)

// Journey 7: a lost phone. A customer whose phone was stolen freezes
// their own account from the help center, on another device and without
// the phone: a code to the registered email, read from their mailbox
// (every mail carrying the anti-phishing code they set). The account is
// frozen at once and the thief's session on the phone is dead; a ticket
// opens, acknowledged by mail. The agent finds it from the console's
// search box, verifies the customer through the registered contact and
// asks for the unfreeze; a supervisor, in their own browser, approves it;
// the customer is told by mail.
func TestJourney7LostPhone(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey7(t, store) })
	}
}

// masked drops masked contacts ("l***@okcare.test") from a text before
// its words are checked: they are the customer's data.
var masked = regexp.MustCompile(`\S*\*\*\*\S*`)

// antiPhishing is the code the customers of journeys 6 and 7 set.
const antiPhishing = "蓝鲸四十二"

// withAntiPhishing fails unless a mail to the customer opens with their
// anti-phishing code.
func withAntiPhishing(t *testing.T, what string, m *message) {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(m.Text), "您的防钓鱼码："+antiPhishing) {
		t.Fatalf("%s does not open with the anti-phishing code:\n%s", what, m.Text)
	}
}

func journey7(t *testing.T, store string) {
	j := startJourney(t, store)
	bg := context.Background()
	email := j.address("lin")
	u, err := j.m.DB.Register(bg, okcare.RegisterRequest{Email: email, Phone: "+8613900007777", Password: demo.UserPassword, Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.m.DB.Deposit(bg, u.ID, "CNY", "5200.00", "salary"); err != nil {
		t.Fatal(err)
	}
	if err := j.m.DB.SetAntiPhishingCode(bg, u.ID, antiPhishing); err != nil {
		t.Fatal(err)
	}
	set := j.mail.wait(t, email, "防钓鱼码已修改")
	withAntiPhishing(t, "the anti-phishing alert", set)
	// The phone, signed in, is stolen.
	status, body := j.api("POST", "/api/v1/sessions", "", map[string]any{"login": email, "password": demo.UserPassword,
		"device": map[string]string{"id": "lin-phone", "platform": "android", "os_version": "14", "app_version": "5.3.0"}})
	stolen, _ := body["token"].(string)
	if status != http.StatusCreated || stolen == "" {
		t.Fatalf("the phone's sign-in: %d %v", status, body)
	}
	j.mail.remove(email) // the new-device alert

	// On a borrowed phone: the help center, the emergency freeze.
	phone := j.browser(false)
	j.run(phone, "the help center",
		chromedp.Navigate(j.base+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#freeze-link", chromedp.ByID),
	)
	j.run(phone, "the freeze page",
		chromedp.Click("#freeze-link", chromedp.ByID),
		chromedp.WaitVisible("#freeze-form", chromedp.ByID),
	)
	j.noEnglishOn(phone, "the freeze page")
	j.run(phone, "ask for the code",
		chromedp.SendKeys("#freeze-contact", email, chromedp.ByID),
		chromedp.Click("#freeze-send", chromedp.ByID),
		chromedp.WaitVisible("#freeze-confirm-form", chromedp.ByID),
	)
	var sent string
	j.run(phone, "the code page", chromedp.Evaluate(`document.body.innerText`, &sent))
	noEnglish(t, "the code page", masked.ReplaceAllString(sent, ""))
	browsertest.Screenshot(t, phone, "journey7-"+store+"-code")
	codeMail := j.mail.wait(t, email, "冻结 OK 钱包账户的验证码")
	withAntiPhishing(t, "the freeze code", codeMail)
	noEnglish(t, "the freeze code", codeMail.Subject+"\n"+codeMail.Text)
	var done, ticketLine string
	j.run(phone, "freeze with the code",
		chromedp.SendKeys("#freeze-code", sixDigits.FindString(codeMail.Text), chromedp.ByID),
		chromedp.SendKeys("#freeze-note", "手机在地铁上被偷了", chromedp.ByID),
		chromedp.Click("#freeze-confirm", chromedp.ByID),
		chromedp.WaitVisible("#freeze-done", chromedp.ByID),
		text("#freeze-state", &done),
		text("#freeze-ticket", &ticketLine),
	)
	j.noEnglishOn(phone, "the frozen page")
	browsertest.Screenshot(t, phone, "journey7-"+store+"-frozen")
	if !strings.Contains(done, "任何人都无法登录或转出资金") {
		t.Fatalf("the page does not say what the freeze did: %q", done)
	}
	m := regexp.MustCompile(`#(\d+)`).FindStringSubmatch(ticketLine)
	if m == nil {
		t.Fatalf("no ticket number on the page: %q", ticketLine)
	}
	number := m[1]

	// Frozen at once; the thief's session is dead and moves nothing.
	if got, _ := j.m.DB.FindUserByID(bg, u.ID); got.State != okcare.AccountFrozen || got.StateReason != okcare.ReasonCustomerRequest {
		t.Fatalf("after the freeze: %s (%s)", got.State, got.StateReason)
	}
	if status, _ := j.api("GET", "/api/v1/me", stolen, nil); status != http.StatusUnauthorized {
		t.Fatalf("the stolen phone's session still works: %d", status)
	}
	if status, body := j.api("POST", "/api/v1/sessions", "", map[string]any{"login": email, "password": demo.UserPassword,
		"device": map[string]string{"id": "lin-phone", "platform": "android", "os_version": "14", "app_version": "5.3.0"}}); status != http.StatusForbidden {
		t.Fatalf("the thief signs in again: %d %v", status, body)
	}

	// The ticket, acknowledged; the alert says it was the customer's request.
	ack := j.mail.wait(t, email, "[OK#"+number+"] 我们已收到您的问题")
	withAntiPhishing(t, "the acknowledgement", ack)
	noEnglish(t, "the acknowledgement", ack.Subject+"\n"+ack.Text)
	alert := j.mail.wait(t, email, "账户已按您的申请冻结")
	withAntiPhishing(t, "the freeze alert", alert)
	noEnglish(t, "the freeze alert", alert.Subject+"\n"+alert.Text)
	link := privateLink.FindString(ack.Text)
	if link == "" {
		t.Fatalf("no private link in the acknowledgement:\n%s", ack.Text)
	}
	var conversation string
	j.run(phone, "the ticket through its private link",
		chromedp.Navigate(link+"?lang=zh-CN"),
		chromedp.WaitVisible("main", chromedp.ByQuery),
		text("main", &conversation),
	)
	if !strings.Contains(conversation, "手机在地铁上被偷了") {
		t.Fatalf("the private link does not show the request:\n%s", conversation)
	}

	// The agent finds it from the search box: linked, frozen at the
	// customer's request.
	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	var reason string
	j.run(desk, "find the ticket",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#console-search-q", chromedp.ByID),
		chromedp.SendKeys("#console-search-q", "#"+number, chromedp.ByID),
		chromedp.Submit("#console-search-q", chromedp.ByID),
		chromedp.WaitVisible(`#account-state[data-state="frozen"]`, chromedp.ByQuery),
		text("#state-reason", &reason),
	)
	if reason != "客户本人申请" {
		t.Fatalf("the console shows the freeze reason as %q", reason)
	}
	browsertest.Screenshot(t, desk, "journey7-"+store+"-ticket")
	j.run(desk, "send the identity code",
		chromedp.Click("#send-code", chromedp.ByID),
		chromedp.WaitVisible("#confirm-form", chromedp.ByID),
	)
	verifyMail := j.mail.wait(t, email, "OK 钱包身份验证码")
	withAntiPhishing(t, "the identity code", verifyMail)
	j.run(desk, "the customer reads the code back",
		chromedp.SendKeys("#code", sixDigits.FindString(verifyMail.Text), chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible("#verified", chromedp.ByID),
	)
	j.afterReload(desk, "request the unfreeze", chromedp.Click("#action-unfreeze", chromedp.ByID))
	j.run(desk, "the request waits", chromedp.WaitVisible("#approvals", chromedp.ByID))
	j.stillFrozen(u.ID, "after the agent's request")

	// The supervisor approves, in their own browser.
	boss := j.browser(true)
	j.staffSignIn(boss, "supervisor@okcare.example", j.password)
	j.run(boss, "the ticket, for the supervisor",
		chromedp.Navigate(j.base+"/console/search?lang=zh-CN&q=%23"+number),
		chromedp.WaitVisible("#approvals", chromedp.ByID),
	)
	j.afterReload(boss, "approve", chromedp.Click(`#approvals button[id^="approve-"]`, chromedp.ByQuery))
	browsertest.Screenshot(t, boss, "journey7-"+store+"-approved")
	if got, _ := j.m.DB.FindUserByID(bg, u.ID); got.EffectiveState(j.m.DB.Now()) != okcare.AccountActive {
		t.Fatalf("after the approval the account is %s", got.State)
	}

	// The customer is told.
	unfrozen := j.mail.wait(t, email, "账户已解冻")
	withAntiPhishing(t, "the unfreeze alert", unfrozen)
	noEnglish(t, "the unfreeze alert", unfrozen.Subject+"\n"+unfrozen.Text)

	// The audit log has the customer's freeze and both staff members.
	_, agentID := j.staffToken("agent@okcare.example")
	_, bossID := j.staffToken("supervisor@okcare.example")
	entries, err := j.m.DB.AuditLog(bg, 200)
	if err != nil {
		t.Fatal(err)
	}
	var frozeSelf, requested, approved bool
	for _, e := range entries {
		if e.Target != "user:"+u.ID {
			continue
		}
		frozeSelf = frozeSelf || e.Action == "account.self_freeze" && e.Actor == "user:"+u.ID
		requested = requested || e.Action == "account.unfreeze_requested" && e.Actor == "agent:"+agentID
		approved = approved || e.Action == "account.state_change" && e.Actor == "agent:"+bossID
	}
	if !frozeSelf || !requested || !approved {
		t.Fatalf("the audit log lacks the freeze (%v), the request (%v) or the approval (%v)", frozeSelf, requested, approved)
	}
}
