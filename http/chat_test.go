package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// staffChat stops the server's clock on a Wednesday morning in chat hours
// and puts an agent online who speaks both languages; it returns the
// agent's email (password "staff-pass-123").
func staffChat(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	at := beijing(t, "2026-11-25 10:00")
	ts.srv.Now = func() time.Time { return at }
	a := &okcare.Agent{Email: email, Role: okcare.RoleAgent}
	if err := ts.db.CreateAgent(context.Background(), a, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	if err := ts.db.SetAgentPresence(context.Background(), a.ID, sqldb.PresenceOnline, 10, []string{"zh-CN", "en"}); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// TestChatAccess: a chat page and its socket open only with the chat's own
// cookie, and the socket refuses other sites' pages.
func TestChatAccess(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	c := newConsoleClient(t, ts)
	c.get("/support/chat?lang=en")
	if status, body, _ := c.post("/support/chat", url.Values{"lang": {"en"}, "contact_email": {"not-an-email"}, "message": {"hi"}}); status != 400 || !strings.Contains(body, "form-error") {
		t.Fatalf("bad email: %d", status)
	}
	status, _, h := c.post("/support/chat", url.Values{"lang": {"en"}, "contact_email": {"lu@example.com"}, "message": {"app stuck loading"}})
	if status != http.StatusSeeOther {
		t.Fatalf("open chat: %d", status)
	}
	page := strings.SplitN(h.Get("Location"), "?", 2)[0]
	id := strings.TrimPrefix(page, "/support/chat/")
	if status, body, _ := c.get(page); status != 200 || !strings.Contains(body, "app stuck loading") {
		t.Fatalf("chat page: %d", status)
	}
	if status, body, h := c.get(page + "/transcript"); status != 200 || !strings.Contains(body, "app stuck loading") || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("transcript: %d %v", status, h)
	}
	// Someone else, without the cookie, sees nothing.
	stranger := newConsoleClient(t, ts)
	if status, _, _ := stranger.get(page); status != 404 {
		t.Fatalf("a stranger opened the chat: %d", status)
	}
	if status, _, _ := stranger.get(page + "/transcript"); status != 404 {
		t.Fatalf("a stranger downloaded the chat: %d", status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(ts.URL, "http") + page + "/ws"
	if _, resp, err := websocket.Dial(ctx, wsURL, nil); err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("socket without the cookie: %v %v", resp, err)
	}
	// With the cookie, but from another site's page: refused.
	u, _ := url.Parse(ts.URL + "/support/chat")
	cookie := ""
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "okchat" {
			cookie = ck.Value
		}
	}
	header := http.Header{"Cookie": {"okchat=" + cookie}, "Origin": {"https://evil.example"}}
	if _, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: header}); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("cross-site socket: %v %v", resp, err)
	}
	// Same site: it connects and replays the conversation.
	header.Set("Origin", ts.URL)
	conn, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	_, first, err := conn.Read(ctx)
	if err != nil || !strings.Contains(string(first), "app stuck loading") || !strings.Contains(string(first), id) {
		t.Fatalf("first event %s, %v", first, err)
	}
	// Then where the chat stands: first in the queue.
	if _, st, err := conn.Read(ctx); err != nil || !strings.Contains(string(st), `"kind":"queue"`) || !strings.Contains(string(st), `"position":1`) {
		t.Fatalf("status %s, %v", st, err)
	}
	// What the customer sends is stored once and comes back as an event.
	conn.Write(ctx, websocket.MessageText, []byte(`{"body":"Android 14"}`))
	_, echo, err := conn.Read(ctx)
	if err != nil || !strings.Contains(string(echo), "Android 14") || !strings.Contains(string(echo), `"from":"customer"`) {
		t.Fatalf("echo %s, %v", echo, err)
	}
	if msgs, _ := ts.db.TicketMessages(ctx, id, false); len(msgs) != 2 {
		t.Fatalf("%d messages stored, want 2", len(msgs))
	}
	// Staff sockets need a staff session (the dialer follows the redirect
	// to the sign-in page, which is no socket).
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if _, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/console/tickets/"+id+"/ws", &websocket.DialOptions{HTTPClient: noRedirect}); err == nil || resp == nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff socket without a session: %v", err)
	}
}

// Signing out of the console closes that staff member's open chat sockets
// at once: the socket neither receives nor posts afterwards.
func TestStaffSignOutClosesChatSockets(t *testing.T) {
	ts := newTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	tk, _, err := ts.db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "c@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	u, _ := url.Parse(ts.URL + "/console/tickets/" + tk.ID + "/ws")
	header := http.Header{"Origin": {ts.URL}}
	for _, c := range agent.http.Jar.Cookies(u) {
		header.Add("Cookie", c.Name+"="+c.Value)
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/console/tickets/"+tk.ID+"/ws", &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	agent.get("/console")
	if status, _, _ := agent.post("/console/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", status)
	}
	readCtx, readCancel := context.WithTimeout(ctx, 3*time.Second)
	defer readCancel()
	for {
		if _, _, err := conn.Read(readCtx); err != nil {
			if readCtx.Err() != nil {
				t.Fatal("the socket stayed open after sign-out")
			}
			break // closed by the server
		}
	}
	before, _ := ts.db.TicketMessages(ctx, tk.ID, true)
	conn.Write(ctx, websocket.MessageText, []byte(`{"body":"still here?"}`))
	time.Sleep(200 * time.Millisecond)
	if after, _ := ts.db.TicketMessages(ctx, tk.ID, true); len(after) != len(before) {
		t.Fatal("a message was posted through a signed-out socket")
	}
}

// The staff API signs out: the token stops working at once.
func TestStaffAPISignOut(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "GET", "/api/v1/agent/team", tok, nil); status == 401 {
		t.Fatal("a fresh token is refused")
	}
	if status, _, _ := ts.call(t, "DELETE", "/api/v1/agent/sessions/current", tok, nil); status != 204 {
		t.Fatalf("sign-out: %d", status)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/agent/tickets", tok, nil); status != 401 {
		t.Fatalf("the token after sign-out: %d", status)
	}
}
