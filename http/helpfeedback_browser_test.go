package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserSearchVoteAndNoMatch: in Chromium, with scripts off (the
// vote form needs none): an iPhone question finds the iOS article, a vote
// under it is stored with the search; a Chinese question on the English
// page finds the English article; a question nothing answers shows the
// contact links.
func TestBrowserSearchVoteAndNoMatch(t *testing.T) {
	ts := newTestServer(t)
	ctx := browser(t)
	var first, sorry, heading, thanks, noMatch, contactHref string
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(ts.URL+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "苹果手机ok钱包缓存怎么清", chromedp.ByID),
		chromedp.Click("#search-button", chromedp.ByID),
		chromedp.WaitVisible("#results", chromedp.ByID),
		chromedp.Text("#results li a", &first, chromedp.ByQuery),
		chromedp.Click("#results li a", chromedp.ByQuery),
		chromedp.WaitVisible("#vote-form", chromedp.ByID),
		chromedp.Click("#vote-no", chromedp.ByID),
		chromedp.WaitVisible("#vote-sorry", chromedp.ByID),
		chromedp.Text("#vote-sorry", &sorry, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "iOS") || !strings.Contains(sorry, "抱歉") {
		t.Fatalf("first result %q, after the vote %q", first, sorry)
	}
	screenshot(t, ctx, "article-voted-unhelpful")
	rep, err := ts.db.HelpFeedback(context.Background(), time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.UnhelpfulQueries) != 1 || rep.UnhelpfulQueries[0].Slug != "clear-cache-ios" || rep.UnhelpfulQueries[0].Query != "苹果手机ok钱包缓存怎么清" || rep.UnhelpfulQueries[0].Lang != "zh-CN" {
		t.Fatalf("stored: %+v", rep.UnhelpfulQueries)
	}

	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/help?lang=en"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "账户被冻结了", chromedp.ByID),
		chromedp.Click("#search-button", chromedp.ByID),
		chromedp.WaitVisible("#results", chromedp.ByID),
		chromedp.Click("#results li a", chromedp.ByQuery),
		chromedp.WaitVisible("#vote-form", chromedp.ByID),
		chromedp.Text("#article h1", &heading, chromedp.ByQuery),
		chromedp.Click("#vote-yes", chromedp.ByID),
		chromedp.WaitVisible("#vote-thanks", chromedp.ByID),
		chromedp.Text("#vote-thanks", &thanks, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != "My account is frozen" || !strings.Contains(thanks, "Thank you") {
		t.Fatalf("English page, Chinese query: heading %q, after the vote %q", heading, thanks)
	}

	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "比特币今天的价格", chromedp.ByID),
		chromedp.Click("#search-button", chromedp.ByID),
		chromedp.WaitVisible("#no-results", chromedp.ByID),
		chromedp.Text("#no-results", &noMatch, chromedp.ByID),
		chromedp.AttributeValue("#no-results-contact", "href", &contactHref, nil, chromedp.ByID),
		chromedp.Click("#no-results-contact", chromedp.ByID),
		chromedp.WaitVisible("#nav-contact", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(noMatch, "没有找到能回答") || contactHref != "/support/contact?lang=zh-CN" {
		t.Fatalf("no match: %q, contact %q", noMatch, contactHref)
	}
	screenshot(t, ctx, "search-no-match")
	rep, err = ts.db.HelpFeedback(context.Background(), time.Now().Add(-time.Hour), 10)
	if err != nil || len(rep.ZeroResultQueries) != 1 || rep.ZeroResultQueries[0].Query != "比特币今天的价格" {
		t.Fatalf("zero-result queries: %+v, %v", rep.ZeroResultQueries, err)
	}
}
