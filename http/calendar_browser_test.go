package http_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/storetest"
)

// TestBrowserCalendar: in real Chromium, a customer writing on 31
// December 2026 is told the answer may be later; the admin signs in, sees
// the banner, follows it to the Holidays page, is shown what is wrong
// with a bad schedule, imports the year, and the banner is gone; the
// customer's ticket page now gives the retimed answer time as firm.
func TestBrowserCalendar(t *testing.T) {
	ts := newTestServer(t)
	ctx := browserSized(t, 1280, 900)
	setClock(ts, "2026-12-31 15:00")
	addStaff(t, ts, "cal-admin@okcare.example", okcare.RoleAdmin)
	var done, banner, problems, imported, page string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/support/new?lang=zh-CN"),
		chromedp.WaitVisible("#ticket-form", chromedp.ByID),
		chromedp.SendKeys("#contact_email", "qiu@example.com", chromedp.ByID),
		chromedp.SendKeys("#ticket_description", "跨年夜打不开钱包", chromedp.ByID),
		chromedp.Click("#ticket-submit", chromedp.ByID),
		chromedp.WaitVisible("#reply-by-provisional", chromedp.ByID),
		chromedp.Text("#reply-by", &done, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if done != "我们会在 1-3 个工作日内回复，预计 2027-01-05 15:00 (UTC+8)（节假日安排未公布，时间可能顺延）" {
		t.Fatalf("ticket done page: %q", done)
	}
	screenshot(t, ctx, "calendar-provisional-promise")

	bad := storetest.Fixture2027 + "2027-02-15 workday 春节调休\n"
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, "cal-admin@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, "cal-admin@okcare.example"), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#calendar-banner", chromedp.ByID),
		chromedp.Text("#calendar-banner", &banner, chromedp.ByID),
		chromedp.Click("#calendar-banner a", chromedp.ByQuery),
		chromedp.WaitVisible("#calendar-form", chromedp.ByID),
		chromedp.SetValue("#calendar-text", bad, chromedp.ByID),
		chromedp.Click("#calendar-import", chromedp.ByID),
		chromedp.WaitVisible("#calendar-problems", chromedp.ByID),
		chromedp.Text("#calendar-problems", &problems, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(banner, "今天没有节假日数据：2027 年的放假安排尚未导入") || !strings.Contains(banner, "导入 2027 年的安排") {
		t.Fatalf("banner %q", banner)
	}
	if !strings.Contains(problems, "第 12 行：2027-02-15 是工作日：调休上班必须是周六或周日。") {
		t.Fatalf("problems %q", problems)
	}
	screenshot(t, ctx, "calendar-refused")
	err = chromedp.Run(ctx,
		chromedp.SetValue("#calendar-text", storetest.Fixture2027, chromedp.ByID),
		chromedp.Click("#calendar-import", chromedp.ByID),
		chromedp.WaitVisible("#calendar-done", chromedp.ByID),
		chromedp.Text("#calendar-done", &imported, chromedp.ByID),
		chromedp.Text("main", &page, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(imported, "已导入 2027 年：21 天放假、2 天调休上班；1 张未结工单的时限已按新安排重新计算。") || strings.Contains(page, "尚未导入") {
		t.Fatalf("after the import: %q\n%s", imported, page)
	}
	screenshot(t, ctx, "calendar-imported")

	link := regexp.MustCompile(`/support/t/okt_\S+`).FindString(storetest.Notified(t, ts.db, `WHERE event = 'ticket_ack' AND to_addr = 'qiu@example.com'`).Body)
	var replyBy string
	var flagged []*cdp.Node
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+link+"?lang=zh-CN"),
		chromedp.WaitVisible("#reply-by", chromedp.ByID),
		chromedp.Text("#reply-by", &replyBy, chromedp.ByID),
		chromedp.Nodes("#reply-by-provisional", &flagged, chromedp.ByID, chromedp.AtLeast(0)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if replyBy != "2027-01-06 15:00 (UTC+8)" || len(flagged) != 0 {
		t.Fatalf("the customer's ticket page after the import: %q, flagged %d", replyBy, len(flagged))
	}
}
