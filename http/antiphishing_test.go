package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/demo"
)

// The anti-phishing code through the API: only for the signed-in
// customer, checked, and read back.
func TestAntiPhishingAPI(t *testing.T) {
	ts := newTestServer(t)
	if status, _, _ := ts.call(t, "PUT", "/api/v1/me/anti-phishing-code", "", map[string]string{"code": "BlueWhale42"}); status != http.StatusUnauthorized {
		t.Fatalf("without a session: %d", status)
	}
	tok := ts.login(t, "bob@demo.okwallet.example")
	if status, body, _ := ts.call(t, "PUT", "/api/v1/me/anti-phishing-code", tok, map[string]string{"code": "12345678"}); status != 400 || errCode(body) != okcare.EINVALID {
		t.Fatalf("all digits: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "PUT", "/api/v1/me/anti-phishing-code", tok, map[string]string{"code": "BlueWhale42"}); status != 200 || body["code"] != "BlueWhale42" {
		t.Fatalf("set: %d %v", status, body)
	}
	if _, body, _ := ts.call(t, "GET", "/api/v1/me/anti-phishing-code", tok, nil); body["code"] != "BlueWhale42" {
		t.Fatalf("read back: %v", body)
	}
	if n := count(t, ts, `SELECT COUNT(*) FROM notifications WHERE event = 'anti_phishing_code_set'`); n == 0 {
		t.Fatal("no alert")
	}
}

// The account page, in Chinese: a signed-out visitor is sent to sign in;
// signed in, the customer sets a code, sees it, and a bad one is
// explained in Chinese.
func TestAntiPhishingPage(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	if status, _, h := c.get("/support/account?lang=zh-CN"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/support/login") {
		t.Fatalf("signed out: %d %v", status, h)
	}
	c.get("/support/login?lang=zh-CN")
	if status, body, _ := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"alice@demo.okwallet.example"}, "password": {demo.UserPassword}, "next": {"/support/account"}}); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", status, body)
	}
	_, page, _ := c.get("/support/account?lang=zh-CN")
	if !strings.Contains(page, `id="ap-form"`) || !strings.Contains(page, `id="nav-account"`) {
		t.Fatal("the account page lacks the form or the menu link")
	}
	noEnglishWords(t, page)
	status, page, _ := c.post("/support/account/anti-phishing", url.Values{"lang": {"zh-CN"}, "code": {"蓝 鲸"}})
	if status != 400 || !strings.Contains(page, "防钓鱼码要") {
		t.Fatalf("bad code: %d", status)
	}
	status, page, _ = c.post("/support/account/anti-phishing", url.Values{"lang": {"zh-CN"}, "code": {"蓝鲸四十二"}})
	if status != 200 || !strings.Contains(page, "<strong>蓝鲸四十二</strong>") || !strings.Contains(page, `id="ap-saved"`) {
		t.Fatalf("set: %d %s", status, page)
	}
	noEnglishWords(t, page)
	alice, _ := ts.db.FindUserByLogin(context.Background(), "alice@demo.okwallet.example")
	if code, _ := ts.db.AntiPhishingCode(context.Background(), alice.ID); code != "蓝鲸四十二" {
		t.Fatalf("stored %q", code)
	}
}
