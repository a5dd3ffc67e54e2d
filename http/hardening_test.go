package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	okhttp "github.com/okcare/okcare/http"
)

// rowCounts counts the rows hostile input must never add to.
func rowCounts(t *testing.T, ts *testServer) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"tickets", "ticket_messages", "users", "sessions", "diagnoses", "notifications", "audit_log"} {
		var n int
		if err := ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// Invalid UTF-8 and NUL, wherever they come in (path, query, JSON, form),
// are a clean 400 with the invalid_utf8 code, and change nothing, on both
// stores (PostgreSQL used to answer 500 to some of them).
func TestDirtyTextIsRefusedEverywhere(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) { dirtyTextRefused(t, newTestServerOn(t, store)) })
	}
}

func dirtyTextRefused(t *testing.T, ts *testServer) {
	user := ts.login(t, "alice@demo.okwallet.example")
	before := rowCounts(t, ts)
	for _, c := range []struct {
		name, method, path, contentType, body, token string
	}{
		{"path", "GET", "/help/%ff%fe", "", "", ""},
		{"path NUL", "GET", "/api/v1/kb/articles/a%00b", "", "", ""},
		{"query", "GET", "/api/v1/kb/search?lang=zh-CN&q=%ff", "", "", ""},
		{"query NUL", "GET", "/api/v1/kb/search?lang=zh-CN&q=a%00", "", "", ""},
		{"query key", "GET", "/status?%c3%28=1", "", "", ""},
		{"ticket lookup", "GET", "/api/v1/me/tickets/tkt_%ff", "", "", user},
		{"json raw", "POST", "/api/v1/tickets", "application/json", "{\"lang\":\"zh-CN\",\"contact_email\":\"a@example.com\",\"intake\":{\"description\":\"\xff\xfe\"}}", ""},
		{"json NUL escape", "POST", "/api/v1/tickets", "application/json", `{"lang":"zh-CN","contact_email":"a@example.com","intake":{"description":"a\u0000b"}}`, ""},
		{"json NUL in key", "POST", "/api/v1/diagnose", "application/json", `{"lang":"zh-CN","description":"x","a\u0000":1}`, ""},
		{"login NUL", "POST", "/api/v1/sessions", "application/json", `{"login":"alice@demo.okwallet.example\u0000","password":"x","device":{"id":"d","platform":"android","os_version":"14","app_version":"5.3.0"}}`, ""},
		{"form", "POST", "/support/new", "application/x-www-form-urlencoded", "lang=zh-CN&contact_email=a%40example.com&description=%ff%fe", ""},
		{"form NUL", "POST", "/support/callback", "application/x-www-form-urlencoded", "lang=zh-CN&contact_phone=%2B8613800000001&window=asap&description=a%00b", ""},
		{"diagnose form", "POST", "/diagnose", "application/x-www-form-urlencoded", "lang=zh-CN&symptom=crash&description=%c3%28", ""},
	} {
		form := strings.HasPrefix(c.contentType, "application/x-www-form")
		if form {
			// A browser's form with its CSRF pair, so only the text is wrong.
			c.body += "&csrf=" + strings.Repeat("a", 32)
		}
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		if form {
			req.Header.Set("Cookie", "csrf="+strings.Repeat("a", 32))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(raw)
		if resp.StatusCode != 400 || (strings.Contains(resp.Header.Get("Content-Type"), "json") && !strings.Contains(body, `"invalid_utf8"`)) {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
		}
	}
	if after := rowCounts(t, ts); mustJSON(after) != mustJSON(before) {
		t.Fatalf("refused requests changed rows:\nbefore %v\nafter  %v", before, after)
	}
}

// Behind proxies, the client is the right-most address no trusted proxy
// owns: what a client writes to the left of it is ignored.
func TestClientAddressBehindProxies(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.TrustProxy = true
	ts.srv.TrustedProxies = mustPrefixes(t, "10.0.0.0/8")
	ts.srv.LoginLimiter = okhttp.NewRateLimiter(2, 60e9)
	attempt := func(xff string) int {
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/sessions", strings.NewReader(`{"login":"nobody@example.com","password":"x-password-1","device":{"id":"d","platform":"android","os_version":"14","app_version":"5.3.0"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The attacker rotates the left-most entry; the proxy appended their
	// real address (203.0.113.7), then passed through 10.1.1.1.
	for i, spoof := range []string{"1.1.1.1", "2.2.2.2", "3.3.3.3"} {
		status := attempt(spoof + ", 203.0.113.7, 10.1.1.1")
		if i < 2 && status != 401 || i == 2 && status != 429 {
			t.Fatalf("attempt %d (%s): %d", i+1, spoof, status)
		}
	}
	// Someone else behind the same proxy is not limited by them.
	if status := attempt("198.51.100.4, 10.1.1.1"); status != 401 {
		t.Fatalf("another client: %d", status)
	}
}

// /metrics: loopback only without a token; with one, only with it.
func TestMetricsNeedTheToken(t *testing.T) {
	ts := newTestServer(t)
	if status, _, _ := ts.call(t, "GET", "/metrics", "", nil); status != 200 {
		t.Fatalf("loopback metrics: %d", status)
	}
	ts.srv.MetricsToken = "metrics-secret-123"
	if status, _, _ := ts.call(t, "GET", "/metrics", "", nil); status != 401 {
		t.Fatalf("metrics without the token: %d", status)
	}
	if status, _, _ := ts.call(t, "GET", "/metrics", "wrong", nil); status != 401 {
		t.Fatalf("metrics with a wrong token: %d", status)
	}
	if status, _, _ := ts.call(t, "GET", "/metrics", "metrics-secret-123", nil); status != 200 {
		t.Fatalf("metrics with the token: %d", status)
	}
}

// HSTS only over HTTPS (here: behind a trusted TLS proxy).
func TestHSTSOverHTTPSOnly(t *testing.T) {
	ts := newTestServer(t)
	_, _, h := ts.call(t, "GET", "/healthz", "", nil)
	if h.Get("Strict-Transport-Security") != "" {
		t.Fatal("HSTS over plain HTTP")
	}
	ts.srv.TrustProxy = true
	_, _, h = ts.call(t, "GET", "/healthz", "", nil, "X-Forwarded-Proto", "https")
	if !strings.Contains(h.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("no HSTS behind a TLS proxy: %v", h)
	}
}

func mustPrefixes(t *testing.T, cidrs ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, c := range cidrs {
		out = append(out, netip.MustParsePrefix(c))
	}
	return out
}

// Guesses at one staff account spread over many addresses and nodes are
// slowed per account, and the owner is never locked out: half a minute
// after the last failure, the right password and code get in. A second
// node on the same store counts the same failures.
func TestStaffSignInThrottledPerAccount(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			if store == "postgres" && os.Getenv("OKCARE_TEST_POSTGRES") == "" {
				t.Skip("OKCARE_TEST_POSTGRES not set")
			}
			ts := newTestServerOn(t, store)
			now := time.Now()
			clock := func() time.Time { return now }
			ts.srv.Now = clock
			ts.srv.TrustProxy = true
			// Node b: another server on the same store.
			b := okhttp.NewServer(ts.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			b.Now, b.TrustProxy = clock, true
			b.LoginLimiter = okhttp.NewRateLimiter(1000, time.Minute)
			nodeB := httptest.NewServer(b)
			defer nodeB.Close()
			code := ts.staffCode(t, ts.creds.AdminEmail)
			try := func(node, ip, pw, totp string) int {
				raw, _ := json.Marshal(map[string]string{"email": ts.creds.AdminEmail, "password": pw, "totp_code": totp})
				req, _ := http.NewRequest("POST", node+"/api/v1/agent/sessions", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", ip)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			// A code longer than any code is refused as wrong without the
			// password being checked: with the right password it says
			// nothing more (no "wrong code"), and it is not counted.
			raw, _ := json.Marshal(map[string]string{"email": ts.creds.AdminEmail, "password": ts.creds.AdminPassword, "totp_code": strings.Repeat("A", 65)})
			resp, err := http.Post(ts.URL+"/api/v1/agent/sessions", "application/json", bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			var env struct{ Error struct{ Code string } }
			json.NewDecoder(resp.Body).Decode(&env)
			resp.Body.Close()
			if resp.StatusCode != 401 || env.Error.Code != "invalid_credentials" {
				t.Fatalf("the right password with a 65-character code: %d %s, want 401 invalid_credentials", resp.StatusCode, env.Error.Code)
			}
			for i := 0; i < 5; i++ {
				node := ts.URL
				if i%2 == 1 {
					node = nodeB.URL // the guesser alternates between nodes
				}
				if status := try(node, "203.0.113."+strconv.Itoa(i), "guess-"+strconv.Itoa(i)+"-password", ""); status != 401 {
					t.Fatalf("guess %d: %d", i+1, status)
				}
			}
			for name, node := range map[string]string{"a": ts.URL, "b": nodeB.URL} {
				if status := try(node, "198.51.100.1", ts.creds.AdminPassword, code); status != 429 {
					t.Fatalf("node %s right after five guesses from five addresses over two nodes: %d, want 429", name, status)
				}
			}
			now = now.Add(31 * time.Second)
			if status := try(nodeB.URL, "198.51.100.1", ts.creds.AdminPassword, code); status != 201 {
				t.Fatalf("the owner half a minute later: %d", status)
			}
			// Signed in: the failures are forgotten on every node.
			if status := try(ts.URL, "198.51.100.1", "guess-after-password", ""); status != 401 {
				t.Fatalf("one wrong password after signing in: %d, want 401 (not throttled)", status)
			}
		})
	}
}

// Signing in rotates the form token: one seen or planted before the
// sign-in no longer passes after it.
func TestSignInRotatesTheFormToken(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	c.get("/support/login?lang=zh-CN")
	before := c.csrf
	if status, _, _ := c.post("/support/login", map[string][]string{"lang": {"zh-CN"}, "login": {"alice@demo.okwallet.example"}, "password": {"demo-wallet-2026"}}); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", status)
	}
	if status, _, _ := c.post("/support/logout", map[string][]string{"csrf": {before}}); status != http.StatusForbidden {
		t.Fatalf("the pre-sign-in token still works: %d", status)
	}
	c.get("/support/requests")
	if c.csrf == before {
		t.Fatal("the form token did not change at sign-in")
	}
}
