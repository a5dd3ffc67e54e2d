package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

func TestPhoneCallback(t *testing.T) {
	ts := newTestServer(t)
	// The page: CSRF-protected form, validation, then the promise.
	c := newConsoleClient(t, ts)
	status, body, _ := c.get("/support/callback?lang=en")
	if status != 200 || !strings.Contains(body, `id="callback-form"`) {
		t.Fatalf("callback page: %d", status)
	}
	if status, body, _ := c.post("/support/callback", url.Values{"lang": {"en"}, "contact_phone": {"call me"}, "window": {"asap"}, "description": {"won't open"}}); status != 400 || !strings.Contains(body, "form-error") {
		t.Fatalf("bad number: %d", status)
	}
	if status, _, _ := c.post("/support/callback", url.Values{"csrf": {"nope-nope-nope-nope-nope-nope"}, "lang": {"en"}, "contact_phone": {"+8613800000009"}, "description": {"x"}}); status != 403 {
		t.Fatalf("without CSRF: %d", status)
	}
	status, body, _ = c.post("/support/callback", url.Values{"lang": {"en"}, "contact_phone": {"+8613800000009"}, "window": {"afternoon"}, "description": {"stuck loading <b>bold</b>"}})
	if status != 201 || !strings.Contains(body, `id="call-by"`) || !strings.Contains(body, "18:00") {
		t.Fatalf("callback request: %d", status)
	}
	if countRows(t, ts, "tickets") != 1 {
		t.Fatal("the refused requests stored something")
	}

	// The API, then the agent's call log.
	status, tk, _ := ts.call(t, "POST", "/api/v1/callbacks", "", map[string]any{"phone": "+8613800000010", "window": "morning", "lang": "zh-CN", "description": "打不开"})
	if status != 201 || tk["channel"] != "phone" {
		t.Fatalf("API callback: %d %v", status, tk)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/callbacks", "", map[string]any{"phone": "+8613800000010", "window": "midnight", "lang": "zh-CN", "description": "x"}); status != 400 {
		t.Fatalf("bad window: %d", status)
	}
	agent := ts.agentLogin(t)
	path := "/api/v1/agent/tickets/" + tk["id"].(string)
	if status, _, _ := ts.call(t, "POST", path+"/calls", agent, map[string]any{"outcome": "reached", "notes": "cleared cache together"}); status != http.StatusNoContent {
		t.Fatalf("log call: %d", status)
	}
	if _, view, _ := ts.call(t, "GET", path, agent, nil); view["first_responded_at"] == nil {
		t.Fatalf("the call did not count as the first response: %v", view)
	}
	boss := newConsoleClient(t, ts)
	boss.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	_, page, _ := boss.get("/console/tickets/" + tk["id"].(string))
	if !strings.Contains(page, `id="call-form"`) || !strings.Contains(page, "8613800000010") {
		t.Fatal("the console does not offer the call log on a phone ticket")
	}
	if status, _, _ := boss.post("/console/tickets/"+tk["id"].(string)+"/call", url.Values{"outcome": {"voicemail"}}); status != http.StatusSeeOther {
		t.Fatalf("console call log: %d", status)
	}
}

// TestContactRateLimits: one address cannot flood the desk with tickets,
// and one chat cannot flood an agent; the limits are per address and per
// chat, never per account.
func TestContactRateLimits(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ContactLimiter = okhttp.NewRateLimiter(3, time.Hour)
	ts.srv.ChatLimiter = okhttp.NewRateLimiter(2, time.Hour)
	for i := 0; i < 3; i++ {
		if status, _, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "spam@example.com", "lang": "en", "intake": map[string]any{"description": "x"}}); status != 201 {
			t.Fatalf("ticket %d: %d", i, status)
		}
	}
	status, b, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "spam@example.com", "lang": "en", "intake": map[string]any{"description": "x"}})
	if status != 429 || errCode(b) != okcare.ERATELIMITED {
		t.Fatalf("fourth ticket: %d %v", status, b)
	}
	if status, _, _ := ts.call(t, "POST", "/api/v1/callbacks", "", map[string]any{"phone": "+8613800000010", "lang": "en", "description": "x"}); status != 429 {
		t.Fatalf("callback past the limit: %d", status)
	}
	if countRows(t, ts, "tickets") != 3 {
		t.Fatal("a limited request stored a ticket")
	}

	// A chat's messages, from a fresh address budget.
	ts.srv.ContactLimiter = okhttp.NewRateLimiter(10, time.Hour)
	staffChat(t, ts, "agent@okcare.example")
	c := newConsoleClient(t, ts)
	c.get("/support/chat?lang=en")
	_, _, h := c.post("/support/chat", url.Values{"lang": {"en"}, "contact_email": {"lu@example.com"}, "message": {"hi"}})
	page := strings.SplitN(h.Get("Location"), "?", 2)[0]
	c.get(page)
	for i, want := range []int{303, 303, 429} {
		if status, _, _ := c.post(page+"/messages", url.Values{"lang": {"en"}, "body": {"more"}}); status != want {
			t.Fatalf("chat message %d: %d, want %d", i, status, want)
		}
	}
}

// TestCallbackWindowPromise: a callback asked for a part of the day that
// has passed, or on a day off, is promised for the next working day's
// window, shown in the customer's language and kept as the ticket's
// first-response target.
func TestCallbackWindowPromise(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	for i, tt := range []struct {
		name, now, lang, window string
		promise, due            string
	}{
		{"morning asked in the afternoon", "2026-11-25 15:00", "zh-CN", "morning", "明天 09:00-12:00", "2026-11-26 12:00"},
		{"morning asked on Friday afternoon", "2026-11-27 15:00", "en", "morning", "Mon 30 Nov, 09:00-12:00", "2026-11-30 12:00"},
		{"afternoon asked on National Day", "2025-10-01 10:00", "zh-CN", "afternoon", "10月9日（周四） 13:00-18:00", "2025-10-09 18:00"},
		{"morning before a worked Sunday (调休)", "2025-09-27 11:00", "zh-CN", "morning", "明天 09:00-12:00", "2025-09-28 12:00"},
		{"morning asked during the morning", "2026-11-25 10:20", "en", "morning", "today, 10:20-12:00", "2026-11-25 12:00"},
		{"as soon as possible at night", "2026-11-25 22:00", "zh-CN", "asap", "明天 09:00-18:00", "2026-11-26 18:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			withDesk(t, ts, tt.now)
			c.get("/support/callback?lang=" + tt.lang)
			status, page, _ := c.post("/support/callback", url.Values{"lang": {tt.lang}, "contact_phone": {"+861380000002" + strconv.Itoa(i)}, "window": {tt.window}, "description": {"打不开"}})
			if status != 201 {
				t.Fatalf("callback: %d", status)
			}
			text := strings.Join(strings.Fields(visibleText(page)), " ")
			if !strings.Contains(text, tt.promise) {
				t.Fatalf("promise %q not shown:\n%s", tt.promise, text)
			}
			if tt.lang == "zh-CN" {
				assertNoEnglish(t, page)
			}
			number := regexp.MustCompile(`#(\d+)`).FindStringSubmatch(text)
			n, _ := strconv.ParseInt(number[1], 10, 64)
			tk, err := ts.db.FindTicketByNumber(context.Background(), n)
			if err != nil || tk.FirstResponseDue == nil || !tk.FirstResponseDue.Equal(beijing(t, tt.due)) {
				t.Fatalf("ticket %v due %v, want %s", err, tk.FirstResponseDue, tt.due)
			}
		})
	}
	// The API answers with the window.
	withDesk(t, ts, "2026-11-25 15:00")
	status, tk, _ := ts.call(t, "POST", "/api/v1/callbacks", "", map[string]any{"phone": "+8613800000031", "window": "morning", "lang": "zh-CN", "description": "打不开"})
	if status != 201 || tk["call_from"] != beijing(t, "2026-11-26 09:00").Format(time.RFC3339) || tk["call_by"] != beijing(t, "2026-11-26 12:00").Format(time.RFC3339) {
		t.Fatalf("API callback: %d %v %v", status, tk["call_from"], tk["call_by"])
	}
}
