package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/storetest"
)

// The hostile-input suite: every endpoint (the JSON API, the help-center,
// support and console forms, query strings and path parameters) crossed
// with the kinds of hostile input that apply to it. Each case must be
// refused with its status and stable error code (the JSON envelope's, or
// a page's X-Error-Code) and must leave the row count of every table as
// it was, on both stores.
func TestHostileInput(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			fx := newHostileFixture(t, ts)
			var cases []hostile
			for _, part := range [][]hostile{fx.apiCases(), fx.authCases(), fx.methodCases(), fx.queryCases(), fx.uploadCases(), fx.formCases(), fx.pageCases()} {
				cases = append(cases, part...)
			}
			runHostile(t, ts, cases)
			t.Logf("%s: %d hostile cases, each refused and changing no row (%s)", store, len(cases), countKinds(cases))
		})
	}
}

// hostile is one hostile request and the answer it must get.
type hostile struct {
	name         string
	method, path string
	ctype        string
	body         []byte
	bearer       string
	cookies      map[string]string
	header       map[string]string
	status       int
	code         string // "" for a page that shows no error
	absent       string // the answer must not contain it (markup, a foreign URL)
}

// runHostile sends each case and checks its answer and that no table
// gained or lost a row.
func runHostile(t *testing.T, ts *testServer, cases []hostile) {
	t.Helper()
	count := storetest.RowCounter(t, ts.db)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	seen := map[string]bool{}
	before := count()
	for i, c := range cases {
		if seen[c.name] {
			t.Fatalf("two cases are named %q", c.name)
		}
		seen[c.name] = true
		req, err := http.NewRequest(c.method, ts.URL+c.path, bytes.NewReader(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if c.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+c.bearer)
		}
		for k, v := range c.header {
			req.Header.Set(k, strings.ReplaceAll(v, "{case}", fmt.Sprint(i)))
		}
		for name, value := range c.cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: value})
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code := resp.Header.Get("X-Error-Code")
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			var env struct {
				Error struct{ Code string } `json:"error"`
			}
			json.Unmarshal(raw, &env)
			code = env.Error.Code
		}
		if resp.StatusCode != c.status || code != c.code {
			t.Errorf("%s: %d %q, want %d %q (%.200s)", c.name, resp.StatusCode, code, c.status, c.code, raw)
		}
		if c.absent != "" && bytes.Contains(raw, []byte(c.absent)) || resp.Header.Get("Location") != "" && c.absent != "" && strings.Contains(resp.Header.Get("Location"), c.absent) {
			t.Errorf("%s: the answer contains %q", c.name, c.absent)
		}
		after := count()
		if changed := storetest.RowChanges(before, after); changed != "" {
			t.Errorf("%s: changed rows: %s", c.name, changed)
		}
		before = after // each case is counted against the one before it
	}
}

// hostileFixture holds what the cases need to reach deep into the
// server: signed-in users and staff, and objects of every kind.
type hostileFixture struct {
	ts                             *testServer
	user, admin, agent             string // bearer tokens
	userID                         string
	ticket, attachment             string // alice's ticket and one of its files
	diagnosis, incident, macro     string
	verification                   string
	link, otherLink                string // the tickets' private link paths
	customerCookie, staffCookie    string
	agentStaffCookie               string // an agent (not admin) in the console
	chatID, chatCookie             string
	csrf                           string // a form token, sent as cookie and field
	merchant, recipient, agentID   string
	otherTicket, otherTicketNumber string
}

func newHostileFixture(t *testing.T, ts *testServer) *hostileFixture {
	t.Helper()
	ctx := context.Background()
	ts.srv.LoginLimiter = okhttp.NewRateLimiter(1_000_000, time.Minute)
	ts.srv.ContactLimiter = okhttp.NewRateLimiter(1_000_000, time.Minute)
	ts.srv.ChatLimiter = okhttp.NewRateLimiter(1_000_000, time.Minute)
	// A harmless search that finds nothing is counted for the admins'
	// report, by design (TestNoGoodMatchReported); here no search is
	// counted, so that every table's rows stay as they were.
	ts.srv.FeedbackLimiter = okhttp.NewRateLimiter(0, time.Minute)
	fx := &hostileFixture{ts: ts, csrf: strings.Repeat("c", 32), merchant: "mch_coffee"}
	fx.user = ts.login(t, "alice@demo.okwallet.example")
	_, me, _ := ts.call(t, "GET", "/api/v1/me", fx.user, nil)
	fx.userID = me["id"].(string)
	fx.admin = ts.agentLogin(t)
	addStaff(t, ts, "hostile-agent@okcare.example", okcare.RoleAgent)
	fx.agent = ts.staffToken(t, "hostile-agent@okcare.example", "staff-pass-123")
	fx.recipient = "bob@demo.okwallet.example"

	status, body, _ := ts.call(t, "POST", "/api/v1/tickets", fx.user, map[string]any{"lang": "en", "intake": map[string]any{"description": "The app will not open."}})
	if status != 201 {
		t.Fatalf("ticket: %d %v", status, body)
	}
	fx.ticket = body["id"].(string)
	status, raw := uploadFile(t, ts, "/api/v1/me/tickets/"+fx.ticket+"/attachments", fx.user, "file", "screen.png", pngFile)
	var file map[string]any
	if json.Unmarshal([]byte(raw), &file); status != 201 || file["id"] == nil {
		t.Fatalf("upload: %d %s", status, raw)
	}
	fx.attachment = file["id"].(string)
	fx.link = ackLink(t, ts, fx.ticket)
	status, body, _ = ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"lang": "en", "contact_email": "stranger@example.com", "intake": map[string]any{"description": "Someone else's ticket."}})
	if status != 201 {
		t.Fatalf("other ticket: %d %v", status, body)
	}
	fx.otherTicket = body["id"].(string)
	fx.otherTicketNumber = fmt.Sprint(body["number"])
	fx.otherLink = ackLink(t, ts, fx.otherTicket)

	status, body, _ = ts.call(t, "POST", "/api/v1/diagnose", "", map[string]any{"lang": "en", "symptom": "crash", "description": "It crashes at start."})
	if status != 201 {
		t.Fatalf("diagnose: %d %v", status, body)
	}
	fx.diagnosis = body["id"].(string)
	_, body, _ = ts.call(t, "GET", "/api/v1/admin/incidents", fx.admin, nil)
	fx.incident = body["incidents"].([]any)[0].(map[string]any)["id"].(string)
	status, body, _ = ts.call(t, "POST", "/api/v1/agent/macros", fx.admin, map[string]any{"name": "Thanks", "lang": "en", "body": "Thank you."})
	if status != 201 {
		t.Fatalf("macro: %d %v", status, body)
	}
	fx.macro = body["id"].(string)
	_, body, _ = ts.call(t, "GET", "/api/v1/agent/team", fx.admin, nil)
	fx.agentID = body["agents"].([]any)[0].(map[string]any)["id"].(string)
	status, body, _ = ts.call(t, "POST", "/api/v1/agent/tickets/"+fx.otherTicket+"/verifications", fx.admin, map[string]any{"login": "bob@demo.okwallet.example"})
	if status != 201 {
		t.Fatalf("verification: %d %v", status, body)
	}
	fx.verification = body["id"].(string)

	chat, tok, err := ts.db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "chatter@example.com", Lang: "en", Intake: okcare.Intake{Description: "Hello?"}})
	if err != nil {
		t.Fatal(err)
	}
	fx.chatID, fx.chatCookie = chat.ID, tok

	fx.customerCookie = browserCookie(t, ts, "/support/login", url.Values{"lang": {"en"}, "login": {"alice@demo.okwallet.example"}, "password": {"demo-wallet-2026"}}, "okc_session")
	fx.staffCookie = staffBrowserCookie(t, ts, ts.creds.AdminEmail, ts.creds.AdminPassword)
	fx.agentStaffCookie = staffBrowserCookie(t, ts, "hostile-agent@okcare.example", "staff-pass-123")
	return fx
}

// browserCookie signs in through a form and returns the named cookie.
func browserCookie(t *testing.T, ts *testServer, path string, form url.Values, name string) string {
	t.Helper()
	c := newConsoleClient(t, ts)
	c.get(path)
	if status, page, _ := c.post(path, form); status != http.StatusSeeOther {
		t.Fatalf("sign-in at %s: %d %.300s", path, status, page)
	}
	return jarCookie(t, c, name)
}

// staffBrowserCookie signs a staff member in to the console.
func staffBrowserCookie(t *testing.T, ts *testServer, email, password string) string {
	t.Helper()
	c := newConsoleClient(t, ts)
	c.signIn(email, password)
	return jarCookie(t, c, "okcare_staff")
}

func jarCookie(t *testing.T, c *consoleClient, name string) string {
	t.Helper()
	for _, path := range []string{"/", "/console", "/support/chat"} {
		u, _ := url.Parse(c.ts.URL + path)
		for _, ck := range c.http.Jar.(*cookiejar.Jar).Cookies(u) {
			if ck.Name == name {
				return ck.Value
			}
		}
	}
	t.Fatalf("no %s cookie", name)
	return ""
}

// countKinds sums cases by the kind their name begins with, for the log.
func countKinds(cases []hostile) string {
	n := map[string]int{}
	for _, c := range cases {
		kind, _, _ := strings.Cut(c.name, ":")
		n[kind]++
	}
	var out []string
	for k, v := range n {
		out = append(out, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
