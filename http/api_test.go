package http_test

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/demo"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/totp"
)

func countRows(t *testing.T, ts *testServer, table string) int {
	t.Helper()
	var n int
	if err := ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadInputChangesNothing sends hostile bodies to every writing endpoint
// and checks the stable code and that no table changed.
func TestBadInputChangesNothing(t *testing.T) {
	ts := newTestServer(t)
	user := ts.login(t, "alice@demo.okwallet.example")
	agent := ts.agentLogin(t)
	tables := []string{"users", "sessions", "postings", "movements", "idempotency_keys", "releases", "incidents", "account_state_history", "notifications"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = countRows(t, ts, tb)
	}
	huge := `{"email":"` + strings.Repeat("a", 70<<10) + `"}`
	for _, tc := range []struct {
		name, method, path, token, body, code string
		status                                int
		headers                               []string
	}{
		{"unknown field", "POST", "/api/v1/users", "", `{"email":"x@example.com","password":"blue-kettle-42","admin":true}`, okcare.EUNKNOWNFIELD, 400, nil},
		{"too large", "POST", "/api/v1/users", "", huge, okcare.EBODYTOOLARGE, 413, nil},
		{"invalid utf8", "POST", "/api/v1/users", "", "{\"email\":\"\xff@example.com\",\"password\":\"blue-kettle-42\"}", okcare.EINVALIDUTF8, 400, nil},
		{"not json", "POST", "/api/v1/users", "", `email=x`, okcare.EINVALIDJSON, 400, nil},
		{"wrong media type", "POST", "/api/v1/users", "", `{}`, okcare.EUNSUPPORTEDMEDIA, 415, []string{"Content-Type", "text/plain"}},
		{"weak password", "POST", "/api/v1/users", "", `{"email":"x@example.com","password":"password"}`, okcare.EWEAKPASSWORD, 400, nil},
		{"duplicate user", "POST", "/api/v1/users", "", `{"email":"alice@demo.okwallet.example","password":"blue-kettle-42"}`, okcare.EALREADYREGISTERED, 409, nil},
		{"script in email", "POST", "/api/v1/users", "", `{"email":"<script>alert(1)</script>","password":"blue-kettle-42"}`, okcare.EINVALID, 400, nil},
		{"login bad version", "POST", "/api/v1/sessions", "", `{"login":"alice@demo.okwallet.example","password":"demo-wallet-2026","device":{"id":"d","platform":"android","os_version":"14","app_version":"latest"}}`, okcare.EINVALIDVERSION, 400, nil},
		{"login bad platform", "POST", "/api/v1/sessions", "", `{"login":"alice@demo.okwallet.example","password":"demo-wallet-2026","device":{"id":"d","platform":"symbian","os_version":"14","app_version":"5.0.0"}}`, okcare.EINVALID, 400, nil},
		{"transfer without key", "POST", "/api/v1/transfers", user, `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"1"}`, okcare.EIDEMPOTENCYMISSING, 400, nil},
		{"transfer float amount", "POST", "/api/v1/transfers", user, `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":1.5}`, okcare.EINVALIDJSON, 400, []string{"Idempotency-Key", "k1"}},
		{"transfer too precise", "POST", "/api/v1/transfers", user, `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"1.005"}`, okcare.EINVALIDAMOUNT, 400, []string{"Idempotency-Key", "k2"}},
		{"transfer overdraft", "POST", "/api/v1/transfers", user, `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"1000000"}`, okcare.EINSUFFICIENTFUNDS, 422, []string{"Idempotency-Key", "k3"}},
		{"transfer unknown asset", "POST", "/api/v1/transfers", user, `{"to":"bob@demo.okwallet.example","asset":"DOGE","amount":"1"}`, okcare.EUNKNOWNASSET, 400, []string{"Idempotency-Key", "k4"}},
		{"payment with to", "POST", "/api/v1/payments", user, `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"1"}`, okcare.EINVALID, 400, []string{"Idempotency-Key", "k5"}},
		{"transfer no token", "POST", "/api/v1/transfers", "", `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"1"}`, okcare.EUNAUTHORIZED, 401, []string{"Idempotency-Key", "k6"}},
		{"release bad version", "PUT", "/api/v1/admin/releases/android", agent, `{"min_version":"five","latest_version":"5.3.0","min_os_version":"8","update_url":"https://x.example"}`, okcare.EINVALIDVERSION, 400, nil},
		{"release bad platform", "PUT", "/api/v1/admin/releases/windows", agent, `{"min_version":"5.0.0","latest_version":"5.3.0","min_os_version":"8","update_url":"https://x.example"}`, okcare.EINVALID, 400, nil},
		{"incident bad severity", "POST", "/api/v1/admin/incidents", agent, `{"title":"x","severity":"apocalyptic"}`, okcare.EINVALID, 400, nil},
		{"freeze without reason", "POST", "/api/v1/admin/accounts/usr_x/freeze", agent, `{}`, okcare.ENOTFOUND, 404, nil},
		{"unknown action", "POST", "/api/v1/admin/accounts/usr_x/delete", agent, `{"reason":"x_y"}`, okcare.ENOTFOUND, 404, nil},
		{"user token on admin", "POST", "/api/v1/admin/incidents", user, `{"title":"x","severity":"minor"}`, okcare.EUNAUTHORIZED, 401, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := ts.call(t, tc.method, tc.path, tc.token, tc.body, tc.headers...)
			if status != tc.status || errCode(body) != tc.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
	for _, tb := range tables {
		if n := countRows(t, ts, tb); n != before[tb] {
			t.Errorf("table %s changed from %d to %d rows", tb, before[tb], n)
		}
	}
}

func TestLoginErrorsAndRateLimit(t *testing.T) {
	ts := newTestServer(t)
	dev := map[string]any{"login": "chen@demo.okwallet.example", "password": demo.UserPassword, "device": testDevice}
	for _, tc := range []struct {
		login, password string
		status          int
		code            string
	}{
		{"chen@demo.okwallet.example", demo.UserPassword, 403, okcare.EACCOUNTFROZEN},
		{"chen@demo.okwallet.example", "not-the-password", 401, okcare.EINVALIDCREDENTIALS},
		{"dana@demo.okwallet.example", demo.UserPassword, 403, okcare.ELOGINRESTRICTED},
		{"nobody@demo.okwallet.example", demo.UserPassword, 401, okcare.EINVALIDCREDENTIALS},
	} {
		dev["login"], dev["password"] = tc.login, tc.password
		if status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", dev); status != tc.status || errCode(body) != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.login, status, body, tc.status, tc.code)
		}
	}
	ts.srv.LoginLimiter = okhttp.NewRateLimiter(3, time.Minute)
	var last int
	var body map[string]any
	for i := 0; i < 4; i++ {
		last, body, _ = ts.call(t, "POST", "/api/v1/sessions", "", dev)
	}
	if last != 429 || errCode(body) != okcare.ERATELIMITED {
		t.Fatalf("4th attempt in a burst of 3: %d %v", last, body)
	}
}

func TestTransfersAndFreezeThroughAPI(t *testing.T) {
	ts := newTestServer(t)
	alice := ts.login(t, "alice@demo.okwallet.example")
	agent := ts.agentLogin(t)
	transfer := `{"to":"bob@demo.okwallet.example","asset":"CNY","amount":"8.88","memo":"午饭 lunch"}`
	status, first, _ := ts.call(t, "POST", "/api/v1/transfers", alice, transfer, "Idempotency-Key", "lunch-1")
	if status != 201 || first["amount"] != "8.88" || first["minor"] != "888" {
		t.Fatalf("transfer: %d %v", status, first)
	}
	// Same key, same body (spaced differently): the original result.
	status, again, hdr := ts.call(t, "POST", "/api/v1/transfers", alice, strings.ReplaceAll(transfer, ",", " , "), "Idempotency-Key", "lunch-1")
	if status != 201 || again["id"] != first["id"] || hdr.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %v", status, again)
	}
	status, body, _ := ts.call(t, "POST", "/api/v1/transfers", alice, strings.Replace(transfer, "8.88", "9.99", 1), "Idempotency-Key", "lunch-1")
	if status != 409 || errCode(body) != okcare.EIDEMPOTENCYMISMATCH {
		t.Fatalf("mismatch: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "GET", "/api/v1/me/balances", alice, nil)
	if status != 200 || !strings.Contains(mustJSON(body), `"amount":"8880.00"`) || !strings.Contains(mustJSON(body), `"amount":"2.750000000000000000","asset":"ETH"`) {
		t.Fatalf("balances: %v", body)
	}
	status, body, _ = ts.call(t, "GET", "/api/v1/me/transactions?limit=2", alice, nil)
	txs, _ := body["transactions"].([]any)
	if status != 200 || len(txs) != 2 || body["next_cursor"] == nil || txs[0].(map[string]any)["amount"] != "-8.88" {
		t.Fatalf("transactions: %v", body)
	}
	status, body, _ = ts.call(t, "GET", "/api/v1/me/transactions?cursor="+body["next_cursor"].(string)+"&limit=200", alice, nil)
	if txs, _ := body["transactions"].([]any); status != 200 || len(txs) != 3 || body["next_cursor"] != nil {
		t.Fatalf("second page: %v", body)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/payments", alice, `{"merchant_id":"mch_coffee","asset":"CNY","amount":"28"}`, "Idempotency-Key", "coffee-1")
	if status != 201 || body["to_merchant_id"] != "mch_coffee" {
		t.Fatalf("payment: %d %v", status, body)
	}

	// The admin freezes alice: her session still reads, but cannot move money,
	// and the bootstrap tells the app why.
	_, me, _ := ts.call(t, "GET", "/api/v1/me", alice, nil)
	userID := me["id"].(string)
	status, body, _ = ts.call(t, "POST", "/api/v1/admin/accounts/"+userID+"/freeze", agent, `{"reason":"suspicious_activity"}`)
	if status != 200 || body["state"] != "frozen" {
		t.Fatalf("freeze: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/admin/accounts/"+userID+"/freeze", agent, `{"reason":"suspicious_activity"}`)
	if status != 409 {
		t.Fatalf("second freeze: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/me/balances", alice, nil); status != 200 {
		t.Fatalf("frozen account cannot read balances: %d", status)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/transfers", alice, transfer, "Idempotency-Key", "lunch-2")
	if status != 403 || errCode(body) != okcare.EACCOUNTFROZEN {
		t.Fatalf("frozen transfer: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "GET", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version=14", alice, nil)
	acct, _ := body["account"].(map[string]any)
	if status != 200 || acct["state"] != "frozen" || acct["reason"] != "suspicious_activity" || acct["can_move_money"] != false {
		t.Fatalf("bootstrap for frozen user: %v", body)
	}
	status, body, _ = ts.call(t, "GET", "/api/v1/admin/accounts/"+userID, agent, nil)
	if hist, _ := body["state_history"].([]any); status != 200 || len(hist) != 1 {
		t.Fatalf("account view: %v", body)
	}
	// One admin alone cannot unfreeze: that takes the four-eyes approval on a ticket.
	status, body, _ = ts.call(t, "POST", "/api/v1/admin/accounts/"+userID+"/unfreeze", agent, `{"reason":"identity_verified"}`)
	if status != 403 || errCode(body) != okcare.EFORBIDDEN {
		t.Fatalf("an admin alone unfroze: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "GET", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version=14", alice, nil)
	if acct, _ := body["account"].(map[string]any); acct["state"] != "frozen" {
		t.Fatalf("after the refused unfreeze: %v", body)
	}
	status, body, _ = ts.call(t, "GET", "/api/v1/admin/outbox", agent, nil)
	if !strings.Contains(mustJSON(body), okcare.EventAccountFrozen) {
		t.Fatalf("outbox lacks the freeze alert: %v", body)
	}
	assertNoSecretsLogged(t, ts, alice, agent, demo.UserPassword, ts.creds.AdminPassword)
}

func TestBootstrapAndReleasePolicy(t *testing.T) {
	ts := newTestServer(t)
	agent := ts.agentLogin(t)
	status, body, _ := ts.call(t, "PUT", "/api/v1/admin/releases/ios", agent,
		`{"min_version":"5.2.0","latest_version":"5.4.0","min_os_version":"16","update_url":"https://apps.example/ok","known_bad":[{"version":"5.2.1","note":"crash"}]}`)
	if status != 200 {
		t.Fatalf("set release: %d %v", status, body)
	}
	status, inc, _ := ts.call(t, "POST", "/api/v1/admin/incidents", agent, `{"title":"转账延迟 Transfers delayed","message":"Looking into it","severity":"major"}`)
	if status != 201 {
		t.Fatalf("incident: %d %v", status, inc)
	}
	for _, tc := range []struct {
		query, update string
		canOpen       bool
		knownBad      bool
	}{
		{"platform=ios&app_version=5.4.0&os_version=17.1", "none", true, false},
		{"platform=ios&app_version=5.2.1&os_version=17.1", "recommended", true, true},
		{"platform=ios&app_version=5.1.9&os_version=17.1", "required", false, false},
		{"platform=ios&app_version=5.4.0&os_version=15.8", "none", false, false},
	} {
		status, body, _ := ts.call(t, "GET", "/app/v1/bootstrap?"+tc.query, "", nil)
		upd, _ := body["update"].(map[string]any)
		incs, _ := body["incidents"].([]any)
		if status != 200 || upd["status"] != tc.update || body["can_open"] != tc.canOpen || (body["known_bad"] != nil) != tc.knownBad || len(incs) != 1 || body["account"] != nil {
			t.Errorf("%s: %d %v", tc.query, status, body)
		}
	}
	status, body, _ = ts.call(t, "GET", "/app/v1/bootstrap?platform=ios&app_version=5..0&os_version=17", "", nil)
	if status != 400 || errCode(body) != okcare.EINVALIDVERSION {
		t.Fatalf("bad version: %d %v", status, body)
	}
	// A stale token does not stop the app from learning it must update.
	status, body, _ = ts.call(t, "GET", "/app/v1/bootstrap?platform=ios&app_version=5.0.0&os_version=17", "okw_stale", nil)
	if status != 200 || body["account"] != nil {
		t.Fatalf("stale token: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "PATCH", "/api/v1/admin/incidents/"+inc["id"].(string), agent, `{"status":"resolved","message":"Fixed"}`)
	if status != 200 || body["resolved_at"] == nil {
		t.Fatalf("resolve: %d %v", status, body)
	}
	_, body, _ = ts.call(t, "GET", "/app/v1/bootstrap?platform=ios&app_version=5.4.0&os_version=17", "", nil)
	if incs, _ := body["incidents"].([]any); len(incs) != 0 {
		t.Fatalf("resolved incident still shown: %v", body)
	}
}

func TestRolesAndSessions(t *testing.T) {
	ts := newTestServer(t)
	if err := ts.db.CreateAgent(t.Context(), &okcare.Agent{Email: "helper@okcare.example", Role: okcare.RoleAgent}, "kettle-harbor-91"); err != nil {
		t.Fatal(err)
	}
	helper := ts.staffToken(t, "helper@okcare.example", "kettle-harbor-91")
	status, body, _ := ts.call(t, "POST", "/api/v1/admin/incidents", helper, `{"title":"x","severity":"minor"}`)
	if status != 403 || errCode(body) != okcare.EFORBIDDEN {
		t.Fatalf("agent role opened an incident: %d %v", status, body)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/admin/incidents", helper, nil); status != 200 {
		t.Fatalf("agent cannot list incidents: %d", status)
	}

	bob := ts.login(t, "bob@demo.okwallet.example")
	status, body, _ = ts.call(t, "GET", "/api/v1/me/sessions", bob, nil)
	sessions, _ := body["sessions"].([]any)
	if status != 200 || len(sessions) != 1 || sessions[0].(map[string]any)["current"] != true {
		t.Fatalf("sessions: %v", body)
	}
	id := sessions[0].(map[string]any)["id"].(string)
	alice := ts.login(t, "alice@demo.okwallet.example")
	if status, _, _ := ts.call(t, "DELETE", "/api/v1/me/sessions/"+id, alice, nil); status != 404 {
		t.Fatalf("alice revoked bob's session: %d", status)
	}
	if status, _, _ := ts.call(t, "DELETE", "/api/v1/me/sessions/"+id, bob, nil); status != 204 {
		t.Fatalf("revoke: %d", status)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/me", bob, nil); status != 401 {
		t.Fatalf("revoked token still works: %d", status)
	}
}

func TestTwoFactorThroughAPI(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.login(t, "bob@demo.okwallet.example")
	// A stolen token alone cannot turn two-factor on: the password is asked.
	if status, body, _ := ts.call(t, "POST", "/api/v1/me/totp", tok, map[string]string{"password": "not-the-password"}); status != 401 || errCode(body) != okcare.EINVALIDCREDENTIALS {
		t.Fatalf("enrol with a wrong password: %d %v", status, body)
	}
	status, enr, _ := ts.call(t, "POST", "/api/v1/me/totp", tok, map[string]string{"password": demo.UserPassword})
	if status != 200 || !strings.HasPrefix(enr["otpauth_url"].(string), "otpauth://totp/OK%20Wallet:bob") {
		t.Fatalf("enrol: %d %v", status, enr)
	}
	code, _ := totp.Code(enr["secret"].(string), time.Now(), 6)
	status, body, _ := ts.call(t, "POST", "/api/v1/me/totp/confirm", tok, map[string]string{"code": code})
	if codes, _ := body["recovery_codes"].([]any); status != 200 || len(codes) != 10 {
		t.Fatalf("confirm: %d %v", status, body)
	}
	req := map[string]any{"login": "bob@demo.okwallet.example", "password": demo.UserPassword, "device": testDevice}
	if status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", req); status != 401 || errCode(body) != okcare.ETOTPREQUIRED {
		t.Fatalf("no code: %d %v", status, body)
	}
	req["totp_code"] = code // already spent on confirmation
	if status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", req); status != 401 || errCode(body) != okcare.ETOTPINVALID {
		t.Fatalf("replayed code: %d %v", status, body)
	}
	req["totp_code"] = body["recovery_codes"].([]any)[3].(string)
	if status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", req); status != 201 {
		t.Fatalf("recovery code: %d %v", status, body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if status, _, _ := ts.call(t, "GET", p, "", nil); status != 200 {
			t.Fatalf("%s: %d", p, status)
		}
	}
	ts.call(t, "GET", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version=14", "", nil)
	resp, err := ts.Client().Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := make([]byte, 1<<20)
	n, _ := readFull(resp.Body, raw)
	if !strings.Contains(string(raw[:n]), `okcare_http_requests_total{route="GET /app/v1/bootstrap",status="OK"} 1`) {
		t.Fatalf("metrics lack the bootstrap request:\n%s", raw[:n])
	}
	if status, body, _ := ts.call(t, "GET", "/no/such/thing", "", nil); status != 404 || errCode(body) != okcare.ENOTFOUND {
		t.Fatalf("unknown path: %d %v", status, body)
	}
	ts.db.Close()
	if status, _, _ := ts.call(t, "GET", "/readyz", "", nil); status != 503 {
		t.Fatalf("readyz with a closed store: %d", status)
	}
}
