package http_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

// TestWizardAcceptsWrittenVersions: the wizard and the API take versions
// as people copy them from their phones ("V5.1.2 (1088)", "Android 14")
// and diagnose them as the plain version.
func TestWizardAcceptsWrittenVersions(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	c.get("/diagnose?lang=zh-CN")
	status, body, _ := c.post("/diagnose", url.Values{"lang": {"zh-CN"}, "symptom": {"crash"}, "description": {"一打开就闪退"},
		"platform": {"android"}, "app_version": {"V5.1.2 (1088)"}, "os_version": {"Android 14"}})
	if status != 200 || !strings.Contains(body, `data-code="app_known_crash"`) {
		t.Fatalf("wizard with a written version: %d", status)
	}
	status, got, _ := ts.call(t, "POST", "/api/v1/diagnose", "", map[string]any{"lang": "en", "description": "crashes on launch",
		"app": map[string]string{"platform": "android", "version": "v5.1.2"}})
	causes, _ := got["causes"].([]any)
	if status != 201 || len(causes) == 0 || causes[0].(map[string]any)["code"] != "app_known_crash" {
		t.Fatalf("API with v5.1.2: %d %v", status, got)
	}
	if status, got, _ := ts.call(t, "POST", "/api/v1/diagnose", "", map[string]any{"lang": "en", "app": map[string]string{"platform": "android", "version": "latest"}}); status != 400 || errCode(got) != okcare.EINVALIDVERSION {
		t.Fatalf("a word for a version: %d %v", status, got)
	}
}

// TestDiagnosisContradictsTheGuess: a signed-in customer whose account is
// active and who asks whether it is frozen is told it is not, and gets
// another cause; the takeover steps link to the emergency freeze.
func TestDiagnosisContradictsTheGuess(t *testing.T) {
	ts := newTestServer(t)
	token := ts.login(t, "alice@demo.okwallet.example")
	status, got, _ := ts.call(t, "POST", "/api/v1/diagnose", token, map[string]any{"lang": "zh-CN", "description": "是不是账户被冻结了？一打开就闪退",
		"device": map[string]any{"os_version": "14", "free_storage_mb": 20}})
	causes, _ := got["causes"].([]any)
	findings, _ := got["findings"].([]any)
	if status != 201 || len(causes) == 0 || causes[0].(map[string]any)["code"] != "device_storage_low" || len(findings) != 1 || !strings.Contains(findings[0].(string), "没有被冻结") {
		t.Fatalf("diagnosis: %d %v", status, got)
	}
	c := newConsoleClient(t, ts)
	c.get("/diagnose?lang=en")
	status, body, _ := c.post("/diagnose", url.Values{"lang": {"en"}, "description": {"someone pretending to be support asked me for my recovery phrase"}})
	if status != 200 || !strings.Contains(body, `data-code="scam_contact"`) || !strings.Contains(body, `<a href="/support/freeze?lang=en">`) || !strings.Contains(body, `<a href="/verify?lang=en">`) {
		t.Fatalf("scam story: %d", status)
	}
}
