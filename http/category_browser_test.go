package http_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare"
)

// TestBrowserCategoryCorrection: in real Chromium an agent sees the cause
// the model read in a mailed ticket, picks another and saves it; the page
// shows the correction and the store keeps it as a label.
func TestBrowserCategoryCorrection(t *testing.T) {
	ts := newTestServer(t)
	ctx := browserSized(t, 1280, 900)
	bg := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	tk, err := ts.db.CreateTicket(bg, okcare.NewTicket{ContactEmail: "lin@example.com", Channel: okcare.ChannelMail, Lang: "en", Subject: "wallet closes at once",
		Intake: okcare.Intake{Description: "The wallet closes as soon as I open it, phone storage is almost full"}})
	if err != nil {
		t.Fatal(err)
	}
	var before, after string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console/tickets/"+tk.ID+"?lang=en"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, "agent@okcare.example", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "staff-pass-123", chromedp.ByQuery),
		chromedp.SendKeys("#totp", ts.staffCode(t, "agent@okcare.example"), chromedp.ByID),
		chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#category-form", chromedp.ByID),
		chromedp.Text("#ticket-category", &before, chromedp.ByID),
		chromedp.SetValue("#category", "device_memory_low", chromedp.ByID),
		chromedp.Submit("#category", chromedp.ByID),
		chromedp.WaitVisible(`#ticket-category[data-code="device_memory_low"]`, chromedp.ByQuery),
		chromedp.Text("#ticket-category", &after, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "console-category")
	if !strings.Contains(before, "The phone is low on storage · read by the model") || !strings.Contains(after, "The phone is low on memory · corrected by an agent") {
		t.Fatalf("category before %q, after %q", before, after)
	}
	labels, err := ts.db.CategoryLabels(bg, "", 10)
	if err != nil || len(labels) != 1 || labels[0].From != "device_storage_low" || labels[0].Category != "device_memory_low" {
		t.Fatalf("labels %+v %v", labels, err)
	}
}
