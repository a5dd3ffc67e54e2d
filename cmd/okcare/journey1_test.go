package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare/browsertest"
)

// Journey 1: an update crashes on launch on Android. The release manager
// marks the version known-bad; the customer, on their phone, searches the
// help center for 闪退, reads the crash article, runs the wizard with
// their version, is told that version is known to crash and to update,
// and taps "solved". The deflection report counts it.
func TestJourney1CrashSelfSolved(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey1(t, store) })
	}
}

func journey1(t *testing.T, store string) {
	j := startJourney(t, store)
	admin, _ := j.staffToken(j.admin)
	status, body := j.api("PUT", "/api/v1/admin/releases/android", admin, map[string]any{
		"min_version": "5.0.0", "latest_version": "5.3.0", "min_os_version": "8",
		"update_url": "https://okwallet.example/download/android",
		"known_bad": []map[string]string{{"version": "5.2.1", "note": "该版本在部分安卓手机上一打开就闪退，已在 5.3.0 修复，请更新。",
			"note_en": "Crashes on launch on some Android phones; fixed in 5.3.0, please update."}},
	})
	if status != http.StatusOK {
		t.Fatalf("setting the release policy: %d %v", status, body)
	}
	solvedBefore := j.deflectionSolved(admin)

	// On the phone: the help center, a search for 闪退, the crash article.
	phone := j.browser(false)
	var results, article string
	j.run(phone, "search the help center",
		chromedp.Navigate(j.base+"/help?lang=zh-CN"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "闪退", chromedp.ByID),
		chromedp.Click("#search-button", chromedp.ByID),
		chromedp.WaitVisible("#results", chromedp.ByID),
		text("#results", &results),
	)
	if !strings.Contains(results, "一打开就闪退") {
		t.Fatalf("searching 闪退 does not find the crash article:\n%s", results)
	}
	noEnglish(t, "the search results", results)
	j.run(phone, "read the crash article",
		chromedp.Click(`#results a[href^="/help/symptom-crash-on-launch"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#article", chromedp.ByID),
		text("main", &article),
	)
	if !strings.Contains(article, "已知问题") || !strings.Contains(article, "更新") {
		t.Fatalf("the crash article says nothing of known problems and updates:\n%s", article)
	}
	noEnglish(t, "the crash article", article)
	browsertest.Screenshot(t, phone, "journey1-"+store+"-article")

	// From the article to the wizard, with the version they have.
	var top, result, thanks string
	j.run(phone, "the wizard from the article",
		chromedp.Click(`main .cta a[href^="/diagnose"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#wizard", chromedp.ByID),
		chromedp.Click("#symptom-crash", chromedp.ByID),
		chromedp.SetValue("#platform", "android", chromedp.ByID),
		chromedp.SendKeys("#app_version", "5.2.1", chromedp.ByID),
		chromedp.SendKeys("#os_version", "14", chromedp.ByID),
		chromedp.SendKeys("#description", "昨天更新以后一打开就闪退", chromedp.ByID),
		chromedp.Click("#diagnose-submit", chromedp.ByID),
		chromedp.WaitVisible("#causes", chromedp.ByID),
		text("#causes .cause.top", &top),
		text("main", &result),
	)
	if !strings.Contains(top, "5.2.1") || !strings.Contains(top, "已知问题") || !strings.Contains(top, "更新到最新版本") {
		t.Fatalf("the first cause is not the known crash of 5.2.1:\n%s", top)
	}
	noEnglish(t, "the diagnosis", result)
	browsertest.Screenshot(t, phone, "journey1-"+store+"-diagnosis")
	j.run(phone, "solved",
		chromedp.Click("#solved", chromedp.ByID),
		chromedp.WaitVisible("#thanks", chromedp.ByID),
		text("main", &thanks),
	)
	noEnglish(t, "the thanks page", thanks)
	browsertest.Screenshot(t, phone, "journey1-"+store+"-solved")

	if got := j.deflectionSolved(admin); got != solvedBefore+1 {
		t.Fatalf("the deflection report counts %d solved, want %d", got, solvedBefore+1)
	}
}

// deflectionSolved is the deflection report's count of problems solved by
// self-service.
func (j *journey) deflectionSolved(tok string) int {
	j.t.Helper()
	status, body := j.api("GET", "/api/v1/admin/reports/deflection", tok, nil)
	solved, ok := body["solved"].(float64)
	if status != http.StatusOK || !ok {
		j.t.Fatalf("the deflection report: %d %v", status, body)
	}
	return int(solved)
}
