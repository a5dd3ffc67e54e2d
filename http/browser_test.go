package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare/browsertest"
)

// browser starts headless Chromium for one test, sized as a phone.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserSized(t, browsertest.PhoneW, browsertest.PhoneH)
}

// browserSized starts headless Chromium with a window of w x h.
func browserSized(t *testing.T, w, h int) context.Context {
	t.Helper()
	return browsertest.Start(t, w, h, 60*time.Second)
}

func screenshot(t *testing.T, ctx context.Context, name string) { browsertest.Screenshot(t, ctx, name) }

func TestBrowserSearchAndRead(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	var first, heading, lang string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "闪退", chromedp.ByID),
		chromedp.Click("#search-button", chromedp.ByID),
		chromedp.WaitVisible("#results", chromedp.ByID),
		chromedp.Text("#results li a", &first, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "闪退") {
		t.Fatalf("first result for 闪退 is %q", first)
	}
	screenshot(t, ctx, "search")
	err = chromedp.Run(ctx,
		chromedp.Click("#results li a", chromedp.ByQuery),
		chromedp.WaitVisible("#article h1", chromedp.ByQuery),
		chromedp.Text("#article h1", &heading, chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != first || lang != "zh-CN" {
		t.Fatalf("article heading %q (lang %s), want %q", heading, lang, first)
	}
	screenshot(t, ctx, "article")
}

func TestBrowserWizardToResultAndSupport(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	var topCode, topTitle, contact string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/diagnose?lang=en"),
		chromedp.WaitVisible("#wizard", chromedp.ByID),
		chromedp.Click("#symptom-crash", chromedp.ByID),
		chromedp.SetValue("#platform", "android", chromedp.ByID),
		chromedp.SendKeys("#app_version", "5.1.2", chromedp.ByID),
		chromedp.SendKeys("#description", "it closes right after the splash screen <script>alert(1)</script>", chromedp.ByID),
		chromedp.Click("#diagnose-submit", chromedp.ByID),
		chromedp.WaitVisible("#causes", chromedp.ByID),
		chromedp.AttributeValue("#causes .cause", "data-code", &topCode, nil, chromedp.ByQuery),
		chromedp.Text("#causes .cause h2", &topTitle, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if topCode != "app_known_crash" || !strings.Contains(topTitle, "known crash") {
		t.Fatalf("top cause %s %q", topCode, topTitle)
	}
	screenshot(t, ctx, "wizard-result")
	err = chromedp.Run(ctx,
		chromedp.Click("#still-broken", chromedp.ByID),
		chromedp.WaitVisible("#contact", chromedp.ByID),
		chromedp.Text("#contact", &contact, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(contact, "dgn_") || !strings.Contains(contact, topTitle) || strings.Contains(contact, "app_known_crash") || !strings.Contains(contact, "first answered within 3 business days") {
		t.Fatalf("contact page lacks the prefill: %s", contact)
	}
	if n := countRows(t, ts, "diagnoses WHERE outcome = 'still_broken'"); n != 1 {
		t.Fatalf("%d diagnoses answered still_broken", n)
	}
	screenshot(t, ctx, "wizard-contact")

	// The ticket form comes prefilled with what the wizard learned.
	var appVersion, description, number, replyBy string
	err = chromedp.Run(ctx,
		chromedp.Click("#open-ticket", chromedp.ByID),
		chromedp.WaitVisible("#ticket-form", chromedp.ByID),
		chromedp.Value("#ticket_app_version", &appVersion, chromedp.ByID),
		chromedp.Value("#ticket_description", &description, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if appVersion != "5.1.2" || !strings.Contains(description, "splash screen") {
		t.Fatalf("form not prefilled: version %q description %q", appVersion, description)
	}
	screenshot(t, ctx, "ticket-form")
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#contact_email", "guest@example.com", chromedp.ByID),
		chromedp.Click("#ticket-submit", chromedp.ByID),
		chromedp.WaitVisible("#ticket-done", chromedp.ByID),
		chromedp.Text("#ticket-number", &number, chromedp.ByID),
		chromedp.Text("#reply-by", &replyBy, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(number, "#1000") || !strings.Contains(replyBy, "1-3 business days") {
		t.Fatalf("confirmation: %q %q", number, replyBy)
	}
	if n := countRows(t, ts, "tickets WHERE category = 'app_known_crash' AND channel = 'web' AND intake LIKE '%dgn_%'"); n != 1 {
		t.Fatalf("%d web tickets carry the diagnosis", n)
	}
	screenshot(t, ctx, "ticket-done")
}

func TestBrowserLanguageSwitchAndStatus(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	var hero, lang, banner, resolved string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#lang-switch", chromedp.ByID),
		chromedp.Click("#lang-switch", chromedp.ByID),
		chromedp.WaitVisible(".hero h1", chromedp.ByQuery),
		chromedp.Text(".hero h1", &hero, chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "en" || !strings.Contains(hero, "Wallet won't open") {
		t.Fatalf("after switching: lang %s hero %q", lang, hero)
	}
	// The choice is remembered: the status page comes in English too.
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/status"),
		chromedp.WaitVisible("#status-banner", chromedp.ByID),
		chromedp.Text("#status-banner", &banner, chromedp.ByID),
		chromedp.Text(".incident.resolved", &resolved, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if banner != "All systems operational" || !strings.Contains(resolved, "Some users could not connect") || !strings.Contains(resolved, "Fixed; service is back to normal.") || strings.Contains(resolved, "部分用户") {
		t.Fatalf("status page: banner %q resolved %q", banner, resolved)
	}
	if !strings.Contains(resolved, "Resolved") {
		t.Fatalf("status words not shown in English: %q", resolved)
	}
	screenshot(t, ctx, "status")
	// In Chinese the status words are Chinese too.
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/status?lang=zh-CN"),
		chromedp.WaitVisible(".incident.resolved", chromedp.ByQuery),
		chromedp.Text(".incident.resolved", &resolved, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resolved, "已解决") || strings.Contains(resolved, "resolved") {
		t.Fatalf("Chinese status page: %q", resolved)
	}
}

// TestWizardScriptRunsUnderCSP checks the wizard's script is allowed by the
// page's Content-Security-Policy: it fills in what the browser knows.
func TestWizardScriptRunsUnderCSP(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	var ran bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/diagnose?lang=en"),
		chromedp.WaitVisible("#wizard", chromedp.ByID),
		chromedp.Evaluate(`window.okcareWizardReady === true`, &ran),
	)
	if err != nil || !ran {
		t.Fatalf("the wizard script did not run under the CSP (%v)", err)
	}
}

func TestPageFormsNeedCSRFToken(t *testing.T) {
	ts := newTestServer(t)
	resp, err := ts.Client().PostForm(ts.URL+"/diagnose", map[string][]string{"lang": {"en"}, "symptom": {"crash"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || countRows(t, ts, "diagnoses") != 0 {
		t.Fatalf("a form without a CSRF token was accepted: %d", resp.StatusCode)
	}
}
