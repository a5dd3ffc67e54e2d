package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeContactPageFollowsConfig: the contact page, the chat and the
// callback form show the hours, address and promises okcare was started
// with, not built-in ones.
func TestServeContactPageFollowsConfig(t *testing.T) {
	dir := dataDir(t)
	policy := filepath.Join(dir, "sla.txt")
	os.WriteFile(policy, []byte("chat * first=2m resolve=1d\nphone * first=4h resolve=2d\n* * first=2d resolve=5d\n"), 0o644)
	m, _, _ := startMain(t, "--data-dir", dir, "--business-hours", "10:00-19:00", "--team-hours", "chat=07:30-23:00,phone=09:00-20:00",
		"--support-address", "kefu@okwallet.example", "--sla-policy-file", policy)
	defer m.Close()
	base := "http://" + m.Listener.Addr().String()
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	page := get("/support/contact?lang=zh-CN")
	for _, want := range []string{"工作日 07:30-23:00", "通常 2 分钟内", "工作日 09:00-20:00", "4 个工作小时内", "kefu@okwallet.example", "工作日 10:00-19:00", "2 个工作日内"} {
		if !strings.Contains(page, want) {
			t.Errorf("contact page lacks %q", want)
		}
	}
	if chat := get("/support/chat?lang=en"); !strings.Contains(chat, "working days 07:30-23:00") {
		t.Error("the chat page does not show the chat team's hours")
	}
	if cb := get("/support/callback?lang=en"); !strings.Contains(cb, "Afternoon, 13:00-20:00") || !strings.Contains(cb, "09:00-20:00") {
		t.Error("the callback page does not follow the phone team's hours")
	}
}
