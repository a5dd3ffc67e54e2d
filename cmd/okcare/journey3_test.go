package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/browsertest"
	"github.com/okcare/okcare/demo"
)

// Journey 3: a frozen customer writes to support by email. The mail opens
// a ticket and is acknowledged with the 1-3 working-day promise. The agent
// sees only a candidate account, sends a code to its registered address,
// the customer reads it back, the agent requests an unfreeze; a supervisor
// approves it from the same ticket, in their own browser; the account is
// active, the audit log names both, the customer is told. One admin alone
// cannot unfreeze: not through the admin API, not by approving their own
// request.
func TestJourney3FrozenAccount(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey3(t, store) })
	}
}

func journey3(t *testing.T, store string) {
	j := startJourney(t, store)
	bg := context.Background()
	email := j.address("wei")
	u, err := j.m.DB.Register(bg, okcare.RegisterRequest{Email: email, Password: demo.UserPassword, Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.m.DB.Deposit(bg, u.ID, "CNY", "1288.00", "top-up"); err != nil {
		t.Fatal(err)
	}
	if _, err := j.m.DB.ChangeState(bg, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "suspicious_activity", Actor: "system:risk"}); err != nil {
		t.Fatal(err)
	}
	frozen := j.mail.wait(t, email, "账户已冻结")
	noEnglish(t, "the freeze alert", frozen.Subject+"\n"+frozen.Text)

	// The customer writes from their registered address.
	support := "support@" + j.domain
	j.send(email, support, fmt.Sprintf(`From: =?UTF-8?B?546L5Lyf?= <%s>
To: %s
Subject: %s
Date: %s
Message-ID: <frozen-%d@%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

%s
`, email, support, mime.BEncoding.Encode("UTF-8", "账户被冻结了，钱包里的钱转不出来"), time.Now().Format(time.RFC1123Z), time.Now().UnixNano(), j.domain,
		base64.StdEncoding.EncodeToString([]byte("您好，我的 OK 钱包账户突然被冻结了，里面还有 1288 元，转不出来。请帮我解冻，谢谢。\r\n"))))

	ack := j.mail.wait(t, email, "我们已收到您的问题")
	if !strings.Contains(ack.Text, "1-3 个工作日") {
		t.Fatalf("the acknowledgement does not promise 1-3 working days:\n%s", ack.Text)
	}
	noEnglish(t, "the acknowledgement", ack.Subject+"\n"+ack.Text)
	m := regexp.MustCompile(`\[OK#(\d+)\]`).FindStringSubmatch(ack.Subject)
	if m == nil {
		t.Fatalf("no ticket number in %q", ack.Subject)
	}
	number := m[1]
	n, _ := strconv.ParseInt(number, 10, 64)
	ticket, err := j.m.DB.FindTicketByNumber(bg, n)
	if err != nil || ticket.Channel != okcare.ChannelMail {
		t.Fatalf("ticket #%s: %+v %v", number, ticket, err)
	}

	// One admin alone, through the admin API: refused, still frozen.
	admin, _ := j.staffToken(j.admin)
	if status, body := j.api("POST", "/api/v1/admin/accounts/"+u.ID+"/unfreeze", admin, map[string]string{"reason": "customer_asked"}); status != http.StatusForbidden {
		t.Errorf("an admin alone unfroze the account through the admin API: %d %v", status, body)
	}
	j.stillFrozen(u.ID, "after the admin API")

	// The agent: a candidate, no wallet, until the customer reads the code.
	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	var wallet string
	j.run(desk, "open the mailed ticket",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Click(`//a[contains(., "`+number+`")]`, chromedp.BySearch),
		chromedp.WaitVisible("#candidate", chromedp.ByID),
		text("#wallet", &wallet),
	)
	if strings.Contains(wallet, "1288") || strings.Contains(wallet, email) {
		t.Fatalf("an unproven match shows the wallet:\n%s", wallet)
	}
	j.run(desk, "send the code",
		chromedp.Click("#send-code", chromedp.ByID),
		chromedp.WaitVisible("#confirm-form", chromedp.ByID),
	)
	codeMail := j.mail.wait(t, email, "验证码")
	noEnglish(t, "the code mail", codeMail.Subject+"\n"+codeMail.Text)
	var balances string
	j.run(desk, "the customer reads the code back",
		chromedp.SendKeys("#code", sixDigits.FindString(codeMail.Text), chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible("#verified", chromedp.ByID),
		text("#balances", &balances),
	)
	if !strings.Contains(balances, "1288") {
		t.Fatalf("the verified wallet shows no balance: %q", balances)
	}
	j.afterReload(desk, "request the unfreeze", chromedp.Click("#action-unfreeze", chromedp.ByID))
	var approveButtons int
	j.run(desk, "the request waits",
		chromedp.WaitVisible("#approvals", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("#approvals button").length`, &approveButtons),
	)
	if approveButtons != 0 {
		t.Fatal("the agent who asked for the unfreeze is offered to approve it")
	}
	browsertest.Screenshot(t, desk, "journey3-"+store+"-requested")
	j.stillFrozen(u.ID, "after the agent's request")

	// One admin alone, on the ticket: their own request, their own approval.
	status, own := j.api("POST", "/api/v1/agent/tickets/"+ticket.ID+"/actions/unfreeze", admin, nil)
	ownID, _ := own["id"].(string)
	if status != http.StatusAccepted || ownID == "" {
		t.Fatalf("the admin's unfreeze request: %d %v", status, own)
	}
	if status, body := j.api("POST", "/api/v1/agent/approvals/"+ownID+"/approve", admin, nil); status != http.StatusForbidden {
		t.Errorf("an admin approved their own unfreeze: %d %v", status, body)
	}
	j.stillFrozen(u.ID, "after the admin approved their own request")

	// The supervisor, in their own browser, approves the agent's request.
	boss := j.browser(true)
	j.staffSignIn(boss, "supervisor@okcare.example", j.password)
	var state string
	j.run(boss, "the ticket, for the supervisor",
		chromedp.Navigate(j.base+"/console/tickets/"+ticket.ID+"?lang=zh-CN"),
		chromedp.WaitVisible("#approvals", chromedp.ByID),
	)
	j.afterReload(boss, "approve on the ticket",
		chromedp.Click(`#approvals button[id^="approve-"]:not(#approve-`+ownID+`)`, chromedp.ByQuery),
	)
	j.run(boss, "the state after approval", text("#account-state", &state))
	browsertest.Screenshot(t, boss, "journey3-"+store+"-approved")
	if got, _ := j.m.DB.FindUserByID(bg, u.ID); got.EffectiveState(j.m.DB.Now()) != okcare.AccountActive {
		t.Fatalf("after the approval the account is %s", got.State)
	}

	// The audit log names both staff members.
	_, agentID := j.staffToken("agent@okcare.example")
	_, bossID := j.staffToken("supervisor@okcare.example")
	entries, err := j.m.DB.AuditLog(bg, 200)
	if err != nil {
		t.Fatal(err)
	}
	var requested, approved bool
	for _, e := range entries {
		if e.Target != "user:"+u.ID {
			continue
		}
		requested = requested || e.Action == "account.unfreeze_requested" && e.Actor == "agent:"+agentID
		approved = approved || e.Action == "account.state_change" && e.Actor == "agent:"+bossID && strings.Contains(string(e.Details), `"to":"active"`)
	}
	if !requested || !approved {
		t.Fatalf("the audit log lacks the agent's request (%v) or the supervisor's approval (%v)", requested, approved)
	}
	audit := j.browser(true)
	j.staffSignIn(audit, j.admin, j.password)
	j.run(audit, "the admin's audit page",
		chromedp.Navigate(j.base+"/console/audit?lang=zh-CN"),
		chromedp.WaitVisible("#audit-log", chromedp.ByID),
		chromedp.WaitVisible("#chain-status.good", chromedp.ByQuery),
	)
	browsertest.Screenshot(t, audit, "journey3-"+store+"-audit")

	// The customer is told.
	unfrozen := j.mail.wait(t, email, "账户已解冻")
	noEnglish(t, "the unfreeze alert", unfrozen.Subject+"\n"+unfrozen.Text)
}

// stillFrozen fails the test unless the account is frozen.
func (j *journey) stillFrozen(userID, when string) {
	j.t.Helper()
	u, err := j.m.DB.FindUserByID(context.Background(), userID)
	if err != nil || u.EffectiveState(j.m.DB.Now()) != okcare.AccountFrozen {
		j.t.Fatalf("%s the account is no longer frozen: %+v %v", when, u, err)
	}
}
