package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/sqldb"
)

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// chatEvent is what a chat socket sends.
type chatEvent struct {
	Kind        string `json:"kind"`
	ID          string `json:"id"`
	Seq         int64  `json:"seq"`
	ClientID    string `json:"client_id"`
	Retry       bool   `json:"retry"`
	From        string `json:"from"`
	Body        string `json:"body"`
	Text        string `json:"text"`
	Position    int    `json:"position"`
	WaitMinutes int    `json:"wait_minutes"`
	Error       string `json:"error"`
}

// chatSocket is one side's open chat socket; a goroutine reads it (so
// the client answers the server's pings) into frames.
type chatSocket struct {
	t      *testing.T
	conn   *websocket.Conn
	frames chan []byte
	closed chan struct{}
	err    error // why reading stopped, once closed is closed
}

func dialChat(t *testing.T, ts *testServer, c *consoleClient, path string) *chatSocket {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+path, &websocket.DialOptions{HTTPClient: c.http})
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	s := &chatSocket{t: t, conn: conn, frames: make(chan []byte, 1024), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		for {
			_, raw, err := conn.Read(context.Background())
			if err != nil {
				s.err = err
				return
			}
			s.frames <- raw
		}
	}()
	return s
}

// until reads events until one satisfies ok, failing after 5 s.
func (s *chatSocket) until(what string, ok func(chatEvent) bool) chatEvent {
	s.t.Helper()
	timeout := time.After(5 * time.Second)
	var seen []string
	for {
		select {
		case raw := <-s.frames:
			seen = append(seen, string(raw))
			var e chatEvent
			json.Unmarshal(raw, &e)
			if ok(e) {
				return e
			}
		case <-s.closed:
			if len(s.frames) > 0 {
				continue
			}
			s.t.Fatalf("waiting for %s: %v; saw %s", what, s.err, strings.Join(seen, " "))
		case <-timeout:
			s.t.Fatalf("waiting for %s: nothing within 5 s; saw %s", what, strings.Join(seen, " "))
		}
	}
}

func (s *chatSocket) send(v string) {
	s.t.Helper()
	if err := s.conn.Write(context.Background(), websocket.MessageText, []byte(v)); err != nil {
		s.t.Fatal(err)
	}
}

// openChat starts a chat as a new customer and returns their client and
// the chat's path.
func openChat(t *testing.T, ts *testServer, lang, email, first string) (*consoleClient, string) {
	t.Helper()
	c := newConsoleClient(t, ts)
	c.get("/support/chat?lang=" + lang)
	status, body, h := c.post("/support/chat", url.Values{"lang": {lang}, "contact_email": {email}, "message": {first}})
	if status != http.StatusSeeOther {
		t.Fatalf("open chat: %d %s", status, body)
	}
	return c, strings.SplitN(h.Get("Location"), "?", 2)[0]
}

// TestChatQueueTypingAndRating: waiting customers see their place and an
// estimated wait, updated live; an agent's API reply reaches the chat; an
// agent opening the chat joins it; typing passes both ways unstored; the
// customer ends the chat and rates it.
func TestChatQueueTypingAndRating(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ChatRefresh = 50 * time.Millisecond
	staffChat(t, ts, "agent@okcare.example")
	ctx := context.Background()

	_, first := openChat(t, ts, "en", "first@example.com", "stuck loading")
	second, secondPath := openChat(t, ts, "zh-CN", "second@example.com", "一直转圈")
	firstID, secondID := strings.TrimPrefix(first, "/support/chat/"), strings.TrimPrefix(secondPath, "/support/chat/")

	// The page and the socket both say: second in the queue, six minutes
	// (one chat ahead, one agent, three minutes a chat).
	_, page, _ := second.get(secondPath + "?lang=zh-CN")
	if !strings.Contains(page, "排第 2 位，预计等待约 6 分钟") {
		t.Fatalf("chat page status:\n%s", visibleText(page))
	}
	assertNoEnglish(t, page)
	customer := dialChat(t, ts, second, secondPath+"/ws?lang=zh-CN")
	if e := customer.until("queue status", func(e chatEvent) bool { return e.Kind == "queue" }); e.Position != 2 || e.WaitMinutes != 6 || !strings.Contains(e.Text, "排第 2 位") {
		t.Fatalf("queue status %+v", e)
	}

	// An agent answers the first chat through the API: the second moves up.
	token := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+firstID+"/messages", token, map[string]any{"body": "Hello, which phone?", "public": true}); status != 201 {
		t.Fatalf("API reply: %d", status)
	}
	if e := customer.until("moving up", func(e chatEvent) bool { return e.Kind == "queue" && e.Position == 1 }); e.Text != "您是下一位，预计等待约 3 分钟。" {
		t.Fatalf("next status %+v", e)
	}

	// The agent opens the second chat: the customer sees them join.
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	agentSocket := dialChat(t, ts, agent, "/console/tickets/"+secondID+"/ws")
	agentSocket.until("the conversation", func(e chatEvent) bool { return e.Body == "一直转圈" })
	if e := customer.until("join", func(e chatEvent) bool { return e.Kind == "join" }); e.Text != "客服已加入对话。" {
		t.Fatalf("join status %+v", e)
	}

	// Typing, both ways, never stored.
	before, _ := ts.db.TicketMessages(ctx, secondID, true)
	customer.send(`{"typing":true}`)
	if e := agentSocket.until("customer typing", func(e chatEvent) bool { return e.Kind == "typing" }); e.From != "customer" || e.Text == "" {
		t.Fatalf("agent saw %+v", e)
	}
	agentSocket.send(`{"typing":true}`)
	if e := customer.until("agent typing", func(e chatEvent) bool { return e.Kind == "typing" }); e.From != "agent" || e.Text != "客服正在输入…" {
		t.Fatalf("customer saw %+v", e)
	}
	if after, _ := ts.db.TicketMessages(ctx, secondID, true); len(after) != len(before) {
		t.Fatalf("typing was stored: %d messages, then %d", len(before), len(after))
	}

	// An API reply reaches the open chat like a console one.
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+secondID+"/messages", token, map[string]any{"body": "请问是安卓还是苹果？", "public": true}); status != 201 {
		t.Fatalf("API reply: %d", status)
	}
	customer.until("the API reply", func(e chatEvent) bool { return e.Body == "请问是安卓还是苹果？" && e.From == "agent" })
	// An internal note does not.
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+secondID+"/messages", token, map[string]any{"body": "internal only", "public": false}); status != 201 {
		t.Fatalf("API note: %d", status)
	}
	customer.send(`{"body":"安卓 14"}`)
	if e := customer.until("own message", func(e chatEvent) bool { return e.Body != "" }); e.Body != "安卓 14" {
		t.Fatalf("the customer's next event is %+v: an internal note leaked?", e)
	}

	// The customer ends the chat; the agent is told; the customer rates it.
	second.get(secondPath + "?lang=zh-CN")
	if status, _, _ := second.post(secondPath+"/end", url.Values{"lang": {"zh-CN"}}); status != http.StatusSeeOther {
		t.Fatalf("end: %d", status)
	}
	if e := agentSocket.until("end", func(e chatEvent) bool { return e.Kind == "end" }); e.Text == "" {
		t.Fatalf("agent end %+v", e)
	}
	_, page, _ = second.get(secondPath + "?lang=zh-CN")
	if !strings.Contains(page, `id="chat-rate"`) || !strings.Contains(page, "对话已结束") {
		t.Fatalf("ended page:\n%s", visibleText(page))
	}
	assertNoEnglish(t, page)
	if status, _, _ := second.post(secondPath+"/rating", url.Values{"lang": {"zh-CN"}, "rating": {"4"}, "comment": {"回复很快"}}); status != http.StatusSeeOther {
		t.Fatalf("rating: %d", status)
	}
	if sv, err := ts.db.TicketSurvey(ctx, secondID); err != nil || sv == nil || sv.Rating != 4 || sv.Comment != "回复很快" {
		t.Fatalf("survey %+v %v", sv, err)
	}
	if _, page, _ = second.get(secondPath + "?lang=zh-CN"); !strings.Contains(page, `id="chat-rated"`) || strings.Contains(page, `id="chat-rate"`) {
		t.Fatal("the rated chat still asks for a rating")
	}
	// Nobody else can rate it.
	stranger := newConsoleClient(t, ts)
	stranger.get("/support/chat?lang=zh-CN")
	if status, _, _ := stranger.post(secondPath+"/rating", url.Values{"lang": {"zh-CN"}, "rating": {"1"}}); status != http.StatusNotFound {
		t.Fatalf("a stranger rated the chat: %d", status)
	}
}

// TestChatUnavailable: outside the chat team's hours, or with nobody
// online, the chat page says so and takes a message that becomes an email
// ticket; the email is required.
func TestChatUnavailable(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)

	// Wednesday 23:00: the chat team (08:00-22:00) has gone home.
	withDesk(t, ts, "2026-11-25 23:00")
	_, page, _ := c.get("/support/chat?lang=zh-CN")
	text := strings.Join(strings.Fields(visibleText(page)), " ")
	if !strings.Contains(text, "在线客服现在休息") || !strings.Contains(text, "明天 08:00 恢复服务") || !strings.Contains(text, "3 个工作日内") || strings.Contains(page, `id="chat-begin"`) {
		t.Fatalf("closed chat page:\n%s", text)
	}
	assertNoEnglish(t, page)
	if status, page, _ := c.post("/support/chat", url.Values{"lang": {"zh-CN"}, "leave": {"1"}, "message": {"打不开"}}); status != 400 || !strings.Contains(page, "请留下邮箱") {
		t.Fatalf("a message without an email: %d", status)
	} else {
		assertNoEnglish(t, page)
	}
	status, page, _ := c.post("/support/chat", url.Values{"lang": {"zh-CN"}, "leave": {"1"}, "contact_email": {"night@example.com"}, "message": {"钱包打不开，一直转圈"}})
	if status != 201 || !strings.Contains(page, `id="chat-left"`) || !strings.Contains(page, "night@example.com") {
		t.Fatalf("leave a message: %d\n%s", status, visibleText(page))
	}
	assertNoEnglish(t, page, "night@example.com")
	queue, _ := ts.db.Queue(context.Background(), okcare.QueueFilter{Limit: 10})
	if len(queue) != 1 || queue[0].Channel != okcare.ChannelMail || queue[0].ContactEmail != "night@example.com" {
		t.Fatalf("the message is not an email ticket: %+v", queue)
	}
	if strings.Contains(page, "UTC") || !strings.Contains(page, "#"+strconv.FormatInt(queue[0].Number, 10)) {
		t.Fatal("the confirmation lacks the ticket number or shows a raw time")
	}
	// A form posted as a chat while closed is taken as a message too, not
	// a chat nobody would answer.
	status, _, h := c.post("/support/chat", url.Values{"lang": {"en"}, "contact_email": {"late@example.com"}, "message": {"help"}})
	if status != 201 || h.Get("Location") != "" {
		t.Fatalf("a chat opened after hours: %d %s", status, h.Get("Location"))
	}

	// In hours, but nobody online who speaks English (the agent is away).
	withDesk(t, ts, "2026-11-25 10:00")
	a := &okcare.Agent{Email: "away@okcare.example", Role: okcare.RoleAgent}
	if err := ts.db.CreateAgent(context.Background(), a, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	ts.db.SetAgentPresence(context.Background(), a.ID, sqldb.PresenceAway, 5, []string{"en"})
	_, page, _ = c.get("/support/chat?lang=en")
	if !strings.Contains(page, "No agent is online right now") || !strings.Contains(page, `id="chat-leave-form"`) {
		t.Fatalf("nobody-online page:\n%s", visibleText(page))
	}
	// Back online: the chat opens.
	ts.db.SetAgentPresence(context.Background(), a.ID, sqldb.PresenceOnline, 5, []string{"en"})
	if _, page, _ = c.get("/support/chat?lang=en"); !strings.Contains(page, `id="chat-begin"`) {
		t.Fatal("the chat does not open with an agent online")
	}
}

// TestConsoleUnreadChats: the agents' queue learns which chats have
// customer messages since the last answer, and how many, in the agent's
// language; only staff may ask.
func TestConsoleUnreadChats(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "unread@example.com", "在吗")
	id := strings.TrimPrefix(path, "/support/chat/")
	agent := newConsoleClient(t, ts)
	agent.signIn("agent@okcare.example", "staff-pass-123")
	unread := func(lang string) (string, int) {
		t.Helper()
		status, body, _ := agent.get("/console/unread?lang=" + lang)
		var v struct {
			Label  string         `json:"label"`
			Unread map[string]int `json:"unread"`
		}
		if status != 200 || json.Unmarshal([]byte(body), &v) != nil {
			t.Fatalf("unread: %d %s", status, body)
		}
		return v.Label, v.Unread[id]
	}
	if label, n := unread("zh-CN"); n != 1 || label != "条未读" {
		t.Fatalf("new chat: %q %d", label, n)
	}
	if _, page, _ := agent.get("/console?lang=zh-CN"); !strings.Contains(page, `data-unread="/console/unread"`) {
		t.Fatal("the queue page does not ask for unread chats")
	}
	token := ts.agentLogin(t)
	if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, map[string]any{"body": "您好", "public": true}); status != 201 {
		t.Fatalf("reply: %d", status)
	}
	if _, n := unread("zh-CN"); n != 0 {
		t.Fatalf("an answered chat has %d unread", n)
	}
	customer.get(path)
	for _, body := range []string{"安卓", "还是打不开"} {
		if status, _, _ := customer.post(path+"/messages", url.Values{"lang": {"zh-CN"}, "body": {body}}); status != http.StatusSeeOther {
			t.Fatalf("customer message: %d", status)
		}
	}
	if label, n := unread("en"); n != 2 || label != "unread" {
		t.Fatalf("two new messages: %q %d", label, n)
	}
	stranger := newConsoleClient(t, ts)
	if status, _, _ := stranger.get("/console/unread"); status != http.StatusSeeOther {
		t.Fatalf("unread without a staff session: %d", status)
	}
}

// TestChatReconnectLosesNothing: a customer whose connection drops gets,
// on reconnecting with the seq of the last message they saw, every
// message sent meanwhile, once.
func TestChatReconnectLosesNothing(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	customer, path := openChat(t, ts, "zh-CN", "drop@example.com", "信号不好")
	id := strings.TrimPrefix(path, "/support/chat/")
	first := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	seen := first.until("the opening message", func(e chatEvent) bool { return e.Body == "信号不好" })
	first.conn.CloseNow() // the train enters a tunnel

	token := ts.agentLogin(t)
	for _, body := range []string{"您好", "请问是什么手机？"} {
		if status, _, _ := ts.call(t, "POST", "/api/v1/agent/tickets/"+id+"/messages", token, map[string]any{"body": body, "public": true}); status != 201 {
			t.Fatalf("reply: %d", status)
		}
	}
	again := dialChat(t, ts, customer, path+"/ws?lang=zh-CN&since_seq="+itoa64(seen.Seq))
	var got []string
	again.until("both missed messages", func(e chatEvent) bool {
		if e.Body != "" {
			got = append(got, e.Body)
		}
		return len(got) == 2
	})
	if got[0] != "您好" || got[1] != "请问是什么手机？" {
		t.Fatalf("after reconnecting: %q", got)
	}
	// And the status says an agent is there, not a queue.
	if e := again.until("status", func(e chatEvent) bool { return e.Kind != "" }); e.Kind != "join" {
		t.Fatalf("status after answers: %+v", e)
	}
}

// TestChatSocketProblemsInTheCustomersLanguage: a message the chat refuses
// is explained in the page's language, not with an error code.
func TestChatSocketProblemsInTheCustomersLanguage(t *testing.T) {
	ts := newTestServer(t)
	staffChat(t, ts, "agent@okcare.example")
	ts.srv.ChatLimiter = okhttp.NewRateLimiter(1, time.Hour)
	customer, path := openChat(t, ts, "zh-CN", "fast@example.com", "在吗")
	socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
	socket.send(`{"body":"第一条"}`)
	socket.until("the first message", func(e chatEvent) bool { return e.Body == "第一条" })
	socket.send(`{"body":"第二条"}`)
	if e := socket.until("the refusal", func(e chatEvent) bool { return e.Error != "" }); e.Error != "您发送得太快了，请稍等片刻再发。" || !e.Retry {
		t.Fatalf("refusal %q", e.Error)
	}
}
