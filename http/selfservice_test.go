package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/storetest"
)

// lastMessage reads the newest outbox message of an event to addr, as its
// owner would from their mailbox.
func lastMessage(t *testing.T, ts *testServer, event, addr string) string {
	t.Helper()
	return storetest.Notified(t, ts.db, `WHERE event = ? AND to_addr = ? ORDER BY created_at DESC, id DESC LIMIT 1`, event, addr).Body
}

var code6 = regexp.MustCompile(`\b\d{6}\b`)

// The emergency freeze through the API: an unknown contact gets the same
// answer as a known one, bad input a stable code, the code freezes the
// account and signs out its sessions, and an address is throttled.
func TestEmergencyFreezeAPI(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.login(t, "bob@demo.okwallet.example")
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"no contact", map[string]string{}, 400, okcare.EINVALID},
		{"not a contact", map[string]string{"contact": "hello"}, 400, okcare.EINVALID},
		{"unknown field", map[string]string{"contact": "bob@demo.okwallet.example", "user_id": "usr_x"}, 400, okcare.EUNKNOWNFIELD},
		{"not JSON", "contact=bob", 400, okcare.EINVALIDJSON},
	} {
		status, body, _ := ts.call(t, "POST", "/api/v1/emergency-freezes", "", tc.body)
		if status != tc.status || errCode(body) != tc.code {
			t.Errorf("%s: %d %v", tc.name, status, body)
		}
	}
	if n := count(t, ts, `SELECT COUNT(*) FROM self_service_requests`); n != 0 {
		t.Fatalf("refused requests left %d rows", n)
	}

	status, known, _ := ts.call(t, "POST", "/api/v1/emergency-freezes", "", map[string]string{"contact": "bob@demo.okwallet.example", "lang": "en"})
	status2, unknown, _ := ts.call(t, "POST", "/api/v1/emergency-freezes", "", map[string]string{"contact": "bobby@demo.okwallet.example", "lang": "en"})
	if status != 202 || status2 != 202 || len(known) != len(unknown) || known["channel"] != unknown["channel"] || known["sent_to"] != "b***@demo.okwallet.example" {
		t.Fatalf("known %d %v, unknown %d %v", status, known, status2, unknown)
	}
	id := known["id"].(string)
	status, body, _ := ts.call(t, "POST", "/api/v1/emergency-freezes/"+id+"/confirm", "", map[string]string{"code": "12345x"})
	if status != 400 || errCode(body) != okcare.EINVALID {
		t.Fatalf("wrong code: %d %v", status, body)
	}
	code := code6.FindString(lastMessage(t, ts, "self_freeze_code", "bob@demo.okwallet.example"))
	status, body, _ = ts.call(t, "POST", "/api/v1/emergency-freezes/"+id+"/confirm", "", map[string]string{"code": code, "note": "phone stolen"})
	if status != 200 || body["ticket_number"] == nil || body["sessions_revoked"].(float64) < 1 {
		t.Fatalf("confirm: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/me", tok, nil); status != http.StatusUnauthorized {
		t.Fatalf("a session survived the freeze: %d", status)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/emergency-freezes/"+id+"/confirm", "", map[string]string{"code": code}); status != 400 {
		t.Fatalf("the code worked twice: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/emergency-freezes/ssr_nope/confirm", "", map[string]string{"code": code}); status != 404 || errCode(body) != okcare.ENOTFOUND {
		t.Fatalf("unknown request: %d %v", status, body)
	}

	// One address cannot run through a list of contacts.
	ts.srv.SelfServiceLimiter = okhttp.NewRateLimiter(3, time.Hour)
	var last int
	for i := 0; i < 4; i++ {
		last, _, _ = ts.call(t, "POST", "/api/v1/emergency-freezes", "", map[string]string{"contact": "x" + string(rune('a'+i)) + "@example.com"})
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("the fourth request from one address: %d", last)
	}
}

// The emergency-freeze pages, in Chinese: the contact, the code read from
// the mailbox, the confirmation with the ticket number; a wrong code is
// explained in Chinese on the same page; the form needs its CSRF token.
func TestEmergencyFreezePages(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	status, page, _ := c.get("/help?lang=zh-CN")
	if status != 200 || !strings.Contains(page, `href="/support/freeze?lang=zh-CN"`) {
		t.Fatalf("the help center does not link the emergency freeze: %d", status)
	}
	_, page, _ = c.get("/support/freeze?lang=zh-CN")
	noEnglishWords(t, page)
	if status, _, _ := c.post("/support/freeze", url.Values{"contact": {"alice@demo.okwallet.example"}, "lang": {"zh-CN"}, "csrf": {"forged-token-forged-token-forged"}}); status != http.StatusForbidden {
		t.Fatalf("a forged form was accepted: %d", status)
	}
	status, page, _ = c.post("/support/freeze", url.Values{"contact": {"nonsense"}, "lang": {"zh-CN"}})
	if status != 400 || !strings.Contains(page, "请填写账户注册的邮箱") {
		t.Fatalf("bad contact: %d", status)
	}
	status, page, _ = c.post("/support/freeze", url.Values{"contact": {"alice@demo.okwallet.example"}, "lang": {"zh-CN"}})
	if status != 200 || !strings.Contains(page, "a***@demo.okwallet.example") {
		t.Fatalf("send: %d %s", status, page)
	}
	noEnglishWords(t, strings.ReplaceAll(page, "a***@demo.okwallet.example", ""))
	request := regexp.MustCompile(`name="request" value="([^"]+)"`).FindStringSubmatch(page)[1]
	mail := lastMessage(t, ts, "self_freeze_code", "alice@demo.okwallet.example")
	if !strings.Contains(mail, "冻结") {
		t.Fatalf("the code mail is not in Chinese: %q", mail)
	}
	status, page, _ = c.post("/support/freeze/confirm", url.Values{"request": {request}, "code": {"00000a"}, "sent_to": {"a***@demo.okwallet.example"}, "lang": {"zh-CN"}})
	if status != 400 || !strings.Contains(page, "验证码不正确") || !strings.Contains(page, `name="request" value="`+request) {
		t.Fatalf("wrong code: %d", status)
	}
	status, page, _ = c.post("/support/freeze/confirm", url.Values{"request": {request}, "code": {code6.FindString(mail)}, "note": {"手机被偷了"}, "sent_to": {"a***@demo.okwallet.example"}, "lang": {"zh-CN"}})
	if status != 200 || !strings.Contains(page, "账户已冻结") || !regexp.MustCompile(`工单 #\d+`).MatchString(page) {
		t.Fatalf("confirm: %d %s", status, page)
	}
	noEnglishWords(t, page)
	alice, _ := ts.db.FindUserByLogin(context.Background(), "alice@demo.okwallet.example")
	if alice.State != okcare.AccountFrozen || alice.StateReason != okcare.ReasonCustomerRequest {
		t.Fatalf("alice is %s (%s)", alice.State, alice.StateReason)
	}
}

func count(t *testing.T, ts *testServer, q string) int {
	t.Helper()
	var n int
	if err := ts.db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Forgot password through the help center, in Chinese: the sign-in page
// and the article lead to the form; the link from the mailbox opens the
// reset page; mismatched and weak passwords are explained there; the new
// password works, every session is signed out, and a used link says so.
func TestForgotPasswordPages(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.login(t, "bob@demo.okwallet.example")
	c := newConsoleClient(t, ts)
	_, page, _ := c.get("/support/login?lang=zh-CN")
	if !strings.Contains(page, `href="/support/forgot?lang=zh-CN"`) {
		t.Fatal("the sign-in page has no forgot-password link")
	}
	_, page, _ = c.get("/help/reset-password?lang=zh-CN")
	if !strings.Contains(page, `href="/support/forgot"`) {
		t.Fatal("the reset-password article does not lead to the real form")
	}
	_, page, _ = c.get("/support/forgot?lang=zh-CN")
	noEnglishWords(t, page)

	// Known and unknown contacts: the same page.
	_, unknown, _ := c.post("/support/forgot", url.Values{"contact": {"bobo@demo.okwallet.example"}, "lang": {"zh-CN"}})
	status, known, _ := c.post("/support/forgot", url.Values{"contact": {"bob@demo.okwallet.example"}, "lang": {"zh-CN"}})
	mask := regexp.MustCompile(`[a-z]\*\*\*@demo\.okwallet\.example`)
	if status != 200 || mask.ReplaceAllString(known, "") != mask.ReplaceAllString(unknown, "") || !strings.Contains(known, "30 分钟") {
		t.Fatalf("the known contact's page differs from the unknown one's (%d)", status)
	}
	mail := lastMessage(t, ts, "password_reset_link", "bob@demo.okwallet.example")
	link := regexp.MustCompile(`/reset-password\?token=okreset_[A-Z2-7]+`).FindString(mail)
	if link == "" || !strings.Contains(mail, "重置") {
		t.Fatalf("the reset mail: %q", mail)
	}
	status, page, h := c.get(link + "&lang=zh-CN")
	if status != 200 || !strings.Contains(page, `id="reset-form"`) || h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("the reset page: %d %v", status, h)
	}
	noEnglishWords(t, page)
	tokField := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)[1]
	status, page, _ = c.post("/reset-password", url.Values{"token": {tokField}, "password": {"river-stone-2027"}, "password2": {"river-stone-2028"}, "lang": {"zh-CN"}})
	if status != 400 || !strings.Contains(page, "两次输入的密码不一样") {
		t.Fatalf("mismatch: %d", status)
	}
	status, page, _ = c.post("/reset-password", url.Values{"token": {tokField}, "password": {"12345678"}, "password2": {"12345678"}, "lang": {"zh-CN"}})
	if status != 400 || !strings.Contains(page, "密码太简单") {
		t.Fatalf("weak: %d", status)
	}
	status, page, _ = c.post("/reset-password", url.Values{"token": {tokField}, "password": {"river-stone-2027"}, "password2": {"river-stone-2027"}, "lang": {"zh-CN"}})
	if status != 200 || !strings.Contains(page, "密码已重置") {
		t.Fatalf("reset: %d %s", status, page)
	}
	noEnglishWords(t, page)
	if status, _, _ := ts.call(t, "GET", "/api/v1/me", tok, nil); status != http.StatusUnauthorized {
		t.Fatalf("a session survived the reset: %d", status)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", map[string]any{"login": "bob@demo.okwallet.example", "password": "river-stone-2027", "device": testDevice}); status != 201 {
		t.Fatalf("sign-in with the new password: %d %v", status, body)
	}
	status, page, _ = c.get(link)
	if status != http.StatusUnauthorized || !strings.Contains(page, `id="reset-bad"`) {
		t.Fatalf("a used link: %d", status)
	}
}

// The forgot-password API answers known and unknown contacts alike and
// refuses bad input with a stable code.
func TestForgotPasswordAPI(t *testing.T) {
	ts := newTestServer(t)
	status, known, _ := ts.call(t, "POST", "/api/v1/password-reset-requests", "", map[string]string{"contact": "+8613800000002", "lang": "en"})
	status2, unknown, _ := ts.call(t, "POST", "/api/v1/password-reset-requests", "", map[string]string{"contact": "+8613800000099", "lang": "en"})
	if status != 202 || status2 != 202 || known["channel"] != "sms" || unknown["channel"] != "sms" || len(known) != len(unknown) {
		t.Fatalf("known %d %v, unknown %d %v", status, known, status2, unknown)
	}
	if n := count(t, ts, `SELECT COUNT(*) FROM notifications WHERE event = 'password_reset_link' AND to_addr = '+8613800000002'`); n != 1 {
		t.Fatalf("%d links by SMS to the registered phone", n)
	}
	if n := count(t, ts, `SELECT COUNT(*) FROM notifications WHERE to_addr = '+8613800000099'`); n != 0 {
		t.Fatal("a link went to a phone no account has")
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/password-reset-requests", "", map[string]string{"contact": "bob"}); status != 400 || errCode(body) != okcare.EINVALID {
		t.Fatalf("bad contact: %d %v", status, body)
	}
}

// A scam story on the diagnosis page gets the scam cause first, in
// Chinese, with its steps leading to the emergency freeze and the
// official-channel check, pages this branch built.
func TestDiagnosisPageLeadsScamVictimsToSafety(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	c.get("/diagnose?lang=zh-CN")
	status, page, _ := c.post("/diagnose", url.Values{"lang": {"zh-CN"}, "symptom": {"other"}, "description": {"有个自称客服的人让我提供助记词才能解冻"}})
	if status != 200 {
		t.Fatalf("diagnose: %d", status)
	}
	first := regexp.MustCompile(`data-code="([a-z_]+)"`).FindStringSubmatch(page)
	if first == nil || first[1] != "scam_contact" {
		t.Fatalf("first cause %v", first)
	}
	for _, link := range []string{`href="/support/freeze?lang=zh-CN"`, `href="/verify?lang=zh-CN"`} {
		if !strings.Contains(page, link) {
			t.Errorf("no step link %s", link)
		}
	}
}
