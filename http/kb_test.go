package http_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

func TestHelpCenterSearchAndRead(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct{ q, lang, want string }{
		{"闪退", "zh-CN", "symptom-crash-on-launch"},
		{"帳號凍結", "zh-CN", "account-frozen"},
		{"2fa", "en", "enable-2fa"},
		{"forgot pasword", "en", "reset-password"},
	} {
		status, body, _ := ts.call(t, "GET", "/api/v1/kb/search?lang="+tc.lang+"&q="+url.QueryEscape(tc.q), "", nil)
		results, _ := body["results"].([]any)
		if status != 200 || len(results) == 0 {
			t.Fatalf("search %q: %d %v", tc.q, status, body)
		}
		found := false
		for _, r := range results[:min(3, len(results))] {
			found = found || r.(map[string]any)["slug"] == tc.want
		}
		if !found {
			t.Errorf("search %q: %s not in the top 3: %v", tc.q, tc.want, results)
		}
	}
	status, body, _ := ts.call(t, "GET", "/api/v1/kb/articles/clear-cache-android?lang=zh-CN", "", nil)
	if status != 200 || !strings.Contains(body["html"].(string), "<strong>清除缓存</strong>") || body["title"] != "安卓：清除应用缓存" {
		t.Fatalf("article: %d %v", status, body)
	}
	for _, bad := range []string{"/api/v1/kb/search?lang=en", "/api/v1/kb/search?lang=fr&q=x", "/api/v1/kb/search?q=x&limit=500", "/api/v1/kb/articles/nope?lang=en"} {
		if status, body, _ := ts.call(t, "GET", bad, "", nil); status/100 != 4 || errCode(body) == "" {
			t.Errorf("%s: %d %v", bad, status, body)
		}
	}
}

func TestAdminEditsArticle(t *testing.T) {
	ts := newTestServer(t)
	agent := ts.agentLogin(t)
	path := "/api/v1/admin/kb/articles/check-network/en"
	edited := `{"title":"Check your network","body":"Try **airplane mode** off and on. <script>alert(1)</script> Zanzibar routers need a restart."}`
	status, draft, _ := ts.call(t, "PUT", path, agent, edited)
	if status != 201 || draft["version"] != 2.0 || draft["published"] != false || strings.Contains(draft["html"].(string), "<script") {
		t.Fatalf("save draft: %d %v", status, draft)
	}
	// A draft is not what readers or search see.
	if _, body, _ := ts.call(t, "GET", "/api/v1/kb/articles/check-network?lang=en", "", nil); body["version"] != 1.0 {
		t.Fatalf("draft leaked to readers: %v", body)
	}
	if _, body, _ := ts.call(t, "GET", "/api/v1/kb/search?lang=en&q=zanzibar", "", nil); len(body["results"].([]any)) != 0 {
		t.Fatalf("draft leaked to search: %v", body)
	}
	status, prev, _ := ts.call(t, "POST", "/api/v1/admin/kb/preview", agent, `{"body":"# Hi\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))"}`)
	if status != 200 || strings.Contains(prev["html"].(string), "onerror") || strings.Contains(prev["html"].(string), "javascript:") {
		t.Fatalf("preview: %d %v", status, prev)
	}
	status, pub, _ := ts.call(t, "POST", path+"/publish", agent, `{"version":2}`)
	if status != 200 || pub["published"] != true {
		t.Fatalf("publish: %d %v", status, pub)
	}
	status, body, _ := ts.call(t, "GET", "/api/v1/kb/search?lang=en&q=zanzibar", "", nil)
	if results, _ := body["results"].([]any); status != 200 || len(results) == 0 || results[0].(map[string]any)["slug"] != "check-network" {
		t.Fatalf("search does not follow the edit: %v", body)
	}
	status, body, _ = ts.call(t, "GET", path+"/history", agent, nil)
	versions, _ := body["versions"].([]any)
	if status != 200 || len(versions) != 2 || versions[0].(map[string]any)["created_by"] == "" {
		t.Fatalf("history: %v", body)
	}
	if status, body, _ := ts.call(t, "POST", path+"/publish", agent, `{"version":7}`); status != 404 || errCode(body) != okcare.ENOTFOUND {
		t.Fatalf("publish missing version: %d %v", status, body)
	}
	user := ts.login(t, "bob@demo.okwallet.example")
	if status, _, _ := ts.call(t, "PUT", path, user, edited); status != 401 {
		t.Fatalf("a user edited an article: %d", status)
	}
}
