package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// TestArticleVotes: every article page asks "Was this helpful?" with a
// form that works without script; a vote is stored with the search that
// led there, a reader's second vote replaces the first, and bad votes are
// refused without storing anything.
func TestArticleVotes(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	for _, lang := range []string{"zh-CN", "en"} {
		status, body, _ := c.get("/help/update-app?lang=" + lang)
		if status != 200 || !strings.Contains(body, `id="vote-form"`) || !strings.Contains(body, `action="/help/update-app/vote"`) || !strings.Contains(body, helpfulText(lang)) {
			t.Fatalf("%s article page: %d\n%s", lang, status, body)
		}
		if strings.Contains(body, "topics:") {
			t.Fatalf("%s article page shows its front matter", lang)
		}
	}
	// From a search result: the article carries the query into the form.
	status, body, _ := c.get("/help/search?lang=en&q=" + url.QueryEscape("why did ok wallet freeze my account"))
	if status != 200 || !strings.Contains(body, `href="/help/account-frozen?lang=en&amp;q=why%20did%20ok%20wallet%20freeze%20my%20account"`) {
		t.Fatalf("search page: %d\n%s", status, body)
	}
	_, body, _ = c.get("/help/account-frozen?lang=en&q=" + url.QueryEscape("why did ok wallet freeze my account"))
	if !strings.Contains(body, `name="q" value="why did ok wallet freeze my account"`) {
		t.Fatalf("article form lacks the query:\n%s", body)
	}
	status, _, h := c.post("/help/account-frozen/vote", url.Values{"lang": {"en"}, "helpful": {"no"}, "q": {"why did ok wallet freeze my account"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/help/account-frozen?") || !strings.Contains(h.Get("Location"), "voted=no") {
		t.Fatalf("vote: %d %s", status, h.Get("Location"))
	}
	_, body, _ = c.get(h.Get("Location"))
	if !strings.Contains(body, `id="vote-sorry"`) || !strings.Contains(body, `href="/support/contact?lang=en"`) || strings.Contains(body, `id="vote-form"`) {
		t.Fatalf("after an unhelpful vote:\n%s", body)
	}
	// The same reader changes their mind: one vote, now helpful.
	if status, _, _ := c.post("/help/account-frozen/vote", url.Values{"lang": {"en"}, "helpful": {"yes"}}); status != http.StatusSeeOther {
		t.Fatalf("second vote: %d", status)
	}
	// Another reader finds it unhelpful after the same search.
	other := newConsoleClient(t, ts)
	other.get("/help/account-frozen?lang=en")
	if status, _, _ := other.post("/help/account-frozen/vote", url.Values{"lang": {"en"}, "helpful": {"no"}, "q": {"Why did OK wallet freeze my account"}}); status != http.StatusSeeOther {
		t.Fatalf("other reader's vote: %d", status)
	}
	// Refused: no CSRF token, a bad answer, no such article, too long a query.
	for _, bad := range []struct {
		path   string
		form   url.Values
		status int
	}{
		{"/help/account-frozen/vote", url.Values{"csrf": {""}, "lang": {"en"}, "helpful": {"no"}}, 403},
		{"/help/account-frozen/vote", url.Values{"lang": {"en"}, "helpful": {"maybe"}}, 400},
		{"/help/no-such-article/vote", url.Values{"lang": {"en"}, "helpful": {"no"}}, 404},
		{"/help/account-frozen/vote", url.Values{"lang": {"en"}, "helpful": {"no"}, "q": {strings.Repeat("x", 201)}}, 400},
	} {
		if status, _, _ := other.post(bad.path, bad.form); status != bad.status {
			t.Errorf("POST %s %v: %d, want %d", bad.path, bad.form, status, bad.status)
		}
	}
	rep, err := ts.db.HelpFeedback(context.Background(), time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Articles) != 1 || rep.Articles[0] != (okcare.ArticleVotes{Slug: "account-frozen", Lang: "en", Helpful: 1, Unhelpful: 1}) {
		t.Errorf("votes = %+v", rep.Articles)
	}
	if len(rep.UnhelpfulQueries) != 1 || rep.UnhelpfulQueries[0].Query != "why did ok wallet freeze my account" || rep.UnhelpfulQueries[0].Count != 1 {
		t.Errorf("unhelpful queries = %+v", rep.UnhelpfulQueries)
	}
	// Too many votes from one address are refused.
	ts.srv.FeedbackLimiter = okhttp.NewRateLimiter(1, time.Hour)
	other.post("/help/update-app/vote", url.Values{"lang": {"en"}, "helpful": {"yes"}})
	if status, _, _ := other.post("/help/update-app/vote", url.Values{"lang": {"en"}, "helpful": {"yes"}}); status != http.StatusTooManyRequests {
		t.Errorf("vote over the limit: %d", status)
	}
}

func helpfulText(lang string) string {
	if lang == "en" {
		return "Was this helpful?"
	}
	return "这篇文章对您有帮助吗？"
}

// TestNoGoodMatchReported: a search with no good answer shows "no good
// match" with the diagnosis and contact links, and is counted for the
// admins: in the API report and on the console's reports page.
func TestNoGoodMatchReported(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	status, body, _ := c.get("/help/search?lang=zh-CN&q=" + url.QueryEscape("比特币 价格"))
	if status != 200 || !strings.Contains(body, `id="no-results"`) || !strings.Contains(body, `href="/support/contact?lang=zh-CN"`) || strings.Contains(body, `id="results"`) {
		t.Fatalf("no-match page: %d\n%s", status, body)
	}
	for i := 0; i < 2; i++ {
		if status, body, _ := ts.call(t, "GET", "/api/v1/kb/search?lang=en&q=pizza+recipe", "", nil); status != 200 || len(body["results"].([]any)) != 0 {
			t.Fatalf("API no-match: %d %v", status, body)
		}
	}
	// A search that finds something is not a miss.
	ts.call(t, "GET", "/api/v1/kb/search?lang=en&q=account+frozen", "", nil)

	admin := ts.agentLogin(t)
	status, rep, _ := ts.call(t, "GET", "/api/v1/admin/kb/feedback?days=7", admin, nil)
	zero, _ := rep["zero_result_queries"].([]any)
	if status != 200 || len(zero) != 2 {
		t.Fatalf("feedback report: %d %v", status, rep)
	}
	first := zero[0].(map[string]any)
	if first["query"] != "pizza recipe" || first["count"] != 2.0 || first["lang"] != "en" {
		t.Errorf("zero-result queries: %v", zero)
	}
	if status, body, _ := ts.call(t, "GET", "/api/v1/admin/kb/feedback?days=0", admin, nil); status != 400 || errCode(body) != okcare.EINVALID {
		t.Errorf("days=0: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/admin/kb/feedback", "", nil); status != 401 {
		t.Errorf("no token: %d", status)
	}
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	if status, _, _ := ts.call(t, "GET", "/api/v1/admin/kb/feedback", ts.staffToken(t, "agent@okcare.example", "staff-pass-123"), nil); status != 403 {
		t.Errorf("an agent reads the report: %d", status)
	}

	staff := newConsoleClient(t, ts)
	staff.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	status, page, _ := staff.get("/console/reports?days=7")
	if status != 200 || !strings.Contains(page, `id="hf-zero"`) || !strings.Contains(page, "比特币 价格") || !strings.Contains(page, "pizza recipe") {
		t.Fatalf("console report: %d\n%s", status, page)
	}
}

// TestArticleInOneLanguageOnly: an article written only in English is
// found from the Chinese page, shown in a Chinese page, and voted on.
func TestArticleInOneLanguageOnly(t *testing.T) {
	ts := newTestServer(t)
	a := &okcare.Article{Slug: "staking-rewards", Lang: "en", Title: "Staking rewards explained", Body: "How staking rewards are paid out every week.", CreatedBy: "agent:test"}
	if err := ts.db.SaveArticleDraft(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	published, err := ts.db.PublishArticle(context.Background(), a.Slug, a.Lang, a.Version, "agent:test")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.Search.Put(published); err != nil {
		t.Fatal(err)
	}
	c := newConsoleClient(t, ts)
	_, body, _ := c.get("/help/search?lang=zh-CN&q=staking+rewards")
	if !strings.Contains(body, `href="/help/staking-rewards?lang=zh-CN&amp;q=staking%20rewards"`) {
		t.Fatalf("search page:\n%s", body)
	}
	status, body, _ := c.get("/help/staking-rewards?lang=zh-CN&q=staking+rewards")
	if status != 200 || !strings.Contains(body, `<article class="doc card" id="article" lang="en">`) || !strings.Contains(body, "这篇文章对您有帮助吗？") {
		t.Fatalf("article page: %d\n%s", status, body)
	}
	status, _, h := c.post("/help/staking-rewards/vote", url.Values{"lang": {"zh-CN"}, "article_lang": {"en"}, "helpful": {"yes"}, "q": {"staking rewards"}})
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "lang=zh-CN") {
		t.Fatalf("vote: %d %s", status, h.Get("Location"))
	}
	rep, _ := ts.db.HelpFeedback(context.Background(), time.Now().Add(-time.Hour), 10)
	if len(rep.Articles) != 1 || rep.Articles[0] != (okcare.ArticleVotes{Slug: "staking-rewards", Lang: "en", Helpful: 1}) {
		t.Fatalf("votes: %+v", rep.Articles)
	}
	if status, _, _ := c.post("/help/staking-rewards/vote", url.Values{"lang": {"zh-CN"}, "article_lang": {"fr"}, "helpful": {"yes"}}); status != 400 {
		t.Errorf("vote in a bad language: %d", status)
	}
}
