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
)

// Journey 4: an outage. The admin opens an incident; the app's bootstrap,
// the status page, the wizard and the chat all tell customers about it.
// A customer who files a ticket from the wizard and another who writes by
// email meanwhile have their tickets linked to it (the first sees so on
// their ticket page); when the incident is resolved both are told, by mail
// and on the ticket.
func TestJourney4Outage(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey4(t, store) })
	}
}

func journey4(t *testing.T, store string) {
	j := startJourney(t, store)
	title := "部分用户打开钱包后一直加载"
	admin, _ := j.staffToken(j.admin)
	status, inc := j.api("POST", "/api/v1/admin/incidents", admin, map[string]any{
		"title": title, "message": "我们正在紧急处理余额加载失败的问题，资金安全不受影响。",
		"title_en": "Some users are stuck loading", "message_en": "We are fixing balances that fail to load; funds are safe.",
		"severity": "major",
	})
	incID, _ := inc["id"].(string)
	if status != http.StatusCreated || incID == "" {
		t.Fatalf("opening the incident: %d %v", status, inc)
	}

	// The app, opening: the bootstrap names the incident.
	status, boot := j.api("GET", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version=14", "", nil)
	if list, _ := boot["incidents"].([]any); status != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["id"] != incID || list[0].(map[string]any)["title"] != title {
		t.Fatalf("the bootstrap does not tell of the incident: %d %v", status, boot)
	}

	// The status page, the wizard and the chat, on the phone.
	phone := j.browser(false)
	email := j.address("lan")
	var statusPage, top, result, chat string
	j.run(phone, "the status page",
		chromedp.Navigate(j.base+"/status?lang=zh-CN"),
		chromedp.WaitVisible(`.incident[data-id="`+incID+`"]`, chromedp.ByQuery),
		text("main", &statusPage),
	)
	if !strings.Contains(statusPage, "服务出现重大故障") || !strings.Contains(statusPage, title) || !strings.Contains(statusPage, "资金安全不受影响") {
		t.Fatalf("the status page does not tell of the outage:\n%s", statusPage)
	}
	noEnglish(t, "the status page", statusPage)
	browsertest.Screenshot(t, phone, "journey4-"+store+"-status")
	j.run(phone, "the chat page",
		chromedp.Navigate(j.base+"/support/chat?lang=zh-CN"),
		chromedp.WaitVisible("#chat-intro", chromedp.ByID),
		text("main", &chat),
	)
	if !strings.Contains(chat, title) {
		t.Errorf("the chat page does not tell of the outage:\n%s", chat)
	}
	noEnglish(t, "the chat page", chat)
	browsertest.Screenshot(t, phone, "journey4-"+store+"-chat")
	j.run(phone, "the wizard",
		chromedp.Navigate(j.base+"/diagnose?lang=zh-CN"),
		chromedp.WaitVisible("#wizard", chromedp.ByID),
		chromedp.Click("#symptom-stuck", chromedp.ByID),
		chromedp.SendKeys("#app_version", "5.3.0", chromedp.ByID),
		chromedp.SendKeys("#os_version", "14", chromedp.ByID),
		chromedp.SendKeys("#description", "打开以后一直在转圈，余额出不来", chromedp.ByID),
		chromedp.Click("#diagnose-submit", chromedp.ByID),
		chromedp.WaitVisible("#causes", chromedp.ByID),
		text("#causes .cause.top", &top),
		text("main", &result),
	)
	if !strings.Contains(top, title) {
		t.Fatalf("the wizard's first cause is not the incident:\n%s", top)
	}
	noEnglish(t, "the diagnosis", result)
	browsertest.Screenshot(t, phone, "journey4-"+store+"-diagnosis")

	// Still broken for them: the prefilled ticket, linked to the incident.
	var number, contact string
	j.run(phone, "still broken",
		chromedp.Click("#still-broken", chromedp.ByID),
		chromedp.WaitVisible("#open-ticket", chromedp.ByID),
		text("main", &contact),
	)
	noEnglish(t, "the still-broken page", contact)
	browsertest.Screenshot(t, phone, "journey4-"+store+"-still-broken")
	j.run(phone, "the ticket from the wizard",
		chromedp.Click("#open-ticket", chromedp.ByID),
		chromedp.WaitVisible("#ticket-form", chromedp.ByID),
		chromedp.SendKeys("#contact_email", email, chromedp.ByID),
		chromedp.Click("#ticket-submit", chromedp.ByID),
		chromedp.WaitVisible("#ticket-done", chromedp.ByID),
		text("#ticket-number", &number),
	)
	webTicket := j.ticketByNumber(strings.TrimPrefix(strings.TrimSpace(number), "#"))
	ack := j.mail.wait(t, email, "我们已收到您的问题")
	link := privateLink.FindString(ack.Text)
	if link == "" {
		t.Fatalf("no private link in the acknowledgement:\n%s", ack.Text)
	}
	var banner string
	j.run(phone, "the ticket page during the outage",
		chromedp.Navigate(link+"?lang=zh-CN"),
		chromedp.WaitVisible("#ticket-incident", chromedp.ByID),
		text("#ticket-incident", &banner),
	)
	if !strings.Contains(banner, title) {
		t.Fatalf("the ticket page does not name the incident: %q", banner)
	}
	browsertest.Screenshot(t, phone, "journey4-"+store+"-ticket")

	// Another customer writes by email meanwhile.
	other := j.address("hong")
	support := "support@" + j.domain
	j.send(other, support, fmt.Sprintf("From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <outage-%d@%s>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n%s\n",
		other, support, mime.BEncoding.Encode("UTF-8", "钱包打不开，一直加载"), time.Now().Format(time.RFC1123Z), time.Now().UnixNano(), j.domain,
		base64.StdEncoding.EncodeToString([]byte("从早上开始钱包就一直在加载，什么都看不到。\r\n"))))
	otherAck := j.mail.wait(t, other, "我们已收到您的问题")
	m := regexp.MustCompile(`\[OK#(\d+)\]`).FindStringSubmatch(otherAck.Subject)
	if m == nil {
		t.Fatalf("no ticket number in %q", otherAck.Subject)
	}
	mailTicket := j.ticketByNumber(m[1])
	for _, tk := range []*okcare.Ticket{webTicket, mailTicket} {
		if tk.IncidentID != incID {
			t.Fatalf("ticket #%d (%s) arrived during the incident but is linked to %q", tk.Number, tk.Channel, tk.IncidentID)
		}
	}

	// Resolved: both customers are told, by mail and on the ticket.
	if status, body := j.api("PATCH", "/api/v1/admin/incidents/"+incID, admin, map[string]any{
		"status": "resolved", "message": "问题已修复，余额可以正常加载。", "message_en": "Fixed; balances load again."}); status != http.StatusOK {
		t.Fatalf("resolving the incident: %d %v", status, body)
	}
	for _, addr := range []string{email, other} {
		told := j.mail.wait(t, addr, "已经解决")
		if !strings.Contains(told.Text, title) {
			t.Fatalf("the resolution mail to %s does not name the incident:\n%s", addr, told.Text)
		}
		noEnglish(t, "the resolution mail", told.Subject+"\n"+told.Text)
	}
	var conversation, page string
	j.run(phone, "the ticket page after the outage",
		chromedp.Navigate(link+"?lang=zh-CN"),
		chromedp.WaitVisible("#conversation", chromedp.ByID),
		text("#conversation", &conversation),
		text("main", &page),
	)
	if !strings.Contains(conversation, "已经解决") {
		t.Fatalf("the ticket page does not say the problem is solved:\n%s", conversation)
	}
	noEnglish(t, "the ticket page", page)
	browsertest.Screenshot(t, phone, "journey4-"+store+"-resolved")
	if status, boot := j.api("GET", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version=14", "", nil); status != http.StatusOK || len(boot["incidents"].([]any)) != 0 {
		t.Fatalf("the bootstrap after the resolution: %d %v", status, boot)
	}
}

// ticketByNumber finds a ticket by the number its customer was given.
func (j *journey) ticketByNumber(number string) *okcare.Ticket {
	j.t.Helper()
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil {
		j.t.Fatalf("ticket number %q", number)
	}
	tk, err := j.m.DB.FindTicketByNumber(context.Background(), n)
	if err != nil {
		j.t.Fatalf("ticket #%d: %v", n, err)
	}
	return tk
}
