package http_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

// TestCategoryCorrection: a mailed ticket arrives classified by the model
// (shown with its confidence); an agent corrects it in the console and
// through the API; refused corrections change nothing; an admin exports
// the corrections as TSV and JSON, an agent may not.
func TestCategoryCorrection(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addStaff(t, ts, "agent@okcare.example", okcare.RoleAgent)
	tk, err := ts.db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "wu@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Subject: "钱包闪退",
		Intake: okcare.Intake{Description: "手机提示储存空间不足，钱包一打开就闪退"}})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Category != "device_storage_low" || tk.CategorySource != okcare.CategoryByModel {
		t.Fatalf("mail ticket classified %q by %q", tk.Category, tk.CategorySource)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	page := "/console/tickets/" + tk.ID
	status, body, _ := agent.get(page)
	if status != 200 || !strings.Contains(body, `id="ticket-category" data-code="device_storage_low">手机存储空间不足 · 模型判断 `) || !strings.Contains(body, `id="category-form"`) {
		t.Fatalf("ticket page %d without the model's category and the correction form", status)
	}
	// A cause that does not exist is refused and changes nothing.
	if status, _, _ := agent.post(page+"/category", url.Values{"category": {"printer_on_fire"}}); status != http.StatusBadRequest {
		t.Fatalf("unknown cause: %d", status)
	}
	if got, _ := ts.db.FindTicket(ctx, tk.ID); got.Category != "device_storage_low" {
		t.Fatalf("a refused correction changed the category to %q", got.Category)
	}
	if status, _, _ := agent.post(page+"/category", url.Values{"category": {"device_memory_low"}}); status != http.StatusSeeOther {
		t.Fatalf("correction: %d", status)
	}
	_, body, _ = agent.get(page)
	if !strings.Contains(body, `id="ticket-category" data-code="device_memory_low">手机运行内存不足 · 客服已更正`) {
		t.Fatal("the page does not show the corrected category")
	}

	// The API, as an agent and as an admin.
	admin := ts.agentLogin(t)
	agentToken := ts.staffToken(t, "agent@okcare.example", "staff-pass-123")
	status, got, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+tk.ID+"/category", agentToken, map[string]string{"category": "app_malfunction"})
	if status != 200 || got["category"] != "app_malfunction" || got["category_source"] != "agent" {
		t.Fatalf("API correction: %d %v", status, got)
	}
	if status, got, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+tk.ID+"/category", agentToken, map[string]string{"category": ""}); status != 400 || errCode(got) != "invalid_input" {
		t.Fatalf("empty category: %d %v", status, got)
	}
	if status, got, _ := ts.call(t, "POST", "/api/v1/agent/tickets/tkt_missing/category", agentToken, map[string]string{"category": "unknown"}); status != 404 {
		t.Fatalf("missing ticket: %d %v", status, got)
	}
	if status, _, _ := ts.call(t, "GET", "/api/v1/admin/category-labels", agentToken, nil); status != http.StatusForbidden {
		t.Fatalf("an agent exported labels: %d", status)
	}
	status, got, _ = ts.call(t, "GET", "/api/v1/admin/category-labels", admin, nil)
	labels, _ := got["labels"].([]any)
	if status != 200 || len(labels) != 2 {
		t.Fatalf("JSON export: %d %v", status, got)
	}
	first := labels[0].(map[string]any)
	if first["from"] != "device_storage_low" || first["from_source"] != "model" || first["category"] != "device_memory_low" || first["text"] != "钱包闪退\n手机提示储存空间不足，钱包一打开就闪退" {
		t.Fatalf("first label %v", first)
	}
	if status, got, _ := ts.call(t, "GET", "/api/v1/admin/category-labels?format=xml", admin, nil); status != 400 || errCode(got) != "invalid_input" {
		t.Fatalf("bad format: %d %v", status, got)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/admin/category-labels?format=tsv", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if resp.StatusCode != 200 || len(lines) != 3 || !strings.HasPrefix(lines[0], "cause\tlang\ttext\t") ||
		!strings.HasPrefix(lines[1], "device_memory_low\tzh-CN\t钱包闪退 手机提示储存空间不足，钱包一打开就闪退\tdevice_storage_low\tmodel\t") ||
		!strings.HasPrefix(lines[2], "app_malfunction\tzh-CN\t") {
		t.Fatalf("TSV export %d:\n%s", resp.StatusCode, raw)
	}
}

// TestEveryChannelClassified: tickets from the web form without a
// diagnosis, a callback request, a chat and the API without a category all
// get the model's cause for their words, with a confidence; a category the
// API client gives is kept, and one that is not a cause is refused.
func TestEveryChannelClassified(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	c := newConsoleClient(t, ts)
	c.get("/support/new?lang=zh-CN")
	if status, _ := c.postFile("/support/new", url.Values{"lang": {"zh-CN"}, "contact_email": {"a@example.com"}, "description": {"有人冒充客服让我把助记词发给他"}}, "", nil); status != http.StatusCreated {
		t.Fatalf("web form: %d", status)
	}
	c.get("/support/callback?lang=en")
	if status, _, _ := c.post("/support/callback", url.Values{"lang": {"en"}, "contact_phone": {"+8613800000009"}, "window": {"asap"}, "description": {"sent money to my sister yesterday and it has not arrived"}}); status != http.StatusCreated {
		t.Fatalf("callback: %d", status)
	}
	c.get("/support/chat?lang=zh-CN")
	if status, _, _ := c.post("/support/chat", url.Values{"lang": {"zh-CN"}, "contact_email": {"b@example.com"}, "message": {"一直转圈，网络时好时坏"}}); status != http.StatusSeeOther && status != http.StatusCreated {
		t.Fatalf("chat: %d", status)
	}
	status, got, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "c@example.com", "lang": "en", "intake": map[string]any{"description": "the app says my version is no longer supported", "platform": "android", "app_version": "V4.9.0 (2001)"}})
	if status != 201 {
		t.Fatalf("API ticket: %d %v", status, got)
	}
	if status, got, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "d@example.com", "lang": "en", "category": "printer_on_fire", "intake": map[string]any{"description": "x"}}); status != 400 || errCode(got) != "invalid_input" {
		t.Fatalf("API ticket with a made-up category: %d %v", status, got)
	}
	queue, err := ts.db.Queue(ctx, okcare.QueueFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// By what each customer wrote (the subject is its first line); with
	// nobody online a chat becomes a mailed message, classified the same.
	want := map[string]string{"有人冒充客服让我把助记词发给他": "scam_contact", "sent money to my sister yesterday and it has not arrived": "funds_missing",
		"一直转圈，网络时好时坏": "network_unstable", "the app says my version is no longer supported": "app_outdated"}
	seen := map[string]bool{}
	for _, tk := range queue {
		if w, ok := want[tk.Subject]; ok {
			seen[tk.Subject] = true
			if tk.Category != w || tk.CategorySource != okcare.CategoryByModel || tk.CategoryConfidence == nil || *tk.CategoryConfidence <= 0 {
				t.Errorf("%s ticket %q: category %q by %q confidence %v, want %s", tk.Channel, tk.Subject, tk.Category, tk.CategorySource, tk.CategoryConfidence, w)
			}
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("found %v of %v", seen, want)
	}
}
