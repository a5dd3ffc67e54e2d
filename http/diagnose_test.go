package http_test

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

func TestDiagnoseAPI(t *testing.T) {
	ts := newTestServer(t)
	// Anonymous, in traditional Chinese, on the demo's known-bad Android version.
	status, body, _ := ts.call(t, "POST", "/api/v1/diagnose", "", `{"lang":"zh-CN","symptom":"crash","description":"一打開就閃退 <script>alert(1)</script>",
		"app":{"platform":"android","version":"5.1.2"},"device":{"os_version":"14","free_storage_mb":4000}}`)
	causes, _ := body["causes"].([]any)
	if status != 201 || len(causes) == 0 {
		t.Fatalf("diagnose: %d %v", status, body)
	}
	top := causes[0].(map[string]any)
	if top["code"] != "app_known_crash" || top["blocking"] != true || !strings.Contains(mustJSON(top["title"]), "闪退") {
		t.Fatalf("top cause: %v", top)
	}
	prefill := body["ticket_prefill"].(map[string]any)
	if prefill["diagnosis_id"] != body["id"] || prefill["category"] != "app_known_crash" {
		t.Fatalf("prefill: %v", prefill)
	}
	anonID, anonKey := body["id"].(string), body["key"].(string)
	if prefill["diagnosis_key"] != anonKey || !strings.HasPrefix(anonKey, "dgk_") {
		t.Fatalf("an anonymous diagnosis carries its key: %v", body)
	}

	// Signed in as a user whose account is then frozen: server truth wins.
	alice := ts.login(t, "alice@demo.okwallet.example")
	u, _ := ts.db.FindUserByLogin(t.Context(), "alice@demo.okwallet.example")
	if _, err := ts.db.ChangeState(t.Context(), okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "suspicious_activity", Actor: "system"}); err != nil {
		t.Fatal(err)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/diagnose", alice, `{"lang":"en","symptom":"stuck_loading","description":"keeps loading forever"}`)
	top = body["causes"].([]any)[0].(map[string]any)
	if status != 201 || top["code"] != "account_frozen" || body["escalate"] != true {
		t.Fatalf("frozen user's diagnosis: %d %v", status, body)
	}
	aliceID := body["id"].(string)

	// Feedback: the owner and anonymous ones can be answered; not someone else's.
	bob := ts.login(t, "bob@demo.okwallet.example")
	if status, body, _ := ts.call(t, "POST", "/api/v1/diagnoses/"+aliceID+"/feedback", bob, `{"outcome":"solved"}`); status != 404 {
		t.Fatalf("bob answered alice's diagnosis: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/diagnoses/"+aliceID+"/feedback", alice, `{"outcome":"still_broken"}`); status != 204 {
		t.Fatalf("owner feedback: %d", status)
	}
	// An anonymous one is answered with its key only, not by its id alone.
	if status, body, _ := ts.call(t, "POST", "/api/v1/diagnoses/"+anonID+"/feedback", "", `{"outcome":"solved"}`); status != 404 || errCode(body) != okcare.ENOTFOUND {
		t.Fatalf("anonymous feedback without the key: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/diagnoses/"+anonID+"/feedback", "", `{"outcome":"solved","key":"`+anonKey+`"}`); status != 204 {
		t.Fatalf("anonymous feedback: %d", status)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/diagnoses/"+anonID+"/feedback", "", `{"outcome":"meh","key":"`+anonKey+`"}`); status != 400 || errCode(body) != okcare.EINVALID {
		t.Fatalf("bad outcome: %d %v", status, body)
	}
	agent := ts.agentLogin(t)
	status, body, _ = ts.call(t, "GET", "/api/v1/admin/reports/deflection?days=7", agent, nil)
	if status != 200 || body["diagnoses"] != 2.0 || body["solved"] != 1.0 || body["deflection_rate"] != 0.5 {
		t.Fatalf("deflection: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/admin/reports/deflection", alice, nil); status != 401 {
		t.Fatalf("user read the report: %d", status)
	}
}

func TestDiagnoseRejectsBadInput(t *testing.T) {
	ts := newTestServer(t)
	before := countRows(t, ts, "diagnoses")
	for _, tc := range []struct{ body, code string }{
		{`{"lang":"fr"}`, okcare.EINVALID},
		{`{"lang":"en","symptom":"explosion"}`, okcare.EINVALID},
		{`{"lang":"en","app":{"platform":"android","version":"v5"}}`, okcare.EINVALIDVERSION},
		{`{"lang":"en","network":{"type":"wifi","latency_ms":-1}}`, okcare.EINVALID},
		{`{"lang":"en","colour":"red"}`, okcare.EUNKNOWNFIELD},
		{`{"lang":"en","description":"` + strings.Repeat("x", 2001) + `"}`, okcare.EINVALID},
		{`{"lang":"en","description":"` + strings.Repeat("x", 17<<10) + `"}`, okcare.EBODYTOOLARGE},
	} {
		if status, body, _ := ts.call(t, "POST", "/api/v1/diagnose", "", tc.body); status/100 != 4 || errCode(body) != tc.code {
			t.Errorf("%.60s: %d %v, want %s", tc.body, status, body, tc.code)
		}
	}
	if n := countRows(t, ts, "diagnoses"); n != before {
		t.Fatalf("rejected requests stored %d diagnoses", n-before)
	}
}

func TestDiagnoseNeverEchoesRawHTML(t *testing.T) {
	ts := newTestServer(t)
	resp, err := ts.Client().Post(ts.URL+"/api/v1/diagnose", "application/json",
		strings.NewReader(`{"lang":"en","description":"<script>alert(1)</script> my account is frozen","error_text":"<img src=x onerror=alert(1)>"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := make([]byte, 64<<10)
	n, _ := readFull(resp.Body, raw)
	if resp.StatusCode != 201 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("status %d headers %v", resp.StatusCode, resp.Header)
	}
	if strings.Contains(string(raw[:n]), "<script>") || strings.Contains(string(raw[:n]), "<img") {
		t.Fatalf("raw HTML in the response: %s", raw[:n])
	}
}

// TestAnonymousDiagnosisNeedsItsKey: an anonymous diagnosis's id is not a
// secret (staff see it, it sorts by time); its findings open only with the
// key its own links carry, on the ticket form and in the API.
func TestAnonymousDiagnosisNeedsItsKey(t *testing.T) {
	ts := newTestServer(t)
	_, d, _ := ts.call(t, "POST", "/api/v1/diagnose", "", `{"lang":"zh-CN","description":"提示无法连接服务器 秘密细节","network":{"type":"none"}}`)
	id, key := d["id"].(string), d["key"].(string)

	c := newConsoleClient(t, ts)
	if _, page, _ := c.get("/support/new?lang=zh-CN&diagnosis=" + id); strings.Contains(page, "秘密细节") || strings.Contains(page, `id="from-diagnosis"`) {
		t.Fatal("the ticket form shows an anonymous diagnosis to someone with its id only")
	}
	if _, page, _ := c.get("/support/new?lang=zh-CN&diagnosis=" + id + "&key=" + key); !strings.Contains(page, "秘密细节") {
		t.Fatal("the ticket form does not prefill from the diagnosis with its key")
	}

	intake := func(extra string) string {
		return `{"lang":"zh-CN","contact_email":"x@example.com","intake":{"description":"打不开","diagnosis_id":"` + id + `"` + extra + `}}`
	}
	if status, b, _ := ts.call(t, "POST", "/api/v1/tickets", "", intake("")); status != 400 || errCode(b) != okcare.EINVALID {
		t.Fatalf("ticket with an anonymous diagnosis id alone: %d %v", status, b)
	}
	status, tk, _ := ts.call(t, "POST", "/api/v1/tickets", "", intake(`,"diagnosis_key":"`+key+`"`))
	if status != 201 || tk["intake"].(map[string]any)["diagnosis"] == nil {
		t.Fatalf("ticket with the key: %d %v", status, tk)
	}
	if strings.Contains(mustJSON(tk), key) {
		t.Fatal("the ticket keeps the diagnosis key")
	}
}
