package http_test

import (
	"context"
	"encoding/json"
	"github.com/okcare/okcare/storetest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

// TestConsoleTicketInWords: a ticket page says everything in the
// console's language: the account's state, reasons and history, events,
// transactions, the intake, the diagnosis, the notes the system wrote and
// who did what, by name.
func TestConsoleTicketInWords(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	alice, _ := ts.db.FindUserByLogin(ctx, "alice@demo.okwallet.example")
	if _, err := ts.db.ChangeState(ctx, okcare.StateChangeRequest{UserID: alice.ID, To: okcare.AccountLoginRestricted, Reason: okcare.ReasonTooManyFailedLogins, Actor: "system"}); err != nil {
		t.Fatal(err)
	}
	d := &okcare.Diagnosis{UserID: alice.ID, Lang: "zh-CN", TopCause: "account_login_restricted", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)}
	if err := ts.db.SaveDiagnosis(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetDiagnosisOutcome(ctx, d.ID, alice.ID, "", okcare.OutcomeStillBroken); err != nil {
		t.Fatal(err)
	}
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: alice.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN", Category: "account_login_restricted",
		Intake: okcare.Intake{Description: "登不上", Symptom: "error_message", StepsTried: []string{"reinstall", "cache"}, Platform: "android", OSVersion: "14", AppVersion: "5.3.0"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	page := "/console/tickets/" + tk.ID
	agent.get(page)
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/status", url.Values{"status": {"pending"}}},
		{"/reply", url.Values{"body": {"已查看登录记录"}, "visibility": {"internal"}}},
		{"/verify", url.Values{}},
	} {
		if status, body, _ := agent.post(page+step.path, step.form); status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.path, status, body)
		}
	}
	var mail string
	func() error {
		nt := storetest.Notified(t, ts.db, `WHERE event = 'identity_verification_code' ORDER BY created_at DESC LIMIT 1`)
		mail = nt.Body
		return nil
	}()
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/confirm", url.Values{"code": {regexp.MustCompile(`\d{6}`).FindString(mail)}}},
		{"/action", url.Values{"action": {"lift_restriction"}}},
		{"/followup", url.Values{"body": {"回访"}, "days": {"3"}}},
	} {
		if status, body, _ := agent.post(page+step.path, step.form); status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.path, status, body)
		}
	}

	// Raw codes and actor ids that must not reach the reader, in either
	// language.
	codes := []string{"login_restricted", "too_many_failed_logins", "identity_verified", "identity_verification_code", "error_message", "still_broken",
		"reinstall", "lift_restriction", "agent:", "system", "zh-CN", "android"}
	for _, tc := range []struct {
		lang  string
		words []string
		not   []string
	}{
		{"zh-CN", []string{
			"正常", "登录受限", "多次登录失败", "已验证身份", "agent@okcare.example", "系统", // state, history and actors
			"充值", "身份验证码", "邮件", "待发送", // transactions and outbox events
			"出现错误提示", "重新安装", "清除缓存", "用户反馈仍未解决", "中文", "Android", // intake, diagnosis, ticket language
			"agent@okcare.example 将状态改为「等待用户」。", "已开始身份验证：验证码已通过邮件发送至", "身份已验证：用户读回了",
			"身份验证后，agent@okcare.example 执行了操作：解除登录限制。", "agent@okcare.example 安排了回访", // system notes
		}, []string{"Status set to", "Identity check started", "taken by", "Follow-up scheduled"}},
		{"en", []string{
			"Active", "Login restricted", "Too many failed logins", "Identity verified", "agent@okcare.example", "System",
			"Deposit", "Identity verification code", "pending",
			"Shows an error message", "Reinstalled", "Cleared the cache", "Customer says still broken", "Chinese",
			"Status set to Pending by agent@okcare.example.", "Identity check started: code sent by email to",
			"After identity verification, agent@okcare.example chose to lift the login restriction.", "by agent@okcare.example.",
		}, []string{"登录受限", "多次登录失败", "已开始身份验证"}},
	} {
		status, body, _ := agent.get(page + "?lang=" + tc.lang)
		if status != 200 {
			t.Fatalf("%s page: %d", tc.lang, status)
		}
		if strings.Contains(body, "agent:agt_") {
			t.Errorf("%s page shows a staff id", tc.lang)
		}
		text := visibleText(body) // attribute values keep their codes, for styling and tests
		for _, w := range tc.words {
			if !strings.Contains(text, w) {
				t.Errorf("%s page does not say %q", tc.lang, w)
			}
		}
		for _, c := range append(codes, tc.not...) {
			if strings.Contains(text, c) {
				t.Errorf("%s page shows %q", tc.lang, c)
			}
		}
		if t.Failed() {
			t.Fatalf("%s page text:\n%s", tc.lang, regexp.MustCompile(`\s+`).ReplaceAllString(text, " "))
		}
	}
	// The ids tests select by, and the codes they read, are still there.
	if _, body, _ := agent.get(page); !strings.Contains(body, `id="account-state" data-state="active"`) || !strings.Contains(body, `id="action-lift_restriction"`) {
		t.Fatal("the account state lost its id or code")
	}
}

// TestConsoleNamesStaffOnAuditPage: the audit log names the staff member
// who acted, and the action in words.
func TestConsoleNamesStaffOnAuditPage(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	bob, _ := ts.db.FindUserByLogin(ctx, "bob@demo.okwallet.example")
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{UserID: bob.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	agent.get("/console/tickets/" + tk.ID)
	if status, _, _ := agent.post("/console/tickets/"+tk.ID+"/verify", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("verify: %d", status)
	}
	admin := newConsoleClient(t, ts)
	admin.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	_, body, _ := admin.get("/console/audit")
	if !strings.Contains(body, "<td>agent@okcare.example</td>") || strings.Contains(body, "<td>agent:") || !strings.Contains(body, ">发送身份验证码</td>") || strings.Contains(body, "<td>system") {
		t.Fatalf("the audit log does not name the agent:\n%s", body)
	}
}
