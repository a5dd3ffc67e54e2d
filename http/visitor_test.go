package http_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// TestContactLimitsUnderCarrierNAT: during an outage many real customers
// behind one carrier-grade NAT address open tickets at once. Each browser
// (known by the signed id it got with its first page) and each signed-in
// account has an allowance of its own; clients with neither share their
// address's; one noisy browser spends only its own; the address's ceiling
// still stops a flood.
func TestContactLimitsUnderCarrierNAT(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ContactLimiter = okhttp.NewRateLimiter(3, time.Hour)
	ts.srv.ContactCeiling = okhttp.NewRateLimiter(40, time.Hour)
	before := countRows(t, ts, "tickets")
	webTicket := func(c *consoleClient) int {
		status, _, _ := c.post("/support/new", url.Values{"lang": {"zh-CN"}, "contact_email": {"nat@example.com"}, "description": {"打不开"}, "platform": {"android"}})
		return status
	}
	// 25 customers, every one from 127.0.0.1, each with a browser of their own.
	browsers := make([]*consoleClient, 25)
	for i := range browsers {
		browsers[i] = newConsoleClient(t, ts)
		browsers[i].get("/support/new?lang=zh-CN")
		if status := webTicket(browsers[i]); status != http.StatusCreated {
			t.Fatalf("customer %d behind the NAT: %d", i, status)
		}
	}
	// One of them keeps trying: refused past their own three, and the
	// refusals do not spend the others' share of the ceiling.
	noisy := browsers[0]
	webTicket(noisy)
	webTicket(noisy)
	for i := 0; i < 20; i++ {
		if status := webTicket(noisy); status != http.StatusTooManyRequests {
			t.Fatalf("noisy browser's attempt %d: %d", i, status)
		}
	}
	if status := webTicket(browsers[1]); status != http.StatusCreated {
		t.Fatalf("a neighbour after the noisy one: %d", status)
	}
	// Clients without a page view or an account share the address's three;
	// a cookie the server did not sign counts as none.
	api := func(extra ...string) (int, map[string]any) {
		status, b, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "bot@example.com", "lang": "en", "intake": map[string]any{"description": "x"}}, extra...)
		return status, b
	}
	for i := 0; i < 3; i++ {
		if status, _ := api("Cookie", "okc_visitor=vis_FORGED"+string(rune('A'+i))+".AAAAAAAAAAAAAAAAAAAAAA"); status != http.StatusCreated {
			t.Fatalf("cookie-less client %d: %d", i, status)
		}
	}
	if status, b := api("Cookie", "okc_visitor=vis_FORGEDZ.AAAAAAAAAAAAAAAAAAAAAA"); status != http.StatusTooManyRequests || errCode(b) != okcare.ERATELIMITED {
		t.Fatalf("a forged visitor id got a fresh allowance: %d %v", status, b)
	}
	// A signed-in customer has an allowance of their own.
	alice := ts.login(t, "alice@demo.okwallet.example")
	if status, _, _ := ts.call(t, "POST", "/api/v1/tickets", alice, map[string]any{"lang": "zh-CN", "intake": map[string]any{"description": "打不开"}}); status != http.StatusCreated {
		t.Fatalf("signed-in customer behind the NAT: %d", status)
	}
	// 25 + 2 + 1 + 3 + 1 = 32 so far: the ceiling of 40 lets 8 more new
	// browsers in, then refuses a flood from the address.
	for i := 0; i < 8; i++ {
		c := newConsoleClient(t, ts)
		c.get("/support/new?lang=zh-CN")
		if status := webTicket(c); status != http.StatusCreated {
			t.Fatalf("browser %d under the ceiling: %d", i, status)
		}
	}
	flood := newConsoleClient(t, ts)
	flood.get("/support/new?lang=zh-CN")
	if status := webTicket(flood); status != http.StatusTooManyRequests {
		t.Fatalf("past the address's ceiling: %d", status)
	}
	if n := countRows(t, ts, "tickets") - before; n != 40 {
		t.Fatalf("%d tickets stored, want the 40 allowed", n)
	}
}

// TestRateLimiterClockStepsBack: a clock stepping back neither refills a
// bucket nor drives it below empty for good.
func TestRateLimiterClockStepsBack(t *testing.T) {
	l := okhttp.NewRateLimiter(2, time.Minute)
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	if !l.Allow("k", at) || !l.Allow("k", at) || l.Allow("k", at) {
		t.Fatal("burst of two not kept")
	}
	if l.Allow("k", at.Add(-time.Hour)) {
		t.Fatal("stepping the clock back refilled the bucket")
	}
	if !l.Allow("k", at.Add(time.Minute)) {
		t.Fatal("a minute after the step the bucket did not refill")
	}
}
