package http_test

import (
	"context"
	"github.com/okcare/okcare/storetest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
)

// TestBrowserConsole works a ticket in real Chromium: sign in, find the
// ticket in the queue, read the customer's wallet beside the conversation,
// leave a note, verify the customer's identity, lift a login restriction,
// then look at the reports as a supervisor.
func TestBrowserConsole(t *testing.T) {
	ts := newTestServer(t)
	ctx := browserSized(t, 1280, 900)
	bg := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	dana, _ := ts.db.FindUserByLogin(bg, "dana@demo.okwallet.example")
	tk, err := ts.db.CreateTicket(bg, okcare.NewTicket{UserID: dana.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN", Category: "account_login_restricted",
		Subject: "登录受限，打不开钱包", Intake: okcare.Intake{Description: "一直提示登录受限", StepsTried: []string{"reinstall"}, Platform: "android", AppVersion: "5.2.0"}})
	if err != nil {
		t.Fatal(err)
	}
	var queue, state, context_, conversation string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID), // signed out: sent to sign in
		chromedp.SendKeys(`input[name=email]`, "agent@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, "agent@okcare.example"), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Text("main", &queue, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queue, "登录受限，打不开钱包") {
		t.Fatalf("the queue does not list the ticket:\n%s", queue)
	}
	screenshot(t, ctx, "console-queue")
	err = chromedp.Run(ctx,
		chromedp.Click(`a[href="/console/tickets/`+tk.ID+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#wallet", chromedp.ByID),
		chromedp.Text("#account-state", &state, chromedp.ByID),
		chromedp.Text("#wallet", &context_, chromedp.ByID),
		chromedp.SendKeys("#reply-body", "已查看风控记录，准备核实身份。", chromedp.ByID),
		chromedp.Click("#vis-internal", chromedp.ByID),
		chromedp.Click("#send-reply", chromedp.ByID),
		chromedp.WaitVisible("#conversation .note", chromedp.ByQuery),
		chromedp.Click("#send-code", chromedp.ByID),
		chromedp.WaitVisible("#confirm-form", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if state != "登录受限" || !strings.Contains(context_, "安全审核") || !strings.Contains(context_, "66.60") {
		t.Fatalf("wallet context: state %q\n%s", state, context_)
	}
	// The customer reads the code from their mail.
	var mail string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		mail = nt.Body
		return nil
	}()
	code := regexp.MustCompile(`\d{6}`).FindString(mail)
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#code", code, chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible("#verified", chromedp.ByID),
		chromedp.Click("#action-lift_restriction", chromedp.ByID),
		// The fifth message is the action's note: the page has reloaded.
		chromedp.WaitVisible("#conversation li:nth-of-type(5)", chromedp.ByQuery),
		chromedp.Text("#conversation", &conversation, chromedp.ByID),
		chromedp.Text("#account-state", &state, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if state != "正常" || !strings.Contains(conversation, "执行了操作：解除登录限制") || !strings.Contains(conversation, "已查看风控记录") {
		t.Fatalf("after lifting: state %q\n%s", state, conversation)
	}
	screenshot(t, ctx, "console-ticket")

	// A supervisor's reports, with charts.
	var kpi string
	var charts int
	err = chromedp.Run(ctx,
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, ts.creds.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, ts.creds.AdminPassword, chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, ts.creds.AdminEmail), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#team", chromedp.ByID),
		chromedp.Click("#nav-reports", chromedp.ByID),
		chromedp.WaitVisible("#kpi-tickets", chromedp.ByID),
		chromedp.Text("#kpi-tickets", &kpi, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("svg.chart rect, table.hbars rect").length`, &charts),
	)
	if err != nil {
		t.Fatal(err)
	}
	if kpi != "1" || charts == 0 {
		t.Fatalf("reports: %q tickets, %d chart bars", kpi, charts)
	}
	screenshot(t, ctx, "console-reports")
}
