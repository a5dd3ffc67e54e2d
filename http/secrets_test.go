package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A valid 12-word phrase and a private key, as a customer pastes them.
const (
	pastedPhrase = "draft oyster rack north fresh grape junior boat exhibit shrug egg cactus"
	pastedKey    = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
)

// TestSecretsMaskedAndCustomerWarned: a secret sent through the API, the
// web form, the live chat or the diagnosis is answered at once with the
// warning in the customer's language and never shown back; the console
// shows the ticket flagged and says what kind was hidden, not what it was.
func TestSecretsMaskedAndCustomerWarned(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	ctx := context.Background()

	// The API, in Chinese and in English.
	for _, tc := range []struct{ lang, text, warning string }{
		{"zh-CN", "客服让我提供助记词：" + pastedPhrase, "OK 钱包的工作人员绝不会"},
		{"en", "The support guy wanted my private key " + pastedKey, "OK Wallet staff never ask"},
	} {
		status, body, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"lang": tc.lang, "contact_email": "mei@example.com", "intake": map[string]any{"description": tc.text}})
		raw := mustJSON(body)
		w, _ := body["secret_warning"].(map[string]any)
		if status != 201 || w == nil || !strings.Contains(w["text"].(string), tc.warning) {
			t.Fatalf("%s API ticket: %d %s", tc.lang, status, raw)
		}
		if strings.Contains(raw, "oyster") || strings.Contains(raw, pastedKey) {
			t.Fatalf("the API answers with the secret: %s", raw)
		}
		if tk, _ := ts.db.FindTicket(ctx, body["id"].(string)); !tk.SecretExposed() || tk.Priority != "urgent" {
			t.Fatalf("ticket not flagged: %v %s", tk.Tags, tk.Priority)
		}
	}

	// A signed-in customer's reply through the API, in their ticket's
	// language.
	alice := ts.login(t, "alice@demo.okwallet.example")
	_, mine, _ := ts.call(t, "POST", "/api/v1/tickets", alice, map[string]any{"lang": "zh-CN", "intake": map[string]any{"description": "转账没到账"}})
	status, reply, _ := ts.call(t, "POST", "/api/v1/me/tickets/"+mine["id"].(string)+"/messages", alice, map[string]any{"body": "他们说要验证码：482913"})
	if w, _ := reply["secret_warning"].(map[string]any); status != 201 || w == nil || reply["body"] != "他们说要验证码：[验证码已隐藏]" || !strings.Contains(w["text"].(string), "疑似验证码") {
		t.Fatalf("API reply: %d %s", status, mustJSON(reply))
	}
	_, view, _ := ts.call(t, "GET", "/api/v1/me/tickets/"+mine["id"].(string), alice, nil)
	if raw := mustJSON(view); !strings.Contains(raw, "OK 钱包的工作人员绝不会") || strings.Contains(raw, "482913") {
		t.Fatalf("the customer's ticket: %s", raw)
	}

	// The web form: the page says it at once.
	c := newConsoleClient(t, ts)
	c.get("/support/new?lang=en")
	status, page, _ := c.post("/support/new", url.Values{"lang": {"en"}, "contact_email": {"sam@example.com"}, "description": {"seed phrase: " + pastedPhrase}, "platform": {"android"}})
	if status != http.StatusCreated || !strings.Contains(visibleText(page), "OK Wallet staff never ask for your recovery phrase") || strings.Contains(page, "oyster") {
		t.Fatalf("web form: %d\n%s", status, visibleText(page))
	}

	// The live chat: the customer's own message comes back masked, then
	// the warning, in Chinese.
	customer, path := openChat(t, ts, "zh-CN", "lin@example.com", "在吗")
	chatID := strings.TrimPrefix(path, "/support/chat/")
	sock := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	sock.until("the first message", func(e chatEvent) bool { return e.Body == "在吗" })
	sock.send(mustJSON(map[string]string{"body": "客服说要验证，我的助记词是 " + pastedPhrase}))
	if e := sock.until("the masked message", func(e chatEvent) bool { return e.From == "customer" && e.Body != "在吗" }); e.Body != "客服说要验证，我的助记词是 [助记词已隐藏]" {
		t.Fatalf("chat echoed %q", e.Body)
	}
	if e := sock.until("the warning", func(e chatEvent) bool { return e.From == "system" }); !strings.Contains(e.Body, "绝不会以任何方式") || !strings.Contains(e.Body, "助记词") {
		t.Fatalf("chat warning %q", e.Body)
	}

	// The diagnosis: masked before it is read, so nothing echoes back.
	status, body, _ := ts.call(t, "POST", "/api/v1/diagnose", "", map[string]any{"lang": "en", "symptom": "other", "description": "support asked for my 12 words: " + pastedPhrase})
	if w, _ := body["secret_warning"].(map[string]any); status != 201 || w == nil || strings.Contains(mustJSON(body), "oyster") {
		t.Fatalf("diagnose: %d %s", status, mustJSON(body))
	}

	// The console: flagged, the kind named, the secret nowhere.
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	_, page, _ = agent.get("/console/tickets/" + chatID + "?lang=en")
	text := visibleText(page)
	if !strings.Contains(text, "Security: the customer sent a secret") || !strings.Contains(text, "Secrets hidden from the customer's text before it was stored: recovery phrase.") ||
		!strings.Contains(text, "[助记词已隐藏]") || strings.Contains(page, "oyster") {
		t.Fatalf("console ticket page:\n%s", text)
	}
	_, clean, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"lang": "en", "contact_email": "ann@example.com", "intake": map[string]any{"description": "error code 10023"}})
	_, page, _ = agent.get("/console?lang=en")
	if !strings.Contains(page, "/console/tickets/"+chatID) || !strings.Contains(page, "/console/tickets/"+clean["id"].(string)) {
		t.Fatal("the queue lacks a ticket")
	}
	_, page, _ = agent.get("/console?tag=secret_exposed&lang=en")
	_, queue, _ := strings.Cut(page, `id="queue-filter"`) // not the agent's own tickets above it
	if !strings.Contains(queue, "/console/tickets/"+chatID) || strings.Contains(queue, "/console/tickets/"+clean["id"].(string)) {
		t.Fatalf("the security queue is not the flagged tickets:\n%s", visibleText(page))
	}
	_, page, _ = agent.get("/console/tickets/" + chatID + "?lang=zh-CN")
	if !strings.Contains(visibleText(page), "已在保存前隐藏客户发来的敏感信息：助记词。") || !strings.Contains(visibleText(page), "泄露敏感信息") {
		t.Fatalf("console ticket page in Chinese:\n%s", visibleText(page))
	}
	// The flag is named in the page's language, in the ticket, its note
	// and the queue: no raw tag code on a Chinese page.
	_, queuePage, _ := agent.get("/console?lang=zh-CN")
	for name, p := range map[string]string{"ticket": page, "queue": queuePage} {
		if strings.Contains(visibleText(p), "secret_exposed") {
			t.Errorf("the Chinese console %s page shows the raw tag %s:\n%s", name, "secret_exposed", visibleText(p))
		}
	}
	assertNoSecretsLogged(t, ts, "oyster rack", pastedKey)
}
