package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFeedbackPageInWords: after "still broken", the page that shows what
// the ticket will carry says it in the page's language, not as field names,
// codes and JSON.
func TestFeedbackPageInWords(t *testing.T) {
	ts := newTestServer(t)
	status, res, _ := ts.call(t, "POST", "/api/v1/diagnose", "", `{"lang":"zh-CN","symptom":"error_message","description":"提示无法连接服务器","error_text":"网络错误 E102",
		"app":{"platform":"android","version":"5.1.2"},"device":{"os_version":"14","model":"Pixel 8","free_storage_mb":120},"network":{"type":"cellular","reachable":false,"latency_ms":900}}`)
	if status != http.StatusCreated {
		t.Fatalf("diagnose: %d %v", status, res)
	}
	id, _ := res["ticket_prefill"].(map[string]any)["diagnosis_id"].(string)
	key, _ := res["key"].(string)
	for _, tc := range []struct {
		lang  string
		words []string
	}{
		{"zh-CN", []string{"现象", "出现错误提示", "具体情况", "提示无法连接服务器", "应用显示的提示", "网络错误 E102", "OK 钱包", "Android 5.1.2",
			"手机", "Pixel 8 · 系统版本 14 · 可用存储 120 MB", "网络", "移动数据 · 连不上服务器 · 延迟 900 ms", "可能的原因"}},
		{"en", []string{"What happens", "It shows an error message", "The message the app shows", "Android 5.1.2",
			"Pixel 8 · OS version 14 · free storage 120 MB", "mobile data · cannot reach our servers · latency 900 ms", "Likely cause"}},
	} {
		c := newConsoleClient(t, ts)
		c.get("/diagnose?lang=" + tc.lang)
		status, body, _ := c.post("/diagnose/"+id+"/feedback", url.Values{"lang": {tc.lang}, "outcome": {"still_broken"}, "key": {key}})
		if status != http.StatusOK {
			t.Fatalf("%s feedback: %d", tc.lang, status)
		}
		text := visibleText(body)
		for _, w := range tc.words {
			if !strings.Contains(text, w) {
				t.Errorf("%s feedback page does not say %q", tc.lang, w)
			}
		}
		for _, code := range []string{"symptom", "error_message", "error_text", "cellular", "android", "os_version", "{", "category"} {
			if strings.Contains(text, code) {
				t.Errorf("%s feedback page shows %q", tc.lang, code)
			}
		}
		if t.Failed() {
			t.Fatalf("%s page text:\n%s", tc.lang, text)
		}
	}
}
