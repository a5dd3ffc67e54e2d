package http_test

import (
	"context"
	"github.com/okcare/okcare/storetest"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/totp"
)

// consoleClient is a browser-like client: cookies kept, redirects not
// followed, so each answer can be checked.
type consoleClient struct {
	t    *testing.T
	ts   *testServer
	http *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newConsoleClient(t *testing.T, ts *testServer) *consoleClient {
	jar, _ := cookiejar.New(nil)
	c := &consoleClient{t: t, ts: ts, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	return c
}

// get fetches a page and remembers its CSRF token.
func (c *consoleClient) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.http.Get(c.ts.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, string(body), resp.Header
}

// post submits a form with the remembered CSRF token (unless the form
// sets its own).
func (c *consoleClient) post(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	resp, err := c.http.PostForm(c.ts.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (c *consoleClient) signIn(email, password string) {
	c.t.Helper()
	c.get("/console/login")
	status, body, h := c.post("/console/login", url.Values{"email": {email}, "password": {password}, "totp": {c.ts.staffCode(c.t, email)}, "next": {"/console"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/console" {
		c.t.Fatalf("sign-in: %d %s", status, body)
	}
}

func addStaff(t *testing.T, ts *testServer, email string, role okcare.AgentRole) {
	t.Helper()
	if err := ts.db.CreateAgent(context.Background(), &okcare.Agent{Email: email, Role: role}, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
}

func TestConsoleSignInAndRoles(t *testing.T) {
	ts := newTestServer(t)
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	c := newConsoleClient(t, ts)

	// Signed out: the console sends the browser to sign in, and back after.
	status, _, h := c.get("/console/reports?days=7")
	if status != http.StatusSeeOther || h.Get("Location") != "/console/login?next="+url.QueryEscape("/console/reports?days=7") {
		t.Fatalf("signed out: %d %s", status, h.Get("Location"))
	}
	// The sign-in form refuses a missing CSRF token, a wrong password and
	// an outside redirect target.
	c.get("/console/login")
	if status, _, _ := c.post("/console/login", url.Values{"csrf": {""}, "email": {"agent@okcare.example"}, "password": {"staff-pass-123"}}); status != http.StatusForbidden {
		t.Fatalf("sign-in without CSRF: %d", status)
	}
	if status, body, _ := c.post("/console/login", url.Values{"email": {"agent@okcare.example"}, "password": {"wrong-pass-1"}}); status != http.StatusUnauthorized || !strings.Contains(body, "login-error") {
		t.Fatalf("wrong password: %d", status)
	}
	status, _, h = c.post("/console/login", url.Values{"email": {"agent@okcare.example"}, "password": {"staff-pass-123"}, "totp": {ts.staffCode(t, "agent@okcare.example")}, "next": {"//evil.example/console"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/console" {
		t.Fatalf("open redirect: %d %s", status, h.Get("Location"))
	}
	cookie := ""
	for _, sc := range h.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "okcare_staff=") {
			cookie = sc
		}
	}
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || !strings.Contains(cookie, "Path=/console") {
		t.Fatalf("staff cookie %q", cookie)
	}

	status, body, h := c.get("/console")
	if status != 200 || !strings.Contains(body, `id="presence-form"`) || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("queue: %d, cache %q", status, h.Get("Cache-Control"))
	}
	if strings.Contains(body, `id="team"`) || strings.Contains(body, "nav-reports") {
		t.Fatal("an agent sees the supervisor's team table or reports link")
	}
	if status, _, _ := c.get("/console/reports"); status != http.StatusForbidden {
		t.Fatalf("an agent opened the reports: %d", status)
	}
	if status, _, _ := c.post("/console/macros", url.Values{"name": {"x"}, "macro_lang": {"en"}, "body": {"x"}}); status != http.StatusForbidden {
		t.Fatalf("an agent created a macro: %d", status)
	}

	// Presence: CSRF-checked, then applied.
	if status, _, _ := c.post("/console/presence", url.Values{"csrf": {"forged-token-forged-token-forged"}, "presence": {"online"}}); status != http.StatusForbidden {
		t.Fatalf("presence without the right CSRF token: %d", status)
	}
	if status, _, _ := c.post("/console/presence", url.Values{"presence": {"online"}}); status != http.StatusSeeOther {
		t.Fatalf("presence: %d", status)
	}
	if _, body, _ := c.get("/console"); !strings.Contains(body, `value="online" selected`) {
		t.Fatal("presence not shown as online")
	}
	if status, _, _ := c.post("/console/presence", url.Values{"presence": {"online"}, "capacity": {"4"}, "langs": {"en"}}); status != http.StatusSeeOther {
		t.Fatalf("capacity and languages: %d", status)
	}
	if status, _, _ := c.post("/console/presence", url.Values{"presence": {"online"}, "capacity": {"4"}}); status != http.StatusBadRequest {
		t.Fatalf("no language: %d", status)
	}
	if status, _, _ := c.post("/console/presence", url.Values{"presence": {"online"}, "capacity": {"999"}, "langs": {"en"}}); status != http.StatusBadRequest {
		t.Fatalf("capacity 999: %d", status)
	}
	team, _ := ts.db.Team(context.Background())
	for _, m := range team {
		if m.Email == "agent@okcare.example" && (m.Capacity != 4 || strings.Join(m.Langs, ",") != "en") {
			t.Fatalf("after setting: %+v", m)
		}
	}

	// Signing out ends the session on the server too.
	if status, _, _ := c.post("/console/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	if status, _, _ := c.get("/console"); status != http.StatusSeeOther {
		t.Fatalf("still signed in after logout: %d", status)
	}
}

func TestConsoleTicketWorkflow(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	chen, _ := ts.db.FindUserByLogin(ctx, "chen@demo.okwallet.example")
	// Markup in a subject is refused; in a body it is kept as text.
	if _, err := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: chen.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN",
		Subject: "<script>alert(1)</script>账户被冻结", Intake: okcare.Intake{Description: "x"}}); okcare.ErrorCode(err) != okcare.EINVALID {
		t.Fatalf("a subject with a script: %v", err)
	}
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: chen.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN", Category: "account_frozen",
		Intake: okcare.Intake{Description: "<script>alert(1)</script>打开就提示账户被冻结 <img src=x onerror=alert(1)>"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	page := "/console/tickets/" + tk.ID
	status, body, _ := agent.get(page)
	if status != 200 || !strings.Contains(body, `id="account-state" data-state="frozen">已冻结`) || !strings.Contains(body, "可疑活动") || !strings.Contains(body, "1314.00") {
		t.Fatalf("ticket page: %d; wallet context missing", status)
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
		t.Fatal("customer text is rendered as HTML")
	}

	// A note, then the identity check: code to the registered contact,
	// read back, then the unfreeze request.
	if status, _, _ := agent.post(page+"/reply", url.Values{"body": {"查看风控记录"}, "visibility": {"internal"}}); status != http.StatusSeeOther {
		t.Fatalf("note: %d", status)
	}
	if status, _, _ := agent.post(page+"/action", url.Values{"action": {"unfreeze"}}); status != http.StatusForbidden {
		t.Fatalf("an action before verification: %d", status)
	}
	agent.post(page+"/verify", url.Values{})
	_, body, _ = agent.get(page)
	if !strings.Contains(body, `id="confirm-form"`) || !strings.Contains(body, "c***@demo.okwallet.example") {
		t.Fatal("no code form after sending the code")
	}
	var mail string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		mail = nt.Body
		return nil
	}()
	code := regexp.MustCompile(`\d{6}`).FindString(mail)
	if strings.Contains(body, code) {
		t.Fatal("the console shows the verification code")
	}
	if status, _, _ := agent.post(page+"/confirm", url.Values{"code": {code}}); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", status)
	}
	if status, _, _ := agent.post(page+"/action", url.Values{"action": {"unfreeze"}}); status != http.StatusSeeOther {
		t.Fatalf("unfreeze request: %d", status)
	}
	_, body, _ = agent.get(page)
	if !strings.Contains(body, `id="verified"`) || !strings.Contains(body, `id="approvals"`) || strings.Contains(body, `id="approve-`) {
		t.Fatal("after the request: not verified, no approval listed, or an agent may approve")
	}
	_, approvals, _ := ts.db.IdentityChecks(ctx, tk.ID)
	if len(approvals) != 1 {
		t.Fatalf("approvals: %d", len(approvals))
	}
	approval := approvals[0].ID

	// The agent cannot approve; a supervisor can, and only from this ticket.
	if status, _, _ := agent.post(page+"/approve", url.Values{"approval": {approval}}); status != http.StatusForbidden {
		t.Fatalf("agent approval: %d", status)
	}
	boss := newConsoleClient(t, ts)
	boss.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	other, _ := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "x@example.com", Channel: okcare.ChannelWeb, Lang: "en", Intake: okcare.Intake{Description: "x"}})
	boss.get(page)
	if status, _, _ := boss.post("/console/tickets/"+other.ID+"/approve", url.Values{"approval": {approval}}); status != http.StatusNotFound {
		t.Fatalf("approval from another ticket: %d", status)
	}
	if status, _, _ := boss.post(page+"/approve", url.Values{"approval": {approval}}); status != http.StatusSeeOther {
		t.Fatalf("supervisor approval: %d", status)
	}
	if u, _ := ts.db.FindUserByID(ctx, chen.ID); u.State != okcare.AccountActive {
		t.Fatalf("state after approval %s", u.State)
	}
	if n, err := ts.db.VerifyAudit(ctx); err != nil || n < 3 {
		t.Fatalf("audit chain: %d entries, %v", n, err)
	}

	if status, _, _ := agent.post(page+"/priority", url.Values{"priority": {"urgent"}}); status != http.StatusSeeOther {
		t.Fatalf("priority: %d", status)
	}
	if got, _ := ts.db.FindTicket(ctx, tk.ID); got.Priority != "urgent" {
		t.Fatalf("priority %s", got.Priority)
	}
	// A follow-up in three working days, shown on the ticket; bad input is refused.
	if status, _, _ := agent.post(page+"/followup", url.Values{"body": {"回访：现在能打开了吗？"}, "days": {"3"}}); status != http.StatusSeeOther {
		t.Fatalf("follow-up: %d", status)
	}
	if status, _, _ := agent.post(page+"/followup", url.Values{"body": {"x"}, "days": {"0"}}); status != http.StatusBadRequest {
		t.Fatalf("follow-up in 0 days: %d", status)
	}
	if _, body, _ := agent.get(page); !strings.Contains(body, `id="followups"`) || !strings.Contains(body, "回访：现在能打开了吗？") {
		t.Fatal("the follow-up is not listed")
	}
	token := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+tk.ID+"/followups", token, map[string]any{"body": "checking in", "due_at": "2020-01-01T00:00:00Z"}); status != 400 {
		t.Fatalf("a follow-up in the past: %d", status)
	}

	// Macros: a supervisor writes one, the agent applies it; then reports.
	if status, body, _ := boss.post("/console/macros", url.Values{"name": {"已解冻"}, "macro_lang": {"zh-CN"}, "body": {"工单 #{number}：账户已解冻。"}, "set_status": {"solved"}, "tags": {"unfrozen"}}); status != http.StatusSeeOther {
		t.Fatalf("create macro: %d %s", status, body)
	}
	if status, body, _ := boss.post("/console/macros", url.Values{"name": {""}, "macro_lang": {"zh-CN"}, "body": {"x"}}); status != http.StatusBadRequest || !strings.Contains(body, "macro-error") {
		t.Fatalf("invalid macro: %d", status)
	}
	macros, _ := ts.db.Macros(ctx)
	agent.get(page)
	if status, _, _ := agent.post(page+"/macro", url.Values{"macro": {macros[0].ID}}); status != http.StatusSeeOther {
		t.Fatalf("apply macro: %d", status)
	}
	if got, _ := ts.db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketSolved || len(got.Tags) != 1 {
		t.Fatalf("after the macro: %s %v", got.Status, got.Tags)
	}
	// Solving sent the survey; the customer's rating shows on the ticket.
	var survey string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'csat_survey' ORDER BY created_at DESC LIMIT 1`)
		survey = nt.Body
		return nil
	}()
	if err := ts.db.AnswerSurvey(ctx, regexp.MustCompile(`okcsat_[A-Z2-7]+`).FindString(survey), 2, "太慢了"); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := agent.get(page); !strings.Contains(body, `id="csat"`) || !strings.Contains(body, "2/5") || !strings.Contains(body, "太慢了") {
		t.Fatal("the rating is not shown on the ticket")
	}
	status, body, _ = boss.get("/console/reports?days=7")
	if status != 200 || !strings.Contains(body, `id="kpi-tickets">2<`) || !strings.Contains(body, "<svg") {
		t.Fatalf("reports: %d", status)
	}
	if status, _, _ := boss.get("/console/reports?days=3"); status != http.StatusBadRequest {
		t.Fatalf("bad period: %d", status)
	}
}

// TestConsoleAuditPage: admins see the log and whether its chain holds;
// a tampered entry shows; nobody else may look.
func TestConsoleAuditPage(t *testing.T) {
	ts := newTestServer(t)
	addStaff(t, ts, "sup@okcare.example", okcare.RoleSupervisor)
	sup := newConsoleClient(t, ts)
	sup.signIn("sup@okcare.example", "staff-pass-123")
	if status, _, _ := sup.get("/console/audit"); status != http.StatusForbidden {
		t.Fatalf("a supervisor opened the audit log: %d", status)
	}
	admin := newConsoleClient(t, ts)
	admin.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	status, body, _ := admin.get("/console/audit?lang=en")
	if status != 200 || !strings.Contains(body, "Hash chain intact") || !strings.Contains(body, "article.publish") {
		t.Fatalf("audit page: %d", status)
	}
	// Someone with database rights edits an entry behind the triggers' back.
	ts.db.SQL().Exec(`DROP TRIGGER audit_immutable_update`)
	if _, err := ts.db.SQL().Exec(`UPDATE audit_log SET actor = 'agent:nobody' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := admin.get("/console/audit?lang=en"); !strings.Contains(body, "does not check out") || !strings.Contains(body, "entry 1 was altered") {
		t.Fatal("a tampered entry is not reported")
	}
}

// Staff set up a second factor at their first sign-in: until then the
// session can do nothing else (console or API); afterwards every sign-in
// needs a code or a single-use recovery code.
func TestStaffSecondFactor(t *testing.T) {
	ts := newTestServer(t)
	addStaff(t, ts, "nina@okcare.example", okcare.RoleAgent)
	c := newConsoleClient(t, ts)
	c.get("/console/login")
	status, _, h := c.post("/console/login", url.Values{"email": {"nina@okcare.example"}, "password": {"staff-pass-123"}, "next": {"/console"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/console/2fa" {
		t.Fatalf("first sign-in: %d %s", status, h.Get("Location"))
	}
	if status, _, h := c.get("/console/tickets/x"); status != http.StatusSeeOther || h.Get("Location") != "/console/2fa" {
		t.Fatalf("a pending session reached the console: %d %s", status, h.Get("Location"))
	}
	_, page, _ := c.get("/console/2fa?lang=zh-CN")
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if secret == nil || !strings.Contains(page, "otpauth://totp/") {
		t.Fatalf("no seed on the set-up page:\n%s", page)
	}
	if status, _, _ := c.post("/console/2fa", url.Values{"code": {"000000"}}); status != http.StatusBadRequest {
		t.Fatalf("a wrong code: %d", status)
	}
	_, again, _ := c.get("/console/2fa")
	if !strings.Contains(again, secret[1]) {
		t.Fatal("a mistyped code changed the seed")
	}
	code, _ := totp.Code(secret[1], time.Now(), 6)
	status, page, _ = c.post("/console/2fa", url.Values{"code": {code}})
	codes := regexp.MustCompile(`<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>`).FindAllStringSubmatch(page, -1)
	if status != http.StatusOK || len(codes) != 10 {
		t.Fatalf("confirm: %d, %d recovery codes", status, len(codes))
	}
	if status, _, _ := c.get("/console"); status != http.StatusOK {
		t.Fatalf("the console after set-up: %d", status)
	}
	// Later sign-ins: the code is required; a recovery code works once.
	d := newConsoleClient(t, ts)
	d.get("/console/login")
	if status, body, _ := d.post("/console/login", url.Values{"email": {"nina@okcare.example"}, "password": {"staff-pass-123"}}); status != http.StatusUnauthorized || !strings.Contains(body, "login-error") {
		t.Fatalf("sign-in without the code: %d", status)
	}
	if status, _, h := d.post("/console/login", url.Values{"email": {"nina@okcare.example"}, "password": {"staff-pass-123"}, "totp": {codes[0][1]}, "next": {"/console"}}); status != http.StatusSeeOther || h.Get("Location") != "/console" {
		t.Fatalf("sign-in with a recovery code: %d %s", status, h.Get("Location"))
	}
	d.get("/console/login") // signing in rotated the form token
	if status, _, _ := d.post("/console/login", url.Values{"email": {"nina@okcare.example"}, "password": {"staff-pass-123"}, "totp": {codes[0][1]}}); status != http.StatusUnauthorized {
		t.Fatalf("the same recovery code twice: %d", status)
	}
	// The API: no code, no session; an unenrolled member is sent to the console.
	if status, body, _ := ts.call(t, "POST", "/api/v1/agent/sessions", "", map[string]string{"email": "nina@okcare.example", "password": "staff-pass-123"}); status != 401 || errCode(body) != okcare.ETOTPREQUIRED {
		t.Fatalf("API sign-in without a code: %d %v", status, body)
	}
	addStaff(t, ts, "omar@okcare.example", okcare.RoleAgent)
	if status, body, _ := ts.call(t, "POST", "/api/v1/agent/sessions", "", map[string]string{"email": "omar@okcare.example", "password": "staff-pass-123"}); status != 403 || body["token"] != nil {
		t.Fatalf("API sign-in before set-up: %d %v", status, body)
	}
}
