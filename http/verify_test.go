package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/demo"
)

// verifyServer is a test server with the demo's official channels.
func verifyServer(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	if err := demo.LoadChannels(context.Background(), ts.db); err != nil {
		t.Fatal(err)
	}
	return ts
}

// GET /api/v1/verify: official channels however written, lookalikes
// flagged with their signs, unrelated ones not official, the answer in the
// asker's language, bad input a 400 with a stable code.
func TestVerifyAPI(t *testing.T) {
	ts := verifyServer(t)
	for _, tc := range []struct {
		query               string
		official, lookalike bool
		sign, message       string
	}{
		{"channel=https://help.okwallet.example/&lang=en", true, false, "", "Official"},
		{"channel=%2B86+400+000+8820", true, false, "", "是官方渠道"},
		{"channel=support@okwallet.example", true, false, "", "是官方渠道"},
		{"channel=@okwallet_official&lang=en", true, false, "", "Telegram"},
		{"channel=okwallet-support.com&lang=en", false, true, "brand_words", "made to look like OK Wallet"},
		{"channel=0kwallet.example", false, true, "homoglyph", "冒充"},
		{"channel=%2B86+400+000+8821", false, true, "close_number", "冒充"},
		{"channel=service@okwallet.example", false, true, "official_domain", "冒充"},
		{"channel=%2B86+138+0013+8000&lang=en", false, false, "", "Not official"},
		{"channel=wa.me/8613800138000&lang=en", false, false, "", "no official WhatsApp"},
		{"channel=okwallet_kefu&kind=wechat", false, true, "brand_words", "冒充"},
	} {
		status, body, _ := ts.call(t, "GET", "/api/v1/verify?"+tc.query, "", nil)
		if status != 200 || body["official"] != tc.official || body["lookalike"] != tc.lookalike || !strings.Contains(body["message"].(string), tc.message) {
			t.Errorf("%s: %d %v", tc.query, status, body)
			continue
		}
		if tc.sign != "" && !strings.Contains(mustJSON(body["signs"]), tc.sign) {
			t.Errorf("%s: signs %v, want %s", tc.query, body["signs"], tc.sign)
		}
	}
	for _, q := range []string{"", "channel=x", "channel=okwallet.example&staff_code=ABCD-EFGH", "channel=okwallet.example&kind=fax", "channel=" + strings.Repeat("a", 300)} {
		if status, body, _ := ts.call(t, "GET", "/api/v1/verify?"+q, "", nil); status != 400 || errCode(body) != okcare.EINVALID {
			t.Errorf("%q: %d %v", q, status, body)
		}
	}
	if status, body, _ := ts.call(t, "GET", "/api/v1/verify?staff_code=ABCD-EFGH&lang=en", "", nil); status != 200 || body["genuine"] != false {
		t.Errorf("a made-up staff code: %d %v", status, body)
	}
}

// The staff code an agent sees on a chat ticket is genuine on /verify,
// names the agent and the ticket, and the agent's page then shows that the
// customer checked it; the page answers in Chinese.
func TestStaffCodeOnConsoleAndVerifyPage(t *testing.T) {
	ts := verifyServer(t)
	addStaff(t, ts, "li@okcare.example", okcare.RoleAgent)
	tk, err := ts.db.CreateTicket(context.Background(), okcare.NewTicket{ContactEmail: "yu@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Intake: okcare.Intake{Description: "有人自称客服"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := newConsoleClient(t, ts)
	agent.signIn("li@okcare.example", "staff-pass-123")
	_, page, _ := agent.get("/console/tickets/" + tk.ID + "?lang=zh-CN")
	code := regexp.MustCompile(`id="staff-code">([A-Z2-9]{4}-[A-Z2-9]{4})<`).FindStringSubmatch(page)
	if code == nil {
		t.Fatal("the ticket page shows no staff code")
	}
	if strings.Contains(page, `id="staff-code-checked"`) {
		t.Fatal("checked before anyone checked")
	}
	customer := newConsoleClient(t, ts)
	status, page, _ := customer.get("/verify?lang=zh-CN&staff_code=" + url.QueryEscape(strings.ToLower(code[1])))
	if status != 200 || !strings.Contains(page, `data-genuine="true"`) || !strings.Contains(page, "#"+itoa(tk.Number)) {
		t.Fatalf("a genuine code on the page: %d", status)
	}
	noEnglishWords(t, channelsRemoved(page))
	_, page, _ = agent.get("/console/tickets/" + tk.ID + "?lang=zh-CN")
	if !strings.Contains(page, `id="staff-code-checked"`) {
		t.Fatal("the agent does not see that the customer checked the code")
	}
	_, page, _ = customer.get("/verify?lang=zh-CN&staff_code=ZZZZ-ZZZZ")
	if !strings.Contains(page, `data-genuine="false"`) {
		t.Fatal("a made-up code is genuine")
	}
	status, page, _ = customer.get("/verify?lang=zh-CN&channel=okwallet-support.com")
	if status != 200 || !strings.Contains(page, `data-official="false"`) || !strings.Contains(page, `data-lookalike="true"`) || !strings.Contains(page, "okwallet.example") {
		t.Fatalf("a lookalike on the page: %d", status)
	}
	noEnglishWords(t, channelsRemoved(page))
	status, page, _ = customer.get("/verify?lang=zh-CN&channel=%E4%BD%A0%E5%A5%BD")
	if status != 400 || !strings.Contains(page, "请填写电话号码") {
		t.Fatalf("bad input on the page: %d", status)
	}
}

// channelsRemoved drops what is data on a verification page (addresses,
// domains, account names, the apps' names) before its words are checked.
func channelsRemoved(page string) string {
	return regexp.MustCompile(`[\w.+-]+@[\w.-]+|[\w.-]*okwallet[\w.-]*|Telegram|WhatsApp`).ReplaceAllString(page, "")
}

// Admins keep the list in the console; agents cannot; a removed channel
// is no longer official and stays in the history.
func TestConsoleOfficialChannels(t *testing.T) {
	ts := verifyServer(t)
	addStaff(t, ts, "li@okcare.example", okcare.RoleAgent)
	agent := newConsoleClient(t, ts)
	agent.signIn("li@okcare.example", "staff-pass-123")
	if status, _, _ := agent.get("/console/channels"); status != http.StatusForbidden {
		t.Fatalf("an agent opened the channel list: %d", status)
	}
	admin := newConsoleClient(t, ts)
	admin.signIn(ts.creds.AdminEmail, ts.creds.AdminPassword)
	_, page, _ := admin.get("/console/channels?lang=zh-CN")
	if !strings.Contains(page, "okwallet_official") || !strings.Contains(page, `id="channel-form"`) {
		t.Fatal("the list page lacks the channels or the form")
	}
	if status, body, _ := admin.post("/console/channels", url.Values{"kind": {"whatsapp"}, "value": {"+86 400 000 8820"}, "note_zh": {"WhatsApp 客服"}}); status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", status, body)
	}
	if status, _, _ := admin.post("/console/channels", url.Values{"kind": {"phone"}, "value": {"nope"}}); status != http.StatusBadRequest {
		t.Fatalf("a bad channel: %d", status)
	}
	if _, body, _ := ts.call(t, "GET", "/api/v1/verify?channel=wa.me/864000008820", "", nil); body["official"] != true {
		t.Fatalf("the added channel is not official: %v", body)
	}
	list, _ := ts.db.OfficialChannels(context.Background(), false)
	var id string
	for _, c := range list {
		if c.Kind == "whatsapp" {
			id = c.ID
		}
	}
	if status, _, _ := admin.post("/console/channels/"+id+"/remove", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("remove: %d", status)
	}
	if _, body, _ := ts.call(t, "GET", "/api/v1/verify?channel=wa.me/864000008820", "", nil); body["official"] != false {
		t.Fatalf("a removed channel is still official: %v", body)
	}
	_, page, _ = admin.get("/console/channels?lang=zh-CN")
	history := page[strings.Index(page, `id="channel-history"`)+1:]
	if !strings.Contains(page, `id="channel-history"`) || !strings.Contains(history[:strings.Index(history, "</section>")], "WhatsApp") {
		t.Fatal("the removed channel is not in the history")
	}
	log, _ := ts.db.AuditLog(context.Background(), 10)
	found := 0
	for _, e := range log {
		if e.Action == "channel.add" || e.Action == "channel.remove" {
			found++
		}
	}
	if found < 2 {
		t.Fatalf("the console's changes are not audited: %d", found)
	}
}
