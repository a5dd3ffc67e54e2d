package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/browsertest"
	"github.com/okcare/okcare/demo"
)

// Journey 2: a customer whose account is login-restricted after too many
// failed logins cannot sign in on a new phone. Anonymous, they run the
// wizard, say it is still broken, file the prefilled ticket with their
// email and get the acknowledgement. The agent sees only a candidate
// account, sends a code to its registered address, the customer reads it
// back from their mailbox, the wallet appears, the agent lifts the
// restriction, replies and solves; the customer gets the reply and the
// survey in Chinese, rates it on the private link, and, able to sign in
// again, finds the request under My requests.
func TestJourney2LoginRestricted(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey2(t, store) })
	}
}

func journey2(t *testing.T, store string) {
	j := startJourney(t, store)
	bg := context.Background()
	email := j.address("dana")
	u, err := j.m.DB.Register(bg, okcare.RegisterRequest{Email: email, Password: demo.UserPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.m.DB.Deposit(bg, u.ID, "CNY", "66.60", "top-up"); err != nil {
		t.Fatal(err)
	}
	// Someone (or they) guessed wrong five times: new devices are refused.
	for i := 0; i < 5; i++ {
		j.m.DB.Login(bg, okcare.LoginRequest{Login: email, Password: "wrong-password-" + string(rune('a'+i)), Device: okcare.Device{ID: "attacker", Platform: "android", OSVersion: "14", AppVersion: "5.3.0"}, IP: "127.0.0.1"})
	}
	if got, _ := j.m.DB.FindUserByID(bg, u.ID); got.State != okcare.AccountLoginRestricted {
		t.Fatalf("after five failures the account is %s", got.State)
	}

	// The customer, on their new phone: sign-in refused, told where to go.
	phone := j.browser(false)
	var refused string
	j.run(phone, "sign-in on the new phone", append(customerSignIn(j.base, email),
		chromedp.WaitVisible("#signin-restricted", chromedp.ByID),
		text("main", &refused))...)
	if !strings.Contains(refused, "登录失败次数太多") {
		t.Fatalf("the refusal does not say why:\n%s", refused)
	}
	noEnglish(t, "the refused sign-in", refused)

	// The wizard, anonymous; still broken; the prefilled ticket.
	var result, done, number string
	j.run(phone, "wizard",
		chromedp.Navigate(j.base+"/diagnose?lang=zh-CN"),
		chromedp.WaitVisible("#wizard", chromedp.ByID),
		chromedp.Click("#symptom-error", chromedp.ByID),
		chromedp.SendKeys("#error_text", "登录受限", chromedp.ByID),
		chromedp.SendKeys("#description", "换了新手机，登录时一直提示登录受限", chromedp.ByID),
		chromedp.Click("#diagnose-submit", chromedp.ByID),
		chromedp.WaitVisible("#causes", chromedp.ByID),
		text("main", &result),
		chromedp.Click("#still-broken", chromedp.ByID),
		chromedp.WaitVisible("#contact", chromedp.ByID),
		chromedp.Click("#open-ticket", chromedp.ByID),
		chromedp.WaitVisible("#ticket-form", chromedp.ByID),
		chromedp.SendKeys("#contact_email", email, chromedp.ByID),
		chromedp.Click("#ticket-submit", chromedp.ByID),
		chromedp.WaitVisible("#ticket-done", chromedp.ByID),
		text("#ticket-number", &number),
		text("main", &done),
	)
	noEnglish(t, "the diagnosis", result)
	noEnglish(t, "the ticket confirmation", done)
	browsertest.Screenshot(t, phone, "journey2-"+store+"-ticket-done")
	number = strings.TrimPrefix(strings.TrimSpace(number), "#")

	// The acknowledgement, from the real relay: number, promise, link.
	ack := j.mail.wait(t, email, "#"+number)
	if !strings.Contains(ack.Text, "最晚") || !strings.Contains(ack.Text, "北京时间") {
		t.Fatalf("the acknowledgement makes no promise:\n%s", ack.Text)
	}
	noEnglish(t, "the acknowledgement", ack.Subject+"\n"+ack.Text)
	link := privateLink.FindString(ack.Text)
	if link == "" {
		t.Fatalf("no private link in the acknowledgement:\n%s", ack.Text)
	}

	// The agent: a candidate, no wallet, until the customer reads the code.
	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	var candidate, wallet string
	j.run(desk, "open the ticket",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Click(`//a[contains(., "`+number+`")]`, chromedp.BySearch),
		chromedp.WaitVisible("#candidate", chromedp.ByID),
		text("#candidate-sends", &candidate),
		text("#wallet", &wallet),
	)
	if strings.Contains(wallet, "66.60") || strings.Contains(wallet, email) {
		t.Fatalf("an unproven match shows the wallet:\n%s", wallet)
	}
	browsertest.Screenshot(t, desk, "journey2-"+store+"-candidate")
	j.run(desk, "send the code",
		chromedp.Click("#send-code", chromedp.ByID),
		chromedp.WaitVisible("#confirm-form", chromedp.ByID),
	)
	codeMail := j.mail.wait(t, email, "验证码")
	noEnglish(t, "the code mail", codeMail.Subject+"\n"+codeMail.Text)
	code := sixDigits.FindString(codeMail.Text)
	var state, balances string
	j.run(desk, "the customer reads the code back",
		chromedp.SendKeys("#code", code, chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible("#verified", chromedp.ByID),
		chromedp.WaitVisible("#balances", chromedp.ByID),
		text("#balances", &balances),
	)
	j.afterReload(desk, "lift the restriction", chromedp.Click("#action-lift_restriction", chromedp.ByID))
	j.run(desk, "the state after lifting", text("#account-state", &state))
	if !strings.Contains(balances, "66.60") {
		t.Fatalf("the linked wallet shows no balance: %q", balances)
	}
	if got, _ := j.m.DB.FindUserByID(bg, u.ID); got.EffectiveState(j.m.DB.Now()) != okcare.AccountActive {
		t.Fatalf("after lifting the account is %s (page says %q)", got.State, state)
	}
	j.afterReload(desk, "reply",
		chromedp.SendKeys("#reply-body", "您好，已核实身份并解除登录限制，请在新手机上重新登录。", chromedp.ByID),
		chromedp.Click("#send-reply", chromedp.ByID))
	j.afterReload(desk, "solve",
		chromedp.SetValue("#status", "solved", chromedp.ByID),
		chromedp.Submit("#status", chromedp.ByID))
	j.run(desk, "the survey is out", chromedp.WaitVisible("#csat", chromedp.ByID))
	browsertest.Screenshot(t, desk, "journey2-"+store+"-solved")

	// The reply and the survey arrive, in Chinese.
	reply := j.mail.wait(t, email, "解除登录限制")
	survey := j.mail.wait(t, email, "打分")
	noEnglish(t, "the reply mail", reply.Subject+"\n"+reply.Text)
	noEnglish(t, "the survey mail", survey.Subject+"\n"+survey.Text)
	if reply.Header.Get("Auto-Submitted") != "" || survey.Header.Get("Auto-Submitted") == "" {
		t.Fatalf("Auto-Submitted: reply %q, survey %q", reply.Header.Get("Auto-Submitted"), survey.Header.Get("Auto-Submitted"))
	}

	// The private link: the whole conversation, and the rating.
	var conversation string
	j.run(phone, "rate on the private link",
		chromedp.Navigate(link+"?lang=zh-CN"),
		chromedp.WaitVisible("#rate-form", chromedp.ByID),
		text("#conversation", &conversation),
		chromedp.Click("#rate-5", chromedp.ByID),
		chromedp.Click("#rate-submit", chromedp.ByID),
		chromedp.WaitVisible("#rated", chromedp.ByID),
	)
	if !strings.Contains(conversation, "换了新手机") || !strings.Contains(conversation, "解除登录限制") {
		t.Fatalf("the private link misses part of the conversation:\n%s", conversation)
	}
	browsertest.Screenshot(t, phone, "journey2-"+store+"-rated")

	// Signed in at last: My requests lists it, linked to the account.
	var requests string
	j.run(phone, "my requests", append(customerSignIn(j.base, email),
		chromedp.WaitVisible("#my-requests", chromedp.ByID),
		text("#my-requests", &requests))...)
	if !strings.Contains(requests, "#"+number) || !strings.Contains(requests, "已解决") {
		t.Fatalf("My requests:\n%s", requests)
	}
	noEnglish(t, "My requests", requests)
	if resp, err := http.Get(link); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the private link after signing in: %v %v", resp, err)
	}
}

// customerSignIn fills and sends the help center's sign-in form with the
// demo password; what the page answers is for the caller to wait for.
func customerSignIn(base, email string) []chromedp.Action {
	return []chromedp.Action{
		chromedp.Navigate(base + "/support/login?lang=zh-CN"),
		chromedp.SendKeys("#signin-login", email, chromedp.ByID),
		chromedp.SendKeys("#signin-password", demo.UserPassword, chromedp.ByID),
		chromedp.Click("#signin-submit", chromedp.ByID),
	}
}
