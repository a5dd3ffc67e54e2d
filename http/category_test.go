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
