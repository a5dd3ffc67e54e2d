package http_test

import (
	"bytes"
	"context"
	"github.com/okcare/okcare/storetest"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/demo"
)

var privateLink = regexp.MustCompile(`/support/t/okt_[A-Za-z0-9]+`)

// ackLink reads the private link from a ticket's acknowledgement.
func ackLink(t *testing.T, ts *testServer, ticketID string) string {
	t.Helper()
	var body string
	if err := func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'ticket_ack' AND ticket_id = ?`, ticketID)
		body = nt.Body
		return nil
	}(); err != nil {
		t.Fatal(err)
	}
	link := privateLink.FindString(body)
	if link == "" {
		t.Fatalf("no private link in %q", body)
	}
	return link
}

// postFile submits a multipart form with one file, as a browser would.
func (c *consoleClient) postFile(path string, form url.Values, name string, data []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	form.Set("csrf", c.csrf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("attachment", name)
	fw.Write(data)
	mw.Close()
	resp, err := c.http.Post(c.ts.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

func noEnglishWords(t *testing.T, page string) {
	t.Helper()
	// What customers and agents wrote is theirs; the page's own words are checked.
	text := regexp.MustCompile(`(?s)<script.*?</script>|<p class="body">.*?</p>|<textarea.*?</textarea>|<[^>]+>`).ReplaceAllString(page, " ")
	text = regexp.MustCompile(`[\w.+-]+@[\w.-]+|[\w.-]+\.(png|jpe?g|pdf|txt)`).ReplaceAllString(text, " ") // addresses and file names are data
	// Runs of Latin letters, but not acronyms (PNG, PDF) or product names.
	for _, w := range regexp.MustCompile(`[A-Za-z][A-Za-z-]{3,}`).FindAllString(text, -1) {
		if w == strings.ToUpper(w) || w == "English" || w == "Android" || w == "Wallet" || w == "Wi-Fi" {
			continue
		}
		t.Errorf("English word %q on a Chinese page", w)
	}
}

// A customer without an account (or who cannot sign in) follows the
// private link of the acknowledgement: sees the public conversation only,
// replies with a screenshot, and rates the solved ticket, all in Chinese.
func TestPrivateTicketLink(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "lin@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "打开就一直转圈"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ReplyAsAgent(ctx, tk.ID, "agt_demo", "内部：查看日志", false); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ReplyAsAgent(ctx, tk.ID, "agt_demo", "请问您的网络是 Wi-Fi 还是流量？", true); err != nil {
		t.Fatal(err)
	}
	link := ackLink(t, ts, tk.ID)
	c := newConsoleClient(t, ts)
	status, page, h := c.get(link + "?lang=zh-CN")
	if status != 200 || !strings.Contains(page, "打开就一直转圈") || !strings.Contains(page, "请问您的网络") || strings.Contains(page, "内部：查看日志") {
		t.Fatalf("link page: %d %s", status, page)
	}
	if h.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Fatalf("the link page may leak its URL: %v", h)
	}
	if !strings.Contains(page, "等待您回复") || !strings.Contains(page, "OK 钱包客服") {
		t.Fatal("status or author not shown as words")
	}
	noEnglishWords(t, page)

	status, _ = c.postFile(link+"/reply", url.Values{"lang": {"zh-CN"}, "body": {"用的是家里的 Wi-Fi，截图在附件"}}, "screen.png", pngFile)
	if status != http.StatusSeeOther {
		t.Fatalf("reply: %d", status)
	}
	got, _ := ts.db.FindTicket(ctx, tk.ID)
	if got.Status != okcare.TicketOpen {
		t.Fatalf("a customer reply left the ticket %s", got.Status)
	}
	files, _ := ts.db.Attachments(ctx, tk.ID)
	if len(files) != 1 {
		t.Fatalf("%d files after the reply", len(files))
	}
	_, page, _ = c.get(link + "?lang=zh-CN")
	if !strings.Contains(page, "家里的 Wi-Fi") || !strings.Contains(page, link+"/files/"+files[0].ID) {
		t.Fatal("the reply or its file is missing from the page")
	}
	// A refused file: the reason in Chinese, nothing stored.
	status, page = c.postFile(link+"/reply", url.Values{"lang": {"zh-CN"}, "body": {"再发一个"}}, "virus.exe", []byte("MZ\x90\x00binary"))
	if status != http.StatusUnsupportedMediaType || !strings.Contains(page, "不支持这种文件类型") {
		t.Fatalf("refused file: %d", status)
	}
	noEnglishWords(t, page)
	if msgs, _ := ts.db.TicketMessages(ctx, tk.ID, false); strings.Contains(msgs[len(msgs)-1].Body, "再发一个") {
		t.Fatal("a refused reply was stored")
	}

	// Solved: the page offers the rating, once.
	if _, err := ts.db.SetTicketStatus(ctx, tk.ID, "agent:"+"agt_demo", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	_, page, _ = c.get(link)
	if !strings.Contains(page, `id="rate-form"`) {
		t.Fatal("no rating form on a solved ticket")
	}
	if status, _, _ := c.post(link+"/rate", url.Values{"lang": {"zh-CN"}, "rating": {"5"}, "comment": {"很快"}}); status != http.StatusSeeOther {
		t.Fatalf("rate: %d", status)
	}
	if s, _ := ts.db.TicketSurvey(ctx, tk.ID); s == nil || s.Rating != 5 {
		t.Fatalf("survey %+v", s)
	}
	if status, page, _ := c.post(link+"/rate", url.Values{"lang": {"zh-CN"}, "rating": {"1"}}); status != http.StatusConflict || !strings.Contains(page, "已评价") {
		t.Fatalf("second rating: %d", status)
	}

	// Without the CSRF token, or with a wrong link, nothing happens.
	stranger := newConsoleClient(t, ts)
	if status, _, _ := stranger.post(link+"/reply", url.Values{"body": {"forged"}, "csrf": {"x"}}); status != http.StatusForbidden {
		t.Fatalf("a reply without the form's token: %d", status)
	}
	status, page, _ = stranger.get("/support/t/okt_NOTAREALTOKEN?lang=zh-CN")
	if status != http.StatusUnauthorized || !strings.Contains(page, "链接无效或已过期") {
		t.Fatalf("bad link: %d", status)
	}
}

// A customer signs in on the help center with their wallet login and sees
// their requests from every channel; someone else's is not found; a
// login-restricted customer is told, in Chinese, how to get help instead.
func TestCustomerSignInAndMyRequests(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	alice, _ := ts.db.FindUserByLogin(ctx, "alice@demo.okwallet.example")
	api, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: alice.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "应用内提交的问题"}})
	bob, _ := ts.db.FindUserByLogin(ctx, "bob@demo.okwallet.example")
	bobs, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: bob.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "bob 的问题"}})

	c := newConsoleClient(t, ts)
	if status, _, h := c.get("/support/requests?lang=zh-CN"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/support/login") {
		t.Fatalf("my requests signed out: %d %s", status, h.Get("Location"))
	}
	c.get("/support/login?lang=zh-CN")
	status, page, _ := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"alice@demo.okwallet.example"}, "password": {"wrong-password-1"}, "next": {"/support/requests"}})
	if status != http.StatusUnauthorized || !strings.Contains(page, "账号或密码不正确") {
		t.Fatalf("wrong password: %d", status)
	}
	noEnglishWords(t, page)
	status, _, h := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"alice@demo.okwallet.example"}, "password": {demo.UserPassword}, "next": {"//evil.example/x"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/support/requests" {
		t.Fatalf("sign-in: %d %s", status, h.Get("Location"))
	}
	var cookie *http.Cookie
	u, _ := url.Parse(ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "okc_session" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no customer session cookie")
	}

	// Signed in, the web form carries the account.
	c.get("/support/new?lang=zh-CN")
	if status, _, _ := c.post("/support/new", url.Values{"lang": {"zh-CN"}, "description": {"网页上提交的问题"}, "platform": {"android"}}); status != http.StatusCreated {
		t.Fatalf("signed-in web ticket: %d", status)
	}
	list, _ := ts.db.UserTickets(ctx, alice.ID)
	if len(list) != 2 || list[0].Channel != okcare.ChannelWeb || list[0].LinkedBy != okcare.LinkedSignedIn {
		t.Fatalf("alice's tickets %+v", list)
	}
	_, page, _ = c.get("/support/requests?lang=zh-CN")
	if !strings.Contains(page, "#"+itoa(api.Number)) || !strings.Contains(page, "应用内") || !strings.Contains(page, "网页表单") || strings.Contains(page, "#"+itoa(bobs.Number)) {
		t.Fatal("my requests does not list exactly alice's tickets with channel words")
	}
	noEnglishWords(t, page)
	if status, _, _ := c.get("/support/requests/" + api.ID); status != 200 {
		t.Fatalf("own ticket: %d", status)
	}
	if status, _, _ := c.get("/support/requests/" + bobs.ID + "?lang=zh-CN"); status != http.StatusNotFound {
		t.Fatalf("bob's ticket: %d", status)
	}
	if status, _, _ := c.post("/support/requests/"+api.ID+"/reply", url.Values{"body": {"补充：重启过了"}}); status != http.StatusSeeOther {
		t.Fatalf("reply: %d", status)
	}
	if msgs, _ := ts.db.TicketMessages(ctx, api.ID, false); msgs[len(msgs)-1].Author != "user:"+alice.ID {
		t.Fatalf("reply author %q", msgs[len(msgs)-1].Author)
	}

	// Signing out ends the session itself, not just the cookie.
	c.get("/support/requests")
	if status, _, _ := c.post("/support/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", status)
	}
	if _, _, err := ts.db.Authenticate(ctx, cookie.Value); err == nil {
		t.Fatal("the session still works after signing out")
	}

	// Login-restricted: told why, and where to go, in Chinese.
	d := newConsoleClient(t, ts)
	d.get("/support/login?lang=zh-CN")
	status, page, _ = d.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"dana@demo.okwallet.example"}, "password": {demo.UserPassword}})
	if status != http.StatusForbidden || !strings.Contains(page, `id="signin-restricted"`) || !strings.Contains(page, "联系客服") {
		t.Fatalf("restricted sign-in: %d", status)
	}
	noEnglishWords(t, page)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A customer who cannot sign in links their ticket to their account
// themselves on its private link: the code goes to the registered
// address (never shown on the page), and typing it there links the ticket.
func TestCustomerLinksTicketFromThePage(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	chen, _ := ts.db.FindUserByLogin(ctx, "chen@demo.okwallet.example")
	tk, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "chen.work@example.org", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "账户冻结了"}})
	link := ackLink(t, ts, tk.ID)
	c := newConsoleClient(t, ts)
	_, page, _ := c.get(link + "?lang=zh-CN")
	if !strings.Contains(page, `id="link-account"`) {
		t.Fatal("an unlinked ticket offers no way to link it")
	}
	// The work address is not registered: refused in Chinese, nothing sent.
	status, page, _ := c.post(link+"/verify", url.Values{"lang": {"zh-CN"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "提交的内容有误") {
		t.Fatalf("verify with an unregistered contact: %d", status)
	}
	if status, _, _ := c.post(link+"/verify", url.Values{"lang": {"zh-CN"}, "login": {"chen@demo.okwallet.example"}}); status != http.StatusSeeOther {
		t.Fatalf("verify: %d", status)
	}
	var to, body string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		to, body = nt.To, nt.Body
		return nil
	}()
	code := regexp.MustCompile(`验证码：(\d{6})`).FindStringSubmatch(body)[1] // the body also names the six-digit ticket number
	if to != chen.Email || !strings.Contains(body, "只在工单页面上输入") || code == "" {
		t.Fatalf("code to %q: %q", to, body)
	}
	_, page, _ = c.get(link + "?lang=zh-CN")
	if !strings.Contains(page, `id="link-confirm-form"`) || !strings.Contains(page, "c***@demo.okwallet.example") || strings.Contains(page, code) {
		t.Fatal("no code form, no masked destination, or the code on the page")
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if status, page, _ := c.post(link+"/confirm", url.Values{"lang": {"zh-CN"}, "code": {wrong}}); status != http.StatusBadRequest || strings.Contains(page, "The code") {
		t.Fatalf("wrong code: %d", status)
	}
	if status, _, _ := c.post(link+"/confirm", url.Values{"lang": {"zh-CN"}, "code": {code}}); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", status)
	}
	got, _ := ts.db.FindTicket(ctx, tk.ID)
	if got.UserID != chen.ID || got.LinkedBy != okcare.LinkedVerifiedContact {
		t.Fatalf("ticket linked to %q by %q", got.UserID, got.LinkedBy)
	}
	_, page, _ = c.get(link + "?lang=zh-CN")
	if strings.Contains(page, `id="link-account"`) || !strings.Contains(page, "工单已关联到您的 OK 钱包账户") {
		t.Fatal("after linking: still offered, or not told")
	}
	noEnglishWords(t, page)
}

// Signed in on the help center, the chat and the callback carry the
// account, as the web form does.
func TestSignedInChatAndCallbackCarryTheAccount(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	alice, _ := ts.db.FindUserByLogin(ctx, "alice@demo.okwallet.example")
	c := newConsoleClient(t, ts)
	c.get("/support/login?lang=zh-CN")
	if status, _, _ := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"alice@demo.okwallet.example"}, "password": {demo.UserPassword}}); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", status)
	}
	c.get("/support/callback?lang=zh-CN")
	if status, _, _ := c.post("/support/callback", url.Values{"lang": {"zh-CN"}, "contact_phone": {"+8613800000001"}, "window": {"asap"}, "description": {"请给我回电"}}); status >= 400 {
		t.Fatalf("callback: %d", status)
	}
	_, page, _ := c.get("/support/chat?lang=zh-CN")
	if !strings.Contains(page, `value="alice@demo.okwallet.example"`) {
		t.Fatal("the chat form does not know the signed-in customer's address")
	}
	c.post("/support/chat", url.Values{"lang": {"zh-CN"}, "contact_email": {"alice@demo.okwallet.example"}, "message": {"在吗"}, "leave": {"1"}})
	list, _ := ts.db.UserTickets(ctx, alice.ID)
	channels := map[string]bool{}
	for _, tk := range list {
		if tk.LinkedBy != okcare.LinkedSignedIn {
			t.Fatalf("ticket %d linked by %q", tk.Number, tk.LinkedBy)
		}
		channels[tk.Channel] = true
	}
	if !channels[okcare.ChannelPhone] || !channels[okcare.ChannelMail] {
		t.Fatalf("alice's tickets by channel: %v", channels)
	}
}

// A browser that follows a broken link gets a page in its language, with
// the way back; an API client gets the JSON envelope.
func TestNotFoundPageInTheCustomersLanguage(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct{ lang, want string }{{"zh-CN", "没有找到这个页面或工单"}, {"en", "No such page."}} {
		req, _ := http.NewRequest("GET", ts.URL+"/support/no-such-page?lang="+c.lang, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(buf.String(), c.want) || !strings.Contains(buf.String(), `href="/help?lang=`) {
			t.Fatalf("%s 404 page: %d %s", c.lang, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if c.lang == "zh-CN" {
			noEnglishWords(t, buf.String())
		}
	}
	if status, body, _ := ts.call(t, "GET", "/api/v1/no-such", "", nil); status != 404 || errCode(body) != "not_found" {
		t.Fatalf("API 404: %d %v", status, body)
	}
}

// A customer with two-factor on signs in with a code oathtool computes
// from their secret: without it they are asked for it, in Chinese; the
// same code cannot be used twice.
func TestCustomerSignInWithTOTP(t *testing.T) {
	if _, err := exec.LookPath("oathtool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("oathtool is not installed; the test script installs it")
		}
		t.Skip("oathtool not installed")
	}
	ts := newTestServer(t)
	ctx := context.Background()
	bob, _ := ts.db.FindUserByLogin(ctx, "bob@demo.okwallet.example")
	enrol, err := ts.db.BeginTOTP(ctx, bob.ID, demo.UserPassword)
	if err != nil {
		t.Fatal(err)
	}
	// The store's clock is set, and oathtool computes for the same instant.
	now := time.Now().UTC().Truncate(30 * time.Second).Add(5 * time.Second)
	ts.db.Now = func() time.Time { return now }
	code := func() string {
		out, err := exec.Command("oathtool", "--totp", "--base32", "--now", now.Format("2006-01-02 15:04:05 UTC"), enrol.Secret).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	if _, err := ts.db.ConfirmTOTP(ctx, bob.ID, code()); err != nil {
		t.Fatal(err)
	}
	// The enrolment used this step's code: sign in on the next one.
	now = now.Add(30 * time.Second)
	c := newConsoleClient(t, ts)
	c.get("/support/login?lang=zh-CN")
	status, page, _ := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"bob@demo.okwallet.example"}, "password": {demo.UserPassword}})
	if status != http.StatusUnauthorized || !strings.Contains(page, "请输入双重认证验证码") || !strings.Contains(page, `required autofocus`) {
		t.Fatalf("sign-in without the code: %d", status)
	}
	current := code()
	if status, _, h := c.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"bob@demo.okwallet.example"}, "password": {demo.UserPassword}, "totp": {current}}); status != http.StatusSeeOther || h.Get("Location") != "/support/requests" {
		t.Fatalf("sign-in with oathtool's code: %d", status)
	}
	other := newConsoleClient(t, ts)
	other.get("/support/login?lang=zh-CN")
	if status, page, _ := other.post("/support/login", url.Values{"lang": {"zh-CN"}, "login": {"bob@demo.okwallet.example"}, "password": {demo.UserPassword}, "totp": {current}}); status != http.StatusUnauthorized || !strings.Contains(page, "已用过") {
		t.Fatalf("the same code again: %d", status)
	}
}

// The customer-facing ticket API shows no internal tags and no staff ids,
// and a client cannot write a diagnosis's findings into its own intake.
func TestCustomerTicketAPIHidesStaffDetails(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	alice := ts.login(t, "alice@demo.okwallet.example")
	forged := map[string]any{"lang": "zh-CN", "intake": map[string]any{"description": "打不开", "diagnosis": map[string]any{"causes": []any{map[string]any{"cause": "account_frozen", "confidence": 1}}}}}
	status, created, _ := ts.call(t, "POST", "/api/v1/tickets", alice, forged)
	if status != 201 {
		t.Fatalf("create: %d %v", status, created)
	}
	id := created["id"].(string)
	if stored, _ := ts.db.FindTicket(ctx, id); len(stored.Intake.Diagnosis) != 0 {
		t.Fatalf("a client-written diagnosis was stored: %s", stored.Intake.Diagnosis)
	}
	if err := ts.db.TagTicket(ctx, id, []string{"vip", "suspected_fraud"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ReplyAsAgent(ctx, id, "agt_secret_id", "请更新应用", true); err != nil {
		t.Fatal(err)
	}
	ts.db.SQL().Exec(`UPDATE tickets SET assignee_id = 'agt_secret_id' WHERE id = ?`, id)
	for _, path := range []string{"/api/v1/me/tickets/" + id, "/api/v1/me/tickets"} {
		_, body, _ := ts.call(t, "GET", path, alice, nil)
		raw := mustJSON(body)
		if strings.Contains(raw, "suspected_fraud") || strings.Contains(raw, "agt_secret_id") || strings.Contains(raw, `"assignee_id"`) {
			t.Fatalf("%s shows staff details: %s", path, raw)
		}
	}
	_, body, _ := ts.call(t, "GET", "/api/v1/me/tickets/"+id, alice, nil)
	if msgs := body["messages"].([]any); msgs[len(msgs)-1].(map[string]any)["author"] != "support" {
		t.Fatalf("staff author shown as %v", msgs[len(msgs)-1])
	}
}
